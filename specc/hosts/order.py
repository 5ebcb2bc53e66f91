"""Host scripts in the order to run them."""

from __future__ import annotations

from dataclasses import replace

from specc.core.steps import HostScript


def run_after(script: HostScript, ids: tuple[str, ...]) -> HostScript:
    """*script* made to run after the scripts *ids* too (itself when *ids* is empty).

    >>> s = HostScript("script:a:h", "h", "h", "a", "", depends_on=("script:c:h",))
    >>> run_after(s, ("script:b:h",)).depends_on
    ('script:b:h', 'script:c:h')
    """
    if not ids:
        return script
    return replace(script, depends_on=tuple(sorted(set(script.depends_on) | set(ids))))


def ordered_scripts(scripts: tuple[HostScript, ...]) -> tuple[HostScript, ...]:
    """Host scripts in dependency order (``depends_on`` first), ties broken by id."""
    by_id = {s.id: s for s in scripts}
    done: list[HostScript] = []
    placed: set[str] = set()
    pending = sorted(by_id)
    while pending:
        ready = [
            i for i in pending if all(d in placed or d not in by_id for d in by_id[i].depends_on)
        ]
        first = ready[0] if ready else pending[0]  # host_scripts never makes a cycle
        done.append(by_id[first])
        placed.add(first)
        pending.remove(first)
    return tuple(done)
