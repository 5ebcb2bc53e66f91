"""Every way to connect, and every way connecting fails, against the real simulator."""

from __future__ import annotations

import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from iohelp import FAST, client_for, closed_port, self_signed, specc

from specc.cli.common import open_client
from specc.cloud.client import CloudClient, Credentials, RetryPolicy
from specc.cloud.connect import connect
from specc.cloud.kinds import KINDS
from specc.cloud.live import read_live
from specc.errors import ApiError, ConnectionFailed
from specc.sim import running


def test_env_vars_connect(tmp_path: Path) -> None:
    with running(seed="devcloud") as sim, connect(env=sim.env(), home=tmp_path) as client:
        assert client.api_version() == "4.18.0.0"
        assert [z["name"] for z in client.list("listZones", "zone")]
        assert len(client.list("listZones", "zone")) == 1


def test_cloudstack_ini_profile(tmp_path: Path) -> None:
    with running() as sim:
        (tmp_path / ".cloudstack.ini").write_text(
            f"[lab]\nendpoint = {sim.endpoint}\nkey = {sim.api_key}\nsecret = {sim.secret_key}\n"
        )
        with connect(profile="lab", env={}, home=tmp_path) as client:
            assert client.api_version().startswith("4.18")


def test_cmk_profile(tmp_path: Path) -> None:
    with running(api_version="4.22") as sim:
        (tmp_path / ".cmk").mkdir()
        (tmp_path / ".cmk" / "config").write_text(
            "[core]\nprofile = lab\n\n"
            f"[lab]\nurl = {sim.endpoint}\napikey = {sim.api_key}\n"
            f"secretkey = {sim.secret_key}\nverifycert = true\n"
        )
        with connect(profile="lab", env={}, home=tmp_path) as client:
            assert client.api_version().startswith("4.22")


def test_unknown_profile_names_the_files_and_known_profiles(tmp_path: Path) -> None:
    (tmp_path / ".cloudstack.ini").write_text("[prod]\nendpoint = x\nkey = k\nsecret = s\n")
    with pytest.raises(ConnectionFailed) as err, connect(profile="lab", env={}, home=tmp_path):
        pass
    assert "no profile [lab]" in err.value.message and ".cmk/config" in err.value.message
    assert "prod" in err.value.hint


def test_incomplete_profile_and_env(tmp_path: Path) -> None:
    (tmp_path / ".cloudstack.ini").write_text("[lab]\nendpoint = http://x\nkey = k\n")
    with pytest.raises(ConnectionFailed, match="has no secret"):
        connect(profile="lab", env={}, home=tmp_path).__enter__()
    partial = {"CLOUDSTACK_ENDPOINT": "http://x", "CLOUDSTACK_KEY": "k"}
    with pytest.raises(ConnectionFailed, match="CLOUDSTACK_SECRET not set"):
        connect(env=partial, home=tmp_path).__enter__()


def test_nothing_configured_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConnectionFailed, match="no cloud to connect to") as err:
        connect(env={}, home=tmp_path).__enter__()
    assert "--profile" in err.value.hint and "CLOUDSTACK_ENDPOINT" in err.value.hint


def test_sim_with_state_keeps_state(tmp_path: Path) -> None:
    db = tmp_path / "sim.db"
    with open_client(profile=None, sim=True, sim_state=db) as client:
        client.call(
            "createZone", name="z9", dns1="8.8.8.8", internaldns1="10.0.0.1", networktype="Advanced"
        )
    with open_client(profile=None, sim=True, sim_state=db) as client:
        assert [z["name"] for z in client.list("listZones", "zone")] == ["z9"]


def test_unreachable_endpoint() -> None:
    client = client_for(f"http://127.0.0.1:{closed_port()}/client/api")
    with pytest.raises(ConnectionFailed, match=r"cannot reach http://127\.0\.0\.1:\d+/client/api"):
        client.api_version()
    assert client.call_count == FAST.attempts  # a read is retried, then given up


