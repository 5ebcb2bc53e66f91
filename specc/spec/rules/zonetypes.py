"""Basic zones, security-group zones and shared guest networks (SPC47x).

What the management server refuses, or what cannot work, when a zone is Basic, has
security groups, or carries shared guest networks. Each rule names the
apache/cloudstack 4.18.2.5 / 4.22.1.0 method that decides it:

- ``NetworkServiceImpl.createPhysicalNetwork``: one physical network in a Basic zone,
  no vnet range there, the broadcast domain range POD (Basic) or ZONE (Advanced);
- ``ConfigurationManagerImpl.createZone``: no guest CIDR and no edge for Basic;
- ``ConfigurationManagerImpl.createVlanAndPublicIpRange``: no virtual (public) range
  in an Advanced zone with security groups;
- ``NetworkServiceImpl.createGuestNetwork`` / ``NetworkOrchestrator.createGuestNetwork``:
  one untagged guest network in a Basic zone;
- ``NetworkServiceImpl.checkForPhysicalNetworksWithoutTag``: one untagged physical
  network per traffic type in a zone;
- ``NetworkOrchestrator.implementNetworkElements``: a network's providers must be
  enabled on its physical network;
- ``UserVmManagerImpl.createBasicSecurityGroupVirtualMachine`` (and the Advanced one):
  "Security group feature is not supported for vmWare hypervisor".
"""

from __future__ import annotations

from collections.abc import Iterator

from specc.errors import Severity
from specc.spec.models import PhysicalNetwork, Spec, Zone
from specc.spec.rules import Finding, JsonPath, Rule

E = Severity.ERROR
W = Severity.WARNING

SG_OFFERING = "DefaultSharedNetworkOfferingWithSGService"


def security_groups(zone: Zone) -> bool:
    """Whether *zone* has security groups: always in Basic (``createZone`` forces it)."""
    return zone.network_type == "Basic" or zone.security_groups


def guest_network(zone: Zone, name: str | None) -> tuple[int, PhysicalNetwork] | None:
    """The physical network a shared network lands on: named, or the zone's first Guest."""
    for ni, net in enumerate(zone.physical_networks):
        if name is not None and net.name == name:
            return ni, net
        if name is None and any(t.type == "Guest" for t in net.traffic):
            return ni, net
    return None


def basic_physical_network(spec: Spec) -> Iterator[Finding]:
    """SPC470: a Basic zone has one physical network, without guest VLAN ranges.

    ``NetworkServiceImpl.createPhysicalNetwork``: "there is a physical network already
    existing in this basic Zone", "Can't add vnet range to the physical network in the
    Basic zone".
    """
    for zi, zone in enumerate(spec.zones):
        if zone.network_type != "Basic":
            continue
        for ni, net in enumerate(zone.physical_networks):
            if ni > 0:
                yield Finding(
                    "SPC470",
                    E,
                    ("zones", zi, "physical_networks", ni, "name"),
                    f"Basic zone '{zone.name}' has a second physical network '{net.name}'",
                    "A Basic zone takes one physical network; carry every traffic type on it.",
                )
            if net.vlan_ranges:
                yield Finding(
                    "SPC470",
                    E,
                    ("zones", zi, "physical_networks", ni, "vlan_ranges"),
                    f"physical network '{net.name}' of Basic zone '{zone.name}' has VLAN ranges",
                    "Remove vlan_ranges: a Basic zone has no guest VLANs.",
                )


def broadcast_domain_range(spec: Spec) -> Iterator[Finding]:
    """SPC471: the broadcast domain range is POD in a Basic zone, ZONE in an Advanced one.

    ``NetworkServiceImpl.createPhysicalNetwork``: "Basic zone can have broadcast domain
    type of value POD only", "Advance zone can have broadcast domain type of value ZONE
    only".
    """
    for zi, zone in enumerate(spec.zones):
        allowed = "POD" if zone.network_type == "Basic" else "ZONE"
        for ni, net in enumerate(zone.physical_networks):
            if net.broadcast_domain_range not in (None, allowed):
                yield Finding(
                    "SPC471",
                    E,
                    ("zones", zi, "physical_networks", ni, "broadcast_domain_range"),
                    f"physical network '{net.name}' of {zone.network_type} zone '{zone.name}' "
                    f"has broadcast domain range {net.broadcast_domain_range}",
                    f"A {zone.network_type} zone takes {allowed} only (or leave it out).",
                )


