"""Benchmark: ``specc import`` of a generated 10,000-resource cloud.

The cloud is bench_plan.py's (zones x pods x clusters x hosts, offerings,
templates), materialised into a snapshot and served by a simulator in a separate
process (``specc sim serve --seed``), so this process's CPU time and memory are
specc's own. Then: read the live state with list calls (specc's reader on ``cs``,
paged at 500) and import it (spec text). Printed:

- the API calls made beside the bound kinds x zones x pages,
- the CPU time of this process for read + import (what is spent beyond waiting on
  the API; target < 3 s), and of the import alone,
- the peak memory (max RSS) of this process (target < 300 MB).

Afterwards (not timed) the imported spec is planned against the same live state:
it must have no changes.

Run: ``python bench/bench_import.py`` (``--quick`` for a 1k cloud only).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_plan import LARGE, SMALL, _free_port, generate_spec, materialise

import specc
from specc.cli.common import long_lived
from specc.cloud.client import CloudClient, Credentials
from specc.cloud.live import read_live
from specc.cloud.snapshot import dump_snapshot
from specc.cloud.state import KINDS, LiveState
from specc.graph.build import build_desired
from specc.importer import Selection, import_live
from specc.render._common import has_changes

ROOT_DOMAIN = "d3d1d5a8-0000-4000-8000-000000000003"


def run(shape: dict[str, int]) -> dict[str, float]:
    """Seed a simulator with *shape*, then read + import; the figures of the run."""
    live0 = materialise(build_desired(generate_spec(**shape)), "4.18.0.0")
    # A pool lists its type, server and path (bench_plan's items carry only the fields
    # it compares); the caller's domain and account, which listAccounts needs.
    pools = tuple(
        {
            **p,
            "type": "NetworkFilesystem",
            "ipaddress": f"10.{str(p['zonename']).removeprefix('zone')}.0.20",  # its zone's
            "path": "/p",
        }
        for p in live0.items("storagepool")
    )
    live0 = LiveState(
        live0.api_version,
        {
            **live0.resources,
            "storagepool": pools,
            "domain": (
                {"id": ROOT_DOMAIN, "name": "ROOT", "level": 0, "path": "ROOT", "state": "Active"},
            ),
            "account": (
                {
                    "id": "d3d1d5a8-0000-4000-8000-000000000001",
                    "name": "admin",
                    "accounttype": 1,
                    "roletype": "Admin",
                    "rolename": "Root Admin",
                    "domainid": ROOT_DOMAIN,
                    "domain": "ROOT",
                    "domainpath": "ROOT",
                    "state": "enabled",
                    "isdefault": True,
                    "groups": [],
                },
            ),
        },
    )
    resources = sum(len(v) for k, v in live0.resources.items() if k != "ostype")
    with tempfile.TemporaryDirectory() as tmp:
        snap = Path(tmp) / "cloud.json"
        snap.write_text(dump_snapshot(live0))
        port = _free_port()
        key, secret = "bench-key", "bench-secret"
        serve = ("sim", "serve", "--port", str(port), "--seed", str(snap))
        proc = subprocess.Popen(
            [sys.executable, "-m", "specc.cli", *serve, "--api-key", key, "--secret-key", secret],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            import socket

            deadline = time.monotonic() + 120
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("simulator did not start") from None
                    time.sleep(0.1)
            endpoint = f"http://127.0.0.1:{port}/client/api"
            client = CloudClient(Credentials(endpoint, key, secret))
            selection = Selection()
            cpu0, wall0 = time.process_time(), time.perf_counter()
            # as `specc import` reads (long_lived: gc.freeze)
            live = long_lived(read_live(client, selection.kinds(), scopes=selection.scopes()))
            cpu1 = time.process_time()
            imported = import_live(live)
            cpu2, wall2 = time.process_time(), time.perf_counter()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        spec = Path(tmp) / "spec.yaml"
        # The placeholders of this cloud are the KVM hosts' OS families.
        spec.write_text(re.sub(r"'<fill in: OS family[^>]*>'", "el9", imported.files["spec.yaml"]))
        plan = specc.plan(spec, live, scripts=False)
    if has_changes(plan):
        changed = [c for c in plan.changes if c.action != "noop"][:5]
        raise SystemExit(f"the imported spec plans changes: {changed}")
    largest = max(len(v) for v in live.resources.values())
    pages = max(1, math.ceil(largest / 500))
    return {
        "resources": resources,
        "calls": client.call_count,
        "bound": len(KINDS) * shape["zones"] * pages,
        "read_cpu": cpu1 - cpu0,
        "import_cpu": cpu2 - cpu1,
        "cpu": cpu2 - cpu0,
        "wall": wall2 - wall0,
        "maxrss_mb": rss,
        "spec_kb": len(imported.files["spec.yaml"]) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the 1k cloud")
    args = parser.parse_args()
    os.environ.setdefault("KVM_ROOT_PASSWORD", "unused")
    small = run(SMALL)
    print(f"1k cloud:  {json.dumps({k: round(v, 3) for k, v in small.items()})}")
    if args.quick:
        return
    large = run(LARGE)
    print(f"10k cloud: {json.dumps({k: round(v, 3) for k, v in large.items()})}")
    print(f"API calls: {large['calls']} (bound kinds x zones x pages = {large['bound']})")
    print(
        f"own CPU beyond API waits: {large['cpu']:.2f} s (read {large['read_cpu']:.2f} s + "
        f"import {large['import_cpu']:.2f} s; target < 3 s)"
    )
    print(f"peak memory (max RSS): {large['maxrss_mb']:.0f} MB (target < 300 MB)")


if __name__ == "__main__":
    main()
