"""`specc sim serve` as a real process, as a user starts it, for the conformance suites."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from cs import CloudStack


@dataclass(frozen=True)
class Served:
    """A running `specc sim serve`: the three variables it printed."""

    env: dict[str, str]

    @property
    def endpoint(self) -> str:
        return self.env["CLOUDSTACK_ENDPOINT"]

    def client(self) -> CloudStack:
        """The `cs` client for it; async jobs are polled to their result."""
        return CloudStack(
            endpoint=self.env["CLOUDSTACK_ENDPOINT"],
            key=self.env["CLOUDSTACK_KEY"],
            secret=self.env["CLOUDSTACK_SECRET"],
            fetch_result=True,
            poll_interval=0.02,
        )


@contextmanager
def serve(*args: str, timeout: float = 30.0) -> Iterator[Served]:
    """Run ``specc sim serve --port 0 ARGS`` until the block ends (then SIGTERM, exit 0)."""
    argv = [sys.executable, "-m", "specc.cli", "sim", "serve", "--port", "0", *args]
    # stderr goes to a file, so a chatty server never blocks on a full pipe
    with tempfile.TemporaryFile(mode="w+") as errors:
        proc = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            yield Served(_read_exports(proc, errors, timeout))
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.communicate(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.communicate()


def _read_exports(proc: subprocess.Popen[str], errors: IO[str], timeout: float) -> dict[str, str]:
    """The ``export NAME=value`` lines the server prints when it is listening."""
    env: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while len(env) < 3 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith("export "):
            name, _, value = line[len("export ") :].strip().partition("=")
            env[name] = shlex.split(value)[0]
    if len(env) < 3:
        proc.kill()
        proc.wait(timeout=10)
        errors.seek(0)
        raise RuntimeError(f"specc sim serve did not start: {errors.read()[-2000:]}")
    return env
