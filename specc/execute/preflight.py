"""Preflight: what an apply needs from this machine, checked before its first API call.

A missing secret used to be found at the first step that needed it, halfway through
an apply (a zone, pod and cluster made, then every host failing). Preflight looks at
the whole plan first and collects every problem at once:

- every secret reference of the plan's API calls and waits (``{env: NAME}`` set and
  not empty, ``{file: PATH}`` readable and not empty), and, when host scripts run
  over SSH, the environment secrets those scripts are sent;
- files the run reads (``--ssh-key``);
- the way to the cloud: credentials found (a profile, or the ``CLOUDSTACK_*``
  variables; the CLI passes the error of looking them up) and the endpoint
  reachable (a TCP connection to its host and port; no API request is sent, so
  credentials that are present but wrong are refused by the first read, which still
  comes before any change).

Nothing here sends an API request or changes anything; values read are only
checked (and remembered by the resolver's mask, as at execution).
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from specc.core.steps import ApiCall, Concat, HostScript, Param, Plan, SecretParam, Wait
from specc.errors import ApplyError, SecretError
from specc.execute.hosts import SshLogin
from specc.execute.secrets import SecretResolver


@dataclass(frozen=True)
class Problem:
    """One thing an apply would fail on: what, which steps need it, what to do."""

    what: str
    needed_by: tuple[str, ...] = ()
    hint: str = ""

    def text(self) -> str:
        """One line: the problem, the steps that need it, the hint.

        >>> Problem("secret {env: X} is not set", ("a", "b", "c"), "export X").text()
        'secret {env: X} is not set (needed by a and 2 more steps): export X'
        """
        out = self.what
        if self.needed_by:
            more = len(self.needed_by) - 1
            out += f" (needed by {self.needed_by[0]}"
            out += f" and {more} more step{'s' if more > 1 else ''})" if more else ")"
        return f"{out}: {self.hint}" if self.hint else out


class PreflightError(ApplyError):
    """An apply refused before its first API call; carries every problem found."""

    def __init__(self, problems: list[Problem], where: str) -> None:
        noun = "problem" if len(problems) == 1 else "problems"
        lines = "\n".join(f"  - {p.text()}" for p in problems)
        super().__init__(
            f"preflight found {len(problems)} {noun}; nothing was sent to {where}:\n{lines}",
            hint="fix them all, then run the same command again",
        )
        self.problems = problems


def _secrets_in(value: Param) -> Iterable[SecretParam]:
    if isinstance(value, SecretParam):
        yield value
    elif isinstance(value, Concat):
        for part in value.parts:
            yield from _secrets_in(part)


def secret_uses(plan: Plan, *, host_secrets: bool) -> dict[SecretParam, list[str]]:
    """Every secret reference of *plan*, with the steps that use it (in plan order).

    The encoding is left out of the key: ``{env: K}`` is one secret whether a step
    sends it as is or URL-encoded. *host_secrets*: count the environment secrets
    host scripts are sent (``--hosts ssh``); a file secret of a host script is read
    on the host, not here.
    """
    uses: dict[SecretParam, list[str]] = {}
    for step in plan.steps:
        refs: list[SecretParam] = []
        if isinstance(step, ApiCall | Wait):
            for value in step.params.values():
                refs.extend(_secrets_in(value))
        elif isinstance(step, HostScript) and host_secrets:
            refs.extend(r for r in step.secrets if r.source == "env")
        for ref in refs:
            steps = uses.setdefault(SecretParam(ref.source, ref.name), [])
            if step.id not in steps:
                steps.append(step.id)
    return uses


def check_secrets(plan: Plan, resolver: SecretResolver, *, host_secrets: bool) -> list[Problem]:
    """A problem for every secret of *plan* that cannot be read here, or is empty."""
    problems = []
    for ref, steps in sorted(
        secret_uses(plan, host_secrets=host_secrets).items(), key=lambda kv: kv[0].name
    ):
        try:
            value = resolver.read(ref)
        except SecretError as exc:
            problems.append(Problem(exc.message, tuple(steps), exc.hint))
            continue
        if not value:
            problems.append(Problem(f"secret {{file: {ref.name}}} is empty", tuple(steps)))
    return problems


def check_login_keys(logins: Mapping[str, SshLogin], resolver: SecretResolver) -> list[Problem]:
    """A problem for every host's ``ssh_key`` that cannot be read here, or is empty."""
    problems = []
    for address, login in sorted(logins.items()):
        if login.key is None:
            continue
        try:
            value = resolver.read(login.key)
        except SecretError as exc:
            problems.append(Problem(f"ssh_key of host {address}: {exc.message}", hint=exc.hint))
            continue
        if not value.strip():
            problems.append(Problem(f"ssh_key of host {address} is empty"))
    return problems


def check_files(files: Mapping[str, Path]) -> list[Problem]:
    """A problem for every file (by what it is for) that is missing or unreadable."""
    problems = []
    for what, path in files.items():
        try:
            with path.expanduser().open("rb"):
                pass
        except OSError as exc:
            problems.append(Problem(f"{what} {path} cannot be read: {exc.strerror}"))
    return problems


def check_endpoint(endpoint: str, timeout_s: float = 5.0) -> list[Problem]:
    """A problem when no TCP connection to *endpoint*'s host and port can be made.

    >>> check_endpoint("not a url")[0].what
    "endpoint 'not a url' has no host"
    """
    parts = urlsplit(endpoint)
    if not parts.hostname:
        return [Problem(f"endpoint {endpoint!r} has no host")]
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return [Problem(f"endpoint {endpoint!r} has no valid port")]
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout_s):
            return []
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        return [
            Problem(
                f"cannot reach {endpoint}: {reason.lower()}",
                hint="check the endpoint (profile, CLOUDSTACK_ENDPOINT) and the network",
            )
        ]
