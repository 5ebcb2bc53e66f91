"""OCFS2 over a shared SAN LUN on KVM hosts, added as SharedMountPoint (rules SPC35x).

Everything specc knows about it: the spec model; the rules; the pool URL
``SharedMountPoint://localhost/<mount point>`` of the default provider (apache/
cloudstack ``CloudStackPrimaryDataStoreLifeCycleImpl.initialize``, scheme
``sharedMountPoint``: each host mounts the path itself); checks, runbook warnings and
rollback notes. The member host script is :mod:`specc.backends.ocfs2_scripts`.

A LUN shared by several KVM hosts needs a clustered file system; every host that
mounts the pool must be a node of the OCFS2 cluster (a ``node:`` stanza with its
``ip_address``), and mkfs runs on one member only. The sources give no maximum node
count (``mkfs.ocfs2 -N`` takes nodes + 1 slots), so none is enforced here. A node's
name is its host's own name (the host's ``hostname``, else its spec name): o2cb
finds the local node in cluster.conf by the host name (SPC357/358).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints

from specc.backends.base import BackendModel, PoolParams, PoolSite, StorageBackend
from specc.backends.ocfs2_scripts import format_host, node_name, ocfs2_node_script
from specc.core.steps import Check, HostScript
from specc.errors import Severity
from specc.hosts.order import run_after
from specc.hosts.roles import Role
from specc.hosts.topology import PoolUse, find_host, pool_ids
from specc.spec.rules import Finding, Rule
from specc.spec.rules.topology import backend_named, host_index, hosts_mounting, iter_pools
from specc.spec.types import HOST_NAME_PATTERN, Name

if TYPE_CHECKING:
    from specc.spec.models import PrimaryStorage, Spec

E = Severity.ERROR
W = Severity.WARNING


class Ocfs2Backend(BackendModel):
    """A SAN LUN shared by KVM hosts through OCFS2, added as SharedMountPoint."""

    type: Literal["ocfs2"]
    device: Annotated[str, StringConstraints(pattern=r"^/dev/")] = Field(
        description="Block device of the shared LUN, e.g. /dev/mapper/mpatha."
    )
    label: Annotated[str, StringConstraints(min_length=1, max_length=63)] = Field(
        description="Volume label (mkfs.ocfs2 -L), at most 63 characters: ocfs2_fs.h "
        "OCFS2_MAX_VOL_LABEL_LEN is 64 with the final NUL."
    )
    mount_point: Annotated[str, StringConstraints(pattern=r"^/")] = Field(
        description="Same path on every host, e.g. /san/primary."
    )
    cluster_name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,16}$")] = Field(
        default="ocfs2",
        description=(
            "The o2cb cluster name: at most 16 letters and digits (ocfs2_fs.h "
            "OCFS2_CLUSTER_NAME_LEN; ocfs2-tools o2cb_valid_o2cb_cluster_name, 'max 16 "
            "alpha-numeric characters')."
        ),
    )
    hosts: list[Name] = Field(min_length=1, description="Names of the member hosts.")
    format_on: Name | None = Field(
        default=None, description="The one host that runs mkfs.ocfs2 (default: the first member)."
    )


# --- rules -------------------------------------------------------------------------


def _ocfs2(spec: Spec) -> Iterator[tuple[int, Ocfs2Backend]]:
    for bi, b in enumerate(spec.backends):
        if isinstance(b, Ocfs2Backend):
            yield bi, b


def missing_members(spec: Spec) -> Iterator[Finding]:
    """SPC224: every OCFS2 member and its format_on host is a declared host."""
    if not any(isinstance(b, Ocfs2Backend) for b in spec.backends):
        return
    hosts = host_index(spec)
    for bi, backend in _ocfs2(spec):
        for j, member in enumerate(backend.hosts):
            if member not in hosts:
                yield Finding(
                    "SPC224",
                    E,
                    ("backends", bi, "hosts", j),
                    f"OCFS2 backend '{backend.name}' lists member '{member}', "
                    "which is not a declared host",
                    "List the names of hosts declared under a cluster.",
                )
        if backend.format_on is not None and backend.format_on not in backend.hosts:
            yield Finding(
                "SPC224",
                E,
                ("backends", bi, "format_on"),
                f"OCFS2 backend '{backend.name}' formats on '{backend.format_on}', "
                "which is not one of its members",
                f"Pick one of: {', '.join(backend.hosts)} (mkfs.ocfs2 runs on one member only).",
            )


def node_count(spec: Spec) -> Iterator[Finding]:
    """SPC350: an OCFS2 cluster has at least two distinct member hosts (warning).

    Advice, not a limit: o2cb and ``mkfs.ocfs2`` accept a one-node cluster and
    CloudStack's SharedMountPoint pool does not know OCFS2; one host gains nothing
    from a clustered file system (the seed's OCFS2 article shares a LUN between hosts).
    """
    for bi, b in _ocfs2(spec):
        n = len(set(b.hosts))
        if n < 2:
            yield Finding(
                "SPC350",
                W,
                ("backends", bi, "hosts"),
                f"OCFS2 backend '{b.name}' has {n} member host; a shared LUN with a clustered "
                "file system needs at least 2",
                "List every KVM host that mounts the LUN; for a single host use local storage.",
            )


def duplicate_members(spec: Spec) -> Iterator[Finding]:
    """SPC351: an OCFS2 member is listed once (node numbers come from the order)."""
    for bi, b in _ocfs2(spec):
        seen: set[str] = set()
        for j, member in enumerate(b.hosts):
            if member in seen:
                yield Finding(
                    "SPC351",
                    E,
                    ("backends", bi, "hosts", j),
                    f"OCFS2 backend '{b.name}' lists host '{member}' twice",
                    "List each member once: cluster.conf numbers nodes by position.",
                )
            seen.add(member)


def members_are_kvm(spec: Spec) -> Iterator[Finding]:
    """SPC352: every OCFS2 member is a KVM host with an IP address for cluster.conf."""
    backends = list(_ocfs2(spec))
    hosts = host_index(spec) if backends else {}
    for bi, b in backends:
        for j, member in enumerate(b.hosts):
            at = hosts.get(member)
            if at is None:
                continue  # SPC224
            if at.cluster.hypervisor != "KVM":
                yield Finding(
                    "SPC352",
                    E,
                    ("backends", bi, "hosts", j),
                    f"OCFS2 member '{member}' is in {at.cluster.hypervisor} cluster "
                    f"'{at.cluster.name}'; SharedMountPoint with OCFS2 is for KVM hosts",
                    "List KVM hosts only.",
                )


def pool_on_kvm_cluster(spec: Spec) -> Iterator[Finding]:
    """SPC353: an OCFS2 pool is cluster scope on a KVM cluster."""
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if not isinstance(backend, Ocfs2Backend):
            continue
        if at.pool.scope != "cluster":
            yield Finding(
                "SPC353",
                E,
                (*at.path, "scope"),
                f"OCFS2 pool '{at.pool.name}' has scope {at.pool.scope}",
                "Use scope cluster: mask the LUN so that each cluster sees only its own.",
            )
            continue
        for pod in at.zone.pods:
            for cluster in pod.clusters:
                if (pod.name, cluster.name) == (at.pool.pod, at.pool.cluster) and (
                    cluster.hypervisor != "KVM"
                ):
                    yield Finding(
                        "SPC353",
                        E,
                        (*at.path, "cluster"),
                        f"OCFS2 pool '{at.pool.name}' is on {cluster.hypervisor} cluster "
                        f"'{cluster.name}'",
                        "SharedMountPoint over OCFS2 is a KVM setup; use a KVM cluster.",
                    )


def cluster_hosts_are_members(spec: Spec) -> Iterator[Finding]:
    """SPC354: every host of the OCFS2 pool's cluster is a member of the OCFS2 cluster."""
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if not isinstance(backend, Ocfs2Backend) or at.pool.scope != "cluster":
            continue
        members = set(backend.hosts)
        for host_at in hosts_mounting(at):
            if host_at.host.name not in members:
                yield Finding(
                    "SPC354",
                    E,
                    (*host_at.path, "name"),
                    f"host '{host_at.host.name}' mounts OCFS2 pool '{at.pool.name}' but is not "
                    f"a member of backend '{backend.name}'",
                    "Add it to the backend's hosts: a node outside cluster.conf cannot mount "
                    "the file system.",
                )


def members_in_one_cluster(spec: Spec) -> Iterator[Finding]:
    """SPC355: OCFS2 members outside the cluster that mounts the pool (warning)."""
    backends = list(_ocfs2(spec))
    if not backends:
        return
    hosts = host_index(spec)
    pools_by_backend: dict[str, set[tuple[str, str | None, str | None]]] = {}
    for at in iter_pools(spec):
        if at.pool.scope != "cluster":
            continue  # SPC353
        pools_by_backend.setdefault(at.pool.backend, set()).add(
            (at.zone.name, at.pool.pod, at.pool.cluster)
        )
    for bi, b in backends:
        places = pools_by_backend.get(b.name)
        if not places:
            continue
        for j, member in enumerate(b.hosts):
            member_at = hosts.get(member)
            if member_at is None:
                continue
            if (member_at.zone.name, member_at.pod.name, member_at.cluster.name) not in places:
                yield Finding(
                    "SPC355",
                    W,
                    ("backends", bi, "hosts", j),
                    f"OCFS2 member '{member}' is in cluster '{member_at.cluster.name}', which does "
                    f"not mount backend '{b.name}'",
                    "Mask LUNs so each cluster sees only its own; remove the member or attach "
                    "the pool to its cluster.",
                )


def one_cluster_per_lun(spec: Spec) -> Iterator[Finding]:
    """SPC356: an OCFS2 LUN is mounted by one cluster only (warning)."""
    first: dict[str, tuple[str, str | None]] = {}
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if not isinstance(backend, Ocfs2Backend) or at.pool.scope != "cluster":
            continue
        place = (at.zone.name, at.pool.cluster)
        seen = first.setdefault(backend.name, place)
        if seen != place:
            yield Finding(
                "SPC356",
                W,
                (*at.path, "backend"),
                f"OCFS2 backend '{backend.name}' is mounted by cluster '{at.pool.cluster}' "
                f"and already by cluster '{seen[1]}' (zone '{seen[0]}')",
                "Give each cluster its own LUN and mask LUNs on the SAN so that each cluster "
                "sees only its own.",
            )


_NODE_NAME = re.compile(HOST_NAME_PATTERN)


def node_names_are_host_names(spec: Spec) -> Iterator[Finding]:
    """SPC357: a member's node name can be its host name (o2cb matches the two).

    The node name is the host's ``hostname``, else its spec name, which may hold
    spaces or run past the 64 characters of a Linux nodename (``__NEW_UTS_LEN``) and
    of an o2cb name (ocfs2-tools ``O2NM_MAX_NAME_LEN``).
    """
    backends = list(_ocfs2(spec))
    hosts = host_index(spec) if backends else {}
    for bi, b in backends:
        for j, member in enumerate(b.hosts):
            at = hosts.get(member)
            if at is None or _NODE_NAME.match(node_name(at.host)):
                continue
            yield Finding(
                "SPC357",
                E,
                ("backends", bi, "hosts", j),
                f"OCFS2 member '{member}' would be node '{node_name(at.host)}' in cluster.conf, "
                "which cannot be a host name (letters, digits, '-', '_' and '.', at most 64)",
                f"Set hostname on host '{member}' to the name `uname -n` prints on it: o2cb "
                "finds its own node by the host name.",
            )


def _clash(a: str, b: str) -> bool:
    """True when one host name would make o2cb take both nodes for itself.

    >>> _clash("kvm1", "KVM1"), _clash("kvm1", "kvm1.lab"), _clash("kvm1", "kvm10")
    (True, True, False)
    """
    a, b = a.lower(), b.lower()
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def node_names_differ(spec: Spec) -> Iterator[Finding]:
    """SPC358: no host name is taken by o2cb for two members' nodes.

    o2cb takes a node for the local one when its name equals the host name or the
    host name's first labels up to a dot, without case (ocfs2-tools
    ``o2cb_ctl/op_register.c`` ``node_is_local``): ``kvm1`` and ``KVM1``, or ``kvm1``
    and ``kvm1.lab``, would both be local on a host called ``kvm1.lab``.
    """
    backends = list(_ocfs2(spec))
    hosts = host_index(spec) if backends else {}
    for bi, b in backends:
        seen: list[tuple[str, str]] = []
        for j, member in enumerate(b.hosts):
            at = hosts.get(member)
            if at is None or member in (m for m, _ in seen):
                continue  # SPC224, SPC351
            name = node_name(at.host)
            other = next((m for m, n in seen if _clash(name, n)), None)
            if other is not None:
                yield Finding(
                    "SPC358",
                    E,
                    ("backends", bi, "hosts", j),
                    f"OCFS2 members '{other}' and '{member}' would both be the local node on a "
                    f"host called '{name}': o2cb compares node names with the host name "
                    "without case, up to a dot",
                    "Give each member its own host name (hostname on the host in the spec).",
                )
            seen.append((member, name))


RULES: tuple[Rule, ...] = (
    missing_members,
    node_count,
    duplicate_members,
    members_are_kvm,
    pool_on_kvm_cluster,
    cluster_hosts_are_members,
    members_in_one_cluster,
    one_cluster_per_lun,
    node_names_are_host_names,
    node_names_differ,
)

# --- the plug-in -------------------------------------------------------------------

OCFS2_NODE = Role(
    name="ocfs2-node",
    script_id="script:ocfs2-node:<backend>:<host>",
    runs_on="each member in `hosts`",
    does=(
        "first, **stops** unless `uname -n` is the member's node name (or that name with a "
        "domain, any case), before it writes anything; "
        "`ocfs2-tools`, the `ocfs2` module (and `/etc/modules-load.d`), "
        "`/etc/ocfs2/cluster.conf` (a `node:` stanza per member: `ip_port = 7777`, "
        "`ip_address` = storage address else address, `number` from 0, `name` = node name "
        "(the host's `hostname`, else its name), `cluster`; a "
        "`cluster:` stanza with `node_count` and `name`), `/etc/sysconfig/o2cb` or "
        "`/etc/default/o2cb` (heartbeat dead threshold 31, idle timeout 30000 ms, keepalive "
        "2000 ms, reconnect 2000 ms), `o2cb` enabled and the cluster registered, 7777/tcp "
        "and 7777/udp (firewalld when it runs, else iptables), the fstab line `<device> "
        "<mount point> ocfs2 _netdev,defaults 0 0`, mount, and `ocfs2` enabled (its `mount "
        "-at ocfs2` after `o2cb` mounts the line again at boot); `mounted.ocfs2 -f`. On the "
        "`format_on` member (default: the first) only: `mkfs.ocfs2 -L <label> -T vmstore "
        "--fs-feature-level=max-compat <device> -N <members + 1>` when `blkid` finds no file "
        "system; skips a device that already carries OCFS2 with this label; **refuses** "
        "(exit 1) a device with any other file system. The other members run after it "
        "(`after`) and stop if the device is not OCFS2 yet"
    ),
    rollback=(
        "`umount <mount point>`, remove its /etc/fstab line, `systemctl disable ocfs2` and "
        "`systemctl disable --now o2cb`; "
        "never run mkfs.ocfs2 again on a LUN that holds VM disks"
    ),
)


class Ocfs2(StorageBackend[Ocfs2Backend]):
    """SharedMountPoint over OCFS2: cluster scope, KVM (its rules SPC352/353 say so)."""

    type = "ocfs2"
    model = Ocfs2Backend
    provider = "DefaultPrimary"
    scopes = frozenset({"cluster"})
    hypervisors = frozenset({"KVM"})
    checks_fit = True
    rules = RULES
    roles = (OCFS2_NODE,)

    def pool(self, backend: Ocfs2Backend, pool: PrimaryStorage, site: PoolSite) -> PoolParams:
        """``SharedMountPoint://localhost/<mount point>`` (the pool's ``path`` overrides it)."""
        return PoolParams(f"SharedMountPoint://localhost{pool.path or backend.mount_point}")

    def backend_scripts(
        self,
        spec: Spec,
        backend: Ocfs2Backend,
        uses: tuple[PoolUse, ...],
        network: Mapping[str, str],
    ) -> tuple[HostScript, ...]:
        """One script per declared member, each after its storage-network script."""
        members = tuple(m for name in backend.hosts if (m := find_host(spec, name)) is not None)
        need = pool_ids(uses)
        return tuple(
            run_after(
                ocfs2_node_script(backend, m, members, need),
                (network[m.resource],) if m.resource in network else (),
            )
            for m in members
        )

    def preflight_checks(
        self, spec: Spec, backend: Ocfs2Backend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """Each member sees the LUN, and its host name is its node name in cluster.conf."""
        if not uses:
            return ()
        out: list[Check] = []
        for h in backend.hosts:
            placed = find_host(spec, h)
            node = node_name(placed.host) if placed is not None else h
            out += [
                Check(
                    f"preflight:ocfs2-device:{backend.name}:{h}",
                    f"{h} sees the shared LUN {backend.device} (masked from other clusters)",
                    f"lsblk {backend.device}",
                    h,
                ),
                Check(
                    f"preflight:ocfs2-hostname:{backend.name}:{h}",
                    f"prints `{node}` or `{node}.<domain>`: o2cb finds its node in "
                    "cluster.conf by the host name",
                    "uname -n",
                    h,
                ),
            ]
        return tuple(out)

    def verification_checks(
        self, spec: Spec, backend: Ocfs2Backend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """The file system is mounted on every member."""
        if not uses:
            return ()
        return tuple(
            Check(
                f"check:ocfs2-mounted:{h}:{backend.name}",
                f"{backend.device} is mounted on {backend.mount_point} on every member",
                f"mounted.ocfs2 -f {backend.device}",
                h,
            )
            for h in backend.hosts
        )

    def warnings(
        self,
        spec: Spec,
        backend: Ocfs2Backend,
        uses: tuple[PoolUse, ...],
        version: tuple[int, ...],
    ) -> tuple[str, ...]:
        """mkfs.ocfs2 runs once; LUN masking."""
        if not uses:
            return ()
        return (
            f"OCFS2 {backend.name}: mkfs.ocfs2 runs once, on {format_host(backend)} only; "
            "running it again destroys every VM disk on the LUN. Mask LUNs so each cluster "
            "sees only its own.",
        )

    def rollback_notes(self, backend: Ocfs2Backend) -> dict[str, str]:
        """Each member's mount, fstab line and o2cb service."""
        be = backend
        return {
            f"script:ocfs2-node:{be.name}:{h}": (
                f"`umount {be.mount_point}`, delete the line `{be.device} {be.mount_point} "
                "ocfs2 _netdev,defaults 0 0` from /etc/fstab, `systemctl disable ocfs2` and "
                "`systemctl disable --now o2cb`; "
                f"never format {be.device} again while it holds VM disks"
            )
            for h in be.hosts
        }
