"""Subnets, shared guest networks and their IP ranges back into a spec.

The reverse of :meth:`specc.graph.build.DesiredBuilder.shared_network` and
``guest_range``: each live shared network (``listNetworks type=Shared``, kind
``network``) becomes a ``shared_networks[]`` entry of its zone, each of its IP ranges
(``listVlanIpRanges``, ``forvirtualnetwork`` false, ``networkid`` the network's) a
``ranges[]`` entry of the network, or, when the range has a ``podid`` (a Basic zone's
pod range: ``ConfigurationManagerImpl.createVlanAndPublicIpRange`` takes a pod only
there, apache/cloudstack 4.18.2.5 and 4.22.1.0), a ``guest_ranges[]`` entry of its pod.
The fields come from ``NetworkResponse`` (``networkofferingname``, ``displaytext``,
``gateway``, ``netmask``, ``vlan``, ``networkdomain``, ``physicalnetworkid``) and
``VlanIpRangeResponse`` (``networkid``, ``podid``, ``forvirtualnetwork``, ``gateway``,
``netmask``, ``vlan``, ``startip``, ``endip``), both filled by
``ApiResponseHelper.createNetworkResponse`` / ``createVlanIpRangeResponse`` at both
releases.

A network's gateway and netmask, and its ranges', make a subnet of role ``guest``
(:class:`Subnets`, named ``<zone>-guest``, ``-2``... by network order), with the VLAN
they share; a network or range on another VLAN says so itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import Any

from specc.cloud.kinds.base import Item
from specc.cloud.kinds.normalise import norm_bool_false, norm_vlan
from specc.cloud.state import LiveState
from specc.importer.doc import name_of, resolve
from specc.spec.placeholders import Unread

ROLE_SHORT = {"management": "mgmt", "storage": "storage", "public": "public", "guest": "guest"}
DEFAULT_OFFERING = "DefaultSharedNetworkOfferingWithSGService"
SUFFIX_SETTING = "guest.domain.suffix"
SUFFIX_DEFAULT = "cloud.internal"
"""``NetworkOrchestrationService.GuestDomainSuffix`` (4.18.2.5 / 4.22.1.0), zone scoped."""

Children = Callable[[str, str, Any], list[Item]]
"""``(kind, parent field, parent id) -> the live items of that parent``."""


@dataclass
class Subnets:
    """The subnets found so far: (zone, role, network, gateway) -> (name, vlan)."""

    found: dict[tuple[str, str, str, str], dict[str, Any]] = field(default_factory=dict)
    guessed: set[tuple[str, str, str, str]] = field(default_factory=set)

    def guess(self, zone: str, net: str, address: str) -> None:
        """A storage subnet known only by an address in it: its CIDR is a placeholder."""
        key = (zone, "storage", net, "")
        self.found.setdefault(key, {"vlans": [None], "address": address})
        self.guessed.add(key)

    def use(self, zone: str, role: str, gateway: str, netmask: str, vlan: str | None) -> str:
        """The key of the subnet of a range; registers it on first use."""
        net = str(IPv4Network(f"{gateway}/{netmask}", strict=False))
        key = (zone, role, net, gateway)
        entry = self.found.setdefault(key, {"vlans": []})
        entry["vlans"].append(vlan)
        return "|".join(key)

    def names(self) -> dict[str, str]:
        """Subnet key -> its name: ``<zone>-<role>``, numbered when a zone has several."""
        out: dict[str, str] = {}
        groups: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {}
        for key in self.found:
            groups.setdefault(key[:2], []).append(key)
        for (zone, role), keys in groups.items():
            keys.sort(key=lambda k: (IPv4Network(k[2]), k[3]))
            for i, key in enumerate(keys):
                base = f"{name_of(zone)}-{ROLE_SHORT[role]}"
                out["|".join(key)] = base if i == 0 else f"{base}-{i + 1}"
        return out

    def vlan(self, key: str) -> str | None:
        """The subnet's VLAN: its ranges' common VLAN, else none (each range says its own)."""
        vlans = self.found[tuple(key.split("|"))]["vlans"]  # type: ignore[index]
        return vlans[0] if len(set(vlans)) == 1 else None

    def finish(self, entry: dict[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
        """*entry* (a range or a shared network) with its subnet key replaced by the name
        and its ``_vlan`` by a ``vlan`` where it is not the subnet's, in the same place."""
        key = entry["subnet"]
        vlan = entry.get("_vlan")
        out: dict[str, Any] = {}
        for k, v in entry.items():
            if k == "subnet":
                out[k] = names[key]
            elif k != "_vlan":
                out[k] = v
            elif vlan is not None and vlan != self.vlan(key):
                out["vlan"] = int(vlan) if str(vlan).isdigit() else vlan
        return out

    def document(self) -> list[dict[str, Any]]:
        """The ``subnets`` section, by name."""
        names = self.names()
        out = []
        for key, _ in sorted(self.found.items(), key=lambda kv: names["|".join(kv[0])]):
            text = "|".join(key)
            entry: dict[str, Any] = {"name": names[text], "cidr": key[2], "role": key[1]}
            if key in self.guessed:
                address = self.found[key]["address"]
                entry["cidr"] = resolve(
                    Unread(
                        f"network of {address}, e.g. {key[2]}",
                        f"the storage network {address} is on (listed by no API call)",
                    ),
                    "",
                )
            else:
                entry["gateway"] = key[3]
            vlan = self.vlan(text)
            if vlan is not None:
                entry["vlan"] = int(vlan) if vlan.isdigit() else vlan
            out.append(entry)
        return out


