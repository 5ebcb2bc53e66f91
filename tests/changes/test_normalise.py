"""Normalisers and field comparison: properties that keep diffs from looping."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from specc.changes.differ import compare
from specc.cloud.kinds import KINDS
from specc.cloud.kinds.normalise import norm_csv, norm_scalar, norm_vlan
from specc.graph.resources import DesiredResource, ResourceId

TAG = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789", min_size=1, max_size=8)


@given(st.lists(TAG, max_size=6))
def test_tags_compare_equal_in_any_order_and_form(tags: list[str]) -> None:
    joined = ",".join(reversed(tags))
    assert norm_csv(tags) == norm_csv(joined) == norm_csv(norm_csv(tags))


@given(
    st.one_of(st.booleans(), st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False))
)
def test_settings_read_back_as_text_compare_equal(value: object) -> None:
    assert norm_scalar(value) == norm_scalar(
        str(value).lower() if isinstance(value, bool) else str(value)
    )


@given(st.integers(1, 4094))
def test_vlan_forms_compare_equal(vlan: int) -> None:
    assert norm_vlan(vlan) == norm_vlan(f"vlan://{vlan}") == norm_vlan(str(vlan))


def test_compare_only_reports_readable_differing_fields() -> None:
    kind = KINDS["storagepool"]
    res = DesiredResource(
        ResourceId("storagepool", ("z", "p")),
        {"tags": "A,B", "url": "nfs://x/y", "capacitybytes": 5, "scope": "zone"},
    )
    live = {"tags": "B,A", "scope": "ZONE", "capacitybytes": 9}
    notes: set[str] = set()
    assert compare(res, kind, live, "4.18.0.0", notes) == ()
    assert {n.split(" ")[0] for n in notes} == {"storagepool.url", "storagepool.capacitybytes"}
    changes = compare(res, kind, live, "4.22.1.0", set())
    assert [(c.field, c.before, c.after) for c in changes] == [("capacitybytes", 9, 5)]
