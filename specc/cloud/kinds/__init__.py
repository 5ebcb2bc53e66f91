"""One module per resource kind: list command, natural key and field table.

``KINDS`` maps a kind name to its :class:`~specc.cloud.kinds.base.Kind`, in the
order of the plan's phases.
"""

from __future__ import annotations

from specc.cloud.kinds import (
    cluster,
    configuration,
    diskoffering,
    host,
    hostha,
    imagestore,
    iso,
    networkserviceprovider,
    physicalnetwork,
    pod,
    serviceoffering,
    storagenetworkiprange,
    storagepool,
    template,
    traffictype,
    vlaniprange,
    zone,
)
from specc.cloud.kinds.base import FieldSpec, Kind, LiveIndex

KINDS: dict[str, Kind] = {
    module.KIND.name: module.KIND
    for module in (
        zone,
        physicalnetwork,
        traffictype,
        networkserviceprovider,
        pod,
        storagenetworkiprange,
        vlaniprange,
        cluster,
        host,
        storagepool,
        imagestore,
        diskoffering,
        serviceoffering,
        template,
        iso,
        hostha,
        configuration,
    )
}

__all__ = ["KINDS", "FieldSpec", "Kind", "LiveIndex"]
