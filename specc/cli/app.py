"""The ``specc`` typer application and its entry point.

Each command group lives in its own module with a ``register(app)`` function;
``main`` turns every error into a message and an exit code, never a traceback.
The command modules import only typer and the standard library at the top: what a
command needs loads when it runs, so ``specc --help`` and ``specc --version`` load
no stage of the pipeline (tests/cli/test_startup.py).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from specc import __version__
from specc.errors import SpeccError

if TYPE_CHECKING:
    import typer
    from rich.console import Console


def _click_errors() -> tuple[type[Exception], ...]:
    """The usage-error base of the click that typer runs on.

    typer >= 0.16 vendors click and no longer installs it, so it is found through
    typer's own exception classes rather than imported.
    """
    import typer

    return tuple(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def build_app() -> typer.Typer:
    """Assemble the CLI from its command modules."""
    import typer

    from . import apply as apply_cmd
    from . import convert as convert_cmd
    from . import graph as graph_cmd
    from . import imports as import_cmd
    from . import plan as plan_cmd
    from . import scripts as scripts_cmd
    from . import sim as sim_cmd
    from . import snapshot as snapshot_cmd
    from . import validate as validate_cmd

    app = typer.Typer(
        name="specc",
        help="Infrastructure-as-code compiler for Apache CloudStack.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )

    def show_version(value: bool) -> None:
        if value:
            sys.stdout.write(f"specc {__version__}\n")
            raise typer.Exit(0)

    @app.callback()
    def _root(
        version: bool = typer.Option(
            False,
            "--version",
            help="Print the specc version and exit.",
            is_eager=True,
            callback=show_version,
        ),
    ) -> None:
        """Infrastructure-as-code compiler for Apache CloudStack."""

    for module in (
        validate_cmd,
        sim_cmd,
        plan_cmd,
        snapshot_cmd,
        import_cmd,
        convert_cmd,
        scripts_cmd,
        apply_cmd,
        graph_cmd,
    ):
        module.register(app)
    return app


def _stderr() -> Console:
    from rich.console import Console

    # soft_wrap: a message is one line however long, on a terminal or not (greppable).
    return Console(stderr=True, soft_wrap=True)


def main() -> None:
    """Console-script entry point: run the app, map errors to exit codes."""
    if sys.argv[1:] == ["--version"]:  # answered before typer loads (the CLI's --version too)
        sys.stdout.write(f"specc {__version__}\n")
        sys.exit(0)
    app = build_app()
    import typer

    try:
        rv = app(standalone_mode=False)
    except SystemExit:
        raise
    except _click_errors() as exc:
        exc.show()  # type: ignore[attr-defined]
        sys.exit(exc.exit_code)  # type: ignore[attr-defined]
    except typer.Abort:
        _stderr().print("aborted")
        sys.exit(1)
    except KeyboardInterrupt:
        _stderr().print("interrupted")
        sys.exit(130)
    except SpeccError as exc:
        from rich.markup import escape

        err = _stderr()
        # One line per error, never wrapped: ``file:line:col: message`` stays greppable.
        where = f"{exc.location}: " if exc.location is not None else ""
        err.print(
            f"[red]error:[/red] {escape(where + exc.message)}", highlight=False, soft_wrap=True
        )
        if exc.hint:
            err.print(f"  hint: {exc.hint}", highlight=False, markup=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except Exception as exc:
        if os.environ.get("SPECC_DEBUG"):
            raise
        err = _stderr()
        err.print(f"internal error: {type(exc).__name__}: {exc}", highlight=False, markup=False)
        err.print("  hint: rerun with SPECC_DEBUG=1 for a traceback, and report it", markup=False)
        sys.exit(1)
    sys.exit(rv if isinstance(rv, int) else 0)
