"""Host scripts: the steps on hosts that CloudStack's API calls need first.

``host_scripts(spec)`` returns one idempotent bash script per host and role, sorted
by id: the storage network of each KVM host with a storage NIC (no backend's), the
scripts each backend makes for itself (its plug-in's ``backend_scripts``: a Ceph
admin node, the OCFS2 members, a SolidFire LUN set up by hand), and one script per
host and shared role the backends of its pools list (``HostRole``: the KVM Ceph
client, the KVM iSCSI initiator, SolidFire prerequisites on ESXi and XenServer).
Each names the storage pools (``needed_by``) whose API step must wait for it; the
plan compiler places it right before them. ``preflight_checks`` and
``verification_checks`` list what an operator checks before and after.

Nothing here knows a backend by name: every per-backend fact comes from its plug-in
in :data:`specc.backends.BACKENDS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from specc.backends import BACKENDS
from specc.backends.base import StorageBackend
from specc.core.steps import Check, HostScript
from specc.errors import SpecError
from specc.hosts.network import storage_layout, storage_network_script
from specc.hosts.order import run_after
from specc.hosts.roles import STORAGE_NETWORK, HostRole, Role
from specc.hosts.topology import Placed, PoolUse, in_subnet, pool_ids, pool_uses
from specc.hosts.topology import storage_subnet_of as _storage_subnet_of
from specc.hosts.xenserver import label_checks
from specc.spec.models import Backend, Spec

__all__ = [
    "LOCAL_ROLES",
    "ROLLBACK_BY_ROLE",
    "host_scripts",
    "preflight_checks",
    "verification_checks",
]


def _roles() -> tuple[Role, ...]:
    """Every role of every backend, then the storage network's (each once)."""
    seen: dict[str, Role] = {}
    for plugin in BACKENDS.values():
        for role in plugin.roles:
            seen.setdefault(role.name, role)
    seen.setdefault(STORAGE_NETWORK.name, STORAGE_NETWORK)
    return tuple(seen.values())


LOCAL_ROLES = frozenset(r.name for r in _roles() if r.local)
"""Roles whose script runs on the operator's workstation, not on the host it names."""

ROLLBACK_BY_ROLE: Mapping[str, str] = MappingProxyType({r.name: r.rollback for r in _roles()})
"""What to undo for a host script, by role (never automatic: an operator decides)."""


def _plugin(backend: Backend) -> StorageBackend[Any]:
    return BACKENDS[backend.type]


def _uses_by_backend(
    spec: Spec, uses: tuple[PoolUse, ...]
) -> list[tuple[Backend, tuple[PoolUse, ...]]]:
    """Every backend of the spec, in spec order, with the pool uses on it (maybe none)."""
    return [(be, tuple(u for u in uses if u.backend is be)) for be in spec.backends]


def host_scripts(spec: Spec) -> tuple[HostScript, ...]:
    """Every host script the spec needs, sorted by id (byte-stable for a given spec).

    Raises:
        SpecError: two hosts share a name, so two scripts would share an id.
    """
    uses = pool_uses(spec)
    by_host: dict[str, tuple[Placed, list[PoolUse]]] = {}
    for u in uses:
        for p in u.hosts:
            by_host.setdefault(p.resource, (p, []))[1].append(u)
    network = _network_scripts(spec, by_host)
    after_network = {key: s.id for key, s in network.items()}
    out: list[HostScript] = []
    for be, used in _uses_by_backend(spec, uses):
        out += _plugin(be).backend_scripts(spec, be, used, after_network)
    out += network.values()
    out += _role_scripts(spec, by_host, after_network)
    ids = [s.id for s in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SpecError(f"host names are not unique across the spec: {', '.join(dupes)}", [])
    return tuple(sorted(out, key=lambda s: s.id))


def _network_scripts(
    spec: Spec, by_host: dict[str, tuple[Placed, list[PoolUse]]]
) -> dict[str, HostScript]:
    """Host resource -> the storage-network script of each KVM host with a storage NIC."""
    out: dict[str, HostScript] = {}
    for key in sorted(by_host):
        placed, host_uses = by_host[key]
        subnet = _storage_subnet_of(spec, placed.host)
        lay = storage_layout(spec, placed)
        if lay is None or subnet is None:
            continue
        targets = sorted(
            {
                a.address
                for u in host_uses
                for a in u.backend.storage_addresses()
                if in_subnet(a.address, subnet)
            }
        )
        out[key] = storage_network_script(
            placed, lay, spec.cloudstack.version, tuple(targets), pool_ids(host_uses)
        )
    return out


def _role_scripts(
    spec: Spec,
    by_host: dict[str, tuple[Placed, list[PoolUse]]],
    after_network: Mapping[str, str],
) -> list[HostScript]:
    """One script per host and shared role of its pools' backends, after its network script."""
    out: list[HostScript] = []
    for key in sorted(by_host):
        placed, host_uses = by_host[key]
        roles: dict[str, tuple[HostRole, list[PoolUse]]] = {}
        for u in host_uses:
            for role in _plugin(u.backend).roles:
                if isinstance(role, HostRole) and placed.cluster.hypervisor in role.hypervisors:
                    roles.setdefault(role.name, (role, []))[1].append(u)
        after = (after_network[key],) if key in after_network else ()
        for name in sorted(roles):
            role, role_uses = roles[name]
            out.append(run_after(role.build(spec, placed, tuple(role_uses)), after))
    return out


def verification_checks(spec: Spec) -> tuple[Check, ...]:
    """What to verify once the storage pools exist, one Check per host and system."""
    checks: dict[str, Check] = {}
    for be, used in _uses_by_backend(spec, pool_uses(spec)):
        for c in _plugin(be).verification_checks(spec, be, used):
            checks[c.id] = c
    return tuple(checks[k] for k in sorted(checks))


def preflight_checks(spec: Spec) -> tuple[Check, ...]:
    """What to check before any step runs: devices, node names, NICs, admin access, and
    the XenServer network of each XenServer traffic label on every XenServer host."""
    checks: dict[str, Check] = {}
    uses = pool_uses(spec)
    for be, used in _uses_by_backend(spec, uses):
        for c in _plugin(be).preflight_checks(spec, be, used):
            checks[c.id] = c
    for key in sorted({p.resource: p for u in uses for p in u.hosts}):
        p = next(p for u in uses for p in u.hosts if p.resource == key)
        nic = p.host.storage_interface
        if nic and p.cluster.hypervisor == "KVM":
            parent = nic.split(".")[0]
            cid = f"preflight:storage-nic:{p.host.name}"
            checks[cid] = Check(
                cid,
                f"{p.host.name} has the storage NIC {parent}",
                f"ip link show {parent}",
                p.host.name,
            )
    for c in label_checks(spec):
        checks[c.id] = c
    return tuple(checks[k] for k in sorted(checks))
