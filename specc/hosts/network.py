"""Storage network scripts: the storage bridge of a KVM host, its port, and reachability.

A zone that carries Storage traffic names, in its Storage traffic type's KVM label,
the bridge into which the KVM agent plugs each system VM's storage NIC (apache/
cloudstack ``BridgeVifDriver.plug``: ``storageBrName = nic.getName() == null ?
_bridges.get("private") : nic.getName()``). The script builds that bridge on the
host's ``storage_interface`` (a VLAN sub-interface ``<nic>.<vlan>`` when the storage
subnet is tagged, or a NIC given as ``eth1.300``) and puts the host's storage address
on the bridge, never on its port: an address on a bridge port stops answering once
the port is enslaved. In a zone without Storage traffic no system VM's NIC joins
this network, so the address goes on the interface itself.

Agent versions differ on the storage VLAN (:func:`agent_note`): up to 4.20.1 the agent
plugs the SSVM's storage NIC into the bridge untagged and ignores the VLAN of the
storage IP range (apache/cloudstack#7816), so the bridge must carry the VLAN (its port
is ``<nic>.<vlan>``); from 4.20.2 (#11245, in 4.20.2.0 and 4.21.0.0) a tagged range
makes the agent build ``br<pif>-<vlan>`` on ``<pif>.<vlan>`` itself
(``createStorageVnetBridgeIfNeeded`` -> ``createVnetBr``, ``modifyvlan.sh``), where
``<pif>`` is the labelled bridge's port, resolved through a VLAN device to its parent
(``getPif``). That moves ``<nic>.<vlan>`` out of the storage bridge and deletes it when
the SSVM stops (``deleteVnetBr``), so the pod's range must then be untagged while the
hosts tag the VLAN (rule SPC389; apache/cloudstack-documentation#563). Either way the
layout here is the same: the bridge on ``<nic>.<vlan>``, the address on the bridge.

Persistently per OS family (ifcfg on el, with a NetworkManager reload on el8/el9;
netplan on Ubuntu; /etc/network/interfaces.d with bridge-utils on Debian) and at once
with ``ip``; then every storage address the host needs is pinged.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from ipaddress import IPv4Network
from typing import TYPE_CHECKING

from specc.core.steps import HostScript

from .shell import ScriptBuilder, by_family, q
from .topology import Placed, storage_subnet_of

if TYPE_CHECKING:  # the model imports the backends, whose host scripts import this module
    from specc.spec.models import Spec, Subnet, TrafficType, Zone

AGENT_TAGS_STORAGE_SINCE = (4, 20, 2)
"""The first KVM agent that tags a system VM's storage NIC itself (apache/cloudstack
#11245, ``BridgeVifDriver.createStorageVnetBridgeIfNeeded``; 4.20.1.0 lacks it)."""


def interface_name(nic: str, subnet: Subnet) -> tuple[str, str, int | None]:
    """(interface, parent NIC, VLAN) for a NIC and storage subnet.

    >>> from ipaddress import IPv4Network
    >>> from specc.spec.models import Subnet
    >>> s = Subnet(name="st", cidr=IPv4Network("10.2.0.0/24"), role="storage", vlan=200)
    >>> interface_name("eth1", s)
    ('eth1.200', 'eth1', 200)
    >>> interface_name("eth1.300", s)
    ('eth1.300', 'eth1', 300)
    """
    if "." in nic:
        parent, _, vlan = nic.partition(".")
        return nic, parent, int(vlan)
    if subnet.vlan is not None:
        return f"{nic}.{subnet.vlan}", nic, subnet.vlan
    return nic, nic, None


def storage_traffic(zone: Zone) -> TrafficType | None:
    """The zone's Storage traffic type, if it carries one."""
    for net in zone.physical_networks:
        for t in net.traffic:
            if t.type == "Storage":
                return t
    return None


