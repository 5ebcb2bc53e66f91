"""SolidFire managed storage (SPC33x) and SolidFireShared (SPC34x).

Limits from the SolidFire article: per-volume Min IOPS <= 15,000 and Max IOPS <=
200,000 (Element 11.3); a 1:1 pool needs capacityBytes and capacityIops; zone-wide
pools say hypervisor Any. SolidFireShared is cluster scope, VMware/XenServer only,
capacityIops == minIops <= 15,000, maxIops and burstIops <= 100,000 at creation, and
its offerings set neither storage QoS nor a hypervisor snapshot reserve.
"""

from __future__ import annotations

from collections.abc import Iterator

from specc.errors import Severity
from specc.spec.models import SolidFireBackend, SolidFireSharedBackend, Spec, StorageQos
from specc.spec.rules import Finding, JsonPath, Rule
from specc.spec.rules.topology import (
    Offering,
    PoolAt,
    backend_named,
    iter_offerings,
    iter_pools,
    matching_pools,
    pool_clusters,
    pool_hypervisors,
)

E = Severity.ERROR
W = Severity.WARNING

MAX_MIN_IOPS = 15_000
MAX_MAX_IOPS = 200_000
SHARED_MAX_IOPS_AT_CREATION = 100_000
SNAPSHOT_HYPERVISORS = frozenset({"VMware", "XenServer"})


def _iops_values(spec: Spec) -> Iterator[tuple[str, int | None, int | None, JsonPath, str, str]]:
    """(label, min, max, path, min field, max field) for offerings and 1:1 backends."""
    for offering, path in iter_offerings(spec):
        if isinstance(offering.qos, StorageQos):
            label = f"offering '{offering.name}'"
            yield (
                label,
                offering.qos.min_iops,
                offering.qos.max_iops,
                (*path, "qos"),
                "min_iops",
                "max_iops",
            )
    for bi, b in enumerate(spec.backends):
        if isinstance(b, SolidFireBackend):
            label = f"SolidFire backend '{b.name}' default"
            yield (
                label,
                b.default_min_iops,
                b.default_max_iops,
                ("backends", bi),
                "default_min_iops",
                "default_max_iops",
            )


def min_iops_limit(spec: Spec) -> Iterator[Finding]:
    """SPC330: a volume's Min IOPS is at most 15,000."""
    for label, lo, _hi, path, lo_field, _ in _iops_values(spec):
        if lo is not None and lo > MAX_MIN_IOPS:
            yield Finding(
                "SPC330",
                E,
                (*path, lo_field),
                f"{label} Min IOPS {lo:,} exceeds the SolidFire per-volume limit of "
                f"{MAX_MIN_IOPS:,}",
                f"Set Min IOPS to {MAX_MIN_IOPS:,} or less (Element 11.3 limit).",
            )


def max_iops_limit(spec: Spec) -> Iterator[Finding]:
    """SPC331: a volume's Max IOPS is at most 200,000."""
    for label, _lo, hi, path, _, hi_field in _iops_values(spec):
        if hi is not None and hi > MAX_MAX_IOPS:
            yield Finding(
                "SPC331",
                E,
                (*path, hi_field),
                f"{label} Max IOPS {hi:,} exceeds the SolidFire per-volume limit of "
                f"{MAX_MAX_IOPS:,}",
                f"Set Max IOPS to {MAX_MAX_IOPS:,} or less (Element 11.3 limit).",
            )


def min_not_above_max(spec: Spec) -> Iterator[Finding]:
    """SPC332: Min IOPS is not above Max IOPS."""
    for label, lo, hi, path, lo_field, _ in _iops_values(spec):
        if lo is not None and hi is not None and lo > hi:
            yield Finding(
                "SPC332",
                E,
                (*path, lo_field),
                f"{label} Min IOPS {lo:,} is above its Max IOPS {hi:,}",
                "Min IOPS is the guaranteed floor; make it at most Max IOPS.",
            )


def _sf_pools(spec: Spec) -> Iterator[tuple[PoolAt, SolidFireBackend | SolidFireSharedBackend]]:
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if isinstance(backend, SolidFireBackend | SolidFireSharedBackend):
            yield at, backend


