"""SolidFire, managed: one SolidFire volume per CloudStack volume (rules SPC33x, 348-349, 385-387).

Everything specc knows about it: the spec model; the rules (the per-volume IOPS
limits of CloudStack's plug-in, capacity, zone-wide hypervisor, QoS and snapshot
reserve of the offerings that land on it, the hosts' storage addresses and the
hypervisors' datastore/SR counts); the pool URL of the ``SolidFire`` provider
(apache/cloudstack ``SolidFireUtil.PROVIDER_NAME``), a ``key=value;...`` string,
created managed (``SolidFirePrimaryDataStoreLifeCycle.initialize``:
``setManaged(true)``, and it requires capacityBytes and capacityIops > 0); the host
roles it shares (the KVM iSCSI initiator, the ESXi/XenServer prerequisites:
:mod:`specc.hosts.iscsi`); checks and runbook warnings.

Limits from the server's source (4.18.2.5 and 4.22.1.0, :mod:`specc.backends.element`):
``initialize`` holds clusterDefaultMinIops to 100..15,000, clusterDefaultMaxIops to
at most 100,000 and at least the min, and the burst multiplier to at least 1; the
driver caps a volume's Burst IOPS at 100,000 and refuses a Max above it. A zone-wide
pool is stored with hypervisor Any whatever the request says (``initialize``:
``setHypervisorType(HypervisorType.Any)``) and ``attachZone`` connects the zone's
XenServer, VMware and KVM hosts. Advice from the seed article (warnings): Element
guarantees at most 15,000 Min IOPS per volume; managed storage makes one
datastore/SR per volume, so the hypervisor's limit caps the volumes of a cluster:
VMware 6.5 has 512 datastores per cluster, XenServer 6.x-8.0 256 SRs (soft; 500-600
tested, slow), KVM none.
"""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints

from specc.backends.base import (
    BackendModel,
    PoolParams,
    PoolSite,
    StorageAddress,
    StorageBackend,
)
from specc.backends.element import (
    DATASTORE_HYPERVISORS,
    MAX_IOPS_PER_VOLUME,
    MAX_MIN_IOPS_PER_VOLUME,
    MIN_IOPS_PER_VOLUME,
    mvip_check,
)
from specc.backends.solidfire_shared import TYPE as SHARED_TYPE
from specc.backends.solidfire_shared import SolidFireSharedBackend
from specc.core.steps import Check, Concat
from specc.errors import Severity
from specc.hosts.iscsi import (
    ESXI_SOLIDFIRE_PREREQ,
    KVM_ISCSI_INITIATOR,
    XENSERVER_SOLIDFIRE_PREREQ,
    iscsi_checks,
)
from specc.hosts.shell import secret_param
from specc.hosts.topology import PoolUse
from specc.spec.rules import Finding, JsonPath, Rule
from specc.spec.rules.topology import (
    ClusterAt,
    OfferingReach,
    PoolAt,
    backend_named,
    hosts_mounting,
    iter_clusters,
    iter_offerings,
    iter_pools,
    pools_by_cluster,
)
from specc.spec.types import Iops, Secret

if TYPE_CHECKING:
    from specc.spec.models import PrimaryStorage, Spec
    from specc.spec.rules.topology import Offering

E = Severity.ERROR
W = Severity.WARNING

TYPE = "solidfire"

DATASTORE_LIMITS: dict[str, tuple[int, str]] = {
    "VMware": (512, "datastores per cluster (VMware 6.5, hard limit)"),
    "XenServer": (256, "SRs (XenServer 6.x-8.0, soft limit; mounting slows beyond it)"),
}
"""The hypervisors' own limits, from the seed article (not CloudStack's: no server check)."""


