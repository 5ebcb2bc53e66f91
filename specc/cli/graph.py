"""``specc graph``: the dependency graph of a spec or a plan, as Mermaid, DOT or SVG.

A saved plan file (one ``.json`` file; anything else there is a bad plan file)
draws the resources it changes, by action. Spec files draw every
resource the spec asks for and what it depends on; with a cloud (``--sim``,
``--state``, ``--profile``) they are planned first and drawn as that plan. SVG is
drawn by Graphviz's ``dot``, which must be on the PATH.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

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


class Format(StrEnum):
    """Output formats of ``specc graph``."""

    mermaid = "mermaid"
    dot = "dot"
    svg = "svg"


def _svg(dot_text: str) -> str:
    """*dot_text* drawn as SVG by Graphviz's ``dot``.

    Raises:
        SpeccError: ``dot`` is not installed, or fails.
    """
    exe = shutil.which("dot")
    if exe is None:
        raise SpeccError(
            "--format svg needs Graphviz's `dot`, which is not on the PATH",
            hint="install Graphviz (Debian/Ubuntu: apt-get install graphviz), "
            "or use --format dot and draw it elsewhere",
        )
    run = subprocess.run(
        [exe, "-Tsvg"], input=dot_text, capture_output=True, text=True, timeout=120, check=False
    )
    if run.returncode != 0:
        raise SpeccError(f"dot failed (exit {run.returncode}): {run.stderr.strip()}")
    return run.stdout


def register(app: typer.Typer) -> None:
    """Add ``graph`` to *app*."""

    @app.command()
    def graph(
        targets: Annotated[
            list[Path], typer.Argument(help="A saved plan file, or spec files or folders.")
        ],
        format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = (
            Format.mermaid
        ),
        out: Annotated[
            Path | None, typer.Option("-o", "--out", help="Write here (default: stdout).")
        ] = None,
        profile: ProfileOpt = None,
        sim: SimOpt = False,
        sim_state: SimStateOpt = None,
        state: StateOpt = None,
    ) -> None:
        """Draw the dependency graph of a spec or a plan (Mermaid, DOT or SVG)."""
        from specc.render.graph import desired_picture, plan_picture, to_dot, to_mermaid

        for p in targets:
            if not p.exists():
                raise SpeccError(f"no such file or folder: {p}")
        check_options(profile=profile, sim=sim, sim_state=sim_state, state=state)
        cloud = sim or profile is not None or state is not None
        from specc.cli.planfiles import is_plan_file

        if is_plan_file(targets, "graph"):
            if cloud:
                raise SpeccError("a saved plan is drawn as it is: no cloud option applies")
            from specc.planning.planfile import load_plan

            picture = plan_picture(load_plan(targets[0]))
        elif cloud:
            import specc

            live = state_reader(profile=profile, sim=sim, sim_state=sim_state, state=state)
            picture = plan_picture(specc.plan(targets, live))
        else:
            import specc

            picture = desired_picture(specc.build(specc.check(specc.load(targets))))
        if format is Format.mermaid:
            text = to_mermaid(picture)
        else:
            text = to_dot(picture)
            if format is Format.svg:
                text = _svg(text)
        if out is None:
            sys.stdout.write(text)
        else:
            write_atomically(out, text)
