"""``specc apply``'s preflight, and ``specc plan``'s warnings about the same things.

apply checks before its first API call (:mod:`specc.execute.preflight`): the secrets
of the plan it will run, ``--ssh-key``, the credentials and the endpoint; and it
refuses with every problem at once. For a saved plan those are the plan's secrets.
For ``apply SPEC`` the steps are known only after reading the cloud, which is an API
call: so preflight checks every secret the spec names, the secrets of building all
of it (a plan against an empty cloud). ``specc plan`` warns, on standard error,
about the secrets its plan needs that this machine lacks; its exit code is unchanged.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from specc.cli.common import open_client
from specc.errors import ConnectionFailed

if TYPE_CHECKING:
    from collections.abc import Mapping

    from specc.cloud.client import CloudClient
    from specc.core.steps import Plan
    from specc.execute.hosts import SshLogin
    from specc.execute.secrets import SecretResolver
    from specc.spec.validate import Validated


def full_build(validated: Validated) -> Plan:
    """The plan of building all of *validated* on an empty cloud: every step it can need."""
    import specc
    from specc.cloud.state import LiveState

    assert validated.spec is not None  # a checked spec (specc.spec.require)
    return specc.plan(validated, LiveState(validated.spec.cloudstack.version, {}))


def preflight(
    checked: Plan,
    stack: contextlib.ExitStack,
    resolver: SecretResolver,
    *,
    ssh: bool,
    ssh_key: Path | None,
    logins: Mapping[str, SshLogin] | None = None,
    profile: str | None,
    sim: bool,
    sim_state: Path | None,
) -> CloudClient:
    """Check what *checked* needs and open the connection (entered into *stack*).

    Raises:
        PreflightError: every problem found; no API request was sent.
    """
    from specc.execute.preflight import (
        PreflightError,
        Problem,
        check_endpoint,
        check_files,
        check_login_keys,
        check_secrets,
    )

    problems = check_secrets(checked, resolver, host_secrets=ssh)
    if ssh and ssh_key is not None:
        problems += check_files({"--ssh-key": ssh_key})
    if ssh and logins:
        problems += check_login_keys(logins, resolver)
    client: CloudClient | None = None
    try:
        client = stack.enter_context(open_client(profile=profile, sim=sim, sim_state=sim_state))
    except ConnectionFailed as exc:
        problems.append(Problem(exc.message, hint=exc.hint))
    if client is not None:
        problems += check_endpoint(client.endpoint)
    if problems or client is None:
        raise PreflightError(problems, client.endpoint if client is not None else "any cloud")
    return client


def warn_plan(plan: Plan, resolver: SecretResolver) -> None:
    """``specc plan``: one warning line on standard error per secret this machine lacks."""
    from specc.execute.preflight import check_secrets

    problems = check_secrets(plan, resolver, host_secrets=False)
    for problem in problems:
        sys.stderr.write(f"warning: {problem.text()}\n")
    if problems:
        sys.stderr.write(
            "warning: 'specc apply' refuses this plan on this machine until "
            f"{'it is' if len(problems) == 1 else 'they are'} fixed (preflight)\n"
        )
