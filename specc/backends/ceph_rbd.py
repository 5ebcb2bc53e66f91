"""Ceph RBD: a RADOS pool as primary storage for KVM (rules SPC32x).

Everything specc knows about it: the spec model; the rules (KVM only, pool layout,
MONs, RBD cache RAM); the pool URL ``rbd://user:secret@monitor/pool`` of the
default provider (apache/cloudstack ``CloudStackPrimaryDataStoreLifeCycleImpl``
``.initialize``, scheme ``rbd``: ``StoragePoolType.RBD`` with the user info); the
host scripts (:mod:`specc.backends.ceph_rbd_scripts`: the admin node, the KVM
clients); checks, runbook warnings and rollback notes.

The thresholds are advice from the Ceph articles of the seed (warnings: CloudStack
checks none of them): replica size 3 for production (2 for tests), at least 10 OSD
nodes, an odd number of MONs behind a round-robin DNS name, no erasure-coded pools
for VM disks, and an RBD cache of (by default) 32 MB per volume that costs host RAM.
The server's own rule is KVM only (SPC320). The model's bounds are Ceph's: a
replica size of 1..10 (the monitor's ``osd pool set size``: "pool size must be
between 1 and 10") and pg_num up to ``mon_max_pool_pg_num`` (default 65536).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints

from specc.backends.base import (
    BackendModel,
    PoolParams,
    PoolSite,
    StorageAddress,
    StorageBackend,
)
from specc.backends.ceph_rbd_scripts import (
    admin_host,
    ceph_admin_script,
    key_file,
    kvm_ceph_client_script,
)
from specc.core.steps import Check, Concat, HostScript
from specc.errors import Severity
from specc.hosts.roles import HostRole, Role
from specc.hosts.shell import secret_param
from specc.hosts.topology import Placed, PoolUse, find_host, pool_ids, pool_uses
from specc.spec.rules import Finding, Rule
from specc.spec.rules.topology import backend_named, iter_pools, pool_clusters
from specc.spec.types import Secret, SpecModel

if TYPE_CHECKING:
    from specc.spec.models import PrimaryStorage, Spec

E = Severity.ERROR
W = Severity.WARNING

RBD_CACHE_RAM_SHARE = 0.10
"""Warn when the estimated RBD cache of one host exceeds this share of its RAM.

specc's own threshold on the seed article's arithmetic ("50 VMs with 4 volumes
each ... 50 x 4 x 32MB = 6.4GB of additional RAM consumed on a KVM host").
"""

MIN_OSD_NODES = 10
"""Seed article: "Make sure that your production cluster is at least 10 nodes"."""

SLASH_FIX_VERSION = (4, 18, 1)
"""apache/cloudstack#4147 and #7673 (a key with '/'), fixed by PR #7708 in 4.18.1."""


# --- the spec model ----------------------------------------------------------------


class CephPool(SpecModel):
    """The RADOS pool that holds the RBD images."""

    name: Annotated[str, StringConstraints(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")]
    pg_num: Annotated[int, Field(ge=1, le=65536)] = Field(
        default=128,
        description="Placement groups; at most Ceph's mon_max_pool_pg_num (default 65536).",
    )
    size: Annotated[int, Field(ge=1, le=10)] = Field(
        default=3,
        description="Replica count, 1..10 as Ceph takes it: 3 for production, 2 tolerable for "
        "tests (SPC324, SPC325).",
    )
    kind: Literal["replicated", "erasure"] = "replicated"
    erasure_profile: str | None = Field(
        default=None, description="Erasure-code profile (k+m, e.g. '4+2'); only for kind erasure."
    )


class RbdCache(SpecModel):
    """The ``[client]`` RBD cache settings written to ceph.conf on KVM hosts."""

    enabled: bool = True
    size_mb: Annotated[int, Field(ge=1)] = Field(
        default=32, description="RBD cache per volume, in MiB (Ceph default 32; SPC328)."
    )
    writethrough_until_flush: bool = True


class CephBackend(BackendModel):
    """A Ceph cluster used as RBD primary storage (KVM only)."""

    type: Literal["ceph"]
    monitors: list[Annotated[str, StringConstraints(min_length=1)]] = Field(
        min_length=1, description="MON addresses (one per MON server; an odd number)."
    )
    monitor_dns: str | None = Field(
        default=None,
        description="Round-robin DNS name over the MONs, used in the pool URL. "
        "Without it the first monitor address is used (a single point of failure).",
    )
    pool: CephPool
    user: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.\-]+$")] = Field(
        default="cloudstack", description="Ceph client user (without 'client.')."
    )
    secret: Secret = Field(description="The client key (base64) as a secret reference.")
    rbd_cache: RbdCache = Field(default_factory=RbdCache)
    admin_node: str | None = Field(
        default=None, description="Host where the pool and key are created (has the admin keyring)."
    )
    min_client_release: Literal[
        "jewel", "luminous", "mimic", "nautilus", "octopus", "pacific", "quincy", "reef", "squid"
    ] = Field(default="luminous", description="The cluster's minimum client release.")
    osd_nodes: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="Number of OSD servers (>= 10 advised for production)."
    )
    copy_admin_keyring: bool = Field(
        default=False, description="Copy the admin keyring to KVM hosts (for the rbd CLI there)."
    )

    def storage_addresses(self) -> tuple[StorageAddress, ...]:
        """Every MON."""
        return tuple(StorageAddress(("monitors", i), m) for i, m in enumerate(self.monitors))


