"""Enabling network service providers the server's way.

apache/cloudstack 4.18.2.5 / 4.22.1.0 ``NetworkServiceImpl.updateNetworkServiceProvider``
enables a provider only when ``element.isReady(provider)``: for InternalLbVm that is
``InternalLoadBalancerElement.isReady`` (its InternalLbVm element is enabled), so the
plan lists the element (``listInternalLoadBalancerElements nspid=``), enables it
(``configureInternalLoadBalancerElement``), then enables the provider. The simulator
refuses the last call before the element is enabled, as the server does.
"""

from __future__ import annotations

from typing import Any, get_args

import pytest
from mini_cloud import client, execute, read
from plan_helpers import REPO, load_spec

from specc.cloud.kinds import KINDS
from specc.cloud.kinds.networkserviceprovider import READINESS
from specc.cloud.state import LiveState
from specc.core.steps import ApiCall, Plan, Ref
from specc.planning.compiler import compile_plan
from specc.render._common import has_changes
from specc.sim import running
from specc.spec.models import Provider, Spec

ZONE = {
    "id": "z-1",
    "name": "z1",
    "networktype": "Advanced",
    "dns1": "10.0.0.2",
    "internaldns1": "10.0.0.2",
    "allocationstate": "Enabled",
}
PN = {"id": "pn-1", "name": "pn", "zoneid": "z-1", "isolationmethods": "VLAN", "state": "Enabled"}
MGMT = {"id": "tt-1", "physicalnetworkid": "pn-1", "traffictype": "Management"}


def _spec(*providers: str) -> Spec:
    return Spec.model_validate(
        {
            "zones": [
                {
                    "name": "z1",
                    "dns": ["10.0.0.2"],
                    "internal_dns": ["10.0.0.2"],
                    "physical_networks": [
                        {
                            "name": "pn",
                            "traffic": [{"type": "Management"}],
                            "providers": list(providers),
                        }
                    ],
                }
            ]
        }
    )


def _plan(spec: Spec, **resources: list[dict[str, Any]]) -> Plan:
    base: dict[str, list[dict[str, Any]]] = {
        "zone": [ZONE],
        "physicalnetwork": [PN],
        "traffictype": [MGMT],
    }
    live = LiveState("4.18.0.0", {k: tuple(v) for k, v in {**base, **resources}.items()})
    return compile_plan(spec, live, spec_hash="sha256:test")


def _calls(plan: Plan) -> list[tuple[str, str, dict[str, Any]]]:
    return [(s.id, s.command, dict(s.params)) for s in plan.steps if isinstance(s, ApiCall)]


def _nsp(name: str, nsp_id: str, state: str = "Disabled") -> dict[str, Any]:
    return {"id": nsp_id, "name": name, "physicalnetworkid": "pn-1", "state": state}


def test_internal_lb_is_element_lookup_configure_then_enable() -> None:
    plan = _plan(_spec("InternalLbVm"), networkserviceprovider=[_nsp("InternalLbVm", "nsp-9")])
    key = "z1/pn/InternalLbVm"
    assert _calls(plan) == [
        (
            f"lookup:internalloadbalancerelement:{key}",
            "listInternalLoadBalancerElements",
            {"nspid": "nsp-9"},
        ),
        (
            f"configure:internalloadbalancerelement:{key}",
            "configureInternalLoadBalancerElement",
            {"id": Ref(f"lookup:internalloadbalancerelement:{key}"), "enabled": True},
        ),
        (
            f"enable:networkserviceprovider:{key}",
            "updateNetworkServiceProvider",
            {"id": "nsp-9", "state": "Enabled"},
        ),
    ]
    enable = plan.steps[-1]
    assert isinstance(enable, ApiCall)
    assert f"configure:internalloadbalancerelement:{key}" in enable.depends_on


def test_a_listed_element_is_configured_by_its_id_or_left_alone_when_enabled() -> None:
    nsp = _nsp("InternalLbVm", "nsp-9")
    off = {"id": "ilb-1", "nspid": "nsp-9", "enabled": False}
    plan = _plan(
        _spec("InternalLbVm"), networkserviceprovider=[nsp], internalloadbalancerelement=[off]
    )
    assert [(c[1], c[2]) for c in _calls(plan)] == [
        ("configureInternalLoadBalancerElement", {"id": "ilb-1", "enabled": True}),
        ("updateNetworkServiceProvider", {"id": "nsp-9", "state": "Enabled"}),
    ]
    on = {**off, "enabled": True}
    plan = _plan(
        _spec("InternalLbVm"), networkserviceprovider=[nsp], internalloadbalancerelement=[on]
    )
    assert [c[1] for c in _calls(plan)] == ["updateNetworkServiceProvider"]


