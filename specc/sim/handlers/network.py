"""Physical networks, traffic types, network service providers, virtual router elements."""

from __future__ import annotations

from typing import Any

from specc.sim.handlers import ApiError, Ctx, Param, command, internallb, new_id
from specc.sim.handlers.netutil import delete_by_id, paging_params, parse_vnets, vnet_string

# The server's TrafficType names (matched case-sensitively, as valueOf does).
TRAFFIC_TYPES = ("None", "Public", "Guest", "Storage", "Management", "Control", "Vpn")
# Traffic types a zone may carry on one physical network only.
ZONE_UNIQUE_TRAFFIC = ("Public", "Storage", "Management", "Control")
LABELS = (
    "hypervnetworklabel",
    "kvmnetworklabel",
    "ovm3networklabel",
    "vmwarenetworklabel",
    "xennetworklabel",
)
# NetworkServiceImpl.getDefaultXenNetworkLabel: the xen label a traffic type gets when
# addTrafficType names none. Control's is fixed; Public, Guest, Storage and Management
# take the Hidden xenserver.*.network.device settings, unset (null) by default.
DEFAULT_XEN_LABELS = {"Control": "cloud_link_local_network"}
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


@command(
    "listPhysicalNetworks",
    item="physicalnetwork",
    params=[
        Param("id", "uuid", entity="physicalnetwork"),
        Param("name"),
        Param("zoneid", "uuid", entity="zone"),
        *paging_params(),
    ],
)
def list_physical_networks(ctx: Ctx) -> dict[str, Any]:
    """Lists physical networks (``name`` and ``keyword`` match part of the name)."""
    name = ctx.get("name")
    return ctx.list_response(
        "physicalnetwork",
        skip=("name",),
        match=(lambda n: name.lower() in n["name"].lower()) if name else None,
    )


