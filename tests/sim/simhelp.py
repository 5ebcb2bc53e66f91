"""Shared helpers of the simulator tests (imported by name: pytest puts this folder on the path)."""

from __future__ import annotations

from typing import Any

from cs import CloudStack

from specc.sim import Simulator

ZONE = {"name": "z1", "dns1": "8.8.8.8", "internaldns1": "10.0.0.1", "networktype": "Advanced"}


def client(sim: Simulator, **kw: Any) -> CloudStack:
    """The real `cs` client for *sim*; async jobs are polled to their result."""
    kw.setdefault("fetch_result", True)
    kw.setdefault("poll_interval", 0.02)
    return CloudStack(endpoint=sim.endpoint, key=sim.api_key, secret=sim.secret_key, **kw)
