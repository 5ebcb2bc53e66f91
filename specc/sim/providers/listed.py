"""Providers a real server lists whose own lifecycle the simulator does not model.

A 4.18 or 4.22 management server ships these primary storage plug-ins, so
``listStorageProviders`` lists them and ``createStoragePool`` accepts their names. Each
has its own lifecycle in apache/cloudstack (its url format, its calls to the storage
system); the simulator does not model them: it parses their url and checks their
hosts as ``DefaultPrimary`` does (without its host-and-path check) and stores the
provider's name. To model one, write its module and put its ``PROVIDER`` in place of
its line in :data:`specc.sim.providers.PROVIDERS`.
"""

from __future__ import annotations

import specc.sim.providers.default_primary as default_primary
from specc.sim.handlers import Ctx
from specc.sim.providers.base import NewPool, PoolRequest, PrimaryProvider


def _initialize(ctx: Ctx, req: PoolRequest) -> NewPool:
    """The default provider's pod check and url parsing, nothing more."""
    default_primary.check_pod(req)
    parsed = default_primary.parse_default(req.url, has_cluster=req.cluster is not None)
    return NewPool(parsed, req.managed, req.hypervisor, req.capacity_bytes, req.capacity_iops)


def listed(name: str, since: str | None = None) -> PrimaryProvider:
    """The provider *name* (its ``getName()``), listed from API version *since*, whose
    pools the simulator makes as :func:`_initialize` and ``DefaultPrimary`` attach do."""
    return PrimaryProvider(
        name=name,
        initialize=_initialize,
        attach=default_primary.attach,
        capabilities=default_primary.CAPABILITIES,
        sample={"url": f"nfs://10.10.10.10/export/{name.replace(' ', '-').lower()}"},
        since=since,
        modelled=False,
    )
