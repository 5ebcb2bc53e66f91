"""Error answers: codes and bodies as the real server gives them, never a traceback."""

from __future__ import annotations

import http.client
import json
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
from cs import CloudStack, CloudStackApiException
from simhelp import ZONE

from specc.sim import Simulator


def api_error(call: Any, **params: Any) -> dict[str, Any]:
    with pytest.raises(CloudStackApiException) as err:
        call(**params)
    error: dict[str, Any] = err.value.error
    return error


def test_missing_parameter(cs: CloudStack) -> None:
    err = api_error(cs.createZone, name="z")
    assert err == {
        "uuidList": [],
        "errorcode": 431,
        "cserrorcode": 4350,
        "errortext": "Unable to execute API command createzone due to missing parameter dns1",
    }


def test_bad_uuid_and_bad_number(cs: CloudStack) -> None:
    zone = cs.createZone(**ZONE)["zone"]
    err = api_error(cs.listPods, zoneid="not-a-uuid")
    assert err["errorcode"] == 431
    assert "Invalid parameter zoneid value=not-a-uuid" in err["errortext"]
    pod = cs.createPod(zoneid=zone["id"], name="p", gateway="10.0.0.1", netmask="255.255.255.0")[
        "pod"
    ]
    err = api_error(
        cs.createStorageNetworkIpRange,
        podid=pod["id"],
        gateway="10.1.0.1",
        netmask="255.255.255.0",
        startip="10.1.0.5",
        vlan="abc",
    )
    assert err["errortext"] == (
        "Unable to execute API command createstoragenetworkiprange due to invalid value "
        "abc for parameter vlan"
    )


def test_unknown_uuid_is_431(cs: CloudStack) -> None:
    err = api_error(cs.deleteZone, id="6a0a3e2c-4b8e-4c4b-9a6e-2f7c3f0d1e2a")
    assert err["errorcode"] == 431
    assert err["cserrorcode"] == 4350


def test_unknown_command_is_432(cs: CloudStack) -> None:
    err = api_error(cs.createNothing)
    assert err["errorcode"] == 432
    assert err["errortext"] == ("The given command does not exist or it is not available for user")


def test_deleting_a_zone_with_pods_fails_with_530(cs: CloudStack) -> None:
    zone = cs.createZone(**ZONE)["zone"]
    cs.createPod(zoneid=zone["id"], name="p", gateway="10.0.0.1", netmask="255.255.255.0")
    err = api_error(cs.deleteZone, id=zone["id"])
    assert err["errorcode"] == 530
    assert err["errortext"] == "The zone cannot be deleted because there are pods in this zone."
    assert cs.listZones()["count"] == 1


def _raw(
    sim: Simulator, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    url = urlsplit(sim.endpoint)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, json.loads(data)


def test_oversized_body_is_refused_at_once(sim: Simulator) -> None:
    # the answer comes from the declared length alone: no waiting for 2 MiB
    url = urlsplit(sim.endpoint)
    with socket.create_connection((url.hostname or "", url.port or 0), timeout=5) as sock:
        sock.sendall(
            b"POST /client/api HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 2097152\r\n\r\ncommand=listZones&"
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert "larger than max length" in json.loads(body)["errorresponse"]["errortext"]


def test_no_command_is_400(sim: Simulator) -> None:
    status, body = _raw(sim, "GET", "/client/api?response=json")
    assert status == 400
    assert body["errorresponse"]["errortext"] == "no command specified"


def test_other_paths_are_404(sim: Simulator) -> None:
    assert _raw(sim, "GET", "/nope")[0] == 404


def test_malformed_query_and_length_get_answers(sim: Simulator) -> None:
    status, _ = _raw(sim, "GET", "/client/api?%zz&command=listZones&&=&response=json")
    assert status == 401
    status, _ = _raw(sim, "POST", "/client/api", b"", {"Content-Length": "abc"})
    assert status == 400


def test_a_handler_failure_is_a_530_body_not_a_traceback(sim: Simulator, cs: CloudStack) -> None:
    zone = cs.createZone(**ZONE)["zone"]
    sim.tamper("zone", zone["id"], name=None, networktype=None)  # a corrupt row
    err = api_error(
        cs.createPod, zoneid=zone["id"], name="p", gateway="10.0.0.1", netmask="255.255.255.0"
    )
    assert err["errorcode"] == 530
    assert err["errortext"].startswith("Internal error executing command")
    err = api_error(cs.createPhysicalNetwork, zoneid=zone["id"], name="pn")  # async: a failed job
    assert err["errorcode"] == 530
    assert cs.listPhysicalNetworks() == {}


def test_ids_are_checked_including_removed_ones(cs: CloudStack) -> None:
    err = api_error(cs.listZones, id="6a0a3e2c-4b8e-4c4b-9a6e-2f7c3f0d1e2a")
    assert err["errorcode"] == 431
    zone = cs.createZone(**ZONE)["zone"]
    cs.deleteZone(id=zone["id"])
    assert cs.listZones(id=zone["id"]) == {}  # removed, not unknown
    err = api_error(cs.deleteZone, id=zone["id"])
    assert err["errorcode"] == 431
