"""The client works out its proxies once per host, and still honours the environment."""

from __future__ import annotations

import socket

import pytest

from specc.cloud.client import CloudClient, Credentials, RetryPolicy
from specc.errors import ConnectionFailed
from specc.sim import running

PROXY_VARS = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY")
ONCE = RetryPolicy(attempts=1, request_timeout_s=2)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_proxy_in_the_environment_is_used_and_no_proxy_bypasses_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{_closed_port()}")
    with running() as sim:
        creds = Credentials(sim.endpoint, sim.api_key, sim.secret_key)
        through_proxy = CloudClient(creds, ONCE)
        with pytest.raises(ConnectionFailed, match="cannot reach"):
            through_proxy.call("listZones")
        with pytest.raises(ConnectionFailed, match="cannot reach"):
            through_proxy.call("listZones")  # the remembered proxy, still used
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        direct = CloudClient(creds, ONCE)
        for _ in range(3):
            assert direct.call("listZones") == {}
        assert direct.call_count == 3