# --- rules -------------------------------------------------------------------------


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
    """SPC321: an even number of MONs (warning): quorum gains nothing from the last one.

    Advice (seed article and Ceph's quorum rule: a majority of MONs), not a server check.
    """
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
    """SPC322: a single monitor address without a round-robin DNS name (warning).

    Advice from the seed article: the pool URL names one host, so a round-robin DNS
    name over the MONs keeps the pool reachable when one MON is down.
    """
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
    """SPC323: fewer than 10 OSD nodes (warning).

    Advice from the seed article (:data:`MIN_OSD_NODES`).
    """
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
    """SPC324: a pool with a single replica (warning): any OSD failure loses VM disks.

    Advice from the seed article (replica size 3 for production, 2 while testing);
    Ceph and CloudStack accept size 1.
    """
    for bi, b in _ceph_backends(spec):
        if b.pool.kind == "replicated" and b.pool.size == 1:
            yield Finding(
                "SPC324",
                W,
                ("backends", bi, "pool", "size"),
                f"Ceph pool '{b.pool.name}' of backend '{b.name}' keeps 1 replica",
                "Set size 3 (2 is tolerable for tests only).",
            )


def pool_size_small(spec: Spec) -> Iterator[Finding]:
    """SPC325: a pool with 2 replicas (warning): tolerable for tests, not production.

    Advice from the seed article, as SPC324.
    """
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
    """SPC326: an erasure-coded pool for VM disks (warning).

    Advice from the seed article: erasure coding is for object storage.
    """
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
    """SPC328: the RBD cache estimate (VMs x volumes x cache size) vs host RAM (warning).

    The seed article's arithmetic against :data:`RBD_CACHE_RAM_SHARE`, specc's threshold.
    """
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


# --- the plug-in -------------------------------------------------------------------


def _admin(spec: Spec, backend: CephBackend) -> tuple[str, str]:
    """The admin node's (name, address), placed among the spec's hosts when it is one."""
    return admin_host(backend, find_host(spec, backend.admin_node) if backend.admin_node else None)


def _kvm_client(spec: Spec, placed: Placed, uses: tuple[PoolUse, ...]) -> HostScript:
    """The Ceph client script of one KVM host, for every Ceph backend it mounts."""
    ceph = {u.backend.name: u.backend for u in uses if isinstance(u.backend, CephBackend)}
    admins = {name: _admin(spec, be)[1] for name, be in ceph.items()}
    backends = tuple(ceph[n] for n in sorted(ceph))
    return kvm_ceph_client_script(placed, backends, pool_ids(uses), admins)


