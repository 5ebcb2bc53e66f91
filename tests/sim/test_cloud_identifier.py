"""getUser and getCloudIdentifier: one identifier per state file, signed as the server does.

apache/cloudstack 4.18.2.5: ``ConfigurationServerImpl.updateCloudIdentifier`` (a random
UUID made once), ``ManagementServerImpl.getCloudIdentifierResponse`` and ``signRequest``
(HmacSHA1 of the identifier with the user's secret key, base64), ``GetUserCmd``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path

from simhelp import raw_call

from specc.sim import running


def _identifier(state: Path) -> str:
    with running(state=state) as sim:
        status, body = raw_call(sim, "getUser", userapikey=sim.api_key)
        assert status == 200
        user = body["getuserresponse"]["user"]
        assert user["username"] == "admin" and user["apikey"] == sim.api_key
        status, body = raw_call(sim, "getCloudIdentifier", userid=user["id"])
        assert status == 200
        answer = body["getcloudidentifierresponse"]["cloudidentifier"]
        mac = hmac.new(sim.secret_key.encode(), answer["cloudidentifier"].encode(), hashlib.sha1)
        assert answer["signature"] == base64.b64encode(mac.digest()).decode()
        return str(answer["cloudidentifier"])


def test_one_identifier_per_state_file(tmp_path: Path) -> None:
    first = _identifier(tmp_path / "a.db")
    assert _identifier(tmp_path / "a.db") == first  # the same state, restarted
    assert _identifier(tmp_path / "b.db") != first  # another state: another cloud


def test_unknown_key_and_user_are_refused() -> None:
    with running() as sim:
        status, body = raw_call(sim, "getUser", userapikey="not-a-key")
        assert status == 431
        assert "User with specified API key does not exist" in str(body)
        other = "d3d1d5a8-0000-4000-8000-0000000000ff"
        status, body = raw_call(sim, "getCloudIdentifier", userid=other)
        assert status == 431
        assert "Unable to find active user of specified id" in str(body)
