"""Locks so that two applies on the same cloud never run at once.

- :class:`LocalLock`: ``fcntl.flock`` on a lock file, which the kernel releases when
  the holder's process ends (even by SIGKILL, even while it is an unreaped zombie).
  The file holds the holder's pid, host and start time for the message only.
- :class:`PostgresLock`: a PostgreSQL session-level advisory lock, for teams that
  apply from several machines. It is held by a ``psql`` session that lives exactly
  as long as the apply: if the apply dies (even by SIGKILL), ``psql`` sees its
  standard input close, exits, and the server releases the lock. The holder is
  named through the session's ``application_name``. See docs/apply.md for why.

Both honour a timeout (``--lock-timeout``): poll until it expires, then fail with a
message naming the holder.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from specc.errors import LockError

POLL_S = 0.2
CLASS_ID = 0x5BEC  # first half of the advisory lock key: "specc"


def lock_key(cloud: str) -> str:
    """A short stable name for a cloud's lock (a hash of its endpoint).

    >>> lock_key("http://a/client/api") == lock_key("http://a/client/api")
    True
    """
    return hashlib.sha256(cloud.encode()).hexdigest()[:16]


def holder_text() -> str:
    """Who we are: ``pid 123 on host since 2026-01-01T00:00:00Z``."""
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"pid {os.getpid()} on {socket.gethostname()} since {when}"


@dataclass
class LocalLock:
    """An OS lock (``fcntl.flock``) on a lock file for *cloud* in *folder*; a context manager.

    The kernel holds the lock for the open file and drops it when the holder's
    process ends, however it ends (SIGKILL included, and before a zombie is
    reaped): nothing decides from a pid whether a holder is alive. The file carries
    the holder's pid, host and start time only to name it in the refusal message.
    Release unlinks the file while still holding the lock; a waiter that locked the
    unlinked file notices (its inode is not the path's) and tries again.
    """

    folder: Path
    cloud: str
    timeout_s: float = 0.0
    sleep: Callable[[float], None] = time.sleep
    _fd: int | None = field(default=None, init=False, repr=False)

    @property
    def path(self) -> Path:
        """The lock file."""
        return self.folder / f"{lock_key(self.cloud)}.lock"

    def _holder(self) -> dict[str, object] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _try(self) -> bool:
        """Take the OS lock if it is free; write who we are into the file."""
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)  # the holder released (unlinked) it meanwhile: lock the new file
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "cloud": self.cloud,
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        os.fsync(fd)
        self._fd = fd
        return True

    def acquire(self) -> None:
        """Take the lock, waiting up to the timeout.

        Raises:
            LockError: another apply holds it (the message names it).
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.timeout_s
        while True:
            if self._try():
                return
            if time.monotonic() >= deadline:
                holder = self._holder()
                who = (
                    f"pid {holder.get('pid')} on {holder.get('host')} since {holder.get('since')}"
                    if holder
                    else "a process that is just starting"
                )
                raise LockError(
                    f"another apply holds the lock on {self.cloud}: {who}",
                    hint=f"wait for it (--lock-timeout SECONDS); lock file {self.path}",
                )
            self.sleep(POLL_S)

    def release(self) -> None:
        """Drop the lock if we hold it (the file goes first, then the OS lock)."""
        if self._fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> LocalLock:
        self.acquire()
        return self

    def __exit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


class PostgresLock:
    """A PostgreSQL advisory lock on *cloud*, held by a ``psql`` session."""

    def __init__(self, dsn: str, cloud: str, timeout_s: float = 0.0) -> None:
        self.dsn = dsn
        self.cloud = cloud
        self.timeout_s = timeout_s
        self._proc: subprocess.Popen[str] | None = None
        self._key = f"specc:{cloud}"

    def _sql_key(self) -> str:
        literal = self._key.replace("'", "''")
        return f"{CLASS_ID}, hashtext('{literal}')"

    def _start(self) -> subprocess.Popen[str]:
        psql = shutil.which("psql")
        if psql is None:
            raise LockError("the PostgreSQL lock needs psql, which is not installed")
        env = {**os.environ, "PGAPPNAME": f"specc apply ({holder_text()})"[:63]}
        return subprocess.Popen(
            [psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", self.dsn],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )

    def _ask(self, proc: subprocess.Popen[str], sql: str) -> str:
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(sql + "\n")
            proc.stdin.flush()
        except BrokenPipeError:
            pass
        line = proc.stdout.readline()
        if not line:
            err = proc.stderr.read() if proc.stderr is not None else ""
            first = (err.strip().splitlines() or ["psql exited"])[-1]
            raise LockError(f"cannot take the PostgreSQL lock: {first}")
        return line.strip()

    def holder(self, proc: subprocess.Popen[str]) -> str:
        """The application name of the session holding the lock, if any."""
        sql = (
            "SELECT coalesce(max(a.application_name), '?') FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
            f"AND l.granted AND l.classid = {CLASS_ID} AND l.objid::int = hashtext("
            f"'{self._key.replace(chr(39), chr(39) * 2)}') AND l.objsubid = 2;"
        )
        return self._ask(proc, sql)

    def acquire(self) -> None:
        """Take the lock, waiting up to the timeout.

        Raises:
            LockError: another apply holds it, or the server cannot be reached.
        """
        proc = self._start()
        deadline = time.monotonic() + self.timeout_s
        try:
            while True:
                got = self._ask(proc, f"SELECT pg_try_advisory_lock({self._sql_key()});")
                if got == "t":
                    self._proc = proc
                    return
                if time.monotonic() >= deadline:
                    who = self.holder(proc)
                    raise LockError(
                        f"another apply holds the shared lock on {self.cloud}: {who}",
                        hint="wait for it (--lock-timeout SECONDS)",
                    )
                time.sleep(POLL_S)
        except BaseException:
            self._stop(proc)
            raise

    @staticmethod
    def _stop(proc: subprocess.Popen[str]) -> None:
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def release(self) -> None:
        """End the session: the server releases the lock."""
        if self._proc is not None:
            self._stop(self._proc)
            self._proc = None

    def __enter__(self) -> PostgresLock:
        self.acquire()
        return self

    def __exit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
