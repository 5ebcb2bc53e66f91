"""Stable resource identity: (kind, natural key), the same in spec and live state.

The natural key is scoped: a pod is known by (zone, pod), a cluster by
(zone, pod, cluster), a pool by (zone, pool), a template by (name, zone, hypervisor);
each kind module (``specc.cloud.kinds``) says how its key is formed. Ids sort, so
every ordering built on them is stable. A ResourceId stays an object through the
pipeline and becomes text (``kind:a/b``) only when written to a file or printed.
"""

from __future__ import annotations

from dataclasses import dataclass


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
