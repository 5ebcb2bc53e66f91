"""A saved plan records the setting scopes it read; apply's stale check reads the same.

``plan`` lists settings only at the scopes its spec sets values at
(``specc.read_scopes``; tests/planning/test_read_scopes.py). The stale-plan check
(``specc.execute.run.apply_plan``) must re-read exactly those calls: a value changed
at a scope the plan did not read leaves it fresh, one at its scopes makes it stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from cs import CloudStack
from test_apply import env_for, specc

from specc.sim import running

SPEC = Path(__file__).resolve().parents[1] / "planning" / "settings" / "scoped.yaml"
SECRETS = {"KVM_ROOT_PASSWORD": "secret"}
ZONE_ONLY = Path(__file__).resolve().parents[1] / "planning" / "settings" / "zone-only.yaml"


def _zone_only(folder: Path, value: bool) -> Path:
    """zone-only.yaml (scoped.yaml's zone settings only), ``use.external.dns`` *value*."""
    flag = "true" if value else "false"
    path = folder / "zone-settings.yaml"
    path.write_text(
        ZONE_ONLY.read_text().replace("use.external.dns: false", f"use.external.dns: {flag}")
    )
    return path


def test_a_saved_plan_is_stale_only_for_changes_at_its_scopes(tmp_path: Path) -> None:
    with running() as sim:
        api = CloudStack(endpoint=sim.endpoint, key=sim.api_key, secret=sim.secret_key)
        env = env_for(tmp_path, sim, **SECRETS)
        built = specc("apply", SPEC, "--auto-approve", "--hosts", "skip", env=env, cwd=tmp_path)
        assert built.returncode == 0, built.stderr
        spec = _zone_only(tmp_path, False)
        saved = tmp_path / "plan.json"
        made = specc("plan", spec, "-o", saved, env=env, cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        assert json.loads(saved.read_text())["scopes"] == ["zone"]
        admin = api.listAccounts(name="admin", listall=True)["account"][0]["id"]
        zone = api.listZones(name="zone1")["zone"][0]["id"]
        # an account's value is not read by this plan: changing it does not make it stale
        # (not a cluster's: listClusters lists the cluster's details, where a value set
        # at the cluster is stored, ApiResponseHelper.createClusterResponse)
        api.updateConfiguration(name="allow.public.user.templates", value="true", accountid=admin)
        run = specc("apply", saved, "--hosts", "skip", env=env, cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        listed = api.listConfigurations(name="use.external.dns", zoneid=zone)
        assert listed["configuration"][0]["value"] == "false"
        # a zone's value is: the saved plan is refused
        again = tmp_path / "again.json"
        _zone_only(tmp_path, True)
        made = specc("plan", spec, "-o", again, env=env, cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        api.updateConfiguration(name="enable.dynamic.scale.vm", value="false", zoneid=zone)
        run = specc("apply", again, "--hosts", "skip", env=env, cwd=tmp_path)
        assert run.returncode == 1
        assert "plan is stale, run plan again" in run.stderr
