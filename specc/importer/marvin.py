"""``specc convert marvin``: a Marvin deployment config (JSON) to a spec document.

The config is read as Marvin's ``configGenerator.getSetupConfig`` reads it: lines
whose first non-blank character is ``#`` are dropped (the upstream files carry the
licence that way), the rest is JSON. Each value is mapped the way apache/cloudstack
4.18.2.5 ``tools/marvin/marvin/deployDataCenter.py`` sends it:

- ``createZones``: ``dns1/2``, ``internaldns1/2``, ``name``, ``networktype``,
  ``securitygroupenabled``, ``domain``, ``localstorageenabled``,
  ``guestcidraddress`` (not with security groups); ``createPhysicalNetwork``:
  ``name``, ``isolationmethods``, ``tags`` (not ``broadcastdomainrange``: the server
  sets it by zone type), then ``updatePhysicalNetwork vlan=``; ``addTrafficType``:
  ``typ`` and the labels ``kvm``, ``xen``, ``vmware``; ``configureProviders``: enables
  ``VirtualRouter``, ``VpcVirtualRouter``, ``InternalLbVm``, ``SecurityGroupProvider``;
- by the zone's network type (:mod:`specc.importer.marvin_zones`): the zone's
  ``ipranges`` as public ranges, or the shared guest network a Basic or
  security-group zone gets (``createNetworks`` / ``createNetwork``), and a Basic
  pod's ``guestIpRanges`` (``createVlanIpRanges`` with ``podid`` and ``networkid``);
- ``createPods``, ``createClusters``, ``addHosts`` (``url``, ``username``,
  ``password``, ``hosttags``), ``createPrimaryStorages`` (a cluster's, or the zone's
  with ``scope: zone`` and ``hypervisor``), ``createSecondaryStorages`` (named by the
  server after its URL: ``StorageManagerImpl.discoverImageStore``);
- ``updateConfiguration`` for each ``globalConfig`` entry.

A pool's or store's URL becomes a backend through the plug-ins' ``from_pool`` /
``from_image_store``, given the item the server would list for that URL
(``CloudStackPrimaryDataStoreLifeCycleImpl.initialize``: scheme -> pool type,
host, path). Passwords in the config are not copied: they become ``{env: NAME}``
references. A Simulator host's address is a placeholder (the mock agent draws it).
What is not converted is reported with its JSON path: unknown keys, known sections
the spec has no place for (``dbSvr``, ``mgtSvr``, ``logger``, network devices, cache
storage), and values deployDataCenter does not send or the server refuses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import IPv4Network
from typing import Any, get_args
from urllib.parse import unquote, urlsplit

from specc.backends import BACKENDS
from specc.backends.base import ImportedBackend
from specc.importer.catalog import typed
from specc.importer.doc import Note, dump, env_name, resolve, secret
from specc.importer.infra import LABELS, TRAFFIC_ORDER, name_of, slug
from specc.importer.marvin_zones import pod_guest_ranges, zone_networks
from specc.spec.models import Provider
from specc.spec.placeholders import placeholder

IGNORED = {
    "dbSvr": "the management server's database: not part of a spec",
    "mgtSvr": "the management server Marvin talks to: pass it with --profile instead",
    "logger": "Marvin's log settings",
    "TestData": "Marvin's test data",
    "s3": "S3 secondary storage (configureS3) is not a spec backend",
}
ZONE_KEYS = frozenset(
    {
        "name",
        "dns1",
        "dns2",
        "internaldns1",
        "internaldns2",
        "networktype",
        "domain",
        "guestcidraddress",
        "localstorageenabled",
        "securitygroupenabled",
        "physical_networks",
        "ipranges",
        "pods",
        "primaryStorages",
        "secondaryStorages",
        "cacheStorages",
        "vmwaredc",
        "enabled",
        "details",
        "networkofferingname",
        "tungstenprovider",
    }
)
PN_KEYS = frozenset(
    {"name", "isolationmethods", "vlan", "tags", "broadcastdomainrange", "traffictypes"}
) | {"providers"}
TRAFFIC_KEYS = frozenset({"typ", "kvm", "xen", "vmware", "simulator", "hyperv"})
PROVIDER_KEYS = frozenset({"name", "broadcastdomainrange", "devices"})
POD_KEYS = frozenset(
    {"name", "gateway", "netmask", "startip", "endip", "clusters", "guestIpRanges", "vmwaredc"}
)
CLUSTER_KEYS = frozenset(
    {
        "clustername",
        "clustertype",
        "hypervisor",
        "url",
        "username",
        "password",
        "hosts",
        "primaryStorages",
    }
)
HOST_KEYS = frozenset({"url", "username", "password", "hosttags", "hypervisor"})
POOL_KEYS = frozenset({"name", "url", "tags", "scope", "hypervisor", "provider", "details"})
VMWAREDC_KEYS = frozenset({"name", "vcenter", "username", "password"})
STORE_KEYS = frozenset({"url", "provider", "details", "name"})
ENABLED = ("VirtualRouter", "VpcVirtualRouter", "InternalLbVm", "SecurityGroupProvider")
"""The providers ``configureProviders`` enables (of those the spec knows)."""
HYPERVISORS = {"kvm": "KVM", "vmware": "VMware", "xenserver": "XenServer"}
HYPERVISORS["simulator"] = "Simulator"
TRAFFIC_LABEL = {"kvm": "kvm", "xen": "xenserver", "vmware": "vmware", "hyperv": "hyperv"}
POOL_SCHEMES = {
    # scheme -> StoragePoolType (CloudStackPrimaryDataStoreLifeCycleImpl.initialize)
    "nfs": "NetworkFilesystem",
    "rbd": "RBD",
    "iscsi": "IscsiLUN",
    "presetup": "PreSetup",
    "vmfs": "VMFS",
    "sharedmountpoint": "SharedMountPoint",
}


@dataclass(frozen=True)
class Converted:
    """The spec text, and what was not converted (``$.json.path: why``)."""

    text: str
    skipped: tuple[str, ...]
    secrets: tuple[str, ...]


def read_config(text: str) -> Any:
    """The JSON of a Marvin config, ``#`` comment lines dropped (``getSetupConfig``).

    Raises:
        ValueError: the rest is not JSON.
    """
    lines = [line.strip() for line in text.splitlines()]
    return json.loads("\n".join(line for line in lines if not line.startswith("#")))


def pool_item(url: str, provider: str | None) -> dict[str, Any]:
    """What ``listStoragePools`` would show of a pool created with *url*.

    >>> pool_item("nfs://10.1.1.5:/export/primary", None)["path"]
    '/export/primary'
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    path = unquote(parts.path)
    item: dict[str, Any] = {
        "provider": provider or "DefaultPrimary",
        "type": POOL_SCHEMES.get(scheme, scheme),
        "ipaddress": parts.hostname or "",
        "path": path.lstrip("/") if scheme == "rbd" else path,
    }
    if provider and provider != "DefaultPrimary":
        item["path"] = url  # a managed provider's url carries its details (MVIP=...;SVIP=...)
    return item


