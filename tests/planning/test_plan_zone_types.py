"""Hosts matched by what listHosts returns, and addHost urls that are not addresses.

CloudStack lists a host under the address and the name it found
(``ResourceManagerImpl.discoverHostsFull``: the discoverer's resources name it), not
under the addHost url: a host added as ``http://sim/c0/h0`` (``SimulatorDiscoverer``)
or by a DNS name is matched back by its ``ipaddress``, else by its ``name``.
"""

from __future__ import annotations

from typing import Any

from specc.cloud.state import LiveState
from specc.core.steps import ApiCall, Plan
from specc.planning.compiler import compile_plan
from specc.spec.models import Spec

ZONE = {
    "id": "z-1",
    "name": "z1",
    "networktype": "Advanced",
    "dns1": "10.0.0.2",
    "internaldns1": "10.0.0.2",
    "allocationstate": "Enabled",
}
POD = {
    "id": "p-1",
    "name": "p1",
    "zoneid": "z-1",
    "gateway": "10.0.0.1",
    "netmask": "255.255.255.0",
    "startip": "10.0.0.100",
    "endip": "10.0.0.150",
}
CLUSTER = {
    "id": "c-1",
    "name": "c1",
    "podid": "p-1",
    "zoneid": "z-1",
    "hypervisortype": "Simulator",
    "clustertype": "CloudManaged",
}


def _spec(host: dict[str, Any]) -> Spec:
    return Spec.model_validate(
        {
            "subnets": [
                {"name": "m", "cidr": "10.0.0.0/24", "role": "management", "gateway": "10.0.0.1"}
            ],
            "zones": [
                {
                    "name": "z1",
                    "dns": ["10.0.0.2"],
                    "internal_dns": ["10.0.0.2"],
                    "pods": [
                        {
                            "name": "p1",
                            "subnet": "m",
                            "start_ip": "10.0.0.100",
                            "end_ip": "10.0.0.150",
                            "clusters": [
                                {"name": "c1", "hypervisor": "Simulator", "hosts": [host]}
                            ],
                        }
                    ],
                }
            ],
        }
    )


def _plan(spec: Spec, hosts: list[dict[str, Any]]) -> Plan:
    live = LiveState(
        "4.18.0.0",
        {"zone": (ZONE,), "pod": (POD,), "cluster": (CLUSTER,), "host": tuple(hosts)},
    )
    return compile_plan(spec, live, spec_hash="sha256:test")


def _live_host(name: str, address: str) -> dict[str, Any]:
    return {
        "id": "h-1",
        "name": name,
        "ipaddress": address,
        "clusterid": "c-1",
        "podid": "p-1",
        "zoneid": "z-1",
        "type": "Routing",
        "hypervisor": "Simulator",
    }


def test_a_url_host_is_added_with_its_url_and_matched_by_its_address() -> None:
    spec = _spec({"name": "h0", "url": "http://sim/c0/h0", "address": "10.0.0.0"})
    (add,) = [s for s in _plan(spec, []).steps if isinstance(s, ApiCall)]
    assert (add.command, add.params["url"]) == ("addHost", "http://sim/c0/h0")
    plan = _plan(spec, [_live_host("SimulatedAgent.1234", "10.0.0.0")])
    assert plan.steps == () and plan.unmanaged == ()


def test_a_host_given_by_its_dns_name_is_matched_by_the_name_cloudstack_lists() -> None:
    spec = _spec({"name": "h0", "address": "kvm1.example.com"})
    plan = _plan(spec, [_live_host("kvm1.example.com", "10.0.0.11")])
    assert plan.steps == ()
    assert plan.unmanaged == ()
    other = _plan(spec, [_live_host("kvm2.example.com", "10.0.0.12")])
    assert [s.command for s in other.steps if isinstance(s, ApiCall)] == ["addHost"]