def _by_start(items: Iterable[Item]) -> list[Item]:
    def key(item: Item) -> tuple[int, int, str]:
        try:
            start = int(IPv4Address(str(item.get("startip"))))
            end = int(IPv4Address(str(item.get("endip"))))
        except ValueError:
            start = end = -1
        return start, end, str(item.get("startip"))

    return sorted(items, key=key)


def derived_domain(value: str, zone_domain: Any, inherited: str | None, suffix: str) -> bool:
    """Whether *value* is the network domain the server gives a network created without one.

    ``NetworkOrchestrator.createGuestNetwork`` (4.18.2.5 / 4.22.1.0), for an offering whose
    DNS provider allows a suffix (the virtual router's does): the network's domain's
    (or a parent's) network domain (``NetworkModelImpl.getDomainNetworkDomain``), else
    the zone's, else ``"cs" + Long.toHexString(owner id) + guest.domain.suffix``.

    >>> derived_domain("cs2cloud.internal", None, None, "cloud.internal")
    True
    >>> derived_domain("lab.example", None, "lab.example", "cloud.internal")
    True
    >>> derived_domain("zone.example", "zone.example", "lab.example", "cloud.internal")
    False
    """
    expected = inherited or zone_domain
    if expected:
        return bool(value == expected)
    return re.fullmatch(r"cs[0-9a-f]+" + re.escape(suffix), value) is not None