class SolidFireBackend(BackendModel):
    """A SolidFire cluster through the managed 'SolidFire' plugin (one volume per LUN)."""

    type: Literal["solidfire"]
    mvip: IPv4Address = Field(description="Management virtual IP.")
    svip: IPv4Address = Field(description="Storage (iSCSI) virtual IP.")
    admin_user: Annotated[str, StringConstraints(min_length=1)]
    admin_password: Secret
    default_min_iops: Iops = Field(
        description="clusterDefaultMinIops: a volume's Min IOPS when its offering sets none "
        "(100..15,000, SPC330)."
    )
    default_max_iops: Iops = Field(
        description="clusterDefaultMaxIops: a volume's Max IOPS when its offering sets none "
        "(at most 100,000, SPC331)."
    )
    default_burst_multiplier: Annotated[float, Field(ge=1.0)] = Field(
        default=1.5,
        description="clusterDefaultBurstIopsPercentOfMaxIops: Burst IOPS as a multiple of Max "
        "IOPS, at least 1 (SolidFirePrimaryDataStoreLifeCycle.initialize); a volume's burst "
        "is capped at 100,000.",
    )

    def storage_addresses(self) -> tuple[StorageAddress, ...]:
        """The storage (iSCSI) virtual IP."""
        return (StorageAddress(("svip",), str(self.svip)),)


# --- rules -------------------------------------------------------------------------


def _qos_offerings(spec: Spec) -> Iterator[tuple[Offering, JsonPath, int | None, int | None]]:
    """(offering, path of its qos, min, max) of every storage-QoS offering whose IOPS
    the server takes (``customizediops=false``; a customized offering sends none)."""
    for offering, path in iter_offerings(spec):
        qos = offering.qos
        if qos.type == "storage" and not qos.customized:
            yield offering, (*path, "qos"), qos.min_iops, qos.max_iops


def _on_solidfire(reach: OfferingReach, offering: Offering) -> bool:
    """Whether the offering lands on a SolidFire 1:1 pool (whose volumes take its QoS)."""
    return TYPE in reach.kinds(offering)[1]


def _backends(spec: Spec) -> Iterator[tuple[int, SolidFireBackend]]:
    for bi, b in enumerate(spec.backends):
        if isinstance(b, SolidFireBackend):
            yield bi, b


def default_min_iops_range(spec: Spec) -> Iterator[Finding]:
    """SPC330: a SolidFire backend's default_min_iops lies within 100..15,000.

    apache/cloudstack ``SolidFirePrimaryDataStoreLifeCycle.initialize`` (4.18.2.5,
    4.22.1.0) refuses a ``clusterDefaultMinIops`` below
    ``SolidFireUtil.MIN_IOPS_PER_VOLUME`` (100) or above
    ``SolidFireUtil.MAX_MIN_IOPS_PER_VOLUME`` (15,000): createStoragePool fails.
    """
    for bi, b in _backends(spec):
        lo = b.default_min_iops
        if lo < MIN_IOPS_PER_VOLUME:
            said = f"greater than or equal to {MIN_IOPS_PER_VOLUME}"
        elif lo > MAX_MIN_IOPS_PER_VOLUME:
            said = f"less than or equal to {MAX_MIN_IOPS_PER_VOLUME}"
        else:
            continue
        yield Finding(
            "SPC330",
            E,
            ("backends", bi, "default_min_iops"),
            f"SolidFire backend '{b.name}' default_min_iops {lo:,} is outside "
            f"{MIN_IOPS_PER_VOLUME:,}..{MAX_MIN_IOPS_PER_VOLUME:,}: createStoragePool "
            f"answers \"The parameter 'clusterDefaultMinIops' must be {said}.\"",
            f"Set default_min_iops between {MIN_IOPS_PER_VOLUME} and "
            f"{MAX_MIN_IOPS_PER_VOLUME} (SolidFireUtil.MIN_IOPS_PER_VOLUME, "
            "MAX_MIN_IOPS_PER_VOLUME).",
        )


