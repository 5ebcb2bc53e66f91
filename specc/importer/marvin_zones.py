"""The network type of a Marvin zone, and what it makes of ``ipranges`` and guest ranges.

apache/cloudstack 4.18.2.5 ``tools/marvin/marvin/deployDataCenter.py``
``DeployDataCenters.createZones`` handles three kinds of zone after the physical
networks:

- a **pure Advanced** zone (``networktype`` Advanced, ``securitygroupenabled`` not
  ``"true"``): ``createPods`` without a network (a pod's ``guestIpRanges`` are
  ignored), then the zone's ``ipranges`` as public ranges (``createVlanIpRanges``,
  ``forvirtualnetwork=true``); ``networkofferingname`` is not used;
- a **Basic** zone: ``createNetworks`` makes ``guestNetworkForBasicZone`` (name and
  display text) of the offering ``zone.networkofferingname``, else
  ``DefaultSharedNetscalerEIPandELBNetworkOffering`` when the first physical network
  carries Public traffic, else ``DefaultSharedNetworkOfferingWithSGService``; then
  ``createPods(zone.pods, zoneId, networkid)`` adds each pod's ``guestIpRanges`` with
  ``createVlanIpRanges("Basic", ..., podId, networkId)`` (``podid``, ``networkid``,
  ``forvirtualnetwork=false``); the zone's ``ipranges`` are sent only in an EIP/ELB
  zone (``isEipElbZone``), as virtual ranges;
- an **Advanced zone with security groups**: ``createNetwork`` named and displayed
  ``Shared SG enabled network``, of ``zone.networkofferingname`` or
  ``DefaultSharedNetworkOfferingWithSGService``, with the start, end, gateway,
  netmask and VLAN of ``zone.ipranges.pop()``, the *last* range (the others are never
  sent); then ``createPods`` with the network, whose pod ``guestIpRanges`` the server
  refuses (``ConfigurationManagerImpl.createVlanAndPublicIpRange``: "Pod id can be
  specified only for the networks of type Guest in zone of type Basic").

``createZones`` sends ``guestcidraddress`` only when ``securitygroupenabled`` is not
``"true"``; ``ConfigurationManagerImpl.createZone`` refuses it in a Basic zone
("guestCidrAddress parameter is not supported for Basic zone") and turns security
groups on there itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

RANGE_KEYS = frozenset({"startip", "endip", "gateway", "netmask", "vlan"})
SG_OFFERING = "DefaultSharedNetworkOfferingWithSGService"
EIP_ELB_OFFERING = "DefaultSharedNetscalerEIPandELBNetworkOffering"
BASIC_NETWORK = "guestNetworkForBasicZone"
SG_NETWORK = "Shared SG enabled network"

Subnet = Callable[[str, str, Mapping[str, Any]], str]
"""``(zone, role, range) -> subnet name``: the converter's subnet of a range."""


@dataclass(frozen=True)
class ZoneKind:
    """Which of ``createZones``' three paths a zone takes."""

    basic: bool
    security_groups: bool

    @classmethod
    def of(cls, zone: Mapping[str, Any]) -> ZoneKind:
        """The kind of a zone's config (``securitygroupenabled`` compared as ``"true"``).

        >>> ZoneKind.of({"networktype": "Basic"}).pure_advanced
        False
        >>> ZoneKind.of({"networktype": "Advanced", "securitygroupenabled": "true"}).basic
        False
        """
        sg = str(zone.get("securitygroupenabled", "")).lower() == "true"
        return cls(basic=zone.get("networktype") == "Basic", security_groups=sg)

    @property
    def pure_advanced(self) -> bool:
        """``isPureAdvancedZone``: Advanced without security groups."""
        return not self.basic and not self.security_groups


def eip_elb(zone: Mapping[str, Any]) -> bool:
    """``isEipElbZone``: a Basic zone whose first physical network carries Public."""
    pns = zone.get("physical_networks") or [{}]
    return zone.get("networktype") == "Basic" and any(
        t.get("typ") == "Public" for t in pns[0].get("traffictypes") or []
    )


def unknown_keys(value: Mapping[str, Any], known: frozenset[str], at: str) -> list[str]:
    """A report line for each key of *value* that is not in *known*."""
    return [f"{at}.{key}: unknown key, not converted" for key in value if key not in known]


@dataclass(frozen=True)
class ZoneNetworks:
    """The spec entries a zone's network type gives, and what was not converted."""

    fields: dict[str, Any]
    skipped: tuple[str, ...]


