"""The plan a runbook is made from, for a spec: the compiler's, or host scripts only.

``plan_for_spec`` compiles the spec against an empty live state with the plan
compiler when it is available; without it, the plan holds the host scripts alone
(in dependency order) and a note saying the API steps are missing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, cast

from specc.cloud.state import LiveState
from specc.plan.steps import HostScript, Plan
from specc.spec.models import Spec

from . import host_scripts

NO_COMPILER_NOTE = (
    "the plan compiler is not available in this build: only host scripts are listed; "
    "run `specc plan` for the API steps"
)


def ordered_scripts(scripts: tuple[HostScript, ...]) -> tuple[HostScript, ...]:
    """Host scripts in dependency order (``depends_on`` first), ties broken by id."""
    by_id = {s.id: s for s in scripts}
    done: list[HostScript] = []
    placed: set[str] = set()
    pending = sorted(by_id)
    while pending:
        ready = [
            i for i in pending if all(d in placed or d not in by_id for d in by_id[i].depends_on)
        ]
        if not ready:  # a cycle cannot come from host_scripts; keep the rest in id order
            ready = pending[:1]
        first = ready[0]
        done.append(by_id[first])
        placed.add(first)
        pending.remove(first)
    return tuple(done)


def fallback_plan(spec: Spec, spec_hash: str, api_version: str | None = None) -> Plan:
    """A plan of the spec's host scripts only (no API steps)."""
    live = LiveState(api_version=api_version or spec.cloudstack.version, resources={})
    return Plan(
        spec_hash=spec_hash,
        live_fingerprint=live.fingerprint(),
        api_version=live.api_version,
        changes=(),
        steps=ordered_scripts(host_scripts(spec)),
        notes=(NO_COMPILER_NOTE,),
    )


def _compiler() -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("specc.plan.compiler")
    except ImportError:
        return None
    fn = getattr(module, "compile_plan", None)
    return cast("Callable[..., Any] | None", fn)


def plan_for_spec(spec: Spec, spec_hash: str, api_version: str | None = None) -> Plan:
    """The spec's plan against an empty live state (the compiler's when available)."""
    compile_plan = _compiler()
    if compile_plan is None:
        return fallback_plan(spec, spec_hash, api_version)
    live = LiveState(api_version=api_version or spec.cloudstack.version, resources={})
    return cast(Plan, compile_plan(spec, live, spec_hash=spec_hash))