def capacity_required(spec: Spec) -> Iterator[Finding]:
    """SPC333: a SolidFire pool declares capacity_bytes and capacity_iops."""
    for at, backend in _sf_pools(spec):
        missing = [f for f in ("capacity_bytes", "capacity_iops") if getattr(at.pool, f) is None]
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
    """SPC334: a zone-wide SolidFire pool says hypervisor Any (error unless KVM)."""
    for at, backend in _sf_pools(spec):
        pool = at.pool
        if backend.type != "solidfire" or pool.scope != "zone":
            continue
        if pool.hypervisor not in ("Any", "KVM"):
            yield Finding(
                "SPC334",
                E,
                (*at.path, "hypervisor" if pool.hypervisor else "scope"),
                f"zone-wide SolidFire pool '{pool.name}' has hypervisor "
                f"{pool.hypervisor or '(unset)'}; zone-wide SolidFire pools need Any",
                "Set hypervisor: Any.",
            )


def zone_wide_kvm_stored_as_any(spec: Spec) -> Iterator[Finding]:
    """SPC335: a zone-wide SolidFire pool with hypervisor KVM (warning): stored as Any."""
    for at, backend in _sf_pools(spec):
        pool = at.pool
        if backend.type == "solidfire" and pool.scope == "zone" and pool.hypervisor == "KVM":
            yield Finding(
                "SPC335",
                W,
                (*at.path, "hypervisor"),
                f"zone-wide SolidFire pool '{pool.name}' says hypervisor KVM; the plugin "
                "accepts it but stores Any, so the live pool will never match",
                "Write hypervisor: Any.",
            )


