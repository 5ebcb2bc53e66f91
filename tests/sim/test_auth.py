"""Signatures are checked as the real server checks them: legacy, v3 with expires."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException
from simhelp import client

from specc.sim import Simulator
from specc.sim.auth import sign

UNAUTH = "unable to verify user credentials and/or request signature"


def raw_get(sim: Simulator, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
    url = sim.endpoint + "?" + urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_v3_signature_from_the_real_client_is_accepted(sim: Simulator) -> None:
    # cs signs with signatureVersion=3 and an expires ten minutes ahead by default
    assert client(sim).listZones() == {}


def test_legacy_signature_from_the_real_client_is_accepted(sim: Simulator) -> None:
    legacy = client(sim, expiration=-1)
    made = legacy.createZone(
        name="a", dns1="1.1.1.1", internaldns1="1.1.1.1", networktype="Advanced"
    )
    assert made["zone"]["name"] == "a"


def test_values_needing_encoding_sign_like_the_server(sim: Simulator) -> None:
    c = client(sim)
    # (no "~": the server encodes it as %7E before signing, the cs library does not)
    name = "zone with spaces/+*&=ü"
    c.createZone(name=name, dns1="1.1.1.1", internaldns1="1.1.1.1", networktype="Advanced")
    assert c.listZones(name=name)["zone"][0]["name"] == name
    post = client(sim, method="post")
    assert post.listZones(keyword="spaces/+")["count"] == 1


def test_tilde_is_signed_as_java_encodes_it(sim: Simulator) -> None:
    params = {"command": "listZones", "response": "json", "apiKey": sim.api_key, "name": "a~b"}
    unsigned = "&".join(
        f"{k}={urllib.parse.quote(params[k], safe='*').replace('~', '%7E')}" for k in sorted(params)
    ).lower()
    import base64
    import hashlib
    import hmac

    digest = hmac.new(sim.secret_key.encode(), unsigned.encode(), hashlib.sha1).digest()
    params["signature"] = base64.b64encode(digest).decode()
    assert raw_get(sim, params)[0] == 200


def test_wrong_secret_is_401_with_the_real_body(sim: Simulator) -> None:
    bad = CloudStack(endpoint=sim.endpoint, key=sim.api_key, secret="not-the-secret")
    with pytest.raises(CloudStackApiException) as err:
        bad.listZones()
    assert err.value.error["errorcode"] == 401
    assert err.value.error["errortext"] == UNAUTH


def test_unknown_api_key_is_401(sim: Simulator) -> None:
    bad = CloudStack(endpoint=sim.endpoint, key="someone-else", secret=sim.secret_key)
    with pytest.raises(CloudStackApiException) as err:
        bad.listZones()
    assert err.value.error["errorcode"] == 401


def _signed(sim: Simulator, **extra: str) -> dict[str, str]:
    params = {"command": "listZones", "response": "json", "apiKey": sim.api_key, **extra}
    params["signature"] = sign(params, sim.secret_key)
    return params


def test_missing_signature_is_401(sim: Simulator) -> None:
    status, body = raw_get(sim, {"command": "listZones", "response": "json", "apiKey": sim.api_key})
    assert status == 401
    assert body == {"listzonesresponse": {"uuidList": [], "errorcode": 401, "errortext": UNAUTH}}


def test_expired_v3_request_is_401(sim: Simulator) -> None:
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S+0000")
    status, _ = raw_get(sim, _signed(sim, signatureVersion="3", expires=past))
    assert status == 401


def test_v3_without_expires_is_401(sim: Simulator) -> None:
    status, _ = raw_get(sim, _signed(sim, signatureVersion="3"))
    assert status == 401


def test_future_expires_is_accepted_and_tampering_is_not(sim: Simulator) -> None:
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S+0000")
    params = _signed(sim, signatureVersion="3", expires=future)
    assert raw_get(sim, params)[0] == 200
    params["expires"] = (dt.datetime.now(dt.UTC) + dt.timedelta(days=5)).strftime(
        "%Y-%m-%dT%H:%M:%S+0000"
    )
    assert raw_get(sim, params)[0] == 401


def test_given_keys_are_used() -> None:
    from specc.sim import running

    with running(api_key="my-key", secret_key="my-secret") as sim:
        assert (sim.api_key, sim.secret_key) == ("my-key", "my-secret")
        assert sim.env()["CLOUDSTACK_KEY"] == "my-key"
        assert client(sim).listZones() == {}
