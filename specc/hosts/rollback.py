"""Concrete rollback notes for the host scripts of a spec (for the runbook).

Never run by specc: an operator reads them and decides. Each note names the real
pool, key, device, mount point, interface and files of its script: the backends'
plug-ins give theirs (``rollback_notes``), the storage network's are made here.
"""

from __future__ import annotations

from ipaddress import IPv4Network

from specc.backends import BACKENDS
from specc.spec.models import Spec

from .network import interface_name
from .topology import all_hosts, storage_subnet_of


def rollback_notes(spec: Spec) -> dict[str, str]:
    """Script id -> what to undo, for the scripts whose undo depends on the spec."""
    notes: dict[str, str] = {}
    for be in spec.backends:
        notes.update(BACKENDS[be.type].rollback_notes(be))
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
