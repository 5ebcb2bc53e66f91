"""Hosts and clusters (SPC38x): OS, vCenter, host HA.

Host HA on KVM relies on a heartbeat file on primary storage, which the KVM agent
writes on NFS pools only (a backend plug-in's ``ha_heartbeat``). SolidFire's host
rules (SPC385-387: storage addresses, datastore counts) live with that backend.
"""

from __future__ import annotations

from collections.abc import Iterator

from specc.backends import BACKENDS
from specc.errors import Severity
from specc.spec.models import Spec
from specc.spec.rules import Finding, Rule
from specc.spec.rules.topology import iter_clusters, iter_hosts, pools_by_cluster

E = Severity.ERROR
W = Severity.WARNING


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
    """SPC383: host HA on a KVM cluster without NFS primary storage (warning).

    The KVM agent writes the HA heartbeat on NFS primary pools only (apache/cloudstack
    ``KVMStoragePoolManager.createStoragePool`` hands ``NetworkFilesystem`` pools to
    the HA monitor): a backend plug-in says so with ``ha_heartbeat``.
    """
    mounted = pools_by_cluster(spec)
    heartbeat = {b.name for b in spec.backends if BACKENDS[b.type].ha_heartbeat}
    for cluster_at in iter_clusters(spec):
        if cluster_at.cluster.hypervisor != "KVM":
            continue
        ha_hosts = [i for i, h in enumerate(cluster_at.cluster.hosts) if h.ha]
        pools = mounted.get(id(cluster_at.cluster), [])
        if ha_hosts and not any(at.pool.backend in heartbeat for at in pools):
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


RULES: tuple[Rule, ...] = (
    kvm_host_os,
    vcenter_only_vmware,
    vmware_needs_vcenter,
    host_ha_needs_nfs,
    host_ha_kvm_only,
)
