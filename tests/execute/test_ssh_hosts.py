"""``--hosts ssh`` against a real sshd on loopback, started by the test.

The server gets a generated host key and accepts a generated user key for the
current user; the script's secrets travel on its standard input, never on a
command line, and never appear in an error.
"""

from __future__ import annotations

import getpass
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sshdhelp import running_sshd

from specc.core.steps import HostScript, SecretParam
from specc.errors import ApplyError
from specc.execute.hosts import SshHosts, SshLogin
from specc.execute.secrets import MASK, Masker, SecretResolver

SECRET = "Ssh+S3cret/value=="


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path, Path]]:
    """A running sshd: its port, the user's private key, a known_hosts file."""
    with running_sshd(tmp_path_factory.mktemp("sshd")) as server:
        yield server


def _runner(sshd: tuple[int, Path, Path]) -> SshHosts:
    port, key, known = sshd
    return SshHosts(user=getpass.getuser(), key=key, port=port, known_hosts=known, timeout_s=30)


def _step(script: str) -> HostScript:
    return HostScript(
        id="script:test:h1",
        host="h1",
        address="127.0.0.1",
        role="test",
        script=script,
        secrets=(SecretParam("env", "SPECC_TEST_SECRET"),),
    )


def test_script_runs_over_ssh_with_its_secret(sshd: tuple[int, Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "ran.txt"
    resolver = SecretResolver({"SPECC_TEST_SECRET": SECRET}, tmp_path, Masker())
    script = f'set -eu\nprintf "%s %s" "$(whoami)" "$SPECC_TEST_SECRET" > {out}\n'
    assert _runner(sshd)(_step(script), resolver) == "done"
    assert out.read_text() == f"{getpass.getuser()} {SECRET}"
    assert SECRET not in " ".join(_runner(sshd).command("127.0.0.1"))


def test_failing_script_reports_masked_output(sshd: tuple[int, Path, Path], tmp_path: Path) -> None:
    resolver = SecretResolver({"SPECC_TEST_SECRET": SECRET}, tmp_path, Masker())
    script = 'echo "could not use $SPECC_TEST_SECRET" >&2\nexit 3\n'
    with pytest.raises(ApplyError) as err:
        _runner(sshd)(_step(script), resolver)
    assert "failed on 127.0.0.1 (exit 3)" in err.value.message
    assert SECRET not in err.value.message and MASK in err.value.message


def test_unknown_user_key_is_refused(sshd: tuple[int, Path, Path], tmp_path: Path) -> None:
    port, _, known = sshd
    other = tmp_path / "other_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    runner = SshHosts(user=getpass.getuser(), key=other, port=port, known_hosts=known)
    resolver = SecretResolver({"SPECC_TEST_SECRET": SECRET}, tmp_path, Masker())
    with pytest.raises(ApplyError, match="exit 255"):
        runner(_step("true\n"), resolver)


def test_spec_login_with_a_key_from_the_environment(
    sshd: tuple[int, Path, Path], tmp_path: Path
) -> None:
    port, key, known = sshd
    login = SshLogin(getpass.getuser(), SecretParam("env", "HOST_SSH_KEY"))
    runner = SshHosts(user="nobody-here", port=port, known_hosts=known, logins={"127.0.0.1": login})
    env = {"SPECC_TEST_SECRET": SECRET, "HOST_SSH_KEY": key.read_text()}
    resolver = SecretResolver(env, tmp_path, Masker())
    out = tmp_path / "who.txt"
    assert runner(_step(f"whoami > {out}\n"), resolver) == "done"
    assert out.read_text().strip() == getpass.getuser()
    assert not list(Path(tempfile.gettempdir()).glob("specc-ssh-*/key"))
