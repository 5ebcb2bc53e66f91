"""Pods, storage network IP ranges and VLAN IP ranges."""

from __future__ import annotations

import ipaddress
from typing import Any

from specc.sim.handlers import Ctx, Param, command, fields_since, new_id
from specc.sim.handlers.netutil import delete_by_id, paging_params

fields_since("pod", {"storageaccessgroups": "4.22", "zonestorageaccessgroups": "4.22"})

# (kind, field naming the pod, what the server says when one exists), in its order.
POD_DEPENDENTS = (
    ("host", "podid", "there are servers in this pod."),
    ("cluster", "podid", "there are clusters in this pod."),
)
ALLOCATION_STATES = ("Enabled", "Disabled")
ROOT_DOMAIN_ID = "d3d1d5a8-0000-4000-8000-000000000003"


def _ip(value: str | None) -> ipaddress.IPv4Address | None:
    try:
        return ipaddress.IPv4Address(value or "")
    except ValueError:
        return None


def _network(
    ctx: Ctx, gateway: str | None, netmask: str | None, what: str
) -> ipaddress.IPv4Network:
    """The subnet of *gateway*/*netmask*; *what* names the thing in the server's texts."""
    try:
        net = ipaddress.IPv4Network(f"{gateway}/{netmask}", strict=False)
    except ValueError:
        raise ctx.invalid(f"Please enter a valid CIDR for {what}") from None
    if _ip(gateway) is None:
        raise ctx.invalid("The gateway is not a valid IP address.")
    return net


def _check_range(
    ctx: Ctx, net: ipaddress.IPv4Network | None, start: str, end: str | None
) -> tuple[ipaddress.IPv4Address, ipaddress.IPv4Address]:
    """The server's checkIpRange: valid addresses, inside *net* (when given), ordered."""
    first = _ip(start)
    if first is None:
        raise ctx.invalid("The start address of the IP range is not a valid IP address.")
    last = _ip(end) if end else first
    if last is None:
        raise ctx.invalid("The end address of the IP range is not a valid IP address.")
    if net is not None and first not in net:
        raise ctx.invalid("The start address of the IP range is not in the CIDR subnet.")
    if net is not None and last not in net:
        raise ctx.invalid("The end address of the IP range is not in the CIDR subnet.")
    if int(last) < int(first):
        raise ctx.invalid("The start IP address must have a lower value than the end IP address.")
    return first, last


def _cidr_end(net: ipaddress.IPv4Network | None) -> str | None:
    """The end IP createPod defaults to: the last usable address of the pod's CIDR.

    apache/cloudstack 4.18.2.5 ``ConfigurationManagerImpl.createPod``: "endIp is an
    optional parameter; if not specified - default it to the end ip of the pod's cidr"
    (``NetUtils.getIpRangeEndIpFromCidr``: the broadcast address minus one).

    >>> _cidr_end(ipaddress.IPv4Network("10.100.10.0/24"))
    '10.100.10.254'
    """
    return None if net is None else str(net.broadcast_address - 1)


def _pod_range(
    ctx: Ctx,
    net: ipaddress.IPv4Network | None,
    gateway: str | None,
    start: str,
    end: str | None,
) -> dict[str, Any]:
    """A pod's IP range fields, checked as the server does (inside *net*, gateway outside)."""
    first, last = _check_range(ctx, net, start, end)
    if int(first) <= int(_ip(gateway) or 0) <= int(last):
        raise ctx.invalid("The gateway shouldn't overlap start/end ip addresses")
    return {
        "startip": [str(first)],
        "endip": [str(last)],
        "forsystemvms": ["0"],
        "vlanid": [""],
        "ipranges": [
            {"startip": str(first), "endip": str(last), "forsystemvms": "0", "vlanid": ""}
        ],
    }


def _span(item: dict[str, Any]) -> tuple[int, int] | None:
    first, last = _ip(item.get("startip")), _ip(item.get("endip"))
    return None if first is None or last is None else (int(first), int(last))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


@command(
    "listPods",
    item="pod",
    params=[
        Param("allocationstate"),
        Param("id", "uuid", entity="pod"),
        *paging_params(),
        Param("name"),
        Param("showcapacities", "boolean"),
        Param("storageaccessgroup", since="4.22"),
        Param("zoneid", "uuid", entity="zone"),
    ],
)
def list_pods(ctx: Ctx) -> dict[str, Any]:
    """Lists pods."""
    return ctx.list_response(
        "pod", fields={"storageaccessgroup": "storageaccessgroups"}, skip=("showcapacities",)
    )


