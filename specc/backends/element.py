"""SolidFire Element facts that the solidfire and solidfire-shared backends share.

Not a backend itself: the per-volume IOPS limits of Element 11.3 (Min IOPS <=
15,000, Max IOPS <= 200,000; apache/cloudstack ``SolidFireUtil``
``MAX_MIN_IOPS_PER_VOLUME``), the JSON-RPC API version specc talks, the
hypervisors whose SolidFire volumes are datastores/SRs, and the preflight check of
the management VIP.
"""

from __future__ import annotations

from specc.core.steps import Check

MAX_MIN_IOPS = 15_000
MAX_MAX_IOPS = 200_000
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
