"""Host-script runners: ``manual`` (the default), ``ssh`` and ``skip``.

- manual: the script is written to a file; the operator runs it on the host and
  confirms, interactively, or (a planned pause) on a later run with ``--continue``
  or ``--hosts-done STEP``;
- ssh: the script is sent to ``bash -s`` on the host over ``ssh`` (key
  authentication, batch mode). Secrets the script reads from environment variables
  are sent as ``export`` lines on the script's standard input, never on a command
  line; secrets it reads from files must be on the host;
- skip: host preparation is done elsewhere (configuration management).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from specc.core.steps import HostScript, SecretParam
from specc.errors import ApplyError
from specc.execute.secrets import SecretResolver
from specc.spec.models import Spec

Confirm = Callable[[HostScript, Path], bool]


def script_path_name(step: HostScript) -> str:
    """The file name of *step*'s script: ``script_storage-network_kvm1.sh``."""
    return f"{step.id.replace(':', '_').replace('/', '_')}.sh"


def script_file(step: HostScript, folder: Path) -> Path:
    """Write *step*'s script (it holds no secret values) to *folder*; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / script_path_name(step)
    path.write_text(step.script if step.script.endswith("\n") else step.script + "\n")
    path.chmod(0o700)
    return path


@dataclass
class ManualHosts:
    """The operator runs each script; *confirm* asks (None: not interactive).

    Not interactive, a script that is not yet confirmed is a planned pause: it is
    written to *folder* and the step ``waiting`` for the operator, who confirms it
    on a later run with ``--hosts-done STEP`` (*done*) or ``--continue`` (the steps
    in *confirmed*: the CLI puts there the scripts an earlier pause wrote, unchanged).
    """

    folder: Path
    done: frozenset[str] = frozenset()
    confirm: Confirm | None = None
    confirmed: frozenset[str] = frozenset()
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, step: HostScript, resolver: SecretResolver) -> str:
        """``done``/``confirmed`` once confirmed, else ``waiting``; raise when refused."""
        if step.id in self.confirmed:
            return "confirmed"
        path = script_file(step, self.folder)
        if step.id in self.done:
            return "done"
        if self.confirm is None:
            return "waiting"
        with self._lock:  # one question at a time
            if not self.confirm(step, path):
                raise ApplyError(f"host script {step.id} was not confirmed")
        return "done"


def waiting_scripts(steps: Iterable[HostScript], folder: Path) -> frozenset[str]:
    """The scripts of *steps* an earlier pause handed to the operator, unchanged since.

    Their file in *folder* (as :func:`script_file` writes it) exists and holds the
    step's script: ``--continue`` confirms exactly these.
    """
    out = set()
    for step in steps:
        path = folder / script_path_name(step)
        text = step.script if step.script.endswith("\n") else step.script + "\n"
        try:
            if path.read_text() == text:
                out.add(step.id)
        except OSError:
            continue
    return frozenset(out)


def skip_hosts(step: HostScript, resolver: SecretResolver) -> str:
    """``--hosts skip``: nothing runs."""
    return "skipped"


@dataclass(frozen=True)
class SshLogin:
    """How to log in to one host: the spec's ``username`` and ``ssh_key`` reference.

    None: what ``--ssh-user`` / ``--ssh-key`` say.
    """

    user: str | None = None
    key: SecretParam | None = None


@dataclass
class SshHosts:
    """Run scripts over SSH as *user* with *key* (and optional ssh options).

    *logins* (by host address, from the spec) override the user and key per host; a
    key given as ``{env: NAME}`` is written to a private temporary file for the call.
    """

    user: str
    key: Path | None = None
    port: int = 22
    known_hosts: Path | None = None
    timeout_s: float = 3600.0
    extra: tuple[str, ...] = ()
    logins: Mapping[str, SshLogin] = field(default_factory=dict)

    def command(self, address: str, user: str | None = None, key: Path | None = None) -> list[str]:
        """The ssh command line for *address* (no secret in it)."""
        ssh = shutil.which("ssh")
        if ssh is None:
            raise ApplyError("--hosts ssh needs the ssh client, which is not installed")
        cmd = [ssh, "-p", str(self.port), "-o", "BatchMode=yes", "-o", "ConnectTimeout=10"]
        key = key or self.key
        if key is not None:
            cmd += ["-i", str(key), "-o", "IdentitiesOnly=yes"]
        if self.known_hosts is not None:
            cmd += ["-o", f"UserKnownHostsFile={self.known_hosts}"]
            cmd += ["-o", "StrictHostKeyChecking=accept-new"]
        return [*cmd, *self.extra, f"{user or self.user}@{address}", "bash", "-s"]

    def __call__(self, step: HostScript, resolver: SecretResolver) -> str:
        """Run *step* on its host; raise ApplyError (masked output) on failure."""
        exports = []
        for ref in step.secrets:
            if ref.source == "env":
                value = resolver.read(ref)
                exports.append(f"export {ref.name}={shlex.quote(value)}\n")
        stdin = "".join(exports) + step.script
        login = self.logins.get(step.address)
        with tempfile.TemporaryDirectory(prefix="specc-ssh-") as tmp:
            key = self._key(login, resolver, Path(tmp))
            user = login.user if login is not None else None
            return self._run(step, self.command(step.address, user, key), stdin, resolver)

    @staticmethod
    def _key(login: SshLogin | None, resolver: SecretResolver, tmp: Path) -> Path | None:
        """The private key file of *login* (an env key is written to *tmp*, mode 0600)."""
        if login is None or login.key is None:
            return None
        if login.key.source == "file":
            path = Path(login.key.name).expanduser()
            return path if path.is_absolute() else resolver.base / path
        text = resolver.read(login.key)
        path = tmp / "key"
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
        return path

    def _run(self, step: HostScript, cmd: list[str], stdin: str, resolver: SecretResolver) -> str:
        try:
            run = subprocess.run(
                cmd,
                input=stdin,
                capture_output=True,
                text=True,
                timeout=self.timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ApplyError(
                f"host script {step.id} on {step.address} ran over {self.timeout_s:g} s"
            ) from None
        if run.returncode != 0:
            tail = (run.stderr.strip() or run.stdout.strip()).splitlines()[-5:]
            raise ApplyError(
                f"host script {step.id} failed on {step.address} (exit {run.returncode}): "
                + resolver.masker(" | ".join(tail))
            )
        return "done"


def ssh_logins(spec: Spec) -> dict[str, SshLogin]:
    """The login of each spec host that names one, by address, for ``--hosts ssh``.

    A host's ``ssh_key``, and its ``username`` when the spec sets it (the default
    ``root`` does not override ``--ssh-user``).
    """
    from specc.hosts.shell import secret_param

    out: dict[str, SshLogin] = {}
    for zone in spec.zones:
        for pod in zone.pods:
            for cluster in pod.clusters:
                for host in cluster.hosts:
                    user = host.username if "username" in host.model_fields_set else None
                    key = secret_param(host.ssh_key) if host.ssh_key is not None else None
                    if user is not None or key is not None:
                        out[str(host.address)] = SshLogin(user, key)
    return out
