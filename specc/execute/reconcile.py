"""Find what a half-completed create left behind, by the resource's natural key.

When a create was sent and no answer came (a kill, a dropped connection), the
resource may exist. Before sending it again the executor reads the live state and
looks the resource up by its natural key (the one the plan names it by); if it is
there, the step is done and its outputs come from the live item: no duplicate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specc.cloud.client import CloudClient
from specc.cloud.kinds import KINDS
from specc.cloud.kinds.base import LiveIndex
from specc.cloud.live import read_live
from specc.core.steps import ApiCall

CREATE_PREFIXES = ("create", "add", "register")


def is_create(step: ApiCall) -> bool:
    """Whether *step* creates its resource (so sending it twice would duplicate it)."""
    rid = step.resource
    kind = KINDS.get(rid.kind)
    if kind is not None and kind.create_command == step.command:
        return True
    return step.command.startswith(CREATE_PREFIXES) and not step.command.startswith("addTraffic")


def find_created(
    client: CloudClient, step: ApiCall, params: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The live item *step* would create, if it already exists; else None.

    *params* are the step's resolved parameters (for a host's address).
    """
    rid = step.resource
    kind = KINDS.get(rid.kind)
    if kind is None:
        return None
    live = read_live(client, scopes=frozenset())  # settings are never created
    index = LiveIndex(live.resources)
    created_key = kind.hooks.created_key
    want = rid.key if created_key is None else created_key(rid, params)
    for item in live.items(rid.kind):
        if kind.key(item, index) == want:
            return dict(item)
    return None


def outputs_of(step: ApiCall, item: Mapping[str, Any]) -> dict[str, Any]:
    """The step's declared outputs taken from a result or live *item*."""
    return {name: item.get(key) for name, key in step.outputs.items()}
