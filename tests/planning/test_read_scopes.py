"""Settings are listed only at the scopes the spec sets values at.

``listConfigurations`` answers one scope object's values per call (``ListCfgsByCmd``:
``zoneid``, ``clusterid``, ``storageid``, ``imagestoreuuid``, ``domainid``,
``accountid``; apache/cloudstack 4.18.2.5 ``ManagementServerImpl.searchForConfigurations``),
so reading every scope costs one call per zone, cluster, pool, image store, domain
and account. ``plan``, ``drift`` and ``apply`` read only the scopes the spec uses
(``specc.read_scopes``); a saved plan records them, and apply's stale-plan check
reads the same calls.
"""

from __future__ import annotations

from pathlib import Path

from mini_cloud import client, execute, read
from plan_helpers import plan_for

import specc
from specc.cloud.client import CloudClient, Credentials
from specc.cloud.kinds.configuration import SCOPES
from specc.cloud.live import read_live
from specc.cloud.state import LiveState
from specc.sim import running

SPEC = Path(__file__).resolve().parent / "settings" / "scoped.yaml"
SECRETS = {"KVM_ROOT_PASSWORD": "secret"}
ZONE_ONLY = Path(__file__).resolve().parent / "settings" / "zone-only.yaml"
ALL = frozenset(kind for _, _, kind in SCOPES)
SCOPE_PARAMS = tuple(param for _, param, _ in SCOPES)


def _zone_only(folder: Path, value: bool) -> Path:
    """zone-only.yaml (scoped.yaml's zone settings only), ``use.external.dns`` *value*."""
    flag = "true" if value else "false"
    path = folder / "zone-settings.yaml"
    path.write_text(
        ZONE_ONLY.read_text().replace("use.external.dns: false", f"use.external.dns: {flag}")
    )
    return path


def _tagged(live: LiveState) -> set[str]:
    """The scope parameters the configuration items were listed with."""
    return {p for item in live.items("configuration") for p in SCOPE_PARAMS if p in item}


def test_the_reader_lists_settings_at_the_asked_scopes_only() -> None:
    with running() as sim:
        api = client(sim)
        execute(plan_for(SPEC, read(api), scripts=False), api, SECRETS)
        creds = Credentials(sim.endpoint, sim.api_key, sim.secret_key)

        def counted(scopes: frozenset[str] | None) -> tuple[LiveState, int]:
            reader = CloudClient(creds)
            return read_live(reader, scopes=scopes), reader.call_count

        bare, base = counted(frozenset())
        zone, with_zone = counted(frozenset({"zone"}))
        full, with_all = counted(None)
        objects = sum(len(full.items(kind)) for kind in ALL)
        assert _tagged(bare) == set() and bare.scopes == ()
        assert _tagged(zone) == {"zoneid"} and zone.scopes == ("zone",)
        assert _tagged(full) == set(SCOPE_PARAMS) and full.scopes is None
        assert with_zone == base + len(full.items("zone"))
        assert with_all == base + objects
        # the global values are the same whatever the scopes
        assert [i for i in bare.items("configuration")] == [
            i for i in full.items("configuration") if not set(SCOPE_PARAMS) & i.keys()
        ]


def test_plan_asks_for_the_scopes_its_spec_uses(tmp_path: Path) -> None:
    asked: list[frozenset[str]] = []
    with running() as sim:
        api = client(sim)
        creds = Credentials(sim.endpoint, sim.api_key, sim.secret_key)

        def reader(scopes: frozenset[str]) -> LiveState:
            asked.append(scopes)
            return read_live(CloudClient(creds), scopes=scopes)

        plan = specc.plan(SPEC, reader, scripts=False)
        assert plan.scopes == tuple(sorted(ALL))
        execute(plan, api, SECRETS)
        again = specc.plan(SPEC, reader, scripts=False)
        assert [c for c in again.changes if c.action != "noop"] == [] and again.steps == ()
        zone_only = specc.plan(_zone_only(tmp_path, True), reader, scripts=False)
        assert zone_only.steps == () and zone_only.scopes == ("zone",)
        glob = tmp_path / "global.yaml"
        glob.write_text("version: 1\nsettings:\n  network.gc.wait: 300\n")
        assert specc.plan(glob, reader).steps == ()
    assert asked == [ALL, ALL, frozenset({"zone"}), frozenset()]
