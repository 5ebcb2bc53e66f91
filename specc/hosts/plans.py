"""The plan a runbook is made from, and host scripts in the order to run them.

``plan_for_spec`` compiles the spec against an empty live state (a cloud where
nothing exists yet) with the plan compiler, host scripts included, so the runbook
lists every step of a first deployment.
"""

from __future__ import annotations

from specc.cloud.state import LiveState
from specc.core.steps import HostScript, Plan
from specc.plan.compiler import compile_plan
from specc.spec.models import Spec

from . import host_scripts


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
        first = ready[0] if ready else pending[0]  # host_scripts never makes a cycle
        done.append(by_id[first])
        placed.add(first)
        pending.remove(first)
    return tuple(done)


def plan_for_spec(spec: Spec, spec_hash: str, api_version: str | None = None) -> Plan:
    """The spec's plan against an empty live state, with its host scripts placed."""
    live = LiveState(api_version=api_version or spec.cloudstack.version, resources={})
    return compile_plan(spec, live, spec_hash=spec_hash, host_scripts=host_scripts(spec))