CEPH_ADMIN = Role(
    name="ceph-admin",
    script_id="script:ceph-admin:<backend>",
    runs_on="the backend's `admin_node` (a spec host, else that name, else the first MON)",
    does=(
        "`ceph osd pool create <pool> <pg_num> <pg_num> replicated` and `ceph osd pool set "
        "<pool> size <n>`, or an erasure profile (`4+2` -> `specc-k4-m2`, `k=4 m=2`) and "
        "`allow_ec_overwrites`; `rbd pool init`; `ceph auth get-or-create client.<user> mon "
        "'profile rbd' osd 'profile rbd pool=<pool>'` (caps corrected with `ceph auth caps` "
        "when they differ); the key written with umask 077 to the secret's file (for `{file: "
        "...}`) or `/etc/ceph/ceph.client.<user>.key`, never printed, rewritten when it "
        "differs from the cluster's; `ceph health` and `rbd ls`"
    ),
    rollback=(
        "the key: `ceph auth del client.<user>`; the pool (destroys its images; needs "
        "mon_allow_pool_delete): `ceph osd pool rm <pool> <pool> --yes-i-really-really-mean-it`"
    ),
)
KVM_CEPH_CLIENT = HostRole(
    name="kvm-ceph-client",
    runs_on="each KVM host an RBD pool reaches",
    does=(
        "`ceph-common librbd1` (+ `libvirt-daemon-driver-storage-rbd` on "
        "el8+/Debian/Ubuntu); refuses a librbd older than the cluster's `min_client_release` "
        "(luminous = 12.2.0, ...); merges `[global] mon host` and `[client] rbd cache`, `rbd "
        "cache writethrough until flush`, `rbd cache size` into the existing "
        "`/etc/ceph/ceph.conf`, keeping every other line; copies the admin keyring (scp, "
        "mode 0600) only with `copy_admin_keyring: true`; `virsh pool-list`"
    ),
    rollback=(
        "the packages can stay; remove the [client] rbd cache lines from /etc/ceph/ceph.conf "
        "if unwanted"
    ),
    hypervisors=frozenset({"KVM"}),
    build=_kvm_client,
)


