"""Host scripts in the order to run them."""

from __future__ import annotations

from specc.core.steps import HostScript


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
