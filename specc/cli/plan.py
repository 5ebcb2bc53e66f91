"""``specc plan``: read the live cloud, diff it against the spec, print the plan.

Exit codes: 0 no changes (or always, without ``--detailed-exitcode``), 1 error,
2 changes (with ``--detailed-exitcode``). No plan file is written on any error.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, cast

import typer

from specc.cloud.state import LiveState
from specc.errors import SpeccError, SpecError
from specc.plan.steps import Plan


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


def _function(module: str, name: str) -> Callable[..., Any]:
    try:
        fn = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        raise SpeccError(f"this build of specc has no {module}.{name}") from None
    return cast(Callable[..., Any], fn)


def read_state(
    *, profile: str | None, sim: bool, sim_state: Path | None, state: Path | None
) -> LiveState:
    """The live state: from a snapshot file, or read through a connection."""
    if state is not None:
        return cast(LiveState, _function("specc.cloud.snapshot", "load_snapshot")(state))
    connect = _function("specc.cloud.connect", "connect")
    read_live = _function("specc.cloud.live", "read_live")
    ctx = cast(
        AbstractContextManager[Any],
        connect(profile=profile, sim=sim, sim_state=str(sim_state) if sim_state else None),
    )
    with ctx as client:
        return cast(LiveState, read_live(client))


def write_atomically(path: Path, text: str) -> None:
    """Write *text* to *path* through a temporary file, so no half file is ever left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_plan(
    specs: list[Path],
    live: LiveState,
    *,
    prune: bool = False,
    force: bool = False,
) -> Plan:
    """Load the spec, get its host scripts and compile the plan against *live*."""
    from specc.hosts import host_scripts
    from specc.plan.compiler import compile_plan
    from specc.spec import require

    validated = require(specs)
    spec = validated.spec
    if spec is None:  # pragma: no cover - require raises instead
        raise SpecError("the spec is invalid", list(validated.diagnostics))
    return compile_plan(
        spec,
        live,
        spec_hash=validated.spec_hash,
        prune=prune,
        force=force,
        host_scripts=host_scripts(spec),
    )


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
        profile: Annotated[
            str | None, typer.Option("--profile", help="cloudstack.ini / cmk profile.")
        ] = None,
        sim: Annotated[bool, typer.Option("--sim", help="Plan against a simulator.")] = False,
        sim_state: Annotated[
            Path | None, typer.Option("--sim-state", help="With --sim: keep its state here.")
        ] = None,
        state: Annotated[
            Path | None, typer.Option("--state", help="Plan offline against a snapshot file.")
        ] = None,
    ) -> None:
        """Diff the spec against the live cloud and show the ordered plan."""
        for p in specs:
            if not p.exists():
                raise SpeccError(f"no such file or folder: {p}")
        if state is not None and (sim or profile):
            raise SpeccError("--state plans offline: it excludes --sim and --profile")
        if sim_state is not None and not sim:
            raise SpeccError("--sim-state needs --sim")
        if force and not prune:
            raise SpeccError("--force only makes sense with --prune")
        live = read_state(profile=profile, sim=sim, sim_state=sim_state, state=state)
        result = make_plan(specs, live, prune=prune, force=force)
        text = render(result, format)
        if out is not None:
            from specc.plan.planfile import dump_plan

            write_atomically(out, dump_plan(result))
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        from specc.render._common import has_changes

        raise typer.Exit(2 if detailed_exitcode and has_changes(result) else 0)