class CephRbd(StorageBackend[CephBackend]):
    """Ceph RBD through the default provider, KVM only (its own rule SPC320 says so)."""

    type = "ceph"
    model = CephBackend
    provider = "DefaultPrimary"
    hypervisors = frozenset({"KVM"})
    checks_fit = True
    rules = RULES
    roles = (CEPH_ADMIN, KVM_CEPH_CLIENT)

    def pool(self, backend: CephBackend, pool: PrimaryStorage, site: PoolSite) -> PoolParams:
        """``rbd://user:<key, percent-encoded>@monitor/pool`` (monitor_dns, else the first MON)."""
        monitor = backend.monitor_dns or backend.monitors[0]
        return PoolParams(
            Concat(
                (
                    f"rbd://{backend.user}:",
                    secret_param(backend.secret, "url"),
                    f"@{monitor}/{backend.pool.name}",
                )
            )
        )

    def backend_scripts(
        self,
        spec: Spec,
        backend: CephBackend,
        uses: tuple[PoolUse, ...],
        network: Mapping[str, str],
    ) -> tuple[HostScript, ...]:
        """The admin node's script: the pool and the client key."""
        placed = find_host(spec, backend.admin_node) if backend.admin_node else None
        return (ceph_admin_script(backend, placed, pool_ids(uses)),)

    def preflight_checks(
        self, spec: Spec, backend: CephBackend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """Admin access on the admin node; with copy_admin_keyring, ssh from each client."""
        if not uses:
            return ()
        name = backend.name
        admin = backend.admin_node or backend.monitors[0]
        out = [
            Check(
                f"preflight:ceph-admin:{name}",
                f"the admin node of Ceph {name} has the admin keyring",
                "ceph -s",
                admin,
            )
        ]
        if backend.copy_admin_keyring:
            src = _admin(spec, backend)[1]
            clients = {p.host.name for u in uses for p in u.hosts}
            out += [
                Check(
                    f"preflight:admin-keyring-ssh:{name}:{h}",
                    f"{h} can scp the admin keyring from {src} (copy_admin_keyring)",
                    f"ssh -o BatchMode=yes root@{src} true",
                    h,
                )
                for h in sorted(clients - {admin})
            ]
        return tuple(out)

    def verification_checks(
        self, spec: Spec, backend: CephBackend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """The cluster's health and images; the libvirt RBD pool on each client."""
        if not uses:
            return ()
        name = backend.name
        out = [
            Check(
                f"check:ceph-health:{name}",
                f"Ceph {name} is HEALTH_OK and the pool lists its images",
                f"ceph -s && rbd ls {backend.pool.name}",
                backend.admin_node or backend.monitors[0],
            )
        ]
        out += [
            Check(
                f"check:virsh-pool:{h}:{name}",
                f"libvirt on {h} has the RBD pool (named after the storage pool's uuid) "
                "active: virsh pool-info <uuid>",
                "virsh pool-list --all",
                h,
            )
            for h in sorted({p.host.name for u in uses for p in u.hosts})
        ]
        return tuple(out)

    def warnings(
        self,
        spec: Spec,
        backend: CephBackend,
        uses: tuple[PoolUse, ...],
        version: tuple[int, ...],
    ) -> tuple[str, ...]:
        """RBD cache RAM per KVM host, the limits of RBD, Ceph's production advice."""
        if not uses:
            return ()
        out = list(_cache_ram_lines(spec, backend))
        be = backend
        out.append(
            f"Ceph {be.name}: no full VM snapshots (no RAM state on raw RBD images) and "
            "no NFS-style HA heartbeat file on RBD primary storage."
        )
        if be.osd_nodes is not None and be.osd_nodes < MIN_OSD_NODES:
            out.append(f"Ceph {be.name}: {be.osd_nodes} OSD nodes; >= 10 advised in production.")
        if len(be.monitors) % 2 == 0:
            out.append(f"Ceph {be.name}: {len(be.monitors)} MONs; use an odd number.")
        if be.monitor_dns is None:
            out.append(
                f"Ceph {be.name}: the pool URL names one monitor ({be.monitors[0]}), a single "
                "point of failure; use a round-robin DNS name over the MONs (monitor_dns)."
            )
        if be.pool.size < 3 and be.pool.kind == "replicated":
            out.append(f"Ceph {be.name}: pool size {be.pool.size}; 3 for production.")
        if be.pool.kind == "erasure":
            out.append(
                f"Ceph {be.name}: erasure-coded pools are for space efficiency and object "
                "storage, not for VM disks."
            )
        out.append(
            f"Ceph {be.name}: 10 GbE or faster, separate client and replication networks, no "
            "cache tiering, clocks within 0.05 s (else HEALTH_WARN clock skew)."
        )
        if version < SLASH_FIX_VERSION:
            out.append(
                f"Ceph {be.name}: CloudStack {spec.cloudstack.version} fails to add an RBD "
                "pool whose key contains '/' (apache/cloudstack#4147, fixed in 4.18.1): if "
                f"ceph auth get-key client.{be.user} shows a '/', regenerate the key."
            )
        return tuple(out)

    def rollback_notes(self, backend: CephBackend) -> dict[str, str]:
        """The admin script's key and pool, by name."""
        be = backend
        return {
            f"script:ceph-admin:{be.name}": (
                f"`ceph auth del client.{be.user}` and remove {key_file(be)}; the pool "
                f"destroys its images: `ceph osd pool rm {be.pool.name} {be.pool.name} "
                "--yes-i-really-really-mean-it` (needs mon_allow_pool_delete)"
            )
        }


def _cache_ram_lines(spec: Spec, backend: CephBackend) -> Iterator[str]:
    """The RBD cache RAM estimate of each KVM host whose first Ceph pool is on *backend*.

    A host that mounts pools of several Ceph backends is estimated once, with the
    cache size of the first (in pool order), as rule SPC328 does.
    """
    seen: set[str] = set()
    for u in pool_uses(spec):
        if not isinstance(u.backend, CephBackend):
            continue
        for p in u.hosts:
            wl = p.cluster.workload
            if p.host.name in seen or wl is None or p.cluster.hypervisor != "KVM":
                continue
            seen.add(p.host.name)
            if u.backend is not backend:
                continue
            size = u.backend.rbd_cache.size_mb
            mb = wl.vms_per_host * wl.volumes_per_vm * size
            line = (
                f"RBD cache RAM on {p.host.name}: {wl.vms_per_host} VMs x "
                f"{wl.volumes_per_vm} volumes x {size} MB = {mb / 1000:.1f} GB"
            )
            if p.host.memory_gb is not None:
                line += f" of {p.host.memory_gb} GB"
            yield line + " (the cache is per volume)."