def _backend(item: Mapping[str, Any], store: bool) -> tuple[str, ImportedBackend] | None:
    for kind, plugin in BACKENDS.items():
        found = plugin.from_image_store(item) if store else plugin.from_pool(item)
        if found is not None:
            return kind, found
    return None


class _Converter:
    def __init__(self) -> None:
        self.skipped: list[str] = []
        self.subnets: dict[str, dict[str, Any]] = {}
        self.backends: dict[str, dict[str, Any]] = {}
        self.backend_names: dict[str, str] = {}
        self.host_names: set[str] = set()

    def unknown(self, value: Mapping[str, Any], known: frozenset[str], at: str) -> None:
        for key in value:
            if key not in known:
                self.skipped.append(f"{at}.{key}: unknown key, not converted")

    def subnet(self, zone: str, role: str, rng: Mapping[str, Any]) -> str:
        net = str(IPv4Network(f"{rng['gateway']}/{rng['netmask']}", strict=False))
        for known in self.subnets.values():
            if (known["cidr"], known["role"], known["_zone"]) == (net, role, zone):
                return str(known["name"])
        short = {"management": "mgmt"}.get(role, role)
        count = sum(1 for e in self.subnets.values() if (e["role"], e["_zone"]) == (role, zone))
        name = f"{name_of(zone)}-{short}" + (f"-{count + 1}" if count else "")
        entry: dict[str, Any] = {"name": name, "cidr": net, "role": role}
        entry["gateway"] = rng["gateway"]
        if rng.get("vlan") and str(rng["vlan"]).lower() != "untagged":
            entry["vlan"] = int(rng["vlan"]) if str(rng["vlan"]).isdigit() else rng["vlan"]
        entry["_zone"] = zone
        self.subnets[name] = entry
        return name

    def backend(self, item: Mapping[str, Any], store: bool, at: str) -> str | None:
        found = _backend(item, store)
        if found is None:
            self.skipped.append(f"{at}.url: no specc backend takes this URL")
            return None
        kind, imported = found
        key = kind + repr(sorted((k, repr(v)) for k, v in imported.fields.items()))
        if key not in self.backend_names:
            base = f"{kind}-{slug(imported.label)}"
            name = base
            n = 1
            while name in self.backends:
                n += 1
                name = f"{base}-{n}"
            self.backend_names[key] = name
            self.backends[name] = {"name": name, "type": kind, **resolve(imported.fields, name)}
        return self.backend_names[key]

    def zone(self, zone: Mapping[str, Any], at: str) -> dict[str, Any]:
        """A zone of ``createZones``; its network type's fields from :mod:`.marvin_zones`."""
        self.unknown(zone, ZONE_KEYS, at)
        name = str(zone["name"])
        out: dict[str, Any] = {"name": name}
        networks = zone_networks(zone, self.subnet, self.subnets, at)
        self.skipped += networks.skipped
        for key in ("network_type", "security_groups"):
            if key in networks.fields:
                out[key] = networks.fields[key]
        out["dns"] = [zone[k] for k in ("dns1", "dns2") if zone.get(k)]
        out["internal_dns"] = [zone[k] for k in ("internaldns1", "internaldns2") if zone.get(k)]
        if "guest_cidr" in networks.fields:
            out["guest_cidr"] = networks.fields["guest_cidr"]
        if zone.get("domain"):
            out["network_domain"] = zone["domain"]
        if str(zone.get("localstorageenabled", "")).lower() == "true":
            out["local_storage"] = True
        if str(zone.get("enabled", "True")) not in ("True", "None"):
            out["enabled"] = False
        vcenter = self.vcenter(zone, at)
        if vcenter is not None:
            out["vcenter"] = vcenter
        pns = [
            self.physical_network(pn, f"{at}.physical_networks[{i}]")
            for i, pn in enumerate(zone.get("physical_networks") or [])
        ]
        if pns:
            out["physical_networks"] = pns
        for key in ("public_ranges", "shared_networks"):
            if key in networks.fields:
                out[key] = networks.fields[key]
        pods: list[dict[str, Any]] = []
        pools: list[dict[str, Any]] = []
        for i, pod in enumerate(zone.get("pods") or []):
            pods.append(self.pod(zone, pod, pools, f"{at}.pods[{i}]"))
        if pods:
            out["pods"] = pods
        for i, pool in enumerate(zone.get("primaryStorages") or []):
            entry = self.pool(pool, None, None, f"{at}.primaryStorages[{i}]")
            if entry is not None:
                pools.append(entry)
        if pools:
            out["primary_storage"] = pools
        stores = []
        for i, store in enumerate(zone.get("secondaryStorages") or []):
            where = f"{at}.secondaryStorages[{i}]"
            self.unknown(store, STORE_KEYS, where)
            item = {"providername": store.get("provider", "NFS"), "url": store.get("url", "")}
            backend = self.backend(item, True, where)
            if backend is not None:
                stores.append({"name": store.get("name") or store["url"], "backend": backend})
        if stores:
            out["secondary_storage"] = stores
        if zone.get("cacheStorages"):
            self.skipped.append(f"{at}.cacheStorages: cache storage is not in the spec")
        if zone.get("details"):
            self.skipped.append(f"{at}.details: zone details are not in the spec")
        return out

    def vcenter(self, zone: Mapping[str, Any], at: str) -> dict[str, Any] | None:
        """The zone's vCenter datacenter: a pod's ``vmwaredc`` (``createClusters`` ->
        ``addVmWareDataCenter``: ``addVmwareDc`` name, vcenter, username, password).

        ``createZones`` does not read a zone's own ``vmwaredc``; a zone maps to one
        datacenter (``VmwareManagerImpl.addVmwareDatacenter``).
        """
        own = zone.get("vmwaredc") or {}
        if any(own.get(k) for k in ("vcenter", "name")):
            self.skipped.append(f"{at}.vmwaredc: createZones does not use it (a pod's is sent)")
        found: dict[str, Any] | None = None
        for i, pod in enumerate(zone.get("pods") or []):
            dc = pod.get("vmwaredc") or {}
            if not isinstance(dc, Mapping) or not dc.get("vcenter"):
                continue
            where = f"{at}.pods[{i}].vmwaredc"
            self.unknown(dc, VMWAREDC_KEYS, where)
            made = {
                "host": dc["vcenter"],
                "datacenter": dc.get("name"),
                "username": dc.get("username"),
            }
            if found is None:
                password = "the vCenter password (the config's is not copied)"
                found = {
                    **made,
                    "password": secret(env_name(str(zone["name"]), "VCENTER_PASSWORD"), password),
                }
            elif {k: found[k] for k in made} != made:
                self.skipped.append(f"{where}: a zone maps to one vCenter datacenter")
        return found

    def physical_network(self, pn: Mapping[str, Any], at: str) -> dict[str, Any]:
        self.unknown(pn, PN_KEYS, at)
        out: dict[str, Any] = {"name": str(pn["name"])}
        methods = pn.get("isolationmethods") or ["VLAN"]
        if isinstance(methods, str):
            methods = methods.split(",")
        if methods[0] != "VLAN":
            out["isolation"] = methods[0]
        if pn.get("vlan"):
            out["vlan_ranges"] = [v.strip() for v in str(pn["vlan"]).split(",") if v.strip()]
        if pn.get("tags"):
            tags = pn["tags"]
            out["tags"] = tags if isinstance(tags, list) else str(tags).split(",")
        traffic = []
        for i, tt in enumerate(pn.get("traffictypes") or []):
            self.unknown(tt, TRAFFIC_KEYS, f"{at}.traffictypes[{i}]")
            if tt.get("typ") not in TRAFFIC_ORDER:
                self.skipped.append(f"{at}.traffictypes[{i}]: traffic {tt.get('typ')} not in spec")
                continue
            entry: dict[str, Any] = {"type": tt["typ"]}
            labels = {TRAFFIC_LABEL[k]: tt[k] for k in TRAFFIC_LABEL if tt.get(k)}
            labels = {spec: labels[spec] for spec, _ in LABELS if spec in labels}
            if labels:
                entry["labels"] = labels
            if tt.get("simulator"):
                self.skipped.append(f"{at}.traffictypes[{i}].simulator: no simulator label")
            traffic.append(entry)
        out["traffic"] = traffic
        known = get_args(Provider)
        providers = []
        for i, prov in enumerate(pn.get("providers") or []):
            where = f"{at}.providers[{i}]"
            self.unknown(prov, PROVIDER_KEYS, where)
            if prov.get("name") in ENABLED:
                providers.append(prov["name"])
            elif prov.get("name") in known:
                self.skipped.append(f"{where}: configureProviders does not enable {prov['name']}")
            else:
                self.skipped.append(f"{where}: provider {prov.get('name')} not in spec")
            if prov.get("devices"):
                self.skipped.append(f"{where}.devices: devices are not in the spec")
        if providers != ["VirtualRouter"]:
            out["providers"] = providers
        return out

    def pod(
        self, zone: Mapping[str, Any], pod: Mapping[str, Any], pools: list[dict[str, Any]], at: str
    ) -> dict[str, Any]:
        self.unknown(pod, POD_KEYS, at)
        out: dict[str, Any] = {
            "name": str(pod["name"]),
            "subnet": self.subnet(str(zone["name"]), "management", pod),
            "start_ip": pod["startip"],
            "end_ip": pod["endip"],
        }
        guest = pod_guest_ranges(zone, pod, self.subnet, self.subnets, at)
        self.skipped += guest.skipped
        out.update(guest.fields)
        clusters = []
        for i, cluster in enumerate(pod.get("clusters") or []):
            where = f"{at}.clusters[{i}]"
            self.unknown(cluster, CLUSTER_KEYS, where)
            cname = str(cluster["clustername"])
            hypervisor = HYPERVISORS.get(str(cluster.get("hypervisor", "")).lower(), "KVM")
            entry: dict[str, Any] = {"name": cname, "hypervisor": hypervisor}
            hosts = [
                self.host(host, cname, hypervisor, f"{where}.hosts[{j}]")
                for j, host in enumerate(cluster.get("hosts") or [])
            ]
            if hosts:
                entry["hosts"] = hosts
            clusters.append(entry)
            for j, pool in enumerate(cluster.get("primaryStorages") or []):
                made = self.pool(pool, str(pod["name"]), cname, f"{where}.primaryStorages[{j}]")
                if made is not None:
                    pools.append(made)
        if clusters:
            out["clusters"] = clusters
        return out

    def host(
        self, host: Mapping[str, Any], cluster: str, hypervisor: str, at: str
    ) -> dict[str, Any]:
        """A host of ``addHosts``: its ``url``, ``username``, ``hosttags``.

        A Simulator host is listed at the address ``MockAgentManagerImpl.getIpAddress``
        draws for it in the pod's subnet, not at its URL's (``http://sim/c0/h0``): the
        address is a placeholder and the URL is kept. Another host's address is its
        URL's host; the URL is kept when it is not ``http://<address>``.
        """
        self.unknown(host, HOST_KEYS, at)
        url = str(host["url"])
        parts = urlsplit(url)
        base = name_of((parts.netloc + parts.path).strip("/") or url)
        name, n = base, 1
        while name in self.host_names:
            n += 1
            name = f"{base}-{n}"
        self.host_names.add(name)
        item: dict[str, Any] = {"name": name}
        if hypervisor == "Simulator":
            item["address"] = Note(
                placeholder(f"the address the Simulator gives {url}"),
                "listHosts ipaddress once it is added: MockAgentManagerImpl draws it "
                "in the pod's subnet",
            )
            item["url"] = url
        else:
            item["address"] = parts.hostname or url
            if url.rstrip("/") != f"http://{item['address']}":
                item["url"] = url
        if host.get("username", "root") != "root":
            item["username"] = host["username"]
        item["password"] = secret(
            env_name(cluster, "HOST_PASSWORD"), "the hosts' password (the config's is not copied)"
        )
        tags = host.get("hosttags")
        if tags:
            item["tags"] = tags if isinstance(tags, list) else str(tags).split(",")
        return item

    def pool(
        self, pool: Mapping[str, Any], pod: str | None, cluster: str | None, at: str
    ) -> dict[str, Any] | None:
        self.unknown(pool, POOL_KEYS, at)
        backend = self.backend(pool_item(str(pool["url"]), pool.get("provider")), False, at)
        if backend is None:
            return None
        out: dict[str, Any] = {"name": str(pool["name"]), "backend": backend}
        if cluster is None or pool.get("scope") == "zone":
            out["scope"] = "zone"
            hv = str(pool.get("hypervisor") or "KVM")
            out["hypervisor"] = HYPERVISORS.get(hv.lower(), hv)
        else:
            out.update({"scope": "cluster", "pod": pod, "cluster": cluster})
        if pool.get("tags"):
            tags = pool["tags"]
            out["tags"] = tags if isinstance(tags, list) else str(tags).split(",")
        if pool.get("details"):
            self.skipped.append(f"{at}.details: pool details go in the backend's fields")
        return out


