"""The live state of a cloud: raw list-call items per kind, and its fingerprint.

Kinds are named by the list response's item key (``storagepool`` for
``listStoragePools``; the registry is ``specc.cloud.kinds.KINDS``), and items are
kept exactly as the API returned them, so a snapshot file, a live refresh and the
simulator's seed are one format.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from specc.cloud.kinds import KINDS

SNAPSHOT_FORMAT = "specc-snapshot"
SNAPSHOT_VERSION = 1

STABLE_PREFIX = "stable-sha256:"


@dataclass(frozen=True)
class LiveState:
    """What the cloud holds, as list calls returned it.

    ``api_version`` is the management server's version as ``listCapabilities``
    reports it (``cloudstackversion``), e.g. ``"4.18.0.0"``. ``scopes`` are the
    scope kinds per-scope kinds (settings) were listed at, when the read was limited
    to some (:func:`specc.cloud.live.read_live`); None: all of them, or a snapshot.
    """

    api_version: str
    resources: Mapping[str, tuple[Mapping[str, Any], ...]] = field(default_factory=dict)
    scopes: tuple[str, ...] | None = None

    def items(self, kind: str) -> tuple[Mapping[str, Any], ...]:
        """The live items of *kind* (empty when the kind was not read)."""
        return self.resources.get(kind, ())

    def fingerprint(self) -> str:
        """A hash of the whole state, independent of list order and key order.

        Apply compares it with the plan's to refuse a stale plan.
        """
        canon: dict[str, list[str]] = {}
        for kind in sorted(self.resources):
            canon[kind] = sorted(
                json.dumps(item, sort_keys=True, separators=(",", ":"))
                for item in self.resources[kind]
            )
        blob = json.dumps({"v": self.api_version, "r": canon}, sort_keys=True)
        return "sha256:" + hashlib.sha256(blob.encode()).hexdigest()

    def stable_fingerprint(self) -> str:
        """Like :meth:`fingerprint`, without each kind's ``volatile`` fields.

        A running cloud changes them by itself (heartbeats, load, capacity use,
        download progress): a stale-plan check that hashed them would refuse every
        saved plan within a minute on a real cloud.

        Its text starts with ``stable-sha256:``, so a stale-plan check knows which of
        the two a plan recorded (:func:`fingerprint_like`).
        """
        canon: dict[str, list[str]] = {}
        for kind in sorted(self.resources):
            known = KINDS.get(kind)
            drop = known.volatile if known is not None else frozenset()
            canon[kind] = sorted(
                json.dumps(
                    {k: v for k, v in item.items() if k not in drop},
                    sort_keys=True,
                    separators=(",", ":"),
                )
                for item in self.resources[kind]
            )
        blob = json.dumps({"v": self.api_version, "r": canon}, sort_keys=True)
        return STABLE_PREFIX + hashlib.sha256(blob.encode()).hexdigest()


def fingerprint_like(live: LiveState, recorded: str) -> str:
    """*live*'s fingerprint of the same kind as *recorded* (full or stable)."""
    if recorded.startswith(STABLE_PREFIX):
        return live.stable_fingerprint()
    return live.fingerprint()
