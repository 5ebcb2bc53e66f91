"""Helpers shared by the plan renderers."""

from __future__ import annotations

import json

from specc.core.steps import Change, Plan

SYMBOLS = {"create": "+", "update": "~", "replace": "-/+", "delete": "-", "noop": " "}


def counts(plan: Plan) -> dict[str, int]:
    """How many resources each action touches."""
    out = {"create": 0, "update": 0, "replace": 0, "delete": 0, "noop": 0}
    for change in plan.changes:
        out[change.action] += 1
    return out


def summary(plan: Plan) -> str:
    """The terraform-like last line: ``Plan: N to add, ...``.

    >>> from specc.core.steps import Plan
    >>> summary(Plan("h", "f", "4.18", (), ()))
    'Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy.'
    """
    c = counts(plan)
    return (
        f"Plan: {c['create']} to add, {c['update']} to change, "
        f"{c['replace']} to replace, {c['delete']} to destroy."
    )


def has_changes(plan: Plan) -> bool:
    """Whether the plan changes anything (any change or step)."""
    return bool(plan.steps) or any(c.action != "noop" for c in plan.changes)


def show(value: object) -> str:
    """A field value for humans: JSON text, ``(none)`` for unset.

    >>> show(None), show("a"), show(3)
    ('(none)', '"a"', '3')
    """
    if value is None:
        return "(none)"
    return json.dumps(value, sort_keys=True, default=str)


def field_lines(change: Change) -> list[str]:
    """``field: old -> new`` lines of a change, with how each change is made."""
    lines = []
    for f in change.fields:
        suffix = {"replace": "  (forces replacement)", "impossible": "  (cannot change)"}.get(
            f.mode, ""
        )
        lines.append(f"{f.field}: {show(f.before)} -> {show(f.after)}{suffix}")
    return lines


RESTART_HEADING = "Restart the management servers after apply"


def restart_lines(plan: Plan) -> list[str]:
    """One line per change that waits for a management server restart: what, and why.

    >>> from specc.core.ids import ResourceId
    >>> from specc.core.steps import Restart
    >>> rid = ResourceId("configuration", ("expunge.delay",))
    >>> restart_lines(Plan("h", "f", "4.18", (), (), restarts=(Restart("s", rid, "why"),)))
    ['configuration:expunge.delay: why']
    """
    return [f"{r.resource}: {r.why}" for r in plan.restarts]


def restart_warning(plan: Plan, change: Change) -> list[str]:
    """The restart a change waits for, as a line under it (empty when none)."""
    return [
        f"takes effect only after the management servers restart ({r.why})"
        for r in plan.restarts
        if r.resource == change.resource
    ]


def short_hash(value: str) -> str:
    """A hash shown in a header: its kind prefix and 12 hex digits.

    >>> short_hash("stable-sha256:0123456789abcdef0123")
    'stable-sha256:0123456789ab'
    >>> short_hash("sha256:0123456789abcdef")
    'sha256:0123456789ab'
    """
    prefix, _, digest = value.rpartition(":")
    return f"{prefix}:{digest[:12]}" if prefix else digest[:12]
