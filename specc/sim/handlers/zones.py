"""Zones: listZones, createZone, updateZone, deleteZone."""

from __future__ import annotations

import ipaddress
from typing import Any

from specc.sim.handlers import ApiError, Ctx, Param, command, fields_since, new_id

fields_since("zone", {"storageaccessgroups": "4.22", "asnrange": "4.22"})

NETWORK_TYPES = ("Basic", "Advanced")
ALLOCATION_STATES = ("Enabled", "Disabled")

# (kind, field naming the zone, what the server says when one exists), in its order.
ZONE_DEPENDENTS = (
    ("host", "zoneid", "there are servers in this zone."),
    ("pod", "zoneid", "there are pods in this zone."),
    ("physicalnetwork", "zoneid", "there are physical networks in this zone."),
    ("imagestore", "zoneid", "there are Secondary storages in this zone"),
)
DNS_FIELDS = (
    ("dns1", "DNS1", 4),
    ("dns2", "DNS2", 4),
    ("internaldns1", "internal DNS1", 4),
    ("internaldns2", "internal DNS2", 4),
    ("ip6dns1", "IP6 DNS1", 6),
    ("ip6dns2", "IP6 DNS2", 6),
)


def _check_zone_params(ctx: Ctx, name: str | None, current_id: str | None) -> None:
    """The server's common checks of createZone and updateZone."""
    if name is not None and any(z["id"] != current_id for z in ctx.store.find("zone", name=name)):
        raise ctx.invalid(
            "A zone with that name already exists. Please specify a unique zone name."
        )
    for key, label, family in DNS_FIELDS:
        value = ctx.get(key)
        if not value:
            continue
        try:
            addr = ipaddress.ip_address(value)
        except ValueError:
            addr = None
        if addr is None or addr.version != family:
            kind = "IP address" if family == 4 else "IPv6 address"
            raise ctx.invalid(f"Please enter a valid {kind} for {label}")
    state = ctx.get("allocationstate")
    if state and state not in ALLOCATION_STATES:
        raise ctx.invalid(f"Unable to resolve Allocation State '{state}' to a supported state")


def _default_physical_network(ctx: Ctx, zone: dict[str, Any], traffic: str) -> dict[str, Any]:
    for net in ctx.store.find("physicalnetwork", zoneid=zone["id"]):
        if ctx.store.find("traffictype", physicalnetworkid=net["id"], traffictype=traffic):
            return net
    raise ctx.invalid(
        f"Unable to find the default physical network with traffic={traffic} "
        "in the specified zone id"
    )


def _check_enable(ctx: Ctx, zone: dict[str, Any]) -> None:
    """What enabling a zone needs; adds Storage traffic beside Management when missing."""
    try:
        mgmt = _default_physical_network(ctx, zone, "Management")
        if zone["networktype"] == "Advanced" and not zone.get("securitygroupsenabled"):
            _default_physical_network(ctx, zone, "Public")
        try:
            _default_physical_network(ctx, zone, "Storage")
        except ApiError:
            labels = next(
                iter(
                    ctx.store.find(
                        "traffictype", physicalnetworkid=mgmt["id"], traffictype="Management"
                    )
                ),
                {},
            ).get("_labels", {})
            ctx.store.insert(
                "traffictype",
                {
                    "id": new_id(),
                    "traffictype": "Storage",
                    "physicalnetworkid": mgmt["id"],
                    "_labels": dict(labels),
                },
            )
    except ApiError as err:
        raise ctx.invalid(f"Cannot enable this Zone since: {err.text}") from None


