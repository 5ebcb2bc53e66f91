"""Concrete rollback notes for the host scripts of a spec (for the runbook).

Never run by specc: an operator reads them and decides. Each note names the real
pool, key, device, mount point, interface and files of its script: the backends'
plug-ins give theirs (``rollback_notes``), the storage network's are made here.
"""

from __future__ import annotations

from specc.backends import BACKENDS
from specc.spec.models import Spec

from .network import storage_layout
from .topology import all_hosts


def rollback_notes(spec: Spec) -> dict[str, str]:
    """Script id -> what to undo, for the scripts whose undo depends on the spec."""
    notes: dict[str, str] = {}
    for be in spec.backends:
        notes.update(BACKENDS[be.type].rollback_notes(be))
    for p in all_hosts(spec):
        lay = storage_layout(spec, p)
        if lay is None:
            continue
        undo = [f"`ip addr del {lay.address} dev {lay.device}`"]
        if lay.bridge is not None:
            undo += [f"`ip link set {lay.port} nomaster`", f"`ip link del {lay.bridge}`"]
        if lay.vlan is not None:
            undo.append(f"`ip link del {lay.port}`")
        files = " and ".join(lay.files(p.host.os))
        notes[f"script:storage-network:{p.host.name}"] = f"{', '.join(undo)}, remove {files}"
    return notes
