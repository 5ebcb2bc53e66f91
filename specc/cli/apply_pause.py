"""The planned pause of ``specc apply``: host scripts an operator runs by hand.

Without a terminal (``--hosts manual``, the default), apply runs every step it can,
writes each host script that waits for an operator to ``.specc/scripts/``, and ends
with the list of them all, how to run each, and how to go on; it exits with
:data:`PAUSED_EXIT`, which is not a failure. ``specc apply ... --continue`` then
confirms the scripts that pause handed out (their files, unchanged) and goes on;
``--hosts-done STEP`` confirms one script.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from specc.core.steps import HostScript, Plan
    from specc.execute.executor import Outcome

PAUSED_EXIT = 3
"""Exit code of an apply that paused for host scripts (0 done, 1 error, 130 Ctrl-C)."""


def continue_command(argv: Sequence[str]) -> str:
    """The command that goes on after the operator ran the scripts.

    >>> continue_command(["apply", "plan.json", "--sim"])
    'specc apply plan.json --sim --continue'
    """
    args = [a for a in argv if a != "--continue"]
    return shlex.join(["specc", *args, "--continue"])


def pause_text(
    plan: Plan, outcome: Outcome, folder: Path, ssh_user: str, argv: Sequence[str]
) -> str:
    """What the operator must do: every waiting script, in plan order, and how to go on."""
    from specc.core.steps import HostScript
    from specc.execute.hosts import script_path_name

    scripts: list[HostScript] = [
        s for s in plan.steps if isinstance(s, HostScript) and s.id in set(outcome.paused)
    ]
    lines = [
        f"Apply paused: {len(scripts)} host "
        f"{'script waits' if len(scripts) == 1 else 'scripts wait'} for an operator; "
        f"{len(outcome.blocked)} steps wait for {'it' if len(scripts) == 1 else 'them'} "
        f"({len(outcome.done)} steps run, {len(outcome.skipped)} skipped).",
        "Run each on its host, in this order (as root; each is idempotent):",
    ]
    for n, step in enumerate(scripts, 1):
        path = folder / script_path_name(step)
        lines.append(f"  {n}. {step.id} on {step.host} ({step.address})")
        lines.append(f"       ssh {shlex.quote(f'{ssh_user}@{step.address}')} bash -s < {path}")
        env = sorted({r.name for r in step.secrets if r.source == "env"})
        files = sorted({r.name for r in step.secrets if r.source == "file"})
        if env:
            lines.append(f"       it reads {', '.join(env)} from its environment: set on the host")
        if files:
            lines.append(f"       it reads {', '.join(files)} on the host")
    lines.append("When they have all run, go on with:")
    lines.append(f"  {continue_command(argv)}")
    lines.append("(or confirm one script with --hosts-done STEP; --hosts ssh runs them for you)")
    return "\n".join(lines)
