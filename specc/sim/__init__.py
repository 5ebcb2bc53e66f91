"""An embedded CloudStack management-server API simulator.

In-process use (tests)::

    from specc.sim import running

    with running(seed="devcloud") as sim:
        client = cs.CloudStack(endpoint=sim.endpoint, key=sim.api_key,
                               secret=sim.secret_key)
        client.listZones()

See docs/sim.md for the command line (``specc sim serve``) and the snapshot format.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from specc.sim.server import SimConfig, SimError, Simulator

__all__ = ["SimConfig", "SimError", "Simulator", "running"]


@contextmanager
def running(
    api_version: str = "4.18",
    seed: str | Path | None = None,
    state: Path | None = None,
    latency_ms: float = 0,
    fault_rate: float = 0.0,
    fail: Iterable[str] = (),
    api_key: str | None = None,
    secret_key: str | None = None,
    fault_seed: int = 0,
) -> Iterator[Simulator]:
    """Run a simulator on a free loopback port for the duration of the block.

    ``seed`` is None (a fresh server), ``"devcloud"`` or a snapshot path; ``state``
    a SQLite file to keep (in memory when None). Yields the :class:`Simulator`:
    ``endpoint``, ``api_key``, ``secret_key``, ``env()``, ``tamper()``,
    ``set_faults()``, ``call_count``.
    """
    sim = Simulator(
        SimConfig(
            host="127.0.0.1",
            port=0,
            state=state,
            seed=seed,
            api_version=api_version,
            api_key=api_key,
            secret_key=secret_key,
            latency_ms=latency_ms,
            fault_rate=fault_rate,
            fail=tuple(fail),
            fault_seed=fault_seed,
        )
    ).start()
    try:
        yield sim
    finally:
        sim.close()
