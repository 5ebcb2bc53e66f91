"""Helpers of the apply tests: plans of the examples, secrets, the executor, the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from specc.cloud.client import CloudClient, Credentials, RetryPolicy
from specc.cloud.kinds import KINDS
from specc.cloud.kinds.base import LiveIndex
from specc.cloud.live import read_live
from specc.cloud.state import LiveState
from specc.core.steps import Concat, HostScript, Plan, SecretParam
from specc.execute.executor import Event, Outcome, Settings
from specc.execute.journal import Journal, plan_identity
from specc.execute.run import run_apply
from specc.execute.secrets import Masker, SecretResolver
from specc.hosts.collect import host_scripts
from specc.planning.compiler import compile_plan
from specc.sim import Simulator
from specc.spec import require

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
FAST = RetryPolicy(attempts=6, backoff_s=0.01, request_timeout_s=2, poll_start_s=0.01)


def client(sim: Simulator, policy: RetryPolicy = FAST) -> CloudClient:
    """A client on *sim* with fast retries."""
    return CloudClient(Credentials(sim.endpoint, sim.api_key, sim.secret_key), policy)


def plan_of(path: Path, live: LiveState, scripts: bool = False) -> Plan:
    """The plan of the spec at *path* against *live*."""
    validated = require([path])
    assert validated.spec is not None
    hs = host_scripts(validated.spec) if scripts else ()
    return compile_plan(validated.spec, live, spec_hash=validated.spec_hash, host_scripts=hs)


def secret_refs(plan: Plan) -> set[str]:
    """The env names of every secret the plan references."""
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
    return found


def secrets_for(plan: Plan) -> dict[str, str]:
    """A distinctive fake value for every secret of *plan*."""
    return {name: f"S3cr3t+{name.lower()}/x==" for name in secret_refs(plan)}


def apply(
    plan: Plan,
    api: CloudClient,
    journal_path: Path,
    env: Mapping[str, str],
    events: list[Event] | None = None,
    parallelism: int = 10,
    report: Callable[[Event], None] | None = None,
) -> Outcome:
    """Run the plan the way the CLI does (hosts skipped), collecting events."""
    sink = events if events is not None else []
    masker = Masker()

    def both(event: Event) -> None:
        sink.append(event)
        if report is not None:
            report(event)

    return run_apply(
        plan,
        api,
        Journal(journal_path, plan_identity(plan)),
        SecretResolver(env, journal_path.parent, masker),
        lambda step, resolver: "skipped",
        both,
        Settings(parallelism=parallelism, wait_poll_s=0.01),
    )


def duplicates(live: LiveState) -> list[str]:
    """Natural keys that more than one live item answers to (there must be none)."""
    index = LiveIndex(live.resources)
    out: list[str] = []
    for name, kind in KINDS.items():
        seen: dict[tuple[str, ...], set[str]] = {}
        for item in live.items(name):
            key = kind.key(item, index)
            if key is not None:
                seen.setdefault(key, set()).add(str(item.get("id")))
        out += [f"{name}:{'/'.join(k)}" for k, ids in seen.items() if len(ids) > 1]
    return out


def read(api: CloudClient) -> LiveState:
    """The live state."""
    return read_live(api)


def specc_env(extra: Mapping[str, str], home: Path) -> dict[str, str]:
    """The environment for a ``specc`` subprocess: no inherited CLOUDSTACK_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    env.update({"HOME": str(home), "SPECC_LOCK_DIR": str(home / "locks")})
    env.update(extra)
    return env


def specc_cmd() -> str:
    """The installed console script."""
    exe = shutil.which("specc")
    assert exe, "the specc console script is installed with the package"
    return exe


def run_specc(
    *args: str | Path, env: Mapping[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """Run ``specc`` to completion."""
    return subprocess.run(
        [specc_cmd(), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=dict(env),
        cwd=cwd,
    )


def journal_lines(folder: Path) -> Iterator[str]:
    """Every line of every journal under *folder*."""
    for path in sorted(folder.rglob("*.jsonl")):
        yield from path.read_text().splitlines()
