"""``specc scripts`` and ``specc runbook``: the host steps, as files and as a runbook."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated, Any, cast

import typer
from rich.console import Console

from specc.errors import UsageError
from specc.hosts import host_scripts, verification_checks
from specc.hosts.index import script_filename, script_files
from specc.hosts.plans import plan_for_spec
from specc.hosts.warnings import domain_warnings
from specc.plan.steps import Check, HostScript, Plan
from specc.render.runbook import CmkRenderer, build_runbook, cmk_fallback, to_html, to_markdown
from specc.spec import require


def _cmk_renderer() -> CmkRenderer:
    """PLAN's CloudMonkey renderer for one ApiCall when present, else the fallback."""
    try:
        module = importlib.import_module("specc.render.cmk")
    except ImportError:
        return cmk_fallback
    for name in ("render_call", "cmk_command", "render_step"):
        fn = getattr(module, name, None)
        if callable(fn):
            return cast(CmkRenderer, fn)
    return cmk_fallback


def _load_plan(path: Path) -> Plan:
    try:
        module = importlib.import_module("specc.plan.planfile")
    except ImportError as exc:
        raise UsageError(
            "reading a plan file is not available in this build", "give the spec files instead"
        ) from exc
    return cast(Plan, cast(Any, module).load_plan(path))


def register(app: typer.Typer) -> None:
    """Add ``scripts`` and ``runbook`` to *app*."""

    @app.command("scripts")
    def scripts(
        spec: Annotated[list[Path], typer.Argument(help="Spec files or folders.")],
        output: Annotated[Path, typer.Option("-o", "--output", help="Directory to write to.")],
    ) -> None:
        """Write one idempotent bash script per host and role, plus index.md and index.json."""
        v = require(spec)
        assert v.spec is not None
        files = script_files(host_scripts(v.spec), v.spec_hash)
        output.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            p = output / name
            p.write_text(text, encoding="utf-8")
            p.chmod(0o755 if name.endswith(".sh") else 0o644)
        n = sum(1 for name in files if name.endswith(".sh"))
        Console().print(f"wrote {n} host script(s) and an index to {output}", highlight=False)

    @app.command("runbook")
    def runbook(
        source: Annotated[list[Path], typer.Argument(help="Spec files or folders, or PLAN.json.")],
        output: Annotated[
            Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")
        ] = None,
        fmt: Annotated[str, typer.Option("--format", help="markdown or html.")] = "markdown",
    ) -> None:
        """Write a runbook an operator can follow by hand, in execution order."""
        if fmt not in ("markdown", "html"):
            raise UsageError(f"unknown format {fmt!r}", "use --format markdown or --format html")
        warnings: tuple[str, ...] = ()
        checks: tuple[Check, ...] = ()
        if len(source) == 1 and source[0].suffix == ".json":
            plan = _load_plan(source[0])
            title = source[0].name
        else:
            v = require(source)
            assert v.spec is not None
            plan = plan_for_spec(v.spec, v.spec_hash)
            warnings = domain_warnings(v.spec, plan.api_version)
            checks = verification_checks(v.spec)
            title = ", ".join(p.name for p in source)
        paths = {s.id: script_filename(s) for s in plan.steps if isinstance(s, HostScript)}
        blocks = build_runbook(
            plan,
            title=title,
            warnings=warnings,
            checks=checks,
            script_paths=paths,
            cmk=_cmk_renderer(),
        )
        text = to_html(blocks) if fmt == "html" else to_markdown(blocks)
        if output is None:
            Console(soft_wrap=True).out(text, end="", highlight=False)
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        Console().print(f"wrote the runbook to {output}", highlight=False)
