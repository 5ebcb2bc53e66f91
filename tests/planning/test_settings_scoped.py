"""Settings, global and per scope object, planned, applied on the simulator and read back.

The spec is ``settings/scoped.yaml``: real 4.18 settings of several categories
(network, advanced, compute, storage), a value per zone, cluster, primary pool,
image store, domain and account. The simulator checks each call as
``ConfigurationManagerImpl.updateConfiguration`` does, so a setting the server
does not have, a value it refuses or a scope the setting lacks fails the apply.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mini_cloud import client, execute, read
from plan_helpers import empty, plan_for

from specc.cloud.state import LiveState
from specc.core.ids import ResourceId
from specc.core.steps import ApiCall, Ref
from specc.errors import PlanError
from specc.render.markdown import render_markdown
from specc.render.runbook import runbook_text
from specc.render.text import render_text
from specc.sim import running
from specc.spec import require

SPEC = Path(__file__).resolve().parent / "settings" / "scoped.yaml"
SECRETS = {"KVM_ROOT_PASSWORD": "secret"}


def _calls(plan_steps: tuple[object, ...]) -> dict[str, ApiCall]:
    return {s.id: s for s in plan_steps if isinstance(s, ApiCall)}


def test_scoped_settings_apply_and_read_back_to_no_changes() -> None:
    """updateConfiguration with each scope id; listConfigurations per scope reads them back."""
    with running() as sim:
        api = client(sim)
        plan = plan_for(SPEC, read(api), scripts=False)
        calls = _calls(plan.steps)
        zone = calls["update:configuration:use.external.dns/zone/zone1"]
        assert zone.params["zoneid"] == Ref("create:zone:zone1")
        cluster = calls["update:configuration:cpu.overprovisioning.factor/cluster/zone1/pod1/kvm1"]
        assert cluster.params["clusterid"] == Ref("create:cluster:zone1/pod1/kvm1")
        pool = calls[
            "update:configuration:storage.overprovisioning.factor/storagepool/zone1/nfs-primary-1"
        ]
        assert pool.params["storageid"] == Ref("create:storagepool:zone1/nfs-primary-1")
        store = calls[
            "update:configuration:secstorage.nfs.version/imagestore/zone1/nfs-secondary-1"
        ]
        assert store.params["imagestoreuuid"] == Ref("create:imagestore:zone1/nfs-secondary-1")
        admin = api.listAccounts(name="admin", listall=True)["account"][0]
        account = calls["update:configuration:allow.public.user.templates/account/ROOT/admin"]
        assert account.params["accountid"] == admin["id"]  # live: a literal id
        domain = calls["update:configuration:destroy.root.volume.on.vm.destruction/domain/ROOT"]
        assert domain.params["domainid"] == admin["domainid"]
        execute(plan, api, SECRETS)
        live = read(api)
        again = plan_for(SPEC, live, scripts=False)
        changed = [str(c.resource) for c in again.changes if c.action != "noop"]
        assert changed == [] and again.steps == ()
        cluster_id = api.listClusters(name="kvm1")["cluster"][0]["id"]
        listed = api.listConfigurations(name="cpu.overprovisioning.factor", clusterid=cluster_id)
        assert listed["configuration"][0]["value"] == "2"


def test_brief_settings_of_several_categories_apply_on_sim(tmp_path: Path) -> None:
    """Real 4.18 settings of Network, Advanced and Snapshots/Usage categories apply as given."""
    spec = tmp_path / "settings.yaml"
    spec.write_text(
        "settings:\n"
        "  network.loadbalancer.haproxy.stats.visibility: guest-network\n"
        "  check.pod.cidrs: false\n"
        "  ping.timeout: 3.5\n"
        "  account.cleanup.interval: 7200\n"
        "  network.gc.wait: 300\n"
    )
    with running() as sim:
        api = client(sim)
        plan = plan_for(spec, read(api), scripts=False)
        execute(plan, api, {})
        live = {c["name"]: c for c in api.listConfigurations(pagesize=500, page=1)["configuration"]}
        assert live["network.loadbalancer.haproxy.stats.visibility"]["value"] == "guest-network"
        assert live["check.pod.cidrs"]["value"] == "false"
        assert live["network.gc.wait"]["value"] == "300"
        again = plan_for(spec, read(api), scripts=False)
    assert [c.action for c in again.changes] == ["noop"] * 5


def test_live_key_includes_the_scope_object() -> None:
    """A scoped listing is keyed by name, scope and the object's key (its id stamped on it)."""
    with running(seed="devcloud") as sim:
        api = client(sim)
        zone = api.listZones()["zone"][0]
        api.updateConfiguration(name="use.external.dns", value="true", zoneid=zone["id"])
        live = read(api)
    from specc.changes.differ import index_live
    from specc.cloud.kinds import KINDS, LiveIndex

    keys = index_live(live, KINDS, LiveIndex(live.resources))["configuration"]
    assert ("use.external.dns",) in keys
    scoped = keys[("use.external.dns", "zone", "Sandbox-simulator")]
    assert scoped[0]["value"] == "true" and scoped[0]["zoneid"] == zone["id"]
    assert ("cpu.overprovisioning.factor", "cluster", "Sandbox-simulator", "POD0", "C0") in keys
    assert ("allow.public.user.templates", "account", "ROOT", "admin") in keys


