"""The ``DefaultPrimary`` provider: primary storage the hypervisors mount themselves.

apache/cloudstack plugins/storage/volume/default:
``CloudStackPrimaryDataStoreProviderImpl`` (name ``DataStoreProvider.DEFAULT_PRIMARY``),
``CloudStackPrimaryDataStoreLifeCycleImpl`` (``initialize`` parses the url per scheme;
``attachCluster``/``attachZone`` connect the hosts) and
``CloudStackPrimaryDataStoreDriverImpl`` (``getCapabilities``). It is also the
provider ``StorageManagerImpl.createPool`` uses for a provider name it does not know.
"""

from __future__ import annotations

from urllib.parse import unquote

from specc.sim.handlers import Ctx
from specc.sim.providers.base import (
    NewPool,
    ParsedPool,
    PoolRequest,
    PoolUrlError,
    PrimaryProvider,
    no_host_up_in_cluster,
    up_and_enabled_hosts,
)
from specc.sim.providers.uri import split_uri

NAME = "DefaultPrimary"

# The names of the server's StoragePoolType enum (api/.../com/cloud/storage/Storage.java):
# a scheme the default provider does not know by name is looked up here,
# case-sensitively (Enum.valueOf), as the server does.
POOL_TYPES = (
    "Filesystem",
    "NetworkFilesystem",
    "IscsiLUN",
    "Iscsi",
    "ISO",
    "LVM",
    "CLVM",
    "RBD",
    "SharedMountPoint",
    "VMFS",
    "PreSetup",
    "EXT",
    "OCFS2",
    "SMB",
    "Gluster",
    "PowerFlex",
    "ManagedNFS",
    "Linstor",
    "DatastoreCluster",
    "StorPool",
)


def parse_default(url: str, *, has_cluster: bool) -> ParsedPool:
    """Parse a url as ``CloudStackPrimaryDataStoreLifeCycleImpl.initialize`` does.

    The scheme (matched case-insensitively) gives the pool type, the default port and
    the path: ``nfs`` (2049), ``sharedmountpoint``, ``rbd`` (the pool name, without the
    leading slash; user info kept), ``presetup``, ``datastorecluster``, ``iso``
    (2049), ``vmfs`` (host ``VMFS datastore: <path>``), ``iscsi`` (3260; the path must
    end in a LUN number, and needs a cluster), ``clvm``, ``cifs`` (445), ``gluster``
    (24007), ``file``, ``ocfs2`` (7777);
    any other scheme must name a StoragePoolType exactly. The path is percent-decoded.
    An empty ``sharedmountpoint`` or ``rbd`` path is refused here, where the server's
    ``uri.getPath() == null`` check lets it through to fail on the hosts; the vCenter
    check of a ``presetup`` or ``datastorecluster`` url on VMware is not modelled.

    >>> p = parse_default("nfs://10.0.0.5/export/primary", has_cluster=True)
    >>> (p.type, p.host, p.port, p.path)
    ('NetworkFilesystem', '10.0.0.5', 2049, '/export/primary')
    >>> p = parse_default("rbd://cs:AQ%2Bx%2Fy%3D%3D@mon.ceph/cloudstack", has_cluster=False)
    >>> (p.type, p.host, p.path, p.user, p.secret)
    ('RBD', 'mon.ceph', 'cloudstack', 'cs', 'AQ+x/y==')
    """
    uri = split_uri(url)
    scheme = uri.scheme.lower()
    path = unquote(uri.path)
    if scheme == "nfs":
        if not uri.host.strip() or not path.strip():
            raise PoolUrlError("host or path is null, should be nfs://hostname/path")
        return ParsedPool("NetworkFilesystem", uri.host, 2049 if uri.port < 0 else uri.port, path)
    if scheme == "sharedmountpoint":
        if not path:
            raise PoolUrlError("host or path is null, should be sharedmountpoint://localhost/path")
        return ParsedPool("SharedMountPoint", uri.host, 0, path)
    if scheme == "rbd":
        if not path:
            raise PoolUrlError("host or path is null, should be rbd://hostname/pool")
        user, _, secret = uri.userinfo.partition(":")
        return ParsedPool(
            "RBD",
            uri.host,
            0 if uri.port < 0 else uri.port,
            path.replace("/", "", 1),
            user=unquote(user),
            secret=unquote(secret),
        )
    if scheme == "presetup":
        return ParsedPool("PreSetup", uri.host, 0, path)
    if scheme == "datastorecluster":
        return ParsedPool("DatastoreCluster", uri.host, 0, path)
    if scheme == "iso":
        return ParsedPool("ISO", uri.host, 2049 if uri.port < 0 else uri.port, path)
    if scheme == "vmfs":
        return ParsedPool("VMFS", f"VMFS datastore: {path}", 0, path)
    if scheme == "iscsi":
        last = path.rsplit("/", 1)[-1]
        if not last.isdigit():
            raise PoolUrlError("iSCSI needs to have LUN number")
        if not has_cluster:
            raise PoolUrlError("IscsiLUN need to have clusters specified")
        return ParsedPool("IscsiLUN", uri.host, 3260 if uri.port < 0 else uri.port, path)
    if scheme == "clvm":
        return ParsedPool("CLVM", uri.host, 0, path.replace("/", "", 1))
    if scheme == "cifs":
        return ParsedPool("SMB", uri.host, 445 if uri.port < 0 else uri.port, path)
    if scheme == "gluster":
        if not uri.host.strip() or not path.strip():
            raise PoolUrlError("host or path is null, should be gluster://hostname/volume")
        return ParsedPool("Gluster", uri.host, 24007 if uri.port < 0 else uri.port, path)
    if scheme == "file":
        return ParsedPool("Filesystem", "localhost", 0, path)
    if scheme == "ocfs2":
        return ParsedPool("OCFS2", "clustered", 7777, path)
    if uri.scheme in POOL_TYPES:
        return ParsedPool(uri.scheme, uri.host, 0, path)
    raise PoolUrlError(f"No enum constant com.cloud.storage.Storage.StoragePoolType.{uri.scheme}")