@command(
    "createPod",
    params=[
        Param("allocationstate"),
        Param("endip"),
        Param("gateway"),
        Param("name", required=True),
        Param("netmask"),
        Param("startip"),
        Param("storageaccessgroups", "list", since="4.22"),
        Param("zoneid", "uuid", required=True, entity="zone"),
    ],
)
def create_pod(ctx: Ctx) -> dict[str, Any]:
    """Creates a pod in a zone (without ``endip`` its range ends where :func:`_cidr_end` says)."""
    zone = ctx.entity("zone", ctx.params["zoneid"], "zoneid")
    name = ctx.params["name"]
    if ctx.store.find("pod", zoneid=zone["id"], name=name):
        raise ctx.invalid(
            f"A pod with name: {name} already exists in zone {zone['id']}. "
            "Please specify a different pod name. "
        )
    gateway, netmask, start = ctx.get("gateway"), ctx.get("netmask"), ctx.get("startip")
    net = None
    if zone.get("type") != "Edge" or gateway or netmask:
        net = _network(ctx, gateway, netmask, f"pod: {name}")
    state = ctx.get("allocationstate") or "Enabled"
    if state not in ALLOCATION_STATES:
        raise ctx.invalid(f"Unable to resolve Allocation State '{state}' to a supported state")
    pod: dict[str, Any] = {
        "id": new_id(),
        "name": name,
        "zoneid": zone["id"],
        "zonename": zone["name"],
        "gateway": gateway,
        "netmask": netmask,
        "allocationstate": state,
        "hasannotations": False,
    }
    if start:
        pod.update(_pod_range(ctx, net, gateway, start, ctx.get("endip") or _cidr_end(net)))
    if ctx.get("storageaccessgroups"):
        pod["storageaccessgroups"] = ",".join(ctx.params["storageaccessgroups"])
    return {"pod": ctx.store.insert("pod", pod)}


@command(
    "updatePod",
    params=[
        Param("allocationstate"),
        Param("endip"),
        Param("gateway"),
        Param("id", "uuid", required=True, entity="pod"),
        Param("name"),
        Param("netmask"),
        Param("startip"),
    ],
)
def update_pod(ctx: Ctx) -> dict[str, Any]:
    """Updates a pod."""
    pod = ctx.entity("pod", ctx.params["id"])
    changes: dict[str, Any] = {}
    name = ctx.get("name")
    if name and name != pod["name"] and ctx.store.find("pod", zoneid=pod["zoneid"], name=name):
        raise ctx.invalid(
            f"A pod with name: {name} already exists in zone {pod['zoneid']}. "
            "Please specify a different pod name. "
        )
    if name:
        changes["name"] = name
    state = ctx.get("allocationstate")
    if state is not None:
        if state not in ALLOCATION_STATES:
            raise ctx.invalid(f"Unable to resolve Allocation State '{state}' to a supported state")
        changes["allocationstate"] = state
    gateway = ctx.get("gateway") or pod.get("gateway")
    netmask = ctx.get("netmask") or pod.get("netmask")
    net = _network(ctx, gateway, netmask, f"pod: {name or pod['name']}")
    changes.update(gateway=gateway, netmask=netmask)
    if ctx.get("startip") or ctx.get("endip"):
        start = ctx.get("startip") or (pod.get("startip") or [""])[0]
        end = ctx.get("endip") or (pod.get("endip") or [None])[0]
        changes.update(_pod_range(ctx, net, gateway, start, end))
    return {"pod": ctx.store.update("pod", pod["id"], **changes)}


@command("deletePod", params=[Param("id", "uuid", required=True, entity="pod")])
def delete_pod(ctx: Ctx) -> dict[str, Any]:
    """Deletes a pod, with its VLAN and storage network IP ranges."""
    pod = ctx.entity("pod", ctx.params["id"])
    for kind, key, why in POD_DEPENDENTS:
        if ctx.store.find(kind, **{key: pod["id"]}):
            raise ctx.error(530, f"The pod cannot be deleted because {why}")
    for kind in ("storagenetworkiprange", "vlaniprange"):
        for rng in ctx.store.find(kind, podid=pod["id"]):
            ctx.store.delete(kind, rng["id"])
    ctx.store.delete("pod", pod["id"])
    return {"success": True}


