"""Ceph RBD primary storage (SPC32x): KVM only, pool layout, MONs, RBD cache RAM.

The thresholds come from the Ceph articles in the sources: replica size 3 for
production (2 tolerable for tests), at least 10 OSD nodes, an odd number of MONs
behind a round-robin DNS name, no erasure-coded pools for VM disks, and an RBD
cache of (by default) 32 MB per volume that costs host RAM.
"""

from __future__ import annotations

from collections.abc import Iterator

from specc.errors import Severity
from specc.spec.models import CephBackend, Spec
from specc.spec.rules import Finding, Rule
from specc.spec.rules.topology import backend_named, iter_pools, pool_clusters

E = Severity.ERROR
W = Severity.WARNING

RBD_CACHE_RAM_SHARE = 0.10
"""Warn when the estimated RBD cache of one host exceeds this share of its RAM."""

MIN_OSD_NODES = 10


def _ceph_backends(spec: Spec) -> Iterator[tuple[int, CephBackend]]:
    for bi, backend in enumerate(spec.backends):
        if isinstance(backend, CephBackend):
            yield bi, backend


def ceph_kvm_only(spec: Spec) -> Iterator[Finding]:
    """SPC320: a Ceph RBD pool is mounted by KVM clusters only."""
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if not isinstance(backend, CephBackend):
            continue
        pool = at.pool
        if pool.scope == "zone" and pool.hypervisor != "KVM":
            yield Finding(
                "SPC320",
                E,
                (*at.path, "hypervisor" if pool.hypervisor else "scope"),
                f"zone-wide Ceph pool '{pool.name}' has hypervisor {pool.hypervisor or '(unset)'}"
                "; CloudStack supports Ceph RBD with KVM only",
                "Set hypervisor: KVM on the zone-wide pool.",
            )
            continue
        for cluster in pool_clusters(at.zone, pool):
            if cluster.hypervisor != "KVM":
                yield Finding(
                    "SPC320",
                    E,
                    (*at.path, "cluster"),
                    f"Ceph pool '{pool.name}' is mounted by {cluster.hypervisor} cluster "
                    f"'{cluster.name}'; CloudStack supports Ceph RBD with KVM only",
                    "Attach the pool to a KVM cluster.",
                )


def odd_monitors(spec: Spec) -> Iterator[Finding]:
    """SPC321: an even number of MONs (warning): quorum gains nothing from the last one."""
    for bi, b in _ceph_backends(spec):
        n = len(b.monitors)
        if n % 2 == 0:
            yield Finding(
                "SPC321",
                W,
                ("backends", bi, "monitors"),
                f"Ceph backend '{b.name}' lists {n} monitors, an even number",
                "Run an odd number of MONs (3 or 5, one per server) to avoid split brain.",
            )


def monitor_redundancy(spec: Spec) -> Iterator[Finding]:
    """SPC322: a single monitor address without a round-robin DNS name (warning)."""
    for bi, b in _ceph_backends(spec):
        if b.monitor_dns is None and len(b.monitors) == 1:
            yield Finding(
                "SPC322",
                W,
                ("backends", bi, "monitors"),
                f"Ceph backend '{b.name}' reaches its cluster through the single monitor "
                f"{b.monitors[0]}, a single point of failure",
                "Set monitor_dns to a round-robin DNS name over several MONs.",
            )


def osd_node_count(spec: Spec) -> Iterator[Finding]:
    """SPC323: fewer than 10 OSD nodes (warning)."""
    for bi, b in _ceph_backends(spec):
        if b.osd_nodes is not None and b.osd_nodes < MIN_OSD_NODES:
            yield Finding(
                "SPC323",
                W,
                ("backends", bi, "osd_nodes"),
                f"Ceph backend '{b.name}' has {b.osd_nodes} OSD nodes; at least "
                f"{MIN_OSD_NODES} are advised for production",
                "With few nodes a failure rebalances a large share of the data (33 % with 3 "
                "nodes, 10 % with 10); plan for 10 or more.",
            )


