"""A broken or hostile endpoint never produces a wrong plan.

A small fake endpoint on loopback (:mod:`fakeapi`, stdlib ``http.server``) answers
what CloudStack never sends. Every list answer is checked against the shape its
kind expects: anything else is an error naming the command, the field and the
endpoint, and nothing is planned. Paging ends (short page, repeated page, a hard
page bound). A hypothesis fuzz of list answers: the outcome is always that clear
error or the plan of exactly what was served, never a traceback or a hang.

What CloudStack sends is cited in :mod:`specc.cloud.answers` (``ListResponse``,
``BaseListCmd.getStartIndex``, apache/cloudstack 4.18.2.5).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from fakeapi import FakeApi, fake_api
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from iohelp import specc

from specc.cloud import client as client_module
from specc.cloud.answers import MAX_PAGES, PAGE_SIZE
from specc.cloud.client import CloudClient, Credentials, RetryPolicy
from specc.cloud.live import read_live
from specc.errors import BadAnswer, SpeccError
from specc.planning.compiler import compile_plan
from specc.spec import require

REPO = Path(__file__).resolve().parents[2]
NFS = REPO / "examples" / "nfs-baseline.yaml"
ONCE = RetryPolicy(attempts=1, request_timeout_s=5)
VALIDATED = require([NFS])


def _zone(**fields: Any) -> dict[str, Any]:
    return {"id": "z-1", "name": "zone1", "networktype": "Advanced", **fields}


def _plan(fake: FakeApi, tmp_path: Path, endpoint: str | None = None) -> tuple[int, str, Path]:
    out = tmp_path / "plan.json"
    result = specc("plan", NFS, "-o", out, env=fake.env(endpoint), home=tmp_path)
    return result.returncode, result.stdout + result.stderr, out


@pytest.mark.parametrize(
    ("answer", "field", "problem"),
    [
        ({"zone": "not-a-list"}, "field 'zone'", "is a string, not a list of objects"),
        ({"count": 1, "zone": [{"id": "z-1"}]}, "zone[0] field 'name'", "is missing"),
        ({"count": 1, "zone": [_zone(name=7)]}, "zone[0] field 'name'", "not a non-empty string"),
        ({"count": 1, "zone": [_zone(id=["x"])]}, "zone[0] field 'id'", "not a non-empty string"),
        ({"count": 1, "zone": ["zone1"]}, "zone[0]", "is a string, not an object"),
        ({"count": "1", "zone": [_zone()]}, "field 'count'", "not a count"),
        ({"zones": [_zone()]}, "field 'zones'", "is not part of a listZones answer"),
        ({"count": 2}, "field 'zone'", "is missing, yet count is 2"),
        ({"count": 1, "zone": [_zone(dns1={"a": 1})]}, "zone[0] field 'dns1'", "is an object"),
    ],
)
def test_plan_refuses_a_wrong_list_answer(
    tmp_path: Path, answer: Any, field: str, problem: str
) -> None:
    with fake_api() as fake:
        fake.answers["listZones"] = answer
        code, text, out = _plan(fake, tmp_path)
    assert code == 1, text
    assert "listZones" in text and field in text and problem in text, text
    assert fake.endpoint in text
    assert "Traceback" not in text and "internal error" not in text
    assert not out.exists(), "nothing is planned"


def test_a_host_without_its_cluster_link_type_is_refused(tmp_path: Path) -> None:
    with fake_api() as fake:
        fake.answers["listHosts"] = {
            "count": 1,
            "host": [{"id": "h", "name": "kvm1", "clusterid": 12, "type": "Routing"}],
        }
        code, text, out = _plan(fake, tmp_path)
    assert code == 1 and "listHosts" in text and "host[0] field 'clusterid'" in text, text
    assert not out.exists()


def test_huge_count_with_one_item_per_page_ends_at_the_short_page(tmp_path: Path) -> None:
    with fake_api() as fake:
        fake.answers["listZones"] = {"count": 10**12, "zone": [_zone()]}
        started = time.monotonic()
        code, text, out = _plan(fake, tmp_path)
        took = time.monotonic() - started
        pages = [p for c, p in fake.calls if c == "listZones"]
    assert code == 0, text
    assert took < 60
    assert [p.get("page") for p in pages] == ["1"]
    assert "zone:zone1" in out.read_text()  # the zone was read: not planned as a create
    assert "create:zone:zone1" not in out.read_text()


def _full_page(params: Mapping[str, str], distinct: bool) -> dict[str, Any]:
    page = int(params.get("page", "1"))
    base = (page - 1) * PAGE_SIZE if distinct else 0
    return {
        "count": 10**12,
        "zone": [_zone(id=f"z-{base + n}", name=f"zone{base + n}") for n in range(PAGE_SIZE)],
    }


def test_a_server_that_ignores_page_is_refused_at_the_second_page() -> None:
    with fake_api() as fake:
        fake.answers["listZones"] = lambda p: _full_page(p, distinct=False)
        api = CloudClient(Credentials(fake.endpoint, "key", "secret"), ONCE)
        with pytest.raises(BadAnswer, match=r"listZones on .*: page 2 repeats an earlier page"):
            api.list("listZones", "zone")
        assert len([c for c, _ in fake.calls if c == "listZones"]) == 2


def test_pages_that_never_end_stop_at_the_page_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_PAGES * PAGE_SIZE >= 200_000  # the real bound: far beyond any managed cloud
    monkeypatch.setattr(client_module, "MAX_PAGES", 12)  # the same loop, fewer pages to serve
    with fake_api() as fake:
        fake.answers["listZones"] = lambda p: _full_page(p, distinct=True)
        api = CloudClient(Credentials(fake.endpoint, "key", "secret"), ONCE)
        with pytest.raises(BadAnswer, match="did not end within 12 pages"):
            api.list("listZones", "zone")
        assert len([c for c, _ in fake.calls if c == "listZones"]) == 12


def test_endpoint_without_client_api_suggests_it(tmp_path: Path) -> None:
    with fake_api() as fake:
        code, text, out = _plan(fake, tmp_path, endpoint=fake.root)
    assert code == 1, text
    assert "404" in text
    assert f"did you mean {fake.root}/client/api?" in text
    assert not out.exists()


# --- the fuzz ------------------------------------------------------------------------

SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "zone1", "zone2", "Advanced", "Enabled", "z-1", "10.0.0.1", "true"]),
    st.text(max_size=8),
)
JSON = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
# Which list answer is fuzzed, its item key, and the fields its items may carry.
TARGETS = {
    "listZones": ("zone", ["id", "name", "networktype", "dns1", "allocationstate", "type"]),
    "listPods": ("pod", ["id", "name", "zoneid", "zonename", "gateway", "startip", "netmask"]),
    "listHosts": ("host", ["id", "name", "clusterid", "ipaddress", "type", "hypervisor"]),
    "listConfigurations": ("configuration", ["name", "value", "scope", "category"]),
}


@st.composite
def list_answers(draw: st.DrawFn) -> tuple[str, str, Any]:
    command = draw(st.sampled_from(sorted(TARGETS)))
    item_key, fields = TARGETS[command]
    good_item = st.fixed_dictionaries(
        {},
        optional={f: SCALAR if f in ("id", "name") else st.one_of(SCALAR, JSON) for f in fields},
    )
    items = st.lists(st.one_of(good_item, JSON), max_size=4)
    body = st.fixed_dictionaries(
        {},
        optional={
            "count": st.one_of(st.integers(min_value=-1, max_value=10**12), JSON),
            item_key: st.one_of(items, JSON),
            draw(st.sampled_from(["extra", item_key + "s"])): JSON,
        },
    )
    return command, item_key, draw(st.one_of(body, JSON))


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeApi]:
    with fake_api() as fake:
        yield fake


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(list_answers())
def test_fuzzed_list_answers_give_a_clear_error_or_the_plan_of_what_was_served(
    shared_fake: FakeApi, case: tuple[str, str, Any]
) -> None:
    command, item_key, answer = case
    shared_fake.answers.clear()
    shared_fake.answers[command] = answer
    api = CloudClient(Credentials(shared_fake.endpoint, "key", "secret"), ONCE)
    validated = VALIDATED
    assert validated.spec is not None
    started = time.monotonic()
    try:
        live = read_live(api, readers=1)  # one thread: the same checks, faster on a busy CI box
    except BadAnswer as exc:
        assert command in exc.message and shared_fake.endpoint in exc.message, exc.message
        return
    finally:
        assert time.monotonic() - started < 30, "the reader never hangs"
    # accepted: exactly what was served, nothing dropped, nothing made up
    served = answer.get(item_key, []) if isinstance(answer, dict) else []
    assert [dict(i) for i in live.items(item_key)] == served
    # a clear error about the state (an ambiguous name, ...) is an outcome too
    with contextlib.suppress(SpeccError):
        compile_plan(validated.spec, live, spec_hash=validated.spec_hash)
