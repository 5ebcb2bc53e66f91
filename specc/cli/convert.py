"""``specc convert marvin CFG -o spec.yaml``: a Marvin deployment config to a spec.

What is not converted is listed on stderr with its JSON path (docs/import.md).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from specc.cli.common import write_atomically
from specc.errors import SpeccError


def register(app: typer.Typer) -> None:
    """Add ``convert`` (and its ``marvin`` command) to *app*."""
    convert = typer.Typer(
        name="convert",
        help="Convert another tool's description of a cloud to a spec.",
        no_args_is_help=True,
    )

    @convert.command()
    def marvin(
        config: Annotated[Path, typer.Argument(help="A Marvin config (setup/dev/*.cfg).")],
        out: Annotated[
            Path | None, typer.Option("-o", "--out", help="Write the spec here (default: stdout).")
        ] = None,
    ) -> None:
        """Convert a Marvin deployment config (deployDataCenter.py's JSON) to a spec."""
        from specc.importer.marvin import convert as convert_config

        try:
            text = config.read_text(encoding="utf-8")
        except OSError as exc:
            raise SpeccError(f"cannot read {config}: {exc.strerror or exc}") from None
        try:
            result = convert_config(text)
        except ValueError as exc:
            raise SpeccError(f"{config}: not a Marvin config: {exc}") from None
        if out is None:
            sys.stdout.write(result.text)
        else:
            write_atomically(out, result.text)
        for line in result.skipped:
            sys.stderr.write(f"not converted: {line}\n")
        if result.secrets:
            sys.stderr.write("secrets to set: " + ", ".join(result.secrets) + "\n")

    app.add_typer(convert)
