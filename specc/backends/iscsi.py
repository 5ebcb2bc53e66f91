"""iSCSI: one LUN of an iSCSI target, for XenServer and KVM clusters.

The default provider takes ``iscsi://<portal>/<target IQN>/<LUN>`` (apache/
cloudstack ``CloudStackPrimaryDataStoreLifeCycleImpl.initialize``, scheme
``iscsi``: ``StoragePoolType.IscsiLUN``, port 3260 unless the portal names one, the
LUN number last in the path). KVM hosts need the iSCSI initiator, the role they
share with SolidFire (:data:`specc.hosts.iscsi.KVM_ISCSI_INITIATOR`).
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
    StorageAddress,
    StorageBackend,
)
from specc.core.steps import Check
from specc.hosts.iscsi import KVM_ISCSI_INITIATOR, iscsi_checks
from specc.hosts.topology import PoolUse

if TYPE_CHECKING:
    from specc.spec.models import PrimaryStorage, Spec


class IscsiBackend(BackendModel):
    """A plain iSCSI LUN (XenServer/KVM)."""

    type: Literal["iscsi"]
    target: Annotated[str, StringConstraints(min_length=1)] = Field(description="Portal address.")
    iqn: Annotated[str, StringConstraints(pattern=r"^iqn\.")]
    lun: Annotated[int, Field(ge=0)] = 0

    def storage_addresses(self) -> tuple[StorageAddress, ...]:
        """The portal, without its port (``10.0.0.5:3260`` is reached at 10.0.0.5).

        >>> IscsiBackend(name="i", type="iscsi", target="10.0.0.5:3260",
        ...              iqn="iqn.2024-01.x:t").storage_addresses()[0].address
        '10.0.0.5'
        """
        return (StorageAddress(("target",), self.target.split(":")[0]),)


class Iscsi(StorageBackend[IscsiBackend]):
    """A plain iSCSI LUN through the default provider, for XenServer and KVM clusters."""

    type = "iscsi"
    model = IscsiBackend
    provider = "DefaultPrimary"
    hypervisors = frozenset({"XenServer", "KVM"})
    roles = (KVM_ISCSI_INITIATOR,)

    def from_pool(self, pool: Mapping[str, Any]) -> ImportedBackend | None:
        """An ``IscsiLUN`` pool of the default provider: the portal is its ``ipaddress``,
        its ``path`` ``/<IQN>/<LUN>`` (``CloudStackPrimaryDataStoreLifeCycleImpl.initialize``,
        scheme ``iscsi``)."""
        if pool.get("provider") != self.provider or pool.get("type") != "IscsiLUN":
            return None
        iqn, _, lun = str(pool.get("path", "")).strip("/").rpartition("/")
        target = str(pool.get("ipaddress", ""))
        fields = {"target": target, "iqn": iqn, "lun": int(lun) if lun.isdigit() else 0}
        return ImportedBackend(fields, target, (target,))

    def pool(self, backend: IscsiBackend, pool: PrimaryStorage, site: PoolSite) -> PoolParams:
        """``iscsi://<portal>/<target IQN>/<LUN>``."""
        return PoolParams(f"iscsi://{backend.target}/{backend.iqn}/{backend.lun}")

    def verification_checks(
        self, spec: Spec, backend: IscsiBackend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """Each host that mounts it has its session (KVM) or its SR attached (XenServer)."""
        return iscsi_checks(backend.name, uses) if uses else ()
