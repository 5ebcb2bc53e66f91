"""Helpers for the review tests: run the console script as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NFS = REPO / "examples" / "nfs-baseline.yaml"
SECRET = "S3cr3t+kvm-root/x=="


def specc(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed console script (it imports this checkout through PYTHONPATH).

    ``KVM_ROOT_PASSWORD`` is set to ``SECRET``, ``HOME`` to *cwd*, no
    ``CLOUDSTACK_*`` variable leaks in.
    """
    exe = shutil.which("specc")
    assert exe, "the specc console script is installed with the package"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    env["KVM_ROOT_PASSWORD"] = SECRET
    env["HOME"] = str(cwd)
    return subprocess.run(
        [exe, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=cwd,
        env=env,
    )
