"""An OS type is looked up by its exact description, not the server's first LIKE row.

apache/cloudstack ``GuestOSDaoImpl.listGuestOSByCriteria`` (4.18.2.5, 4.22.1.0) turns
listOsTypes' ``description`` into ``displayName LIKE %description%`` sorted by display
name, so ``description=Ubuntu 22.04 LTS`` also returns a (custom) ``Kubuntu 22.04 LTS``
ahead of it. The compiler's lookup step says which row it wants (``select``), and
the executor takes that row from the answer of the simulator, which matches as the
server does.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from exechelp import REPO, client, plan_of

from specc.cloud.state import LiveState
from specc.core.steps import ApiCall, Plan
from specc.errors import ApplyError
from specc.execute.executor import Executor, Settings
from specc.execute.journal import Journal, Progress, plan_identity
from specc.execute.secrets import Masker, SecretResolver
from specc.sim import running

EXAMPLE = REPO / "examples" / "ceph-rbd-kvm.yaml"  # its template's OS is Ubuntu 22.04 LTS
WANTED = "Ubuntu 22.04 LTS"


def _lookups(plan: Plan) -> list[ApiCall]:
    return [s for s in plan.steps if isinstance(s, ApiCall) and s.command == "listOsTypes"]


def test_list_os_types_lookup_selects_the_exact_description() -> None:
    """The emitted call: description as the filter, the same text as the selection."""
    plan = plan_of(EXAMPLE, LiveState(api_version="4.18.0.0", resources={}))
    (step,) = _lookups(plan)
    assert step.params == {"description": WANTED}
    assert step.select == {"description": WANTED}
    assert step.outputs == {"id": "id"}


def _snapshot(tmp_path: Path, descriptions: list[str]) -> Path:
    rows = [
        {"id": f"os-{i}", "description": d, "oscategoryid": "cat-1", "isuserdefined": True}
        for i, d in enumerate(descriptions)
    ]
    path = tmp_path / "snapshot.json"
    doc = {
        "format": "specc-snapshot",
        "version": 1,
        "api_version": "4.18.0.0",
        "resources": {"ostype": rows},
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _run_lookup(tmp_path: Path, descriptions: list[str]) -> dict[str, object]:
    offline = plan_of(EXAMPLE, LiveState(api_version="4.18.0.0", resources={}))
    plan = dataclasses.replace(offline, steps=tuple(_lookups(offline)), changes=())
    with running(seed=_snapshot(tmp_path, descriptions)) as sim:
        journal = tmp_path / "journal.jsonl"
        executor = Executor(
            plan,
            client(sim),
            Journal(journal, plan_identity(plan)),
            SecretResolver({}, tmp_path, Masker()),
            lambda step, resolver: "skipped",
            lambda event: None,
            Settings(wait_poll_s=0.01),
        )
        executor.run(Progress())
        return dict(executor.outputs[f"lookup:ostype:{WANTED}"])


def test_lookup_takes_the_exact_row_not_the_first_like_match(tmp_path: Path) -> None:
    outputs = _run_lookup(tmp_path, ["Ubuntu 22.04 LTS", "Kubuntu 22.04 LTS"])
    assert outputs == {"id": "os-0"}  # "Kubuntu ..." comes first in the server's answer


def test_lookup_without_the_exact_row_fails_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ApplyError) as err:
        _run_lookup(tmp_path, ["Kubuntu 22.04 LTS"])
    assert "listOsTypes returned no item with description = 'Ubuntu 22.04 LTS'" in str(err.value)
