"""Zones and primary storage scope (SPC39x): scope fields, backend/hypervisor fit, edge.

createStoragePool with scope zone needs a hypervisor it supports zone-wide and its
provider can attach (``StorageManagerImpl.createPool``, the provider's
``attachZone``); scope cluster takes pod and cluster. Each backend says which
scopes and hypervisors it supports (a PreSetup SR belongs to XenServer, a VMFS
datastore to VMware). Edge zones (lean zones for edge
sites) arrived in CloudStack 4.18 and run KVM only.
"""

from __future__ import annotations

from collections.abc import Iterator

from specc.backends import BACKENDS
from specc.errors import Severity
from specc.spec.models import Spec
from specc.spec.rules import Finding, Rule
from specc.spec.rules.topology import backend_named, iter_pools, pool_clusters, version_tuple

E = Severity.ERROR
W = Severity.WARNING

EDGE_SINCE = (4, 18)


ZONE_WIDE_HYPERVISORS: frozenset[str] = frozenset({"KVM", "VMware", "Any"})
"""Hypervisors ``StorageManagerImpl.createPool`` takes for a zone-wide pool (of those a
spec can name; it also takes Hyperv and LXC). XenServer is refused for every provider
("Zone wide storage pool is not supported for hypervisor type XenServer")."""

ZONE_WIDE_SIMULATOR_SINCE = (4, 17)
"""createPool takes Simulator zone-wide since 4.17.0 (apache/cloudstack#5986)."""


def _zone_hypervisors(spec: Spec) -> frozenset[str]:
    if version_tuple(spec.cloudstack.version) >= ZONE_WIDE_SIMULATOR_SINCE:
        return ZONE_WIDE_HYPERVISORS | {"Simulator"}
    return ZONE_WIDE_HYPERVISORS


def zone_pool_hypervisor(spec: Spec) -> Iterator[Finding]:
    """SPC390: a zone-scope pool names a hypervisor the server can create it for.

    apache/cloudstack ``StorageManagerImpl.createPool`` (4.18.2.5, 4.22.1.0): scope zone
    needs ``hypervisor`` ("Missing parameter hypervisor. Hypervisor type is required to
    create zone wide primary storage.") among KVM, VMware, Hyperv, LXC, Any and
    Simulator (since 4.17), else "Zone wide storage pool is not supported for
    hypervisor type X": XenServer never. Then the provider's ``attachZone``: the
    default provider (``CloudStackPrimaryDataStoreLifeCycleImpl.attachZone``) connects
    the hosts of exactly that hypervisor, so ``Any`` reaches none and the pool is
    refused ("Failed to create storage pool as it is not accessible to hosts."); a
    backend plug-in whose provider connects every hypervisor's hosts says
    ``zone_any_hypervisor``. A backend whose own rules check its fit
    (``checks_fit``) is left to them.
    """
    allowed = _zone_hypervisors(spec)
    any_ok = sorted(t for t, p in BACKENDS.items() if p.zone_any_hypervisor)
    for at in iter_pools(spec):
        pool = at.pool
        if pool.scope != "zone":
            continue
        if pool.hypervisor is None:
            yield Finding(
                "SPC390",
                E,
                (*at.path, "scope"),
                f"zone-wide primary storage '{pool.name}' does not name a hypervisor",
                "Set hypervisor (KVM or VMware; Any only on a "
                f"{' or '.join(any_ok) or 'provider that connects every hypervisor'} "
                "backend): createStoragePool needs it for scope zone.",
            )
            continue
        backend = backend_named(spec, pool.backend)
        if backend is None or BACKENDS[backend.type].checks_fit:
            continue
        if pool.hypervisor not in allowed:
            yield Finding(
                "SPC390",
                E,
                (*at.path, "hypervisor"),
                f"zone-wide primary storage '{pool.name}' is for {pool.hypervisor}: "
                'createStoragePool answers "Zone wide storage pool is not supported for '
                f'hypervisor type {pool.hypervisor}"',
                f"Use scope cluster on each {pool.hypervisor} cluster, or a hypervisor among "
                f"{', '.join(sorted(allowed))}.",
            )
        elif pool.hypervisor == "Any" and not BACKENDS[backend.type].zone_any_hypervisor:
            yield Finding(
                "SPC390",
                E,
                (*at.path, "hypervisor"),
                f"zone-wide {backend.type} pool '{pool.name}' says hypervisor Any: its "
                f"provider ({BACKENDS[backend.type].provider}) mounts it on the hosts of "
                "exactly that hypervisor, none has Any, and createStoragePool answers "
                '"Failed to create storage pool as it is not accessible to hosts."',
                "Name the hypervisor whose hosts mount it (KVM or VMware); for several, "
                "one zone-wide pool each or cluster-scope pools.",
            )