@command(
    "createPhysicalNetwork",
    is_async=True,
    creates_first=True,
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
    if zone["allocationstate"] == "Enabled":
        raise ctx.error(
            531,
            "Cannot create PhysicalNetwork since the Zone is currently enabled, "
            f"zone Id: {zone['id']}",
        )
    basic = zone["networktype"] == "Basic"
    if basic and ctx.store.find("physicalnetwork", zoneid=zone["id"]):
        raise ctx.error(
            530,
            f"Cannot add the physical network to basic zone id: {zone['id']}, "
            "there is a physical network already existing in this basic Zone",
        )
    tags = ctx.get("tags") or []
    if len(tags) > 1:
        raise ctx.invalid("Only one tag can be specified for a physical network at this time")
    methods = ctx.get("isolationmethods") or ["VLAN"]
    if len(methods) > 1:
        raise ctx.invalid(
            "Only one isolationMethod can be specified for a physical network at this time"
        )
    vnets = ctx.get("vlan")
    if vnets is not None and basic:
        raise ctx.invalid("Can't add vnet range to the physical network in the Basic zone")
    domain_range = (ctx.get("broadcastdomainrange") or ("POD" if basic else "ZONE")).upper()
    if domain_range not in ("ZONE", "POD"):
        raise ctx.invalid(
            f"Unable to resolve broadcastDomainRange '{ctx.get('broadcastdomainrange')}' "
            "to a supported value {Pod or Zone}"
        )
    if basic and domain_range != "POD":
        raise ctx.invalid("Basic zone can have broadcast domain type of value POD only")
    if not basic and domain_range != "ZONE":
        raise ctx.invalid("Advance zone can have broadcast domain type of value ZONE only")
    net: dict[str, Any] = {
        "id": new_id(),
        "name": ctx.params["name"],
        "broadcastdomainrange": domain_range,
        "zoneid": zone["id"],
        "zonename": zone["name"],
        "state": "Disabled",
        "isolationmethods": ",".join(methods),
    }
    if vnets:
        net["vlan"] = vnet_string(parse_vnets(vnets, methods[0]))
    for key in ("networkspeed", "domainid"):
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
        if name == internallb.PROVIDER:
            internallb.add_element(ctx, nsp)
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
    """Updates a physical network; ``vlan`` replaces the whole vnet range."""
    net = ctx.entity("physicalnetwork", ctx.params["id"])
    zone = ctx.store.get("zone", net["zoneid"]) or {}
    vnets = ctx.get("vlan")
    if vnets is not None and zone.get("networktype") == "Basic":
        raise ctx.invalid("Can't add vnet range to the physical network in the Basic zone")
    changes: dict[str, Any] = {}
    tags = ctx.get("tags")
    if tags is not None and len(tags) > 1:
        raise ctx.invalid("Unable to support more than one tag on network yet")
    state = ctx.get("state")
    if state:
        if state not in ("Enabled", "Disabled"):
            raise ctx.invalid(
                f"Unable to resolve state '{state}' to a supported value {{Enabled or Disabled}}"
            )
        changes["state"] = state
    if tags is not None:
        changes["tags"] = ",".join(tags) or None
    if ctx.get("networkspeed") is not None:
        changes["networkspeed"] = ctx.params["networkspeed"]
    if vnets is not None:
        changes["vlan"] = vnet_string(parse_vnets(vnets, net["isolationmethods"])) or None
    return {"physicalnetwork": ctx.store.update("physicalnetwork", net["id"], **changes)}


@command(
    "deletePhysicalNetwork",
    is_async=True,
    params=[Param("id", "uuid", required=True, entity="physicalnetwork")],
)
def delete_physical_network(ctx: Ctx) -> dict[str, Any]:
    """Deletes a physical network with its IP ranges, providers and traffic types."""
    net = ctx.entity("physicalnetwork", ctx.params["id"])
    for rng in ctx.store.find("vlaniprange", physicalnetworkid=net["id"]):
        ctx.store.delete("vlaniprange", rng["id"])
    for nsp in ctx.store.find("networkserviceprovider", physicalnetworkid=net["id"]):
        for vre in ctx.store.find("virtualrouterelement", nspid=nsp["id"]):
            ctx.store.delete("virtualrouterelement", vre["id"])
        for ilb in ctx.store.find("internalloadbalancerelement", nspid=nsp["id"]):
            ctx.store.delete("internalloadbalancerelement", ilb["id"])
        ctx.store.delete("networkserviceprovider", nsp["id"])
    for tt in ctx.store.find("traffictype", physicalnetworkid=net["id"]):
        ctx.store.delete("traffictype", tt["id"])
    ctx.store.delete("physicalnetwork", net["id"])
    return {"success": True}


@command(
    "listTrafficTypes",
    item="traffictype",
    params=[
        *paging_params(),
        Param("physicalnetworkid", "uuid", required=True, entity="physicalnetwork"),
    ],
)
def list_traffic_types(ctx: Ctx) -> dict[str, Any]:
    """Lists traffic types of a physical network, with their network labels.

    apache/cloudstack 4.18.2.5 ``ListTrafficTypesCmd.execute`` answers each with
    ``ApiResponseHelper.createTrafficTypeResponse``, which sets the xen, kvm, vmware,
    hyperv and ovm3 labels (``TrafficTypeResponse``; an unset label is left out). The
    listApis of the server says otherwise (its response lists the provider fields of
    ``ProviderResponse``, apache/cloudstack#7837): the command's code is what answers.
    """
    answer = ctx.list_response("traffictype")
    if "traffictype" in answer:
        answer["traffictype"] = [_traffic_view(tt) for tt in answer["traffictype"]]
    return answer


def _traffic_view(tt: dict[str, Any]) -> dict[str, Any]:
    """A traffic type as the server answers it: with its labels."""
    out = {k: v for k, v in tt.items() if not k.startswith("_")}
    out.update(tt.get("_labels", {}))
    return out


@command(
    "addTrafficType",
    is_async=True,
    creates_first=True,
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
    """Adds a traffic type to a physical network.

    apache/cloudstack 4.18.2.5 ``NetworkServiceImpl.addTrafficTypeToPhysicalNetwork``:
    the labels are stored as given; a missing xen label takes its default
    (``getDefaultXenNetworkLabel``).
    """
    net = ctx.entity("physicalnetwork", ctx.params["physicalnetworkid"], "physicalnetworkid")
    ttype = ctx.params["traffictype"]
    if ttype not in TRAFFIC_TYPES:
        raise ctx.invalid(f"Unable to resolve trafficType '{ttype}' to a supported value")
    if ctx.store.find("traffictype", physicalnetworkid=net["id"], traffictype=ttype):
        raise ctx.error(530, f"This physical network already supports the traffic type: {ttype}")
    in_zone = [
        n
        for n in ctx.store.find("physicalnetwork", zoneid=net["zoneid"])
        if ctx.store.find("traffictype", physicalnetworkid=n["id"], traffictype=ttype)
    ]
    if in_zone and ttype in ZONE_UNIQUE_TRAFFIC:
        raise ctx.error(
            530,
            "Fail to add the traffic type to physical network because Zone already has a "
            f"physical network with this traffic type: {ttype}",
        )
    if not net.get("tags") and any(not n.get("tags") for n in in_zone):
        raise ctx.error(
            530, f"There are more than 1 physical network without tags in the zone: {net['zoneid']}"
        )
    labels = {k: ctx.params[k] for k in LABELS if ctx.get(k)}
    if "xennetworklabel" not in labels and ttype in DEFAULT_XEN_LABELS:
        labels["xennetworklabel"] = DEFAULT_XEN_LABELS[ttype]
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
    """Updates the network labels of a traffic type.

    apache/cloudstack 4.18.2.5 ``NetworkServiceImpl.updatePhysicalNetworkTrafficType``:
    a label given replaces the stored one, ``""`` clears it, one left out stays.
    """
    tt = ctx.entity("traffictype", ctx.params["id"])
    labels = dict(tt.get("_labels", {}))
    for key in LABELS:
        value = ctx.get(key)
        if value == "":  # an empty label clears it
            labels.pop(key, None)
        elif value is not None:
            labels[key] = value
    return {"traffictype": _traffic_view(ctx.store.update("traffictype", tt["id"], _labels=labels))}


@command(
    "deleteTrafficType",
    is_async=True,
    params=[Param("id", "uuid", required=True, entity="traffictype")],
)
def delete_traffic_type(ctx: Ctx) -> dict[str, Any]:
    """Deletes a traffic type."""
    return delete_by_id(ctx, "traffictype")


@command(
    "listNetworkServiceProviders",
    item="networkserviceprovider",
    params=[
        *paging_params(),
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
    """Enables, disables or shuts down a provider, or changes its services.

    Enabling needs the provider's element ready (apache/cloudstack 4.18.2.5
    ``NetworkServiceImpl.updateNetworkServiceProvider``: ``element.isReady``): an enabled
    virtual router element for VirtualRouter/VpcVirtualRouter
    (``VirtualRouterElement.isReady``), an enabled internal LB element for InternalLbVm
    (``InternalLoadBalancerElement.isReady``).
    """
    nsp = ctx.entity("networkserviceprovider", ctx.params["id"])
    changes: dict[str, Any] = {}
    state = ctx.get("state")
    if state:
        if state not in NSP_STATES:
            raise ctx.invalid(
                f"Unable to resolve state '{state}' to a supported value {{Enabled or Disabled}}"
            )
        if state == "Shutdown":
            raise ctx.invalid("Updating the provider state to 'Shutdown' is not supported")
        ready = True
        if state == "Enabled" and nsp["name"] in ROUTER_PROVIDERS:
            elements = ctx.store.find("virtualrouterelement", nspid=nsp["id"])
            ready = any(e["enabled"] for e in elements)
        elif state == "Enabled" and nsp["name"] == internallb.PROVIDER:
            ready = internallb.is_ready(ctx, nsp)
        if not ready:
            raise ApiError(
                530,
                "Provider is not ready, cannot Enable the provider, "
                "please configure the provider first",
            )
        changes["state"] = state
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
        *paging_params(),
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
