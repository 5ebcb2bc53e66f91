"""Host scripts: the steps on hosts that CloudStack's API calls need first.

``host_scripts(spec)`` returns one idempotent bash script per host and role (Ceph
admin node, KVM Ceph client, KVM iSCSI initiator, SolidFire prerequisites on ESXi
and XenServer, OCFS2 member, storage network, SolidFire set up by hand), sorted by
id. Each names the storage pools (``needed_by``) whose API step must wait for it;
the plan compiler places it right before them. ``verification_checks(spec)`` lists
what an operator checks once the API steps are done.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from specc.core.steps import Check, HostScript
from specc.errors import SpecError
from specc.hosts.ceph import admin_host, ceph_admin_script, kvm_ceph_client_script
from specc.hosts.iscsi import kvm_iscsi_script, solidfire_prereq_script
from specc.hosts.network import storage_network_script
from specc.hosts.ocfs2 import ocfs2_node_script
from specc.hosts.solidfire import solidfire_manual_script
from specc.hosts.topology import Placed, PoolUse, find_host, in_subnet, pool_uses, storage_addresses
from specc.hosts.topology import storage_subnet_of as _storage_subnet_of
from specc.spec.models import (
    CephBackend,
    IscsiBackend,
    Ocfs2Backend,
    SolidFireBackend,
    SolidFireSharedBackend,
    Spec,
)

__all__ = ["LOCAL_ROLES", "host_scripts", "preflight_checks", "verification_checks"]

# Roles whose script runs on the operator's workstation, not on the host it names
# (the Element API by curl; ESXi checked over ssh, since ESXi has no bash).
LOCAL_ROLES = frozenset({"solidfire-setup", "esxi-solidfire-prereq"})


def _pools(uses: list[PoolUse]) -> tuple[str, ...]:
    """The sorted storage-pool ids of *uses*."""
    return tuple(sorted({u.resource for u in uses}))


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
    out = _backend_scripts(spec, uses)
    network = _network_scripts(spec, by_host)
    out += network.values()
    out += _client_scripts(spec, by_host, network)
    for i, s in enumerate(out):
        member = find_host(spec, s.host) if s.role == "ocfs2-node" else None
        if member is not None and member.resource in network:
            out[i] = _after(s, (network[member.resource].id,))
    ids = [s.id for s in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SpecError(f"host names are not unique across the spec: {', '.join(dupes)}", [])
    return tuple(sorted(out, key=lambda s: s.id))


def _backend_scripts(spec: Spec, uses: tuple[PoolUse, ...]) -> list[HostScript]:
    """One per backend (Ceph admin, SolidFire by hand) or per member (OCFS2)."""
    out: list[HostScript] = []
    for be in spec.backends:
        need = _pools([u for u in uses if u.backend is be])
        if isinstance(be, CephBackend):
            placed = find_host(spec, be.admin_node) if be.admin_node else None
            out.append(ceph_admin_script(be, placed, need))
        elif isinstance(be, Ocfs2Backend):
            members = tuple(m for name in be.hosts if (m := find_host(spec, name)) is not None)
            out.extend(ocfs2_node_script(be, m, members, need) for m in members)
        elif isinstance(be, SolidFireSharedBackend) and not need:
            out.append(solidfire_manual_script(spec, be))
    return out


def _network_scripts(
    spec: Spec, by_host: dict[str, tuple[Placed, list[PoolUse]]]
) -> dict[str, HostScript]:
    """Host resource -> the storage-network script of each KVM host with a storage NIC."""
    out: dict[str, HostScript] = {}
    for key in sorted(by_host):
        placed, host_uses = by_host[key]
        subnet = _storage_subnet_of(spec, placed.host)
        if (
            placed.cluster.hypervisor != "KVM"
            or subnet is None
            or placed.host.storage_interface is None
        ):
            continue
        targets = sorted(
            {a for u in host_uses for a in storage_addresses(u.backend) if in_subnet(a, subnet)}
        )
        out[key] = storage_network_script(placed, subnet, tuple(targets), _pools(host_uses))
    return out


def _client_scripts(
    spec: Spec,
    by_host: dict[str, tuple[Placed, list[PoolUse]]],
    network: dict[str, HostScript],
) -> list[HostScript]:
    """The storage-client scripts of each host, after its storage-network script."""
    admins = {
        be.name: admin_host(be, find_host(spec, be.admin_node) if be.admin_node else None)[1]
        for be in spec.backends
        if isinstance(be, CephBackend)
    }
    out: list[HostScript] = []
    for key in sorted(by_host):
        placed, host_uses = by_host[key]
        after = (network[key].id,) if key in network else ()
        hv = placed.cluster.hypervisor
        if hv == "KVM":
            ceph = {
                u.backend.name: u.backend for u in host_uses if isinstance(u.backend, CephBackend)
            }
            if ceph:
                need = _pools([u for u in host_uses if u.backend.name in ceph])
                s = kvm_ceph_client_script(
                    placed, tuple(ceph[n] for n in sorted(ceph)), need, admins
                )
                out.append(_after(s, after))
            iscsi = [u for u in host_uses if isinstance(u.backend, SolidFireBackend | IscsiBackend)]
            if iscsi:
                names = tuple(sorted({u.backend.name for u in iscsi}))
                portals = tuple(sorted({a for u in iscsi for a in storage_addresses(u.backend)}))
                s = kvm_iscsi_script(placed, names, _pools(iscsi), portals)
                out.append(_after(s, after))
        elif hv in ("VMware", "XenServer"):
            sf = [
                u
                for u in host_uses
                if isinstance(u.backend, SolidFireBackend | SolidFireSharedBackend)
            ]
            if sf:
                bes = {u.backend.name: u.backend for u in sf}
                out.append(
                    solidfire_prereq_script(
                        spec, placed, tuple(bes[n] for n in sorted(bes)), _pools(sf)
                    )
                )
    return out


def _after(script: HostScript, ids: tuple[str, ...]) -> HostScript:
    if not ids:
        return script
    return replace(script, depends_on=tuple(sorted(set(script.depends_on) | set(ids))))


def verification_checks(spec: Spec) -> tuple[Check, ...]:
    """What to verify once the storage pools exist, one Check per host and system."""
    checks: dict[str, Check] = {}
    by_backend: dict[str, list[PoolUse]] = defaultdict(list)
    for u in pool_uses(spec):
        by_backend[u.backend.name].append(u)
    for be in spec.backends:
        used = by_backend.get(be.name, [])
        if not used:
            continue
        hosts = sorted({p.host.name for u in used for p in u.hosts})
        if isinstance(be, CephBackend):
            admin = be.admin_node or be.monitors[0]
            checks[f"check:ceph-health:{be.name}"] = Check(
                f"check:ceph-health:{be.name}",
                f"Ceph {be.name} is HEALTH_OK and the pool lists its images",
                f"ceph -s && rbd ls {be.pool.name}",
                admin,
            )
            for h in hosts:
                checks[f"check:virsh-pool:{h}:{be.name}"] = Check(
                    f"check:virsh-pool:{h}:{be.name}",
                    f"libvirt on {h} has the RBD pool (named after the storage pool's uuid) "
                    "active: virsh pool-info <uuid>",
                    "virsh pool-list --all",
                    h,
                )
        elif isinstance(be, SolidFireBackend | SolidFireSharedBackend | IscsiBackend):
            placed = {p.host.name: p for u in used for p in u.hosts}
            for h in hosts:
                hv = placed[h].cluster.hypervisor
                cid = f"check:iscsi:{h}:{be.name}"
                if hv == "KVM":
                    checks[cid] = Check(
                        cid,
                        f"{h} has iSCSI sessions to {be.name} once a volume is attached",
                        "iscsiadm -m session",
                        h,
                    )
                elif hv == "XenServer":
                    checks[cid] = Check(
                        cid,
                        f"the SRs of {be.name} are attached on {h} (currently-attached true)",
                        "xe pbd-list params=sr-uuid,currently-attached",
                        h,
                    )
                elif hv == "VMware":
                    checks[cid] = Check(
                        cid,
                        f"the datastores of {be.name} are mounted on {h}",
                        "esxcli storage filesystem list",
                        h,
                    )
        elif isinstance(be, Ocfs2Backend):
            for h in be.hosts:
                checks[f"check:ocfs2-mounted:{h}:{be.name}"] = Check(
                    f"check:ocfs2-mounted:{h}:{be.name}",
                    f"{be.device} is mounted on {be.mount_point} on every member",
                    f"mounted.ocfs2 -f {be.device}",
                    h,
                )
    return tuple(checks[k] for k in sorted(checks))


def preflight_checks(spec: Spec) -> tuple[Check, ...]:
    """What to check before any step runs: devices, node names, NICs, admin access."""
    checks: dict[str, Check] = {}

    def add(cid: str, description: str, command: str, host: str | None) -> None:
        checks[cid] = Check(cid, description, command, host)

    uses = pool_uses(spec)
    used = {id(u.backend) for u in uses}
    for be in spec.backends:
        if id(be) not in used and not isinstance(be, SolidFireSharedBackend):
            continue
        if isinstance(be, CephBackend):
            admin = be.admin_node or be.monitors[0]
            add(
                f"preflight:ceph-admin:{be.name}",
                f"the admin node of Ceph {be.name} has the admin keyring",
                "ceph -s",
                admin,
            )
            if be.copy_admin_keyring:
                placed = find_host(spec, be.admin_node) if be.admin_node else None
                src = admin_host(be, placed)[1]
                clients = {p.host.name for u in uses if u.backend is be for p in u.hosts}
                for h in sorted(clients - {admin}):
                    add(
                        f"preflight:admin-keyring-ssh:{be.name}:{h}",
                        f"{h} can scp the admin keyring from {src} (copy_admin_keyring)",
                        f"ssh -o BatchMode=yes root@{src} true",
                        h,
                    )
        elif isinstance(be, Ocfs2Backend):
            for h in be.hosts:
                add(
                    f"preflight:ocfs2-device:{be.name}:{h}",
                    f"{h} sees the shared LUN {be.device} (masked from other clusters)",
                    f"lsblk {be.device}",
                    h,
                )
                add(
                    f"preflight:ocfs2-hostname:{be.name}:{h}",
                    f"the host name of {h} is `{h}`: o2cb matches cluster.conf names to it",
                    "hostname",
                    h,
                )
        elif isinstance(be, SolidFireBackend | SolidFireSharedBackend):
            add(
                f"preflight:solidfire-mvip:{be.name}",
                f"the management VIP of SolidFire {be.name} answers",
                f"curl -sk -o /dev/null -w '%{{http_code}}' https://{be.mvip}/json-rpc/8.0",
                None,
            )
    for key in sorted({p.resource: p for u in uses for p in u.hosts}):
        p = next(p for u in uses for p in u.hosts if p.resource == key)
        nic = p.host.storage_interface
        if nic and p.cluster.hypervisor == "KVM":
            parent = nic.split(".")[0]
            add(
                f"preflight:storage-nic:{p.host.name}",
                f"{p.host.name} has the storage NIC {parent}",
                f"ip link show {parent}",
                p.host.name,
            )
    return tuple(checks[k] for k in sorted(checks))
