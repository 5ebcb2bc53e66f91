"""The ``SolidFireShared`` provider: one SolidFire volume shared by many CloudStack volumes.

apache/cloudstack plugins/storage/volume/solidfire: ``SolidFireSharedPrimaryDataStoreProvider``
(name ``SolidFireUtil.SHARED_PROVIDER_NAME``), ``SolidFireSharedPrimaryDataStoreLifeCycle``
(``initialize`` creates the volume and its datastore/SR; ``attachCluster``) and
``SolidFireSharedPrimaryDataStoreDriver`` (the default driver's capabilities). Cluster
scope only, XenServer and VMware only; the url is ``key=value;...``
(:mod:`.solidfire_util`).
"""

from __future__ import annotations

import specc.sim.providers.default_primary as default_primary
import specc.sim.providers.solidfire_util as sf
from specc.sim.handlers import Ctx
from specc.sim.providers.base import (
    NewPool,
    ParsedPool,
    PoolRequest,
    PoolUrlError,
    PrimaryProvider,
    no_host_up_in_cluster,
)

NAME = "SolidFireShared"


def parse_solidfire_shared(
    url: str,
    *,
    capacity_bytes: int | None,
    capacity_iops: int | None,
    hypervisor: str,
    pool_name: str,
) -> ParsedPool:
    """Parse and check a url as ``SolidFireSharedPrimaryDataStoreLifeCycle.initialize``.

    Only XenServer (type ``IscsiLUN`` at the SVIP) and VMware (type ``VMFS``, needs a
    ``datacenter``); min <= max <= burst, ``capacityIops`` equal to ``minIops``, and
    the per-volume IOPS limits. The path is the new volume's IQN (VMware: the
    datastore ``/<datacenter>/<iqn>``); the simulator makes one up from the pool name.

    >>> parse_solidfire_shared(
    ...     "MVIP=1.1.1.1;SVIP=2.2.2.2;clusterAdminUsername=a;clusterAdminPassword=b;"
    ...     "minIops=500;maxIops=1000;burstIops=2000",
    ...     capacity_bytes=10**11, capacity_iops=500, hypervisor="XenServer",
    ...     pool_name="sf").type
    'IscsiLUN'
    """
    values, svip, sport = sf.start(url, capacity_bytes, capacity_iops)
    if hypervisor not in ("XenServer", "VMware"):
        raise PoolUrlError(f"{hypervisor} is not a supported hypervisor type.")
    datacenter = values.get("datacenter")
    if hypervisor == "VMware" and datacenter is None:
        raise PoolUrlError("'Datacenter' must be set for hypervisor type of VMware")
    details = sf.admin_details(values)
    min_iops = sf.long_value(values, "minIops", 100)
    max_iops = sf.long_value(values, "maxIops", 15_000)
    burst_iops = sf.long_value(values, "burstIops", 15_000)
    if min_iops > max_iops:
        raise PoolUrlError(
            "The parameter 'minIops' must be less than or equal to the parameter 'maxIops'."
        )
    if max_iops > burst_iops:
        raise PoolUrlError(
            "The parameter 'maxIops' must be less than or equal to the parameter 'burstIops'."
        )
    if min_iops != capacity_iops:
        raise PoolUrlError("The parameter 'capacityIops' must be equal to the parameter 'minIops'.")
    if min_iops > sf.MAX_MIN_IOPS_PER_VOLUME:
        raise PoolUrlError(
            f"This volume's Min IOPS cannot exceed {sf.MAX_MIN_IOPS_PER_VOLUME:,} IOPS."
        )
    if max_iops > sf.MAX_IOPS_PER_VOLUME:
        raise PoolUrlError(f"This volume's Max IOPS cannot exceed {sf.MAX_IOPS_PER_VOLUME:,} IOPS.")
    if burst_iops > sf.MAX_IOPS_PER_VOLUME:
        raise PoolUrlError(
            f"This volume's Burst IOPS cannot exceed {sf.MAX_IOPS_PER_VOLUME:,} IOPS."
        )
    details.update(minIops=str(min_iops), maxIops=str(max_iops), burstIops=str(burst_iops))
    iqn = f"iqn.2010-01.com.solidfire:sim.{pool_name.lower()}"
    if hypervisor == "VMware":
        path = f"/{datacenter}/{iqn.replace('/', '_')}"
        return ParsedPool("VMFS", f"VMFS datastore: {path}", 0, path, details=details)
    return ParsedPool("IscsiLUN", svip, sport, iqn, details=details)


def initialize(ctx: Ctx, req: PoolRequest) -> NewPool:
    """``SolidFireSharedPrimaryDataStoreLifeCycle.initialize``: a pod, then a cluster
    (a zone-wide pool has neither: ``createPool`` drops them, so the pod is missing);
    the url; never managed, with the given capacities; the cluster's hypervisor."""
    if req.pod is None:
        raise PoolUrlError("The Pod ID must be specified.")
    if req.cluster is None:
        raise PoolUrlError("The Cluster ID must be specified.")
    parsed = parse_solidfire_shared(
        req.url,
        capacity_bytes=req.capacity_bytes,
        capacity_iops=req.capacity_iops,
        hypervisor=req.hypervisor,
        pool_name=req.name,
    )
    return NewPool(parsed, False, req.hypervisor, req.capacity_bytes, req.capacity_iops)


def attach(ctx: Ctx, req: PoolRequest, pool: NewPool) -> None:
    """``attachCluster``: a host of the cluster must be Up (``listAllUpHosts``)."""
    if req.cluster is not None and no_host_up_in_cluster(ctx, req.cluster["id"]):
        raise PoolUrlError(
            f"No host up to associate a storage pool with in cluster {req.cluster['id']}"
        )


# SolidFireSharedPrimaryDataStoreDriver extends CloudStackPrimaryDataStoreDriverImpl.
CAPABILITIES = default_primary.CAPABILITIES

PROVIDER = PrimaryProvider(
    name=NAME,
    initialize=initialize,
    attach=attach,
    capabilities=CAPABILITIES,
    sample={
        "url": "MVIP=10.20.0.11;SVIP=10.21.0.11;clusterAdminUsername=admin;"
        "clusterAdminPassword=secret;minIops=1000;maxIops=2000;burstIops=4000",
        "capacitybytes": str(10**12),
        "capacityiops": "1000",
    },
)