def test_offline_plan_looks_domains_and_accounts_up() -> None:
    """Planned against an empty state: listDomains/listAccounts lookups give the ids."""
    plan = plan_for(SPEC, empty(), scripts=False)
    calls = _calls(plan.steps)
    domain = calls["lookup:domain:ROOT"]
    assert (domain.command, domain.params) == ("listDomains", {"listall": True, "name": "ROOT"})
    account = calls["lookup:account:ROOT/admin"]
    assert account.params == {"domainid": Ref("lookup:domain:ROOT"), "name": "admin"}
    update = calls["update:configuration:allow.public.user.templates/account/ROOT/admin"]
    assert update.params["accountid"] == Ref("lookup:account:ROOT/admin")
    with running() as sim:
        api = client(sim)
        execute(plan, api, SECRETS)
        again = plan_for(SPEC, read(api), scripts=False)
    assert [str(c.resource) for c in again.changes if c.action != "noop"] == []


def test_a_domain_the_live_cloud_lacks_is_a_planning_error(tmp_path: Path) -> None:
    """specc does not create domains: one listDomains does not show stops the plan."""
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "domain_settings:\n  - domain: ROOT/nowhere\n"
        "    settings: {destroy.root.volume.on.vm.destruction: true}\n"
    )
    with running() as sim:
        live = read(client(sim))
    with pytest.raises(PlanError, match="domain 'ROOT/nowhere' is not known") as err:
        plan_for(spec, live, scripts=False)
    assert err.value.location is not None and err.value.location.line == 3


# -- restarts ---------------------------------------------------------------------------


def test_non_dynamic_settings_wait_for_a_restart_from_the_registry() -> None:
    """Against an empty state isdynamic comes from the registry (and expunge.delay's reader)."""
    plan = plan_for(SPEC, empty(), scripts=False)
    waiting = {r.resource: r.why for r in plan.restarts}
    assert waiting[ResourceId("configuration", ("expunge.delay",))] == (
        "read once by UserVmManagerImpl.configure"
    )
    assert ResourceId("configuration", ("network.gc.wait",)) in waiting
    assert ResourceId("configuration", ("ping.timeout",)) not in waiting  # dynamic
    scoped = [r for r in plan.restarts if len(r.resource.key) > 1]
    assert scoped == []  # a value per object is read at each use (ConfigKey.valueIn)
    text = render_text(plan)
    assert "Restart the management servers after apply" in text
    assert "takes effect only after the management servers restart" in text
    assert "configuration:expunge.delay: read once by UserVmManagerImpl.configure" in (
        render_markdown(plan)
    )
    spec = require([SPEC]).spec
    book = runbook_text(plan, title="scoped", spec=spec)
    restart = book.index("restart the management servers")
    last_setting = max(book.index(f"`{r.step}`") for r in plan.restarts)
    assert last_setting < restart < book.index("## 3. Verification")
    assert "systemctl restart cloudstack-management" in book


def test_live_isdynamic_decides_but_a_setting_read_at_configure_always_waits() -> None:
    """The live row's isdynamic wins over the registry; expunge.delay waits whatever it says."""
    rows = [
        {"name": "network.gc.wait", "value": "600", "isdynamic": True},
        {"name": "ping.timeout", "value": "2.5", "isdynamic": False},
        {"name": "expunge.delay", "value": "86400", "isdynamic": True},
    ]
    live = LiveState("4.18.0.0", {"configuration": tuple(rows)})
    plan = plan_for(SPEC, live, scripts=False)
    waiting = {r.resource.key[0] for r in plan.restarts}
    assert "network.gc.wait" not in waiting
    assert {"ping.timeout", "expunge.delay"} <= waiting


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_runbook_without_restarts_has_no_restart_step(fmt: str, tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text("settings: {ping.timeout: 3}\n")
    plan = plan_for(spec, empty(), scripts=False)
    assert plan.restarts == ()
    assert "restart the management servers" not in runbook_text(plan, title="t", fmt=fmt)