def max_iops_limit(spec: Spec) -> Iterator[Finding]:
    """SPC331: a SolidFire volume's Max IOPS is at most 100,000.

    The backend's default: ``SolidFirePrimaryDataStoreLifeCycle.initialize`` refuses a
    ``clusterDefaultMaxIops`` above ``SolidFireUtil.MAX_IOPS_PER_VOLUME``. An offering
    that lands on a SolidFire 1:1 pool: ``SolidFirePrimaryDataStoreDriver
    .getDefaultBurstIops`` caps the volume's Burst IOPS at ``MAX_IOPS_PER_VOLUME`` and
    the driver's ``Iops`` refuses a Max above the Burst ("The 'Max IOPS' value cannot
    exceed the 'Burst IOPS' value."), so none of its volumes can be created.
    """
    for bi, b in _backends(spec):
        if b.default_max_iops > MAX_IOPS_PER_VOLUME:
            yield Finding(
                "SPC331",
                E,
                ("backends", bi, "default_max_iops"),
                f"SolidFire backend '{b.name}' default_max_iops {b.default_max_iops:,} is above "
                f'{MAX_IOPS_PER_VOLUME:,}: createStoragePool answers "The parameter '
                f"'clusterDefaultMaxIops' must be less than or equal to {MAX_IOPS_PER_VOLUME}.\"",
                f"Set default_max_iops to {MAX_IOPS_PER_VOLUME:,} or less "
                "(SolidFireUtil.MAX_IOPS_PER_VOLUME).",
            )
    reach = OfferingReach(spec)
    for offering, path, _lo, hi in _qos_offerings(spec):
        if hi is not None and hi > MAX_IOPS_PER_VOLUME and _on_solidfire(reach, offering):
            yield Finding(
                "SPC331",
                E,
                (*path, "max_iops"),
                f"offering '{offering.name}' Max IOPS {hi:,} is above {MAX_IOPS_PER_VOLUME:,}, "
                "the most a SolidFire volume gets from CloudStack: its volumes on SolidFire "
                "pools cannot be created (the Burst IOPS is capped below the Max)",
                f"Set max_iops to {MAX_IOPS_PER_VOLUME:,} or less "
                "(SolidFireUtil.MAX_IOPS_PER_VOLUME).",
            )


def min_not_above_max(spec: Spec) -> Iterator[Finding]:
    """SPC332: Min IOPS and Max IOPS are given together, Min not above Max.

    The backend's defaults: ``SolidFirePrimaryDataStoreLifeCycle.initialize`` ("The
    parameter 'clusterDefaultMinIops' must be less than or equal to the parameter
    'clusterDefaultMaxIops'."). An offering with storage QoS that is not customized:
    ``ConfigurationManagerImpl.createDiskOfferingInternal`` (also behind
    createServiceOffering) takes a missing Max as 0 and refuses a missing Min ("The min
    IOPS must be greater than 0.") and a Min above the Max ("The min IOPS must be less
    than or equal to the max IOPS.").
    """
    for bi, b in _backends(spec):
        if b.default_min_iops > b.default_max_iops:
            yield Finding(
                "SPC332",
                E,
                ("backends", bi, "default_min_iops"),
                f"SolidFire backend '{b.name}' default_min_iops {b.default_min_iops:,} is "
                f"above its default_max_iops {b.default_max_iops:,}",
                "Min IOPS is the guaranteed floor; make it at most Max IOPS.",
            )
    for offering, path, lo, hi in _qos_offerings(spec):
        if lo is None and hi is None:
            continue
        if lo is None:
            yield Finding(
                "SPC332",
                E,
                (*path, "max_iops"),
                f"offering '{offering.name}' sets max_iops without min_iops: the server "
                'answers "The min IOPS must be greater than 0."',
                "Set both min_iops and max_iops, or neither.",
            )
        elif lo > (hi or 0):
            yield Finding(
                "SPC332",
                E,
                (*path, "min_iops"),
                f"offering '{offering.name}' Min IOPS {lo:,} is above its Max IOPS "
                f"{hi or 0:,}" + ("" if hi is not None else " (max_iops unset counts as 0)"),
                "Min IOPS is the guaranteed floor; set max_iops, at least min_iops.",
            )


def offering_min_iops(spec: Spec) -> Iterator[Finding]:
    """SPC349: an offering on SolidFire pools asks for more than 15,000 Min IOPS (warning).

    Element refuses a volume whose Min IOPS exceeds 15,000 (seed article: "Min IOPS per
    volume: cannot exceed 15,000"); ``SolidFireUtil.MAX_MIN_IOPS_PER_VOLUME`` holds the
    same value, but neither ``createDiskOffering`` nor ``SolidFirePrimaryDataStoreDriver``
    checks an offering against it. CloudStack accepts the offering; its volumes fail on
    the array when they are created, which specc's apply does not do.
    """
    reach = OfferingReach(spec)
    for offering, path, lo, _hi in _qos_offerings(spec):
        if lo is not None and lo > MAX_MIN_IOPS_PER_VOLUME and _on_solidfire(reach, offering):
            yield Finding(
                "SPC349",
                W,
                (*path, "min_iops"),
                f"offering '{offering.name}' Min IOPS {lo:,} is above "
                f"{MAX_MIN_IOPS_PER_VOLUME:,}, the most a SolidFire volume can guarantee: "
                "its volumes on SolidFire pools will be refused by the array",
                f"Set min_iops to {MAX_MIN_IOPS_PER_VOLUME:,} or less.",
            )


