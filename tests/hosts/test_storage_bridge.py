"""The storage-network script builds the zone's storage bridge and addresses it.

The KVM agent plugs system VMs' storage NICs into the bridge the Storage traffic
label names (apache/cloudstack ``BridgeVifDriver.plug``), and from 4.20.2 builds
``br<pif>-<vlan>`` on ``<pif>.<vlan>`` for a tagged storage range (``modifyvlan.sh``
enslaves the VLAN interface): the host's address goes on the bridge, never on its
port, and the script says which agent behaviour the spec's version has.
"""

from __future__ import annotations

from ruamel.yaml import YAML

from hosts.hosthelp import CASES, EXAMPLES, Sandbox, load_spec
from specc.core.steps import HostScript
from specc.hosts.collect import host_scripts
from specc.hosts.rollback import rollback_notes
from specc.hosts.warnings import domain_warnings
from specc.spec.models import Spec

CEPH = next(p for p in EXAMPLES if p.stem == "ceph-rbd-kvm")
SF_KVM = next(p for p in EXAMPLES if p.stem == "solidfire-kvm")
BRIDGE = next(p for p in CASES if p.stem == "storage-bridge")


def _script(spec: Spec, sid: str) -> HostScript:
    return next(s for s in host_scripts(spec) if s.id == sid)


def test_storage_address_goes_on_the_bridge_not_the_vlan_interface(sandbox: Sandbox) -> None:
    s = _script(load_spec(CEPH), "script:storage-network:kvm-c1")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 0, run.err
    for call in (
        "M ip link add name cloudbr2 type bridge",
        "M ip link add link eth1 name eth1.210 type vlan id 210",
        "M ip link set eth1.210 master cloudbr2",
        "M ip link set cloudbr2 up",
        "M ip addr add 10.21.0.11/24 dev cloudbr2",
        "M nmcli connection reload",  # el8: NetworkManager reads the ifcfg files
    ):
        assert call in run.calls, call
    assert not any(c.startswith("M ip addr add") and "dev eth1.210" in c for c in run.calls)
    ifcfg = sandbox.root(s.host) / "etc/sysconfig/network-scripts"
    bridge = (ifcfg / "ifcfg-cloudbr2").read_text().splitlines()
    assert {"TYPE=Bridge", "IPADDR=10.21.0.11", "PREFIX=24", "DEFROUTE=no"} <= set(bridge)
    port = (ifcfg / "ifcfg-eth1.210").read_text().splitlines()
    assert {"VLAN=yes", "BRIDGE=cloudbr2"} <= set(port)
    assert not any(line.startswith("IPADDR") for line in port)


def test_an_address_left_on_the_vlan_interface_moves_to_the_bridge(sandbox: Sandbox) -> None:
    """What an earlier specc (address on eth1.210) left behind is moved, once."""
    s = _script(load_spec(CEPH), "script:storage-network:kvm-c1")
    state = sandbox.state(s.host)
    (state / "links").mkdir(parents=True)
    (state / "links/eth1.210").write_text("")
    (state / "addrs/eth1.210").mkdir(parents=True)
    (state / "addrs/eth1.210/10.21.0.11_24").write_text("10.21.0.11/24")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 0, run.err
    assert "M ip addr del 10.21.0.11/24 dev eth1.210" in run.calls
    assert "M ip addr add 10.21.0.11/24 dev cloudbr2" in run.calls
    assert "changed: 10.21.0.11/24 moved from eth1.210 to cloudbr2" in run.out
    again = sandbox.run(s.host, s.script)
    assert again.mutations == [] and "done: 0 change(s)" in again.out


def test_the_vlan_parent_nic_is_brought_up_once(sandbox: Sandbox) -> None:
    """A VLAN interface carries no frames while its parent NIC is down."""
    s = _script(load_spec(CEPH), "script:storage-network:kvm-c1")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 0, run.err
    ups = [c for c in run.calls if c.startswith("M ip link set") and c.endswith(" up")]
    assert ups == [
        "M ip link set eth1 up",
        "M ip link set eth1.210 up",
        "M ip link set cloudbr2 up",
    ]
    assert "R ip -o link show eth1" in run.calls
    again = sandbox.run(s.host, s.script)
    assert not [c for c in again.mutations if c.endswith(" up")]


def test_an_untagged_port_is_not_brought_up_twice(sandbox: Sandbox) -> None:
    s = _script(load_spec(BRIDGE), "script:storage-network:el9-b")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 0, run.err
    ups = [c for c in run.calls if c.startswith("M ip link set") and c.endswith(" up")]
    assert ups == ["M ip link set ens2 up", "M ip link set cloudbr2 up"]


def test_a_port_of_another_bridge_is_refused(sandbox: Sandbox) -> None:
    s = _script(load_spec(CEPH), "script:storage-network:kvm-c1")
    state = sandbox.state(s.host)
    (state / "links").mkdir(parents=True)
    (state / "links/eth1.210").write_text("")
    (state / "masters").mkdir()
    (state / "masters/eth1.210").write_text("cloudbr9")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 1
    assert "eth1.210 is a port of bridge cloudbr9: it cannot carry cloudbr2 too" in run.err
    assert not any("master" in c or c.startswith("M ip addr") for c in run.mutations)


