"""The reader's parallel calls give the same state, in the same order, as one thread."""

from __future__ import annotations

import pytest
from iohelp import client_for

from specc.cloud.live import read_live
from specc.cloud.snapshot import dump_snapshot
from specc.errors import ApiError
from specc.sim import running


def test_parallel_reads_give_the_state_one_thread_gives() -> None:
    with running(seed="devcloud", latency_ms=2) as sim:
        api = client_for(sim.endpoint, sim.api_key, sim.secret_key)
        one = read_live(api, readers=1)
        for _ in range(3):
            many = read_live(api, readers=8)
            assert list(many.resources) == list(one.resources)
            assert many.resources == one.resources  # item order too, kind by kind
            assert dump_snapshot(many) == dump_snapshot(one)
        assert one.items("traffictype") and one.items("configuration")


def test_of_several_failed_calls_the_first_in_registry_order_is_reported() -> None:
    with running(seed="devcloud", fail=("listClusters", "listPods", "listZones")) as sim:
        api = client_for(sim.endpoint, sim.api_key, sim.secret_key)
        for _ in range(3):
            with pytest.raises(ApiError) as err:
                read_live(api, readers=8)
            assert err.value.command == "listZones"
