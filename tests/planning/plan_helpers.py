"""Helpers of the plan tests: example specs, plans, empty live states."""

from __future__ import annotations

from pathlib import Path

import specc
from specc.cloud.state import LiveState
from specc.core.steps import Plan
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
    return specc.plan(path, live, scripts=scripts, prune=prune)


def empty(version: str = "4.18.0.0") -> LiveState:
    """A cloud with nothing in it."""
    return LiveState(version, {})


def field_tables_markdown() -> str:
    """The kinds' field tables as the Markdown docs/plan.md carries."""
    from specc.cloud.kinds import KINDS, in_plan_order

    out: list[str] = []
    for kind in in_plan_order(KINDS):
        out += [
            f"#### {kind.name}",
            "",
            f"List `{kind.list_command}`, create `{kind.create_command or '-'}`, "
            f"update `{kind.update_command or '-'}`, delete `{kind.delete_command or '-'}`.",
            "",
            "| field | create param | update param | list field | readable | change |",
            "|---|---|---|---|---|---|",
        ]
        for f in kind.fields:
            if f.readable_since is None or f.list_field is None:
                readable = "never"
            else:
                readable = f"{f.readable_since}+"
            update = f"{f.update} ({f.via})" if f.via and f.update else (f.update or "-")
            out.append(
                f"| {f.name} | {f.create or '-'} | {update} | {f.list_field or '-'} | "
                f"{readable} | {f.mode} |"
            )
        out.append("")
    return "\n".join(out)