def test_a_port_with_other_addresses_is_refused(sandbox: Sandbox) -> None:
    s = _script(load_spec(BRIDGE), "script:storage-network:el9-b")
    addrs = sandbox.state(s.host) / "addrs/ens2"
    addrs.mkdir(parents=True)
    (addrs / "192.168.9.4_24").write_text("192.168.9.4/24")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 1
    assert "ens2 carries other addresses (192.168.9.4/24)" in run.err
    assert "M ip link set ens2 master cloudbr2" not in run.calls


def test_untagged_nic_is_the_bridge_port(sandbox: Sandbox) -> None:
    s = _script(load_spec(BRIDGE), "script:storage-network:el9-b")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 0, run.err
    assert "M ip link set ens2 master cloudbr2" in run.calls
    assert not any("type vlan" in c for c in run.calls)
    port = (sandbox.root(s.host) / "etc/sysconfig/network-scripts/ifcfg-ens2").read_text()
    assert "BRIDGE=cloudbr2" in port and "VLAN" not in port and "IPADDR" not in port


def test_bridge_files_of_every_os_family(sandbox: Sandbox) -> None:
    spec = load_spec(BRIDGE)
    for host in ("el7-b", "deb-b", "ubu-b"):
        s = _script(spec, f"script:storage-network:{host}")
        run = sandbox.run(s.host, s.script)
        assert run.rc == 0, f"{host}: {run.err}"
        assert "M ip addr add 10.65.0.1" in " ".join(run.calls)
        assert any(c.startswith("M ip addr add") and c.endswith("dev cloudbr2") for c in run.calls)
    el7 = sandbox.root("el7-b") / "etc/sysconfig/network-scripts"
    assert "BRIDGE=cloudbr2" in (el7 / "ifcfg-eth1.40").read_text()
    assert "TYPE=Bridge" in (el7 / "ifcfg-cloudbr2").read_text()
    deb = (sandbox.root("deb-b") / "etc/network/interfaces.d/specc-storage-eth1.40").read_text()
    assert "iface eth1.40 inet manual\n    vlan-raw-device eth1\n" in deb
    assert "iface cloudbr2 inet static\n    address 10.65.0.13\n" in deb
    assert "    bridge_ports eth1.40\n" in deb
    netplan = YAML(typ="safe").load(
        (sandbox.root("ubu-b") / "etc/netplan/60-specc-storage.yaml").read_text()
    )["network"]
    assert netplan["vlans"]["eth1.40"] == {"id": 40, "link": "eth1"}
    assert netplan["bridges"]["cloudbr2"] == {
        "interfaces": ["eth1.40"],
        "addresses": ["10.65.0.14/24"],
        "parameters": {"stp": False, "forward-delay": 0},
    }


def test_debian_installs_bridge_utils_for_bridge_ports(sandbox: Sandbox) -> None:
    s = _script(load_spec(BRIDGE), "script:storage-network:deb-b")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 0, run.err
    assert "M apt-get install -y bridge-utils" in run.calls


def test_the_script_says_what_the_agent_of_the_spec_version_does() -> None:
    old = _script(load_spec(CEPH), "script:storage-network:kvm-c1").script
    assert "CloudStack\n# 4.18.1: up to 4.20.1 the KVM agent plugs" in old
    assert "apache/cloudstack#7816" in old and "createStorageVnetBridgeIfNeeded" not in old
    new = _script(load_spec(BRIDGE), "script:storage-network:ubu-b").script
    assert "CloudStack 4.22.1: from 4.20.2 it tags the NIC itself" in new.replace("\n# ", " ")
    assert "(rule SPC389)" in new.replace("\n# ", " ") and "#7816" not in new


def test_without_storage_traffic_the_address_stays_on_the_interface(sandbox: Sandbox) -> None:
    s = _script(load_spec(SF_KVM), "script:storage-network:kvm-sf1")
    assert "The zone carries no Storage traffic" in s.script
    run = sandbox.run(s.host, s.script)
    assert run.rc == 0, run.err
    assert "M ip addr add 10.51.0.11/24 dev eth1.510" in run.calls
    assert not any("bridge" in c or "master" in c for c in run.calls)


def test_rollback_notes_name_the_bridge_and_its_files() -> None:
    notes = rollback_notes(load_spec(CEPH))
    assert notes["script:storage-network:kvm-c1"] == (
        "`ip addr del 10.21.0.11/24 dev cloudbr2`, `ip link set eth1.210 nomaster`, "
        "`ip link del cloudbr2`, `ip link del eth1.210`, remove "
        "/etc/sysconfig/network-scripts/ifcfg-cloudbr2 and "
        "/etc/sysconfig/network-scripts/ifcfg-eth1.210"
    )


def test_runbook_warning_follows_the_api_version() -> None:
    spec = load_spec(CEPH)
    (old,) = [w for w in domain_warnings(spec) if w.startswith("Storage traffic of zone")]
    assert "(CloudStack 4.18.1)" in old and "untagged and ignores" in old
    assert "bridge cloudbr2 on kvm-c1 (eth1.210), kvm-c2 (eth1.210)" in old
    (new,) = [w for w in domain_warnings(spec, "4.22.1") if w.startswith("Storage traffic")]
    assert "tags a system VM's storage NIC itself on br<nic>-<vlan>" in new
    assert not [w for w in domain_warnings(load_spec(SF_KVM)) if "Storage traffic" in w]
