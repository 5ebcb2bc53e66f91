"""The plan as JSON: the plan file's own format (``--format json``)."""

from __future__ import annotations

from specc.core.steps import Plan
from specc.planning.planfile import dump_plan


def render_json(plan: Plan) -> str:
    """The plan as sorted, indented JSON (identical to the plan file)."""
    return dump_plan(plan)
