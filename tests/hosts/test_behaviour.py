"""What the host scripts do in particular cases, run for real in the sandbox."""

from __future__ import annotations

import json
from pathlib import Path

from ruamel.yaml import YAML

from hosts.hosthelp import CASES, CEPH_KEY, EXAMPLES, SF_PASSWORD, Sandbox, load_spec
from specc.core.steps import HostScript
from specc.hosts.collect import host_scripts
from specc.spec.models import Spec

OCFS2 = next(p for p in EXAMPLES if p.stem == "ocfs2-san-kvm")
CEPH = next(p for p in EXAMPLES if p.stem == "ceph-rbd-kvm")
CEPH_EC = next(p for p in CASES if p.stem == "ceph-erasure-el7")
SF_MANUAL = next(p for p in CASES if p.stem == "solidfire-manual")
SF_SHARED = next(p for p in EXAMPLES if p.stem == "solidfire-shared")


def script(path: Path | Spec, sid: str) -> HostScript:
    spec = path if isinstance(path, Spec) else load_spec(path)
    return next(s for s in host_scripts(spec) if s.id == sid)


def test_ceph_conf_is_merged_not_replaced(sandbox: Sandbox) -> None:
    s = script(CEPH, "script:kvm-ceph-client:kvm-c1")
    conf = sandbox.root(s.host) / "etc/ceph/ceph.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text(
        "[global]\nfsid = 1234-abcd\nmon_host = 10.9.9.9\n\n[client]\nrbd_cache = false\n"
        "log file = /var/log/ceph/client.log\n"
    )
    assert sandbox.run(s.host, s.script).rc == 0
    text = conf.read_text()
    assert "fsid = 1234-abcd" in text
    assert "log file = /var/log/ceph/client.log" in text
    assert "mon host = 10.21.0.31,10.21.0.32,10.21.0.33" in text
    assert "10.9.9.9" not in text and "rbd_cache = false" not in text
    assert text.count("rbd cache = true") == 1
    assert "rbd cache writethrough until flush = true" in text
    assert text.count("[client]") == 1


def test_librbd_older_than_the_cluster_minimum_is_refused(sandbox: Sandbox) -> None:
    s = script(CEPH, "script:kvm-ceph-client:kvm-c1")
    run = sandbox.run(s.host, s.script, SHIM_PKG_VERSION="10.2.11")
    assert run.rc == 1
    assert "librbd1 10.2.11 is older than 12.2.0 (luminous" in run.err


def test_ceph_admin_erasure_pool_key_file_and_admin_keyring(sandbox: Sandbox) -> None:
    admin = script(CEPH_EC, "script:ceph-admin:ceph-ec")
    run = sandbox.run(admin.host, admin.script)
    assert run.rc == 0, run.err
    assert "M ceph osd erasure-code-profile set specc-k4-m2 k=4 m=2" in run.calls
    assert "M ceph osd pool create vmstore-ec 64 64 erasure specc-k4-m2" in run.calls
    assert "M ceph osd pool set vmstore-ec allow_ec_overwrites true" in run.calls
    assert "M rbd pool init vmstore-ec" in run.calls
    assert (
        "M ceph auth get-or-create client.cs-ec mon profile rbd osd profile rbd pool=vmstore-ec"
        in run.calls
    )
    key = sandbox.root(admin.host) / "etc/specc/ceph-cs-ec.key"
    assert key.read_text() == CEPH_KEY
    assert key.stat().st_mode & 0o777 == 0o600
    assert CEPH_KEY not in run.out + run.err
    client = script(CEPH_EC, "script:kvm-ceph-client:kvm-a2")
    run = sandbox.run(client.host, client.script)
    assert run.rc == 0, run.err
    assert any(c.startswith("M scp -q -o BatchMode=yes 10.80.0.11:") for c in run.calls)
    assert "M dnf install -y ceph-common librbd1 libvirt-daemon-driver-storage-rbd" in run.calls
    keyring = sandbox.root(client.host) / "etc/ceph/ceph.client.admin.keyring"
    assert keyring.stat().st_mode & 0o777 == 0o600
    el7 = script(CEPH_EC, "script:kvm-ceph-client:kvm-a1")
    run = sandbox.run(el7.host, el7.script)
    assert "M yum install -y ceph-common librbd1" in run.calls


def test_replicated_pool_size_is_corrected(sandbox: Sandbox) -> None:
    s = script(CEPH, "script:ceph-admin:ceph1")
    run = sandbox.run(s.host, s.script, SHIM_CEPH_DEFAULT_SIZE="2")
    assert run.rc == 0, run.err
    assert "M ceph osd pool create cloudstack 256 256 replicated" in run.calls
    assert "M ceph osd pool set cloudstack size 3" in run.calls


