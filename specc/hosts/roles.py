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
    ``runs_on``, ``does`` and ``script_id`` document it (Markdown; the role table of
    docs/hosts.md is generated from them): where its scripts run, what they do, and
    the pattern of their ids when it is not ``script:<role>:<host>``.
    """

    name: str
    rollback: str
    runs_on: str
    does: str
    script_id: str = ""
    local: bool = False
    checks_only: bool = False

    @property
    def id_pattern(self) -> str:
        """The ids of its scripts, as the docs write them (``script:<role>:<host>``).

        >>> Role(name="x", rollback="-", runs_on="-", does="-").id_pattern
        'script:x:<host>'
        """
        return self.script_id or f"script:{self.name}:<host>"


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
    runs_on="KVM hosts with `storage_address` and `storage_interface`",
    does=(
        "the interface (`<nic>.<vlan>` when the storage subnet has a VLAN, or a NIC given as "
        "`eth1.300`) addressed in the storage subnet: `ifcfg-<if>` (el), "
        "`/etc/netplan/60-specc-storage.yaml` (ubuntu), "
        "`/etc/network/interfaces.d/specc-storage-<if>` (debian), and at once with `ip`; "
        "then `ping` to every storage address in that subnet the host needs (MONs, SVIP, NFS "
        "server, iSCSI portal), failing if one does not answer"
    ),
    rollback=(
        "`ip addr del <address> dev <interface>` and remove the written ifcfg/netplan/"
        "interfaces.d file"
    ),
)
"""The storage NIC of a KVM host (:mod:`specc.hosts.network`): no backend's role."""