def scope_fields_ignored(spec: Spec) -> Iterator[Finding]:
    """SPC391: fields the pool's scope ignores (warning): hypervisor vs pod/cluster."""
    for at in iter_pools(spec):
        pool = at.pool
        if pool.scope == "cluster" and pool.hypervisor is not None:
            yield Finding(
                "SPC391",
                W,
                (*at.path, "hypervisor"),
                f"cluster-scope primary storage '{pool.name}' sets hypervisor "
                f"{pool.hypervisor}, which is ignored (the cluster decides)",
                "Remove hypervisor, or use scope zone.",
            )
        if pool.scope == "zone" and (pool.pod is not None or pool.cluster is not None):
            yield Finding(
                "SPC391",
                W,
                (*at.path, "pod" if pool.pod is not None else "cluster"),
                f"zone-wide primary storage '{pool.name}' names a pod/cluster, which is ignored",
                "Remove pod and cluster, or use scope cluster.",
            )


def backend_fits_pool(spec: Spec) -> Iterator[Finding]:
    """SPC392: a pool has a scope its backend supports, on hypervisors that can mount it.

    Each backend's plug-in declares its ``scopes`` and ``hypervisors``; a backend
    whose own rules check them (``checks_fit``: Ceph, OCFS2, SolidFireShared, with
    their own codes and advice) is left to those.
    """
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if backend is None:
            continue
        plugin = BACKENDS[backend.type]
        if plugin.checks_fit:
            continue
        if at.pool.scope not in plugin.scopes:
            yield Finding(
                "SPC392",
                E,
                (*at.path, "scope"),
                f"{backend.type} pool '{at.pool.name}' has scope {at.pool.scope}",
                f"A {backend.type} backend supports scope {' or '.join(sorted(plugin.scopes))} "
                "only.",
            )
            continue
        allowed = plugin.hypervisors
        for cluster in pool_clusters(at.zone, at.pool):
            if cluster.hypervisor not in allowed:
                yield Finding(
                    "SPC392",
                    E,
                    (*at.path, "backend"),
                    f"{backend.type} pool '{at.pool.name}' is mounted by {cluster.hypervisor} "
                    f"cluster '{cluster.name}'",
                    f"A {backend.type} backend is for {' or '.join(sorted(allowed))} only.",
                )
                break


def zone_pool_reaches_cluster(spec: Spec) -> Iterator[Finding]:
    """SPC393: a zone-wide pool whose hypervisor has no cluster in the zone (warning)."""
    for at in iter_pools(spec):
        pool = at.pool
        if (
            pool.scope == "zone"
            and pool.hypervisor is not None
            and at.zone.pods
            and not pool_clusters(at.zone, pool)
        ):
            yield Finding(
                "SPC393",
                W,
                (*at.path, "hypervisor"),
                f"zone-wide primary storage '{pool.name}' is for {pool.hypervisor}, but "
                f"zone '{at.zone.name}' has no {pool.hypervisor} cluster",
                "No host will mount it; fix the hypervisor or add the cluster.",
            )


def zone_has_secondary(spec: Spec) -> Iterator[Finding]:
    """SPC394: a core zone without secondary storage (warning)."""
    for zi, zone in enumerate(spec.zones):
        if zone.type == "core" and zone.pods and not zone.secondary_storage:
            yield Finding(
                "SPC394",
                W,
                ("zones", zi, "name"),
                f"zone '{zone.name}' has no secondary storage",
                "System VM templates, snapshots and non-direct-download templates live on "
                "secondary storage; add an NFS image store.",
            )


