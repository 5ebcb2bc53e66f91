"""Every generated host script of every example and test spec passes shellcheck.

The real shellcheck binary is required: without it the test fails (CI installs it
from apt), it never skips.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hosts.hosthelp import ALL_SPECS, COMMAND_SHIMS, load_spec, spec_id
from specc.hosts.collect import host_scripts


@pytest.mark.parametrize("path", ALL_SPECS, ids=spec_id)
def test_generated_scripts_pass_shellcheck(path: Path, tmp_path: Path) -> None:
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is not installed (apt-get install shellcheck)"
    files = []
    for s in host_scripts(load_spec(path)):
        f = tmp_path / (s.id.replace(":", "_") + ".sh")
        f.write_text(s.script)
        files.append(str(f))
    if not files:
        # NFS-only specs need no host scripts (the zone-type examples are NFS-only too).
        no_scripts = {
            "nfs-baseline",
            "direct-download",
            "basic-zone",
            "advanced-sg",
            "multi-physnet",
        }
        assert path.stem in no_scripts, "no scripts for a storage spec"
        return
    proc = subprocess.run(
        [shellcheck, "--shell=bash", "--severity=style", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_sandbox_shim_passes_shellcheck() -> None:
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is not installed (apt-get install shellcheck)"
    shim = Path(__file__).parent / "shims" / "shim.sh"
    proc = subprocess.run([shellcheck, str(shim)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout
    for plugin in COMMAND_SHIMS:  # the backends' own command shims, when written in bash
        if plugin.read_text().startswith("#!/usr/bin/env bash"):
            proc = subprocess.run(
                [shellcheck, str(plugin)], capture_output=True, text=True, check=False
            )
            assert proc.returncode == 0, proc.stdout
