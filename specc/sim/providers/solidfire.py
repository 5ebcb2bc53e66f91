"""The ``SolidFire`` provider: managed storage, one SolidFire volume per CloudStack volume.

apache/cloudstack plugins/storage/volume/solidfire: ``SolidFirePrimaryDataStoreProvider``
(name ``SolidFireUtil.PROVIDER_NAME``), ``SolidFirePrimaryDataStoreLifeCycle``
(``initialize``, ``attachCluster``, ``attachZone``) and
``SolidFirePrimaryDataStoreDriver`` (``getCapabilities``). The url is
``key=value;...`` (:mod:`.solidfire_util`).
"""

from __future__ import annotations

import specc.sim.providers.solidfire_util as sf
from specc.sim.handlers import Ctx
from specc.sim.providers.base import NewPool, ParsedPool, PoolRequest, PoolUrlError, PrimaryProvider

NAME = "SolidFire"


def parse_solidfire(
    url: str, *, capacity_bytes: int | None, capacity_iops: int | None
) -> ParsedPool:
    """Parse and check a url as ``SolidFirePrimaryDataStoreLifeCycle.initialize`` does.

    Type ``Iscsi`` at the storage VIP; the path is the url's MVIP and SVIP tokens
    (``SolidFireUtil.getModifiedUrl``). The
    cluster defaults (min 100, max 15000, burst 1.5 times max) must lie within the
    per-volume limits, min <= max, and the burst factor be at least 1.

    >>> p = parse_solidfire(
    ...     "MVIP=10.1.1.1;SVIP=10.2.2.2;clusterAdminUsername=a;clusterAdminPassword=b",
    ...     capacity_bytes=10**12, capacity_iops=50000)
    >>> (p.type, p.host, p.port, p.details["clusterDefaultMaxIops"])
    ('Iscsi', '10.2.2.2', 3260, '15000')
    """
    values, svip, sport = sf.start(url, capacity_bytes, capacity_iops)
    details = sf.admin_details(values)
    min_iops = sf.long_value(values, "clusterDefaultMinIops", 100)
    max_iops = sf.long_value(values, "clusterDefaultMaxIops", 15_000)
    burst_text = values.get("clusterDefaultBurstIopsPercentOfMaxIops", "").strip()
    try:
        burst = float(burst_text) if burst_text else 1.5
    except ValueError:
        burst = 1.5
    p_min, p_max = "clusterDefaultMinIops", "clusterDefaultMaxIops"
    if min_iops < sf.MIN_IOPS_PER_VOLUME:
        raise PoolUrlError(
            f"The parameter '{p_min}' must be greater than or equal to {sf.MIN_IOPS_PER_VOLUME}."
        )
    if min_iops > sf.MAX_MIN_IOPS_PER_VOLUME:
        raise PoolUrlError(
            f"The parameter '{p_min}' must be less than or equal to {sf.MAX_MIN_IOPS_PER_VOLUME}."
        )
    if min_iops > max_iops:
        raise PoolUrlError(
            f"The parameter '{p_min}' must be less than or equal to the parameter '{p_max}'."
        )
    if max_iops > sf.MAX_IOPS_PER_VOLUME:
        raise PoolUrlError(
            f"The parameter '{p_max}' must be less than or equal to {sf.MAX_IOPS_PER_VOLUME}."
        )
    if burst < 1.0:
        raise PoolUrlError(
            "The parameter 'clusterDefaultBurstIopsPercentOfMaxIops' must be greater than "
            "or equal to 1."
        )
    details.update({p_min: str(min_iops), p_max: str(max_iops)})
    details["clusterDefaultBurstIopsPercentOfMaxIops"] = str(burst)
    return ParsedPool("Iscsi", svip, sport, sf.modified_url(url), details=details)


def initialize(ctx: Ctx, req: PoolRequest) -> NewPool:
    """``SolidFirePrimaryDataStoreLifeCycle.initialize``: a pod and a cluster, or
    neither; the url; always managed, with the given capacities; a zone-wide pool
    serves any hypervisor and is stored as ``Any``."""
    if req.pod is not None and req.cluster is None:
        raise PoolUrlError("If the Pod ID is specified, the Cluster ID must also be specified.")
    if req.pod is None and req.cluster is not None:
        raise PoolUrlError(
            "If the Pod ID is not specified, the Cluster ID must also not be specified."
        )
    parsed = parse_solidfire(
        req.url, capacity_bytes=req.capacity_bytes, capacity_iops=req.capacity_iops
    )
    hypervisor = req.hypervisor if req.cluster is not None else "Any"
    return NewPool(parsed, True, hypervisor, req.capacity_bytes, req.capacity_iops)


def attach(ctx: Ctx, req: PoolRequest, pool: NewPool) -> None:
    """``attachCluster``/``attachZone`` connect whatever hosts are up and only log a
    host that fails: nothing to refuse."""


# SolidFirePrimaryDataStoreDriver.getCapabilities: storage-side snapshots and clones.
CAPABILITIES = {
    "STORAGE_SYSTEM_SNAPSHOT": "true",
    "CAN_CREATE_VOLUME_FROM_SNAPSHOT": "true",
    "CAN_CREATE_VOLUME_FROM_VOLUME": "true",
    "CAN_REVERT_VOLUME_TO_SNAPSHOT": "true",
}

PROVIDER = PrimaryProvider(
    name=NAME,
    initialize=initialize,
    attach=attach,
    capabilities=CAPABILITIES,
    sample={
        "url": "MVIP=10.20.0.10;SVIP=10.21.0.10;clusterAdminUsername=admin;"
        "clusterAdminPassword=secret",
        "capacitybytes": str(10**12),
        "capacityiops": "100000",
    },
)
