"""The shared value types behave as their docstrings promise."""

from specc.cloud.state import LiveState
from specc.core.ids import ResourceId


def test_resource_id_round_trip_and_order() -> None:
    a = ResourceId("pod", ("z1", "p1"))
    b = ResourceId("pod", ("z1", "p2"))
    assert ResourceId.parse(str(a)) == a
    assert sorted([b, a]) == [a, b]


def test_fingerprint_ignores_order_but_not_content() -> None:
    s1 = LiveState("4.18.0.0", {"zone": ({"id": "1", "name": "a"}, {"id": "2", "name": "b"})})
    s2 = LiveState("4.18.0.0", {"zone": ({"name": "b", "id": "2"}, {"id": "1", "name": "a"})})
    s3 = LiveState("4.18.0.0", {"zone": ({"id": "1", "name": "a"}, {"id": "2", "name": "c"})})
    assert s1.fingerprint() == s2.fingerprint()
    assert s1.fingerprint() != s3.fingerprint()
