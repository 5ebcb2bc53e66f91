"""Zones: listZones, createZone, updateZone, deleteZone."""

from __future__ import annotations

from typing import Any

from specc.sim.handlers import Ctx, Param, command, fields_since, new_id

fields_since("zone", {"storageaccessgroups": "4.22", "asnrange": "4.22"})

NETWORK_TYPES = ("Basic", "Advanced")
ALLOCATION_STATES = ("Enabled", "Disabled")

# (kind, field naming the zone, what the server says when one exists), in its order.
ZONE_DEPENDENTS = (
    ("host", "zoneid", "there are servers running in this zone"),
    ("pod", "zoneid", "there are pods in this zone"),
    ("physicalnetwork", "zoneid", "there are physical networks in this zone"),
    ("storagepool", "zoneid", "there are storage pools in this zone"),
    ("vlaniprange", "zoneid", "there are public IP addresses allocated in this zone"),
)


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
    nettype = ctx.params["networktype"]
    if nettype not in NETWORK_TYPES:
        raise ctx.invalid("Invalid zone type; only Advanced and Basic values are supported")
    state = ctx.get("allocationstate", "Disabled")
    if state not in ALLOCATION_STATES:
        raise ctx.invalid(f"Invalid value for allocationstate: {state}")
    if ctx.store.find("zone", name=name):
        raise ctx.invalid(f"A zone with name: {name} already exists")
    zone: dict[str, Any] = {
        "id": new_id(),
        "name": name,
        "dns1": ctx.params["dns1"],
        "internaldns1": ctx.params["internaldns1"],
        "networktype": nettype,
        "securitygroupsenabled": bool(ctx.get("securitygroupenabled", False)),
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
    if nettype == "Advanced" and not ctx.get("guestcidraddress"):
        zone["guestcidraddress"] = "10.1.1.0/24"
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
    state = ctx.get("allocationstate")
    if state is not None and state not in ALLOCATION_STATES:
        raise ctx.invalid(f"Invalid value for allocationstate: {state}")
    name = ctx.get("name")
    if name and any(z["id"] != zone["id"] for z in ctx.store.find("zone", name=name)):
        raise ctx.invalid(f"A zone with name: {name} already exists")
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
            details.update(entry)
        changes["resourcedetails"] = details
    return {"zone": ctx.store.update("zone", zone["id"], **changes)}


@command("deleteZone", params=[Param("id", "uuid", required=True, entity="zone")])
def delete_zone(ctx: Ctx) -> dict[str, Any]:
    """Deletes a Zone."""
    zone_id = ctx.entity("zone", ctx.params["id"])["id"]
    for kind, key, why in ZONE_DEPENDENTS:
        if ctx.store.find(kind, **{key: zone_id}):
            raise ctx.error(530, f"The zone is not deletable because {why}")
    ctx.store.delete("zone", zone_id)
    return {"success": True}
