"""Hosts and clusters (SPC38x): OS, vCenter, host HA, storage NICs, datastore counts.

Host HA on KVM relies on a heartbeat file on NFS primary storage. Managed SolidFire
storage (1:1) makes one datastore/SR per volume, so the hypervisor's limit caps the
volumes of a cluster: VMware 6.5 has 512 datastores per cluster (hard), XenServer
6.x-8.0 256 SRs (soft; 500-600 tested, slow), KVM none.
"""

from __future__ import annotations

from collections.abc import Iterator

from specc.errors import Severity
from specc.spec.models import SolidFireBackend, SolidFireSharedBackend, Spec
from specc.spec.rules import Finding, Rule
from specc.spec.rules.topology import (
    ClusterAt,
    PoolAt,
    backend_named,
    hosts_mounting,
    iter_clusters,
    iter_hosts,
    iter_pools,
    pools_by_cluster,
)

E = Severity.ERROR
W = Severity.WARNING

DATASTORE_LIMITS: dict[str, tuple[int, Severity, str]] = {
    "VMware": (512, E, "datastores per cluster (VMware 6.5, hard limit)"),
    "XenServer": (256, W, "SRs (XenServer 6.x-8.0, soft limit; mounting slows beyond it)"),
}


def kvm_host_os(spec: Spec) -> Iterator[Finding]:
    """SPC380: a KVM host states its OS family (host scripts depend on it)."""
    for at in iter_hosts(spec):
        if at.cluster.hypervisor == "KVM" and at.host.os is None:
            yield Finding(
                "SPC380",
                E,
                (*at.path, "name"),
                f"KVM host '{at.host.name}' does not say its os",
                "Set os (el7, el8, el9, debian or ubuntu): packages such as ceph-common, "
                "iscsi-initiator-utils/open-iscsi and ocfs2-tools depend on it.",
            )


def vcenter_only_vmware(spec: Spec) -> Iterator[Finding]:
    """SPC381: vcenter (and its datacenter) is set on VMware clusters only."""
    for at in iter_clusters(spec):
        if at.cluster.vcenter is not None and at.cluster.hypervisor != "VMware":
            yield Finding(
                "SPC381",
                E,
                (*at.path, "vcenter"),
                f"{at.cluster.hypervisor} cluster '{at.cluster.name}' sets vcenter",
                "vcenter and its datacenter are for VMware clusters only; remove it.",
            )


def vmware_needs_vcenter(spec: Spec) -> Iterator[Finding]:
    """SPC382: a VMware cluster names its vCenter and datacenter."""
    for at in iter_clusters(spec):
        if at.cluster.hypervisor == "VMware" and at.cluster.vcenter is None:
            yield Finding(
                "SPC382",
                E,
                (*at.path, "name"),
                f"VMware cluster '{at.cluster.name}' has no vcenter",
                "Set vcenter (host, datacenter, username, password): addCluster needs it, and "
                "cluster-wide SolidFire pools need the datacenter.",
            )


def host_ha_needs_nfs(spec: Spec) -> Iterator[Finding]:
    """SPC383: host HA on a KVM cluster without NFS primary storage (warning)."""
    mounted = pools_by_cluster(spec)
    types = {b.name: b.type for b in spec.backends}
    for cluster_at in iter_clusters(spec):
        if cluster_at.cluster.hypervisor != "KVM":
            continue
        ha_hosts = [i for i, h in enumerate(cluster_at.cluster.hosts) if h.ha]
        pools = mounted.get(id(cluster_at.cluster), [])
        if ha_hosts and not any(types.get(at.pool.backend) == "nfs" for at in pools):
            for hi in ha_hosts:
                host = cluster_at.cluster.hosts[hi]
                yield Finding(
                    "SPC383",
                    W,
                    (*cluster_at.path, "hosts", hi, "ha"),
                    f"host '{host.name}' enables HA, but cluster '{cluster_at.cluster.name}' "
                    "mounts no NFS primary storage",
                    "KVM host HA writes its heartbeat to NFS primary storage; add an NFS pool "
                    "to the cluster, or HA cannot fence this host.",
                )


