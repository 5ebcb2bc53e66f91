"""NFS: an exported path on an NFS server, as primary or secondary storage.

The default provider mounts ``nfs://server/path`` on every host of the pool's scope
(apache/cloudstack ``CloudStackPrimaryDataStoreLifeCycleImpl.initialize``, scheme
``nfs``); as secondary storage it is an ``NFS`` image store (``DataStoreProvider``
``NFS_IMAGE``). NFS is what KVM host HA relies on: the agent writes its heartbeat on
NFS primary pools only (``KVMStoragePoolManager.createStoragePool`` hands
``NetworkFilesystem`` pools, and no other, to the HA monitor).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, StringConstraints

from specc.backends.base import (
    BackendModel,
    ImageStore,
    ImportedBackend,
    PoolParams,
    PoolSite,
    StorageAddress,
    StorageBackend,
)

if TYPE_CHECKING:
    from specc.spec.models import PrimaryStorage


class NfsBackend(BackendModel):
    """An NFS server export (primary or secondary storage)."""

    type: Literal["nfs"]
    server: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="NFS server address."
    )
    export: Annotated[str, StringConstraints(pattern=r"^/")] = Field(description="Exported path.")

    def storage_addresses(self) -> tuple[StorageAddress, ...]:
        """The NFS server."""
        return (StorageAddress(("server",), self.server),)


class Nfs(StorageBackend[NfsBackend]):
    """NFS through the default provider; the only backend that can be an image store."""

    type = "nfs"
    model = NfsBackend
    provider = "DefaultPrimary"
    image_store_capable = True
    ha_heartbeat = True

    def pool(self, backend: NfsBackend, pool: PrimaryStorage, site: PoolSite) -> PoolParams:
        """``nfs://server/export`` (the pool's ``path`` overrides the export)."""
        return PoolParams(f"nfs://{backend.server}{pool.path or backend.export}")

    def from_pool(self, pool: Mapping[str, Any]) -> ImportedBackend | None:
        """A ``NetworkFilesystem`` pool of the default provider: its server and export
        are the listed ``ipaddress`` and ``path`` (``CloudStackPrimaryDataStoreLifeCycleImpl
        .initialize`` stores the url's host and path)."""
        if pool.get("provider") != self.provider or pool.get("type") != "NetworkFilesystem":
            return None
        return _imported(str(pool.get("ipaddress", "")), str(pool.get("path", "")))

    def from_image_store(self, store: Mapping[str, Any]) -> ImportedBackend | None:
        """An ``NFS`` image store: server and export from its listed ``url``.

        The server lists the url as it was added, Marvin's ``nfs://host:/path`` form
        included (``StorageManagerImpl.discoverImageStore``): the colon is not the
        server's.

        >>> Nfs().from_image_store({"providername": "NFS", "url": "nfs://h:/e"}).fields
        {'server': 'h', 'export': '/e'}
        """
        url = str(store.get("url", ""))
        if str(store.get("providername", "")).upper() != "NFS" or not url.startswith("nfs://"):
            return None
        server, _, export = url[len("nfs://") :].partition("/")
        return _imported(server.removesuffix(":"), "/" + export)

    def image_store(self, backend: NfsBackend, path: str | None) -> ImageStore:
        """An ``NFS`` image store at ``nfs://server/export``."""
        return ImageStore("NFS", f"nfs://{backend.server}{path or backend.export}")


def _imported(server: str, export: str) -> ImportedBackend:
    return ImportedBackend({"server": server, "export": export}, server, (server,))
