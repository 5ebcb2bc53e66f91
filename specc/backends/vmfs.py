"""VMFS: a VMware datastore set up by hand, added by datacenter and name.

The default provider takes ``vmfs://<datacenter>/<datastore>`` (apache/cloudstack
``CloudStackPrimaryDataStoreLifeCycleImpl.initialize``, scheme ``vmfs``:
``StoragePoolType.VMFS`` with the datastore as path). The datastore belongs to
VMware hosts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import StringConstraints

from specc.backends.base import (
    BackendModel,
    ImportedBackend,
    PoolParams,
    PoolSite,
    StorageBackend,
)
from specc.spec.placeholders import Unread

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

    def from_pool(self, pool: Mapping[str, Any]) -> ImportedBackend | None:
        """A ``VMFS`` pool of the default provider: its ``path`` is the datastore; the
        datacenter is the url's host, which no list returns."""
        if pool.get("provider") != self.provider or pool.get("type") != "VMFS":
            return None
        datastore = str(pool.get("path", "")).strip("/").rpartition("/")[2]
        return ImportedBackend(
            {
                "datacenter": Unread("vCenter datacenter", "vCenter: the datastore's datacenter"),
                "datastore": datastore,
            },
            datastore,
        )

    def pool(self, backend: VmfsBackend, pool: PrimaryStorage, site: PoolSite) -> PoolParams:
        """``vmfs://<datacenter>/<datastore>`` (the pool's ``path`` overrides the datastore)."""
        return PoolParams(f"vmfs://{backend.datacenter}/{pool.path or backend.datastore}")
