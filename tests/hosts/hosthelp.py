"""Helpers of the host-script tests: the specs, and a sandbox that runs scripts.

The sandbox puts a bin directory first on PATH whose commands (ceph, rbd, dnf,
systemctl, mkfs.ocfs2, ip, ...) are links to ``shims/shim.sh``: each call is
logged as ``R`` (read) or ``M`` (mutating) and its effect kept in state files.
A command only one backend's scripts call is a plug-in: its own executable
``shims/commands/<command>`` (:data:`COMMAND_SHIMS`), linked under its name, so a
new backend brings its vendor CLI's shim without touching ``shim.sh``; a service
whose start loads kernel modules lists them in ``shims/units/<unit>``.
Files the scripts write go under ``SPECC_ROOT``. Each host has its own root and
state; hosts of one spec share the Ceph cluster and the SAN LUNs.

Software that specc checks for but never installs (a storage system's own client)
is there as it would be on a prepared host: its command is a plug-in shim like any
other, and ``shims/root/`` (:data:`IMAGE`) is copied into every host's root before a
script runs. A backend whose scripts need such software adds both as new files.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from specc.spec import require
from specc.spec.models import Spec

HERE = Path(__file__).parent
REPO = HERE.parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
CASES = sorted((HERE / "specs").glob("*.yaml"))
ALL_SPECS = EXAMPLES + CASES
SHIM = HERE / "shims" / "shim.sh"
IMAGE = HERE / "shims" / "root"
"""Files every host's root holds before a script runs (a prepared host's own software)."""
COMMAND_SHIMS = sorted(
    p for p in (HERE / "shims" / "commands").glob("*") if p.is_file() and os.access(p, os.X_OK)
)
"""The plug-in shims: one executable per command, named for it."""
UNIT_MODULES = sorted((HERE / "shims" / "units").glob("*"))
"""The services whose start loads kernel modules, one file per unit listing them."""
SHIMMED = [
    "ceph",
    "rbd",
    "yum",
    "dnf",
    "apt-get",
    "rpm",
    "dpkg-query",
    "systemctl",
    "firewall-cmd",
    "iptables",
    "lsmod",
    "modprobe",
    "o2cb",
    "blkid",
    "mkfs.ocfs2",
    "mounted.ocfs2",
    "mount",
    "mountpoint",
    "virsh",
    "scp",
    "iscsiadm",
    "ip",
    "ping",
    "esxcli",
    "xe",
    "curl",
    "ssh",
    "vmkping",
    "nmcli",
]

# Known secret values: every test sets them and checks no output contains them.
CEPH_KEY = "AQDshimKey/with+slash==Zq9"
SF_PASSWORD = "Sf-Pa55w0rd/shim+Qx7"
HOST_PASSWORD = "h0st-Pa55/shim+Rt4"


def spec_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def load_spec(path: Path) -> Spec:
    v = require([path])
    assert v.spec is not None
    return v.spec


@dataclass
class Run:
    rc: int
    out: str
    err: str
    calls: list[str]

    @property
    def mutations(self) -> list[str]:
        return [c for c in self.calls if c.startswith("M ")]


def tree(root: Path) -> dict[str, str]:
    """Every file under *root*: relative path -> mode and content hash."""
    out: dict[str, str] = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
            out[str(p.relative_to(root))] = f"{p.stat().st_mode & 0o7777:o} {digest}"
        elif p.is_dir():
            out[str(p.relative_to(root)) + "/"] = "dir"
    return out


class Sandbox:
    """Runs scripts as hosts of one spec: per-host root and state, shared cluster state.

    *image* is copied into each host's root when it is made (None: an empty root).
    """

    def __init__(self, base: Path, bin_dir: Path, image: Path | None = IMAGE) -> None:
        self.base = base
        self.bin = bin_dir
        self.image = image
        self.shared = base / "shared"
        self.extra_env: dict[str, str] = {}

    def root(self, host: str) -> Path:
        p = self.base / "hosts" / host / "root"
        if not p.exists():
            p.mkdir(parents=True)
            if self.image is not None and self.image.is_dir():
                shutil.copytree(self.image, p, dirs_exist_ok=True)
        return p

    def state(self, host: str) -> Path:
        return self.base / "hosts" / host / "state"

    def run(self, host: str, script: str, *, stdin: bool = False, **env: str) -> Run:
        """Run *script* as *host*: ``bash -c SCRIPT``, or ``bash -s`` fed on stdin."""
        log = self.base / "calls.log"
        log.write_text("")
        full = {
            "PATH": f"{self.bin}:{os.environ['PATH']}",
            "HOME": str(self.base),
            "LC_ALL": "C",
            "SPECC_ROOT": str(self.root(host)),
            "SHIM_STATE": str(self.state(host)),
            "SHIM_SHARED": str(self.shared),
            "SHIM_LOG": str(log),
            "SHIM_CEPH_KEY": CEPH_KEY,
            "SHIM_SF_PASSWORD": SF_PASSWORD,
            **self.extra_env,
            **env,
        }
        proc = subprocess.run(
            ["bash", "-s"] if stdin else ["bash", "-c", script],
            input=script if stdin else "",
            env=full,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr, log.read_text().splitlines())