class _Reach:
    """Where offerings land, memoized by (storage tags, zones): offerings share tags."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.backends = {b.name: b for b in spec.backends}
        self.memo: dict[object, tuple[list[PoolAt], set[str], set[str]]] = {}

    def _get(self, offering: Offering) -> tuple[list[PoolAt], set[str], set[str]]:
        tags = frozenset(t.casefold() for t in offering.storage_tags)
        key = (tags, None if offering.zones is None else tuple(sorted(offering.zones)))
        if key not in self.memo:
            pools = matching_pools(self.spec, offering)
            kinds: set[str] = set()
            hypervisors: set[str] = set()
            for at in pools:
                backend = self.backends.get(at.pool.backend)
                kinds.add(backend.type if backend is not None else "?")
                if isinstance(backend, SolidFireBackend):
                    hypervisors |= pool_hypervisors(at.zone, at.pool)
            self.memo[key] = (pools, kinds, hypervisors)
        return self.memo[key]

    def kinds(self, offering: Offering) -> tuple[list[PoolAt], set[str]]:
        """The pools an offering lands on, and the types of their backends."""
        pools, kinds, _ = self._get(offering)
        return pools, kinds

    def hypervisors(self, offering: Offering) -> set[str]:
        """Hypervisors of the clusters mounting the SolidFire 1:1 pools it lands on."""
        return self._get(offering)[2]


def _has(spec: Spec, kind: type[SolidFireBackend] | type[SolidFireSharedBackend]) -> bool:
    return any(isinstance(b, kind) for b in spec.backends)


def storage_qos_without_managed_pool(spec: Spec) -> Iterator[Finding]:
    """SPC336: storage QoS on an offering that reaches no SolidFire pool (warning)."""
    reach = _Reach(spec)
    for offering, path in iter_offerings(spec):
        if not isinstance(offering.qos, StorageQos) or offering.storage_type == "local":
            continue
        pools, kinds = reach.kinds(offering)
        if pools and not kinds & {"solidfire", "solidfire-shared"}:
            yield Finding(
                "SPC336",
                W,
                (*path, "qos", "type"),
                f"offering '{offering.name}' sets storage QoS but its tags "
                f"{offering.storage_tags or '(none)'} reach only {', '.join(sorted(kinds))} "
                "pools, which do not enforce it",
                "Storage QoS needs managed storage (SolidFire); tag the offering for a "
                "SolidFire pool or use hypervisor QoS.",
            )


def snapshot_reserve_missing(spec: Spec) -> Iterator[Finding]:
    """SPC337: a SolidFire offering on VMware/XenServer without a snapshot reserve (warning)."""
    if not _has(spec, SolidFireBackend):
        return
    reach = _Reach(spec)
    for offering, path in iter_offerings(spec):
        if offering.hypervisor_snapshot_reserve is not None:
            continue
        hvs = reach.hypervisors(offering) & SNAPSHOT_HYPERVISORS
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
    """SPC338: a snapshot reserve that nothing consumes (warning), e.g. SolidFire on KVM."""
    reach = _Reach(spec)
    for offering, path in iter_offerings(spec):
        if offering.hypervisor_snapshot_reserve is None:
            continue
        pools, kinds = reach.kinds(offering)
        if not pools or kinds == {"solidfire-shared"}:
            continue  # SPC347 or SPC360 says more
        hvs = reach.hypervisors(offering)
        if not hvs & SNAPSHOT_HYPERVISORS:
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
    """SPC339: an offering reaching only SolidFire 1:1 pools without storage QoS (warning)."""
    if not _has(spec, SolidFireBackend):
        return
    reach = _Reach(spec)
    for offering, path in iter_offerings(spec):
        if isinstance(offering.qos, StorageQos):
            continue
        pools, kinds = reach.kinds(offering)
        if pools and kinds == {"solidfire"} and not isinstance(offering.qos, StorageQos):
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
    reach = _Reach(spec)
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
            given = qos.min_iops if isinstance(qos, StorageQos) else None
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


def _shared_pools(spec: Spec) -> Iterator[tuple[PoolAt, SolidFireSharedBackend]]:
    for at, backend in _sf_pools(spec):
        if isinstance(backend, SolidFireSharedBackend):
            yield at, backend


def shared_cluster_scope(spec: Spec) -> Iterator[Finding]:
    """SPC340: a SolidFireShared pool is cluster scope."""
    for at, _backend in _shared_pools(spec):
        if at.pool.scope != "cluster":
            yield Finding(
                "SPC340",
                E,
                (*at.path, "scope"),
                f"SolidFireShared pool '{at.pool.name}' has scope {at.pool.scope}; the plugin "
                "supports cluster scope only",
                "Set scope: cluster with its pod and cluster.",
            )


def shared_hypervisors(spec: Spec) -> Iterator[Finding]:
    """SPC341: a SolidFireShared pool is on a VMware or XenServer cluster."""
    for at, _backend in _shared_pools(spec):
        for cluster in pool_clusters(at.zone, at.pool):
            if at.pool.scope == "cluster" and cluster.hypervisor not in SNAPSHOT_HYPERVISORS:
                yield Finding(
                    "SPC341",
                    E,
                    (*at.path, "cluster"),
                    f"SolidFireShared pool '{at.pool.name}' is on {cluster.hypervisor} cluster "
                    f"'{cluster.name}'; the plugin supports VMware and XenServer only",
                    "On KVM use the SolidFire 1:1 plugin (type solidfire).",
                )


def shared_capacity_iops(spec: Spec) -> Iterator[Finding]:
    """SPC342: a SolidFireShared pool's capacity_iops equals the backend's min_iops."""
    for at, backend in _shared_pools(spec):
        cap = at.pool.capacity_iops
        if cap is not None and cap != backend.min_iops:
            yield Finding(
                "SPC342",
                E,
                (*at.path, "capacity_iops"),
                f"SolidFireShared pool '{at.pool.name}' capacity_iops {cap:,} differs from "
                f"min_iops {backend.min_iops:,} of backend '{backend.name}'",
                f"Set capacity_iops to {backend.min_iops}.",
            )


def shared_min_iops(spec: Spec) -> Iterator[Finding]:
    """SPC343: a SolidFireShared backend's min_iops is at most 15,000."""
    for bi, b in enumerate(spec.backends):
        if isinstance(b, SolidFireSharedBackend) and b.min_iops > MAX_MIN_IOPS:
            yield Finding(
                "SPC343",
                E,
                ("backends", bi, "min_iops"),
                f"SolidFireShared backend '{b.name}' min_iops {b.min_iops:,} exceeds "
                f"{MAX_MIN_IOPS:,}",
                f"A single SolidFire volume cannot guarantee more than {MAX_MIN_IOPS:,} IOPS.",
            )


