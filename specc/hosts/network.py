"""Storage network scripts: the storage NIC or VLAN of a KVM host, and reachability.

The address goes on the host's ``storage_interface`` (a VLAN sub-interface
``<nic>.<vlan>`` when the storage subnet is tagged), persistently (ifcfg on el,
netplan on Ubuntu, /etc/network/interfaces.d on Debian) and at once with ``ip``;
then every storage address the host needs is pinged.
"""

from __future__ import annotations

from ipaddress import IPv4Network

from specc.core.steps import HostScript
from specc.spec.models import Subnet

from .shell import ScriptBuilder, by_family, q
from .topology import Placed


def interface_name(nic: str, subnet: Subnet) -> tuple[str, str, int | None]:
    """(interface, parent NIC, VLAN) for a NIC and storage subnet.

    >>> from ipaddress import IPv4Network
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


def storage_network_script(
    placed: Placed, subnet: Subnet, targets: tuple[str, ...], needed_by: tuple[str, ...]
) -> HostScript:
    """The storage-network script of one KVM host."""
    host = placed.host
    assert host.storage_address is not None and host.storage_interface is not None
    iface, parent, vlan = interface_name(host.storage_interface, subnet)
    prefix = IPv4Network(subnet.cidr).prefixlen
    addr = f"{host.storage_address}/{prefix}"
    b = ScriptBuilder(
        f"script:storage-network:{host.name}",
        host.name,
        host.address,
        "storage-network",
        host.os,
        f"Storage network of {host.name}: {addr} on {iface} (subnet {subnet.name}).",
    )
    b.needs_family = True
    b.need("did", "write_file")
    netmask = IPv4Network(subnet.cidr).netmask
    ifcfg = [
        f"DEVICE={iface}",
        "BOOTPROTO=none",
        "ONBOOT=yes",
        f"IPADDR={host.storage_address}",
        f"PREFIX={prefix}",
    ]
    if vlan is not None:
        ifcfg.append("VLAN=yes")
    ifcfg.append("DEFROUTE=no")
    if vlan is not None:
        # the parent must be known to netplan; an empty entry merges with any other file's
        netplan = (
            f"network:\n  version: 2\n  ethernets:\n    {parent}: {{}}\n  vlans:\n"
            f"    {iface}:\n      id: {vlan}\n      link: {parent}\n"
            f"      addresses: [{addr}]\n"
        )
    else:
        netplan = f"network:\n  version: 2\n  ethernets:\n    {iface}:\n      addresses: [{addr}]\n"
    deb = [
        f"auto {iface}",
        f"iface {iface} inet static",
        f"    address {host.storage_address}",
        f"    netmask {netmask}",
    ]
    if vlan is not None:
        deb.append(f"    vlan-raw-device {parent}")
    persist = by_family(
        host.os,
        {
            ("el7",): (
                f"write_file /etc/sysconfig/network-scripts/ifcfg-{iface} 0644 <<'EOF'\n"
                + "\n".join(ifcfg)
                + "\nEOF"
            ),
            ("el8", "el9"): (
                "before=$CHANGED\n"
                f"write_file /etc/sysconfig/network-scripts/ifcfg-{iface} 0644 <<'EOF'\n"
                + "\n".join(ifcfg)
                + "\nEOF\n"
                "# NetworkManager reads ifcfg files on reload\n"
                'if [ "$CHANGED" -ne "$before" ] && command -v nmcli >/dev/null; then\n'
                "  nmcli connection reload\nfi"
            ),
            ("ubuntu",): (
                "write_file /etc/netplan/60-specc-storage.yaml 0600 <<'EOF'\n" + netplan + "EOF"
            ),
            ("debian",): (
                f"write_file /etc/network/interfaces.d/specc-storage-{iface} 0644 <<'EOF'\n"
                + "\n".join(deb)
                + "\nEOF"
            ),
        },
    )
    b.section(f"persistent configuration of {iface}", persist)
    live = []
    if vlan is not None:
        live.append(
            f"if ! ip link show {q(iface)} >/dev/null 2>&1; then\n"
            f"  ip link add link {q(parent)} name {q(iface)} type vlan id {vlan}\n"
            f'  did "created VLAN interface {iface}"\nfi'
        )
    live.append(
        f"if ! ip -o link show {q(iface)} | grep -E 'state UP|,UP' >/dev/null; then\n"
        f"  ip link set {q(iface)} up\n"
        f'  did "{iface} up"\nfi\n'
        f"if ! ip -o -4 addr show dev {q(iface)} | grep -F ' {addr} ' >/dev/null; then\n"
        f"  ip addr add {q(addr)} dev {q(iface)}\n"
        f'  did "{addr} on {iface}"\nfi'
    )
    b.section(f"{addr} on {iface} now", "\n".join(live))
    if targets:
        checks = "\n".join(
            f"if ping -c 1 -W 2 {q(t)} >/dev/null 2>&1; then log {q(t + ': reachable')}; "
            f"else log {q(t + ': NOT reachable')}; failed=1; fi"
            for t in targets
        )
        b.section(
            "reachability of the storage addresses",
            "failed=0\n" + checks + '\n[ "$failed" -eq 0 ] || die "storage addresses unreachable'
            f' from {iface}"',
        )
    return HostScript(
        id=b.script_id,
        host=host.name,
        address=host.address,
        role="storage-network",
        script=b.render(),
        needed_by=needed_by,
        description=(
            f"Address {host.name}'s storage interface {iface} ({addr}) and check reachability"
        ),
        os=host.os,
    )
