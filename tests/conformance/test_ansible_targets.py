"""The integration targets of the Ansible collection ``ngine_io.cloudstack`` pass against
``specc sim serve``.

The targets (``../shared/conformance/ansible-cloudstack-targets``, tag v2.5.0, unchanged)
were written by the collection's authors against a real CloudStack simulator management
server; here each runs, as its README says, as a playbook on localhost against a fresh
``specc sim serve`` process holding the data center Marvin builds (:mod:`marvin_dc`).
Ansible and `cs` come from PyPI into a cached throwaway venv (:mod:`toolenv`). Each
target is one test; a failure names the playbook task that failed and its message.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from marvin_dc import SERVICE_OFFERING, TEMPLATE, deploy
from simproc import serve
from toolenv import python_env

TARGETS = Path(__file__).resolve().parents[2].parent / "shared" / "conformance"
TARGETS = TARGETS / "ansible-cloudstack-targets"
# ansible 12.3.0 carries ngine_io.cloudstack 2.5.0, the tag the targets come from.
PINS = ("ansible==12.3.0", "cs==5.2.0")
SHARED = "cs_common"


def target_names() -> list[str]:
    if not TARGETS.is_dir():
        return []
    return sorted(
        p.name
        for p in TARGETS.iterdir()
        if (p / "tasks" / "main.yml").is_file() and p.name != SHARED
    )


def _bare_includes(text: str) -> str:
    """``- include: x.yml`` (removed from ansible-core 2.16) is ``- include_tasks: x.yml``."""
    return re.sub(r"^(\s*-\s*)include:(\s)", r"\1include_tasks:\2", text, flags=re.MULTILINE)


def write_playbook(target: str, work: Path) -> Path:
    """A copy of *target* (includes made ``include_tasks``) and the playbook that runs it."""
    copy = work / "targets"
    for name in (SHARED, target):
        shutil.copytree(TARGETS / name, copy / name)
        for tasks in (copy / name).rglob("*.yml"):
            tasks.chmod(0o644)
            tasks.write_text(_bare_includes(tasks.read_text()))
    vars_files = [copy / SHARED / "defaults" / "main.yml"]
    if (copy / target / "defaults" / "main.yml").is_file():
        vars_files.append(copy / target / "defaults" / "main.yml")
    play = [
        {
            "name": target,
            "hosts": "localhost",
            "gather_facts": True,
            "gather_subset": ["min"],
            "collections": ["ngine_io.cloudstack"],
            "vars_files": [str(v) for v in vars_files],
            "tasks": [{"include_tasks": str(copy / target / "tasks" / "main.yml")}],
        }
    ]
    path = work / "playbook.yml"
    path.write_text(json.dumps(play, indent=2))  # JSON is YAML
    return path


def failed_task(report: dict[str, Any]) -> str:
    """The task that stopped the play, with its message (from the json callback)."""
    last = "?"
    for play in report.get("plays", []):
        for task in play.get("tasks", []):
            for result in task.get("hosts", {}).values():
                if result.get("failed") or result.get("unreachable"):
                    detail = {
                        k: result[k]
                        for k in ("msg", "assertion", "evaluated_to", "exception")
                        if k in result
                    }
                    last = f"{task['task']['name']!r}: {json.dumps(detail)[:1500]}"
    return last


def run_target(target: str, work: Path, venv: Path, env: dict[str, str]) -> dict[str, Any]:
    playbook = write_playbook(target, work)
    python = venv / "bin" / "python"
    run_env = {
        **os.environ,
        **env,
        "ANSIBLE_PYTHON_INTERPRETER": str(python),
        "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json",
        "ANSIBLE_HOME": str(work / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(work / "ansible-tmp"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_DEPRECATION_WARNINGS": "0",
        "ANSIBLE_FORKS": "1",
        "ANSIBLE_PIPELINING": "1",
        "PYTHONPATH": "",
    }
    proc = subprocess.run(
        [str(venv / "bin" / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook)],
        cwd=work,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    try:
        report: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise AssertionError(
            f"ansible-playbook exited {proc.returncode}: {proc.stdout[-3000:]}{proc.stderr[-3000:]}"
        ) from None
    return report


@pytest.fixture(scope="module")
def ansible_venv() -> Path:
    return python_env("ansible", PINS)


@pytest.mark.parametrize("target", target_names())
def test_target_passes(target: str, ansible_venv: Path, tmp_path: Path) -> None:
    with serve() as sim:
        cs = sim.client()
        deploy(cs)
        assert cs.listServiceOfferings(name=SERVICE_OFFERING)["count"] == 1
        found = cs.listTemplates(templatefilter="all", name=TEMPLATE).get("template", [])
        assert [t["name"] for t in found] == [TEMPLATE]
        report = run_target(target, tmp_path, ansible_venv, sim.env)
    stats = report["stats"]["localhost"]
    assert stats["failures"] == 0 and stats["unreachable"] == 0, failed_task(report)
    assert stats["ok"] > 1


def test_the_targets_are_there() -> None:
    assert len(target_names()) == 11