def agent_tags_storage(version: str) -> bool | None:
    """Whether the KVM agent of *version* tags a storage NIC itself (None: "4.20" may).

    >>> agent_tags_storage("4.18.1"), agent_tags_storage("4.20.2"), agent_tags_storage("4.20")
    (False, True, None)
    """
    parts = tuple(int(p) for p in version.split("."))
    if parts == (4, 20):
        return None
    return parts >= AGENT_TAGS_STORAGE_SINCE


@dataclass(frozen=True)
class StorageLayout:
    """Where a KVM host's storage address goes: on ``bridge`` (port ``port``), else ``port``."""

    address: str
    """The address with its prefix, e.g. ``10.21.0.11/24``."""
    netmask: str
    port: str
    parent: str
    vlan: int | None
    bridge: str | None
    subnet: str

    @property
    def device(self) -> str:
        """The interface that carries the address."""
        return self.bridge or self.port

    def files(self, os: str | None) -> tuple[str, ...]:
        """The files the script writes for OS family *os* (el when unknown)."""
        if os == "ubuntu":
            return ("/etc/netplan/60-specc-storage.yaml",)
        if os == "debian":
            return (f"/etc/network/interfaces.d/specc-storage-{self.port}",)
        ifcfg = "/etc/sysconfig/network-scripts/ifcfg-"
        return tuple(f"{ifcfg}{d}" for d in (self.bridge, self.port) if d is not None)


def storage_layout(spec: Spec, placed: Placed) -> StorageLayout | None:
    """The storage layout of a KVM host with a storage NIC and address, else None."""
    host = placed.host
    subnet = storage_subnet_of(spec, host)
    if (
        placed.cluster.hypervisor != "KVM"
        or subnet is None
        or host.storage_interface is None
        or host.storage_address is None
    ):
        return None
    port, parent, vlan = interface_name(host.storage_interface, subnet)
    zone = next(z for z in spec.zones if z.name == placed.zone)
    traffic = storage_traffic(zone)
    net = IPv4Network(subnet.cidr)
    return StorageLayout(
        address=f"{host.storage_address}/{net.prefixlen}",
        netmask=str(net.netmask),
        port=port,
        parent=parent,
        vlan=vlan,
        bridge=traffic.labels.kvm if traffic is not None else None,
        subnet=subnet.name,
    )


def agent_note(version: str, lay: StorageLayout) -> str:
    """What the KVM agent of *version* does with system VMs' storage NICs, for the script."""
    if lay.bridge is None:
        text = (
            "The zone carries no Storage traffic: no system VM's NIC joins this network, so "
            f"the address sits on {lay.port} itself."
        )
        return textwrap.fill(text, 84)
    vlan = f" (VLAN {lay.vlan})" if lay.vlan else ""
    old = (
        f"up to 4.20.1 the KVM agent plugs each system VM's storage NIC into {lay.bridge} "
        "untagged and ignores the VLAN of the storage IP range (apache/cloudstack#7816)"
    )
    new = (
        "from 4.20.2 it tags the NIC itself, on its own bridge br<nic>-<vlan>, when the "
        "storage IP range has a VLAN (BridgeVifDriver.createStorageVnetBridgeIfNeeded); "
        f"that would take {lay.port} from {lay.bridge}, so the range stays untagged "
        "(rule SPC389)"
    )
    tags = agent_tags_storage(version)
    why = {None: f"{old}; {new}", True: new, False: old}[tags]
    text = (
        f"{lay.bridge} is the zone's Storage traffic label: it carries the storage network "
        f"on its port {lay.port}{vlan}, and the host's address sits on the bridge. "
        f"CloudStack {version}: {why}."
    )
    return textwrap.fill(text, 84)


