"""One module per resource kind, and the one registry of them.

``KINDS`` maps a kind name (the list response's item key) to its
:class:`~specc.cloud.kinds.base.Kind`, in the order the reader lists them and a
snapshot names them: a kind listed per parent comes after that parent. It holds
the read-only kinds too (OS types, provider elements, domains, accounts),
which are listed only to plan the others; a kind listed per scope object
(settings) comes after those objects. The plan's order is each kind's ``phase``
(:func:`~specc.cloud.kinds.base.in_plan_order`).

Adding a kind is one module with a ``KIND`` and one line here; a test may pass
its own copy of the registry to the reader, the differ and the compiler.
"""

from __future__ import annotations

from specc.cloud.kinds import (
    account,
    cluster,
    configuration,
    diskoffering,
    domain,
    host,
    hostha,
    imagestore,
    internalloadbalancerelement,
    iso,
    network,
    networkoffering,
    networkserviceprovider,
    ostype,
    physicalnetwork,
    pod,
    serviceoffering,
    storagenetworkiprange,
    storagepool,
    template,
    traffictype,
    virtualrouterelement,
    vlaniprange,
    vmwaredc,
    zone,
)
from specc.cloud.kinds.base import FieldSpec, Kind, LiveIndex, in_plan_order

KINDS: dict[str, Kind] = {
    module.KIND.name: module.KIND
    for module in (
        zone,
        physicalnetwork,
        traffictype,
        networkserviceprovider,
        virtualrouterelement,
        internalloadbalancerelement,
        pod,
        storagenetworkiprange,
        networkoffering,
        network,
        vlaniprange,
        vmwaredc,
        cluster,
        host,
        hostha,
        storagepool,
        imagestore,
        diskoffering,
        serviceoffering,
        template,
        iso,
        ostype,
        domain,
        account,
        configuration,
    )
}

__all__ = ["KINDS", "FieldSpec", "Kind", "LiveIndex", "in_plan_order"]
