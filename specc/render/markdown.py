"""The plan as Markdown, ready to paste into a merge-request comment."""

from __future__ import annotations

from specc.core.steps import Plan
from specc.render._common import (
    RESTART_HEADING,
    SYMBOLS,
    builtin_summary,
    change_lines,
    counts,
    grouped_notes,
    has_changes,
    restart_lines,
    short_hash,
    summary,
)
from specc.render.cmk import cmk_command
from specc.render.graph import plan_picture, to_mermaid


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(plan: Plan) -> str:
    """A heading, the counts, a table of changes, notes; the graph and the steps folded away.

    The dependency graph is a Mermaid flowchart, which GitHub and GitLab draw in a
    merge request.
    """
    c = counts(plan)
    out = [
        "### specc plan",
        "",
        f"**{summary(plan)}** CloudStack `{plan.api_version}`, "
        f"spec `{short_hash(plan.spec_hash)}`, live `{short_hash(plan.live_fingerprint)}`.",
        "",
    ]
    changed = [ch for ch in plan.changes if ch.action != "noop"]
    if not has_changes(plan):
        out += ["No changes: the live cloud matches the spec.", ""]
    if changed:
        out += ["| | Action | Resource | Details |", "|---|---|---|---|"]
        for ch in changed:
            details = "<br>".join(_cell(f"`{line}`") for line in change_lines(plan, ch))
            resource = _cell(str(ch.resource))
            out.append(f"| `{SYMBOLS[ch.action]}` | {ch.action} | `{resource}` | {details} |")
        out.append("")
    if c["noop"]:
        out += [f"{c['noop']} resources in sync.", ""]
    warnings = [w for ch in changed for w in ch.warnings]
    if warnings:
        out += ["**Warnings**", ""] + [f"- :warning: {w}" for w in warnings] + [""]
    if plan.restarts:
        out += [f"**{RESTART_HEADING}** (these settings are read at start-up)", ""]
        out += [f"- :arrows_counterclockwise: {line}" for line in restart_lines(plan)] + [""]
    notes = grouped_notes(n for n in plan.notes if n not in warnings)
    if notes:
        out += ["**Notes**", ""] + [f"- {n}" for n in notes] + [""]
    if plan.unmanaged:
        out += ["<details><summary>Unmanaged (left alone)</summary>", ""]
        out += [f"- `{u}`" for u in plan.unmanaged] + ["", "</details>", ""]
    if plan.builtin:
        out += [f"<details><summary>{builtin_summary(plan)}</summary>", ""]
        out += [f"- {_cell(b)}" for b in plan.builtin] + ["", "</details>", ""]
    picture = plan_picture(plan)
    if picture.nodes:
        out += [
            f"<details><summary>Dependency graph ({len(picture.nodes)} resources)</summary>",
            "",
            "```mermaid",
            to_mermaid(picture).rstrip("\n"),
            "```",
            "",
            "</details>",
            "",
        ]
    if plan.steps:
        out += [f"<details><summary>{len(plan.steps)} steps</summary>", "", "```"]
        out += [f"{i:>3}. {cmk_command(s)}" for i, s in enumerate(plan.steps, 1)]
        out += ["```", "", "</details>", ""]
    return "\n".join(out)
