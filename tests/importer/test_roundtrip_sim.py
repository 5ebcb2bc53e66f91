"""The contract of ``specc import``: import, fill the placeholders, plan -> zero changes.

Every example is applied to the simulator (the real ``cs`` client over HTTP, the
plan tests' minimal executor), the cloud is read with specc's reader, imported, the
placeholders filled as an operator would, the result validated with ``--strict``
and planned against the same cloud: no change, no warning. Likewise the devcloud
seed, a cloud specc did not build.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from import_helpers import changes_of, round_trip
from mini_cloud import client, execute, read
from plan_helpers import EXAMPLES, plan_for

from specc.importer import Selection, import_live
from specc.sim import running


class _Secrets(dict[str, str]):
    def __missing__(self, key: str) -> str:
        if "TOKEN" in key:  # a StorPool token may not hold '=' or ';' (SpConnectionDesc)
            return "token-" + key
        return "AQBb+x/yZ9kQ==" + key.replace("/", "_")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_round_trips(example: Path, tmp_path: Path) -> None:
    with running() as sim:
        api = client(sim)
        execute(plan_for(example, read(api), scripts=False), api, _Secrets())
        live = read(api)
    plan = round_trip(live, tmp_path / "spec")
    assert changes_of(plan) == []
    assert plan.steps == ()
    again = import_live(live).files
    assert again == import_live(live).files  # byte-identical for the same cloud


def test_production_round_trips_on_4_22(tmp_path: Path) -> None:
    example = next(p for p in EXAMPLES if p.name == "production.yaml")
    with running(api_version="4.22") as sim:
        api = client(sim)
        execute(plan_for(example, read(api), scripts=False), api, _Secrets())
        live = read(api)
    assert changes_of(round_trip(live, tmp_path / "spec")) == []


def test_devcloud_seed_round_trips(tmp_path: Path) -> None:
    with running(seed="devcloud") as sim:
        live = read(client(sim))
    plan = round_trip(live, tmp_path / "spec")
    assert changes_of(plan) == []
    assert sum(1 for c in plan.changes if c.resource.kind == "host") >= 1


def test_split_by_zone_plans_the_same(tmp_path: Path) -> None:
    example = next(p for p in EXAMPLES if p.name == "production.yaml")
    with running() as sim:
        api = client(sim)
        execute(plan_for(example, read(api), scripts=False), api, _Secrets())
        live = read(api)
    imported = import_live(live, split=True)
    assert sorted(imported.files) == ["cloud.yaml", "zone-zone-a.yaml", "zone-zone-b.yaml"]
    from import_helpers import write

    import specc

    folder = write(imported, tmp_path / "split")
    validated = specc.check(specc.load(folder), strict=True)
    assert validated.ok, [d.message for d in validated.diagnostics]
    assert changes_of(specc.plan(validated, live, scripts=False)) == []
    one = round_trip(live, tmp_path / "one")
    assert {c.resource for c in one.changes} == {
        c.resource for c in specc.plan(validated, live, scripts=False).changes
    }
    zone_b = import_live(live, Selection(zones=("zone-b",)))
    text = zone_b.files["spec.yaml"]
    assert "zone-b" in text and "name: zone-a" not in text
