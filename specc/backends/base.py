"""The contract of a storage backend plug-in: everything specc knows about one kind.

A backend is one module under ``specc/backends/`` holding two classes, plus one
line in :data:`specc.backends.BACKENDS`:

- its **spec model**, a :class:`BackendModel` subclass whose ``type`` is a Literal
  (the discriminator of the spec's ``backends`` union, and the registry key). Its
  one method, :meth:`BackendModel.storage_addresses`, is the single source of the
  addresses hosts reach the storage at: the subnet rules and the host scripts both
  ask it, and any code holding a backend can (no registry needed).
- its **plug-in**, a :class:`StorageBackend` subclass instantiated once: class
  attributes for the facts (provider, managed, scopes, hypervisors, capabilities,
  rules, host roles) and methods for what is computed from one backend (the pool
  URL, the image store, its own host scripts, checks, warnings, rollback notes).
  Every member but ``type``, ``model``, ``provider`` and :meth:`~StorageBackend.pool`
  has a default that means "nothing to add".

A module that grows past ~600 lines moves its bulky host-script text to a sibling
(``ceph_rbd_scripts.py``), which imports the model for type checking only: the
rules need the model class at run time, so they stay with it. Host roles shared by
several backends (the KVM iSCSI initiator) are host machinery, in
:mod:`specc.hosts.iscsi`; the backends list them.

Nothing outside ``specc/backends/`` names a backend's model class or tests a
backend with ``isinstance``: the spec model, the JSON Schema, the docs, the rule
registry, the cross-cutting rules, the graph builder and the host machinery
iterate the registry or look a backend's plug-in up by its ``type``.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import Field

from specc.core.steps import Check, HostScript, Param
from specc.spec.types import HYPERVISORS, Name, Scope, SpecModel

if TYPE_CHECKING:
    from specc.hosts.roles import Role
    from specc.hosts.topology import PoolUse
    from specc.spec.models import PrimaryStorage, Spec
    from specc.spec.rules import JsonPath, Rule


@dataclass(frozen=True)
class StorageAddress:
    """An address hosts reach a backend at, and where the backend's spec writes it.

    ``path`` is the JSON path inside the backend (``("monitors", 1)``), for the
    diagnostics; ``address`` is the host name or IP without any port, as the host
    scripts ping it and the subnet rules compare it.
    """

    path: JsonPath
    address: str

    @property
    def field(self) -> str:
        """The name of the spec field that holds it (``monitors``)."""
        return str(self.path[0])


class BackendModel(SpecModel):
    """Base of every backend's spec model: its name, type and storage subnet."""

    name: Name
    subnet: Name | None = Field(
        default=None,
        description="Storage subnet over which hosts reach this backend (its address lies in it).",
    )
    type: str  # each subclass narrows it to its Literal: the union's discriminator

    def storage_addresses(self) -> tuple[StorageAddress, ...]:
        """The addresses hosts reach this backend at (none: hosts reach nothing).

        The subnet rules (SPC309, SPC311, SPC317) check them against the backend's
        subnet; the storage-network and iSCSI host scripts ping them.
        """
        return ()


M = TypeVar("M", bound=BackendModel)


@dataclass(frozen=True)
class PoolSite:
    """What a pool's URL may depend on besides its backend and its spec entry.

    ``hypervisor`` is the hypervisor of the pool's cluster (None for scope zone);
    ``datacenter`` the vCenter datacenter of that cluster when it is a VMware cluster
    with a vcenter (None otherwise).
    """

    hypervisor: str | None = None
    datacenter: str | None = None


@dataclass(frozen=True)
class PoolParams:
    """What a backend adds to ``createStoragePool``: the url and extra parameters.

    ``url`` may be a ``Concat`` of text and ``SecretParam`` (a secret inside the URL
    stays a reference until execution); ``params`` are added before the url, under
    their API names (``capacityiops``), and a pool's own values override them.
    """

    url: Param
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImageStore:
    """``addImageStore``'s provider and url for a backend used as secondary storage."""

    provider: str
    url: str


