"""``--prune`` of a whole cluster (with its host and pool) against the simulator.

deleteCluster fails while the cluster has hosts or pools: the cluster's delete must
wait for the pool's (after its maintenance step) and the host's (forced). The cluster
has dependents, so it is pruned only with ``--force`` (even when they go too).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from test_prune_sim import BASELINE, _specc

CLUSTER = (
    "          - name: kvm2\n            hypervisor: KVM\n            hosts:\n"
    "              - name: kvm2-h1\n                address: 10.10.0.14\n"
    "                os: el8\n                password: {env: KVM_ROOT_PASSWORD}\n"
)
POOL = (
    "      - name: nfs-primary-2\n        backend: nfs-extra\n        scope: cluster\n"
    "        pod: pod1\n        cluster: kvm2\n"
)
BACKEND = "  - name: nfs-extra\n    type: nfs\n    server: 10.10.0.22\n    export: /export/extra\n"


def test_prune_deletes_a_cluster_after_its_host_and_pool(tmp_path: Path) -> None:
    text = BASELINE.read_text()
    for anchor in (
        "    primary_storage:\n",
        "    secondary_storage:\n",
        "  - name: nfs-secondary\n",
    ):
        assert anchor in text
    full = tmp_path / "full.yaml"
    full.write_text(
        text.replace("    primary_storage:\n", CLUSTER + "    primary_storage:\n")
        .replace("    secondary_storage:\n", POOL + "    secondary_storage:\n")
        .replace("  - name: nfs-secondary\n", BACKEND + "  - name: nfs-secondary\n")
    )
    state, plan_file = tmp_path / "sim.db", tmp_path / "prune.json"
    sim = ("--sim", "--sim-state", state)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    env["KVM_ROOT_PASSWORD"] = "secret-pw"
    first = _specc("apply", full, *sim, "--auto-approve", "--hosts", "skip", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr

    planned = _specc(
        "plan", BASELINE, *sim, "--prune", "--force", "-o", plan_file, env=env, cwd=tmp_path
    )
    assert planned.returncode == 0, planned.stdout + planned.stderr
    steps = {s["id"]: s for s in json.loads(plan_file.read_text())["steps"]}
    cluster = steps["delete:cluster:zone1/pod1/kvm2"]
    assert "delete:storagepool:zone1/nfs-primary-2" in cluster["depends_on"]
    assert "delete:host:zone1/pod1/kvm2/10.10.0.14" in cluster["depends_on"]
    assert "maintenance:storagepool:zone1/nfs-primary-2" in steps
    assert steps["delete:host:zone1/pod1/kvm2/10.10.0.14"]["params"]["forced"] is True

    applied = _specc("apply", plan_file, *sim, "--hosts", "skip", env=env, cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    again = _specc("plan", BASELINE, *sim, "--prune", "--detailed-exitcode", env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "0 to destroy" in again.stdout
