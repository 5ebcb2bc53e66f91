"""``specc apply`` and ``specc drift`` through the console script at 5 % faults.

The simulator answers 5 % of the calls with a 503 or drops their answer after the
call ran (held, then the connection closed: "it may have run"). One apply
converges with no duplicates, and drift finishes, under the same faults.
"""

from __future__ import annotations

import time
from pathlib import Path

from test_apply import CEPH, duplicates, env_for, secrets_of, specc

from specc.sim import running


def test_one_apply_converges_under_faults_and_drift_finishes(tmp_path: Path) -> None:
    secrets = secrets_of(CEPH)
    with running(latency_ms=5, fault_rate=0.05, fault_seed=5) as sim:
        sim.config.timeout_hold_s = 0.5
        sim.set_faults(timeouts_after_call=True)
        env = env_for(tmp_path, sim, **secrets)
        run = specc("apply", CEPH, "--hosts", "skip", "--auto-approve", env=env, cwd=tmp_path)
        assert run.returncode == 0, run.stdout + run.stderr
        started = time.monotonic()
        drift = specc("drift", CEPH, env=env, cwd=tmp_path)
        took = time.monotonic() - started
        assert drift.returncode == 0, drift.stdout + drift.stderr
        assert "In sync" in drift.stdout
        assert took < 60
        sim.set_faults(fault_rate=0.0)
        assert duplicates(sim) == []