@command(
    "listStorageNetworkIpRange",
    item="storagenetworkiprange",
    params=[
        Param("id", "uuid", entity="storagenetworkiprange"),
        *paging_params(),
        Param("podid", "uuid", entity="pod"),
        Param("zoneid", "uuid", entity="zone"),
    ],
)
def list_storage_network_ip_range(ctx: Ctx) -> dict[str, Any]:
    """Lists storage network IP ranges."""
    return ctx.list_response("storagenetworkiprange")


@command(
    "createStorageNetworkIpRange",
    is_async=True,
    params=[
        Param("endip"),
        Param("gateway", required=True),
        Param("netmask", required=True),
        Param("podid", "uuid", required=True, entity="pod"),
        Param("startip", required=True),
        Param("vlan", "integer"),
    ],
)
def create_storage_network_ip_range(ctx: Ctx) -> dict[str, Any]:
    """Creates a storage network IP range for a pod's system VMs.

    As on the server, the range is not checked against the gateway's subnet; it
    may not overlap the pod's management range or another range of the pod.
    """
    pod = ctx.entity("pod", ctx.params["podid"], "podid")
    netmask = ctx.params["netmask"]
    try:
        ipaddress.IPv4Network(f"0.0.0.0/{netmask}")
    except ValueError:
        raise ctx.error(530, f"Invalid netmask:{netmask}") from None
    first, last = _check_range(ctx, None, ctx.params["startip"], ctx.get("endip"))
    span = (int(first), int(last))
    managed = _span(
        {"startip": (pod.get("startip") or [""])[0], "endip": (pod.get("endip") or [""])[0]}
    )
    if managed is not None and _overlaps(span, managed):
        raise ctx.invalid(
            "The Storage network Start IP and endIP address range overlap with private IP :"
            f"{pod['startip'][0]}:{pod['endip'][0]}"
        )
    for other in ctx.store.find("storagenetworkiprange", podid=pod["id"]):
        have = _span(other)
        if have is not None and _overlaps(span, have):
            raise ctx.invalid(
                "The Storage network Start IP and endIP address range overlap with private IP :"
                f"{other['startip']} - {other['endip']}"
            )
    rng: dict[str, Any] = {
        "id": new_id(),
        "podid": pod["id"],
        "zoneid": pod["zoneid"],
        "networkid": _system_network_id(ctx, pod["zoneid"], "storage"),
        "gateway": ctx.params["gateway"],
        "netmask": netmask,
        "startip": str(first),
        "endip": str(last),
    }
    if ctx.get("vlan") is not None:
        rng["vlan"] = ctx.params["vlan"]
    return {"storagenetworkiprange": ctx.store.insert("storagenetworkiprange", rng)}


def _system_network_id(ctx: Ctx, zone_id: str, traffic: str) -> str:
    """The id of the zone's system *traffic* network ("storage" or "public"), made once per
    zone and kept in the zone's ``_<traffic>networkid``."""
    key = f"_{traffic}networkid"
    zone = ctx.store.get("zone", zone_id) or {}
    net_id = zone.get(key)
    if net_id is None:
        net_id = new_id()
        ctx.store.update("zone", zone_id, **{key: net_id})
    return str(net_id)


@command(
    "deleteStorageNetworkIpRange",
    is_async=True,
    params=[Param("id", "uuid", required=True, entity="storagenetworkiprange")],
)
def delete_storage_network_ip_range(ctx: Ctx) -> dict[str, Any]:
    """Deletes a storage network IP range."""
    return delete_by_id(ctx, "storagenetworkiprange")


@command(
    "listVlanIpRanges",
    item="vlaniprange",
    params=[
        Param("account"),
        Param("domainid", "uuid"),
        Param("forvirtualnetwork", "boolean"),
        Param("id", "uuid", entity="vlaniprange"),
        *paging_params(),
        Param("networkid", "uuid"),
        Param("physicalnetworkid", "uuid", entity="physicalnetwork"),
        Param("podid", "uuid", entity="pod"),
        Param("projectid", "uuid"),
        Param("vlan"),
        Param("zoneid", "uuid", entity="zone"),
    ],
)
def list_vlan_ip_ranges(ctx: Ctx) -> dict[str, Any]:
    """Lists VLAN IP ranges."""
    vlan = ctx.get("vlan")
    return ctx.list_response(
        "vlaniprange",
        skip=("vlan",),
        match=(lambda r: _vlan_uri(vlan) == r.get("vlan")) if vlan else None,
    )


