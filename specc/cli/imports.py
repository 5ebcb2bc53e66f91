"""``specc import``: write the spec of a live cloud (docs/import.md).

Connection options as ``plan``. The spec goes to stdout, to ``-o FILE``, or with
``-o DIR`` (an existing folder, or a path without ``.yaml``/``.yml``) to one file
per zone plus ``cloud.yaml``. What was left out, the secrets to set and the
placeholders to fill are reported on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from specc.cli.common import (
    ProfileOpt,
    SimOpt,
    SimStateOpt,
    StateOpt,
    check_options,
    long_lived,
    open_client,
    write_atomically,
)
from specc.errors import SpeccError


def _is_folder(out: Path) -> bool:
    return out.is_dir() or out.suffix.lower() not in (".yaml", ".yml")


def register(app: typer.Typer) -> None:
    """Add ``import`` to *app*."""

    @app.command(name="import")
    def import_(
        out: Annotated[
            Path | None,
            typer.Option("-o", "--out", help="A .yaml file, or a folder (one file per zone)."),
        ] = None,
        zone: Annotated[
            list[str] | None, typer.Option("--zone", help="Import this zone (repeatable).")
        ] = None,
        kinds: Annotated[
            str | None,
            typer.Option(
                "--kinds",
                help="Comma list of sections (zones, offerings, templates, isos, settings) "
                "or kinds (host, serviceoffering...).",
            ),
        ] = None,
        exclude_builtin: Annotated[
            bool,
            typer.Option(
                "--exclude-builtin/--include-builtin",
                help="Leave out the offerings CloudStack creates itself (default).",
            ),
        ] = True,
        profile: ProfileOpt = None,
        sim: SimOpt = False,
        sim_state: SimStateOpt = None,
        state: StateOpt = None,
    ) -> None:
        """Write the spec of the live cloud; planning it against that cloud changes nothing."""
        from specc.importer import SECTIONS, Selection, import_live, section_of

        check_options(profile=profile, sim=sim, sim_state=sim_state, state=state)
        sections: tuple[str, ...] = SECTIONS
        if kinds:
            chosen = []
            for word in (w.strip() for w in kinds.split(",") if w.strip()):
                section = section_of(word)
                if section is None:
                    raise SpeccError(
                        f"--kinds: unknown section or kind {word!r}",
                        hint="sections: " + ", ".join(SECTIONS),
                    )
                chosen.append(section)
            sections = tuple(s for s in SECTIONS if s in chosen)
        selection = Selection(tuple(zone or ()), sections, builtin=not exclude_builtin)
        if state is not None:
            from specc.cloud.snapshot import load_snapshot

            live = load_snapshot(state)
        else:
            from specc.cloud.live import read_live

            with open_client(profile=profile, sim=sim, sim_state=sim_state) as client:
                live = long_lived(read_live(client, selection.kinds(), scopes=selection.scopes()))
        known = {str(z.get("name")) for z in live.items("zone")}
        missing = sorted(set(selection.zones) - known)
        if missing:
            raise SpeccError(f"--zone: no such zone: {', '.join(missing)}")
        split = out is not None and _is_folder(out)
        result = import_live(live, selection, split=split)
        if out is None:
            sys.stdout.write(result.files["spec.yaml"])
        elif split:
            for name, text in sorted(result.files.items()):
                write_atomically(out / name, text)
        else:
            write_atomically(out, result.files["spec.yaml"])
        for line in result.skipped:
            sys.stderr.write(f"not imported: {line}\n")
        if result.secrets:
            sys.stderr.write("secrets to set: " + ", ".join(result.secrets) + "\n")
        if result.placeholders:
            sys.stderr.write(
                f"{result.placeholders} placeholder(s) to fill in: `specc validate` lists them\n"
            )
