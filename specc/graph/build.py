"""Build the desired graph: every resource the spec asks for, with its dependencies.

``attrs`` of a resource hold the kind's field-table names (compared with live items)
and create-only parameters under their API names (``name``, ``password``), nothing
else: how to match or plan it beyond that is a typed field of the resource
(``match_key``, ``options``, ``notes``). ``parents`` maps a parent-id parameter
(``zoneid``) to the parent's ResourceId, so the compiler can fill it with a live id
or a ``Ref`` to the step that creates the parent. ``source`` is where the spec
names the resource (with a source map). Each backend's plug-in
(``specc.backends.BACKENDS``) gives its pools' provider and URL; secrets stay references
(``SecretParam``).
"""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Any, Literal

from specc.backends import BACKENDS
from specc.backends.base import PoolSite
from specc.core.steps import SecretParam
from specc.graph.resources import DesiredResource, Options, ResourceId
from specc.spec.models import (
    Backend,
    Cluster,
    ComputeOffering,
    DiskOffering,
    EnvSecret,
    IpRange,
    Iso,
    PrimaryStorage,
    Secret,
    Settings,
    SharedNetwork,
    Spec,
    Subnet,
    Template,
    Zone,
)
from specc.spec.rules.zonetypes import guest_network
from specc.spec.sourcemap import JsonPath, SourceMap

DesiredGraph = dict[ResourceId, DesiredResource]

HA_PROVIDER = "kvmhaprovider"
CHECKSUM_ALGORITHMS = {
    "md5": "MD5",
    "sha1": "SHA-1",
    "sha256": "SHA-256",
    "sha384": "SHA-384",
    "sha512": "SHA-512",
}


def secret_param(secret: Secret, encoding: Literal["none", "url"] = "none") -> SecretParam:
    """The plan-side reference of a spec secret (never its value)."""
    enc = encoding
    if isinstance(secret, EnvSecret):
        return SecretParam("env", secret.env, enc)
    return SecretParam("file", secret.file, enc)


def csv(items: list[str]) -> str | None:
    """Tags as the API takes them: sorted, comma-joined; ``None`` when empty.

    >>> csv(["b", "a"]), csv([])
    ('a,b', None)
    """
    return ",".join(sorted(set(items))) or None


def _subnet_gateway(subnet: Subnet) -> str:
    if subnet.gateway is not None:
        return str(subnet.gateway)
    return str(next(IPv4Network(subnet.cidr).hosts()))