def basic_zone_fields(spec: Spec) -> Iterator[Finding]:
    """SPC472: a Basic zone has no guest CIDR, is not an edge zone, has no public ranges
    and no zone-wide shared ranges; an Advanced zone has no pod guest ranges.

    ``ConfigurationManagerImpl.createZone``: "guestCidrAddress parameter is not supported
    for Basic zone", "Only advanced network type zones can be edge zones". A Basic
    zone's guest addresses are its pods' (deployDataCenter ``createPods`` adds them with
    ``createVlanIpRange podid=.. forvirtualnetwork=false``); an Advanced zone's shared
    ranges are zone-wide (``createVlanAndPublicIpRange`` with the network).
    """
    for zi, zone in enumerate(spec.zones):
        at: JsonPath = ("zones", zi)
        if zone.network_type == "Basic":
            bad: list[tuple[str, bool, str]] = [
                ("guest_cidr", zone.guest_cidr is not None, "a guest CIDR"),
                ("type", zone.type == "edge", "type edge"),
                ("public_ranges", bool(zone.public_ranges), "public ranges"),
            ]
            for field, present, what in bad:
                if present:
                    yield Finding(
                        "SPC472",
                        E,
                        (*at, field),
                        f"Basic zone '{zone.name}' has {what}",
                        "A Basic zone has none: its guest addresses are the pods' guest_ranges.",
                    )
            for si, net in enumerate(zone.shared_networks):
                if net.ranges or net.vlan is not None:
                    yield Finding(
                        "SPC472",
                        E,
                        (*at, "shared_networks", si, "ranges" if net.ranges else "vlan"),
                        f"shared network '{net.name}' of Basic zone '{zone.name}' has "
                        "zone-wide ranges or a VLAN",
                        "In a Basic zone the network is untagged and its ranges are the "
                        "pods' guest_ranges.",
                    )
        else:
            for pi, pod in enumerate(zone.pods):
                if pod.guest_ranges:
                    yield Finding(
                        "SPC472",
                        E,
                        (*at, "pods", pi, "guest_ranges"),
                        f"pod '{pod.name}' of Advanced zone '{zone.name}' has guest ranges",
                        "In an Advanced zone, put the ranges on a shared network "
                        "(shared_networks[].ranges).",
                    )


def basic_shared_network(spec: Spec) -> Iterator[Finding]:
    """SPC473: a Basic zone with pod guest ranges has exactly one shared network.

    ``NetworkServiceImpl.createGuestNetwork`` refuses a second ("Can't have more than one
    Guest network in zone with network type Basic"); without one, the pods' guest ranges
    have no network to go to.
    """
    for zi, zone in enumerate(spec.zones):
        if zone.network_type != "Basic":
            continue
        count = len(zone.shared_networks)
        if count > 1:
            yield Finding(
                "SPC473",
                E,
                ("zones", zi, "shared_networks", 1, "name"),
                f"Basic zone '{zone.name}' has {count} shared networks",
                "A Basic zone has one guest network.",
            )
        if count == 0 and any(p.guest_ranges for p in zone.pods):
            yield Finding(
                "SPC473",
                E,
                ("zones", zi, "pods"),
                f"Basic zone '{zone.name}' has pod guest ranges but no shared network",
                f"Add one shared network (offering {SG_OFFERING}).",
            )


def sg_zone_public(spec: Spec) -> Iterator[Finding]:
    """SPC474: an Advanced zone with security groups has no public ranges.

    ``ConfigurationManagerImpl.createVlanAndPublicIpRange``: "Can't add virtual ip range
    into a zone with security group enabled"; its addresses are its shared networks'.
    """
    for zi, zone in enumerate(spec.zones):
        if zone.network_type == "Advanced" and zone.security_groups and zone.public_ranges:
            yield Finding(
                "SPC474",
                E,
                ("zones", zi, "public_ranges"),
                f"zone '{zone.name}' has security groups and public ranges",
                "Put the addresses on a shared network (shared_networks[].ranges).",
            )