def _sf_pools(spec: Spec) -> Iterator[tuple[PoolAt, SolidFireBackend | SolidFireSharedBackend]]:
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if isinstance(backend, SolidFireBackend | SolidFireSharedBackend):
            yield at, backend


def capacity_required(spec: Spec) -> Iterator[Finding]:
    """SPC333: a SolidFire pool declares capacity_bytes and capacity_iops.

    ``SolidFirePrimaryDataStoreLifeCycle.initialize`` and
    ``SolidFireSharedPrimaryDataStoreLifeCycle.initialize``: "'capacityBytes' must be
    present and greater than 0." and the same for capacityIops. A SolidFireShared
    pool without capacity_iops gets the backend's min_iops from its plug-in
    (SPC342 wants them equal), so only its capacity_bytes is required here.
    """
    for at, backend in _sf_pools(spec):
        fields = (
            ("capacity_bytes",)
            if backend.type == SHARED_TYPE
            else ("capacity_bytes", "capacity_iops")
        )
        missing = [f for f in fields if getattr(at.pool, f) is None]
        if missing:
            yield Finding(
                "SPC333",
                E,
                (*at.path, "name"),
                f"{backend.type} pool '{at.pool.name}' does not set {' and '.join(missing)}",
                "createStoragePool needs capacityBytes (logical size CloudStack may provision) "
                "and capacityIops (sum of volumes' Min IOPS) for SolidFire; set both > 0.",
            )


def zone_wide_hypervisor_any(spec: Spec) -> Iterator[Finding]:
    """SPC334: a zone-wide SolidFire pool names VMware or Simulator (warning): stored as Any.

    ``StorageManagerImpl.createPool`` (4.18.2.5, 4.22.1.0) accepts a zone-wide pool for
    KVM, VMware, Hyperv, LXC, Any and Simulator (XenServer is refused for every
    provider: SPC390), and ``SolidFirePrimaryDataStoreLifeCycle.initialize`` stores
    every zone-wide pool as ``HypervisorType.Any``; ``attachZone`` connects the
    zone's XenServer, VMware and KVM hosts whatever the request said. The live pool
    then never matches the spec's hypervisor, and specc prepares only that
    hypervisor's hosts for it. (KVM: SPC335.)
    """
    for at, backend in _sf_pools(spec):
        pool = at.pool
        if backend.type != TYPE or pool.scope != "zone":
            continue
        if pool.hypervisor in ("VMware", "Simulator"):
            yield Finding(
                "SPC334",
                W,
                (*at.path, "hypervisor"),
                f"zone-wide SolidFire pool '{pool.name}' says hypervisor {pool.hypervisor}; "
                "the plugin accepts it but stores Any and connects the zone's XenServer, "
                "VMware and KVM hosts, so the live pool will never match",
                "Write hypervisor: Any.",
            )


def zone_wide_kvm_stored_as_any(spec: Spec) -> Iterator[Finding]:
    """SPC335: a zone-wide SolidFire pool with hypervisor KVM (warning): stored as Any.

    As SPC334: ``SolidFirePrimaryDataStoreLifeCycle.initialize`` stores
    ``HypervisorType.Any`` for every zone-wide pool.
    """
    for at, backend in _sf_pools(spec):
        pool = at.pool
        if backend.type == TYPE and pool.scope == "zone" and pool.hypervisor == "KVM":
            yield Finding(
                "SPC335",
                W,
                (*at.path, "hypervisor"),
                f"zone-wide SolidFire pool '{pool.name}' says hypervisor KVM; the plugin "
                "accepts it but stores Any, so the live pool will never match",
                "Write hypervisor: Any.",
            )


def _has_solidfire(spec: Spec) -> bool:
    return any(isinstance(b, SolidFireBackend) for b in spec.backends)