def _vlan_uri(vlan: str | None) -> str:
    """``100`` -> ``vlan://100``; none or ``untagged`` -> ``vlan://untagged``.

    >>> _vlan_uri("100"), _vlan_uri(None)
    ('vlan://100', 'vlan://untagged')
    """
    if not vlan or vlan.lower() in ("untagged", "vlan://untagged"):
        return "vlan://untagged"
    return vlan if vlan.startswith("vlan://") else f"vlan://{vlan}"


@command(
    "createVlanIpRange",
    params=[
        Param("account"),
        Param("domainid", "uuid"),
        Param("endip"),
        Param("endipv6"),
        Param("forsystemvms", "boolean"),
        Param("forvirtualnetwork", "boolean"),
        Param("gateway"),
        Param("ip6cidr"),
        Param("ip6gateway"),
        Param("netmask"),
        Param("networkid", "uuid"),
        Param("physicalnetworkid", "uuid", entity="physicalnetwork"),
        Param("podid", "uuid", entity="pod"),
        Param("projectid", "uuid"),
        Param("provider", since="4.22"),
        Param("startip"),
        Param("startipv6"),
        Param("vlan"),
        Param("zoneid", "uuid", entity="zone"),
    ],
)
def create_vlan_ip_range(ctx: Ctx) -> dict[str, Any]:
    """Creates a VLAN IP range (public addresses of a zone, or a shared network's range).

    apache/cloudstack 4.18.2.5 ``ConfigurationManagerImpl.createVlanAndPublicIpRange``
    (the command's overload): a network given (``networkid``) sets the zone and the
    physical network, whatever ``zoneid`` and ``physicalnetworkid`` say; else the
    physical network is the given one, else the zone's Public one for a virtual range,
    or its Guest one for a direct range in a Basic or security-group zone; a virtual
    range is refused in an Advanced zone with security groups; a direct range needs a
    shared guest network.
    """
    zone_id = ctx.get("zoneid")
    pod = ctx.store.get("pod", ctx.get("podid")) if ctx.get("podid") else None
    network = ctx.entity("network", ctx.params["networkid"]) if ctx.get("networkid") else None
    if network is not None:  # the network's zone, whatever zoneid says (as the server)
        zone_id = network["zoneid"]
    if zone_id is None and pod is not None:
        zone_id = pod["zoneid"]
    if zone_id is None:
        raise ctx.invalid("Please specify a valid zone.")
    zone = ctx.entity("zone", zone_id, "zoneid")
    virtual = bool(ctx.get("forvirtualnetwork", True))
    if virtual and zone.get("securitygroupsenabled") and zone["networktype"] != "Basic":
        raise ctx.invalid("Can't add virtual ip range into a zone with security group enabled")
    if not virtual and network is not None and network.get("type") != "Shared":
        raise ctx.invalid(
            f"Can't create direct vlan for network id={network['id']} with type: "
            f"{network.get('type')}"
        )
    phys_id = ctx.get("physicalnetworkid")
    if network is not None:
        phys_id = network.get("physicalnetworkid")
    if phys_id is None and not virtual:
        guest = [
            n
            for n in ctx.store.find("physicalnetwork", zoneid=zone["id"])
            if ctx.store.find("traffictype", physicalnetworkid=n["id"], traffictype="Guest")
        ]
        if zone["networktype"] == "Advanced" and not zone.get("securitygroupsenabled"):
            raise ctx.invalid(
                "Physical Network Id is null, please provide the Network id for Direct "
                "vlan creation "
            )
        phys_id = guest[0]["id"] if guest else None
    if phys_id is None:
        nets = ctx.store.find("physicalnetwork", zoneid=zone["id"])
        public = [
            n
            for n in nets
            if ctx.store.find("traffictype", physicalnetworkid=n["id"], traffictype="Public")
        ]
        if zone["networktype"] == "Advanced" and not public:
            raise ctx.invalid(
                "Unable to find physical network which has Public traffic type "
                f"in zone {zone['name']}"
            )
        phys_id = (public or nets or [{"id": None}])[0]["id"]
    gateway, netmask, start = ctx.get("gateway"), ctx.get("netmask"), ctx.get("startip")
    if not (gateway and netmask and start):
        raise ctx.invalid("Please specify gateway, netmask and start IP for the IPv4 range")
    net = _network(ctx, gateway, netmask, "the IP range")
    first, last = _check_range(ctx, net, start, ctx.get("endip"))
    if int(first) <= int(_ip(gateway) or 0) <= int(last):
        raise ctx.invalid("The gateway shouldn't overlap start/end ip addresses")
    vlan = _vlan_uri(_guest_vlan(ctx, network))
    _check_zone_overlap(ctx, zone, vlan, net, gateway, netmask, (int(first), int(last)))
    rng: dict[str, Any] = {
        "id": new_id(),
        "forvirtualnetwork": virtual,
        "zoneid": zone["id"],
        "vlan": vlan,
        "gateway": gateway,
        "netmask": netmask,
        "cidr": str(net),
        "startip": str(first),
        "endip": str(last),
        "forsystemvms": bool(ctx.get("forsystemvms", False)),
        "networkid": ctx.get("networkid") or _system_network_id(ctx, zone["id"], "public"),
        "domainid": ctx.get("domainid") or ROOT_DOMAIN_ID,
        "domain": "ROOT",
    }
    if phys_id:
        rng["physicalnetworkid"] = phys_id
    if pod is not None:
        rng.update(podid=pod["id"], podname=pod["name"])
    if ctx.get("account"):
        rng["account"] = ctx.params["account"]
    return {"vlan": ctx.store.insert("vlaniprange", rng)}