def host_ha_kvm_only(spec: Spec) -> Iterator[Finding]:
    """SPC384: ha on a non-KVM host (warning): the kvmhaprovider is for KVM."""
    for at in iter_hosts(spec):
        if at.host.ha and at.cluster.hypervisor != "KVM":
            yield Finding(
                "SPC384",
                W,
                (*at.path, "ha"),
                f"host '{at.host.name}' in {at.cluster.hypervisor} cluster "
                f"'{at.cluster.name}' enables host HA",
                "CloudStack's host HA provider (kvmhaprovider) is for KVM; remove ha here.",
            )


def solidfire_host_storage_address(spec: Spec) -> Iterator[Finding]:
    """SPC385: a host mounting SolidFire has a storage address for iSCSI (warning)."""
    reported: set[str] = set()
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if not isinstance(backend, SolidFireBackend | SolidFireSharedBackend):
            continue
        if backend.subnet is not None:
            continue  # SPC311 checks the address against the declared subnet
        for host_at in hosts_mounting(at):
            host = host_at.host
            if host.storage_address is None and host.name not in reported:
                reported.add(host.name)
                yield Finding(
                    "SPC385",
                    W,
                    (*host_at.path, "name"),
                    f"host '{host.name}' mounts SolidFire pool '{at.pool.name}' but has no "
                    f"storage_address on the SVIP network ({backend.svip})",
                    "Give the host an IP on the storage VLAN of the SVIP (KVM: plus an iSCSI "
                    "initiator; VMware: a bound software iSCSI adapter).",
                )


def _volume_count(spec: Spec, cluster_at: ClusterAt, pools: list[PoolAt]) -> tuple[int, str] | None:
    """Datastores/SRs a cluster will mount, and how the figure was found.

    None when no SolidFire 1:1 pool reaches the cluster, or nothing says how many
    volumes it will hold.
    """
    managed_declared = 0
    managed_any = False
    declared_any = False
    others = 0
    for at in pools:
        if isinstance(backend_named(spec, at.pool.backend), SolidFireBackend):
            managed_any = True
            if at.pool.expected_volumes is not None:
                declared_any = True
                managed_declared += at.pool.expected_volumes
        else:
            others += 1
    if not managed_any:
        return None
    if declared_any:
        return managed_declared + others, "expected_volumes of its SolidFire pools"
    w = cluster_at.cluster.workload
    if w is None:
        return None
    hosts = len(cluster_at.cluster.hosts)
    count = w.vms_per_host * w.volumes_per_vm * hosts
    how = f"{w.vms_per_host} VMs x {w.volumes_per_vm} volumes x {hosts} hosts"
    return count + others, how


def _datastore_limit(spec: Spec, hypervisor: str, code: str) -> Iterator[Finding]:
    maximum, severity, what = DATASTORE_LIMITS[hypervisor]
    if not any(isinstance(b, SolidFireBackend) for b in spec.backends):
        return
    mounted = pools_by_cluster(spec)
    for cluster_at in iter_clusters(spec):
        if cluster_at.cluster.hypervisor != hypervisor:
            continue
        counted = _volume_count(spec, cluster_at, mounted.get(id(cluster_at.cluster), []))
        if counted is None or counted[0] <= maximum:
            continue
        count, how = counted
        yield Finding(
            code,
            severity,
            (*cluster_at.path, "name"),
            f"cluster '{cluster_at.cluster.name}' would mount {count} datastores/SRs "
            f"({how}); the limit is {maximum} {what}",
            "SolidFire 1:1 makes one datastore/SR per volume: split the cluster, or put "
            "bulk volumes on SolidFireShared or NFS pools.",
        )


def vmware_datastore_limit(spec: Spec) -> Iterator[Finding]:
    """SPC386: a VMware cluster's SolidFire volumes fit in 512 datastores (hard limit)."""
    yield from _datastore_limit(spec, "VMware", "SPC386")


def xenserver_sr_limit(spec: Spec) -> Iterator[Finding]:
    """SPC387: a XenServer cluster's SolidFire volumes fit in 256 SRs (soft limit)."""
    yield from _datastore_limit(spec, "XenServer", "SPC387")


RULES: tuple[Rule, ...] = (
    kvm_host_os,
    vcenter_only_vmware,
    vmware_needs_vcenter,
    host_ha_needs_nfs,
    host_ha_kvm_only,
    solidfire_host_storage_address,
    vmware_datastore_limit,
    xenserver_sr_limit,
)
