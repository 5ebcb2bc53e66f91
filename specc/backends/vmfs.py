"""VMFS: a VMware datastore set up by hand, added by datacenter and name.

The default provider takes ``vmfs://<datacenter>/<datastore>`` (apache/cloudstack
``CloudStackPrimaryDataStoreLifeCycleImpl.initialize``, scheme ``vmfs``:
``StoragePoolType.VMFS`` with the datastore as path). The datastore belongs to
VMware hosts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import StringConstraints

from specc.backends.base import BackendModel, PoolParams, PoolSite, StorageBackend

if TYPE_CHECKING:
    from specc.spec.models import PrimaryStorage


class VmfsBackend(BackendModel):
    """A VMware datastore set up by hand (VMFS)."""

    type: Literal["vmfs"]
    datacenter: Annotated[str, StringConstraints(min_length=1)]
    datastore: Annotated[str, StringConstraints(min_length=1)]


class Vmfs(StorageBackend[VmfsBackend]):
    """A VMFS datastore through the default provider, for VMware clusters only."""

    type = "vmfs"
    model = VmfsBackend
    provider = "DefaultPrimary"
    hypervisors = frozenset({"VMware"})

    def pool(self, backend: VmfsBackend, pool: PrimaryStorage, site: PoolSite) -> PoolParams:
        """``vmfs://<datacenter>/<datastore>`` (the pool's ``path`` overrides the datastore)."""
        return PoolParams(f"vmfs://{backend.datacenter}/{pool.path or backend.datastore}")
