"""The drift report: which managed resources differ from the spec, and which
live resources no spec names (unmanaged, reported apart, never drift).

Formats: ``text`` for people, ``json`` for tools, ``prometheus`` for the
node_exporter textfile collector (a gauge per kind, and the run's timestamp).
"""

from __future__ import annotations

import json

from specc.cloud.kinds import KINDS
from specc.core.steps import Change, Plan


def drifted_changes(plan: Plan) -> list[Change]:
    """The changes that are not no-ops (drift)."""
    return [c for c in plan.changes if c.action != "noop"]


def drifted(plan: Plan) -> bool:
    """Whether the live cloud differs from the spec."""
    return bool(drifted_changes(plan))


def _unmanaged_kind(text: str) -> str:
    return text.split(":", 1)[0].split(" ", 1)[0]


def per_kind(plan: Plan) -> tuple[dict[str, int], dict[str, int]]:
    """Drifted and unmanaged resource counts per kind (every kind, zero included)."""
    kinds = sorted(set(KINDS) | {c.resource.kind for c in plan.changes})
    drift = dict.fromkeys(kinds, 0)
    unmanaged = dict.fromkeys(kinds, 0)
    for change in drifted_changes(plan):
        drift[change.resource.kind] = drift.get(change.resource.kind, 0) + 1
    for text in plan.unmanaged:
        kind = _unmanaged_kind(text)
        unmanaged[kind] = unmanaged.get(kind, 0) + 1
    return drift, unmanaged


def render_drift(plan: Plan, fmt: str, now: float) -> str:
    """The report in *fmt* (``text``, ``json``, ``prometheus``); *now*: Unix time."""
    changes = drifted_changes(plan)
    if fmt == "json":
        data = {
            "in_sync": not changes,
            "drift": [
                {
                    "resource": str(c.resource),
                    "action": c.action,
                    "fields": [
                        {"field": f.field, "live": f.before, "spec": f.after} for f in c.fields
                    ],
                    "reason": c.reason,
                }
                for c in changes
            ],
            "unmanaged": list(plan.unmanaged),
            "builtin": list(plan.builtin),
            "notes": list(plan.notes),
        }
        return json.dumps(data, indent=2, sort_keys=True, default=str) + "\n"
    if fmt == "prometheus":
        drift, unmanaged = per_kind(plan)
        out = [
            "# HELP specc_drift_resources Managed resources that differ from the spec.",
            "# TYPE specc_drift_resources gauge",
            *(f'specc_drift_resources{{kind="{k}"}} {n}' for k, n in drift.items()),
            "# HELP specc_unmanaged_resources Live resources no spec names.",
            "# TYPE specc_unmanaged_resources gauge",
            *(f'specc_unmanaged_resources{{kind="{k}"}} {n}' for k, n in unmanaged.items()),
            "# HELP specc_drift_in_sync 1 when the cloud matches the spec.",
            "# TYPE specc_drift_in_sync gauge",
            f"specc_drift_in_sync {0 if changes else 1}",
            "# HELP specc_drift_last_run_timestamp_seconds When drift last ran.",
            "# TYPE specc_drift_last_run_timestamp_seconds gauge",
            f"specc_drift_last_run_timestamp_seconds {now:.0f}",
        ]
        return "\n".join(out) + "\n"
    lines: list[str] = []
    if not changes:
        lines.append("In sync: the live cloud matches the spec.")
    else:
        lines.append(
            f"Drift: {len(changes)} "
            f"{'resource differs' if len(changes) == 1 else 'resources differ'} from the spec."
        )
        for c in changes:
            lines.append(f"  {c.action} {c.resource}" + (f" ({c.reason})" if c.reason else ""))
            lines += [f"      {f.field}: live {f.before!r}, spec {f.after!r}" for f in c.fields]
    if plan.unmanaged:
        lines.append(f"Unmanaged (not in the spec, left alone): {len(plan.unmanaged)}")
        lines += [f"  {u}" for u in plan.unmanaged]
    if plan.builtin:
        lines.append(f"Built-in (CloudStack's own, not managed): {len(plan.builtin)}")
    return "\n".join(lines) + "\n"
