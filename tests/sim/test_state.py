"""State: SQLite persistence, snapshots (round trip, bad files), concurrency, faults."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
import requests
from cs import CloudStack, CloudStackApiException
from simhelp import ZONE, client

from specc.cloud.kinds import KINDS
from specc.cloud.snapshot import dump_snapshot, load_snapshot, schema_text
from specc.cloud.state import LiveState
from specc.errors import SnapshotError
from specc.sim import Simulator, running

HERE = Path(__file__).parent
BAD = HERE / "snapshots" / "bad"
EXPECTED: dict[str, str] = json.loads((BAD / "expected.json").read_text())


def live_state(c: CloudStack, api_version: str) -> LiveState:
    """Read every kind through its list command (no required params for most)."""
    resources: dict[str, tuple[dict[str, Any], ...]] = {}
    extra: dict[str, dict[str, str]] = {
        "template": {"templatefilter": "all"},
        "iso": {"isofilter": "all"},
    }
    for kind, command in ((name, k.list_command) for name, k in KINDS.items()):
        if kind == "traffictype":
            items = [
                t
                for pn in c.listPhysicalNetworks(fetch_list=True)
                for t in c.listTrafficTypes(physicalnetworkid=pn["id"], fetch_list=True)
            ]
        else:
            try:
                items = c._request(command, fetch_list=True, **extra.get(kind, {}))
            except CloudStackApiException:
                continue
        resources[kind] = tuple(items)
    return LiveState(api_version, resources)


def test_state_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "sim.db"
    with running(state=db) as sim:
        made = client(sim).createZone(**ZONE)["zone"]
        keys = (sim.api_key, sim.secret_key)
    with running(state=db) as sim:
        assert (sim.api_key, sim.secret_key) == keys
        assert client(sim).listZones()["zone"] == [made]


def test_snapshot_round_trip_and_seed(tmp_path: Path) -> None:
    with running(seed="devcloud") as sim:
        first = live_state(client(sim), "4.18.0.0")
    assert first.items("zone") and first.items("host") and first.items("traffictype")
    text = dump_snapshot(first)
    path = tmp_path / "snap.json"
    path.write_text(text)
    loaded = load_snapshot(path)
    assert loaded.fingerprint() == first.fingerprint()
    assert dump_snapshot(loaded) == text  # byte-stable
    with running(seed=path) as sim:
        again = live_state(client(sim), "4.18.0.0")
    assert dump_snapshot(again) == text  # the simulator serves the snapshot, ids kept


def test_the_checked_in_schema_is_the_one_in_code() -> None:
    schema_file = HERE.parents[1] / "schemas" / "snapshot-v1.schema.json"
    assert schema_file.read_text() == schema_text()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_snapshots_are_refused_clearly(name: str) -> None:
    with pytest.raises(SnapshotError) as err:
        load_snapshot(BAD / name)
    assert EXPECTED[name] in err.value.message
    assert name in err.value.message


def test_a_bad_snapshot_seed_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError), running(seed=BAD / "truncated.json"):
        pass


def test_twenty_four_concurrent_clients_keep_state_consistent(sim: Simulator) -> None:
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        c = client(sim)
        for i in range(5):
            # everyone races for the same names: each may be created once
            try:
                c.createZone(**{**ZONE, "name": f"race-{i}"})
                result = "made"
            except CloudStackApiException as err:
                result = f"refused {err.error['errorcode']}"
            with lock:
                outcomes.append(result)
        c.createZone(**{**ZONE, "name": f"own-{n}"})

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("made") == 5
    assert outcomes.count("refused 431") == 24 * 5 - 5
    names = [z["name"] for z in client(sim).listZones(fetch_list=True)]
    assert len(names) == len(set(names)) == 5 + 24


def test_a_named_command_fails() -> None:
    with running(fail=["createZone", "createPhysicalNetwork"]) as sim:
        c = client(sim)
        with pytest.raises(CloudStackApiException) as err:
            c.createZone(**ZONE)
        assert err.value.error["errorcode"] == 530
        sim.set_faults(fail=["createPhysicalNetwork"])
        zone = c.createZone(**ZONE)["zone"]
        with pytest.raises(CloudStackApiException) as err:  # an async job that fails
            c.createPhysicalNetwork(zoneid=zone["id"], name="pn")
        assert err.value.error["errorcode"] == 530
        assert c.listPhysicalNetworks() == {}


def _outcomes(seed: int) -> list[str]:
    with running(fault_rate=0.5, fault_seed=seed) as sim:
        sim_client = client(sim, timeout=1)
        seen = []
        for _ in range(8):
            try:
                sim_client.listZones()
                seen.append("ok")
            except CloudStackApiException as err:
                seen.append(str(err.error["errorcode"]))
            except requests.exceptions.Timeout:
                seen.append("timeout")
        sim.set_faults(fault_rate=0.0)
        assert sim_client.listZones() == {}
        return seen


def test_random_faults_are_5xx_and_timeouts_and_deterministic() -> None:
    first = _outcomes(0)
    assert first == ["ok", "timeout", "ok", "ok", "503", "ok", "503", "ok"]
    assert _outcomes(0) == first


def test_a_failed_seed_leaves_the_state_file_usable(tmp_path: Path) -> None:
    db = tmp_path / "sim.db"
    with pytest.raises(SnapshotError), running(state=db, seed=BAD / "junk.json"):
        pass
    with running(state=db, seed="devcloud") as sim:
        assert client(sim).listZones()["count"] == 1


def test_a_timeout_after_the_call_keeps_its_effect() -> None:
    with running(fault_rate=1.0, fault_seed=4) as sim:  # the first fault drawn: a timeout
        sim.set_faults(timeouts_after_call=True)
        c = client(sim, timeout=1)
        with pytest.raises(requests.exceptions.Timeout):
            c.createZone(**ZONE)
        sim.set_faults(fault_rate=0.0)
        assert c.listZones()["zone"][0]["name"] == ZONE["name"]  # it happened anyway


def test_dump_refuses_unknown_kinds() -> None:
    with pytest.raises(SnapshotError) as err:
        dump_snapshot(LiveState("4.18.0.0", {"zones": ({"id": "x"},)}))
    assert "unknown kinds: zones" in err.value.message