def test_unresolvable_host() -> None:
    client = client_for("http://no-such-host.invalid/client/api")
    with pytest.raises(ConnectionFailed, match=r"cannot reach http://no-such-host\.invalid"):
        client.api_version()


def test_bad_credentials() -> None:
    with running() as sim:
        client = client_for(sim.endpoint, sim.api_key, "wrong-secret")
        with pytest.raises(ConnectionFailed, match=r"refused the credentials \(401\)") as err:
            client.api_version()
        assert "secret" in err.value.hint
        assert client.call_count == 1  # never retried


def test_not_a_cloudstack_endpoint() -> None:
    with running() as sim:
        client = client_for(
            sim.endpoint.replace("/client/api", "/nothing"), sim.api_key, sim.secret_key
        )
        with pytest.raises((ConnectionFailed, ApiError)) as err:
            client.api_version()
        assert "404" in str(err.value)


def test_api_error_carries_command_status_and_text() -> None:
    with running() as sim:
        client = client_for(sim.endpoint, sim.api_key, sim.secret_key)
        with pytest.raises(ApiError) as err:
            client.call("createPod", zoneid="00000000-0000-0000-0000-000000000000", name="p")
        assert err.value.command == "createPod" and err.value.status >= 400
        assert err.value.text and err.value.cserrorcode > 0


def test_transient_5xx_on_reads_is_retried_and_writes_are_not_resent() -> None:
    with running(fault_rate=0.0) as sim:
        client = client_for(sim.endpoint, sim.api_key, sim.secret_key)
        sim.set_faults(fail=("listZones",))
        with pytest.raises(ApiError):
            client.list("listZones", "zone")
        # a 'fail' fault is a hard API error: not retried
        assert client.call_count == 1


