"""OCFS2 over a shared SAN LUN, added as SharedMountPoint (SPC35x).

A LUN shared by several KVM hosts needs a clustered file system; every host that
mounts the pool must be a node of the OCFS2 cluster (a ``node:`` stanza with its
``ip_address``), and mkfs runs on one member only. The sources give no maximum node
count (``mkfs.ocfs2 -N`` takes nodes + 1 slots), so none is enforced here.
"""

from __future__ import annotations

from collections.abc import Iterator

from specc.errors import Severity
from specc.spec.models import Ocfs2Backend, Spec
from specc.spec.rules import Finding, Rule
from specc.spec.rules.topology import backend_named, host_index, hosts_mounting, iter_pools

E = Severity.ERROR
W = Severity.WARNING


def _ocfs2(spec: Spec) -> Iterator[tuple[int, Ocfs2Backend]]:
    for bi, b in enumerate(spec.backends):
        if isinstance(b, Ocfs2Backend):
            yield bi, b


def node_count(spec: Spec) -> Iterator[Finding]:
    """SPC350: an OCFS2 cluster has at least two distinct member hosts."""
    for bi, b in _ocfs2(spec):
        n = len(set(b.hosts))
        if n < 2:
            yield Finding(
                "SPC350",
                E,
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


RULES: tuple[Rule, ...] = (
    node_count,
    duplicate_members,
    members_are_kvm,
    pool_on_kvm_cluster,
    cluster_hosts_are_members,
    members_in_one_cluster,
    one_cluster_per_lun,
)
