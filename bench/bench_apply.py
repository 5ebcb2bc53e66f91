"""Benchmark: apply a generated 1,000-resource spec at 20 ms of API latency.

A simulator runs as its own process (``specc sim serve --latency 20``: every call
and every async job takes 20 ms). The spec (zones x pods x clusters x hosts +
offerings + templates, the generator of bench_plan.py) is planned against the
empty simulator and applied by the executor at the default parallelism (10).

Printed:

- the elapsed time of the apply;
- the critical-path bound, as the issue defines it: the longest dependency chain x
  latency, plus async job time (an API step costs one latency, an async one also its
  job: the simulator's job takes JOB_LATENCY_FACTOR x latency; a wait one latency),
  over the dependencies the executor honours (plan edges + per-zone stages); and
  the same over the plan's explicit edges only;
- the work bound: the API calls made x latency / parallelism (every call holds one
  of the N slots for one latency, so no schedule at parallelism N can beat it);
- elapsed / critical path (the issue's ratio, target <= 1.25); whether that target
  is reachable at all (it is not when the work bound exceeds 1.25 x the critical
  path); and elapsed / max(critical path, work bound);
- the same apply at zero latency (the CPU floor of simulator + client), and a
  check that a second plan has no changes.

Run: ``python bench/bench_apply.py`` (``--parallelism N``, ``--latency MS``).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import ModuleType

from specc.cloud.client import CloudClient, Credentials
from specc.cloud.live import read_live
from specc.core.steps import ApiCall, Plan, Wait
from specc.execute.executor import Executor, Settings
from specc.execute.journal import Journal, Progress, plan_identity
from specc.execute.schedule import dependencies
from specc.execute.secrets import Masker, SecretResolver
from specc.planning.compiler import compile_plan
from specc.render._common import has_changes
from specc.sim.dispatch import JOB_LATENCY_FACTOR
from specc.spec.models import Spec

HERE = Path(__file__).resolve().parent
SHAPE = {"zones": 1, "pods": 8, "clusters": 5, "hosts": 16, "offerings": 200, "templates": 50}


def _bench_plan() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_plan", HERE / "bench_plan.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_spec() -> Spec:
    """The bench_plan generator's spec, made appliable: networks and image stores."""
    data = _bench_plan().generate_spec(**SHAPE).model_dump(mode="json", exclude_none=True)
    data["subnets"].append(
        {
            "name": "public",
            "cidr": "203.0.113.0/24",
            "role": "public",
            "gateway": "203.0.113.1",
            "vlan": 100,
        }
    )
    data["backends"].append(
        {"name": "nfs-sec", "type": "nfs", "server": "10.0.0.21", "export": "/sec"}
    )
    for zone in data["zones"]:
        zone["physical_networks"] = [
            {
                "name": f"pn-{zone['name']}",
                "isolation": "VLAN",
                "vlan_ranges": ["500-599"],
                "traffic": [
                    {"type": "Management", "labels": {"kvm": "cloudbr0"}},
                    {"type": "Guest", "labels": {"kvm": "cloudbr1"}},
                    {"type": "Public", "labels": {"kvm": "cloudbr1"}},
                ],
            }
        ]
        zone["public_ranges"] = [
            {"subnet": "public", "start": "203.0.113.10", "end": "203.0.113.100"}
        ]
        zone["secondary_storage"] = [{"name": f"sec-{zone['name']}", "backend": "nfs-sec"}]
    return Spec.model_validate(data)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def process_cpu(pid: int) -> float:
    """CPU seconds process *pid* has used (Linux /proc; 0.0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def step_cost(step: object, latency_s: float) -> float:
    """The least time a step takes: one call's latency, plus its job if async."""
    if isinstance(step, ApiCall):
        return (1 + JOB_LATENCY_FACTOR if step.is_async else 1) * latency_s
    if isinstance(step, Wait):
        return latency_s
    return 0.0


def longest_path(plan: Plan, deps: dict[str, tuple[str, ...]], latency_s: float) -> float:
    """The longest chain of *deps*, each step weighted by :func:`step_cost`."""
    finish: dict[str, float] = {}
    for step in plan.steps:
        start = max((finish[d] for d in deps.get(step.id, ()) if d in finish), default=0.0)
        finish[step.id] = start + step_cost(step, latency_s)
    return max(finish.values(), default=0.0)


