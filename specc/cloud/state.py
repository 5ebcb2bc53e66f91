"""The live state of a cloud: raw list-call items per kind, and its fingerprint.

Kinds are named by the list response's item key (``storagepool`` for
``listStoragePools``), and items are kept exactly as the API returned them, so a
snapshot file, a live refresh and the simulator's seed are one format.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SNAPSHOT_FORMAT = "specc-snapshot"
SNAPSHOT_VERSION = 1

# item key -> list command. The order is the order a snapshot is written in.
KINDS: dict[str, str] = {
    "zone": "listZones",
    "physicalnetwork": "listPhysicalNetworks",
    "traffictype": "listTrafficTypes",
    "networkserviceprovider": "listNetworkServiceProviders",
    "virtualrouterelement": "listVirtualRouterElements",
    "pod": "listPods",
    "storagenetworkiprange": "listStorageNetworkIpRange",
    "vlaniprange": "listVlanIpRanges",
    "cluster": "listClusters",
    "host": "listHosts",
    "hostha": "listHostHAResources",
    "storagepool": "listStoragePools",
    "imagestore": "listImageStores",
    "diskoffering": "listDiskOfferings",
    "serviceoffering": "listServiceOfferings",
    "template": "listTemplates",
    "iso": "listIsos",
    "ostype": "listOsTypes",
    "configuration": "listConfigurations",
}


@dataclass(frozen=True)
class LiveState:
    """What the cloud holds, as list calls returned it.

    ``api_version`` is the management server's version as ``listCapabilities``
    reports it (``cloudstackversion``), e.g. ``"4.18.0.0"``.
    """

    api_version: str
    resources: Mapping[str, tuple[Mapping[str, Any], ...]] = field(default_factory=dict)

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
