"""Physical networks, traffic types, network service providers, virtual router elements."""

from __future__ import annotations

from typing import Any

from specc.sim.handlers import ApiError, Ctx, Param, command, new_id

TRAFFIC_TYPES = ("Public", "Guest", "Management", "Storage")
LABELS = (
    "hypervnetworklabel",
    "kvmnetworklabel",
    "ovm3networklabel",
    "vmwarenetworklabel",
    "xennetworklabel",
)
NSP_STATES = ("Enabled", "Disabled", "Shutdown")
ROOT_DOMAIN_ID = "d3d1d5a8-0000-4000-8000-000000000003"

# The providers createPhysicalNetwork adds, Disabled, with the services each offers.
DEFAULT_PROVIDERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "VirtualRouter",
        (
            "Vpn",
            "Dhcp",
            "Dns",
            "Gateway",
            "Firewall",
            "Lb",
            "SourceNat",
            "StaticNat",
            "PortForwarding",
            "UserData",
        ),
    ),
    ("SecurityGroupProvider", ("SecurityGroup",)),
    (
        "VpcVirtualRouter",
        (
            "Vpn",
            "Dhcp",
            "Dns",
            "Gateway",
            "Lb",
            "SourceNat",
            "StaticNat",
            "PortForwarding",
            "NetworkACL",
            "UserData",
        ),
    ),
    ("InternalLbVm", ("Lb",)),
    ("ConfigDrive", ("UserData",)),
)
# Providers that get a virtual router element, which must be enabled before them.
ROUTER_PROVIDERS = ("VirtualRouter", "VpcVirtualRouter")


def _paging() -> list[Param]:
    return [Param("keyword"), Param("page", "integer"), Param("pagesize", "integer")]


@command(
    "listPhysicalNetworks",
    item="physicalnetwork",
    params=[
        Param("id", "uuid", entity="physicalnetwork"),
        Param("name"),
        Param("zoneid", "uuid", entity="zone"),
        *_paging(),
    ],
)
def list_physical_networks(ctx: Ctx) -> dict[str, Any]:
    """Lists physical networks."""
    return ctx.list_response("physicalnetwork")


@command(
    "createPhysicalNetwork",
    is_async=True,
    params=[
        Param("broadcastdomainrange"),
        Param("domainid", "uuid"),
        Param("isolationmethods", "list"),
        Param("name", required=True),
        Param("networkspeed"),
        Param("tags", "list"),
        Param("vlan"),
        Param("zoneid", "uuid", required=True, entity="zone"),
    ],
)
def create_physical_network(ctx: Ctx) -> dict[str, Any]:
    """Creates a physical network, with the default providers, Disabled."""
    zone = ctx.entity("zone", ctx.params["zoneid"], "zoneid")
    methods = ctx.get("isolationmethods") or ["VLAN"]
    if len(methods) > 1:
        raise ctx.invalid(
            "Only one isolationMethod can be specified for a physical network at this time"
        )
    tags = ctx.get("tags") or []
    if len(tags) > 1:
        raise ctx.invalid("Only one tag can be specified for a physical network at this time")
    domain_range = ctx.get("broadcastdomainrange") or (
        "ZONE" if zone["networktype"] == "Advanced" else "POD"
    )
    if domain_range.upper() not in ("ZONE", "POD"):
        raise ctx.invalid(
            "Unable to resolve broadcastDomainRange '"
            + domain_range
            + "' to a supported value {Pod or Zone}"
        )
    net: dict[str, Any] = {
        "id": new_id(),
        "name": ctx.params["name"],
        "broadcastdomainrange": domain_range.upper(),
        "zoneid": zone["id"],
        "zonename": zone["name"],
        "state": "Disabled",
        "isolationmethods": ",".join(methods),
    }
    for key in ("vlan", "networkspeed", "domainid"):
        if ctx.get(key):
            net[key] = ctx.params[key]
    if tags:
        net["tags"] = ",".join(tags)
    net = ctx.store.insert("physicalnetwork", net)
    for name, services in DEFAULT_PROVIDERS:
        nsp = ctx.store.insert(
            "networkserviceprovider",
            {
                "id": new_id(),
                "name": name,
                "physicalnetworkid": net["id"],
                "destinationphysicalnetworkid": "0",
                "state": "Disabled",
                "canenableindividualservice": True,
                "servicelist": list(services),
            },
        )
        if name in ROUTER_PROVIDERS:
            ctx.store.insert(
                "virtualrouterelement",
                {
                    "id": new_id(),
                    "nspid": nsp["id"],
                    "enabled": False,
                    "account": "system",
                    "domainid": ROOT_DOMAIN_ID,
                    "domain": "ROOT",
                },
            )
    return {"physicalnetwork": net}


