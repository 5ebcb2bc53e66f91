"""Concrete rollback notes for the host scripts of a spec (for the runbook).

Never run by specc: an operator reads them and decides. Each note names the real
pool, key, device, mount point, interface and files of its script.
"""

from __future__ import annotations

from ipaddress import IPv4Network

from specc.spec.models import CephBackend, Ocfs2Backend, SolidFireSharedBackend, Spec

from .ceph import key_file
from .network import interface_name
from .solidfire import sf_name
from .topology import all_hosts, storage_subnet_of


def rollback_notes(spec: Spec) -> dict[str, str]:
    """Script id -> what to undo, for the scripts whose undo depends on the spec."""
    notes: dict[str, str] = {}
    for be in spec.backends:
        if isinstance(be, CephBackend):
            notes[f"script:ceph-admin:{be.name}"] = (
                f"`ceph auth del client.{be.user}` and remove {key_file(be)}; the pool "
                f"destroys its images: `ceph osd pool rm {be.pool.name} {be.pool.name} "
                "--yes-i-really-really-mean-it` (needs mon_allow_pool_delete)"
            )
        elif isinstance(be, Ocfs2Backend):
            for h in be.hosts:
                notes[f"script:ocfs2-node:{be.name}:{h}"] = (
                    f"`umount {be.mount_point}`, delete the line `{be.device} {be.mount_point} "
                    "ocfs2 _netdev,defaults 0 0` from /etc/fstab, `systemctl disable --now o2cb`; "
                    f"never format {be.device} again while it holds VM disks"
                )
        elif isinstance(be, SolidFireSharedBackend):
            name = sf_name(be.name)
            notes[f"script:solidfire-setup:{be.name}"] = (
                f"once no host uses the LUN, on MVIP {be.mvip}: DeleteVolumeAccessGroup "
                f"{name}, DeleteVolume {name} then PurgeDeletedVolume, RemoveAccount "
                f"{sf_name('cloudstack-' + be.name)}"
            )
    for p in all_hosts(spec):
        host = p.host
        subnet = storage_subnet_of(spec, host)
        if subnet is None or host.storage_interface is None:
            continue
        iface, _parent, vlan = interface_name(host.storage_interface, subnet)
        prefix = IPv4Network(subnet.cidr).prefixlen
        files = {
            "ubuntu": "/etc/netplan/60-specc-storage.yaml",
            "debian": f"/etc/network/interfaces.d/specc-storage-{iface}",
        }.get(host.os or "", f"/etc/sysconfig/network-scripts/ifcfg-{iface}")
        undo = f"`ip addr del {host.storage_address}/{prefix} dev {iface}`"
        if vlan is not None:
            undo += f", `ip link del {iface}`"
        notes[f"script:storage-network:{host.name}"] = f"{undo}, remove {files}"
    return notes
