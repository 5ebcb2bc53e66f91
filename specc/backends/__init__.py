"""The storage backends: one module each, and the registry of their plug-ins.

:data:`BACKENDS` maps a backend's spec ``type`` to its plug-in (see
:mod:`specc.backends.base` for the contract). Adding a backend is a new module, its
name in the import below and its plug-in in :data:`BACKENDS`: the spec model's
``backends`` union, the JSON Schema, the docs, the rule registry, the cross-cutting
rules, the graph builder and the host machinery all read this registry.
The order is the order of the spec's union (and of the schema's ``oneOf``) and of
the backends' rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from specc.backends import (  # one line per backend module, and one in BACKENDS below
    ceph_rbd,
    iscsi,
    nfs,
    ocfs2,
    powerflex,
    presetup,
    solidfire,
    solidfire_shared,
    storpool,
    vmfs,
)
from specc.backends.base import StorageBackend


def _by_type(*plugins: StorageBackend[Any]) -> Mapping[str, StorageBackend[Any]]:
    """The plug-ins keyed by their ``type`` (a read-only mapping, in the given order).

    Raises:
        ValueError: two plug-ins claim one type (a programming error, met at import).
    """
    by_type = {p.type: p for p in plugins}
    if len(by_type) != len(plugins):
        raise ValueError("two storage backend plug-ins claim the same type")
    return MappingProxyType(by_type)


BACKENDS: Mapping[str, StorageBackend[Any]] = _by_type(
    nfs.Nfs(),
    ceph_rbd.CephRbd(),
    solidfire.SolidFire(),
    solidfire_shared.SolidFireShared(),
    ocfs2.Ocfs2(),
    presetup.Presetup(),
    vmfs.Vmfs(),
    iscsi.Iscsi(),
    powerflex.PowerFlex(),
    storpool.StorPool(),
)
