"""``specc plan``: read the live cloud, diff it against the spec, print the plan.

Exit codes: 0 no changes (or always, without ``--detailed-exitcode``), 1 error,
2 changes (with ``--detailed-exitcode``). No plan file is written on any error.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from specc.cli.common import (
    ProfileOpt,
    SimOpt,
    SimStateOpt,
    StateOpt,
    check_options,
    state_reader,
    write_atomically,
)
from specc.errors import SpeccError

if TYPE_CHECKING:
    from collections.abc import Callable

    from specc.cloud.state import LiveState
    from specc.core.steps import Plan


class Format(StrEnum):
    """Output formats of ``specc plan``."""

    text = "text"
    json = "json"
    markdown = "markdown"
    cmk = "cmk"


def render(plan: Plan, fmt: Format) -> str:
    """The plan in *fmt*."""
    if fmt is Format.json:
        from specc.render.json_out import render_json

        return render_json(plan)
    if fmt is Format.markdown:
        from specc.render.markdown import render_markdown

        return render_markdown(plan)
    if fmt is Format.cmk:
        from specc.render.cmk import render_cmk

        return render_cmk(plan)
    from specc.render.text import render_text

    return render_text(plan)


def make_plan(
    specs: list[Path],
    live: LiveState | Callable[[frozenset[str]], LiveState],
    *,
    prune: bool = False,
    force: bool = False,
) -> Plan:
    """The plan of the spec in *specs* against *live*, or what it reads (``specc.plan``).

    Raises:
        SpecError: the spec is not valid.
    """
    import specc

    return specc.plan(specs, live, prune=prune, force=force)


def _warn_preflight(plan: Plan, first: Path) -> None:
    """Warn about what ``apply`` of *plan* would refuse on this machine (secrets)."""
    import os

    from specc.cli.apply_preflight import warn_plan
    from specc.execute.secrets import Masker, SecretResolver

    warn_plan(plan, SecretResolver(os.environ, first.resolve().parent, Masker()))


def register(app: typer.Typer) -> None:
    """Add ``plan`` to *app*."""

    @app.command()
    def plan(
        specs: Annotated[list[Path], typer.Argument(help="Spec files or folders (merged).")],
        out: Annotated[
            Path | None, typer.Option("-o", "--out", help="Write the plan file here.")
        ] = None,
        format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = (
            Format.text
        ),
        detailed_exitcode: Annotated[
            bool,
            typer.Option("--detailed-exitcode", help="Exit 0 no changes, 1 error, 2 changes."),
        ] = False,
        prune: Annotated[
            bool, typer.Option("--prune", help="Delete live objects the spec does not name.")
        ] = False,
        force: Annotated[
            bool, typer.Option("--force", help="With --prune: delete even with dependents.")
        ] = False,
        profile: ProfileOpt = None,
        sim: SimOpt = False,
        sim_state: SimStateOpt = None,
        state: StateOpt = None,
    ) -> None:
        """Diff the spec against the live cloud and show the ordered plan."""
        for p in specs:
            if not p.exists():
                raise SpeccError(f"no such file or folder: {p}")
        check_options(profile=profile, sim=sim, sim_state=sim_state, state=state)
        if force and not prune:
            raise SpeccError("--force only makes sense with --prune")
        live = state_reader(profile=profile, sim=sim, sim_state=sim_state, state=state)
        result = make_plan(specs, live, prune=prune, force=force)
        _warn_preflight(result, specs[0])
        text = render(result, format)
        if out is not None:
            from specc.planning.planfile import dump_plan

            write_atomically(out, dump_plan(result))
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        from specc.render._common import has_changes

        raise typer.Exit(2 if detailed_exitcode and has_changes(result) else 0)
