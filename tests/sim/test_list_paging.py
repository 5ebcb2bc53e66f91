"""Paged lists are filtered, counted and paged inside the store: same answers, page-sized cost.

Through HTTP (the real ``cs`` client and raw signed GETs) on a simulator seeded with
300 hosts whose fields vary in case, type and presence; and, for the matching rules
themselves, the store's SQL against the Python rules on generated items.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from simhelp import client, raw_call

from specc.cloud.snapshot import dump_snapshot
from specc.cloud.state import LiveState
from specc.sim import Simulator, running
from specc.sim.match import item_matches, keyword_matches
from specc.sim.store import Store

N = 300
ZONE_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "zone"))


def _host(i: int) -> dict[str, Any]:
    host: dict[str, Any] = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"host{i}")),
        "name": f"{'Host' if i % 2 else 'host'}-{i:03d}",
        "zoneid": ZONE_ID,
        "clusterid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"cluster{i % 4}")),
        "hypervisor": ("KVM", "kvm", "XenServer")[i % 3],
        "state": "Up",
        "type": "Routing",
        "resourcestate": "Disabled" if i % 5 == 0 else "Enabled",
        "hahost": (True, False, "true", "false")[i % 4],
        "ipaddress": f"10.0.{i // 250}.{i % 250}",
    }
    if i % 10 == 0:
        del host["hypervisor"]  # an absent field does not filter
    if i % 7 == 0:
        host["hahost"] = None
    return host


# in the order the seeded server holds them (a snapshot lists items by id)
HOSTS = sorted((_host(i) for i in range(N)), key=lambda h: str(h["id"]))


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with tempfile.TemporaryDirectory() as tmp:
        snap = Path(tmp) / "hosts.json"
        zone = {"id": ZONE_ID, "name": "z", "networktype": "Advanced"}
        snap.write_text(
            dump_snapshot(LiveState("4.18.0.0", {"zone": (zone,), "host": tuple(HOSTS)}))
        )
        with running(seed=snap) as s:
            yield s


def _expected(params: dict[str, Any]) -> list[str]:
    keyword = params.pop("keyword", None)
    filters = list(params.items())
    return [
        h["id"]
        for h in HOSTS
        if item_matches(h, filters) and (keyword is None or keyword_matches(h["name"], keyword))
    ]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"hypervisor": "kvm"},
        {"hypervisor": "KVM", "resourcestate": "enabled"},
        {"hahost": True},
        {"hahost": False},
        {"name": "HOST-042"},
        {"keyword": "host-1"},
        {"keyword": "-0", "hypervisor": "xenserver"},
        {"clusterid": str(uuid.uuid5(uuid.NAMESPACE_URL, "cluster1"))},
        {"type": "ROUTING", "state": "up"},
        {"name": "nothing"},
    ],
)
def test_filters_give_what_the_rules_give(sim: Simulator, params: dict[str, Any]) -> None:
    cs = client(sim)
    want = _expected(dict(params))
    sent = {k: ("true" if v is True else "false" if v is False else v) for k, v in params.items()}
    got = cs.listHosts(fetch_list=True, **sent)
    assert [h["id"] for h in got] == want
    answer = cs._request("listHosts", pagesize=7, page=2, **sent)
    if not want:
        assert answer == {}
    else:
        assert answer["count"] == len(want)
        assert [h["id"] for h in answer.get("host", [])] == want[7:14]


def test_pages_concatenate_to_the_whole_list(sim: Simulator) -> None:
    cs = client(sim)
    whole = [h["id"] for h in cs._request("listHosts", pagesize=-1)["host"]]
    assert whole == [h["id"] for h in HOSTS]
    pages: list[str] = []
    for page in range(1, N // 13 + 2):
        answer = cs._request("listHosts", pagesize=13, page=page)
        assert answer["count"] == N
        pages += [h["id"] for h in answer["host"]]
    assert pages == whole
    assert raw_call(sim, "listHosts", pagesize="13", page="99") == (
        200,
        {"listhostsresponse": {"count": N}},
    )
    assert cs._request("listHosts", pagesize=13, page=0)["host"][0]["id"] == whole[0]


def test_a_page_decodes_only_its_items(sim: Simulator) -> None:
    cs = client(sim)
    for params in ({}, {"hypervisor": "kvm"}, {"keyword": "host"}):
        before = sim.store.decoded
        answer = cs._request("listHosts", pagesize=5, page=3, **params)
        assert len(answer["host"]) == 5 and answer["count"] > 100
        assert sim.store.decoded - before == 5, params
    before = sim.store.decoded
    assert cs._request("listHosts", pagesize=5, page=999)["count"] == N
    assert sim.store.decoded == before


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(-2, 2, allow_nan=False).map(lambda f: round(f, 1)),
    st.sampled_from(["a", "A", "b", "true", "False", "1", "None", "Ä", "ä", "ß", ""]),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=2), st.dictionaries(st.just("k"), SCALARS))
ITEMS = st.lists(st.dictionaries(st.sampled_from(["x", "name", "q"]), VALUES), max_size=8)
WANTS = st.one_of(
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(["a", "A", "true", "1", "none", "1.0", "ä", "SS"]),
    st.lists(st.sampled_from(["a", "B", "1", "true"]), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(
    items=ITEMS,
    filters=st.lists(st.tuples(st.sampled_from(["x", "y"]), WANTS), max_size=2),
    keyword=st.one_of(st.none(), st.sampled_from(["a", "Ä", "1", "tru", "none", "["])),
    flag=st.one_of(st.none(), st.booleans()),
)
@example(items=[{"x": True}, {"x": False}], filters=[("x", "true")], keyword=None, flag=None)
@example(items=[{"x": None}, {"x": 1.0}], filters=[("x", "none")], keyword=None, flag=None)
@example(items=[{"x": 1}, {"x": "1"}], filters=[("x", "1")], keyword=None, flag=None)
@example(items=[{"x": "Ä"}, {"name": "ÄB"}], filters=[("x", "ä")], keyword="äb", flag=None)
@example(items=[{"q": []}, {"q": [0]}, {"q": {}}, {"q": ""}], filters=[], keyword=None, flag=True)
@example(items=[{"name": None}, {"name": True}, {}], filters=[], keyword="n", flag=None)
def test_store_sql_matches_the_python_rules(
    items: list[dict[str, Any]],
    filters: list[tuple[str, Any]],
    keyword: str | None,
    flag: bool | None,
) -> None:
    store = Store()
    try:
        for i, item in enumerate(items):
            store.insert("thing", item, key=str(i))
        flags = {} if flag is None else {"q": flag}
        want = [
            it
            for it in items
            if item_matches(it, filters)
            and (keyword is None or keyword_matches(it.get("name", ""), keyword))
            and all(bool(it.get(f, False)) == v for f, v in flags.items())
        ]
        count, got = store.page("thing", filters=filters, keyword=keyword, flags=flags)
        assert (count, got) == (len(want), want)
        count, got = store.page(
            "thing", filters=filters, keyword=keyword, flags=flags, limit=2, offset=1
        )
        assert (count, got) == (len(want), want[1:3])
    finally:
        store.close()
