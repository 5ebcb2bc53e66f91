"""The domain warnings a runbook states, computed from the spec.

RBD cache RAM per host, no VM snapshots on KVM managed storage (SolidFire 1:1 and
Ceph RBD), Ceph's production limits, the Ceph-secret-with-slash bug of older
releases, and OCFS2's format-once rule. Each is a plain sentence.
"""

from __future__ import annotations

from specc.spec.models import CephBackend, Ocfs2Backend, SolidFireBackend, Spec

from .topology import pool_uses

# apache/cloudstack#4147 and #7673, fixed by PR #7708 (released in 4.18.1).
SLASH_FIX_VERSION = (4, 18, 1)


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
    seen_hosts: set[str] = set()
    for u in uses:
        be = u.backend
        if isinstance(be, CephBackend):
            for p in u.hosts:
                wl = p.cluster.workload
                if p.host.name in seen_hosts or wl is None or p.cluster.hypervisor != "KVM":
                    continue
                seen_hosts.add(p.host.name)
                mb = wl.vms_per_host * wl.volumes_per_vm * be.rbd_cache.size_mb
                line = (
                    f"RBD cache RAM on {p.host.name}: {wl.vms_per_host} VMs x "
                    f"{wl.volumes_per_vm} volumes x {be.rbd_cache.size_mb} MB = "
                    f"{mb / 1000:.1f} GB"
                )
                if p.host.memory_gb is not None:
                    line += f" of {p.host.memory_gb} GB"
                out.append(line + " (the cache is per volume).")
    for be in spec.backends:
        used = [u for u in uses if u.backend is be]
        if isinstance(be, CephBackend) and used:
            out.append(
                f"Ceph {be.name}: no full VM snapshots (no RAM state on raw RBD images) and "
                "no NFS-style HA heartbeat file on RBD primary storage."
            )
            if be.osd_nodes is not None and be.osd_nodes < 10:
                out.append(
                    f"Ceph {be.name}: {be.osd_nodes} OSD nodes; >= 10 advised in production."
                )
            if len(be.monitors) % 2 == 0:
                out.append(f"Ceph {be.name}: {len(be.monitors)} MONs; use an odd number.")
            if be.monitor_dns is None:
                out.append(
                    f"Ceph {be.name}: the pool URL names one monitor ({be.monitors[0]}), a single "
                    "point of failure; use a round-robin DNS name over the MONs (monitor_dns)."
                )
            if be.pool.size < 3 and be.pool.kind == "replicated":
                out.append(f"Ceph {be.name}: pool size {be.pool.size}; 3 for production.")
            if be.pool.kind == "erasure":
                out.append(
                    f"Ceph {be.name}: erasure-coded pools are for space efficiency and object "
                    "storage, not for VM disks."
                )
            out.append(
                f"Ceph {be.name}: 10 GbE or faster, separate client and replication networks, no "
                "cache tiering, clocks within 0.05 s (else HEALTH_WARN clock skew)."
            )
            if version < SLASH_FIX_VERSION:
                out.append(
                    f"Ceph {be.name}: CloudStack {spec.cloudstack.version} fails to add an RBD "
                    "pool whose key contains '/' (apache/cloudstack#4147, fixed in 4.18.1): if "
                    f"ceph auth get-key client.{be.user} shows a '/', regenerate the key."
                )
        if isinstance(be, SolidFireBackend):
            kvm = sorted(
                {p.host.name for u in used for p in u.hosts if p.cluster.hypervisor == "KVM"}
            )
            if kvm:
                out.append(
                    f"SolidFire {be.name} on KVM ({', '.join(kvm)}): VM snapshots are not possible "
                    "(raw LUN passthrough); hypervisor snapshot reserve has no effect."
                )
        if isinstance(be, Ocfs2Backend) and used:
            out.append(
                f"OCFS2 {be.name}: mkfs.ocfs2 runs once, on {be.format_on or be.hosts[0]} only; "
                "running it again destroys every VM disk on the LUN. Mask LUNs so each cluster "
                "sees only its own."
            )
    return tuple(out)
