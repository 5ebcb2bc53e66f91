"""Simulator throughput at latency 0: list and create requests per second.

Run: python bench/bench_sim.py [--seconds 3] [--clients 4]
Targets on the project machine: at least 1,000 list/s and 300 create/s.
The simulator runs as `specc sim serve` in its own process (as users run it). Two
kinds of clients, each in its own process:

* ``cs``: the real `cs` client (requests session, v3 signatures): what a user sees,
  bounded by the client's own CPU cost on a small machine;
* ``raw``: a keep-alive ``http.client`` connection sending signed GETs: the
  simulator's own capacity.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from cs import CloudStack

from specc.sim.auth import sign


def _client(env: dict[str, str]) -> CloudStack:
    return CloudStack(
        endpoint=env["CLOUDSTACK_ENDPOINT"],
        key=env["CLOUDSTACK_KEY"],
        secret=env["CLOUDSTACK_SECRET"],
    )


def serve() -> tuple[subprocess.Popen[str], dict[str, str]]:
    """Start `specc sim serve` on a free port; its process and CLOUDSTACK_* values."""
    code = "from specc.cli.app import main; main()"
    argv = [sys.executable, "-c", code, "sim", "serve", "--port", "0", "--seed", "devcloud"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    env: dict[str, str] = {}
    assert proc.stdout is not None
    for _ in range(3):
        name, _, value = proc.stdout.readline().removeprefix("export ").strip().partition("=")
        env[name] = value
    return proc, env


def _raw(env: dict[str, str]) -> Callable[[str, dict[str, str]], int]:
    """A keep-alive HTTP connection sending signed GETs; returns the status."""
    url = urlsplit(env["CLOUDSTACK_ENDPOINT"])
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port)

    def call(command: str, params: dict[str, str]) -> int:
        query = {"command": command, "response": "json", "apiKey": env["CLOUDSTACK_KEY"]}
        query.update(params)
        query["signature"] = sign(query, env["CLOUDSTACK_SECRET"])
        conn.request("GET", f"{url.path}?{urlencode(query)}")
        resp = conn.getresponse()
        resp.read()
        return resp.status

    return call


def _work(
    env: dict[str, str],
    n: int,
    seconds: float,
    op: Callable[[Any, int, int], None],
    make: Callable[[dict[str, str]], Any],
    out: Any,
) -> None:
    """One client process: run *op* for *seconds*, report how many calls it made."""
    c = make(env)
    stop = time.monotonic() + seconds
    i = 0
    while time.monotonic() < stop:
        op(c, n, i)
        i += 1
    out.put(i)


def measure(
    env: dict[str, str],
    clients: int,
    seconds: float,
    op: Callable[[Any, int, int], None],
    make: Callable[[dict[str, str]], Any] = _client,
) -> float:
    """Requests per second of *op* run by *clients* client processes for *seconds*.

    Processes, not threads: the clients' own CPU cost must not share one
    interpreter lock and be mistaken for the simulator's.
    """
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_work, args=(env, n, seconds, op, make, out)) for n in range(clients)
    ]
    started = time.monotonic()
    for proc in procs:
        proc.start()
    total = sum(out.get() for _ in procs)
    for proc in procs:
        proc.join()
    return total / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    proc, env = serve()
    try:
        zone_id = _client(env).listZones()["zone"][0]["id"]

        def list_op(c: CloudStack, n: int, i: int) -> None:
            c.listZones()

        def create_op(c: CloudStack, n: int, i: int) -> None:
            c.createPod(
                zoneid=zone_id, name=f"bench-{n}-{i}", gateway="10.9.0.1", netmask="255.255.0.0"
            )

        def raw_list(call: Any, n: int, i: int) -> None:
            assert call("listZones", {}) == 200

        def raw_create(call: Any, n: int, i: int) -> None:
            params = {
                "zoneid": zone_id,
                "name": f"raw-{n}-{i}",
                "gateway": "10.9.0.1",
                "netmask": "255.255.0.0",
            }
            assert call("createPod", params) == 200

        lists = measure(env, args.clients, args.seconds, list_op)
        creates = measure(env, args.clients, args.seconds, create_op)
        raw_lists = measure(env, args.clients, args.seconds, raw_list, _raw)
        raw_creates = measure(env, args.clients, args.seconds, raw_create, _raw)
        pods = _client(env).listPods(pagesize=1, page=1)["count"]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)

    def verdict(value: float, target: int) -> str:
        return "OK" if value >= target else "BELOW"

    print(f"clients: {args.clients} processes, {args.seconds:.0f} s per measure, latency 0")
    print(f"list requests/s   (cs client): {lists:7.0f}")
    print(f"create requests/s (cs client): {creates:7.0f}")
    print(f"list requests/s   (raw HTTP):  {raw_lists:7.0f}  >= 1000 {verdict(raw_lists, 1000)}")
    print(f"create requests/s (raw HTTP):  {raw_creates:7.0f}  >=  300 {verdict(raw_creates, 300)}")
    print(f"pods stored at the end: {pods}")


if __name__ == "__main__":
    main()
