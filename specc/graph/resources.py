"""Stable resource identity: (kind, natural key), the same in spec and live state.

The natural key is scoped: a pod is known by (zone, pod), a cluster by
(zone, pod, cluster), a pool by (zone, pool), a template by (name, zone, hypervisor).
Ids sort, so every ordering built on them is stable.

The keys, by kind (kind names are the list-response item keys of specc.cloud.state):

====================== ==============================================
zone                   (zone,)
physicalnetwork        (zone, physical network)
traffictype            (zone, physical network, traffic type)
networkserviceprovider (zone, physical network, provider)
pod                    (zone, pod)
storagenetworkiprange  (zone, pod, "startip-endip")
vlaniprange            (zone, "startip-endip")
cluster                (zone, pod, cluster)
host                   (zone, pod, cluster, host)
hostha                 (zone, pod, cluster, host)
storagepool            (zone, pool)
imagestore             (zone, image store)
diskoffering           (offering,)
serviceoffering        (offering,)
template               (template, zone or "*", hypervisor)
iso                    (iso, zone or "*")
configuration          (setting name,)
====================== ==============================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from specc.errors import Location


@dataclass(frozen=True, order=True)
class ResourceId:
    """A resource's identity: its kind and its natural key within its scope.

    >>> str(ResourceId("pod", ("zone1", "pod1")))
    'pod:zone1/pod1'
    >>> ResourceId.parse("pod:zone1/pod1") == ResourceId("pod", ("zone1", "pod1"))
    True
    """

    kind: str
    key: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.kind}:{'/'.join(self.key)}"

    @classmethod
    def parse(cls, text: str) -> ResourceId:
        """Inverse of ``str()``."""
        kind, _, rest = text.partition(":")
        return cls(kind, tuple(rest.split("/")))


@dataclass(frozen=True)
class DesiredResource:
    """One resource the spec asks for.

    ``attrs`` are the spec-side values in the kind's own field names (JSON-ready,
    secrets still as references); ``depends_on`` are ids that must exist first.
    """

    id: ResourceId
    attrs: dict[str, Any]
    depends_on: tuple[ResourceId, ...] = ()
    source: Location | None = None
    parents: dict[str, ResourceId] = field(default_factory=dict)
