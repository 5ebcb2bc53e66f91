"""The OCFS2 member script against o2cb's rules: node names, services, the checks.

o2cb finds its own node in cluster.conf by the host name (ocfs2-tools
``o2cb_ctl/op_register.c`` ``node_is_local``: the node name equals the host name, or
its first labels up to a dot, without case), and ocfs2-tools' ``ocfs2.service``
mounts the fstab's OCFS2 lines after ``o2cb.service`` at boot.
"""

from __future__ import annotations

from hosts.hosthelp import CASES, EXAMPLES, Sandbox, load_spec
from specc.core.steps import HostScript
from specc.hosts.collect import host_scripts, preflight_checks
from specc.spec.models import Spec

OCFS2 = next(p for p in EXAMPLES if p.stem == "ocfs2-san-kvm")
OCFS2_DEBIAN = next(p for p in CASES if p.stem == "ocfs2-debian")


def _script(spec: Spec, sid: str) -> HostScript:
    return next(s for s in host_scripts(spec) if s.id == sid)


def _with_hostname(name: str, hostname: str) -> Spec:
    data = load_spec(OCFS2).model_dump(mode="json")
    for host in data["zones"][0]["pods"][0]["clusters"][0]["hosts"]:
        if host["name"] == name:
            host["hostname"] = hostname
    return Spec.model_validate(data)


def test_ocfs2_refuses_a_hostname_that_differs_from_the_node_name(sandbox: Sandbox) -> None:
    s = _script(load_spec(OCFS2), "script:ocfs2-node:san-lun1:kvm-o1")
    run = sandbox.run(s.host, s.script, SHIM_HOSTNAME="node17.example.org")
    assert run.rc == 1
    assert (
        "this host is called node17.example.org (uname -n; hostname -s: node17), but "
        "cluster.conf names it kvm-o1" in run.err
    )
    assert "hostnamectl set-hostname kvm-o1" in run.err
    assert run.mutations == []  # it stops before it writes cluster.conf or installs anything
    assert not (sandbox.root(s.host) / "etc/ocfs2/cluster.conf").exists()


def test_ocfs2_takes_the_host_name_with_its_domain_and_any_case(sandbox: Sandbox) -> None:
    s = _script(load_spec(OCFS2), "script:ocfs2-node:san-lun1:kvm-o1")
    run = sandbox.run(s.host, s.script, SHIM_HOSTNAME="KVM-O1.san.example")
    assert run.rc == 0, run.err
    assert "this host (KVM-O1.san.example) is node kvm-o1" in run.out
    # a longer first label is another host, as o2cb sees it
    other = sandbox.run(s.host, s.script, SHIM_HOSTNAME="kvm-o10")
    assert other.rc == 1 and "cluster.conf names it kvm-o1" in other.err


def test_ocfs2_node_name_is_the_hosts_own_name_from_the_spec(sandbox: Sandbox) -> None:
    spec = _with_hostname("kvm-o2", "san-node-2")
    s = _script(spec, "script:ocfs2-node:san-lun1:kvm-o1")
    conf = s.script.split("/etc/ocfs2/cluster.conf 0644 <<'EOF'\n")[1].split("EOF")[0]
    assert "\tname = kvm-o1\n" in conf and "\tname = san-node-2\n" in conf
    assert "\tname = kvm-o2\n" not in conf
    assert sandbox.run(s.host, s.script).rc == 0
    o2 = _script(spec, "script:ocfs2-node:san-lun1:kvm-o2")
    assert "member kvm-o2 (node san-node-2)" in o2.script
    refused = sandbox.run(o2.host, o2.script)  # the sandbox calls this host kvm-o2
    assert refused.rc == 1 and "cluster.conf names it san-node-2" in refused.err
    run = sandbox.run(o2.host, o2.script, SHIM_HOSTNAME="san-node-2")
    assert run.rc == 0, run.err


def test_ocfs2_enables_the_mount_service_as_well_as_o2cb(sandbox: Sandbox) -> None:
    s = _script(load_spec(OCFS2), "script:ocfs2-node:san-lun1:kvm-o1")
    run = sandbox.run(s.host, s.script)
    assert run.rc == 0, run.err
    assert "M systemctl enable o2cb" in run.calls
    assert "M systemctl enable ocfs2" in run.calls
    enabled = sandbox.state(s.host) / "enabled"
    assert (enabled / "o2cb").exists() and (enabled / "ocfs2").exists()
    again = sandbox.run(s.host, s.script)
    assert again.mutations == [] and "R systemctl is-enabled ocfs2" in again.calls


def test_ocfs2_preflight_compares_uname_with_the_node_name() -> None:
    checks = {c.id: c for c in preflight_checks(load_spec(OCFS2_DEBIAN))}
    deb1 = checks["preflight:ocfs2-hostname:lun7:deb1"]
    assert deb1.command == "uname -n" and deb1.host == "deb1"
    assert "`deb1.san.example` or `deb1.san.example.<domain>`" in deb1.description
    assert "`ubu2`" in checks["preflight:ocfs2-hostname:lun7:ubu2"].description


def test_ocfs2_cluster_conf_of_the_debian_case_names_the_fqdn_node() -> None:
    s = _script(load_spec(OCFS2_DEBIAN), "script:ocfs2-node:lun7:ubu2")
    assert "\tname = deb1.san.example\n" in s.script and "\tname = ubu2\n" in s.script
