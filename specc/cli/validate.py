"""``specc validate`` and ``specc schema``.

``validate`` loads the spec (files or folders), runs every validation layer and
reports the diagnostics as text (coloured on a terminal) or JSON. Exit codes: 0
valid, 1 invalid, 2 usage error (e.g. a file that does not exist).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from specc.errors import Diagnostic, Severity, UsageError
from specc.spec import Validated, load
from specc.spec.schema import schema_text

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class Format(StrEnum):
    """Output formats of ``specc validate``."""

    text = "text"
    json = "json"


def _counts(result: Validated) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for d in result.diagnostics:
        counts[d.severity.value] += 1
    return counts


def render_json(result: Validated, files: list[str]) -> str:
    """The machine-readable report: validity, hash, counts and every diagnostic."""
    doc = {
        "valid": result.ok,
        "strict": result.strict,
        "files": files,
        "spec_hash": result.spec_hash,
        "counts": _counts(result),
        "diagnostics": [d.to_dict() for d in result.diagnostics],
    }
    return json.dumps(doc, indent=2, sort_keys=True)


def _line(d: Diagnostic) -> Text:
    text = Text()
    text.append(str(d.location), style="bold")
    text.append("  ")
    text.append(d.code, style=_STYLE[d.severity])
    text.append("  ")
    if d.severity is not Severity.ERROR:
        text.append(f"{d.severity.value}: ", style=_STYLE[d.severity])
    text.append(d.message)
    return text


def print_text(console: Console, result: Validated, limit: int) -> None:
    """Diagnostics as ``file:line:col  CODE  message`` + hint, then a summary line."""
    shown = result.diagnostics[:limit]
    for d in shown:
        console.print(_line(d))
        if d.hint:
            console.print(Text(f"  hint: {d.hint}", style="dim"))
    if len(result.diagnostics) > limit:
        console.print(f"... and {len(result.diagnostics) - limit} more")
    c = _counts(result)
    summary = f"{c['error']} error(s), {c['warning']} warning(s)"
    if result.ok:
        console.print(Text(f"valid: {summary}", style="green"))
    else:
        console.print(Text(f"invalid: {summary}", style="bold red"))


def register(app: typer.Typer) -> None:
    """Add ``validate`` and ``schema`` to *app*."""

    @app.command()
    def validate(
        specs: Annotated[
            list[Path],
            typer.Argument(help="Spec files, or folders of *.yaml/*.yml files (merged)."),
        ],
        format: Annotated[
            Format, typer.Option("--format", "-f", help="text (for people) or json.")
        ] = Format.text,
        strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
        max_shown: Annotated[
            int, typer.Option("--max", min=1, help="Show at most this many diagnostics (text).")
        ] = 50,
    ) -> None:
        """Validate a spec: YAML, JSON Schema, references and domain rules."""
        for p in specs:
            if not p.exists():
                raise UsageError(
                    f"no such file or folder: {p}", hint="give spec files or a folder of them"
                )
        result = load(specs, strict=strict)
        files = [str(p) for p in specs]
        if format is Format.json:
            sys.stdout.write(render_json(result, files) + "\n")
        else:
            print_text(Console(soft_wrap=True, highlight=False), result, max_shown)
        raise typer.Exit(0 if result.ok else 1)

    @app.command()
    def schema() -> None:
        """Print the spec's JSON Schema (Draft 2020-12)."""
        sys.stdout.write(schema_text())
