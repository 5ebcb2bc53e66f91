"""The apply lock through the CLI: a live holder refuses, a killed one does not."""

from __future__ import annotations

import time
from pathlib import Path

from test_apply import NFS, env_for, popen, secrets_of, specc

from specc.sim import running


def test_killed_apply_does_not_block_the_next_one(tmp_path: Path) -> None:
    """SIGKILL, left unreaped (a zombie, as under a slow PID 1): the rerun takes the lock."""
    with running() as sim:
        env = env_for(tmp_path, sim, **secrets_of(NFS))
        plan = tmp_path / "plan.json"
        assert specc("plan", NFS, "-o", plan, env=env, cwd=tmp_path).returncode == 0
        sim.set_faults(latency_ms=300)  # the first apply takes long enough to be caught
        first = popen("apply", plan, "--hosts", "skip", env=env, cwd=tmp_path)
        try:
            deadline = time.monotonic() + 60
            while not list((tmp_path / "locks").glob("*.lock")) and time.monotonic() < deadline:
                time.sleep(0.02)
            live = specc("apply", plan, "--hosts", "skip", env=env, cwd=tmp_path)
            assert live.returncode == 1
            assert f"another apply holds the lock on {sim.endpoint}: pid {first.pid}" in (
                " ".join(live.stderr.split())
            )
            first.kill()  # not reaped: it stays a zombie while the next apply runs
            sim.set_faults(latency_ms=0)
            again = specc("apply", plan, "--hosts", "skip", env=env, cwd=tmp_path)
        finally:
            first.kill()
            first.communicate()
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Apply complete" in again.stdout