def test_mkfs_runs_once_with_members_plus_one(sandbox: Sandbox) -> None:
    s = script(OCFS2, "script:ocfs2-node:san-lun1:kvm-o1")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 0, run.err
    mkfs = [c for c in run.calls if c.startswith("M mkfs.ocfs2")]
    assert mkfs == [
        "M mkfs.ocfs2 -L cs_primary1 -T vmstore --fs-feature-level=max-compat "
        "/dev/mapper/mpatha -N 4"
    ]
    others = [x for x in host_scripts(load_spec(OCFS2)) if x.role == "ocfs2-node" and x.id != s.id]
    assert others and all("mkfs.ocfs2" not in x.script for x in others)
    assert all(x.depends_on[0] == s.id for x in others)
    root = sandbox.root(s.host)
    assert (
        "/dev/mapper/mpatha /san/primary ocfs2 _netdev,defaults 0 0"
        in (root / "etc/fstab").read_text().splitlines()
    )
    o2cb = (root / "etc/sysconfig/o2cb").read_text()
    for setting in (
        "O2CB_HEARTBEAT_THRESHOLD=31",
        "O2CB_IDLE_TIMEOUT_MS=30000",
        "O2CB_KEEPALIVE_DELAY_MS=2000",
        "O2CB_RECONNECT_DELAY_MS=2000",
    ):
        assert setting in o2cb
    conf = (root / "etc/ocfs2/cluster.conf").read_text()
    assert conf.count("node:") == 3 and "\tnumber = 2\n" in conf and "\tnode_count = 3\n" in conf
    assert {
        "M iptables -I INPUT -p tcp --dport 7777 -j ACCEPT",
        "M iptables -I INPUT -p udp --dport 7777 -j ACCEPT",
    } <= set(run.calls)


def test_mkfs_refuses_a_device_with_a_file_system(sandbox: Sandbox) -> None:
    s = script(OCFS2, "script:ocfs2-node:san-lun1:kvm-o1")
    blk = sandbox.shared / "blk"
    blk.mkdir(parents=True)
    (blk / "_dev_mapper_mpatha.TYPE").write_text("ext4")
    (blk / "_dev_mapper_mpatha.LABEL").write_text("data")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 1
    assert "REFUSING to format /dev/mapper/mpatha: it already carries a ext4" in run.err
    assert not any("mkfs" in c for c in run.calls)
    assert not any(c.startswith("M mount") for c in run.calls)


def test_a_member_waits_for_the_format(sandbox: Sandbox) -> None:
    s = script(OCFS2, "script:ocfs2-node:san-lun1:kvm-o2")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 1
    assert "run the ocfs2-node script on kvm-o1 first" in run.err


def test_firewalld_is_used_when_running(sandbox: Sandbox) -> None:
    s = script(OCFS2, "script:ocfs2-node:san-lun1:kvm-o1")
    active = sandbox.state(s.host) / "active"
    active.mkdir(parents=True)
    (active / "firewalld").write_text("")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 0, run.err
    assert "M firewall-cmd --permanent --add-port=7777/udp" in run.calls
    assert "M firewall-cmd --add-port=7777/tcp" in run.calls
    assert not any(c.startswith("M iptables") for c in run.calls)


def test_unreachable_storage_address_fails(sandbox: Sandbox) -> None:
    s = script(CEPH, "script:storage-network:kvm-c1")
    run = sandbox.run(s.host, s.script, SHIM_UNREACHABLE="10.21.0.32")
    assert run.rc == 1
    assert "10.21.0.32: NOT reachable" in run.out
    # the address is on the zone's storage bridge, whose port is the VLAN interface
    assert "M ip addr add 10.21.0.11/24 dev cloudbr2" in run.calls
    assert "M nmcli connection reload" in run.calls  # el8: NetworkManager reads the ifcfg
    ifcfg = sandbox.root(s.host) / "etc/sysconfig/network-scripts/ifcfg-eth1.210"
    assert "VLAN=yes" in ifcfg.read_text() and "BRIDGE=cloudbr2" in ifcfg.read_text()


def test_netplan_and_interfaces_d(sandbox: Sandbox) -> None:
    spec = load_spec(next(p for p in CASES if p.stem == "ocfs2-debian"))
    for sid, rel, want in (
        ("script:storage-network:ubu2", "etc/netplan/60-specc-storage.yaml", "id: 300"),
        (
            "script:storage-network:deb1",
            "etc/network/interfaces.d/specc-storage-eth1.300",
            "vlan-raw-device eth1",
        ),
    ):
        s = script(spec, sid)
        assert sandbox.run(s.host, s.script).rc == 0
        assert want in (sandbox.root(s.host) / rel).read_text()
    netplan = YAML(typ="safe").load(
        (sandbox.root("ubu2") / "etc/netplan/60-specc-storage.yaml").read_text()
    )
    assert netplan["network"]["vlans"]["eth1.300"] == {
        "id": 300,
        "link": "eth1",
        "addresses": ["10.91.0.12/24"],
    }
    assert "eth1" in netplan["network"]["ethernets"]


