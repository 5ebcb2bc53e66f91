"""The README tells the truth: its spec validates, its commands run, CI runs its test command."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from specc.spec import load

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def _quickstart_commands() -> list[str]:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^[ ]*```sh\n(.*?)\n[ ]*```", section, re.S | re.M)
    return [" ".join(block.split()) for block in blocks]


def test_readme_spec_example_validates_strictly(tmp_path: Path) -> None:
    block = re.search(r"```yaml\n(# yaml-language-server.*?)```", README, re.S)
    assert block, "the README's spec example is missing"
    spec = tmp_path / "spec.yaml"
    spec.write_text(block.group(1), encoding="utf-8")
    result = load([spec], strict=True)
    assert result.ok, [f"{d.location} {d.code} {d.message}" for d in result.diagnostics]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    _install, test = _quickstart_commands()
    assert test.strip() == "bash .ci/run"
    documented = re.search(r"runs the suite with `([^`]+)`", README)
    assert documented, "the README no longer names its test command"
    ci_lines = [
        line.strip()
        for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert ci_lines[-1] == documented.group(1)


def test_quickstart_main_job_runs(tmp_path: Path) -> None:
    """The first command after its `pip install .`: plan and apply against the simulator."""
    install, _ = _quickstart_commands()
    prefix = "pip install . && "
    assert install.startswith(prefix)
    words = shlex.split(install[len(prefix) :])
    env = dict(os.environ)
    while "=" in words[0]:
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    assert words[0] == "specc"
    argv = [sys.executable, "-m", "specc.cli", *words[1:]]
    argv = [a if not a.startswith("examples/") else str(REPO / a) for a in argv]
    for _ in range(2):  # a second run from the same folder works too
        done = subprocess.run(
            argv,
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Traceback" not in done.stdout + done.stderr
    assert "demo" not in done.stdout + done.stderr
