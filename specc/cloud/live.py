"""Read the live state of a cloud: one paged list call per kind.

Where the API demands a scope it gets one, and nothing more:

- ``listTrafficTypes`` requires ``physicalnetworkid``: one call per physical network;
- ``listTemplates`` requires ``templatefilter`` (``all``), ``listIsos`` takes
  ``isofilter=all``: without them only the caller's own images are listed;
- offerings, templates and ISOs take ``listall=true`` (all domains);
- ``listHostHAResources`` takes no paging parameters: one unpaged call;
- everything else (configuration included: global settings) is one call across zones.

There is no per-resource GET: the number of calls is the number of kinds, plus the
physical networks for traffic types, times the pages.
"""

from __future__ import annotations

from typing import Any

from specc.cloud.client import CloudClient
from specc.cloud.state import KINDS, LiveState

LIST_ARGS: dict[str, dict[str, Any]] = {
    "template": {"templatefilter": "all", "listall": True},
    "iso": {"isofilter": "all", "listall": True},
    "diskoffering": {"listall": True},
    "serviceoffering": {"listall": True},
}
UNPAGED = frozenset({"hostha"})
PER_PHYSICAL_NETWORK = frozenset({"traffictype"})


def read_kind(
    client: CloudClient, kind: str, resources: dict[str, tuple[dict[str, Any], ...]]
) -> tuple[dict[str, Any], ...]:
    """The live items of *kind* (traffic types need the physical networks read first)."""
    command = KINDS[kind]
    if kind in PER_PHYSICAL_NETWORK:
        items: list[dict[str, Any]] = []
        for pn in resources.get("physicalnetwork", ()):
            items += client.list(command, kind, physicalnetworkid=pn["id"])
        return tuple(items)
    if kind in UNPAGED:
        return tuple(client.call_unpaged(command, kind, **LIST_ARGS.get(kind, {})))
    return tuple(client.list(command, kind, **LIST_ARGS.get(kind, {})))


def read_live(client: CloudClient, kinds: tuple[str, ...] | None = None) -> LiveState:
    """The live state of every kind in :data:`specc.cloud.state.KINDS` (or *kinds*).

    Raises:
        ConnectionFailed: the endpoint cannot be reached or refuses the credentials.
        ApiError: a list call failed.
    """
    version = client.api_version()
    wanted = tuple(KINDS) if kinds is None else kinds
    resources: dict[str, tuple[dict[str, Any], ...]] = {}
    for kind in KINDS:
        if kind not in wanted and not (kind == "physicalnetwork" and "traffictype" in wanted):
            continue
        resources[kind] = read_kind(client, kind, resources)
    return LiveState(version, {k: v for k, v in resources.items() if k in wanted})
