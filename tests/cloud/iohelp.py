"""Helpers of the connection tests: the console script, a closed port, a TLS server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Mapping
from pathlib import Path

from specc.cloud.client import CloudClient, Credentials, RetryPolicy

FAST = RetryPolicy(attempts=2, backoff_s=0.01, request_timeout_s=5, poll_start_s=0.01)


def specc(
    *args: str | Path, env: Mapping[str, str] | None = None, home: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``specc`` console script; CLOUDSTACK_* come only from *env*."""
    exe = shutil.which("specc")
    assert exe, "the specc console script is installed with the package"
    full = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    if home is not None:
        full["HOME"] = str(home)
    full.update(env or {})
    return subprocess.run(
        [exe, *map(str, args)], capture_output=True, text=True, timeout=120, check=False, env=full
    )


def closed_port() -> int:
    """A loopback port nothing listens on (bound then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def client_for(endpoint: str, key: str = "k", secret: str = "s", **kw: object) -> CloudClient:
    """A client with fast retries."""
    return CloudClient(Credentials(endpoint, key, secret, **kw), FAST)  # type: ignore[arg-type]


def self_signed(tmp: Path) -> tuple[Path, Path]:
    """A throwaway self-signed certificate and key for 127.0.0.1."""
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key