def test_a_new_physical_network_looks_the_provider_then_its_element_up() -> None:
    live = LiveState("4.18.0.0", {"zone": (ZONE,)})
    plan = compile_plan(_spec("InternalLbVm"), live, spec_hash="sha256:test")
    key = "z1/pn/InternalLbVm"
    ids = [c[0] for c in _calls(plan)]
    wanted = [
        f"lookup:networkserviceprovider:{key}",
        f"lookup:internalloadbalancerelement:{key}",
        f"configure:internalloadbalancerelement:{key}",
        f"enable:networkserviceprovider:{key}",
    ]
    assert [i for i in ids if i in wanted] == wanted
    calls = {c[0]: c for c in _calls(plan)}
    lookup = calls[f"lookup:internalloadbalancerelement:{key}"]
    assert lookup[2] == {"nspid": Ref(f"lookup:networkserviceprovider:{key}")}


@pytest.mark.parametrize("name", ["VirtualRouter", "VpcVirtualRouter"])
def test_router_providers_configure_their_virtual_router_element_first(name: str) -> None:
    """``VirtualRouterElement.isReady`` (inherited by ``VpcVirtualRouterElement``) is the
    ``enabled`` flag of the provider's ``VirtualRouterProviderVO``, which
    ``VirtualRouterElement.configure`` sets (``configureVirtualRouterElement``;
    apache/cloudstack 4.18.2.5 and 4.22.1.0): the element is listed by the provider's
    id, configured enabled, and only then is the provider enabled."""
    plan = _plan(_spec(name), networkserviceprovider=[_nsp(name, "nsp-7")])
    key = f"z1/pn/{name}"
    lookup = f"lookup:virtualrouterelement:{key}"
    assert _calls(plan) == [
        (lookup, "listVirtualRouterElements", {"nspid": "nsp-7"}),
        (
            f"configure:virtualrouterelement:{key}",
            "configureVirtualRouterElement",
            {"id": Ref(lookup), "enabled": True},
        ),
        (
            f"enable:networkserviceprovider:{key}",
            "updateNetworkServiceProvider",
            {"id": "nsp-7", "state": "Enabled"},
        ),
    ]
    enable = plan.steps[-1]
    assert isinstance(enable, ApiCall)
    assert f"configure:virtualrouterelement:{key}" in enable.depends_on


@pytest.mark.parametrize("name", ["ConfigDrive", "Tungsten"])
def test_providers_whose_is_ready_needs_no_configure_step_get_only_the_enable(name: str) -> None:
    plan = _plan(_spec(name), networkserviceprovider=[_nsp(name, "nsp-5")])
    assert _calls(plan) == [
        (
            f"enable:networkserviceprovider:z1/pn/{name}",
            "updateNetworkServiceProvider",
            {"id": "nsp-5", "state": "Enabled"},
        )
    ]


def test_an_enabled_provider_is_left_alone() -> None:
    plan = _plan(
        _spec("InternalLbVm"), networkserviceprovider=[_nsp("InternalLbVm", "n", "Enabled")]
    )
    assert plan.steps == ()


def test_every_provider_a_spec_may_enable_declares_its_readiness() -> None:
    assert set(get_args(Provider)) <= set(READINESS)
    for name, readiness in READINESS.items():
        assert "isReady" in readiness.source, name
        element = readiness.element
        if element is not None:
            assert KINDS[element.kind.name] is element.kind  # listed by the reader
            assert element.kind.read_only and element.configure.startswith("configure")


@pytest.mark.parametrize("version", ["4.18", "4.22"])
def test_internal_lb_applies_on_the_simulator_and_round_trips(version: str) -> None:
    data = load_spec(REPO / "examples" / "nfs-baseline.yaml")[0].model_dump(
        mode="json", exclude_none=True
    )
    data["zones"][0]["physical_networks"][0]["providers"] = [
        "VirtualRouter",
        "VpcVirtualRouter",
        "InternalLbVm",
        "ConfigDrive",
    ]
    spec = Spec.model_validate(data)
    with running(api_version=version) as sim:
        api = client(sim)
        first = compile_plan(spec, read(api), spec_hash="sha256:ilb")
        commands = [s.command for s in first.steps if isinstance(s, ApiCall)]
        assert commands.count("configureInternalLoadBalancerElement") == 1
        execute(first, api, {"KVM_ROOT_PASSWORD": "demo"})
        live = read(api)
        nsps = {n["name"]: n["state"] for n in live.items("networkserviceprovider")}
        assert all(nsps[p] == "Enabled" for p in ("InternalLbVm", "VpcVirtualRouter"))
        (element,) = live.items("internalloadbalancerelement")
        assert element["enabled"] is True
        second = compile_plan(spec, live, spec_hash="sha256:ilb")
    assert not has_changes(second) and second.steps == ()