def pool_size_one(spec: Spec) -> Iterator[Finding]:
    """SPC324: a pool with a single replica (error): any OSD failure loses VM disks."""
    for bi, b in _ceph_backends(spec):
        if b.pool.kind == "replicated" and b.pool.size == 1:
            yield Finding(
                "SPC324",
                E,
                ("backends", bi, "pool", "size"),
                f"Ceph pool '{b.pool.name}' of backend '{b.name}' keeps 1 replica",
                "Set size 3 (2 is tolerable for tests only).",
            )


def pool_size_small(spec: Spec) -> Iterator[Finding]:
    """SPC325: a pool with 2 replicas (warning): tolerable for tests, not production."""
    for bi, b in _ceph_backends(spec):
        if b.pool.kind == "replicated" and b.pool.size == 2:
            yield Finding(
                "SPC325",
                W,
                ("backends", bi, "pool", "size"),
                f"Ceph pool '{b.pool.name}' of backend '{b.name}' keeps 2 replicas",
                "Use size 3 in production.",
            )


def erasure_pool(spec: Spec) -> Iterator[Finding]:
    """SPC326: an erasure-coded pool for VM disks (warning)."""
    for bi, b in _ceph_backends(spec):
        if b.pool.kind == "erasure":
            profile = f" ({b.pool.erasure_profile})" if b.pool.erasure_profile else ""
            yield Finding(
                "SPC326",
                W,
                ("backends", bi, "pool", "kind"),
                f"Ceph pool '{b.pool.name}' of backend '{b.name}' is erasure-coded{profile}",
                "Erasure-coded pools suit space efficiency and object storage, not VM disks; "
                "use a replicated pool.",
            )


def erasure_profile_without_erasure(spec: Spec) -> Iterator[Finding]:
    """SPC327: an erasure profile on a replicated pool (warning): it is ignored."""
    for bi, b in _ceph_backends(spec):
        if b.pool.kind == "replicated" and b.pool.erasure_profile is not None:
            yield Finding(
                "SPC327",
                W,
                ("backends", bi, "pool", "erasure_profile"),
                f"Ceph pool '{b.pool.name}' is replicated but sets erasure_profile "
                f"{b.pool.erasure_profile}",
                "Remove erasure_profile, or set kind: erasure if that is what you mean.",
            )


def rbd_cache_ram(spec: Spec) -> Iterator[Finding]:
    """SPC328: the RBD cache estimate (VMs x volumes x cache size) vs host RAM (warning)."""
    reported: set[tuple[int, int, int]] = set()
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if not isinstance(backend, CephBackend) or not backend.rbd_cache.enabled:
            continue
        size_mb = backend.rbd_cache.size_mb
        zi = at.zone_index
        reached = {id(c) for c in pool_clusters(at.zone, at.pool)}
        for pi, pod in enumerate(at.zone.pods):
            for ci, cluster in enumerate(pod.clusters):
                if id(cluster) not in reached or cluster.workload is None:
                    continue
                if (zi, pi, ci) in reported:
                    continue
                reported.add((zi, pi, ci))
                w = cluster.workload
                cache_mb = w.vms_per_host * w.volumes_per_vm * size_mb
                for hi, host in enumerate(cluster.hosts):
                    if host.memory_gb is None:
                        continue
                    share = cache_mb / (host.memory_gb * 1024)
                    if share > RBD_CACHE_RAM_SHARE:
                        yield Finding(
                            "SPC328",
                            W,
                            ("zones", zi, "pods", pi, "clusters", ci, "hosts", hi, "memory_gb"),
                            f"RBD cache on host '{host.name}' needs about {cache_mb:,} MB "
                            f"({w.vms_per_host} VMs x {w.volumes_per_vm} volumes x {size_mb} MB), "
                            f"{share:.0%} of its {host.memory_gb} GB RAM",
                            f"Keep it under {RBD_CACHE_RAM_SHARE:.0%}: lower rbd_cache.size_mb, "
                            "the VM density, or add RAM.",
                        )


RULES: tuple[Rule, ...] = (
    ceph_kvm_only,
    odd_monitors,
    monitor_redundancy,
    osd_node_count,
    pool_size_one,
    pool_size_small,
    erasure_pool,
    erasure_profile_without_erasure,
    rbd_cache_ram,
)
