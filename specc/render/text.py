"""The plan as text, like terraform: ``+ create``, ``~ update``, ``-/+ replace``, ``- delete``."""

from __future__ import annotations

from specc.core.steps import ApiCall, HostScript, Plan, Wait
from specc.render._common import (
    RESTART_HEADING,
    SYMBOLS,
    builtin_summary,
    change_lines,
    grouped_notes,
    has_changes,
    restart_lines,
    restart_warning,
    short_hash,
    summary,
)


def render_text(plan: Plan, *, steps: bool = True) -> str:
    """The plan for a terminal (no colour codes; the CLI may add them)."""
    out: list[str] = [
        f"specc plan (CloudStack {plan.api_version}, spec {short_hash(plan.spec_hash)}, "
        f"live {short_hash(plan.live_fingerprint)})",
        "",
    ]
    changed = [c for c in plan.changes if c.action != "noop"]
    if not has_changes(plan):
        out.append("No changes. The live cloud matches the spec.")
    for change in changed:
        live = f" ({change.live_id})" if change.live_id else ""
        out.append(f"  {SYMBOLS[change.action]} {change.action} {change.resource}{live}")
        out.extend(f"      {line}" for line in change_lines(plan, change))
        out.extend(f"      ! {w}" for w in change.warnings)
        out.extend(f"      ! {w}" for w in restart_warning(plan, change))
    in_sync = sum(1 for c in plan.changes if c.action == "noop")
    if in_sync:
        out.append(f"  ({in_sync} resources in sync)")
    if plan.restarts:
        out += ["", f"{RESTART_HEADING} (these settings are read at start-up):"]
        out += [f"  - {line}" for line in restart_lines(plan)]
    if plan.notes:
        out += ["", "Notes:"] + [f"  - {n}" for n in grouped_notes(plan.notes)]
    if plan.unmanaged:
        out += ["", "Unmanaged (live, not in the spec, left alone):"]
        out += [f"  - {u}" for u in plan.unmanaged]
    if plan.builtin:
        out += ["", f"{builtin_summary(plan)}."]
    if steps and plan.steps:
        out += ["", f"Steps ({len(plan.steps)}):"]
        for i, step in enumerate(plan.steps, 1):
            if isinstance(step, ApiCall | Wait):
                what = step.command
            elif isinstance(step, HostScript):
                what = f"host script on {step.host} ({step.address})"
            else:
                what = "check"
            out.append(f"  {i:>3}. {step.id}  [{what}]")
    out += ["", summary(plan)]
    return "\n".join(out) + "\n"
