"""The desired graph's nodes: what the spec asks for, with its source location.

Identity is :class:`specc.core.ids.ResourceId` (re-exported here); the key each
kind uses is documented in its kind module under ``specc.cloud.kinds``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from specc.core.ids import ResourceId
from specc.errors import Location

__all__ = ["DesiredResource", "ResourceId"]


@dataclass(frozen=True)
class DesiredResource:
    """One resource the spec asks for.

    ``attrs`` are the spec-side values in the kind's own field names (JSON-ready,
    secrets still as references); ``depends_on`` are ids that must exist first.
    """

    id: ResourceId
    attrs: dict[str, Any]
    depends_on: tuple[ResourceId, ...] = ()
    source: Location | None = None
    parents: dict[str, ResourceId] = field(default_factory=dict)
