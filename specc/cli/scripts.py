"""``specc scripts`` and ``specc runbook``: the host steps, as files and as a runbook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from specc.errors import UsageError


def _stale_scripts(output: Path, keep: set[str]) -> list[Path]:
    """Scripts a previous ``specc scripts`` wrote to *output* (per its index) that are gone."""
    index = output / "index.json"
    if not index.is_file():
        return []
    try:
        old = json.loads(index.read_text(encoding="utf-8"))
        paths = [str(e["path"]) for e in old["scripts"]]
    except (ValueError, KeyError, TypeError):
        return []
    return [
        output / p
        for p in sorted(set(paths) - keep)
        if p.endswith(".sh") and "/" not in p and (output / p).is_file()
    ]


def register(app: typer.Typer) -> None:
    """Add ``scripts`` and ``runbook`` to *app*."""

    @app.command("scripts")
    def scripts(
        spec: Annotated[list[Path], typer.Argument(help="Spec files or folders.")],
        output: Annotated[Path, typer.Option("-o", "--output", help="Directory to write to.")],
    ) -> None:
        """Write one idempotent bash script per host and role, plus index.md and index.json.

        Scripts that an earlier run listed in DIR/index.json and this spec no longer
        needs are removed; other files in DIR are left alone.
        """
        from rich.console import Console

        from specc.hosts.collect import host_scripts
        from specc.hosts.index import script_files
        from specc.spec import require

        v = require(spec)
        assert v.spec is not None
        files = script_files(host_scripts(v.spec), v.spec_hash)
        output.mkdir(parents=True, exist_ok=True)
        for stale in _stale_scripts(output, set(files)):
            stale.unlink()
        for name, text in files.items():
            p = output / name
            p.write_text(text, encoding="utf-8")
            p.chmod(0o755 if name.endswith(".sh") else 0o644)
        n = sum(1 for name in files if name.endswith(".sh"))
        Console(soft_wrap=True).print(
            f"wrote {n} host script(s) and an index to {output}", highlight=False
        )

    @app.command("runbook")
    def runbook(
        source: Annotated[
            list[Path], typer.Argument(help="Spec files or folders, or a plan file.")
        ],
        output: Annotated[
            Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")
        ] = None,
        fmt: Annotated[str, typer.Option("--format", help="markdown or html.")] = "markdown",
    ) -> None:
        """Write a runbook an operator can follow by hand, in execution order."""
        from rich.console import Console

        import specc
        from specc.cloud.state import LiveState
        from specc.planning.planfile import load_plan
        from specc.render.runbook import runbook_text
        from specc.spec import require

        if fmt not in ("markdown", "html"):
            raise UsageError(f"unknown format {fmt!r}", "use --format markdown or --format html")
        from specc.cli.planfiles import is_plan_file

        if is_plan_file(source, "runbook"):
            text = runbook_text(load_plan(source[0]), title=source[0].name, fmt=fmt)
        else:
            v = require(source)
            assert v.spec is not None
            # A first deployment: the spec against a cloud where nothing exists yet.
            plan = specc.plan(v, LiveState(v.spec.cloudstack.version, {}))
            title = ", ".join(p.name for p in source)
            text = runbook_text(plan, title=title, spec=v.spec, fmt=fmt)
        if output is None:
            Console(soft_wrap=True).out(text, end="", highlight=False)
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        Console(soft_wrap=True).print(f"wrote the runbook to {output}", highlight=False)
