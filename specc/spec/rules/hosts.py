"""Hosts and clusters (SPC38x): OS, host HA, the vCenter datacenter of VMware clusters,
the KVM storage bridge.

Host HA on KVM relies on a heartbeat file on primary storage, which the KVM agent
writes on NFS pools only (a backend plug-in's ``ha_heartbeat``). SolidFire's host
rules (SPC385-387: storage addresses, datastore counts) live with that backend.

A KVM host with a storage NIC in a zone that carries Storage traffic gets the bridge
named by the Storage traffic type's KVM label (:mod:`specc.hosts.network`): the
label must be there and be a bridge name (SPC388), and from 4.20.2 the pod's storage
IP range must not carry the VLAN the hosts tag on that bridge (SPC389).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from specc.backends import BACKENDS
from specc.errors import Severity
from specc.hosts.network import agent_tags_storage, interface_name, storage_traffic
from specc.hosts.topology import storage_subnet_of
from specc.spec.models import Host, Spec, Zone
from specc.spec.rules import Finding, JsonPath, Rule
from specc.spec.rules.topology import HostAt, iter_clusters, iter_hosts, pools_by_cluster

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


BRIDGE_NAME = re.compile(r"^[^\s/:]{1,15}$")
"""A Linux interface name: 1 to 15 characters (IFNAMSIZ is 16 with the NUL), no '/',
':' or white space (linux ``net/core/dev.c`` ``dev_valid_name``)."""


def _storage_port(spec: Spec, host: Host) -> tuple[str, str, int | None] | None:
    """(port, parent NIC, VLAN) of a host with a storage NIC and address, else None."""
    subnet = storage_subnet_of(spec, host)
    if subnet is None or host.storage_interface is None:
        return None
    return interface_name(host.storage_interface, subnet)


def _storage_traffic_path(zone: Zone, zi: int) -> JsonPath | None:
    for ni, net in enumerate(zone.physical_networks):
        for ti, t in enumerate(net.traffic):
            if t.type == "Storage":
                return ("zones", zi, "physical_networks", ni, "traffic", ti)
    return None


def _bridged_hosts(spec: Spec) -> Iterator[tuple[int, Zone, list[HostAt]]]:
    """Each zone that carries Storage traffic, with its KVM hosts that have a storage NIC."""
    hosts = list(iter_hosts(spec))
    for zi, zone in enumerate(spec.zones):
        if storage_traffic(zone) is None:
            continue
        nics = [
            at
            for at in hosts
            if at.zone is zone
            and at.cluster.hypervisor == "KVM"
            and _storage_port(spec, at.host) is not None
        ]
        if nics:
            yield zi, zone, nics


def storage_bridge_label(spec: Spec) -> Iterator[Finding]:
    """SPC388: KVM hosts with a storage NIC have a storage bridge to build: the label.

    The KVM agent plugs a system VM's storage NIC into the bridge the Storage traffic
    type's KVM label names, else into its management bridge (apache/cloudstack
    ``BridgeVifDriver.plug``: ``storageBrName = nic.getName() == null ?
    _bridges.get("private") : nic.getName()``). The storage-network scripts build that
    bridge on the host's storage NIC, so the label must be a bridge name, and neither
    the NIC nor its VLAN interface.
    """
    for zi, zone, nics in _bridged_hosts(spec):
        traffic = storage_traffic(zone)
        path = _storage_traffic_path(zone, zi)
        assert traffic is not None and path is not None
        names = ", ".join(at.host.name for at in nics)
        label = traffic.labels.kvm
        if label is None:
            yield Finding(
                "SPC388",
                E,
                (*path, "type"),
                f"zone '{zone.name}' carries Storage traffic without a KVM label, and KVM "
                f"hosts {names} have storage NICs: the agent would plug system VMs' storage "
                "NICs into its management bridge, and the hosts' scripts have no storage "
                "bridge to build",
                "Set labels.kvm of the Storage traffic type to the storage bridge, e.g. "
                "cloudbr2: each host's storage-network script builds it on its storage NIC.",
            )
            continue
        if not BRIDGE_NAME.match(label):
            yield Finding(
                "SPC388",
                E,
                (*path, "labels", "kvm"),
                f"the KVM label '{label}' of zone '{zone.name}''s Storage traffic cannot be "
                "a Linux bridge name (1 to 15 characters, no '/', ':' or white space)",
                "Name the storage bridge the hosts' scripts build, e.g. cloudbr2.",
            )
            continue
        for at in nics:
            port = _storage_port(spec, at.host)
            assert port is not None
            if label in port[:2]:
                yield Finding(
                    "SPC388",
                    E,
                    (*at.path, "storage_interface"),
                    f"host '{at.host.name}''s storage NIC {port[0]} is named '{label}' like "
                    f"the Storage traffic label of zone '{zone.name}', which names the bridge "
                    "built on that NIC",
                    "Give the Storage traffic type a bridge name (e.g. cloudbr2) as its KVM "
                    "label; the NIC becomes the bridge's port.",
                )


def storage_range_vlan_on_bridge(spec: Spec) -> Iterator[Finding]:
    """SPC389: from 4.20.2 a pod's storage range is untagged when its hosts tag the bridge.

    From 4.20.2 (apache/cloudstack #11245; 4.20.1.0 lacks it) a system VM's storage NIC
    whose range has a VLAN gets its own bridge: ``BridgeVifDriver.plug`` ->
    ``createStorageVnetBridgeIfNeeded`` -> ``createVnetBr`` builds ``br<pif>-<vlan>``,
    where ``<pif>`` is the labelled bridge's port resolved through a VLAN device to its
    parent (``getPif``), with ``modifyvlan.sh``, which enslaves an existing
    ``<pif>.<vlan>`` to it (``ip link set $vlanDev master $vlanBr``); ``deleteVnetBr``
    deletes both when the SSVM stops (an SSVM has no persistent network:
    ``VirtualMachineManagerImpl.getVlanToPersistenceMapForVM``). A host whose storage
    bridge sits on that same ``<nic>.<vlan>`` loses its storage address then.
    apache/cloudstack-documentation#563: with a dedicated storage bridge, configure no
    VLAN for storage traffic.
    """
    tags = agent_tags_storage(spec.cloudstack.version)
    if tags is False:
        return
    version = spec.cloudstack.version
    subnets = {s.name: s for s in spec.subnets}
    for zi, zone, nics in _bridged_hosts(spec):
        traffic = storage_traffic(zone)
        assert traffic is not None
        if traffic.labels.kvm is None:
            continue  # SPC388
        for pi, pod in enumerate(zone.pods):
            sr = pod.storage_range
            subnet = subnets.get(sr.subnet) if sr is not None else None
            if sr is None or subnet is None:
                continue
            vlan = sr.vlan or subnet.vlan
            hit = []
            for at in nics:
                port = _storage_port(spec, at.host)
                if at.pod is pod and port is not None and vlan is not None and port[2] == vlan:
                    hit.append(f"{at.host.name} ({port[0]})")
            if not hit:
                continue
            when = "4.20 (from 4.20.2)" if tags is None else version
            yield Finding(
                "SPC389",
                E,
                ("zones", zi, "pods", pi, "storage_range"),
                f"on CloudStack {when} the KVM agent tags the storage NIC of a system VM in "
                f"pod '{pod.name}' with VLAN {vlan} itself, on a bridge of its own: it takes "
                f"the VLAN interface out of bridge {traffic.labels.kvm} on {', '.join(hit)}, "
                "cutting the host's storage address, and deletes it when the SSVM stops",
                f"Leave the storage range untagged and let the hosts tag the VLAN: drop vlan "
                f"from subnet {subnet.name} (and the range) and give each host its tagged "
                f"NIC, e.g. storage_interface: eth1.{vlan}.",
            )


RULES: tuple[Rule, ...] = (
    kvm_host_os,
    vmware_cluster_needs_datacenter,
    datacenter_in_one_zone,
    host_ha_needs_nfs,
    host_ha_kvm_only,
    storage_bridge_label,
    storage_range_vlan_on_bridge,
)