def shared_max_burst(spec: Spec) -> Iterator[Finding]:
    """SPC344: a SolidFireShared backend's max_iops and burst_iops are at most 100,000."""
    for bi, b in enumerate(spec.backends):
        if not isinstance(b, SolidFireSharedBackend):
            continue
        for field in ("max_iops", "burst_iops"):
            value = getattr(b, field)
            if value > SHARED_MAX_IOPS_AT_CREATION:
                yield Finding(
                    "SPC344",
                    E,
                    ("backends", bi, field),
                    f"SolidFireShared backend '{b.name}' {field} {value:,} exceeds "
                    f"{SHARED_MAX_IOPS_AT_CREATION:,}",
                    f"Create it with at most {SHARED_MAX_IOPS_AT_CREATION:,}; raise it later "
                    "(up to 200,000) in the SolidFire UI.",
                )


def shared_iops_order(spec: Spec) -> Iterator[Finding]:
    """SPC345: a SolidFireShared backend has min_iops <= max_iops <= burst_iops."""
    for bi, b in enumerate(spec.backends):
        if not isinstance(b, SolidFireSharedBackend):
            continue
        if b.min_iops > b.max_iops:
            yield Finding(
                "SPC345",
                E,
                ("backends", bi, "min_iops"),
                f"SolidFireShared backend '{b.name}' min_iops {b.min_iops:,} is above "
                f"max_iops {b.max_iops:,}",
                "Make min_iops <= max_iops <= burst_iops.",
            )
        elif b.max_iops > b.burst_iops:
            yield Finding(
                "SPC345",
                E,
                ("backends", bi, "burst_iops"),
                f"SolidFireShared backend '{b.name}' burst_iops {b.burst_iops:,} is below "
                f"max_iops {b.max_iops:,}",
                "Make min_iops <= max_iops <= burst_iops.",
            )


def shared_offering_qos(spec: Spec) -> Iterator[Finding]:
    """SPC346: an offering landing only on SolidFireShared pools sets no storage QoS."""
    if not _has(spec, SolidFireSharedBackend):
        return
    reach = _Reach(spec)
    for offering, path in iter_offerings(spec):
        if not isinstance(offering.qos, StorageQos):
            continue
        pools, kinds = reach.kinds(offering)
        if pools and kinds == {"solidfire-shared"} and isinstance(offering.qos, StorageQos):
            yield Finding(
                "SPC346",
                E,
                (*path, "qos", "type"),
                f"offering '{offering.name}' sets storage QoS but lands only on "
                "SolidFireShared pools, whose QoS is per datastore/SR",
                "Remove the storage QoS (use qos type none or hypervisor).",
            )


def shared_offering_reserve(spec: Spec) -> Iterator[Finding]:
    """SPC347: a snapshot reserve on an offering landing only on SolidFireShared (warning)."""
    if not _has(spec, SolidFireSharedBackend):
        return
    reach = _Reach(spec)
    for offering, path in iter_offerings(spec):
        if offering.hypervisor_snapshot_reserve is None:
            continue
        pools, kinds = reach.kinds(offering)
        if pools and kinds == {"solidfire-shared"}:
            yield Finding(
                "SPC347",
                W,
                (*path, "hypervisor_snapshot_reserve"),
                f"offering '{offering.name}' sets hypervisor_snapshot_reserve but lands only "
                "on SolidFireShared pools, which do not use it",
                "Remove it; size the shared pool's capacity_bytes for snapshots instead.",
            )


RULES: tuple[Rule, ...] = (
    min_iops_limit,
    max_iops_limit,
    min_not_above_max,
    capacity_required,
    zone_wide_hypervisor_any,
    zone_wide_kvm_stored_as_any,
    storage_qos_without_managed_pool,
    snapshot_reserve_missing,
    snapshot_reserve_useless,
    solidfire_offering_without_qos,
    capacity_iops_fits_volumes,
    shared_cluster_scope,
    shared_hypervisors,
    shared_capacity_iops,
    shared_min_iops,
    shared_max_burst,
    shared_iops_order,
    shared_offering_qos,
    shared_offering_reserve,
)
