"""``specc sim serve``: run the CloudStack API simulator in the foreground."""

from __future__ import annotations

import shlex
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: a free one).")] = 8080,
    state: Annotated[
        Path | None,
        typer.Option(help="SQLite file keeping the state across restarts (default: memory)."),
    ] = None,
    seed: Annotated[
        str | None,
        typer.Option(help="Start from 'devcloud' or a snapshot file (only into a new state)."),
    ] = None,
    api_version: Annotated[
        str, typer.Option(help="API version to behave as: 4.18 or 4.22.")
    ] = "4.18",
    api_key: Annotated[str | None, typer.Option(help="API key (default: generated).")] = None,
    secret_key: Annotated[str | None, typer.Option(help="Secret key (default: generated).")] = None,
    latency: Annotated[
        float, typer.Option(help="Latency of every call and async job, in ms.")
    ] = 0.0,
    fault_rate: Annotated[
        float, typer.Option(help="Share of calls answered 503 or left to time out (0-1).")
    ] = 0.0,
    fail: Annotated[
        list[str] | None,
        typer.Option(help="A command that always fails (repeatable), e.g. createPod."),
    ] = None,
    fault_seed: Annotated[int, typer.Option(help="Seed of the fault generator.")] = 0,
) -> None:
    """Serve the CloudStack API at http://HOST:PORT/client/api until Ctrl-C."""
    from specc.sim.server import SimConfig, Simulator

    sim = Simulator(
        SimConfig(
            host=host,
            port=port,
            state=state,
            seed=seed,
            api_version=api_version,
            api_key=api_key,
            secret_key=secret_key,
            latency_ms=latency,
            fault_rate=fault_rate,
            fail=tuple(fail or ()),
            fault_seed=fault_seed,
        )
    )
    for name, value in sim.env().items():
        typer.echo(f"export {name}={shlex.quote(value)}")
    if seed is not None and not sim.fresh:
        typer.echo(f"# specc sim: {state} already holds a state; --seed ignored", err=True)
    typer.echo(f"# specc sim: CloudStack {sim.api_version} API; Ctrl-C to stop", err=True)
    sys.stdout.flush()

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        sim.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        sim.close()
    typer.echo("# specc sim: stopped", err=True)


def register(app: typer.Typer) -> None:
    """Add the ``sim`` command group to *app*."""
    group = typer.Typer(
        name="sim", help="The embedded CloudStack API simulator.", no_args_is_help=True
    )
    group.command("serve")(serve)
    app.add_typer(group, name="sim")
