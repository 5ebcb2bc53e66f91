"""Connection options shared by ``plan``, ``snapshot``, ``apply`` and ``drift``.

Use the ``*Opt`` annotations as parameter types, then :func:`check_options` and
:func:`read_state` (or :func:`open_client` for a live connection)::

    def cmd(profile: ProfileOpt = None, sim: SimOpt = False,
            sim_state: SimStateOpt = None, state: StateOpt = None) -> None:
        check_options(profile=profile, sim=sim, sim_state=sim_state, state=state)
        live = read_state(profile=profile, sim=sim, sim_state=sim_state, state=state)

A command that plans a spec passes :func:`state_reader` to ``specc.plan`` instead,
so the spec is checked first and only the setting scopes it uses are read.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from specc.errors import SpeccError

if TYPE_CHECKING:
    from specc.cloud.client import CloudClient
    from specc.cloud.state import LiveState

ProfileOpt = Annotated[
    str | None,
    typer.Option("--profile", help="Profile in ~/.cloudstack.ini or ~/.cmk/config."),
]
SimOpt = Annotated[bool, typer.Option("--sim", help="Use an embedded simulator for this run.")]
SimStateOpt = Annotated[
    Path | None, typer.Option("--sim-state", help="With --sim: keep its state in this file.")
]
StateOpt = Annotated[
    Path | None, typer.Option("--state", help="Work offline from a snapshot file.")
]


def check_options(
    *, profile: str | None, sim: bool, sim_state: Path | None, state: Path | None = None
) -> None:
    """Refuse contradictory connection options."""
    if state is not None and (sim or profile):
        raise SpeccError("--state works offline: it excludes --sim and --profile")
    if sim and profile:
        raise SpeccError("--sim and --profile exclude each other")
    if sim_state is not None and not sim:
        raise SpeccError("--sim-state needs --sim")


def open_client(
    *, profile: str | None, sim: bool, sim_state: Path | None
) -> AbstractContextManager[CloudClient]:
    """The connection the options choose (a context manager).

    With *sim*, an embedded simulator runs until the block ends (*sim_state* keeps
    its SQLite state between runs); otherwise ``specc.cloud.connect`` chooses a
    profile or the environment.
    """
    if sim:
        return _simulated(sim_state)
    from specc.cloud.connect import connect

    return connect(profile=profile)


@contextmanager
def _simulated(sim_state: Path | None) -> Iterator[CloudClient]:
    from specc.cloud.client import CloudClient, Credentials
    from specc.sim import running

    with running(state=sim_state) as server:
        creds = Credentials(server.endpoint, server.api_key, server.secret_key, True, "sim")
        yield CloudClient(creds)


def read_state(
    *,
    profile: str | None,
    sim: bool,
    sim_state: Path | None,
    state: Path | None = None,
    scopes: frozenset[str] | None = None,
) -> LiveState:
    """The live state: from a snapshot file, or read through the chosen connection.

    Settings are listed at *scopes* only (None: all; a snapshot has what it has).
    """
    if state is not None:
        from specc.cloud.snapshot import load_snapshot

        return load_snapshot(state)
    from specc.cloud.live import read_live

    with open_client(profile=profile, sim=sim, sim_state=sim_state) as client:
        return read_live(client, scopes=scopes)


def state_reader(
    *, profile: str | None, sim: bool, sim_state: Path | None, state: Path | None = None
) -> Callable[[frozenset[str]], LiveState]:
    """:func:`read_state` for the setting scopes a spec uses (``specc.plan``'s *live*).

    The spec is checked before the cloud is read, and only the scopes it sets
    values at are listed (``specc.read_scopes``).
    """

    def read(scopes: frozenset[str]) -> LiveState:
        return long_lived(
            read_state(profile=profile, sim=sim, sim_state=sim_state, state=state, scopes=scopes)
        )

    return read


def long_lived(state: LiveState) -> LiveState:
    """*state*, with everything made so far moved out of the garbage collector's sight.

    The live state (tens of thousands of dicts on a large cloud) lives until the
    command ends, yet each full collection while planning would walk it again: on
    a 10,000-resource cloud that was about a third of the compile's CPU
    (bench/bench_plan.py, which does the same). ``gc.freeze`` moves what exists now
    to the permanent generation; a CLI process ends soon after, so nothing frozen
    needs collecting.
    """
    import gc

    gc.freeze()
    return state


def write_atomically(path: Path, text: str) -> None:
    """Write *text* to *path* through a temporary file: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
