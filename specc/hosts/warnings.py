"""The domain warnings a runbook states, computed from the spec.

Each backend's plug-in says its own (``warnings``): RBD cache RAM per host and
Ceph's production limits, no VM snapshots on KVM managed storage, OCFS2's
format-once rule... Each is a plain sentence; they come in the spec's backend order.
"""

from __future__ import annotations

from specc.backends import BACKENDS
from specc.spec.models import Spec

from .topology import pool_uses


def _version(text: str) -> tuple[int, ...]:
    """'4.18' -> (4, 18, 0).

    >>> _version("4.17.2.0")
    (4, 17, 2)
    """
    parts = [int(p) for p in text.split(".")[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


def domain_warnings(spec: Spec, api_version: str | None = None) -> tuple[str, ...]:
    """The warnings that apply to *spec* (on API version *api_version*, else the spec's)."""
    out: list[str] = []
    uses = pool_uses(spec)
    version = _version(api_version or spec.cloudstack.version)
    for be in spec.backends:
        used = tuple(u for u in uses if u.backend is be)
        out += BACKENDS[be.type].warnings(spec, be, used, version)
    return tuple(out)