def shared_network_refs(spec: Spec) -> Iterator[Finding]:
    """SPC475: a shared network names a physical network of its zone with Guest traffic,
    and (in an Advanced zone) a guest subnet, with its ranges inside that subnet.

    ``NetworkServiceImpl.createGuestNetwork`` places the network on a physical network
    with Guest traffic (``NetworkModelImpl.findPhysicalNetworkId``). specc creates the
    network with its subnet's gateway and netmask and sends every range with them
    (``ConfigurationManagerImpl.createVlanAndPublicIpRange``: one VLAN and one subnet
    per shared network, "there is already one vlan ... on network"), so a range in
    another subnet is refused.
    """
    subnets = {s.name: s for s in spec.subnets}
    for zi, zone in enumerate(spec.zones):
        for si, net in enumerate(zone.shared_networks):
            at: JsonPath = ("zones", zi, "shared_networks", si)
            found = guest_network(zone, net.physical_network)
            if found is None or not any(t.type == "Guest" for t in found[1].traffic):
                which = f"'{net.physical_network}'" if net.physical_network else "with Guest"
                yield Finding(
                    "SPC475",
                    E,
                    (*at, "physical_network" if net.physical_network else "name"),
                    f"shared network '{net.name}' of zone '{zone.name}' has no physical "
                    f"network {which} traffic",
                    "Name a physical network of the zone that carries Guest traffic.",
                )
            if zone.network_type == "Basic":
                continue
            if net.subnet is not None and net.subnet not in subnets:
                continue  # SPC221
            subnet = subnets.get(net.subnet or "")
            if subnet is None or subnet.role != "guest":
                yield Finding(
                    "SPC475",
                    E,
                    (*at, "subnet"),
                    f"shared network '{net.name}' of zone '{zone.name}' names no guest subnet",
                    "Set subnet to a subnet of role guest: it gives the gateway and netmask.",
                )
                continue
            for ri, rng in enumerate(net.ranges):
                if rng.subnet != subnet.name:
                    yield Finding(
                        "SPC475",
                        E,
                        (*at, "ranges", ri, "subnet"),
                        f"range {rng.start}-{rng.end} of shared network '{net.name}' is in "
                        f"subnet '{rng.subnet}', not the network's '{subnet.name}'",
                        "A shared network's ranges lie in its own subnet.",
                    )


def untagged_physical_networks(spec: Spec) -> Iterator[Finding]:
    """SPC476: two physical networks of a zone carrying Guest traffic need tags.

    ``NetworkServiceImpl.checkForPhysicalNetworksWithoutTag`` (from
    ``addTrafficTypeToPhysicalNetwork``): "There are more than 1 physical network without
    tags in the zone".
    """
    for zi, zone in enumerate(spec.zones):
        seen: dict[str, str] = {}
        for ni, net in enumerate(zone.physical_networks):
            if net.tags:
                continue
            for traffic in net.traffic:
                if traffic.type != "Guest":
                    continue  # the others are on one physical network only (SPC398)
                other = seen.get(traffic.type)
                if other is not None and other != net.name:  # SPC209: a name twice
                    yield Finding(
                        "SPC476",
                        E,
                        ("zones", zi, "physical_networks", ni, "tags"),
                        f"physical networks '{other}' and '{net.name}' of zone '{zone.name}' "
                        f"both carry {traffic.type} traffic without a tag",
                        "Give each physical network a tag (tags: [name]).",
                    )
                    break
                seen[traffic.type] = net.name


def sg_provider(spec: Spec) -> Iterator[Finding]:
    """SPC477: a shared network's providers are enabled on its physical network (warning).

    The default shared offerings use VirtualRouter (Dhcp, Dns, UserData) and, with
    security groups, SecurityGroupProvider (``ConfigurationServerImpl
    .createDefaultNetworkOfferings``); ``NetworkOrchestrator.implementNetworkElements``
    refuses to start the network otherwise ("Service provider ... either doesn't exist
    or is not enabled in physical network").
    """
    for zi, zone in enumerate(spec.zones):
        for net in zone.shared_networks:
            found = guest_network(zone, net.physical_network)
            if found is None:
                continue
            ni, pnet = found
            needed = ["VirtualRouter"]
            if "SG" in net.offering or net.offering.endswith("WithSGService"):
                needed.append("SecurityGroupProvider")
            missing = [p for p in needed if p not in pnet.providers]
            if missing:
                yield Finding(
                    "SPC477",
                    W,
                    ("zones", zi, "physical_networks", ni, "providers"),
                    f"shared network '{net.name}' uses {', '.join(missing)}, which physical "
                    f"network '{pnet.name}' does not enable",
                    f"Add {', '.join(missing)} to the physical network's providers.",
                )


def sg_vmware(spec: Spec) -> Iterator[Finding]:
    """SPC478: no VMware cluster in a zone with security groups (warning).

    ``UserVmManagerImpl.createBasicSecurityGroupVirtualMachine`` and
    ``createAdvancedSecurityGroupVirtualMachine``: "Security group feature is not
    supported for vmWare hypervisor": no instance can start there.
    """
    for zi, zone in enumerate(spec.zones):
        if not security_groups(zone):
            continue
        for pi, pod in enumerate(zone.pods):
            for ci, cluster in enumerate(pod.clusters):
                if cluster.hypervisor == "VMware":
                    yield Finding(
                        "SPC478",
                        W,
                        ("zones", zi, "pods", pi, "clusters", ci, "hypervisor"),
                        f"VMware cluster '{cluster.name}' is in zone '{zone.name}', which has "
                        "security groups",
                        "Use KVM or XenServer in a security-group zone.",
                    )


RULES: tuple[Rule, ...] = (
    basic_physical_network,
    broadcast_domain_range,
    basic_zone_fields,
    basic_shared_network,
    sg_zone_public,
    shared_network_refs,
    untagged_physical_networks,
    sg_provider,
    sg_vmware,
)