def _range(subnet: str, rng: Mapping[str, Any], subnets: Mapping[str, Any]) -> dict[str, Any]:
    """A spec range in *subnet*, with its VLAN where it is not the subnet's."""
    made: dict[str, Any] = {"subnet": subnet, "start": rng["startip"], "end": rng["endip"]}
    vlan = str(rng.get("vlan") or "untagged")
    if vlan.lower() != "untagged" and str(subnets[subnet].get("vlan")) != vlan:
        made["vlan"] = int(vlan) if vlan.isdigit() else vlan
    return made


def zone_networks(
    zone: Mapping[str, Any], subnet: Subnet, subnets: Mapping[str, Any], at: str
) -> ZoneNetworks:
    """The zone-level fields of *zone*'s network type (``createZones``).

    ``security_groups``/``network_type``, ``guest_cidr``, ``public_ranges`` (pure
    Advanced) or ``shared_networks`` (Basic, Advanced with security groups).
    """
    kind = ZoneKind.of(zone)
    name = str(zone["name"])
    fields: dict[str, Any] = {}
    skipped: list[str] = []
    if kind.basic:
        fields["network_type"] = "Basic"
    elif kind.security_groups:
        fields["security_groups"] = True
    if zone.get("guestcidraddress"):
        if kind.pure_advanced:
            fields["guest_cidr"] = zone["guestcidraddress"]
        elif kind.security_groups:
            skipped.append(f"{at}.guestcidraddress: not sent with security groups (createZones)")
        else:
            skipped.append(f"{at}.guestcidraddress: a Basic zone has none (createZone refuses it)")
    offering = zone.get("networkofferingname")
    if offering and kind.pure_advanced:
        skipped.append(f"{at}.networkofferingname: createZones uses it in Basic and SG zones only")
    ranges = list(enumerate(zone.get("ipranges") or []))
    for i, rng in ranges:
        skipped += unknown_keys(rng, RANGE_KEYS, f"{at}.ipranges[{i}]")
    if kind.pure_advanced:
        public = [_range(subnet(name, "public", r), r, subnets) for _, r in ranges]
        if public:
            fields["public_ranges"] = public
    elif kind.basic:
        network: dict[str, Any] = {"name": BASIC_NETWORK}
        network["offering"] = offering or (EIP_ELB_OFFERING if eip_elb(zone) else SG_OFFERING)
        fields["shared_networks"] = [network]
        why = (
            "the public (EIP) ranges of a Basic zone are not in the spec"
            if eip_elb(zone)
            else "a Basic zone without Public traffic does not use them (createZones)"
        )
        skipped += [f"{at}.ipranges[{i}]: not converted ({why})" for i, _ in ranges]
    else:
        network = {"name": SG_NETWORK, "offering": offering or SG_OFFERING}
        if ranges:
            # createZones: ``iprange = ipranges.pop()``, the last range, and only it.
            *unused, (last_i, last) = ranges
            net_subnet = subnet(name, "guest", last)
            network["subnet"] = net_subnet
            network["ranges"] = [_range(net_subnet, last, subnets)]
            skipped += [
                f"{at}.ipranges[{i}]: not sent (createZones makes the shared network of "
                f"the last range, ipranges[{last_i}], only)"
                for i, _ in unused
            ]
        fields["shared_networks"] = [network]
    return ZoneNetworks(fields, tuple(skipped))


def pod_guest_ranges(
    zone: Mapping[str, Any],
    pod: Mapping[str, Any],
    subnet: Subnet,
    subnets: Mapping[str, Any],
    at: str,
) -> ZoneNetworks:
    """A pod's ``guestIpRanges``: its ``guest_ranges`` in a Basic zone (``createPods``)."""
    kind = ZoneKind.of(zone)
    made: list[dict[str, Any]] = []
    skipped: list[str] = []
    for i, rng in enumerate(pod.get("guestIpRanges") or []):
        where = f"{at}.guestIpRanges[{i}]"
        skipped += unknown_keys(rng, RANGE_KEYS, where)
        if kind.basic:
            made.append(_range(subnet(str(zone["name"]), "guest", rng), rng, subnets))
        elif kind.security_groups:
            skipped.append(
                f"{where}: not converted (the server refuses a pod range outside a Basic "
                "zone: ConfigurationManagerImpl.createVlanAndPublicIpRange)"
            )
        else:
            skipped.append(f"{where}: not converted (createPods ignores it without a network)")
    return ZoneNetworks({"guest_ranges": made} if made else {}, tuple(skipped))