class _Tls(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"listcapabilitiesresponse": {"capability": {}}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_tls_failure_has_its_own_message(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    server = HTTPServer(("127.0.0.1", 0), _Tls)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}/client/api"
        with pytest.raises(ConnectionFailed, match="TLS failure") as err:
            client_for(url).api_version()
        assert "verify" in err.value.hint
        # trusting the CA file gets through TLS (the fake answer has no version)
        with pytest.raises(ApiError, match="no cloudstackversion"):
            client_for(url, verify=str(cert)).api_version()
    finally:
        server.shutdown()
        server.server_close()


def test_read_live_one_call_per_kind() -> None:
    with running(seed="devcloud") as sim:
        client = client_for(sim.endpoint, sim.api_key, sim.secret_key)
        live = read_live(client)
        networks = len(live.items("physicalnetwork"))
        zones = len(live.items("zone"))
        settings = KINDS["configuration"].listing.also_per
        scope_objects = sum(len(live.items(scope.kind)) for scope in settings)
        global_pages = 2  # 751 settings on 4.18, 500 a page
        # capabilities + one list per kind + one traffic-type list per physical network
        # + VMware datacenters once per zone
        # + the settings: one more page, and one listing per zone, cluster, pool, ...
        assert client.call_count == (
            1 + (len(live.resources) - 2) + networks + zones + (global_pages - 1) + scope_objects
        )
        assert scope_objects == 6  # zone, cluster, pool, image store, ROOT, admin
        assert live.items("zone") and live.items("template") and live.items("configuration")


def test_read_live_pages_at_500() -> None:
    with running() as sim:
        client = client_for(sim.endpoint, sim.api_key, sim.secret_key)
        for i in range(501):
            client.call("createDiskOffering", name=f"d{i:03}", displaytext="d", disksize=1)
        before = client.call_count
        items = client.list("listDiskOfferings", "diskoffering", listall=True)
        assert len({i["name"] for i in items if i["name"].startswith("d")}) == 501
        assert client.call_count - before == 2


# -- the CLI: snapshot ---------------------------------------------------------------


def test_snapshot_cli_env_and_profile(tmp_path: Path) -> None:
    with running(seed="devcloud") as sim:
        out = tmp_path / "live.json"
        run = specc("snapshot", "-o", out, env=sim.env(), home=tmp_path)
        assert run.returncode == 0, run.stderr
        assert json.loads(out.read_text())["format"] == "specc-snapshot"
        (tmp_path / ".cloudstack.ini").write_text(
            f"[lab]\nendpoint = {sim.endpoint}\nkey = {sim.api_key}\nsecret = {sim.secret_key}\n"
        )
        run2 = specc("snapshot", "--profile", "lab", home=tmp_path)
        assert run2.returncode == 0 and run2.stdout == out.read_text()


def test_snapshot_cli_sim(tmp_path: Path) -> None:
    run = specc("snapshot", "--sim", home=tmp_path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["api_version"].startswith("4.18")


@pytest.mark.parametrize("case", ["unreachable", "credentials", "mid-refresh", "nothing"])
def test_snapshot_cli_errors_are_clear_and_write_nothing(tmp_path: Path, case: str) -> None:
    out = tmp_path / "live.json"
    with running(seed="devcloud", fail=("listClusters",)) as sim:
        env = sim.env()
        if case == "unreachable":
            env["CLOUDSTACK_ENDPOINT"] = f"http://127.0.0.1:{closed_port()}/client/api"
            expect = "cannot reach http://127.0.0.1:"
        elif case == "credentials":
            env["CLOUDSTACK_SECRET"] = "wrong"
            expect = "refused the credentials (401)"
        elif case == "mid-refresh":
            expect = "listClusters failed:"
        else:
            env = {}
            expect = "no cloud to connect to"
        run = specc("snapshot", "-o", out, env=env, home=tmp_path)
    assert run.returncode == 1
    assert expect in run.stderr, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not out.exists() and list(tmp_path.glob(".live.json*")) == []


def test_snapshot_option_conflicts(tmp_path: Path) -> None:
    run = specc("snapshot", "--sim-state", tmp_path / "s.db", home=tmp_path)
    assert run.returncode == 1 and "--sim-state needs --sim" in run.stderr


def _faulty(seed: int) -> tuple[Any, Any]:
    """A simulator failing every call (503 or a dropped answer), and a fast client."""
    ctx = running(fault_rate=1.0, fault_seed=seed)
    sim = ctx.__enter__()
    sim.config.timeout_hold_s = 0.3  # then the connection is closed without an answer
    return ctx, sim


def test_reads_are_retried_on_transient_errors() -> None:
    ctx, sim = _faulty(0)
    try:
        client = client_for(sim.endpoint, sim.api_key, sim.secret_key)
        with pytest.raises((ApiError, ConnectionFailed)):
            client.list("listZones", "zone")
        assert client.call_count == FAST.attempts and client.retries == FAST.attempts - 1
    finally:
        ctx.__exit__(None, None, None)


def test_write_503_is_retried_because_it_never_ran() -> None:
    ctx, sim = _faulty(0)  # seed 0: the first fault is a 503
    try:
        client = client_for(sim.endpoint, sim.api_key, sim.secret_key)
        with pytest.raises(ApiError):  # every later attempt fails too
            client.call("createDiskOffering", name="d", displaytext="d", disksize=1)
        assert client.call_count >= 2 and client.retries >= 1
    finally:
        ctx.__exit__(None, None, None)


def test_write_without_an_answer_is_not_resent() -> None:
    ctx, sim = _faulty(4)  # seed 4: the first fault drops the answer
    try:
        policy = RetryPolicy(attempts=3, backoff_s=0.01, request_timeout_s=1)
        client = CloudClient(Credentials(sim.endpoint, sim.api_key, sim.secret_key), policy)
        with pytest.raises(ApiError, match="it may have run") as err:
            client.call("createDiskOffering", name="d", displaytext="d", disksize=1)
        assert err.value.status == 0 and client.call_count == 1
    finally:
        ctx.__exit__(None, None, None)
