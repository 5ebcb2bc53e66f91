"""PreSetup: a XenServer SR set up by hand, added by its name-label.

The default provider takes ``presetup://localhost/<SR name-label>`` (apache/
cloudstack ``CloudStackPrimaryDataStoreLifeCycleImpl.initialize``, scheme
``PreSetup``: ``StoragePoolType.PreSetup``, the pool uuid derived from the path
when the hypervisor is not VMware). The SR belongs to XenServer hosts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, StringConstraints

from specc.backends.base import (
    BackendModel,
    ImportedBackend,
    PoolParams,
    PoolSite,
    StorageBackend,
)

if TYPE_CHECKING:
    from specc.spec.models import PrimaryStorage


class PresetupBackend(BackendModel):
    """A XenServer SR set up by hand (PreSetup)."""

    type: Literal["presetup"]
    sr_name: Annotated[str, StringConstraints(min_length=1)] = Field(description="SR name-label.")


class Presetup(StorageBackend[PresetupBackend]):
    """A PreSetup SR through the default provider, for XenServer clusters only."""

    type = "presetup"
    model = PresetupBackend
    provider = "DefaultPrimary"
    hypervisors = frozenset({"XenServer"})

    def from_pool(self, pool: Mapping[str, Any]) -> ImportedBackend | None:
        """A ``PreSetup`` pool of the default provider: its ``path`` is the SR name-label."""
        if pool.get("provider") != self.provider or pool.get("type") != "PreSetup":
            return None
        sr_name = str(pool.get("path", "")).strip("/")
        return ImportedBackend({"sr_name": sr_name}, sr_name)

    def pool(self, backend: PresetupBackend, pool: PrimaryStorage, site: PoolSite) -> PoolParams:
        """``presetup://localhost/<SR name-label>`` (the pool's ``path`` overrides it)."""
        return PoolParams(f"presetup://localhost/{pool.path or backend.sr_name}")
