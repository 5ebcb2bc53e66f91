"""The desired graph's nodes: what the spec asks for, with its source location.

Identity is :class:`specc.core.ids.ResourceId` (re-exported here); the key each
kind uses is documented in its kind module under ``specc.cloud.kinds``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from specc.cloud.kinds import KINDS
from specc.cloud.kinds.base import Options
from specc.core.ids import ResourceId
from specc.errors import Location

__all__ = ["DesiredResource", "Options", "ResourceId", "read_scopes"]


@dataclass(frozen=True)
class DesiredResource:
    """One resource the spec asks for.

    ``attrs`` are its API fields: the kind's field-table names and create-only
    parameters (JSON-ready, secrets still as references), nothing else.
    ``depends_on`` are ids that must exist first; ``parents`` maps a parent-id
    parameter (``zoneid``) to the parent. ``source`` is where the spec names it.
    ``match_key`` is the natural key a live item of it is listed under when that is
    not ``id.key`` (a host is listed by its address, not by its spec name).
    ``options`` say how to plan it beyond its API fields (wait until an image is
    Ready); ``notes`` are what the plan should tell about it (a spec value that is
    not applied).
    """

    id: ResourceId
    attrs: dict[str, Any]
    depends_on: tuple[ResourceId, ...] = ()
    source: Location | None = None
    parents: dict[str, ResourceId] = field(default_factory=dict)
    match_key: tuple[str, ...] | None = None
    options: Options = field(default_factory=Options)
    notes: tuple[str, ...] = ()

    @property
    def live_key(self) -> tuple[str, ...]:
        """The natural key its live item is listed under.

        >>> DesiredResource(ResourceId("host", ("z", "p", "c", "h1")), {},
        ...                 match_key=("z", "p", "c", "10.0.0.11")).live_key
        ('z', 'p', 'c', '10.0.0.11')
        """
        return self.id.key if self.match_key is None else self.match_key


def read_scopes(desired: Iterable[DesiredResource]) -> frozenset[str]:
    """The scope kinds the reader must list per-scope kinds at, for *desired*.

    A kind with values per scope object (settings: ``Listing.also_per``) is listed
    once more per live object of each scope; that costs one call per zone, cluster,
    pool, image store, domain and account. A desired value set at a scope object
    names its scope in ``attrs["scope"]`` (``zone``, ``cluster``...; the scope names
    are the scope objects' kind names), so only those scopes need reading: a spec
    with global settings alone is read with one ``listConfigurations``.

    >>> from specc.core.ids import ResourceId
    >>> zone = ResourceId("configuration", ("a.b", "zone", "z1"))
    >>> glob = ResourceId("configuration", ("a.b",))
    >>> sorted(read_scopes([DesiredResource(zone, {"scope": "zone"}),
    ...                     DesiredResource(glob, {})]))
    ['zone']
    """
    found: set[str] = set()
    for res in desired:
        kind = KINDS.get(res.id.kind)
        scope = res.attrs.get("scope")
        if kind is None or not isinstance(scope, str):
            continue
        found |= {per.kind for per in kind.listing.also_per if per.kind == scope}
    return frozenset(found)
