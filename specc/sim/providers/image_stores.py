"""The image (secondary) store providers: ``NFS``, ``S3`` and ``Swift``.

apache/cloudstack plugins/storage/image/{default,s3,swift}: ``CloudStackImageStoreProviderImpl``
(name ``DataStoreProvider.NFS_IMAGE``; types IMAGE and ImageCache) with
``CloudStackImageStoreLifeCycleImpl``, ``S3ImageStoreProviderImpl`` with
``S3ImageStoreLifeCycleImpl``, ``SwiftImageStoreProviderImpl`` with
``SwiftImageStoreLifeCycleImpl``. ``StorageManagerImpl.discoverImageStore`` picks the
provider (NFS for a name it does not know) and checks the scope with its
``isScopeSupported``.
"""

from __future__ import annotations

from typing import Any

from specc.sim.handlers import Ctx
from specc.sim.providers.base import ImageProvider, ImageStoreRequest, PoolUrlError


def _nfs_initialize(ctx: Ctx, req: ImageStoreRequest) -> dict[str, Any]:
    """``CloudStackImageStoreLifeCycleImpl.initialize``: a url with a scheme, and for
    ``nfs`` a host and a path; the protocol is the scheme, lowercased; a zone-wide
    store."""
    url = req.url
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme:
        raise PoolUrlError(f"uri.scheme is null {url}, add nfs:// (or cifs://) as a prefix")
    host, _, path = rest.partition("/")
    if scheme.lower() == "nfs" and (not host or not path):
        raise PoolUrlError(
            "Your host and/or path is wrong.  Make sure it's of the format nfs://hostname/path"
        )
    return {"protocol": scheme.lower(), "scope": "ZONE", "url": url}


def _s3_initialize(ctx: Ctx, req: ImageStoreRequest) -> dict[str, Any]:
    """``S3ImageStoreLifeCycleImpl.initialize``: protocol ``http`` (``https`` with the
    S3 https flag among the details, not modelled), region-wide."""
    return {"protocol": "http", "scope": "REGION"}


def _swift_initialize(ctx: Ctx, req: ImageStoreRequest) -> dict[str, Any]:
    """``SwiftImageStoreLifeCycleImpl.initialize``: protocol ``http``, region-wide."""
    return {"protocol": "http", "scope": "REGION"}


# CloudStackImageStoreProviderImpl.isScopeSupported: ZONE only; getTypes: IMAGE, ImageCache.
NFS = ImageProvider(
    name="NFS",
    scopes=frozenset({"ZONE"}),
    initialize=_nfs_initialize,
    sample={"url": "nfs://10.30.0.5/export/secondary"},
    cache=True,
)
# S3ImageStoreProviderImpl.isScopeSupported and SwiftImageStoreProviderImpl.isScopeSupported:
# REGION only.
S3 = ImageProvider(
    name="S3",
    scopes=frozenset({"REGION"}),
    initialize=_s3_initialize,
    sample={"url": "http://s3.example.com/bucket"},
)
SWIFT = ImageProvider(
    name="Swift",
    scopes=frozenset({"REGION"}),
    initialize=_swift_initialize,
    sample={"url": "http://swift.example.com:8080/v1/AUTH_cs"},
)
