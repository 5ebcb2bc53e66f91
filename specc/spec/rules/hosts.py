"""Hosts and clusters (SPC38x): OS, host HA, the vCenter datacenter of VMware clusters.

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


def vmware_cluster_needs_datacenter(spec: Spec) -> Iterator[Finding]:
    """SPC381: a VMware cluster's zone names its vCenter datacenter (vcenter).

    addCluster of a VMware cluster fails in a zone without one (apache/cloudstack
    4.18.2.5 and 4.22.1.0 ``VmwareServerDiscoverer.find`` ->
    ``fetchVmwareDatacenterByZone``: "Zone <id> is not associated with any VMware DC
    yet. Please add VMware DC to this zone first and then try to add clusters.").
    """
    for at in iter_clusters(spec):
        if at.cluster.hypervisor == "VMware" and at.zone.vcenter is None:
            yield Finding(
                "SPC381",
                E,
                (*at.path, "hypervisor"),
                f"VMware cluster '{at.cluster.name}' is in zone '{at.zone.name}', which "
                "names no vCenter datacenter",
                "Set vcenter (host, datacenter, username, password) on the zone: CloudStack "
                "adds a VMware cluster only to a zone mapped to its vCenter datacenter "
                "(addVmwareDc).",
            )


def datacenter_in_one_zone(spec: Spec) -> Iterator[Finding]:
    """SPC382: a vCenter datacenter maps to one zone only.

    addVmwareDc marks the datacenter in vCenter (custom field ``cloud.zone=true``) and
    refuses a datacenter so marked (apache/cloudstack 4.18.2.5 and 4.22.1.0
    ``VmwareManagerImpl.addVmwareDatacenter``: "This DC is being managed by other
    CloudStack deployment. Cannot add this DC to zone."). The vCenter address is
    compared without case (a DNS name), the datacenter name as written.
    """
    first: dict[tuple[str, str], str] = {}
    for zi, zone in enumerate(spec.zones):
        vc = zone.vcenter
        if vc is None:
            continue
        owner = first.setdefault((vc.host.lower(), vc.datacenter), zone.name)
        if owner != zone.name:
            yield Finding(
                "SPC382",
                E,
                ("zones", zi, "vcenter", "datacenter"),
                f"zone '{zone.name}' maps vCenter datacenter '{vc.datacenter}' on "
                f"{vc.host}, which zone '{owner}' maps already",
                "A vCenter datacenter belongs to one CloudStack zone: give this zone its "
                "own datacenter.",
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
    vmware_cluster_needs_datacenter,
    datacenter_in_one_zone,
    host_ha_needs_nfs,
    host_ha_kvm_only,
)