def snapshot_reserve_missing(spec: Spec) -> Iterator[Finding]:
    """SPC337: a SolidFire offering on VMware/XenServer without a snapshot reserve (warning).

    Advice from the seed article: the 1:1 plug-in makes each datastore/SR exactly the
    volume's size plus ``hypervisorsnapshotreserve`` percent.
    """
    if not _has_solidfire(spec):
        return
    reach = OfferingReach(spec)
    for offering, path in iter_offerings(spec):
        if offering.hypervisor_snapshot_reserve is not None:
            continue
        hvs = reach.hypervisors(offering, TYPE) & DATASTORE_HYPERVISORS
        if hvs and offering.hypervisor_snapshot_reserve is None:
            yield Finding(
                "SPC337",
                W,
                (*path, "name"),
                f"offering '{offering.name}' reaches SolidFire pools on "
                f"{'/'.join(sorted(hvs))} but sets no hypervisor_snapshot_reserve",
                "Each volume gets a datastore/SR of exactly its size, so VM snapshots cannot "
                "fit; set a reserve (e.g. 200 for 200 %).",
            )


def snapshot_reserve_useless(spec: Spec) -> Iterator[Finding]:
    """SPC338: a snapshot reserve that nothing consumes (warning), e.g. SolidFire on KVM.

    Advice from the seed article (KVM: "no need to define Hypervisor Snapshot
    Reserve, since there is no datastore / SR").
    """
    reach = OfferingReach(spec)
    for offering, path in iter_offerings(spec):
        if offering.hypervisor_snapshot_reserve is None:
            continue
        pools, kinds = reach.kinds(offering)
        if not pools or kinds == {SHARED_TYPE}:
            continue  # SPC347 or SPC360 says more
        hvs = reach.hypervisors(offering, TYPE)
        if not hvs & DATASTORE_HYPERVISORS:
            where = "SolidFire on KVM" if hvs else f"{', '.join(sorted(kinds))} pools"
            yield Finding(
                "SPC338",
                W,
                (*path, "hypervisor_snapshot_reserve"),
                f"offering '{offering.name}' sets hypervisor_snapshot_reserve "
                f"{offering.hypervisor_snapshot_reserve} but reaches only {where}, "
                "where it has no effect",
                "Only the SolidFire 1:1 plugin on VMware/XenServer uses it (KVM has no "
                "datastore/SR and no VM snapshots on raw LUNs); remove it.",
            )


def solidfire_offering_without_qos(spec: Spec) -> Iterator[Finding]:
    """SPC339: an offering reaching only SolidFire 1:1 pools without storage QoS (warning).

    ``SolidFirePrimaryDataStoreDriver.getIops`` gives such a volume the pool's
    clusterDefaultMinIops/MaxIops; the seed article advises setting them per offering.
    """
    if not _has_solidfire(spec):
        return
    reach = OfferingReach(spec)
    for offering, path in iter_offerings(spec):
        if offering.qos.type == "storage":
            continue
        pools, kinds = reach.kinds(offering)
        if pools and kinds == {TYPE}:
            yield Finding(
                "SPC339",
                W,
                (*path, "name"),
                f"offering '{offering.name}' lands on SolidFire pools but sets no storage QoS",
                "Its volumes get the cluster default Min/Max IOPS; set qos type storage with "
                "min_iops and max_iops.",
            )


