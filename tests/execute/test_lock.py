"""The local lock file and the PostgreSQL advisory lock (on a real server)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from specc.errors import LockError
from specc.execute.lock import LocalLock, PostgresLock

CLOUD = "http://127.0.0.1:8080/client/api"


def test_second_local_lock_is_refused_naming_the_holder(tmp_path: Path) -> None:
    with LocalLock(tmp_path, CLOUD):
        with pytest.raises(LockError) as err:
            LocalLock(tmp_path, CLOUD).acquire()
        assert f"pid {os.getpid()} on {socket.gethostname()}" in err.value.message
        assert "--lock-timeout" in err.value.hint
    LocalLock(tmp_path, CLOUD).acquire()  # released on exit


def test_other_cloud_is_another_lock(tmp_path: Path) -> None:
    with LocalLock(tmp_path, CLOUD), LocalLock(tmp_path, CLOUD + "x"):
        pass


def test_lock_timeout_is_honoured(tmp_path: Path) -> None:
    with LocalLock(tmp_path, CLOUD):
        started = time.monotonic()
        with pytest.raises(LockError):
            LocalLock(tmp_path, CLOUD, timeout_s=0.6).acquire()
        assert 0.6 <= time.monotonic() - started < 3


def test_lock_file_without_a_holder_is_taken_whatever_it_says(tmp_path: Path) -> None:
    """The file's text is for the message only: no OS lock on it means the lock is free."""
    lock = LocalLock(tmp_path, CLOUD)
    lock.folder.mkdir(parents=True, exist_ok=True)
    lock.path.write_text(json.dumps({"pid": 1, "host": "elsewhere", "since": "t", "cloud": CLOUD}))
    lock.acquire()
    assert json.loads(lock.path.read_text())["pid"] == os.getpid()
    lock.release()
    assert not lock.path.exists()


def _holder(tmp_path: Path) -> subprocess.Popen[str]:
    """A process that takes the local lock, says so and sleeps."""
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from specc.execute.lock import LocalLock\n"
        f"LocalLock(Path({str(tmp_path)!r}), {CLOUD!r}).acquire()\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_live_holder_in_another_process_is_refused_by_name(tmp_path: Path) -> None:
    holder = _holder(tmp_path)
    try:
        with pytest.raises(LockError) as err:
            LocalLock(tmp_path, CLOUD).acquire()
        assert f"pid {holder.pid} on {socket.gethostname()}" in err.value.message
    finally:
        holder.kill()
        holder.wait()


def test_killed_holder_releases_the_lock_even_as_an_unreaped_zombie(tmp_path: Path) -> None:
    """SIGKILL, not reaped: the pid still answers ``kill(pid, 0)``, the OS lock is gone."""
    holder = _holder(tmp_path)
    try:
        holder.kill()
        deadline = time.monotonic() + 10
        while _state(holder.pid) != "Z" and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _state(holder.pid) == "Z", "the killed holder is a zombie until reaped"
        os.kill(holder.pid, 0)  # a pid check would call it alive
        with LocalLock(tmp_path, CLOUD) as lock:
            assert json.loads(lock.path.read_text())["pid"] == os.getpid()
    finally:
        holder.wait()