def convert(text: str) -> Converted:
    """The spec of a Marvin config's text.

    Raises:
        ValueError: the text is not a Marvin config (no JSON object).
    """
    config = read_config(text)
    if not isinstance(config, dict):
        raise ValueError("a Marvin config is a JSON object")
    conv = _Converter()
    for key, why in IGNORED.items():
        if key in config:
            conv.skipped.append(f"$.{key}: not converted ({why})")
    for key in config:
        if key not in IGNORED and key not in ("zones", "globalConfig"):
            conv.skipped.append(f"$.{key}: unknown section, not converted")
    zones = [conv.zone(zone, f"$.zones[{i}]") for i, zone in enumerate(config.get("zones") or [])]
    doc: dict[str, Any] = {"version": 1}
    if conv.subnets:
        doc["subnets"] = [
            {k: v for k, v in s.items() if not k.startswith("_")}
            for s in sorted(conv.subnets.values(), key=lambda s: str(s["name"]))
        ]
    if conv.backends:
        doc["backends"] = [conv.backends[n] for n in sorted(conv.backends)]
    if zones:
        doc["zones"] = zones
    settings = {
        str(c["name"]): typed(c.get("value"))
        for c in config.get("globalConfig") or []
        if c.get("name") is not None and c.get("value") is not None
    }
    if settings:
        doc["settings"] = dict(sorted(settings.items()))
    from specc.importer import _placeholders, _secrets

    secrets = _secrets(doc)
    header = [
        "Converted by `specc convert marvin` from a Marvin deployment config.",
        "Passwords in the config are not copied: set the {env: NAME} secrets.",
    ]
    if secrets:
        header.append("Secrets referenced: " + ", ".join(secrets) + ".")
    holes = _placeholders(doc)
    if holes:
        header.append(f"{holes} placeholder(s) to fill in: `specc validate` lists them.")
    return Converted(dump(doc, "\n".join(header)), tuple(conv.skipped), secrets)
