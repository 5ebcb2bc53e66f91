"""Benchmark: applies under faults, per example, over seeded runs.

For every example spec and every seed, a fresh simulator runs with 5 % faults and
5 ms latency (``specc sim serve --fault-rate 0.05 --latency 5 --fault-seed N``): half
the faulted calls answer 503, half are held and their connection closed without an
answer (by default after the call ran: the client cannot tell whether its change
happened, the case that makes duplicates). Each run plans the example against the
empty cloud and applies it as ``specc apply`` does (the client's default retry
policy, the executor's default settings; host scripts skipped); a failed apply is
run again (it resumes from its journal), and a plan that still has changes is made
and applied again, until the plan is empty (at most 5 applies).

Printed per example, over the seeds: applies to converge (how many runs needed 1, 2,
...), wall time of the runs (median and max), duplicates (live objects answering to
one natural key: must be 0), and the time of a ``drift`` under the same faults
(read the live state and compare: median and max).

Run: ``python bench/bench_faults.py`` (``--seeds N``, ``--examples a,b``,
``--fault-rate P``, ``--latency MS``, ``--hold S``: how long a dropped call is held
before its connection is closed (the simulator's 30 s by default; a shorter hold
makes the bench quicker, and a lost answer is then a closed connection rather than
a client timeout), ``--before-call``: drop calls before they run, as
``specc sim serve`` does, ``--jobs N``: runs at once, each with its own simulator;
the runs mostly wait, so this shortens the bench without changing a run).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from specc.cloud.client import CloudClient, Credentials
from specc.cloud.kinds import KINDS
from specc.cloud.kinds.base import LiveIndex
from specc.cloud.live import read_live
from specc.cloud.state import LiveState
from specc.core.steps import Concat, HostScript, Plan, SecretParam
from specc.errors import SpeccError
from specc.execute.journal import Journal, plan_identity
from specc.execute.run import run_apply
from specc.execute.secrets import Masker, SecretResolver
from specc.planning.compiler import compile_plan
from specc.render._common import has_changes
from specc.sim import running
from specc.spec import require

REPO = Path(__file__).resolve().parents[1]
MAX_APPLIES = 5


def secrets_of(plan: Plan) -> dict[str, str]:
    """A fake value for every environment secret the plan references."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, SecretParam) and value.source == "env":
            found.add(value.name)
        elif isinstance(value, Concat):
            for part in value.parts:
                walk(part)

    for step in plan.steps:
        for value in getattr(step, "params", {}).values():
            walk(value)
        if isinstance(step, HostScript):
            for ref in step.secrets:
                walk(ref)
    return {name: f"bench-{name.lower()}" for name in found}


def duplicates(live: LiveState) -> int:
    """Natural keys that more than one live item answers to."""
    index = LiveIndex(live.resources)
    count = 0
    for name, kind in KINDS.items():
        seen: dict[tuple[str, ...], set[str]] = {}
        for item in live.items(name):
            key = kind.key(item, index)
            if key is not None:
                seen.setdefault(key, set()).add(str(item.get("id")))
        count += sum(1 for ids in seen.values() if len(ids) > 1)
    return count


def with_local_files(example: Path, dest: Path) -> Path:
    """A copy of *example* whose file secrets (``/etc/...``) are files made under *dest*."""
    text = example.read_text()
    for found in sorted(set(re.findall(r"file:\s*(/[^\s},]+)", text))):
        local = dest / "secrets" / Path(found).name
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_text(f"bench-file-secret-{local.name}\n")
        text = text.replace(found, str(local))
    out = dest / example.name
    out.write_text(text)
    return out


def plan_for(path: Path, live: LiveState) -> Plan:
    validated = require([path])
    assert validated.spec is not None
    return compile_plan(validated.spec, live, spec_hash=validated.spec_hash)


