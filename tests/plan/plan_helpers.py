"""Helpers of the plan tests: example specs, plans, empty live states."""

from __future__ import annotations

from pathlib import Path

from specc.cloud.state import LiveState
from specc.hosts import host_scripts
from specc.plan.compiler import compile_plan
from specc.plan.steps import Plan
from specc.spec import require
from specc.spec.models import Spec

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
SHARED = REPO.parent / "shared"
HERE = Path(__file__).resolve().parent


def load_spec(path: Path) -> tuple[Spec, str]:
    """The validated spec of *path* and its hash."""
    validated = require([path])
    assert validated.spec is not None
    return validated.spec, validated.spec_hash


def plan_for(path: Path, live: LiveState, *, scripts: bool = True, prune: bool = False) -> Plan:
    """The plan of the spec at *path* against *live*, with its host scripts."""
    spec, spec_hash = load_spec(path)
    hs = host_scripts(spec) if scripts else ()
    return compile_plan(spec, live, spec_hash=spec_hash, host_scripts=hs, prune=prune)


def empty(version: str = "4.18.0.0") -> LiveState:
    """A cloud with nothing in it."""
    return LiveState(version, {})
