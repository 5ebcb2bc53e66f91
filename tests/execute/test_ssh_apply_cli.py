"""``specc apply SPEC --hosts ssh`` logs in to each host as the spec's host says.

A real sshd on loopback (the hosts of the Ceph example moved to 127.0.0.0/24, every
address of which is this machine) accepts one key, for the current user, and runs
a forced command that appends what it is sent to a file instead of running it: the
scripts are not run on this machine, but each one went through a real ssh login.
The spec names the user and the key (``username``, ``ssh_key: {env: ...}``);
``--ssh-user`` names a user that does not exist, so only the spec's login works.
"""

from __future__ import annotations

import getpass
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from sshdhelp import running_sshd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from test_apply import env_for, secrets_of, specc

Recorder = tuple[int, Path, Path, Path, Path]
"""sshd's port, the spec hosts' key, the --ssh-key key, what each key was sent."""
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ceph-rbd-kvm.yaml"


def _spec(folder: Path, key_env: str) -> Path:
    """The Ceph example with its management subnet on loopback and a login per host.

    Its admin node (where the Ceph pool is made) is on loopback too: no spec host,
    so no login of its own.
    """
    yaml = YAML()
    doc = yaml.load(EXAMPLE.read_text().replace("10.20.0.", "127.0.0."))
    doc["backends"][0]["admin_node"] = "127.0.0.5"  # the pool's script: not a spec host
    for zone in doc["zones"]:
        for pod in zone["pods"]:
            for cluster in pod["clusters"]:
                for host in cluster["hosts"]:
                    host["username"] = getpass.getuser()
                    host["ssh_key"] = {"env": key_env}
    path = folder / "spec.yaml"
    with path.open("w") as fh:
        yaml.dump(doc, fh)
    return path


@pytest.fixture
def recording_sshd(tmp_path: Path) -> Iterator[Recorder]:
    """sshd with two keys: each login records what it is sent in the key's own file."""
    spec_sent, cli_sent = tmp_path / "spec-key.sh", tmp_path / "cli-key.sh"
    folder = tmp_path / "sshd"
    with running_sshd(folder, forced=f"cat >> {spec_sent}", listen="0.0.0.0") as (port, key, _):
        other = tmp_path / "cli_key"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other], check=True)
        with (folder / "authorized_keys").open("a") as fh:  # sshd reads it at each login
            fh.write(f'command="cat >> {cli_sent}" ' + Path(f"{other}.pub").read_text())
        yield port, key, other, spec_sent, cli_sent


def test_apply_spec_uses_each_host_login(recording_sshd: Recorder, tmp_path: Path) -> None:
    port, key, other, spec_sent, cli_sent = recording_sshd
    spec = _spec(tmp_path, "HOST_SSH_KEY")
    known = tmp_path / "known_hosts"
    env = env_for(tmp_path, **secrets_of(EXAMPLE), HOST_SSH_KEY=key.read_text())
    plan = specc("plan", spec, "--sim", "-o", tmp_path / "plan.json", env=env, cwd=tmp_path)
    assert plan.returncode == 0, plan.stderr
    steps = json.loads((tmp_path / "plan.json").read_text())["steps"]
    scripts = {s["address"]: s["script"] for s in steps if "script" in s}
    hosts = {"127.0.0.11", "127.0.0.12", "127.0.0.13"}
    assert set(scripts) == {*hosts, "127.0.0.5"}
    run = specc(
        "apply", spec, "--sim", "--auto-approve", "--hosts", "ssh",
        "--ssh-user", getpass.getuser(), "--ssh-key", other, "--ssh-port", str(port),
        "--ssh-known-hosts", known,
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    # each spec host logged in with its ssh_key; the admin node with --ssh-key
    assert all(scripts[h] in spec_sent.read_text() for h in hosts)
    assert scripts["127.0.0.5"] not in spec_sent.read_text()
    assert scripts["127.0.0.5"] in cli_sent.read_text()
    assert not any(scripts[h] in cli_sent.read_text() for h in hosts)
    assert len(known.read_text().splitlines()) == 4  # a new host key per address
    assert key.read_text() not in run.stdout + run.stderr


def test_a_host_key_that_is_not_set_stops_apply_before_any_call(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "NO_SUCH_SSH_KEY")
    env = env_for(tmp_path, **secrets_of(EXAMPLE))
    run = specc("apply", spec, "--sim", "--auto-approve", "--hosts", "ssh", env=env, cwd=tmp_path)
    assert run.returncode == 1
    assert "ssh_key of host 127.0.0.11" in run.stderr and "NO_SUCH_SSH_KEY" in run.stderr
    assert "Traceback" not in run.stderr
