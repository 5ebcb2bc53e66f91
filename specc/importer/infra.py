"""Zones back into a spec: physical networks, ranges, pods, clusters, hosts and storage.

The reverse of the zone part of :mod:`specc.graph.build`: each live item becomes the
spec entry that builds a resource of the same natural key with the same readable
fields, so planning the result against the same cloud changes nothing.

- Subnets (:class:`specc.importer.networks.Subnets`) come from the pods (role
  ``management``), storage network ranges (``storage``), public ranges (``public``)
  and shared networks and their ranges (``guest``): one per zone, role, network and
  gateway, named ``<zone>-<role>`` (``-2``, ``-3``... by network order when a zone has
  several of a role). The VLAN its ranges share goes on the subnet; a range
  with another VLAN says so itself.
- Shared networks and pod guest ranges: :mod:`specc.importer.networks`.
- Backends come from the pools and image stores through the backend plug-ins'
  ``from_pool`` / ``from_image_store``; equal ones are one backend, named
  ``<type>-<address>``.
- Host passwords are ``{env: <CLUSTER>_HOST_PASSWORD}``, a zone's vCenter's
  ``{env: <ZONE>_VCENTER_PASSWORD}``, a backend's secret ``{env: <BACKEND>_<WHAT>}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Network
from typing import Any, get_args

from specc.backends import BACKENDS
from specc.backends.base import ImportedBackend
from specc.cloud.kinds.base import Item, LiveIndex
from specc.cloud.kinds.normalise import norm_bool_false, norm_csv, norm_first, norm_vlan
from specc.cloud.state import LiveState
from specc.importer.doc import Note, env_name, resolve, secret
from specc.importer.doc import name_of as name_of  # re-exported: marvin imports it here
from specc.importer.doc import slug as slug  # re-exported: marvin imports it here
from specc.importer.networks import SharedNetworks, Subnets
from specc.spec.models import Provider
from specc.spec.placeholders import Unread

TRAFFIC_ORDER = ("Management", "Guest", "Public", "Storage")
LABELS = (
    ("kvm", "kvmnetworklabel"),
    ("vmware", "vmwarenetworklabel"),
    ("xenserver", "xennetworklabel"),
    ("hyperv", "hypervnetworklabel"),
)
TRAFFIC_VLAN_WHERE = (
    "listTrafficTypes does not return it: the zone's physical network, traffic type "
    "{traffic}, in the UI, or table physical_network_traffic_types.vlan"
)


@dataclass
class Backends:
    """The backends found so far, keyed by their type and fields (equal ones merge)."""

    found: dict[str, tuple[str, ImportedBackend]] = field(default_factory=dict)
    zones: dict[str, set[str]] = field(default_factory=dict)
    subnets: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, imported: ImportedBackend, zone: str) -> str:
        """The key of this backend (registered on first use)."""
        key = kind + "|" + repr(sorted((k, repr(v)) for k, v in imported.fields.items()))
        self.found.setdefault(key, (kind, imported))
        self.zones.setdefault(key, set()).add(zone)
        return key

    def names(self) -> dict[str, str]:
        """Backend key -> name ``<type>-<label>``, numbered when two share it."""
        out: dict[str, str] = {}
        seen: dict[str, int] = {}
        for key in sorted(self.found):
            kind, imported = self.found[key]
            base = f"{kind}-{slug(imported.label)}"
            seen[base] = seen.get(base, 0) + 1
            out[key] = base if seen[base] == 1 else f"{base}-{seen[base]}"
        return out

    def document(self, keys: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """The ``backends`` section (of *keys* only, when given), by name."""
        names = self.names()
        wanted = set(self.found if keys is None else keys)
        out = []
        for key in sorted(wanted, key=lambda k: names[k]):
            kind, imported = self.found[key]
            name = names[key]
            entry: dict[str, Any] = {"name": name, "type": kind}
            if key in self.subnets:
                entry["subnet"] = self.subnets[key]
            out.append({**entry, **resolve(dict(imported.fields), name)})
        return out


def _pool_backend(pool: Item) -> tuple[str, ImportedBackend] | None:
    for kind, plugin in BACKENDS.items():
        found = plugin.from_pool(pool)
        if found is not None:
            return kind, found
    return None


def _store_backend(store: Item) -> tuple[str, ImportedBackend] | None:
    for kind, plugin in BACKENDS.items():
        found = plugin.from_image_store(store)
        if found is not None:
            return kind, found
    return None


def _by_name(items: Iterable[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (str(i.get("name", "")), str(i.get("id", ""))))


class ZoneReader:
    """Turns the live items of the zones into the ``zones`` section.

    ``settings`` maps (scope, object id) to that object's own settings (filled by
    the caller from the scoped listings).
    """

    def __init__(
        self,
        live: LiveState,
        settings: Mapping[tuple[str, str], dict[str, Any]],
        skipped: list[str],
    ) -> None:
        self.live = live
        self.index = LiveIndex(live.resources)
        self.settings = settings
        self.skipped = skipped
        self.subnets = Subnets()
        self.networks = SharedNetworks.read(live, self.subnets, skipped, self.of)
        self.backends = Backends()
        self.zone_backends: dict[str, list[str]] = {}
        self.storage_cidrs: dict[str, list[str]] = {}
        self.outside: dict[str, list[tuple[str, str]]] = {}
        for sr in live.items("storagenetworkiprange"):
            pod = self.index.pod_key(sr.get("podid"))
            if pod is not None and sr.get("gateway") and sr.get("netmask"):
                net = str(IPv4Network(f"{sr['gateway']}/{sr['netmask']}", strict=False))
                cidrs = self.storage_cidrs.setdefault(pod[0], [])
                if net not in cidrs:
                    cidrs.append(net)
        self.children: dict[tuple[str, str], list[Item]] = {}
        for kind, items in live.resources.items():
            for item in items:
                for parent in (
                    "zoneid",
                    "_zoneid",
                    "podid",
                    "clusterid",
                    "physicalnetworkid",
                    "hostid",
                ):
                    if item.get(parent) is not None:
                        self.children.setdefault((kind, f"{parent}={item[parent]}"), []).append(
                            item
                        )

    def of(self, kind: str, parent: str, parent_id: Any) -> list[Item]:
        """The live *kind* items whose *parent* field is *parent_id*."""
        return self.children.get((kind, f"{parent}={parent_id}"), [])

    def zone(self, item: Item) -> dict[str, Any]:
        """One zone's spec entry."""
        name = str(item["name"])
        out: dict[str, Any] = {"name": name}
        if str(item.get("type", "")).lower() == "edge":
            out["type"] = "edge"
        if item.get("networktype", "Advanced") != "Advanced":
            out["network_type"] = item["networktype"]
        if norm_bool_false(item.get("securitygroupsenabled")) and "network_type" not in out:
            # listZones' securitygroupsenabled; always on in a Basic zone
            # (ConfigurationManagerImpl.createZone), where the spec leaves it out.
            out["security_groups"] = True
        out["dns"] = [item[k] for k in ("dns1", "dns2") if item.get(k)]
        out["internal_dns"] = [item[k] for k in ("internaldns1", "internaldns2") if item.get(k)]
        if item.get("guestcidraddress"):
            out["guest_cidr"] = item["guestcidraddress"]
        if item.get("domain"):
            out["network_domain"] = item["domain"]
        if norm_bool_false(item.get("localstorageenabled")):
            out["local_storage"] = True
        if item.get("allocationstate", "Enabled") != "Enabled":
            out["enabled"] = False
        for dc in self.of("vmwaredc", "_zoneid", item["id"])[:1]:
            out["vcenter"] = {
                "host": str(dc.get("vcenter", "")),
                "datacenter": str(dc.get("name", "")),
                "username": resolve(
                    Unread(
                        "vCenter user",
                        "listVmwareDcs does not return it: the vCenter account CloudStack uses",
                    ),
                    "",
                ),
                "password": secret(
                    env_name(name, "VCENTER_PASSWORD"), "the vCenter user's password (never listed)"
                ),
            }
        vmware = any(
            c.get("hypervisortype") == "VMware" for c in self.of("cluster", "zoneid", item["id"])
        )
        self.outside[name] = self._outside(name, item)
        for net, address in self.outside[name]:
            self.subnets.guess(name, net, address)
        pns = [self.physical_network(pn, vmware) for pn in self._pns(item)]
        if pns:
            out["physical_networks"] = pns
        ranges = [self.public_range(name, r) for r in self._public(item)]
        if ranges:
            out["public_ranges"] = ranges
        own = self.settings.get(("zone", str(item["id"]))) or {}
        shared = self.networks.zone(item, own)
        if shared:
            out["shared_networks"] = shared
        pods = [self.pod(item, p) for p in _by_name(self.of("pod", "zoneid", item["id"]))]
        if pods:
            out["pods"] = pods
        pools = [p for p in map(self.pool, self._pools(item)) if p is not None]
        if pools:
            out["primary_storage"] = pools
        stores = [s for s in map(self.store, self._stores(item)) if s is not None]
        if stores:
            out["secondary_storage"] = stores
        if own:
            out["settings"] = own
        return out

    def _pns(self, zone: Item) -> list[Item]:
        return _by_name(self.of("physicalnetwork", "zoneid", zone["id"]))

    def _public(self, zone: Item) -> list[Item]:
        items = [
            r
            for r in self.of("vlaniprange", "zoneid", zone["id"])
            if norm_bool_false(r.get("forvirtualnetwork")) and not r.get("podid")
        ]
        return sorted(items, key=lambda r: (str(r.get("startip")), str(r.get("endip"))))

    def _pools(self, zone: Item) -> list[Item]:
        return _by_name(
            p for p in self.of("storagepool", "zoneid", zone["id"]) if p.get("scope") != "HOST"
        )

    def _stores(self, zone: Item) -> list[Item]:
        return _by_name(self.of("imagestore", "zoneid", zone["id"]))

    def physical_network(self, pn: Item, vmware: bool) -> dict[str, Any]:
        """A physical network: isolation, VLAN ranges, tags, speed, traffic, providers."""
        out: dict[str, Any] = {"name": str(pn["name"])}
        isolation = str(pn.get("isolationmethods") or "VLAN").split(",")[0].strip()
        if isolation != "VLAN":
            out["isolation"] = isolation
        vlan = norm_csv(pn.get("vlan"))
        if vlan:
            out["vlan_ranges"] = [v for v in str(pn["vlan"]).split(",") if v.strip()]
        tags = norm_csv(pn.get("tags"))
        if tags:
            out["tags"] = tags.split(",")
        if pn.get("networkspeed"):
            out["speed"] = str(pn["networkspeed"])
        traffic = [
            t
            for t in self.of("traffictype", "physicalnetworkid", pn["id"])
            if (t.get("traffictype") or t.get("name")) in TRAFFIC_ORDER
        ]
        traffic.sort(key=lambda t: TRAFFIC_ORDER.index(t.get("traffictype") or t.get("name")))
        out["traffic"] = [self.traffic(t, vmware) for t in traffic] or [
            Note(
                {"type": "Management"},
                "listTrafficTypes lists none: the network carries no traffic yet",
            )
        ]
        known = get_args(Provider)
        enabled = {
            str(p["name"])
            for p in self.of("networkserviceprovider", "physicalnetworkid", pn["id"])
            if p.get("state") == "Enabled" and p.get("name") in known
        }
        providers = [p for p in known if p in enabled]
        if providers != ["VirtualRouter"]:
            out["providers"] = providers
        return out

    def traffic(self, item: Item, vmware: bool) -> dict[str, Any]:
        """A traffic type; its VLAN (never listed) a placeholder where it may matter."""
        kind = str(item.get("traffictype") or item.get("name"))
        out: dict[str, Any] = {"type": kind}
        labels = {spec: str(item[f]) for spec, f in LABELS if item.get(f)}
        if labels:
            out["labels"] = labels
        if kind == "Storage" or (kind == "Management" and vmware):
            where = TRAFFIC_VLAN_WHERE.format(traffic=kind)
            out["vlan"] = resolve(Unread(f"VLAN of {kind} traffic", where, optional=True), "")
        return out

    def public_range(self, zone: str, item: Item) -> dict[str, Any]:
        """A public IP range and its subnet."""
        vlan = norm_vlan(item.get("vlan"))
        key = self.subnets.use(zone, "public", item["gateway"], item["netmask"], vlan)
        return {"subnet": key, "start": item["startip"], "end": item["endip"], "_vlan": vlan}

    def pod(self, zone_item: Item, item: Item) -> dict[str, Any]:
        """A pod: its management subnet and range, storage range, guest ranges, clusters."""
        zone = str(zone_item["name"])
        key = self.subnets.use(zone, "management", item["gateway"], item["netmask"], None)
        out: dict[str, Any] = {
            "name": str(item["name"]),
            "subnet": key,
            "start_ip": norm_first(item.get("startip")),
            "end_ip": norm_first(item.get("endip")),
        }
        ranges = sorted(
            self.of("storagenetworkiprange", "podid", item["id"]),
            key=lambda r: (str(r.get("startip")), str(r.get("endip"))),
        )
        if ranges:
            sr = ranges[0]
            vlan = norm_vlan(sr.get("vlan"))
            skey = self.subnets.use(zone, "storage", sr["gateway"], sr["netmask"], vlan)
            out["storage_range"] = {
                "subnet": skey,
                "start": sr["startip"],
                "end": sr["endip"],
                "_vlan": vlan,
            }
            for extra in ranges[1:]:
                self.skipped.append(
                    f"storage range {extra.get('startip')}-{extra.get('endip')} of pod "
                    f"{zone}/{item['name']}: a spec pod has one storage range"
                )
        guest = self.networks.pod(zone, zone_item, item)
        if guest:
            out["guest_ranges"] = guest
        clusters = [self.cluster(c) for c in _by_name(self.of("cluster", "podid", item["id"]))]
        if clusters:
            out["clusters"] = clusters
        return out

    def cluster(self, item: Item) -> dict[str, Any]:
        """A cluster, its vCenter (VMware) and hosts (not VMware: vCenter adds those)."""
        name = str(item["name"])
        hypervisor = str(item.get("hypervisortype", ""))
        out: dict[str, Any] = {"name": name, "hypervisor": hypervisor}
        hosts = [
            self.host(h, name, hypervisor)
            for h in _by_name(self.of("host", "clusterid", item["id"]))
            if h.get("type", "Routing") == "Routing"
        ]
        if hosts:
            out["hosts"] = hosts
        own = self.settings.get(("cluster", str(item["id"])))
        if own:
            out["settings"] = own
        return out

    def host(self, item: Item, cluster: str, hypervisor: str) -> dict[str, Any]:
        """A hypervisor host: name, address, password reference, tags, HA.

        A VMware host (vCenter adds it) has its name and address only. Where the
        zone has a storage subnet, its storage address is a placeholder; a KVM
        host's OS family (for the host scripts) is one too.
        """
        name = name_of(str(item.get("name") or item.get("ipaddress")))
        out: dict[str, Any] = {
            "name": name,
            "address": str(item.get("ipaddress") or item.get("name")),
        }
        zone = str(self.index.zone_name(item) or "")
        storage = [n for n, _ in self.outside.get(zone, ())] + self.storage_cidrs.get(zone, [])
        if storage:
            out["storage_address"] = resolve(
                Unread(
                    f"storage address of host {name} in {' or '.join(storage)}",
                    "`ip -4 addr` on the host: its address on the storage network",
                    optional=True,
                ),
                "",
            )
        if hypervisor == "VMware":
            return out
        if hypervisor == "KVM":
            out["os"] = resolve(
                Unread(
                    "OS family: el7, el8, el9, debian or ubuntu",
                    "/etc/os-release on the host (listHosts does not return it)",
                ),
                "",
            )
        out["password"] = secret(
            env_name(cluster, "HOST_PASSWORD"), "the hosts' root password (addHost; never listed)"
        )
        tags = norm_csv(item.get("hosttags"))
        if tags:
            out["tags"] = tags.split(",")
        ha = [
            r
            for r in self.of("hostha", "hostid", item["id"])
            if norm_bool_false(r.get("haenable"))
            and str(r.get("haprovider", "")).lower() == "kvmhaprovider"
        ]
        if ha:
            out["ha"] = True
        return out

    def _outside(self, zone: str, item: Item) -> list[tuple[str, str]]:
        """The /24 around each address of the zone's pools' backends that lies in no
        management subnet of the zone (a SolidFire SVIP on its own network): hosts
        reach those over a storage address."""
        mgmt = [
            IPv4Network(f"{p['gateway']}/{p['netmask']}", strict=False)
            for p in self.of("pod", "zoneid", item["id"])
            if p.get("gateway") and p.get("netmask")
        ]
        out: list[tuple[str, str]] = []
        for pool in self.of("storagepool", "zoneid", item["id"]):
            found = _pool_backend(pool)
            for address in () if found is None else found[1].addresses:
                try:
                    ip = IPv4Network(address)
                except ValueError:
                    continue
                known = self.storage_cidrs.get(zone, [])
                if any(ip.subnet_of(n) for n in mgmt) or any(
                    ip.subnet_of(IPv4Network(n)) for n in known
                ):
                    continue
                net = str(IPv4Network(f"{address}/24", strict=False))
                if net not in [n for n, _ in out]:
                    out.append((net, address))
        return sorted(out)

    def pool(self, item: Item) -> dict[str, Any] | None:
        """A primary storage pool on its inferred backend."""
        found = _pool_backend(item)
        zone = self.index.zone_name(item) or ""
        if found is None:
            self.skipped.append(
                f"pool {zone}/{item.get('name')}: provider {item.get('provider')} type "
                f"{item.get('type')} is not one of specc's backends"
            )
            return None
        kind, imported = found
        key = self.backends.add(kind, imported, zone)
        out: dict[str, Any] = {"name": str(item["name"]), "backend": key}
        scope = str(item.get("scope", "")).lower()
        out["scope"] = scope
        if scope == "cluster":
            cluster = self.index.cluster_key(item.get("clusterid"))
            if cluster is not None:
                out["pod"], out["cluster"] = cluster[1], cluster[2]
        else:
            out["hypervisor"] = item.get("hypervisor") or "KVM"
        tags = norm_csv(item.get("tags"))
        if tags:
            out["tags"] = tags.split(",")
        plugin = BACKENDS[kind]
        if plugin.managed or plugin.storage_qos:
            size = item.get("capacitybytes") or item.get("disksizetotal")
            if size:
                out["capacity_bytes"] = int(size)
        if item.get("capacityiops"):
            out["capacity_iops"] = int(item["capacityiops"])
        own = self.settings.get(("storagepool", str(item["id"])))
        if own:
            out["settings"] = own
        return out

    def store(self, item: Item) -> dict[str, Any] | None:
        """An image store on its inferred backend."""
        found = _store_backend(item)
        zone = self.index.zone_name(item) or ""
        if found is None:
            self.skipped.append(
                f"image store {zone}/{item.get('name')}: provider {item.get('providername')} "
                "is not one of specc's backends"
            )
            return None
        kind, imported = found
        out: dict[str, Any] = {
            "name": str(item["name"]),
            "backend": self.backends.add(kind, imported, zone),
        }
        own = self.settings.get(("imagestore", str(item["id"])))
        if own:
            out["settings"] = own
        return out

    def finish(self, zones: list[dict[str, Any]]) -> None:
        """Replace subnet and backend keys by their names, and range VLANs by overrides."""
        subnets = self.subnets.names()
        backends = self.backends.names()
        for zone in zones:
            if "public_ranges" in zone:
                zone["public_ranges"] = [
                    self.subnets.finish(r, subnets) for r in zone["public_ranges"]
                ]
            self.networks.finish(zone, subnets)
            for pod in zone.get("pods", []):
                if "storage_range" in pod:
                    pod["storage_range"] = self.subnets.finish(pod["storage_range"], subnets)
                pod["subnet"] = subnets[pod["subnet"]]
            for entry in (*zone.get("primary_storage", []), *zone.get("secondary_storage", [])):
                self.zone_backends.setdefault(zone["name"], []).append(entry["backend"])
                entry["backend"] = backends[entry["backend"]]
        self.backends.subnets = self._backend_subnets(subnets)

    def _backend_subnets(self, names: Mapping[str, str]) -> dict[str, str]:
        """Backend key -> the storage subnet one of its addresses lies in (SPC317)."""
        out: dict[str, str] = {}
        storage = [
            (IPv4Network(key[2]), names["|".join(key)])
            for key in self.subnets.found
            if key[1] == "storage"
        ]
        for key, (_, imported) in self.backends.found.items():
            for address in imported.addresses:
                try:
                    ip = IPv4Network(address)
                except ValueError:
                    continue
                hit = next((n for net, n in storage if ip.subnet_of(net)), None)
                if hit is not None:
                    out[key] = hit
                    break
        return out
