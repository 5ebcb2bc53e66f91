"""SolidFire Element facts that the solidfire and solidfire-shared backends share.

Not a backend itself: the per-volume IOPS limits CloudStack's SolidFire plug-ins
check, the JSON-RPC API version specc talks, the hypervisors whose SolidFire
volumes are datastores/SRs, and the preflight check of the management VIP.

The limits are apache/cloudstack ``plugins/storage/volume/solidfire``
``SolidFireUtil`` constants (the same in 4.18.2.5 and 4.22.1.0):
``MIN_IOPS_PER_VOLUME = 100``, ``MAX_MIN_IOPS_PER_VOLUME = 15000``,
``MAX_IOPS_PER_VOLUME = 100000``. ``SolidFirePrimaryDataStoreLifeCycle.initialize``
holds the cluster defaults of a 1:1 pool to them, and
``SolidFireSharedPrimaryDataStoreLifeCycle.initialize`` the shared volume's IOPS.
Element itself allows a volume up to 200,000 Max/Burst IOPS (the seed article), but
CloudStack never creates one above ``MAX_IOPS_PER_VOLUME``.
"""

from __future__ import annotations

from specc.core.steps import Check

MIN_IOPS_PER_VOLUME = 100
"""``SolidFireUtil.MIN_IOPS_PER_VOLUME``: the least clusterDefaultMinIops a 1:1 pool takes."""

MAX_MIN_IOPS_PER_VOLUME = 15_000
"""``SolidFireUtil.MAX_MIN_IOPS_PER_VOLUME``: the most Min IOPS of a volume."""

MAX_IOPS_PER_VOLUME = 100_000
"""``SolidFireUtil.MAX_IOPS_PER_VOLUME``: the most Max (and Burst) IOPS of a volume.

``SolidFirePrimaryDataStoreDriver.getDefaultBurstIops`` caps a 1:1 volume's burst at
it, and the driver's ``Iops`` refuses a Max above the Burst, so a volume whose
offering asks for more Max IOPS cannot be created.
"""

ELEMENT_API_VERSION = "8.0"

DATASTORE_HYPERVISORS = frozenset({"VMware", "XenServer"})
"""Hypervisors that make a datastore/SR of a SolidFire volume (KVM passes the raw LUN)."""


def mvip_check(backend: str, mvip: object) -> Check:
    """The preflight check that the management VIP of *backend* answers (from the workstation).

    >>> mvip_check("sf1", "10.0.0.40").command
    "curl -sk -o /dev/null -w '%{http_code}' https://10.0.0.40/json-rpc/8.0"
    """
    return Check(
        f"preflight:solidfire-mvip:{backend}",
        f"the management VIP of SolidFire {backend} answers",
        f"curl -sk -o /dev/null -w '%{{http_code}}' https://{mvip}/json-rpc/{ELEMENT_API_VERSION}",
        None,
    )
