"""Benchmark: a no-change plan of a generated 10,000-resource cloud.

The cloud (zones x pods x clusters x hosts + offerings + templates) is generated as
a spec, materialised into a snapshot whose items match it, and loaded into a
simulator started as a separate process (``specc sim serve --seed``), so this
process's CPU time and memory are specc's own. Then: read the live state with list
calls (specc's reader on ``cs``, paged at 500), compile the plan (which must have no
changes), and print

- the API calls made beside the bound kinds x zones x pages,
- the CPU time of this process (what is spent beyond waiting on the API),
- the peak memory (max RSS) of this process,
- the 10k/1k time ratio.

Run: ``python bench/bench_plan.py`` (``--quick`` for a 1k cloud only).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from specc.cli.common import long_lived
from specc.cloud.client import CloudClient, Credentials
from specc.cloud.kinds import KINDS as KIND_TABLES
from specc.cloud.live import read_live
from specc.cloud.state import KINDS, LiveState
from specc.graph.build import build_desired
from specc.graph.resources import DesiredResource, ResourceId, read_scopes
from specc.planning.compiler import compile_plan
from specc.render._common import has_changes
from specc.spec.models import Spec

REPO = Path(__file__).resolve().parents[1]
PARENT_FIELDS = {"zoneid": "zone", "podid": "pod", "clusterid": "cluster"}


def generate_spec(
    zones: int, pods: int, clusters: int, hosts: int, offerings: int, templates: int
) -> Spec:
    """A spec of the given shape (KVM clusters on NFS, offerings, templates)."""
    zone_list = []
    subnets = []
    for z in range(zones):
        subnets.append(
            {
                "name": f"m{z}",
                "cidr": f"10.{z}.0.0/16",
                "role": "management",
                "gateway": f"10.{z}.0.1",
            }
        )
        pod_list = []
        for p in range(pods):
            cl = []
            for c in range(clusters):
                hs = [
                    {
                        "name": f"h{z}-{p}-{c}-{h}",
                        "address": f"10.{z}.{p * clusters + c}.{h + 10}",
                        "password": {"env": "KVM_ROOT_PASSWORD"},
                        "tags": ["general"],
                    }
                    for h in range(hosts)
                ]
                cl.append({"name": f"c{z}-{p}-{c}", "hypervisor": "KVM", "hosts": hs})
            pod_list.append(
                {
                    "name": f"p{z}-{p}",
                    "subnet": f"m{z}",
                    "start_ip": f"10.{z}.250.{p + 1}",
                    "end_ip": f"10.{z}.250.{p + 1}",
                    "clusters": cl,
                }
            )
        zone_list.append(
            {
                "name": f"zone{z}",
                "dns": ["8.8.8.8"],
                "internal_dns": [f"10.{z}.0.2"],
                "pods": pod_list,
                "primary_storage": [
                    {
                        "name": f"nfs{z}",
                        "backend": "nfs",
                        "scope": "zone",
                        "hypervisor": "KVM",
                        "tags": ["NFS"],
                    }
                ],
            }
        )
    half = offerings // 2
    return Spec.model_validate(
        {
            "subnets": subnets,
            "backends": [{"name": "nfs", "type": "nfs", "server": "10.0.0.20", "export": "/p"}],
            "zones": zone_list,
            "offerings": {
                "disk": [
                    {"name": f"d{i}", "size_gb": 1 + i % 500, "storage_tags": ["NFS"]}
                    for i in range(half)
                ],
                "compute": [
                    {
                        "name": f"s{i}",
                        "cpu_number": 1 + i % 8,
                        "cpu_speed_mhz": 2000,
                        "memory_mb": 1024,
                        "storage_tags": ["NFS"],
                    }
                    for i in range(offerings - half)
                ],
            },
            "templates": [
                {
                    "name": f"t{i}",
                    "url": f"https://img.example/t{i}.qcow2",
                    "format": "QCOW2",
                    "hypervisor": "KVM",
                    "os_type": "Rocky Linux 9",
                    "zones": [f"zone{i % zones}"],
                }
                for i in range(templates)
            ],
        }
    )


def _id(rid: ResourceId) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, str(rid)))


def materialise(desired: dict[ResourceId, DesiredResource], version: str) -> LiveState:
    """Live items that match *desired* exactly (what a converged cloud lists)."""
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    for rid, res in desired.items():
        kind = KIND_TABLES[rid.kind]
        # an item is listed under its match key (a host by its address, not its spec name)
        listed = res.match_key or rid.key
        item: dict[str, Any] = {"id": _id(rid), "name": listed[-1]}
        for param, parent in res.parents.items():
            item[param] = _id(parent)
            if param == "zoneid":
                item["zonename"] = parent.key[0]
        for f in kind.fields:
            if f.list_field and f.name in res.attrs and res.attrs[f.name] is not None:
                item[f.list_field] = f.normalise(res.attrs[f.name])
        if rid.kind == "host":
            item.update(ipaddress=listed[-1], type="Routing")
        if rid.kind == "template":
            item.update(name=rid.key[0], hypervisor=rid.key[2], templatetype="USER", isready=True)
        out[rid.kind].append(item)
    out["ostype"] = [{"id": "os-rocky9", "description": "Rocky Linux 9"}]
    # kinds the spec does not make (the ROOT domain and its admin account, the
    # settings) stay as a fresh server has them
    return LiveState(version, {k: tuple(v) for k, v in out.items() if v})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(shape: dict[str, int], version: str = "4.18") -> dict[str, float]:
    """Seed a simulator with *shape*, then read + plan; the figures of the run."""
    spec = generate_spec(**shape)
    desired = build_desired(spec)
    live0 = materialise(desired, "4.18.0.0")
    resources = sum(len(v) for k, v in live0.resources.items() if k != "ostype")

    from specc.cloud.snapshot import dump_snapshot

    with tempfile.TemporaryDirectory() as tmp:
        snap = Path(tmp) / "cloud.json"
        snap.write_text(dump_snapshot(live0))
        port = _free_port()
        key, secret = "bench-key", "bench-secret"
        proc = subprocess.Popen(
            [
                "specc",
                "sim",
                "serve",
                "--port",
                str(port),
                "--seed",
                str(snap),
                "--api-version",
                version,
                "--api-key",
                key,
                "--secret-key",
                secret,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            endpoint = f"http://127.0.0.1:{port}/client/api"
            deadline = time.monotonic() + 120
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(
                            f"simulator did not start: {proc.stderr.read()!r}"
                        ) from None
                    time.sleep(0.1)
            client = CloudClient(Credentials(endpoint, key, secret))
            cpu0, wall0 = time.process_time(), time.perf_counter()
            # as `specc plan` reads (the spec's setting scopes; long_lived: gc.freeze)
            live = long_lived(read_live(client, scopes=read_scopes(desired.values())))
            cpu1, wall1 = time.process_time(), time.perf_counter()
            plan = compile_plan(spec, live, spec_hash="sha256:bench")
            cpu2, wall2 = time.process_time(), time.perf_counter()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    if has_changes(plan):
        changed = [c for c in plan.changes if c.action != "noop"][:5]
        raise SystemExit(f"the no-change plan has changes: {changed}")
    largest = max(len(v) for v in live.resources.values())
    pages = max(1, math.ceil(largest / 500))
    return {
        "resources": resources,
        "calls": client.call_count,
        "bound": len(KINDS) * shape["zones"] * pages,
        "read_wall": wall1 - wall0,
        "read_cpu": cpu1 - cpu0,
        "plan_cpu": cpu2 - cpu1,
        "wall": wall2 - wall0,
        "cpu": cpu2 - cpu0,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


SMALL = {"zones": 1, "pods": 10, "clusters": 10, "hosts": 8, "offerings": 200, "templates": 50}
LARGE = {"zones": 10, "pods": 10, "clusters": 10, "hosts": 8, "offerings": 2000, "templates": 500}


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
        f"own CPU beyond API waits: {large['cpu']:.2f} s "
        f"(read {large['read_cpu']:.2f} s + compile {large['plan_cpu']:.2f} s; target < 3 s)"
    )
    print(f"peak memory (max RSS): {large['maxrss_mb']:.0f} MB (target < 300 MB)")
    print(
        f"10k/1k time ratio: own CPU {large['cpu'] / small['cpu']:.1f}, wall "
        f"{large['wall'] / small['wall']:.1f} (wall includes the simulator's serving time; "
        "target <= 12)"
    )


if __name__ == "__main__":
    main()
