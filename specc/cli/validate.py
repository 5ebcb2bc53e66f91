"""``specc validate`` and ``specc schema``.

``validate`` checks each SPEC argument as one spec (a file, or a folder whose
files merge), or all arguments as one spec with ``--merge``; it runs every
validation layer and reports the diagnostics as text (coloured on a terminal) or
JSON. Exit codes: 0 valid, 1 invalid, 2 usage error (e.g. a missing file).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from specc.errors import Diagnostic, Severity, UsageError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from specc.spec import Validated

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class Format(StrEnum):
    """Output formats of ``specc validate``."""

    text = "text"
    json = "json"


def _counts(diagnostics: tuple[Diagnostic, ...]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for d in diagnostics:
        counts[d.severity.value] += 1
    return counts


def _all(results: list[tuple[str, Validated]]) -> tuple[Diagnostic, ...]:
    return tuple(d for _, r in results for d in r.diagnostics)


def folder_notes(groups: list[list[Path]]) -> list[str]:
    """What validating a folder means, said in the output: its files merge into one spec.

    A spec may be split over several files (a folder of them is one spec), so
    ``specc validate examples/`` checks one merged spec, where
    ``specc validate examples/*.yaml`` checks each file as its own spec.
    """
    from specc.spec.loader import SPEC_SUFFIXES

    notes = []
    for group in groups:
        for folder in (p for p in group if p.is_dir()):
            files = sorted(c.name for c in folder.iterdir() if c.suffix in SPEC_SUFFIXES)
            if len(files) < 2:
                continue
            notes.append(
                f"{folder}: a folder is ONE spec split over files: its {len(files)} files "
                f"({', '.join(files[:3])}{', ...' if len(files) > 3 else ''}) are merged and "
                f"validated together; to validate each file as a spec of its own, name them: "
                f"specc validate {folder}/*.yaml"
            )
    return notes


def render_json(
    results: list[tuple[str, Validated]], strict: bool, notes: list[str] | None = None
) -> str:
    """The machine-readable report: overall validity and counts, each spec, every diagnostic.

    ``spec_hash`` at the top is that of the only spec when there is one, else "".
    ``notes`` say how the arguments were read (a folder merged into one spec).
    """
    doc = {
        "notes": list(notes or ()),
        "valid": all(r.ok for _, r in results),
        "strict": strict,
        "spec_hash": results[0][1].spec_hash if len(results) == 1 else "",
        "counts": _counts(_all(results)),
        "specs": [
            {
                "spec": name,
                "valid": r.ok,
                "spec_hash": r.spec_hash,
                "counts": _counts(r.diagnostics),
            }
            for name, r in results
        ],
        "diagnostics": [d.to_dict() for d in _all(results)],
    }
    return json.dumps(doc, indent=2, sort_keys=True)


def _line(d: Diagnostic) -> Text:
    from rich.text import Text

    text = Text()
    text.append(str(d.location), style="bold")
    text.append("  ")
    text.append(d.code, style=_STYLE[d.severity])
    text.append("  ")
    if d.severity is not Severity.ERROR:
        text.append(f"{d.severity.value}: ", style=_STYLE[d.severity])
    text.append(d.message)
    return text


def print_text(
    console: Console,
    results: list[tuple[str, Validated]],
    limit: int,
    notes: list[str] | None = None,
) -> None:
    """Notes, diagnostics as ``file:line:col  CODE  message`` + hint, then a summary line.

    The notes (how a folder was read) come first and again by the summary when the
    spec is invalid, where a reader of many errors looks.
    """
    from rich.text import Text

    for note in notes or ():
        console.print(Text(f"note: {note}", style="cyan"))
    diagnostics = _all(results)
    for d in diagnostics[:limit]:
        console.print(_line(d))
        if d.hint:
            console.print(Text(f"  hint: {d.hint}", style="dim"))
    if len(diagnostics) > limit:
        console.print(f"... and {len(diagnostics) - limit} more")
    c = _counts(diagnostics)
    summary = f"{c['error']} error(s), {c['warning']} warning(s)"
    bad = [name for name, r in results if not r.ok]
    if len(results) > 1:
        summary = f"{len(results) - len(bad)} of {len(results)} specs valid, {summary}"
    if not bad:
        console.print(Text(f"valid: {summary}", style="green"))
    else:
        console.print(Text(f"invalid: {summary}", style="bold red"))
        if notes and len(diagnostics) > 1:
            console.print(
                Text(
                    "note: " + notes[0].split(": ", 1)[0] + " was validated as "
                    "one merged spec (see the note above)",
                    style="cyan",
                )
            )


def register(app: typer.Typer) -> None:
    """Add ``validate`` and ``schema`` to *app*."""

    @app.command()
    def validate(
        specs: Annotated[
            list[Path],
            typer.Argument(
                help="Specs: each a file, or a folder whose *.yaml/*.yml files form one spec."
            ),
        ],
        format: Annotated[
            Format, typer.Option("--format", "-f", help="text (for people) or json.")
        ] = Format.text,
        strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
        merge: Annotated[
            bool, typer.Option("--merge", help="All arguments are files of ONE spec.")
        ] = False,
        max_shown: Annotated[
            int, typer.Option("--max", min=1, help="Show at most this many diagnostics (text).")
        ] = 50,
    ) -> None:
        """Validate specs: YAML, JSON Schema, references and domain rules."""
        from rich.console import Console

        from specc.spec import load

        for p in specs:
            if not p.exists():
                raise UsageError(
                    f"no such file or folder: {p}", hint="give spec files or a folder of them"
                )
        groups = [specs] if merge else [[p] for p in specs]
        results = [
            (" ".join(str(p) for p in group), load(group, strict=strict)) for group in groups
        ]
        notes = folder_notes(groups)
        if format is Format.json:
            sys.stdout.write(render_json(results, strict, notes) + "\n")
        else:
            print_text(Console(soft_wrap=True, highlight=False), results, max_shown, notes)
        raise typer.Exit(0 if all(r.ok for _, r in results) else 1)

    @app.command()
    def schema() -> None:
        """Print the spec's JSON Schema (Draft 2020-12)."""
        from specc.spec.schema import schema_text

        sys.stdout.write(schema_text())