def _guest_vlan(ctx: Ctx, network: dict[str, Any] | None) -> str | None:
    """The VLAN of a range: the given one; on a guest network, the network's when none is
    given, and a given one must be the network's (apache/cloudstack 4.18.2.5 and 4.22.1.0
    ``ConfigurationManagerImpl.createVlanAndPublicIpRange``: "if vlan is missing, default
    it to the guest network's vlan", "Vlan doesn't match vlan of the network")."""
    given: str | None = ctx.get("vlan")
    if network is None or network.get("traffictype") != "Guest":
        return given
    uri = str(network.get("broadcasturi") or "")
    own = uri.split("vlan://", 1)[1] if uri.startswith("vlan://") else None
    if own is None:
        return given
    if given and _vlan_uri(given) != _vlan_uri(own):
        raise ctx.invalid("Vlan doesn't match vlan of the network")
    return given or own


def _check_zone_overlap(
    ctx: Ctx,
    zone: dict[str, Any],
    vlan: str,
    net: ipaddress.IPv4Network,
    gateway: str,
    netmask: str,
    span: tuple[int, int],
) -> None:
    """The server's checks of a new range against the zone's ranges in overlapping subnets.

    In the same VLAN a range may extend another (same gateway and netmask, other
    addresses); in another VLAN the subnets may not overlap at all.
    """
    for other in ctx.store.find("vlaniprange", zoneid=zone["id"]):
        try:
            other_net = ipaddress.IPv4Network(
                f"{other['gateway']}/{other['netmask']}", strict=False
            )
        except (KeyError, ValueError):
            continue
        if not net.overlaps(other_net):
            continue
        if vlan == other.get("vlan") or "untagged" in vlan:
            if gateway != other["gateway"] or netmask != other["netmask"]:
                raise ctx.invalid(
                    f"The IP range has already been added with gateway {other['gateway']} "
                    f",and netmask {other['netmask']}, Please specify the gateway/netmask if you "
                    "want to extend ip range"
                )
            have = _span(other)
            if have is not None and _overlaps(span, have):
                raise ctx.invalid(
                    "The IP range already has IPs that overlap with the new range. "
                    "Please specify a different start IP/end IP."
                )
        else:
            raise ctx.invalid(
                f"The IP range with tag: {other.get('vlan')} in zone {zone['name']} "
                "has overlapped with the subnet. Please specify a different gateway/netmask."
            )


@command("deleteVlanIpRange", params=[Param("id", "uuid", required=True, entity="vlaniprange")])
def delete_vlan_ip_range(ctx: Ctx) -> dict[str, Any]:
    """Deletes a VLAN IP range."""
    return delete_by_id(ctx, "vlaniprange")