class _Builder:
    """Collects resources while walking the spec once."""

    def __init__(self, spec: Spec, source_map: SourceMap | None) -> None:
        self.spec = spec
        self.source_map = source_map
        self.subnets = {s.name: s for s in spec.subnets}
        self.backends: dict[str, Backend] = {b.name: b for b in spec.backends}
        self.graph: DesiredGraph = {}
        self.hosts: list[ResourceId] = []

    def add(
        self,
        kind: str,
        key: tuple[str, ...],
        attrs: dict[str, Any],
        parents: dict[str, ResourceId] | None = None,
        extra_deps: tuple[ResourceId, ...] = (),
        *,
        at: JsonPath,
        match_key: tuple[str, ...] | None = None,
        options: Options | None = None,
        notes: tuple[str, ...] = (),
    ) -> ResourceId:
        """Add a resource; *at* is the JSON path of the spec value that names it."""
        rid = ResourceId(kind, key)
        parents = parents or {}
        deps = tuple(sorted(set(parents.values()) | set(extra_deps)))
        self.graph[rid] = DesiredResource(
            rid,
            attrs,
            deps,
            None if self.source_map is None else self.source_map.locate(at),
            parents,
            match_key,
            options or Options(),
            notes,
        )
        return rid

    # --- zones ---------------------------------------------------------------

    def zone(self, zone: Zone, at: JsonPath) -> None:
        dns = [str(a) for a in zone.dns]
        idns = [str(a) for a in zone.internal_dns]
        zattrs: dict[str, Any] = {
            "name": zone.name,
            "networktype": zone.network_type,
            "isedge": zone.type == "edge",
            "dns1": dns[0],
            "dns2": dns[1] if len(dns) > 1 else None,
            "internaldns1": idns[0],
            "internaldns2": idns[1] if len(idns) > 1 else None,
            "guestcidraddress": str(zone.guest_cidr) if zone.guest_cidr else None,
            "domain": zone.network_domain,
            "localstorageenabled": zone.local_storage,
            "allocationstate": "Enabled" if zone.enabled else "Disabled",
        }
        if zone.security_groups or zone.network_type == "Basic":
            # ConfigurationManagerImpl.createZone turns it on for Basic zones itself.
            zattrs["securitygroupenabled"] = True
        zid = self.add("zone", (zone.name,), zattrs, at=at)
        datacenter: ResourceId | None = None
        if zone.vcenter is not None:
            vc = zone.vcenter
            datacenter = self.add(
                "vmwaredc",
                (zone.name,),
                {
                    "name": vc.datacenter,
                    "vcenter": vc.host,
                    "username": vc.username,
                    "password": secret_param(vc.password),
                },
                {"zoneid": zid},
                at=(*at, "vcenter"),
            )
        public_pn: ResourceId | None = None
        pnets: dict[str, ResourceId] = {}
        for pi, pn in enumerate(zone.physical_networks):
            pn_at = (*at, "physical_networks", pi)
            pattrs: dict[str, Any] = {
                "name": pn.name,
                "isolationmethods": pn.isolation,
                "vlan": ",".join(pn.vlan_ranges) or None,
                "tags": csv(pn.tags),
                "networkspeed": pn.speed,
                "state": "Enabled",
            }
            if pn.broadcast_domain_range is not None:
                pattrs["broadcastdomainrange"] = pn.broadcast_domain_range
            pid = self.add(
                "physicalnetwork", (zone.name, pn.name), pattrs, {"zoneid": zid}, at=pn_at
            )
            pnets[pn.name] = pid
            for ti, traffic in enumerate(pn.traffic):
                labels = traffic.labels
                attrs: dict[str, Any] = {"traffictype": traffic.type}
                for field_name, value in (
                    ("kvmnetworklabel", labels.kvm),
                    ("vmwarenetworklabel", labels.vmware),
                    ("xennetworklabel", labels.xenserver),
                    ("hypervnetworklabel", labels.hyperv),
                    ("vlan", str(traffic.vlan) if traffic.vlan else None),
                ):
                    if value is not None:
                        attrs[field_name] = value
                self.add(
                    "traffictype",
                    (zone.name, pn.name, traffic.type),
                    attrs,
                    {"physicalnetworkid": pid},
                    at=(*pn_at, "traffic", ti),
                )
                if traffic.type == "Public" or public_pn is None:
                    public_pn = pid
            for vi, provider in enumerate(pn.providers):
                self.add(
                    "networkserviceprovider",
                    (zone.name, pn.name, provider),
                    {"name": provider, "state": "Enabled"},
                    {"physicalnetworkid": pid},
                    at=(*pn_at, "providers", vi),
                )
        for ri, rng in enumerate(zone.public_ranges):
            self.public_range(zone, zid, public_pn, rng, (*at, "public_ranges", ri))
        networks: list[ResourceId] = []
        for si, shared in enumerate(zone.shared_networks):
            networks.append(
                self.shared_network(zone, zid, pnets, shared, (*at, "shared_networks", si))
            )
        for podi, pod in enumerate(zone.pods):
            pod_at = (*at, "pods", podi)
            subnet = self.subnets[pod.subnet]
            pod_id = self.add(
                "pod",
                (zone.name, pod.name),
                {
                    "name": pod.name,
                    "gateway": _subnet_gateway(subnet),
                    "netmask": str(IPv4Network(subnet.cidr).netmask),
                    "startip": str(pod.start_ip),
                    "endip": str(pod.end_ip),
                },
                {"zoneid": zid},
                at=pod_at,
            )
            if pod.storage_range is not None:
                sr = pod.storage_range
                ssub = self.subnets[sr.subnet]
                vlan = sr.vlan or ssub.vlan
                self.add(
                    "storagenetworkiprange",
                    (zone.name, pod.name, f"{sr.start}-{sr.end}"),
                    {
                        "gateway": _subnet_gateway(ssub),
                        "netmask": str(IPv4Network(ssub.cidr).netmask),
                        "startip": str(sr.start),
                        "endip": str(sr.end),
                        "vlan": str(vlan) if vlan else None,
                    },
                    {"podid": pod_id},
                    at=(*pod_at, "storage_range"),
                )
            for gi, rng in enumerate(pod.guest_ranges):
                if networks:  # SPC473: a Basic zone's pod ranges go to its one network
                    self.guest_range(
                        zone.name, zid, networks[0], rng, (*pod_at, "guest_ranges", gi), pod_id
                    )
            for ci, cluster in enumerate(pod.clusters):
                cluster_at = (*pod_at, "clusters", ci)
                self.cluster(zone, pod.name, zid, pod_id, cluster, cluster_at, datacenter)
        for k, pool in enumerate(zone.primary_storage):
            self.pool(zone, zid, pool, (*at, "primary_storage", k))
        for k, store in enumerate(zone.secondary_storage):
            backend = self.backends[store.backend]
            made = BACKENDS[backend.type].image_store(backend, store.path)
            assert made is not None  # SPC225: a valid spec's image stores can be made
            self.add(
                "imagestore",
                (zone.name, store.name),
                {"name": store.name, "provider": made.provider, "url": made.url},
                {"zoneid": zid},
                at=(*at, "secondary_storage", k),
            )

    def shared_network(
        self,
        zone: Zone,
        zid: ResourceId,
        pnets: dict[str, ResourceId],
        net: SharedNetwork,
        at: JsonPath,
    ) -> ResourceId:
        """A shared guest network, then its zone-wide ranges (Advanced zones).

        The network carries its subnet's gateway and netmask and its VLAN; every range
        is a ``createVlanIpRange networkid=.. forvirtualnetwork=false`` of its own.
        """
        found = guest_network(zone, net.physical_network)
        parents = {"zoneid": zid}
        if found is not None:
            parents["physicalnetworkid"] = pnets[found[1].name]
        attrs: dict[str, Any] = {
            "name": net.name,
            "displaytext": net.display_text or net.name,
            "networkofferingname": net.offering,
        }
        subnet = self.subnets.get(net.subnet or "")
        if subnet is not None:
            attrs["gateway"] = _subnet_gateway(subnet)
            attrs["netmask"] = str(IPv4Network(subnet.cidr).netmask)
            vlan = net.vlan or subnet.vlan
            attrs["vlan"] = str(vlan) if vlan else "untagged"
        if net.network_domain is not None:
            attrs["networkdomain"] = net.network_domain
        nid = self.add("network", (zone.name, net.name), attrs, parents, at=at)
        for ri, rng in enumerate(net.ranges):
            self.guest_range(zone.name, zid, nid, rng, (*at, "ranges", ri))
        return nid

    def guest_range(
        self,
        zone: str,
        zid: ResourceId,
        network: ResourceId,
        rng: IpRange,
        at: JsonPath,
        pod: ResourceId | None = None,
    ) -> None:
        """A shared network's IP range: zone-wide, or a Basic zone pod's (``podid``)."""
        subnet = self.subnets[rng.subnet]
        attrs: dict[str, Any] = {
            "gateway": _subnet_gateway(subnet),
            "netmask": str(IPv4Network(subnet.cidr).netmask),
            "startip": str(rng.start),
            "endip": str(rng.end),
            "forvirtualnetwork": False,
        }
        vlan = rng.vlan or subnet.vlan
        if pod is None:
            attrs["vlan"] = str(vlan) if vlan else "untagged"
        parents = {"zoneid": zid, "networkid": network}
        if pod is not None:
            parents["podid"] = pod
        self.add("vlaniprange", (zone, f"{rng.start}-{rng.end}"), attrs, parents, at=at)

    def public_range(
        self, zone: Zone, zid: ResourceId, pn: ResourceId | None, rng: IpRange, at: JsonPath
    ) -> None:
        subnet = self.subnets[rng.subnet]
        vlan = rng.vlan or subnet.vlan
        parents = {"zoneid": zid}
        if pn is not None:
            parents["physicalnetworkid"] = pn
        self.add(
            "vlaniprange",
            (zone.name, f"{rng.start}-{rng.end}"),
            {
                "gateway": _subnet_gateway(subnet),
                "netmask": str(IPv4Network(subnet.cidr).netmask),
                "startip": str(rng.start),
                "endip": str(rng.end),
                "vlan": str(vlan) if vlan else "untagged",
                "forvirtualnetwork": True,
            },
            parents,
            at=at,
        )

    def cluster(
        self,
        zone_spec: Zone,
        pod: str,
        zid: ResourceId,
        pod_id: ResourceId,
        cluster: Cluster,
        at: JsonPath,
        datacenter: ResourceId | None,
    ) -> None:
        """A cluster and its hosts; a VMware cluster waits for its zone's datacenter.

        CloudStack refuses a VMware cluster until the zone maps to a vCenter datacenter
        (apache/cloudstack ``VmwareServerDiscoverer.find``), so it depends on it.
        """
        zone = zone_spec.name
        attrs: dict[str, Any] = {
            "clustername": cluster.name,
            "hypervisor": cluster.hypervisor,
            "clustertype": "ExternalManaged" if cluster.hypervisor == "VMware" else "CloudManaged",
        }
        vmware = cluster.hypervisor == "VMware"
        vc = zone_spec.vcenter if vmware else None
        if vc is not None:
            # Without username/password CloudStack takes the zone's datacenter login
            # (VmwareServerDiscoverer.find), so the vCenter secret is sent once.
            attrs["url"] = f"http://{vc.host}/{vc.datacenter}/{cluster.name}"
        cid = self.add(
            "cluster",
            (zone, pod, cluster.name),
            attrs,
            {"zoneid": zid, "podid": pod_id},
            (datacenter,) if vmware and datacenter is not None else (),
            at=at,
        )
        if cluster.hypervisor == "VMware":
            # ESXi hosts join through vCenter discovery when the cluster is added;
            # addHost refuses them, so they are not resources of their own here.
            return
        for hi, host in enumerate(cluster.hosts):
            host_at = (*at, "hosts", hi)
            hattrs: dict[str, Any] = {
                "hypervisor": cluster.hypervisor,
                "url": host.url or f"http://{host.address}",
            }
            hattrs["username"] = host.username
            if host.password is not None:
                hattrs["password"] = secret_param(host.password)
            if host.tags:
                hattrs["hosttags"] = csv(host.tags)
            key = (zone, pod, cluster.name, host.name)
            # CloudStack lists a host by its address, not by its spec name.
            listed_as = (zone, pod, cluster.name, str(host.address))
            hid = self.add(
                "host",
                key,
                hattrs,
                {"zoneid": zid, "podid": pod_id, "clusterid": cid},
                at=host_at,
                match_key=listed_as,
            )
            self.hosts.append(hid)
            if host.ha:
                self.add(
                    "hostha",
                    key,
                    {"provider": HA_PROVIDER, "haenable": True},
                    {"hostid": hid},
                    at=(*host_at, "ha"),
                    match_key=listed_as,
                )

    def pool(self, zone: Zone, zid: ResourceId, pool: PrimaryStorage, at: JsonPath) -> None:
        backend = self.backends[pool.backend]
        plugin = BACKENDS[backend.type]
        attrs: dict[str, Any] = {
            "name": pool.name,
            "scope": pool.scope,
            "provider": plugin.provider,
            "tags": csv(pool.tags),
        }
        parents = {"zoneid": zid}
        hypervisor: str | None = None
        if pool.scope == "cluster" and pool.pod and pool.cluster:
            parents["podid"] = ResourceId("pod", (zone.name, pool.pod))
            parents["clusterid"] = ResourceId("cluster", (zone.name, pool.pod, pool.cluster))
            hypervisor = self._cluster_hypervisor(zone, pool.pod, pool.cluster)
        else:
            attrs["hypervisor"] = pool.hypervisor or "KVM"
        if plugin.managed is not None:
            attrs["managed"] = plugin.managed
        made = plugin.pool(
            backend, pool, PoolSite(hypervisor, self._datacenter(zone, pool, hypervisor))
        )
        attrs.update(made.params)
        attrs["url"] = made.url
        if pool.capacity_bytes is not None:
            attrs["capacitybytes"] = pool.capacity_bytes
        if pool.capacity_iops is not None:
            attrs["capacityiops"] = pool.capacity_iops
        hosts = tuple(
            rid
            for rid in self.hosts
            if rid.key[0] == zone.name
            and (pool.scope == "zone" or rid.key[1:3] == (pool.pod, pool.cluster))
        )
        self.add("storagepool", (zone.name, pool.name), attrs, parents, hosts, at=at)

    def _cluster_hypervisor(self, zone: Zone, pod: str, cluster: str) -> str | None:
        for p in zone.pods:
            for c in p.clusters:
                if p.name == pod and c.name == cluster:
                    return c.hypervisor
        return None

    def _datacenter(self, zone: Zone, pool: PrimaryStorage, hypervisor: str | None) -> str | None:
        """The zone's vCenter datacenter, for a pool of a VMware cluster (None otherwise)."""
        if hypervisor != "VMware":
            return None
        return None if zone.vcenter is None else zone.vcenter.datacenter

    # --- offerings, images, settings -------------------------------------------

    def offering(self, offering: DiskOffering | ComputeOffering, at: JsonPath) -> None:
        attrs: dict[str, Any] = {
            "name": offering.name,
            "displaytext": offering.display_text or offering.name,
            "storagetype": offering.storage_type,
            "provisioningtype": offering.provisioning,
            "tags": csv(offering.storage_tags),
            "zones": csv(offering.zones) if offering.zones else None,
        }
        qos = offering.qos
        if qos.type == "hypervisor":
            attrs["bytesreadrate"] = qos.bytes_read_rate
            attrs["byteswriterate"] = qos.bytes_write_rate
            attrs["iopsreadrate"] = qos.iops_read_rate
            attrs["iopswriterate"] = qos.iops_write_rate
        elif qos.type == "storage":
            attrs["customizediops"] = qos.customized
            if not qos.customized:
                attrs["miniops"] = qos.min_iops
                attrs["maxiops"] = qos.max_iops
        if offering.hypervisor_snapshot_reserve is not None:
            attrs["hypervisorsnapshotreserve"] = offering.hypervisor_snapshot_reserve
        zones = tuple(ResourceId("zone", (z,)) for z in offering.zones or ())
        notes = (
            (
                f"offering {offering.name}: domain {offering.domain!r} is not applied yet "
                "(the offering is public)",
            )
            if offering.domain
            else ()
        )
        if isinstance(offering, DiskOffering):
            attrs["customized"] = offering.custom_size
            if not offering.custom_size:
                attrs["disksize"] = offering.size_gb
            self.add("diskoffering", (offering.name,), attrs, extra_deps=zones, at=at, notes=notes)
            return
        attrs.update(
            {
                "cpunumber": offering.cpu_number,
                "cpuspeed": offering.cpu_speed_mhz,
                "memory": offering.memory_mb,
                "hosttags": csv(offering.host_tags),
                "offerha": offering.offer_ha,
                "limitcpuuse": offering.limit_cpu_use,
                "rootdisksize": offering.root_disk_size_gb,
            }
        )
        self.add("serviceoffering", (offering.name,), attrs, extra_deps=zones, at=at, notes=notes)

    def images(self) -> None:
        spec = self.spec
        images: list[tuple[JsonPath, Template | Iso]] = [
            *((("templates", i), t) for i, t in enumerate(spec.templates)),
            *((("isos", i), iso) for i, iso in enumerate(spec.isos)),
        ]
        for at, image in images:
            options = Options(wait_ready=image.wait_ready)
            attrs: dict[str, Any] = {
                "name": image.name,
                "displaytext": image.display_text or image.name,
                "url": image.url,
                "ostype": image.os_type,
                "directdownload": image.direct_download,
                "ispublic": image.public,
                "isfeatured": image.featured,
            }
            if image.checksum is not None:
                algo = CHECKSUM_ALGORITHMS[image.checksum.algorithm]
                attrs["checksum"] = "{" + algo + "}" + image.checksum.value.lower()
            for zone in image.zones or ["*"]:
                parents = {} if zone == "*" else {"zoneid": ResourceId("zone", (zone,))}
                if isinstance(image, Template):
                    tattrs = {
                        **attrs,
                        "hypervisor": image.hypervisor,
                        "format": image.format,
                        "passwordenabled": image.password_enabled,
                        "isextractable": image.extractable,
                        "requireshvm": image.requires_hvm,
                    }
                    key = (image.name, zone, image.hypervisor)
                    self.add("template", key, tattrs, parents, at=at, options=options)
                else:
                    iattrs = {**attrs, "bootable": image.bootable}
                    self.add("iso", (image.name, zone), iattrs, parents, at=at, options=options)

    def settings(self) -> None:
        """Global settings, then each scope object's (keyed by name, scope, object key)."""
        for name, value in sorted(self.spec.settings.items()):
            self.add(
                "configuration", (name,), {"name": name, "value": value}, at=("settings", name)
            )
        for i, zone in enumerate(self.spec.zones):
            at: JsonPath = ("zones", i)
            zone_id = ResourceId("zone", (zone.name,))
            self.scoped(zone.settings, "zone", (zone.name,), {"zoneid": zone_id}, at)
            key: tuple[str, ...]
            for p, pod in enumerate(zone.pods):
                for c, cluster in enumerate(pod.clusters):
                    key = (zone.name, pod.name, cluster.name)
                    parents = {"clusterid": ResourceId("cluster", key)}
                    self.scoped(
                        cluster.settings, "cluster", key, parents, (*at, "pods", p, "clusters", c)
                    )
            for k, pool in enumerate(zone.primary_storage):
                key = (zone.name, pool.name)
                parents = {"storageid": ResourceId("storagepool", key)}
                self.scoped(pool.settings, "storagepool", key, parents, (*at, "primary_storage", k))
            for k, store in enumerate(zone.secondary_storage):
                key = (zone.name, store.name)
                parents = {"imagestoreuuid": ResourceId("imagestore", key)}
                where = (*at, "secondary_storage", k)
                self.scoped(store.settings, "imagestore", key, parents, where)
        for i, dom in enumerate(self.spec.domain_settings):
            extra = {"domain_path": dom.domain}
            path = tuple(dom.domain.split("/"))
            self.scoped(dom.settings, "domain", path, {}, ("domain_settings", i), extra)
        for i, acc in enumerate(self.spec.account_settings):
            extra = {"domain_path": acc.domain, "account_name": acc.account}
            path = (*acc.domain.split("/"), acc.account)
            self.scoped(acc.settings, "account", path, {}, ("account_settings", i), extra)

    def scoped(
        self,
        settings: Settings,
        scope: str,
        key: tuple[str, ...],
        parents: dict[str, ResourceId],
        at: JsonPath,
        extra: dict[str, str] | None = None,
    ) -> None:
        """The settings of one scope object: ``configuration`` keyed (name, scope, *key).

        *parents* name the object when it is a resource of the graph (its id is a
        live id or a Ref to its create step); a domain or account is named by *extra*.
        """
        for name, value in sorted(settings.items()):
            attrs = {"name": name, "value": value, "scope": scope, **(extra or {})}
            self.add(
                "configuration", (name, scope, *key), attrs, parents, at=(*at, "settings", name)
            )


def build_desired(spec: Spec, source_map: SourceMap | None = None) -> DesiredGraph:
    """Every resource *spec* asks for, keyed by ResourceId, with its dependencies.

    With *source_map*, each resource's ``source`` is where the spec names it.

    >>> from specc.spec.models import Spec
    >>> build_desired(Spec())
    {}
    """
    builder = _Builder(spec, source_map)
    for i, zone in enumerate(spec.zones):
        builder.zone(zone, ("zones", i))
    offerings: list[tuple[JsonPath, DiskOffering | ComputeOffering]] = [
        *((("offerings", "disk", i), o) for i, o in enumerate(spec.offerings.disk)),
        *((("offerings", "compute", i), o) for i, o in enumerate(spec.offerings.compute)),
    ]
    for at, offering in offerings:
        builder.offering(offering, at)
    builder.images()
    builder.settings()
    return dict(sorted(builder.graph.items()))