def _persist(lay: StorageLayout, os: str | None) -> str:
    """The persistent configuration of the port (and bridge), per OS family."""
    ip = lay.address.split("/")[0]
    prefix = lay.address.split("/")[1]
    start = ["BOOTPROTO=none", "ONBOOT=yes"]
    vlan = ["VLAN=yes"] if lay.vlan is not None else []
    ifcfg = "/etc/sysconfig/network-scripts/ifcfg-"
    if lay.bridge is None:
        port = [f"DEVICE={lay.port}", *start, f"IPADDR={ip}", f"PREFIX={prefix}", *vlan]
        files = [(lay.port, [*port, "DEFROUTE=no"])]
    else:
        bridge = [f"DEVICE={lay.bridge}", "TYPE=Bridge", *start, f"IPADDR={ip}"]
        bridge += [f"PREFIX={prefix}", "DEFROUTE=no", "STP=no", "DELAY=0"]
        port = [f"DEVICE={lay.port}", *start, *vlan, f"BRIDGE={lay.bridge}"]
        files = [(lay.bridge, bridge), (lay.port, port)]
    el = "\n".join(
        f"write_file {ifcfg}{dev} 0644 <<'EOF'\n" + "\n".join(lines) + "\nEOF"
        for dev, lines in files
    )
    netplan = f"network:\n  version: 2\n  ethernets:\n    {lay.parent}: {{}}\n"
    if lay.vlan is not None:
        # the parent must be known to netplan; an empty entry merges with any other file's
        netplan += f"  vlans:\n    {lay.port}:\n      id: {lay.vlan}\n      link: {lay.parent}\n"
    on = f"      addresses: [{lay.address}]\n"
    if lay.bridge is None:
        if lay.vlan is None:
            netplan = f"network:\n  version: 2\n  ethernets:\n    {lay.port}:\n{on}"
        else:
            netplan += on
    else:
        netplan += (
            f"  bridges:\n    {lay.bridge}:\n      interfaces: [{lay.port}]\n{on}"
            "      parameters:\n        stp: false\n        forward-delay: 0\n"
        )
    addr = [f"    address {ip}", f"    netmask {lay.netmask}"]
    raw = [f"    vlan-raw-device {lay.parent}"] if lay.vlan is not None else []
    if lay.bridge is None:
        deb = [f"auto {lay.port}", f"iface {lay.port} inet static", *addr, *raw]
    else:
        deb = [f"auto {lay.port}", f"iface {lay.port} inet manual", *raw, ""] if raw else []
        deb += [f"auto {lay.bridge}", f"iface {lay.bridge} inet static", *addr]
        deb += [f"    bridge_ports {lay.port}", "    bridge_stp off", "    bridge_fd 0"]
    debian = (
        f"write_file /etc/network/interfaces.d/specc-storage-{lay.port} 0644 <<'EOF'\n"
        + "\n".join(deb)
        + "\nEOF"
    )
    if lay.bridge is not None:
        # ifupdown reads bridge_ports through the hook bridge-utils installs
        debian = "ensure_pkgs bridge-utils\n" + debian
    return by_family(
        os,
        {
            ("el7",): el,
            ("el8", "el9"): (
                "before=$CHANGED\n" + el + "\n"
                "# NetworkManager reads ifcfg files on reload\n"
                'if [ "$CHANGED" -ne "$before" ] && command -v nmcli >/dev/null; then\n'
                "  nmcli connection reload\nfi"
            ),
            ("ubuntu",): (
                "write_file /etc/netplan/60-specc-storage.yaml 0600 <<'EOF'\n" + netplan + "EOF"
            ),
            ("debian",): debian,
        },
    )


def _has_addr(dev: str, addr: str) -> str:
    return f"ip -o -4 addr show dev {q(dev)} | grep -F ' {addr} ' >/dev/null"


def _up(dev: str) -> str:
    return (
        f"if ! ip -o link show {q(dev)} | grep -E 'state UP|,UP' >/dev/null; then\n"
        f"  ip link set {q(dev)} up\n"
        f'  did "{dev} up"\nfi'
    )


