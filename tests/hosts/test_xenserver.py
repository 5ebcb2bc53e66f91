"""XenServer hosts as XAPI knows them: by address, and their networks by name-label.

apache/cloudstack ``XcpServerDiscoverer.find`` identifies a host by its XAPI address
(the IP of its URL), and ``CitrixResourceBase.getNetworkByName`` finds a traffic
type's network by name-label, needing a PIF of the host on it
(``XsLocalNetwork.getPif``). The spec's host name need not be the name-label.
"""

from __future__ import annotations

from hosts.hosthelp import EXAMPLES, Sandbox, load_spec
from specc.core.steps import HostScript
from specc.hosts.collect import host_scripts, preflight_checks, verification_checks
from specc.spec.models import Spec

SF_XEN = next(p for p in EXAMPLES if p.stem == "solidfire-xenserver")
SF_SHARED = next(p for p in EXAMPLES if p.stem == "solidfire-shared")


def _prereq(spec: Spec, host: str) -> HostScript:
    return next(
        s for s in host_scripts(spec) if s.id == f"script:xenserver-solidfire-prereq:{host}"
    )


def _renamed(address: str | None = None) -> Spec:
    """solidfire-xenserver with xen1-h1 renamed (and maybe addressed by a DNS name)."""
    data = load_spec(SF_XEN).model_dump(mode="json")
    host = data["zones"][0]["pods"][0]["clusters"][0]["hosts"][0]
    host["name"] = "xs-rack4-u12"
    if address is not None:
        host["address"] = address
    return Spec.model_validate(data)


def test_xenserver_host_is_found_by_its_address_not_its_name(sandbox: Sandbox) -> None:
    s = _prereq(_renamed(), "xs-rack4-u12")
    assert "host-name-label" not in s.script
    run = sandbox.run(s.host, s.script)
    assert run.rc == 0, run.err
    assert "R xe host-list address=10.40.0.11 --minimal" in run.calls
    assert "R xe pif-list VLAN=410 host-uuid=uuid-of-10.40.0.11 params=IP --minimal" in run.calls
    assert run.mutations == []


def test_xenserver_prereq_stops_when_no_host_of_the_pool_has_the_address(
    sandbox: Sandbox,
) -> None:
    s = _prereq(load_spec(SF_XEN), "xen1-h1")
    run = sandbox.run(s.host, s.script, SHIM_XE_ADDRESSES="10.40.0.12 10.40.0.13")
    assert run.rc == 1
    assert "no host with address 10.40.0.11 in this XenServer pool" in run.err
    assert not any(c.startswith("R xe pif-list") for c in run.calls)


def test_xenserver_host_named_by_dns_is_looked_up_by_its_ip(sandbox: Sandbox) -> None:
    s = _prereq(_renamed("xs-rack4-u12.lab.example"), "xs-rack4-u12")
    assert "getent ahostsv4 xs-rack4-u12.lab.example" in s.script
    run = sandbox.run(s.host, s.script, SHIM_RESOLVE="10.40.0.11")
    assert run.rc == 0, run.err
    assert "R getent ahostsv4 xs-rack4-u12.lab.example" in run.calls
    assert "R xe host-list address=10.40.0.11 --minimal" in run.calls


def test_xenserver_traffic_labels_are_checked_on_each_host(sandbox: Sandbox) -> None:
    spec = load_spec(SF_XEN)
    checks = {c.id: c for c in preflight_checks(spec) if c.id.startswith("preflight:xen-")}
    assert sorted(checks) == [
        "preflight:xen-network:xen1-h1:xenbr0",
        "preflight:xen-network:xen1-h1:xenbr1",
        "preflight:xen-network:xen1-h2:xenbr0",
        "preflight:xen-network:xen1-h2:xenbr1",
    ]
    c = checks["preflight:xen-network:xen1-h2:xenbr1"]
    assert c.host == "xen1-h2"
    assert c.command == (
        "xe pif-list host-uuid=$(xe host-list address=10.40.0.12 --minimal) "
        "network-name-label=xenbr1 --minimal"
    )
    assert "(Guest/Public traffic" in c.description
    named = sandbox.run("xen1-h2", c.command, SHIM_XE_NETWORKS="xenbr0|xenbr1")
    assert named.rc == 0 and named.out.strip() == "uuid-of-pif"
    default = sandbox.run(
        "xen1-h2",
        c.command,
        SHIM_XE_NETWORKS="|".join(f"Pool-wide network associated with eth{n}" for n in (0, 1)),
    )
    assert default.rc == 0 and default.out.strip() == ""  # empty: the label names no network


def test_a_label_with_spaces_is_quoted() -> None:
    data = load_spec(SF_XEN).model_dump(mode="json")
    traffic = data["zones"][0]["physical_networks"][0]["traffic"][0]
    traffic["labels"]["xenserver"] = "Pool-wide network associated with eth0"
    checks = [c for c in preflight_checks(Spec.model_validate(data)) if "eth0" in c.id]
    assert checks and all(
        c.command.endswith("network-name-label='Pool-wide network associated with eth0' --minimal")
        for c in checks
    )


def test_only_xenserver_hosts_get_label_checks() -> None:
    spec = load_spec(SF_SHARED)
    xen = {
        h.name
        for z in spec.zones
        for p in z.pods
        for c in p.clusters
        if c.hypervisor == "XenServer"
        for h in c.hosts
    }
    hosts = {c.host for c in preflight_checks(spec) if c.id.startswith("preflight:xen-network:")}
    assert xen and hosts == xen


def test_xenserver_sr_check_is_for_the_host_by_address() -> None:
    (check,) = [
        c for c in verification_checks(_renamed()) if c.id == "check:iscsi:xs-rack4-u12:sf1"
    ]
    assert check.command == (
        "xe pbd-list host-uuid=$(xe host-list address=10.40.0.11 --minimal) "
        "params=sr-uuid,currently-attached"
    )
