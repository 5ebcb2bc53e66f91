"""The examples as they stand, on the simulator: no test-only edits to the specs.

Every setting an example sets is one a fresh management server lists (so plan does
not warn "does not list this setting"), and production.yaml's KVM hosts, which carry
only an SSH key and no password, are added by the real addHost over HTTP.
"""

from __future__ import annotations

from pathlib import Path

from mini_cloud import client, execute, read
from plan_helpers import REPO, load_spec, plan_for

from specc.core.steps import ApiCall
from specc.sim import running


class _Secrets(dict[str, str]):
    """Every other secret (vCenter, SolidFire) resolves to a fixed test value."""

    def __missing__(self, key: str) -> str:
        return "test-secret-" + key.replace("/", "_")


def test_every_example_setting_is_a_setting_the_server_lists(example: Path) -> None:
    spec = load_spec(example)[0]
    with running() as sim:
        api = client(sim)
        for name in sorted(spec.settings):
            listed = api.listConfigurations(name=name).get("configuration", [])
            assert name in {c["name"] for c in listed}, f"{example.name}: {name}"
        plan = plan_for(example, read(api), scripts=False)
    warned = [w for c in plan.changes for w in c.warnings if "does not list" in w]
    assert warned == []


def test_production_kvm_hosts_without_password_are_added() -> None:
    example = REPO / "examples" / "production.yaml"
    spec = load_spec(example)[0]
    kvm = {
        host.name
        for zone in spec.zones
        for pod in zone.pods
        for cluster in pod.clusters
        if cluster.hypervisor == "KVM"
        for host in cluster.hosts
    }
    assert kvm
    with running() as sim:
        api = client(sim)
        plan = plan_for(example, read(api), scripts=False)
        adds = [
            s
            for s in plan.steps
            if isinstance(s, ApiCall) and s.command == "addHost" and s.params["hypervisor"] == "KVM"
        ]
        assert len(adds) == len(kvm)
        assert all("password" not in s.params and s.params["username"] for s in adds)
        execute(plan, api, _Secrets())
        hosts = api.listHosts(hypervisor="KVM", type="Routing")["host"]
        assert {h["name"] for h in hosts} >= {a.params["url"].split("//")[1] for a in adds}
        assert all((h["state"], h["resourcestate"]) == ("Up", "Enabled") for h in hosts)
        again = plan_for(example, read(api), scripts=False)
    assert [str(c.resource) for c in again.changes if c.action != "noop"] == []