@command(
    "updatePhysicalNetwork",
    is_async=True,
    params=[
        Param("id", "uuid", required=True, entity="physicalnetwork"),
        Param("networkspeed"),
        Param("state"),
        Param("tags", "list"),
        Param("vlan"),
    ],
)
def update_physical_network(ctx: Ctx) -> dict[str, Any]:
    """Updates a physical network."""
    net = ctx.entity("physicalnetwork", ctx.params["id"])
    changes: dict[str, Any] = {}
    state = ctx.get("state")
    if state is not None:
        if state not in ("Enabled", "Disabled"):
            raise ctx.invalid(
                "Unable to resolve state '" + state + "' to a supported value {Enabled or Disabled}"
            )
        changes["state"] = state
    tags = ctx.get("tags")
    if tags is not None:
        if len(tags) > 1:
            raise ctx.invalid("Unable to support more than one tag on network yet")
        changes["tags"] = ",".join(tags)
    for key in ("vlan", "networkspeed"):
        if ctx.get(key) is not None:
            changes[key] = ctx.params[key]
    return {"physicalnetwork": ctx.store.update("physicalnetwork", net["id"], **changes)}


@command(
    "deletePhysicalNetwork",
    is_async=True,
    params=[Param("id", "uuid", required=True, entity="physicalnetwork")],
)
def delete_physical_network(ctx: Ctx) -> dict[str, Any]:
    """Deletes a physical network with its traffic types and providers."""
    net = ctx.entity("physicalnetwork", ctx.params["id"])
    if ctx.store.find("vlaniprange", physicalnetworkid=net["id"]):
        raise ctx.error(
            530,
            "The Physical Network is not deletable because there are IP ranges in use",
        )
    for nsp in ctx.store.find("networkserviceprovider", physicalnetworkid=net["id"]):
        for vre in ctx.store.find("virtualrouterelement", nspid=nsp["id"]):
            ctx.store.delete("virtualrouterelement", vre["id"])
        ctx.store.delete("networkserviceprovider", nsp["id"])
    for tt in ctx.store.find("traffictype", physicalnetworkid=net["id"]):
        ctx.store.delete("traffictype", tt["id"])
    ctx.store.delete("physicalnetwork", net["id"])
    return {"success": True}


@command(
    "listTrafficTypes",
    item="traffictype",
    params=[
        *_paging(),
        Param("physicalnetworkid", "uuid", required=True, entity="physicalnetwork"),
    ],
)
def list_traffic_types(ctx: Ctx) -> dict[str, Any]:
    """Lists traffic types of a physical network (without their network labels)."""
    return ctx.list_response("traffictype")


def _traffic_view(tt: dict[str, Any]) -> dict[str, Any]:
    """A traffic type as add/update return it: with its labels."""
    out = {k: v for k, v in tt.items() if not k.startswith("_")}
    out.update(tt.get("_labels", {}))
    return out


@command(
    "addTrafficType",
    is_async=True,
    params=[
        Param("hypervnetworklabel"),
        Param("isolationmethod"),
        Param("kvmnetworklabel"),
        Param("ovm3networklabel"),
        Param("physicalnetworkid", "uuid", required=True, entity="physicalnetwork"),
        Param("traffictype", required=True),
        Param("vlan"),
        Param("vmwarenetworklabel"),
        Param("xennetworklabel"),
    ],
)
def add_traffic_type(ctx: Ctx) -> dict[str, Any]:
    """Adds a traffic type to a physical network."""
    net = ctx.entity("physicalnetwork", ctx.params["physicalnetworkid"], "physicalnetworkid")
    wanted = ctx.params["traffictype"]
    match = [t for t in TRAFFIC_TYPES if t.lower() == wanted.lower()]
    if not match:
        raise ctx.invalid(f"Unable to resolve trafficType '{wanted}' to a supported value")
    ttype = match[0]
    if ctx.store.find("traffictype", physicalnetworkid=net["id"], traffictype=ttype):
        raise ctx.error(530, f"This physical network already supports the traffic type: {ttype}")
    others = [
        t
        for n in ctx.store.find("physicalnetwork", zoneid=net["zoneid"])
        if n["id"] != net["id"]
        for t in ctx.store.find("traffictype", physicalnetworkid=n["id"], traffictype=ttype)
    ]
    if others and ttype != "Guest":
        raise ctx.error(
            530,
            f"The traffic type {ttype} is already added to another physical network in the zone",
        )
    labels = {k: ctx.params[k] for k in LABELS if ctx.get(k)}
    tt = ctx.store.insert(
        "traffictype",
        {
            "id": new_id(),
            "traffictype": ttype,
            "physicalnetworkid": net["id"],
            "_labels": labels,
        },
    )
    return {"traffictype": _traffic_view(tt)}


