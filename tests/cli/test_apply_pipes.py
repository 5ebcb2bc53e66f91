"""``specc apply ... | head``: the reader goes away, the apply goes on and says nothing more."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

from test_apply import NFS, env_for, journals, secrets_of, specc


def test_apply_piped_into_head_finishes_without_a_broken_pipe(tmp_path: Path) -> None:
    env = env_for(tmp_path, **secrets_of(NFS))
    sim = ("--sim", "--sim-state", tmp_path / "sim.db")
    plan = tmp_path / "plan.json"
    assert specc("plan", NFS, *sim, "-o", plan, env=env, cwd=tmp_path).returncode == 0
    exe = shutil.which("specc")
    assert exe
    line = shlex.join([exe, "apply", str(plan), *map(str, sim), "--hosts", "skip"])
    run = subprocess.run(
        ["bash", "-c", f'{line} | head -n 2; echo "specc exit ${{PIPESTATUS[0]}}" >&2'],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert len(run.stdout.splitlines()) == 2
    assert "specc exit 0" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and "BrokenPipe" not in run.stderr
    journal = journals(tmp_path)
    assert "BrokenPipe" not in journal and '"event":"failed"' not in journal
    assert journal.rstrip().endswith('{"event":"finished"}')
    replan = specc("plan", NFS, *sim, "--detailed-exitcode", env=env, cwd=tmp_path)
    assert replan.returncode == 0, replan.stdout


def test_plan_piped_into_a_closed_reader_is_no_internal_error(tmp_path: Path) -> None:
    """The reader is gone before specc writes (``true`` reads nothing): no message at all.

    click answers EPIPE on standard output with a silent exit 1.
    """
    exe = shutil.which("specc")
    assert exe
    env = env_for(tmp_path, **secrets_of(NFS))  # no preflight warning on stderr
    line = shlex.join([exe, "plan", str(NFS), "--sim"])
    run = subprocess.run(
        ["bash", "-c", f'{line} | true; echo "specc exit ${{PIPESTATUS[0]}}" >&2'],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert run.stderr.splitlines()[:-1] == [], run.stderr  # nothing but our echo
    assert run.stderr.strip() in ("specc exit 0", "specc exit 1")
