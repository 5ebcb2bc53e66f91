"""Progress of an apply on the terminal: a rich display, or plain log lines.

The executor reports :class:`~specc.execute.executor.Event` values from its worker
threads; a reporter shows them. Every text passes through the secret mask.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from specc.execute.executor import Event
from specc.execute.secrets import Masker

SYMBOL = {
    "start": "...",
    "done": "ok",
    "reused": "ok (found, not sent again)",
    "confirmed": "ok (run by the operator)",
    "skipped": "skip",
    "failed": "FAILED",
    "check": "check",
    "info": "--",
    "paused": "WAITING",
}


def write_out(text: str) -> None:
    """Write *text* to standard output; if its reader has gone, write nowhere from now on.

    ``specc apply ... | head`` closes the pipe early: the apply must go on (its
    journal is the record), not fail a step with BrokenPipeError. Standard output
    is pointed at /dev/null so later writes, and the flush at exit, succeed silently
    (as the Python documentation advises for SIGPIPE).
    """
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def line(event: Event) -> str:
    """One plain log line for *event*.

    >>> line(Event("done", "create:zone:z1", "createZone zone:z1"))
    'ok create:zone:z1: createZone zone:z1'
    >>> line(Event("info", "", "this plan was already applied in full; nothing to do"))
    'this plan was already applied in full; nothing to do'
    """
    if event.kind == "info" and not event.step and event.text:
        return event.text  # a message about the run, not a step: no ``--:`` head
    head = f"{SYMBOL[event.kind]} {event.step}" if event.step else SYMBOL[event.kind]
    return f"{head}: {event.text}" if event.text else head


@contextmanager
def reporter(rich: bool, masker: Masker, total: int) -> Iterator[Callable[[Event], None]]:
    """A callback that shows events: a progress bar on a terminal, else lines."""
    lock = threading.Lock()
    if not rich:

        def plain(event: Event) -> None:
            if event.kind == "start":
                return
            with lock:
                write_out(masker(line(event)) + "\n")

        yield plain
        return
    console = Console()
    with Progress(
        TextColumn("[bold]apply"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)

        def fancy(event: Event) -> None:
            with lock:
                if event.kind == "start":
                    bar.update(task, description=escape(masker(event.step)))
                    return
                # plain text with a style: no markup to parse, no highlighter to run
                bar.console.print(
                    masker(line(event)),
                    style={"failed": "red", "paused": "yellow"}.get(event.kind, "green"),
                    markup=False,
                    highlight=False,
                )
                if event.kind in ("done", "reused", "confirmed", "skipped", "check"):
                    bar.advance(task)

        yield fancy
