"""Read the live state of a cloud: one paged list call per kind.

Each kind says how it is listed (its ``listing``): the arguments every call
passes (``templatefilter=all``, ``listall=true``), whether the command takes paging
parameters, and whether it demands a parent's id, in which case it is listed once
per live parent (traffic types per physical network), the parent being read first.
A kind with values per scope object (settings per zone, cluster, pool, image store,
domain, account) is listed once more per live object of each scope.

There is no per-resource GET: the number of calls is the number of kinds, plus the
parents of per-parent kinds and the scope objects of per-scope kinds, times the pages.
Items are kept as the API returned them, except for a per-parent kind whose items do
not name their parent by its id: the reader stamps the parent's id into them (the
kind's ``listing.parent_stamp``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specc.cloud.client import CloudClient
from specc.cloud.kinds import KINDS
from specc.cloud.kinds.base import Kind
from specc.cloud.state import LiveState


def read_kind(
    client: CloudClient, kind: Kind, resources: Mapping[str, tuple[dict[str, Any], ...]]
) -> tuple[dict[str, Any], ...]:
    """The live items of *kind* (a per-parent kind needs its parents in *resources*)."""
    listing = kind.listing
    args = dict(listing.args)
    item_key = listing.item_key or kind.name
    parent = kind.listed_per()
    if listing.per_parent is not None and parent is not None:
        items: list[dict[str, Any]] = []
        for item in resources.get(parent.kind, ()):
            found = client.list(
                kind.list_command, item_key, **args, **{listing.per_parent: item["id"]}
            )
            if listing.parent_stamp is not None:
                found = [{**i, listing.parent_stamp: item["id"]} for i in found]
            items += found
        return tuple(items)
    if not listing.paged:
        return tuple(client.call_unpaged(kind.list_command, item_key, **args))
    found = list(client.list(kind.list_command, item_key, **args))
    for scope in listing.also_per:
        for obj in resources.get(scope.kind, ()):
            listed = client.list(kind.list_command, item_key, **args, **{scope.field: obj["id"]})
            found += [{**item, scope.field: obj["id"]} for item in listed]
    return tuple(found)


def read_live(
    client: CloudClient,
    kinds: tuple[str, ...] | None = None,
    registry: Mapping[str, Kind] = KINDS,
) -> LiveState:
    """The live state of every kind of *registry* (or of *kinds* only).

    A per-parent kind's parents (and a per-scope kind's scope objects) are read
    too, and left out of the result unless asked for.

    Raises:
        ConnectionFailed: the endpoint cannot be reached or refuses the credentials.
        ApiError: a list call failed.
    """
    version = client.api_version()
    wanted = tuple(registry) if kinds is None else kinds
    needed = set(wanted)
    for name in wanted:
        kind = registry.get(name)
        parent = None if kind is None else kind.listed_per()
        if parent is not None:
            needed.add(parent.kind)
        if kind is not None:
            needed.update(scope.kind for scope in kind.listing.also_per)
    resources: dict[str, tuple[dict[str, Any], ...]] = {}
    for name, kind in registry.items():
        if name in needed:
            resources[name] = read_kind(client, kind, resources)
    return LiveState(version, {k: v for k, v in resources.items() if k in wanted})