@command(
    "updateTrafficType",
    is_async=True,
    params=[
        Param("hypervnetworklabel"),
        Param("id", "uuid", required=True, entity="traffictype"),
        Param("kvmnetworklabel"),
        Param("ovm3networklabel"),
        Param("vmwarenetworklabel"),
        Param("xennetworklabel"),
    ],
)
def update_traffic_type(ctx: Ctx) -> dict[str, Any]:
    """Updates the network labels of a traffic type."""
    tt = ctx.entity("traffictype", ctx.params["id"])
    labels = dict(tt.get("_labels", {}))
    labels.update({k: ctx.params[k] for k in LABELS if ctx.get(k) is not None})
    return {"traffictype": _traffic_view(ctx.store.update("traffictype", tt["id"], _labels=labels))}


@command(
    "deleteTrafficType",
    is_async=True,
    params=[Param("id", "uuid", required=True, entity="traffictype")],
)
def delete_traffic_type(ctx: Ctx) -> dict[str, Any]:
    """Deletes a traffic type."""
    tt = ctx.entity("traffictype", ctx.params["id"])
    ctx.store.delete("traffictype", tt["id"])
    return {"success": True}


@command(
    "listNetworkServiceProviders",
    item="networkserviceprovider",
    params=[
        *_paging(),
        Param("name"),
        Param("physicalnetworkid", "uuid", entity="physicalnetwork"),
        Param("state"),
    ],
)
def list_network_service_providers(ctx: Ctx) -> dict[str, Any]:
    """Lists network service providers."""
    return ctx.list_response("networkserviceprovider")


@command(
    "updateNetworkServiceProvider",
    is_async=True,
    params=[
        Param("id", "uuid", required=True, entity="networkserviceprovider"),
        Param("servicelist", "list"),
        Param("state"),
    ],
)
def update_network_service_provider(ctx: Ctx) -> dict[str, Any]:
    """Enables, disables or shuts down a provider, or changes its services."""
    nsp = ctx.entity("networkserviceprovider", ctx.params["id"])
    changes: dict[str, Any] = {}
    state = ctx.get("state")
    if state is not None:
        match = [s for s in NSP_STATES if s.lower() == state.lower()]
        if not match:
            raise ctx.invalid(
                "Unable to resolve state '" + state + "' to a supported value {Enabled or Disabled}"
            )
        if match[0] == "Enabled" and nsp["name"] in ROUTER_PROVIDERS:
            elements = ctx.store.find("virtualrouterelement", nspid=nsp["id"])
            if not any(e["enabled"] for e in elements):
                raise ApiError(
                    530,
                    "Provider is not ready, cannot Enable the provider, "
                    "please configure the provider first",
                )
        changes["state"] = match[0]
    if ctx.get("servicelist") is not None:
        changes["servicelist"] = ctx.params["servicelist"]
    return {
        "networkserviceprovider": ctx.store.update("networkserviceprovider", nsp["id"], **changes)
    }


@command(
    "listVirtualRouterElements",
    item="virtualrouterelement",
    params=[
        Param("enabled", "boolean"),
        Param("id", "uuid", entity="virtualrouterelement"),
        *_paging(),
        Param("nspid", "uuid", entity="networkserviceprovider"),
    ],
)
def list_virtual_router_elements(ctx: Ctx) -> dict[str, Any]:
    """Lists virtual router elements."""
    return ctx.list_response("virtualrouterelement")


@command(
    "configureVirtualRouterElement",
    is_async=True,
    params=[
        Param("enabled", "boolean", required=True),
        Param("id", "uuid", required=True, entity="virtualrouterelement"),
    ],
)
def configure_virtual_router_element(ctx: Ctx) -> dict[str, Any]:
    """Enables or disables a virtual router element."""
    vre = ctx.entity("virtualrouterelement", ctx.params["id"])
    updated = ctx.store.update("virtualrouterelement", vre["id"], enabled=ctx.params["enabled"])
    return {"virtualrouterelement": updated}