def test_unknown_os_family_is_detected(sandbox: Sandbox) -> None:
    # The rules require `os` on KVM hosts; a script still copes without it.
    data = load_spec(CEPH).model_dump(mode="json")
    for host in data["zones"][0]["pods"][0]["clusters"][0]["hosts"]:
        host["os"] = None
    spec = Spec.model_validate(data)
    s = script(spec, "script:kvm-ceph-client:kvm-c1")
    assert 'case "$OS_FAMILY" in' in s.script
    etc = sandbox.root(s.host) / "etc"
    etc.mkdir()
    (etc / "os-release").write_text('ID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\n')
    run = sandbox.run(s.host, s.script)
    assert run.rc == 0, run.err
    assert any(c.startswith("M apt-get install -y ceph-common") for c in run.calls)


def test_solidfire_by_hand_builds_account_volume_and_group(sandbox: Sandbox) -> None:
    s = script(SF_MANUAL, "script:solidfire-setup:sf-by-hand")
    iqns = "iqn.a:h1 iqn.a:h2"
    bad = sandbox.run(s.host, s.script, TEST_SF_PASSWORD="wrong", SF_INITIATOR_IQNS=iqns)
    assert bad.rc == 1 and "bad credentials" in bad.err
    run = sandbox.run(s.host, s.script, TEST_SF_PASSWORD=SF_PASSWORD, SF_INITIATOR_IQNS=iqns)
    assert run.rc == 0, run.err
    assert SF_PASSWORD not in run.out + run.err and SF_PASSWORD not in s.script
    st = json.loads((sandbox.shared / "solidfire.json").read_text())
    assert [a["username"] for a in st["accounts"]] == ["cloudstack-sf-by-hand"]
    (vol,) = st["volumes"]
    assert vol["qos"] == {"minIOPS": 4000, "maxIOPS": 8000, "burstIOPS": 12000}
    assert vol["totalSize"] == 2199023255552
    (group,) = st["groups"]
    assert group["initiators"] == ["iqn.a:h1", "iqn.a:h2"] and group["volumes"] == [vol["volumeID"]]
    more = sandbox.run(
        s.host, s.script, TEST_SF_PASSWORD=SF_PASSWORD, SF_INITIATOR_IQNS=iqns + " iqn.a:h3"
    )
    assert [c for c in more.calls if c.startswith("M ")] == [
        "M curl CreateInitiators",
        "M curl AddInitiatorsToVolumeAccessGroup",
    ]


def test_esxi_prerequisites_checked_over_ssh(sandbox: Sandbox) -> None:
    s = script(SF_SHARED, "script:esxi-solidfire-prereq:esxi1")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 0, run.err
    assert any(
        c.startswith("R ssh ") and c.endswith("esxcli iscsi software get") for c in run.calls
    )
    assert "R esxcli iscsi networkportal list" in run.calls
    down = sandbox.run(s.host, s.script, SHIM_SSH_FAIL="1")
    assert down.rc == 1
    assert "enable SSH on the host" in down.out and "software iSCSI adapter" in down.out


def test_ceph_admin_fixes_wrong_caps_and_a_stale_key_file(sandbox: Sandbox) -> None:
    s = script(CEPH, "script:ceph-admin:ceph1")
    assert sandbox.run(s.host, s.script).rc == 0
    caps = sandbox.shared / "ceph/caps/client.cloudstack"
    caps.write_text('\tcaps mon = "allow r"\n\tcaps osd = "allow rwx"')
    keyfile = sandbox.root(s.host) / "etc/ceph/ceph.client.cloudstack.key"
    keyfile.write_text("an-old-key")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 0, run.err
    assert (
        "M ceph auth caps client.cloudstack mon profile rbd osd profile rbd pool=cloudstack"
        in run.calls
    )
    assert keyfile.read_text() == CEPH_KEY
    assert CEPH_KEY not in run.out + run.err
    again = sandbox.run(s.host, s.script)
    assert again.mutations == [] and "done: 0 change(s)" in again.out


def test_xenserver_prerequisites_fail_when_the_svip_does_not_answer(sandbox: Sandbox) -> None:
    path = next(p for p in EXAMPLES if p.stem == "solidfire-xenserver")
    s = next(x for x in host_scripts(load_spec(path)) if x.role == "xenserver-solidfire-prereq")
    svip = next(str(b.svip) for b in load_spec(path).backends if hasattr(b, "svip"))
    assert sandbox.run(s.host, s.script).rc == 0
    run = sandbox.run(s.host, s.script, SHIM_UNREACHABLE=svip)
    assert run.rc == 1
    assert f"SVIP {svip} does not answer from dom0" in run.out
    assert "to do by hand: create a network on storage VLAN" in run.err