def _state(pid: int) -> str:
    """The process state letter from /proc (``Z`` for a zombie)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text.rsplit(")", 1)[1].split()[0]


def test_a_lock_on_a_released_file_is_not_the_lock(tmp_path: Path) -> None:
    """Release unlinks the file; whoever locks the old, unlinked file holds nothing."""
    first = LocalLock(tmp_path, CLOUD)
    first.acquire()
    stale_fd = os.open(first.path, os.O_RDWR)  # a waiter that opened the old file
    first.release()
    fcntl.flock(stale_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # it gets the old file's lock
    try:
        # the lock is the file at the path
        with LocalLock(tmp_path, CLOUD), pytest.raises(LockError):
            LocalLock(tmp_path, CLOUD).acquire()
    finally:
        os.close(stale_fd)


# -- PostgreSQL advisory lock on a real server ------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_binary(name: str) -> str:
    """A PostgreSQL server binary: on PATH, else in Debian's versioned folder."""
    found = shutil.which(name) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)),
        None,
    )
    assert found, f"PostgreSQL's {name} is installed (apt: postgresql)"
    return found


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server on a loopback port; its DSN."""
    initdb, pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
    folder = Path(tempfile.mkdtemp(prefix="specc-pg-"))
    data = folder / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(
        [*as_user, initdb, "-D", str(data), "-A", "trust", "-U", "postgres"],
        check=True,
        capture_output=True,
    )
    opts = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    subprocess.run(
        [*as_user, pg_ctl, "-D", str(data), "-o", opts, "-l", str(folder / "log"), "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(folder, ignore_errors=True)


def test_postgres_lock_excludes_a_second_holder_and_names_the_first(postgres: str) -> None:
    first = PostgresLock(postgres, CLOUD)
    first.acquire()
    try:
        with pytest.raises(LockError) as err:
            PostgresLock(postgres, CLOUD, timeout_s=0.5).acquire()
        assert "another apply holds the shared lock" in err.value.message
        assert f"pid {os.getpid()}" in err.value.message
        with PostgresLock(postgres, CLOUD + "/other"):
            pass
    finally:
        first.release()
    with PostgresLock(postgres, CLOUD):
        pass


def test_postgres_lock_dies_with_its_holder(postgres: str, tmp_path: Path) -> None:
    script = tmp_path / "hold.py"
    script.write_text(
        "import sys, time\n"
        "from specc.execute.lock import PostgresLock\n"
        f"PostgresLock({postgres!r}, {CLOUD!r}).acquire()\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n"
    )
    holder = subprocess.Popen(["python", str(script)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockError):
            PostgresLock(postgres, CLOUD).acquire()
        holder.kill()  # SIGKILL: no cleanup runs; the psql session ends with it
        holder.wait()
        with PostgresLock(postgres, CLOUD, timeout_s=10):
            pass
    finally:
        holder.kill()


def test_unreachable_postgres_is_a_clear_error() -> None:
    dsn = f"postgresql://postgres@127.0.0.1:{_free_port()}/postgres"
    with pytest.raises(LockError, match="cannot take the PostgreSQL lock"):
        PostgresLock(dsn, CLOUD).acquire()


def test_two_machines_share_the_postgres_lock(postgres: str, tmp_path: Path) -> None:
    """Two applies with separate lock folders (two machines): the shared lock refuses one."""
    from specc.sim import running

    spec = Path(__file__).resolve().parents[2] / "examples" / "nfs-baseline.yaml"
    exe = shutil.which("specc")
    assert exe
    with running(latency_ms=300) as sim:  # the first apply outlasts the second's start-up
        base = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
        base.update(sim.env())
        base.update({"KVM_ROOT_PASSWORD": "pw-x1234", "SPECC_LOCK_DB": postgres, "COLUMNS": "400"})

        def env(machine: str) -> dict[str, str]:
            return {
                **base,
                "HOME": str(tmp_path / machine),
                "SPECC_LOCK_DIR": str(tmp_path / machine),
            }

        args = [exe, "apply", str(spec), "--hosts", "skip", "--auto-approve"]
        first = subprocess.Popen(
            args,
            env=env("a"),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        query = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # until the first apply holds the shared lock
            held = subprocess.run(
                ["psql", "-X", "-A", "-t", "-d", postgres, "-c", query],
                capture_output=True,
                text=True,
                check=False,
            )
            if held.stdout.strip() == "1":
                break
            time.sleep(0.05)
        second = subprocess.run(
            args, env=env("b"), cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        sim.set_faults(latency_ms=0)
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, out + err
    assert second.returncode == 1
    assert "another apply holds the shared lock on " + sim.endpoint in second.stderr
    assert f"pid {first.pid}" in second.stderr