def one_run(path: Path, seed: int, args: argparse.Namespace, work: Path) -> dict[str, float]:
    """Converge *path* on a fresh faulty simulator; the figures of the run."""
    with running(latency_ms=args.latency, fault_rate=args.fault_rate, fault_seed=seed) as sim:
        sim.config.timeout_hold_s = args.hold
        sim.set_faults(timeouts_after_call=not args.before_call)
        api = CloudClient(Credentials(sim.endpoint, sim.api_key, sim.secret_key))
        started = time.monotonic()
        applies = 0
        plan = plan_for(path, read_live(api))
        while has_changes(plan) and applies < MAX_APPLIES:
            journal = work / f"{path.stem}-{seed}-{applies}.jsonl"
            env = secrets_of(plan)
            for _ in range(MAX_APPLIES - applies):
                applies += 1
                try:
                    run_apply(
                        plan,
                        api,
                        Journal(journal, plan_identity(plan)),
                        SecretResolver(env, work, Masker()),
                        lambda step, resolver: "skipped",
                        lambda event: None,
                    )
                    break
                except SpeccError as exc:
                    print(f"    seed {seed}: apply {applies} failed: {exc}", file=sys.stderr)
            plan = plan_for(path, read_live(api))
        wall = time.monotonic() - started
        converged = not has_changes(plan)
        drift_started = time.monotonic()
        plan_for(path, read_live(api))  # what `specc drift` does, under the same faults
        drift = time.monotonic() - drift_started
        sim.set_faults(fault_rate=0.0)
        dups = duplicates(read_live(api))
    return {
        "applies": applies if converged else 0,
        "wall": wall,
        "drift": drift,
        "duplicates": dups,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--examples", default="", help="comma-separated names (default: all)")
    parser.add_argument("--fault-rate", type=float, default=0.05)
    parser.add_argument("--latency", type=float, default=5.0)
    parser.add_argument("--hold", type=float, default=30.0)
    parser.add_argument("--before-call", action="store_true")
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args()
    examples = sorted((REPO / "examples").glob("*.yaml"))
    if args.examples:
        wanted = {n if n.endswith(".yaml") else f"{n}.yaml" for n in args.examples.split(",")}
        examples = [p for p in examples if p.name in wanted]
    mode = "before" if args.before_call else "after"
    print(
        f"faults {args.fault_rate:g}, latency {args.latency:g} ms, lost calls held "
        f"{args.hold:g} s and dropped {mode} they run; {args.seeds} seeds per example"
    )
    header = (
        f"{'example':<24} {'applies to converge':<22} {'wall med/max s':>15} "
        f"{'drift med/max s':>16} {'dups':>5}"
    )
    print(header)
    print("-" * len(header))
    totals: Counter[int] = Counter()
    all_dups = 0
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="bench-faults-") as tmp,
        ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool,
    ):
        for example in examples:
            path = with_local_files(example, Path(tmp))
            futures = [
                pool.submit(one_run, path, seed, args, Path(tmp)) for seed in range(args.seeds)
            ]
            runs = [f.result() for f in futures]
            applies = Counter(int(r["applies"]) for r in runs)
            totals.update(applies)
            dups = int(sum(r["duplicates"] for r in runs))
            all_dups += dups
            walls = [r["wall"] for r in runs]
            drifts = [r["drift"] for r in runs]
            spread = " ".join(
                f"{n}x{applies[n]}" if n else f"never x{applies[n]}" for n in sorted(applies)
            )
            print(
                f"{path.stem:<24} {spread:<22} "
                f"{statistics.median(walls):>7.1f}/{max(walls):<7.1f} "
                f"{statistics.median(drifts):>8.2f}/{max(drifts):<7.2f} {dups:>5}",
                flush=True,
            )
    runs_total = sum(totals.values())
    print(
        f"all: {totals[1]} of {runs_total} runs converged in one apply, "
        f"{runs_total - totals[0]} converged, {all_dups} duplicates "
        f"({time.monotonic() - started:.0f} s in all)"
    )


if __name__ == "__main__":
    main()