class StorageBackend(ABC, Generic[M]):
    """The plug-in of one kind of storage backend (subclass it; instantiate it once).

    Data, as class attributes:

    ``type``
        The spec's ``type`` value: the registry key; equals ``model``'s Literal.
    ``model``
        The spec model (a :class:`BackendModel` subclass).
    ``provider``
        The CloudStack storage provider of its pools (``createStoragePool
        provider=``), as the provider's ``getName()`` returns it.
    ``managed``
        ``createStoragePool managed=``: True for managed storage (one LUN per volume),
        False to say so explicitly, None to leave it unsent (the server's default).
    ``scopes``, ``hypervisors``
        The pool scopes it supports and the hypervisors whose clusters may mount
        its pools. The generic rule SPC392 holds pools to them, unless
        ``checks_fit`` says the backend's own rules do (with their own codes).
    ``checks_fit``
        See above.
    ``zone_any_hypervisor``
        Its provider's ``attachZone`` connects the zone's hosts whatever hypervisor
        the pool names, so a zone-wide pool may say ``Any`` (SolidFire:
        ``SolidFirePrimaryDataStoreLifeCycle.attachZone`` lists the XenServer,
        VMware and KVM hosts). False (the default provider): ``attachZone`` connects
        the Up and Enabled hosts of exactly the pool's hypervisor
        (``CloudStackPrimaryDataStoreLifeCycleImpl.attachZone``:
        ``listAllUpAndEnabledHostsInOneZoneByHypervisor``); no host has hypervisor
        ``Any``, so createStoragePool fails ("Failed to create storage pool as it
        is not accessible to hosts."). SPC390 holds zone-wide pools to it.
    ``image_store_capable``
        It can be secondary storage (SPC225 refuses any other); then
        :meth:`image_store` gives the store's provider and url.
    ``ha_heartbeat``
        KVM host HA can write its heartbeat on its pools (SPC383 wants one such
        pool in a cluster with HA hosts).
    ``storage_qos``
        An offering's storage QoS (min/max IOPS) concerns its pools: the provider
        applies it, or the backend's own rules say what to do with it. SPC336
        warns about storage QoS on an offering that reaches no such pool.
    ``rules``
        Its domain rules, with their own SPC codes (no other backend's rule emits
        one of them).
    ``roles``
        Every role its host scripts take (:mod:`specc.hosts.roles`): the ``Role``
        of the scripts :meth:`backend_scripts` makes, and the ``HostRole`` s
        (maybe shared with other backends) its pools need on each host that
        mounts them. A role carries its runbook rollback text and whether it runs
        on the operator's workstation.

    Methods (given the backend's spec entry, typed as ``model``): :meth:`pool`
    (required), :meth:`image_store`, :meth:`backend_scripts`,
    :meth:`preflight_checks`, :meth:`verification_checks`, :meth:`warnings`,
    :meth:`rollback_notes`. They are called for every backend of the spec; ``uses``
    are the spec's pools on this one (maybe none, then most return nothing) with
    the hosts each reaches.
    """

    type: str
    model: builtins.type[M]  # `type` is the attribute above in this class's scope
    provider: str
    managed: bool | None = None
    scopes: frozenset[Scope] = frozenset({"cluster", "zone"})
    hypervisors: frozenset[str] = HYPERVISORS
    checks_fit: bool = False
    zone_any_hypervisor: bool = False
    image_store_capable: bool = False
    ha_heartbeat: bool = False
    storage_qos: bool = False
    rules: tuple[Rule, ...] = ()
    roles: tuple[Role, ...] = ()

    @abstractmethod
    def pool(self, backend: M, pool: PrimaryStorage, site: PoolSite) -> PoolParams:
        """The url (and extra parameters) of ``createStoragePool`` for *pool*."""

    def image_store(self, backend: M, path: str | None) -> ImageStore | None:
        """``addImageStore``'s provider and url (*path* overrides the backend's path).

        None when the backend cannot be secondary storage (``image_store_capable``).
        """
        return None

    def backend_scripts(
        self,
        spec: Spec,
        backend: M,
        uses: tuple[PoolUse, ...],
        network: Mapping[str, str],
    ) -> tuple[HostScript, ...]:
        """The host scripts of this backend itself (not of each client host).

        *network* maps a host's ResourceId text to its storage-network script id,
        for scripts that must run after it.
        """
        return ()

    def preflight_checks(
        self, spec: Spec, backend: M, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """What to check before any step runs (devices, admin access, the array)."""
        return ()

    def verification_checks(
        self, spec: Spec, backend: M, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """What to verify once the storage pools exist."""
        return ()

    def warnings(
        self, spec: Spec, backend: M, uses: tuple[PoolUse, ...], version: tuple[int, ...]
    ) -> tuple[str, ...]:
        """The runbook's warnings about this backend, on CloudStack *version* (4, 18, 0)."""
        return ()

    def rollback_notes(self, backend: M) -> dict[str, str]:
        """Script id -> what to undo, for its scripts whose undo names spec values."""
        return {}
