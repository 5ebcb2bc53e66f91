"""``specc snapshot``: write the live state of a cloud as a snapshot file.

The file is written only when the whole state was read: an unreachable endpoint,
refused credentials or an API error in the middle leave no file behind.
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
    check_options,
    read_state,
    write_atomically,
)


def register(app: typer.Typer) -> None:
    """Add ``snapshot`` to *app*."""

    @app.command()
    def snapshot(
        out: Annotated[
            Path | None, typer.Option("-o", "--out", help="Write here (default: stdout).")
        ] = None,
        profile: ProfileOpt = None,
        sim: SimOpt = False,
        sim_state: SimStateOpt = None,
    ) -> None:
        """Read the live cloud (one list call per kind) and write it as a snapshot."""
        from specc.cloud.snapshot import dump_snapshot

        check_options(profile=profile, sim=sim, sim_state=sim_state)
        text = dump_snapshot(read_state(profile=profile, sim=sim, sim_state=sim_state))
        if out is None:
            sys.stdout.write(text)
        else:
            write_atomically(out, text)
