"""Read the live state of a cloud: one paged list call per kind, in parallel.

Each kind says how it is listed (its ``listing``): the arguments every call
passes (``templatefilter=all``, ``listall=true``), whether the command takes paging
parameters, and whether it demands a parent's id, in which case it is listed once
per live parent (traffic types per physical network), the parent being read first.
A kind with values per scope object (settings per zone, cluster, pool, image store,
domain, account) is listed once more per live object of each scope the caller asks
for (``scopes``: the plan reads only the scopes its spec sets values at,
:func:`specc.graph.resources.read_scopes`; None reads them all, as import does).

There is no per-resource GET: the number of calls is the number of kinds, plus the
parents of per-parent kinds and the scope objects of per-scope kinds, times the pages.
Items are kept as the API returned them, except for a per-parent kind whose items do
not name their parent by its id: the reader stamps the parent's id into them (the
kind's ``listing.parent_stamp``).

The calls are independent reads, so they run on a few threads at once: every kind
whose parents and scope objects are read is listed, each of its calls on its own
thread. The result does not depend on the timing: a kind's items are assembled in
the order of its calls, the kinds in the registry's order, and of several failed
calls the first in that order is the one reported.

Every item is checked against what its kind needs (:func:`specc.cloud.items.check_items`):
an answer that is not what CloudStack sends is an error, never a wrong state.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from specc.cloud.client import CloudClient
from specc.cloud.items import check_items, check_keys
from specc.cloud.kinds import KINDS
from specc.cloud.kinds.base import Kind, Parent
from specc.cloud.state import LiveState

# Parallel reads: a few at a time, as a person's browser session would (the UI
# lists several kinds at once); the management server serves each on its own thread.
READERS = 8


@dataclass(frozen=True)
class ListCall:
    """One list call of a kind: its parameters, and a field to set on its items."""

    kind: str
    position: int
    params: Mapping[str, Any]
    paged: bool
    tag: Mapping[str, str] = field(default_factory=dict)


def kind_calls(
    kind: Kind,
    resources: Mapping[str, tuple[dict[str, Any], ...]],
    scopes: frozenset[str] | None = None,
) -> tuple[ListCall, ...]:
    """The list calls that read *kind* (a per-parent kind needs its parents read).

    A per-scope kind is listed once more per live object of its scopes among
    *scopes* (None: all of them).
    """
    listing = kind.listing
    args = dict(listing.args)
    parent = kind.listed_per()
    if listing.per_parent is not None and parent is not None:
        per, stamp = listing.per_parent, listing.parent_stamp
        return tuple(
            ListCall(
                kind.name,
                n,
                {**args, per: item["id"]},
                True,
                {stamp: str(item["id"])} if stamp is not None else {},
            )
            for n, item in enumerate(resources.get(parent.kind, ()))
        )
    if not listing.paged:
        return (ListCall(kind.name, 0, args, False),)
    calls = [ListCall(kind.name, 0, args, True)]
    for scope in _scopes(kind, scopes):
        for obj in resources.get(scope.kind, ()):
            tag = {scope.field: str(obj["id"])}
            calls.append(ListCall(kind.name, len(calls), {**args, **tag}, True, tag))
    return tuple(calls)


def _scopes(kind: Kind, scopes: frozenset[str] | None) -> tuple[Parent, ...]:
    """The scopes of *kind* to read: those among *scopes* (None: all)."""
    also = kind.listing.also_per
    return also if scopes is None else tuple(p for p in also if p.kind in scopes)


def item_key_of(kind: Kind) -> str:
    """The list answer's item key: the kind's name unless its listing says otherwise."""
    return kind.listing.item_key or kind.name


def _run_call(client: CloudClient, kind: Kind, call: ListCall) -> list[dict[str, Any]]:
    if not call.paged:
        return client.call_unpaged(kind.list_command, item_key_of(kind), **call.params)
    items = client.list(kind.list_command, item_key_of(kind), **call.params)
    return [{**item, **call.tag} for item in items] if call.tag else items


def read_kind(
    client: CloudClient,
    kind: Kind,
    resources: Mapping[str, tuple[dict[str, Any], ...]],
    scopes: frozenset[str] | None = None,
) -> tuple[dict[str, Any], ...]:
    """The live items of *kind*, read one call after the other, checked."""
    items: list[dict[str, Any]] = []
    for call in kind_calls(kind, resources, scopes):
        items += _run_call(client, kind, call)
    return check_items(kind, client.endpoint, tuple(items))


def _needs(kind: Kind, scopes: frozenset[str] | None = None) -> set[str]:
    needs = {scope.kind for scope in _scopes(kind, scopes)}
    parent = kind.listed_per()
    if parent is not None:
        needs.add(parent.kind)
    return needs


def needed_kinds(
    wanted: tuple[str, ...],
    registry: Mapping[str, Kind],
    scopes: frozenset[str] | None = None,
) -> set[str]:
    """*wanted* and the kinds they are read after (parents, scope objects of *scopes*)."""
    needed = set(wanted)
    todo = list(wanted)
    while todo:
        kind = registry.get(todo.pop())
        if kind is None:
            continue
        for name in _needs(kind, scopes) - needed:
            needed.add(name)
            todo.append(name)
    return needed


def read_live(
    client: CloudClient,
    kinds: tuple[str, ...] | None = None,
    registry: Mapping[str, Kind] = KINDS,
    readers: int = READERS,
    scopes: frozenset[str] | None = None,
) -> LiveState:
    """The live state of every kind of *registry* (or of *kinds* only).

    A per-parent kind's parents (and a per-scope kind's scope objects) are read
    too, and left out of the result unless asked for. A per-scope kind is listed
    at the scopes in *scopes* only (None: every scope); the state records them, so
    a saved plan is checked for staleness by the same reads. Up to *readers* calls
    run at once.

    Raises:
        ConnectionFailed: the endpoint cannot be reached or refuses the credentials.
        ApiError: a list call failed.
        BadAnswer: an answer is not what CloudStack sends.
    """
    version = client.api_version()
    wanted = tuple(registry) if kinds is None else kinds
    needed = needed_kinds(wanted, registry, scopes)
    order = [name for name in registry if name in needed]
    resources: dict[str, tuple[dict[str, Any], ...]] = {}
    pool = client.readers(max(1, readers))
    _read_all(client, registry, order, resources, pool, scopes)
    check_keys(registry, client.endpoint, resources)
    return LiveState(
        version,
        {k: resources[k] for k in order if k in wanted},
        scopes=None if scopes is None else tuple(sorted(scopes)),
    )


def _read_all(
    client: CloudClient,
    registry: Mapping[str, Kind],
    order: list[str],
    resources: dict[str, tuple[dict[str, Any], ...]],
    pool: ThreadPoolExecutor,
    scopes: frozenset[str] | None,
) -> None:
    """Read the kinds of *order* into *resources*, each once its needs are read."""
    waiting = list(order)
    results: dict[str, dict[int, list[dict[str, Any]]]] = {}
    expected: dict[str, int] = {}
    running: dict[Future[list[dict[str, Any]]], ListCall] = {}
    failed: list[tuple[int, int, BaseException]] = []
    rank = {name: n for n, name in enumerate(order)}
    needs = {name: _needs(registry[name], scopes) & set(order) for name in order}

    def finish(name: str) -> None:
        parts = results.pop(name)
        items = [item for n in range(expected[name]) for item in parts[n]]
        resources[name] = check_items(registry[name], client.endpoint, tuple(items))

    while (waiting or running) and not failed:
        for name in [n for n in waiting if needs[n] <= resources.keys()]:
            waiting.remove(name)
            calls = kind_calls(registry[name], resources, scopes)
            results[name] = {}
            expected[name] = len(calls)
            if not calls:
                finish(name)
            for call in calls:
                running[pool.submit(_run_call, client, registry[name], call)] = call
        if not running:
            continue
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for fut in done:
            call = running.pop(fut)
            error = fut.exception()
            if error is not None:
                failed.append((rank[call.kind], call.position, error))
                continue
            results[call.kind][call.position] = fut.result()
            if len(results[call.kind]) == expected[call.kind]:
                finish(call.kind)
    if failed:
        for fut in running:
            fut.cancel()
        done, _ = wait(running)
        for fut in done:
            call = running[fut]
            if not fut.cancelled() and fut.exception() is not None:
                failed.append((rank[call.kind], call.position, fut.exception()))  # type: ignore[arg-type]
        raise min(failed, key=lambda f: (f[0], f[1]))[2]