def capacity_iops_fits_volumes(spec: Spec) -> Iterator[Finding]:
    """SPC348: a SolidFire pool's capacity_iops covers its expected volumes' Min IOPS (warning).

    ``SolidFirePrimaryDataStoreDriver.verifySufficientIopsForStoragePool`` refuses a
    volume whose Min IOPS would take the pool's volumes above capacityIops
    ("Insufficient number of IOPS available in this storage pool"), and
    ``StorageManagerImpl.storagePoolHasEnoughIops`` skips such a pool; a warning, as
    the volume count is the spec's estimate (expected_volumes).

    The lower bound uses the smallest Min IOPS a volume on the pool can get: that of
    the storage-QoS offerings landing on it, or the backend default when an offering
    leaves Min IOPS unset.
    """
    candidates = [
        (at, backend)
        for at, backend in _sf_pools(spec)
        if isinstance(backend, SolidFireBackend)
        and at.pool.expected_volumes is not None
        and at.pool.capacity_iops is not None
    ]
    if not candidates:
        return
    reach = OfferingReach(spec)
    landing: dict[int, list[Offering]] = {}  # id(pool) -> offerings landing on it
    for offering, _path in iter_offerings(spec):
        for p in reach.kinds(offering)[0]:
            landing.setdefault(id(p.pool), []).append(offering)
    for at, backend in candidates:
        pool = at.pool
        if pool.expected_volumes is None or pool.capacity_iops is None:
            continue  # not a candidate (narrows the types)
        mins: list[int] = []
        for offering in landing.get(id(pool), []):
            qos = offering.qos
            given = qos.min_iops if qos.type == "storage" else None
            mins.append(given if given is not None else backend.default_min_iops)
        per_volume = min(mins) if mins else backend.default_min_iops
        needed = pool.expected_volumes * per_volume
        if needed > pool.capacity_iops:
            yield Finding(
                "SPC348",
                W,
                (*at.path, "capacity_iops"),
                f"SolidFire pool '{pool.name}' expects {pool.expected_volumes} volumes of at "
                f"least {per_volume:,} Min IOPS ({needed:,}), above its capacity_iops "
                f"{pool.capacity_iops:,}",
                "The sum of volumes' Min IOPS may not exceed capacityIops: raise "
                "capacity_iops, or lower the offerings' Min IOPS or the expected volumes.",
            )


def host_storage_address(spec: Spec) -> Iterator[Finding]:
    """SPC385: a host mounting SolidFire has a storage address for iSCSI (warning).

    Advice from the seed article: hosts reach the SVIP over the storage network.
    """
    reported: set[str] = set()
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if not isinstance(backend, SolidFireBackend | SolidFireSharedBackend):
            continue
        if backend.subnet is not None:
            continue  # SPC311 checks the address against the declared subnet
        for host_at in hosts_mounting(at):
            host = host_at.host
            if host.storage_address is None and host.name not in reported:
                reported.add(host.name)
                yield Finding(
                    "SPC385",
                    W,
                    (*host_at.path, "name"),
                    f"host '{host.name}' mounts SolidFire pool '{at.pool.name}' but has no "
                    f"storage_address on the SVIP network ({backend.svip})",
                    "Give the host an IP on the storage VLAN of the SVIP (KVM: plus an iSCSI "
                    "initiator; VMware: a bound software iSCSI adapter).",
                )


def _volume_count(spec: Spec, cluster_at: ClusterAt, pools: list[PoolAt]) -> tuple[int, str] | None:
    """Datastores/SRs a cluster will mount, and how the figure was found.

    None when no SolidFire 1:1 pool reaches the cluster, or nothing says how many
    volumes it will hold.
    """
    managed_declared = 0
    managed_any = False
    declared_any = False
    others = 0
    for at in pools:
        if isinstance(backend_named(spec, at.pool.backend), SolidFireBackend):
            managed_any = True
            if at.pool.expected_volumes is not None:
                declared_any = True
                managed_declared += at.pool.expected_volumes
        else:
            others += 1
    if not managed_any:
        return None
    if declared_any:
        return managed_declared + others, "expected_volumes of its SolidFire pools"
    w = cluster_at.cluster.workload
    if w is None:
        return None
    hosts = len(cluster_at.cluster.hosts)
    count = w.vms_per_host * w.volumes_per_vm * hosts
    how = f"{w.vms_per_host} VMs x {w.volumes_per_vm} volumes x {hosts} hosts"
    return count + others, how


def _datastore_limit(spec: Spec, hypervisor: str, code: str) -> Iterator[Finding]:
    maximum, what = DATASTORE_LIMITS[hypervisor]
    if not _has_solidfire(spec):
        return
    mounted = pools_by_cluster(spec)
    for cluster_at in iter_clusters(spec):
        if cluster_at.cluster.hypervisor != hypervisor:
            continue
        counted = _volume_count(spec, cluster_at, mounted.get(id(cluster_at.cluster), []))
        if counted is None or counted[0] <= maximum:
            continue
        count, how = counted
        yield Finding(
            code,
            W,
            (*cluster_at.path, "name"),
            f"cluster '{cluster_at.cluster.name}' would mount {count} datastores/SRs "
            f"({how}); the limit is {maximum} {what}",
            "SolidFire 1:1 makes one datastore/SR per volume: split the cluster, or put "
            "bulk volumes on SolidFireShared or NFS pools.",
        )


