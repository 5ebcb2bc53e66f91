"""The simulator's storage providers, one module each, as the server's plug-ins are.

:data:`PROVIDERS` is the registry: one line per provider (the protocol is in
:mod:`specc.sim.providers.base`). The storage handlers find a provider here by name
(:func:`primary`, :func:`image`) and list them (:func:`listing`); the baseline stores
the list a fresh server answers ``listStorageProviders`` with.
"""

from __future__ import annotations

from specc.sim.handlers import version_at_least
from specc.sim.providers import (
    default_primary,
    image_stores,
    powerflex,
    solidfire,
    solidfire_shared,
    storpool,
)
from specc.sim.providers.base import PROVIDER_TYPES, ImageProvider, PrimaryProvider, Provider
from specc.sim.providers.listed import listed

PROVIDERS: tuple[Provider, ...] = (
    default_primary.PROVIDER,
    solidfire.PROVIDER,
    solidfire_shared.PROVIDER,
    listed("CloudByte"),  # ElastistorUtil.ES_PROVIDER_NAME
    listed("Datera"),  # DateraUtil.PROVIDER_NAME
    listed("Linstor"),  # LinstorUtil.PROVIDER_NAME
    powerflex.PROVIDER,
    storpool.PROVIDER,  # StorPoolUtil.SP_PROVIDER_NAME
    listed("Flash Array", since="4.19"),  # FlashArrayPrimaryDatastoreProviderImpl, PR #7889
    listed("Primera", since="4.19"),  # PrimeraPrimaryDatastoreProviderImpl, PR #7889
    image_stores.NFS,
    image_stores.S3,
    image_stores.SWIFT,
)


def _served(provider: Provider, api_version: str) -> bool:
    return version_at_least(api_version, provider.since)


def primary(name: str | None, api_version: str) -> PrimaryProvider:
    """The primary provider *name* on *api_version*; for no name or a name the server
    does not know, ``DefaultPrimary`` (``StorageManagerImpl.createPool``)."""
    for p in PROVIDERS:
        if isinstance(p, PrimaryProvider) and p.name == name and _served(p, api_version):
            return p
    return default_primary.PROVIDER


def image(name: str | None, api_version: str) -> ImageProvider:
    """The image store provider *name* on *api_version*; for a name the server does
    not know, ``NFS`` (``StorageManagerImpl.discoverImageStore`` takes
    ``getDefaultImageDataStoreProvider``)."""
    for p in PROVIDERS:
        if isinstance(p, ImageProvider) and p.name == name and _served(p, api_version):
            return p
    return image_stores.NFS


def listing(kind: str, api_version: str) -> list[dict[str, str]]:
    """The ``listStorageProviders`` entries of *kind* (``primary``, ``image``,
    ``imagecache``) of a fresh server of *api_version*
    (``DataStoreProviderManagerImpl.getDataStoreProviders``: the providers whose
    ``getTypes`` hold that type), the type spelled as the server's enum."""
    out: list[dict[str, str]] = []
    for p in PROVIDERS:
        if not _served(p, api_version):
            continue
        cache = isinstance(p, ImageProvider) and p.cache
        if p.kind == kind or (kind == "imagecache" and cache):
            out.append({"name": p.name, "type": PROVIDER_TYPES[kind]})
    return out