def _live(lay: StorageLayout) -> str:
    """Bash that builds the port (and bridge) and puts the address on it now."""
    addr, port, dev = lay.address, lay.port, lay.device
    out: list[str] = []
    if lay.bridge is not None:
        out.append(
            f"if ! ip link show {q(lay.bridge)} >/dev/null 2>&1; then\n"
            f"  ip link add name {q(lay.bridge)} type bridge\n"
            f'  did "created bridge {lay.bridge}"\nfi'
        )
    if lay.vlan is not None:
        out.append(
            f"if ! ip link show {q(port)} >/dev/null 2>&1; then\n"
            f"  ip link add link {q(lay.parent)} name {q(port)} type vlan id {lay.vlan}\n"
            f'  did "created VLAN interface {port}"\nfi'
        )
    if lay.bridge is not None:
        br = lay.bridge
        out.append(
            f"master=$(ip -o link show {q(port)} | sed -n 's/.* master \\([^ ]*\\) .*/\\1/p')\n"
            f'if [ -n "$master" ] && [ "$master" != {q(br)} ]; then\n'
            f'  die "{port} is a port of bridge $master: it cannot carry {br} too"\nfi\n'
            f"others=$(ip -o -4 addr show dev {q(port)} | awk '{{print $4}}' | "
            f"grep -vxF {q(addr)} || true)\n"
            'if [ -n "$others" ]; then\n'
            f'  die "{port} carries other addresses ($others): a port of {br} cannot keep '
            'them; move them first"\nfi\n'
            'if [ -z "$master" ]; then\n'
            f"  ip link set {q(port)} master {q(br)}\n"
            f'  did "{port} is a port of {br}"\nfi'
        )
    if lay.vlan is not None:
        out.append(_up(lay.parent))
    out.append(_up(port))
    if lay.bridge is not None:
        out.append(_up(lay.bridge))
    out.append(
        f"if ! {_has_addr(dev, addr)}; then\n"
        f"  ip addr add {q(addr)} dev {q(dev)}\n"
        f'  did "{addr} on {dev}"\nfi'
    )
    if lay.bridge is not None:
        out.append(
            "# an address on a bridge port stops answering: take it off the port\n"
            f"if {_has_addr(port, addr)}; then\n"
            f"  ip addr del {q(addr)} dev {q(port)}\n"
            f'  did "{addr} moved from {port} to {dev}"\nfi'
        )
    return "\n".join(out)


def storage_network_script(
    placed: Placed,
    lay: StorageLayout,
    version: str,
    targets: tuple[str, ...],
    needed_by: tuple[str, ...],
) -> HostScript:
    """The storage-network script of one KVM host (*version*: the spec's CloudStack)."""
    host = placed.host
    where = f"bridge {lay.bridge}, port {lay.port}" if lay.bridge else lay.port
    b = ScriptBuilder(
        f"script:storage-network:{host.name}",
        host.name,
        host.address,
        "storage-network",
        host.os,
        f"Storage network of {host.name}: {lay.address} on {where} (subnet {lay.subnet}).\n"
        + agent_note(version, lay),
    )
    b.needs_family = True
    b.need("did", "write_file")
    if lay.bridge is not None and host.os in (None, "debian"):
        b.packages = True
    parts = f"{lay.bridge} on {lay.port}" if lay.bridge else lay.port
    b.section(f"persistent configuration of {parts}", _persist(lay, host.os))
    b.section(f"{lay.address} on {lay.device} now", _live(lay))
    if targets:
        checks = "\n".join(
            f"if ping -c 1 -W 2 {q(t)} >/dev/null 2>&1; then log {q(t + ': reachable')}; "
            f"else log {q(t + ': NOT reachable')}; failed=1; fi"
            for t in targets
        )
        b.section(
            "reachability of the storage addresses",
            "failed=0\n" + checks + '\n[ "$failed" -eq 0 ] || die "storage addresses unreachable'
            f' from {lay.device}"',
        )
    return HostScript(
        id=b.script_id,
        host=host.name,
        address=host.address,
        role="storage-network",
        script=b.render(),
        needed_by=needed_by,
        description=(
            f"Address {host.name}'s storage network: {lay.address} on {where}, and check "
            "reachability"
        ),
        os=host.os,
    )