def vmware_datastore_limit(spec: Spec) -> Iterator[Finding]:
    """SPC386: a VMware cluster's SolidFire volumes fit in 512 datastores (warning).

    Advice from the seed article ("VMware 6.5 - maximum of 512 datastores per cluster
    (hard limit)"): a vSphere limit CloudStack does not check, on an estimate of the
    volumes (expected_volumes or the cluster's workload).
    """
    yield from _datastore_limit(spec, "VMware", "SPC386")


def xenserver_sr_limit(spec: Spec) -> Iterator[Finding]:
    """SPC387: a XenServer cluster's SolidFire volumes fit in 256 SRs, a soft limit (warning).

    Advice from the seed article ("XenServer 6.x-8.0 - soft limit of 256 SRs"); no
    server check.
    """
    yield from _datastore_limit(spec, "XenServer", "SPC387")


RULES: tuple[Rule, ...] = (
    default_min_iops_range,
    max_iops_limit,
    min_not_above_max,
    offering_min_iops,
    capacity_required,
    zone_wide_hypervisor_any,
    zone_wide_kvm_stored_as_any,
    snapshot_reserve_missing,
    snapshot_reserve_useless,
    solidfire_offering_without_qos,
    capacity_iops_fits_volumes,
    host_storage_address,
    vmware_datastore_limit,
    xenserver_sr_limit,
)


# --- the plug-in -------------------------------------------------------------------


class SolidFire(StorageBackend[SolidFireBackend]):
    """The managed SolidFire provider: any scope, KVM, VMware and XenServer."""

    type = TYPE
    model = SolidFireBackend
    provider = "SolidFire"
    managed = True
    hypervisors = frozenset({"KVM", "VMware", "XenServer"})
    zone_any_hypervisor = True  # attachZone connects XenServer, VMware and KVM hosts
    storage_qos = True
    rules = RULES
    roles = (KVM_ISCSI_INITIATOR, ESXI_SOLIDFIRE_PREREQ, XENSERVER_SOLIDFIRE_PREREQ)

    def pool(self, backend: SolidFireBackend, pool: PrimaryStorage, site: PoolSite) -> PoolParams:
        """``MVIP=..;SVIP=..;clusterAdmin..;clusterDefault..Iops=..[;datacenter=..]``."""
        datacenter = f";datacenter={site.datacenter}" if site.datacenter else ""
        return PoolParams(
            Concat(
                (
                    f"MVIP={backend.mvip};SVIP={backend.svip};"
                    f"clusterAdminUsername={backend.admin_user};clusterAdminPassword=",
                    secret_param(backend.admin_password),
                    f";clusterDefaultMinIops={backend.default_min_iops}"
                    f";clusterDefaultMaxIops={backend.default_max_iops}"
                    ";clusterDefaultBurstIopsPercentOfMaxIops="
                    f"{backend.default_burst_multiplier:g}" + datacenter,
                )
            )
        )

    def preflight_checks(
        self, spec: Spec, backend: SolidFireBackend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """The management VIP answers."""
        return (mvip_check(backend.name, backend.mvip),) if uses else ()

    def verification_checks(
        self, spec: Spec, backend: SolidFireBackend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """Each host that mounts it has iSCSI sessions, its SRs or its datastores."""
        return iscsi_checks(backend.name, uses) if uses else ()

    def warnings(
        self,
        spec: Spec,
        backend: SolidFireBackend,
        uses: tuple[PoolUse, ...],
        version: tuple[int, ...],
    ) -> tuple[str, ...]:
        """No VM snapshots on KVM (raw LUN passthrough)."""
        kvm = sorted({p.host.name for u in uses for p in u.hosts if p.cluster.hypervisor == "KVM"})
        if not kvm:
            return ()
        return (
            f"SolidFire {backend.name} on KVM ({', '.join(kvm)}): VM snapshots are not possible "
            "(raw LUN passthrough); hypervisor snapshot reserve has no effect.",
        )