def check_pod(req: PoolRequest) -> None:
    """``initialize``'s first check: ``Cluster id requires pod id``."""
    if req.cluster is not None and req.pod is None:
        raise PoolUrlError("Cluster id requires pod id")


def check_unused(ctx: Ctx, parsed: ParsedPool) -> None:
    """``initialize`` refuses a host and path another pool already has
    (``PrimaryDataStoreDao.listPoolByHostPath``), except for SharedMountPoint."""
    if parsed.type == "SharedMountPoint":
        return
    for other in ctx.store.items("storagepool"):
        if other.get("_host") == parsed.host and other.get("path") == parsed.path:
            raise PoolUrlError(
                f"Storage pool {parsed.path} already in use by another pod "
                f"(id={other.get('podid', '')})"
            )


def initialize(ctx: Ctx, req: PoolRequest) -> NewPool:
    """``CloudStackPrimaryDataStoreLifeCycleImpl.initialize``: the pod check, the url,
    a host and path not in use; the pool keeps the request's hypervisor. It never sets
    the parameters' managed flag nor their capacities, so the ``managed``,
    ``capacitybytes`` and ``capacityiops`` parameters are ignored: never managed, the
    bytes are what the hosts report (``StorageManagerImpl.updateStoragePoolHostVOAndBytes``
    on connect), no IOPS."""
    check_pod(req)
    parsed = parse_default(req.url, has_cluster=req.cluster is not None)
    check_unused(ctx, parsed)
    return NewPool(parsed, False, req.hypervisor)


def attach(ctx: Ctx, req: PoolRequest, pool: NewPool) -> None:
    """``attachCluster``: a host of the cluster must be Up (``listAllUpHosts``), else
    ``No host up to associate a storage pool with in cluster <id>``. ``attachZone``:
    the zone's Up and Enabled hosts of the pool's hypervisor must mount it, else
    ``Failed to create storage pool as it is not accessible to hosts.``"""
    if req.cluster is not None:
        if no_host_up_in_cluster(ctx, req.cluster["id"]):
            raise PoolUrlError(
                f"No host up to associate a storage pool with in cluster {req.cluster['id']}"
            )
        return
    if not up_and_enabled_hosts(ctx, req.zone["id"], pool.hypervisor):
        raise PoolUrlError("Failed to create storage pool as it is not accessible to hosts.")


# CloudStackPrimaryDataStoreDriverImpl.getCapabilities: only VOLUME_SNAPSHOT_QUIESCEVM,
# false (QueryManagerImpl.searchForStoragePools lists the driver's capabilities).
CAPABILITIES = {"VOLUME_SNAPSHOT_QUIESCEVM": "false"}

PROVIDER = PrimaryProvider(
    name=NAME,
    initialize=initialize,
    attach=attach,
    capabilities=CAPABILITIES,
    sample={"url": "nfs://10.10.10.10/export/primary"},
)
