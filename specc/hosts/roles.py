"""Roles: the kinds of host scripts, as the backends declare them.

A backend's plug-in (:class:`specc.backends.base.StorageBackend`) lists the roles
its scripts take. A :class:`Role` is a script the backend makes itself (the Ceph
admin node, an OCFS2 member); a :class:`HostRole` is made once per host for the
pools of every backend that lists it (the KVM iSCSI initiator serves SolidFire and
plain iSCSI alike), so shared roles live here in the host machinery, beside the
storage-network role, which belongs to no backend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from specc.core.steps import HostScript

if TYPE_CHECKING:
    from specc.hosts.topology import Placed, PoolUse
    from specc.spec.models import Spec


@dataclass(frozen=True, kw_only=True)
class Role:
    """A kind of host script (its ``HostScript.role``).

    ``rollback`` is what an operator undoes for any script of this role (the
    runbook's fallback when the backend gives no spec-specific note); ``local``
    means the script runs on the operator's workstation, not on the host it names;
    ``checks_only`` that its scripts change nothing: they check what specc does not
    set up itself and say what to do by hand (a rerun is as quiet as the first run).
    """

    name: str
    rollback: str
    local: bool = False
    checks_only: bool = False


@dataclass(frozen=True, kw_only=True)
class HostRole(Role):
    """A per-host role: one script per host for the pools of every backend that uses it.

    Several backends may share one (SolidFire and plain iSCSI both need the KVM
    iSCSI initiator). ``build(spec, placed, uses)`` makes the script of one host of
    one of ``hypervisors`` from the pools it mounts on those backends; the host
    machinery runs it after the host's storage-network script.
    """

    hypervisors: frozenset[str]
    build: Callable[[Spec, Placed, tuple[PoolUse, ...]], HostScript]


STORAGE_NETWORK = Role(
    name="storage-network",
    rollback=(
        "`ip addr del <address> dev <interface>` and remove the written ifcfg/netplan/"
        "interfaces.d file"
    ),
)
"""The storage NIC of a KVM host (:mod:`specc.hosts.network`): no backend's role."""