@command(
    "listZones",
    item="zone",
    params=[
        Param("available", "boolean"),
        Param("domainid", "uuid"),
        Param("id", "uuid", entity="zone"),
        Param("ids", "list", since="4.22", entity="zone"),
        Param("keyword", "string"),
        Param("name", "string"),
        Param("networktype", "string"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("showcapacities", "boolean"),
        Param("showicon", "boolean"),
        Param("storageaccessgroup", "string", since="4.22"),
        Param("tags", "map"),
    ],
)
def list_zones(ctx: Ctx) -> dict[str, Any]:
    """Lists zones."""
    ids = ctx.get("ids")
    return ctx.list_response(
        "zone",
        fields={"storageaccessgroup": "storageaccessgroups"},
        skip=("available", "showcapacities", "showicon", "tags", "ids", "domainid"),
        match=(lambda z: z["id"] in ids) if ids else None,
    )


@command(
    "createZone",
    params=[
        Param("allocationstate", "string"),
        Param("dns1", "string", required=True),
        Param("dns2", "string"),
        Param("domain", "string"),
        Param("domainid", "uuid"),
        Param("guestcidraddress", "string"),
        Param("internaldns1", "string", required=True),
        Param("internaldns2", "string"),
        Param("ip6dns1", "string"),
        Param("ip6dns2", "string"),
        Param("isedge", "boolean"),
        Param("localstorageenabled", "boolean"),
        Param("name", "string", required=True),
        Param("networktype", "string", required=True),
        Param("securitygroupenabled", "boolean"),
        Param("storageaccessgroups", "list", since="4.22"),
    ],
)
def create_zone(ctx: Ctx) -> dict[str, Any]:
    """Creates a Zone."""
    name = ctx.params["name"]
    match = [n for n in NETWORK_TYPES if n.lower() == ctx.params["networktype"].lower()]
    if not match:
        raise ctx.invalid("Invalid zone type; only Advanced and Basic values are supported")
    nettype = match[0]
    if nettype == "Basic" and ctx.get("guestcidraddress") is not None:
        raise ctx.invalid("guestCidrAddress parameter is not supported for Basic zone")
    _check_zone_params(ctx, name, None)
    state = ctx.get("allocationstate") or "Disabled"
    zone: dict[str, Any] = {
        "id": new_id(),
        "name": name,
        "dns1": ctx.params["dns1"],
        "internaldns1": ctx.params["internaldns1"],
        "networktype": nettype,
        "securitygroupsenabled": nettype == "Basic" or bool(ctx.get("securitygroupenabled")),
        "allocationstate": state,
        "zonetoken": new_id(),
        "dhcpprovider": "VirtualRouter",
        "localstorageenabled": bool(ctx.get("localstorageenabled", False)),
        "tags": [],
        "hasannotations": False,
        "type": "Edge" if ctx.get("isedge") else "Core",
        "allowuserspecifyvrmtu": False,
        "routerprivateinterfacemaxmtu": 1500,
        "routerpublicinterfacemaxmtu": 1500,
    }
    for key in ("dns2", "internaldns2", "ip6dns1", "ip6dns2", "domain", "guestcidraddress"):
        if ctx.get(key):
            zone[key] = ctx.params[key]
    if ctx.get("storageaccessgroups"):
        zone["storageaccessgroups"] = ",".join(ctx.params["storageaccessgroups"])
    return {"zone": ctx.store.insert("zone", zone)}


@command(
    "updateZone",
    params=[
        Param("allocationstate", "string"),
        Param("details", "map"),
        Param("dhcpprovider", "string"),
        Param("dns1", "string"),
        Param("dns2", "string"),
        Param("dnssearchorder", "list"),
        Param("domain", "string"),
        Param("guestcidraddress", "string"),
        Param("id", "uuid", required=True, entity="zone"),
        Param("internaldns1", "string"),
        Param("internaldns2", "string"),
        Param("ip6dns1", "string"),
        Param("ip6dns2", "string"),
        Param("ispublic", "boolean"),
        Param("localstorageenabled", "boolean"),
        Param("name", "string"),
        Param("sortkey", "integer"),
    ],
)
def update_zone(ctx: Ctx) -> dict[str, Any]:
    """Updates a Zone."""
    zone = ctx.entity("zone", ctx.params["id"])
    name = ctx.get("name")
    _check_zone_params(ctx, name if name and name != zone["name"] else None, zone["id"])
    if ctx.get("allocationstate") == "Enabled":
        _check_enable(ctx, zone)
    changes: dict[str, Any] = {}
    for key in (
        "allocationstate",
        "dhcpprovider",
        "dns1",
        "dns2",
        "domain",
        "guestcidraddress",
        "internaldns1",
        "internaldns2",
        "ip6dns1",
        "ip6dns2",
        "localstorageenabled",
        "name",
    ):
        if key in ctx.params and ctx.params[key] is not None:
            changes[key] = ctx.params[key]
    if ctx.get("details"):
        details = dict(zone.get("resourcedetails", {}))
        for entry in ctx.params["details"]:
            if "key" not in entry or "value" not in entry:
                raise ctx.invalid(
                    "Invalid Zone Detail specified, fields 'key' and 'value' cannot be null, "
                    "please specify details in the form:  details[0].key=XXX&details[0].value=YYY"
                )
            details[entry["key"]] = entry["value"]
        changes["resourcedetails"] = details
    return {"zone": ctx.store.update("zone", zone["id"], **changes)}


@command("deleteZone", params=[Param("id", "uuid", required=True, entity="zone")])
def delete_zone(ctx: Ctx) -> dict[str, Any]:
    """Deletes a Zone."""
    zone_id = ctx.entity("zone", ctx.params["id"])["id"]
    for kind, key, why in ZONE_DEPENDENTS:
        if ctx.store.find(kind, **{key: zone_id}):
            raise ctx.error(530, f"The zone cannot be deleted because {why}")
    for vlan in ctx.store.find("vlaniprange", zoneid=zone_id):
        ctx.store.delete("vlaniprange", vlan["id"])
    ctx.store.delete("zone", zone_id)
    return {"success": True}