def edge_zone_version(spec: Spec) -> Iterator[Finding]:
    """SPC395: edge zones need CloudStack 4.18 or newer."""
    version = spec.cloudstack.version
    if version_tuple(version) >= EDGE_SINCE:
        return
    for zi, zone in enumerate(spec.zones):
        if zone.type == "edge":
            yield Finding(
                "SPC395",
                E,
                ("zones", zi, "type"),
                f"zone '{zone.name}' is an edge zone, which CloudStack {version} lacks",
                "Edge zones exist since 4.18; raise cloudstack.version or use type core.",
            )


def edge_zone_kvm(spec: Spec) -> Iterator[Finding]:
    """SPC396: an edge zone runs KVM clusters only."""
    for zi, zone in enumerate(spec.zones):
        if zone.type != "edge":
            continue
        for pi, pod in enumerate(zone.pods):
            for ci, cluster in enumerate(pod.clusters):
                if cluster.hypervisor != "KVM":
                    yield Finding(
                        "SPC396",
                        E,
                        ("zones", zi, "pods", pi, "clusters", ci, "hypervisor"),
                        f"edge zone '{zone.name}' has {cluster.hypervisor} cluster "
                        f"'{cluster.name}'",
                        "Edge zones support KVM hosts only.",
                    )


def traffic_types_present(spec: Spec) -> Iterator[Finding]:
    """SPC397: a zone's physical networks carry Management and Guest, and Public in an
    Advanced zone without security groups.

    ``ConfigurationManagerImpl.editZone`` (enabling the zone) looks up the default
    physical network of Management traffic, and of Public only for
    ``NetworkType.Advanced && !zone.isSecurityGroupEnabled()``; a Basic zone or an
    Advanced zone with security groups has no Public traffic (apache/cloudstack
    4.18.2.5, 4.22.1.0).
    """
    for zi, zone in enumerate(spec.zones):
        if not zone.physical_networks:
            continue
        have = {t.type for n in zone.physical_networks for t in n.traffic}
        public = zone.network_type == "Advanced" and not zone.security_groups
        needed = {"Management", "Guest"} | ({"Public"} if public else set())
        missing = sorted(needed - have)
        if missing:
            yield Finding(
                "SPC397",
                E,
                ("zones", zi, "physical_networks"),
                f"zone '{zone.name}' carries no {', '.join(missing)} traffic",
                f"Add traffic entries of type {', '.join(missing)} to a physical network; "
                "the zone cannot be enabled without them.",
            )


def traffic_type_once(spec: Spec) -> Iterator[Finding]:
    """SPC398: a traffic type appears on one physical network of a zone only."""
    for zi, zone in enumerate(spec.zones):
        seen: dict[str, str] = {}
        for ni, net in enumerate(zone.physical_networks):
            for ti, traffic in enumerate(net.traffic):
                if traffic.type == "Guest":
                    continue  # guest traffic may span several physical networks
                if traffic.type in seen:
                    yield Finding(
                        "SPC398",
                        E,
                        ("zones", zi, "physical_networks", ni, "traffic", ti, "type"),
                        f"{traffic.type} traffic of zone '{zone.name}' is on physical network "
                        f"'{net.name}' and already on '{seen[traffic.type]}'",
                        "Carry each of Management, Public and Storage on one physical network.",
                    )
                else:
                    seen[traffic.type] = net.name


def tungsten_provider(spec: Spec) -> Iterator[Finding]:
    """SPC399: a physical network isolated by TF enables the Tungsten provider (warning)."""
    for zi, zone in enumerate(spec.zones):
        for ni, net in enumerate(zone.physical_networks):
            if net.isolation == "TF" and "Tungsten" not in net.providers:
                yield Finding(
                    "SPC399",
                    W,
                    ("zones", zi, "physical_networks", ni, "isolation"),
                    f"physical network '{net.name}' uses TF isolation without the Tungsten "
                    "provider",
                    "Add Tungsten to providers: Tungsten Fabric provides the network services.",
                )


RULES: tuple[Rule, ...] = (
    zone_pool_hypervisor,
    scope_fields_ignored,
    backend_fits_pool,
    zone_pool_reaches_cluster,
    zone_has_secondary,
    edge_zone_version,
    edge_zone_kvm,
    traffic_types_present,
    traffic_type_once,
    tungsten_provider,
)