def measure(latency_ms: float, parallelism: int) -> dict[str, float]:
    """Apply the spec on a fresh simulator with *latency_ms*; the figures."""
    latency_s = latency_ms / 1000
    spec = build_spec()
    port, key, secret = _free_port(), "bench-key", "bench-secret"
    proc = subprocess.Popen(
        [
            "specc",
            "sim",
            "serve",
            "--port",
            str(port),
            "--latency",
            str(latency_ms),
            "--api-key",
            key,
            "--secret-key",
            secret,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    journal = Path(tempfile.mkdtemp(prefix="bench-apply-")) / "journal.jsonl"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the simulator did not start") from None
                time.sleep(0.1)
        client = CloudClient(Credentials(f"http://127.0.0.1:{port}/client/api", key, secret))
        plan = compile_plan(spec, read_live(client), spec_hash="sha256:bench")
        deps = dependencies(plan)
        explicit = {s.id: s.depends_on for s in plan.steps}
        env = {"KVM_ROOT_PASSWORD": "bench-password", **os.environ}
        executor = Executor(
            plan,
            client,
            Journal(journal, plan_identity(plan)),
            SecretResolver(env, HERE, Masker()),
            lambda step, resolver: "skipped",
            lambda event: None,
            Settings(parallelism=parallelism, wait_poll_s=max(latency_s, 0.01)),
        )
        calls0 = client.call_count
        started, cpu0, sim0 = time.perf_counter(), time.process_time(), process_cpu(proc.pid)
        executor.run(Progress())
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu0
        sim_cpu = process_cpu(proc.pid) - sim0
        calls = client.call_count - calls0
        again = compile_plan(spec, read_live(client), spec_hash="sha256:bench")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(journal.parent, ignore_errors=True)
    if has_changes(again):
        raise SystemExit("the second plan has changes: the apply did not converge")
    return {
        "resources": sum(1 for c in plan.changes if c.action == "create"),
        "steps": len(plan.steps),
        "calls": calls,
        "elapsed": elapsed,
        "cpu": cpu,
        "sim_cpu": sim_cpu,
        "cp": longest_path(plan, deps, latency_s),
        "cp_edges": longest_path(plan, explicit, latency_s),
        "work": calls * latency_s / parallelism,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parallelism", type=int, default=10)
    parser.add_argument("--latency", type=float, default=20.0, help="ms per call and job")
    args = parser.parse_args()
    m = measure(args.latency, args.parallelism)
    floor = measure(0.0, args.parallelism)["elapsed"]
    cp, work, elapsed = m["cp"], m["work"], m["elapsed"]
    print(
        f"resources created      {m['resources']:.0f}  (steps {m['steps']:.0f}, "
        f"API calls {m['calls']:.0f})"
    )
    print(
        f"latency                {args.latency:g} ms per call; an async job "
        f"{JOB_LATENCY_FACTOR * args.latency:g} ms"
    )
    print(f"parallelism            {args.parallelism}")
    print(
        f"elapsed                {elapsed:.2f} s  (CPU: client {m['cpu']:.2f} s, "
        f"simulator {m['sim_cpu']:.2f} s, on {os.cpu_count()} cores)"
    )
    print(f"critical-path bound    {cp:.2f} s  (chain x latency + job time; edges + zone stages)")
    print(f"critical path (edges)  {m['cp_edges']:.2f} s  (plan edges only)")
    print(
        f"work bound             {work:.2f} s  ({m['calls']:.0f} calls x {args.latency:g} ms"
        f" / {args.parallelism})"
    )
    print(f"same apply, 0 latency  {floor:.2f} s  (CPU floor of simulator + client)")
    print(f"ratio elapsed / critical path           {elapsed / cp:.2f}  (target <= 1.25)")
    if work > 1.25 * cp:
        print(
            f"  the target is unreachable in principle: the work bound ({work:.2f} s) exceeds "
            f"1.25 x the critical path ({1.25 * cp:.2f} s) at parallelism {args.parallelism}"
        )
    print(f"ratio elapsed / max(cp, work bound)     {elapsed / max(cp, work):.2f}")


if __name__ == "__main__":
    main()
