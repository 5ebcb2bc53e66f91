"""The journal is keyed to the cloud's identity (``getCloudIdentifier``), not to the plan
alone: a simulator state made again is another cloud, and the same plan applies there."""

from __future__ import annotations

import json
import re
from pathlib import Path

from test_apply import NFS, env_for, secrets_of, specc


def test_same_plan_on_a_recreated_sim_state_applies_again(tmp_path: Path) -> None:
    env = env_for(tmp_path, **secrets_of(NFS))
    state = tmp_path / "sim.db"
    sim = ("--sim", "--sim-state", state)
    plan = tmp_path / "plan.json"
    assert specc("plan", NFS, *sim, "-o", plan, env=env, cwd=tmp_path).returncode == 0
    first = specc("apply", plan, *sim, "--hosts", "skip", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    noop = specc("apply", plan, *sim, "--hosts", "skip", env=env, cwd=tmp_path)
    assert noop.returncode == 0 and "already applied in full" in noop.stdout  # same cloud

    state.unlink()  # the state made anew: empty, as when the plan was made
    again = specc("apply", plan, *sim, "--hosts", "skip", env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Apply complete" in again.stdout and "another cloud" not in again.stderr
    replan = specc("plan", NFS, *sim, "--detailed-exitcode", env=env, cwd=tmp_path)
    assert replan.returncode == 0, replan.stdout

    names = sorted(p.name for p in tmp_path.glob("plan.*.journal.jsonl"))
    assert len(names) == 2 and all(
        re.fullmatch(r"plan\.\w{12}\.\w{12}\.journal\.jsonl", n) for n in names
    )
    clouds = set()
    for name in names:
        begin = json.loads((tmp_path / name).read_text().splitlines()[0])
        clouds.add(begin["cloud"])
    assert len(clouds) == 2 and all(c.startswith("cloud:") for c in clouds)
