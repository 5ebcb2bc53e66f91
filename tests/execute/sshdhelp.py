"""A real sshd on loopback for the ``--hosts ssh`` tests, started by the test.

The server gets a generated host key and accepts a generated user key for the
current user. *forced*, when given, is the ``command=`` of that key in
``authorized_keys``: the login runs it instead of what the client asked for (the
CLI test records the scripts it is sent instead of running them on this machine).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_sshd(
    folder: Path, *, forced: str | None = None, listen: str = "127.0.0.1"
) -> Iterator[tuple[int, Path, Path]]:
    """Run sshd from *folder*: yields its port, the user's private key, a known_hosts file."""
    sshd_bin = shutil.which("sshd") or "/usr/sbin/sshd"
    assert Path(sshd_bin).exists(), "openssh-server is installed"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    host_key, user_key = folder / "host_key", folder / "user_key"
    for key in (host_key, user_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    auth = folder / "authorized_keys"
    assert forced is None or '"' not in forced
    prefix = "" if forced is None else f'command="{forced}" '
    auth.write_text(prefix + Path(f"{user_key}.pub").read_text())
    auth.chmod(0o600)
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress {listen}\nHostKey {host_key}\n"
        f"AuthorizedKeysFile {auth}\nPidFile {folder / 'sshd.pid'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        "StrictModes no\nPermitRootLogin prohibit-password\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # privilege separation directory
    proc = subprocess.Popen(
        [sshd_bin, "-D", "-e", "-f", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    probe = "127.0.0.1" if listen == "0.0.0.0" else listen
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection((probe, port), timeout=0.2).close()
            break
        except OSError:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.05)
    try:
        yield port, user_key, folder / "known_hosts"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