@dataclass(frozen=True)
class SharedNetworks:
    """The shared networks of the live cloud and their guest ranges, by zone and pod.

    ``suffix``: the global ``guest.domain.suffix``; ``ranges``: network id -> its IP
    ranges (``forvirtualnetwork`` false).
    """

    subnets: Subnets
    skipped: list[str]
    of: Children
    suffix: str
    ranges: Mapping[str, list[Item]]
    domains: Mapping[str, tuple[str | None, str | None]]

    @classmethod
    def read(
        cls, live: LiveState, subnets: Subnets, skipped: list[str], of: Children
    ) -> SharedNetworks:
        """The shared networks of *live*; *of* lists a parent's live items."""
        suffix = SUFFIX_DEFAULT
        for item in live.items("configuration"):
            if item.get("name") == SUFFIX_SETTING and item.get("scope") in (None, "", "global"):
                suffix = str(item.get("value") or SUFFIX_DEFAULT)
        ranges: dict[str, list[Item]] = {}
        for rng in live.items("vlaniprange"):
            if not norm_bool_false(rng.get("forvirtualnetwork")) and rng.get("networkid"):
                ranges.setdefault(str(rng["networkid"]), []).append(rng)
        domains = {
            str(d["id"]): (
                None if d.get("parentdomainid") is None else str(d["parentdomainid"]),
                None if not d.get("networkdomain") else str(d["networkdomain"]),
            )
            for d in live.items("domain")
            if d.get("id") is not None
        }
        return cls(subnets, skipped, of, suffix, ranges, domains)

    def zone(self, zone: Item, own: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The ``shared_networks`` of *zone* (*own*: its own settings), by name."""
        name = str(zone["name"])
        nets = sorted(
            (n for n in self.of("network", "zoneid", zone["id"]) if n.get("type") == "Shared"),
            key=lambda n: (str(n.get("name")), str(n.get("id"))),
        )
        ids = {str(n.get("id")) for n in nets}
        for rng in _by_start(self.of("vlaniprange", "zoneid", zone["id"])):
            if not norm_bool_false(rng.get("forvirtualnetwork")) and (
                str(rng.get("networkid")) not in ids
            ):
                self.skipped.append(
                    f"IP range {name}/{rng.get('startip')}-{rng.get('endip')}: not of a shared "
                    f"network (networkid {rng.get('networkid')}); a spec range is public or a "
                    "shared network's"
                )
        guest = self._guest_pns(zone)
        out = []
        for net in nets:
            entry = self.network(name, zone, net, guest, own)
            if entry is not None:
                out.append(entry)
        return out

    def _guest_pns(self, zone: Item) -> list[Item]:
        """The zone's physical networks with Guest traffic, in the import's order (by name)."""
        pns = sorted(
            self.of("physicalnetwork", "zoneid", zone["id"]),
            key=lambda i: (str(i.get("name", "")), str(i.get("id", ""))),
        )
        return [
            pn
            for pn in pns
            if any(
                (t.get("traffictype") or t.get("name")) == "Guest"
                for t in self.of("traffictype", "physicalnetworkid", pn["id"])
            )
        ]

    def network(
        self,
        zone_name: str,
        zone: Item,
        net: Item,
        guest: list[Item],
        own: Mapping[str, Any],
    ) -> dict[str, Any] | None:
        """One shared network and its zone-wide ranges; None (and a note) when the spec
        cannot say it: an Advanced zone's network without an IPv4 gateway and netmask."""
        name = str(net["name"])
        basic = zone.get("networktype") == "Basic"
        out: dict[str, Any] = {"name": name}
        if net.get("displaytext") and net["displaytext"] != name:
            out["display_text"] = str(net["displaytext"])
        out["offering"] = str(net.get("networkofferingname") or DEFAULT_OFFERING)
        pn = next((p for p in guest if p.get("id") == net.get("physicalnetworkid")), None)
        if pn is not None and (len(guest) > 1 or pn is not guest[0]):
            out["physical_network"] = str(pn["name"])
        vlan = norm_vlan(net.get("vlan"))
        if net.get("gateway") and net.get("netmask"):
            out["subnet"] = self.subnets.use(
                zone_name, "guest", str(net["gateway"]), str(net["netmask"]), vlan
            )
            out["_vlan"] = vlan
        elif not basic:
            self.skipped.append(
                f"shared network {zone_name}/{name}: listNetworks gives no IPv4 gateway and "
                "netmask; a shared network of an Advanced zone is built from a guest subnet"
            )
            return None
        value = net.get("networkdomain")
        inherited = self._domain_network_domain(net.get("domainid"))
        suffix = str(own.get(SUFFIX_SETTING, self.suffix))
        if value and not derived_domain(str(value), zone.get("domain"), inherited, suffix):
            out["network_domain"] = str(value)
        ranges = [
            self.guest_range(zone_name, r)
            for r in _by_start(self.ranges.get(str(net["id"]), []))
            if not r.get("podid")
        ]
        if ranges:
            out["ranges"] = ranges
        return out

    def _domain_network_domain(self, domain_id: Any) -> str | None:
        """The network domain of *domain_id* or its nearest parent with one
        (``NetworkModelImpl.getDomainNetworkDomain``)."""
        at = None if domain_id is None else str(domain_id)
        seen: set[str] = set()
        while at is not None and at in self.domains and at not in seen:
            seen.add(at)
            parent, own = self.domains[at]
            if own is not None:
                return own
            at = parent
        return None

    def pod(self, zone_name: str, zone: Item, pod: Item) -> list[dict[str, Any]]:
        """A Basic zone pod's guest ranges (its ranges with a ``podid``)."""
        ids = {
            str(n.get("id"))
            for n in self.of("network", "zoneid", zone["id"])
            if n.get("type") == "Shared"
        }
        return [
            self.guest_range(zone_name, r)
            for r in _by_start(self.of("vlaniprange", "podid", pod["id"]))
            if not norm_bool_false(r.get("forvirtualnetwork")) and str(r.get("networkid")) in ids
        ]

    def guest_range(self, zone_name: str, rng: Item) -> dict[str, Any]:
        """An IP range of a shared network, in its guest subnet."""
        vlan = norm_vlan(rng.get("vlan"))
        key = self.subnets.use(zone_name, "guest", rng["gateway"], rng["netmask"], vlan)
        return {"subnet": key, "start": rng["startip"], "end": rng["endip"], "_vlan": vlan}

    def finish(self, zone: dict[str, Any], names: Mapping[str, str]) -> None:
        """Replace the subnet keys of *zone*'s networks and guest ranges by their names."""
        nets = []
        for net in zone.get("shared_networks", []):
            if "subnet" in net:
                net = self.subnets.finish(net, names)
            if "ranges" in net:
                net["ranges"] = [self.subnets.finish(r, names) for r in net["ranges"]]
            nets.append(net)
        if nets:
            zone["shared_networks"] = nets
        for pod in zone.get("pods", []):
            if "guest_ranges" in pod:
                pod["guest_ranges"] = [self.subnets.finish(r, names) for r in pod["guest_ranges"]]
