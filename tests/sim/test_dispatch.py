"""The handler API through the dispatcher, without sockets."""

from __future__ import annotations

from specc.sim.dispatch import Dispatcher
from specc.sim.handlers import load_handlers
from specc.sim.store import Store

ZONE = {"name": "z1", "dns1": "8.8.8.8", "internaldns1": "10.0.0.1", "networktype": "Advanced"}


def make() -> Dispatcher:
    return Dispatcher(Store(), load_handlers(), "4.18.0.0")


def test_create_then_list_zone() -> None:
    d = make()
    made = d.call("createZone", ZONE)
    assert made.status == 200
    zone = made.body["createzoneresponse"]["zone"]
    listed = d.call("listZones", {"id": zone["id"]}).body["listzonesresponse"]
    assert listed == {"count": 1, "zone": [zone]}


def test_missing_parameter_is_431_with_the_real_text() -> None:
    ans = make().call("createZone", {"name": "z"})
    assert ans.status == 431
    err = ans.body["createzoneresponse"]
    assert err["cserrorcode"] == 4350
    assert err["errortext"] == (
        "Unable to execute API command createzone due to missing parameter dns1"
    )


def test_empty_list_is_an_empty_object() -> None:
    assert make().call("listZones", {}).body == {"listzonesresponse": {}}


def test_unknown_command_is_432() -> None:
    assert make().call("createNothing", {}).status == 432
