"""Primary storage URL parsing, per scheme and per provider, as the real server does it.

``createStoragePool`` takes a ``url`` whose meaning depends on the provider: a URI
(``nfs://host/path``, ``rbd://user:secret@monitor/pool``, ...) for the default
provider, and a ``key=value;...`` string for the SolidFire plugins. The server's
checks fail in two ways, which this module keeps apart: an invalid parameter
(HTTP 431) and a failure inside the storage plugin, which the server wraps as
``Failed to add data store: ...`` (HTTP 530).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

# The names of the server's StoragePoolType enum: a scheme the default provider does
# not know by name is looked up here, case-sensitively, as the server does.
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

# SolidFire url keys (matched case-insensitively), in their canonical spelling.
SOLIDFIRE_KEYS = (
    "MVIP",
    "SVIP",
    "clusterAdminUsername",
    "clusterAdminPassword",
    "clusterDefaultMinIops",
    "clusterDefaultMaxIops",
    "clusterDefaultBurstIopsPercentOfMaxIops",
    "minIops",
    "maxIops",
    "burstIops",
    "datacenter",
)
MIN_IOPS_PER_VOLUME = 100
MAX_MIN_IOPS_PER_VOLUME = 15_000
MAX_IOPS_PER_VOLUME = 100_000


class PoolUrlError(Exception):
    """A rejected pool URL: ``text`` is the server's message.

    ``plugin`` is true when the server raises it inside the storage plugin, where it
    becomes ``Failed to add data store: <text>`` with HTTP 530; false for a plain
    invalid parameter (431).
    """

    def __init__(self, text: str, *, plugin: bool = True) -> None:
        super().__init__(text)
        self.text = text
        self.plugin = plugin


@dataclass(frozen=True)
class ParsedPool:
    """What the server derives from a pool URL: the pool's type, host, port and path.

    ``user`` and ``secret`` are the RBD user info (the secret percent-decoded); the
    simulator stores them and never returns them. ``details`` holds SolidFire values.
    """

    type: str
    host: str
    port: int
    path: str
    user: str = ""
    secret: str = ""
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Uri:
    scheme: str
    userinfo: str
    host: str
    port: int
    path: str


def _split_uri(url: str) -> _Uri:
    """Split ``scheme://[userinfo@]host[:port]/path`` without decoding the path.

    >>> _split_uri("rbd://admin:a%2Fb@mon.example:6789/rbd")
    _Uri(scheme='rbd', userinfo='admin:a%2Fb', host='mon.example', port=6789, path='/rbd')
    >>> _split_uri("SharedMountPoint:///san/primary").path
    '/san/primary'
    """
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme or not scheme.replace("+", "").replace("-", "").isalnum():
        raise PoolUrlError(f"scheme is null {url}, add nfs:// (or cifs://) as a prefix")
    authority, slash, path = rest.partition("/")
    path = slash + path
    userinfo = ""
    if "@" in authority:
        userinfo, _, authority = authority.rpartition("@")
    host, colon, port_text = authority.partition(":")
    port = -1
    if colon:
        if not port_text.isdigit():
            raise PoolUrlError(f"{url} is not a valid uri")
        port = int(port_text)
    return _Uri(scheme, userinfo, host, port, path)


def parse_default(url: str, *, has_cluster: bool) -> ParsedPool:
    """Parse a URL for the DefaultPrimary provider.

    >>> p = parse_default("nfs://10.0.0.5/export/primary", has_cluster=True)
    >>> (p.type, p.host, p.port, p.path)
    ('NetworkFilesystem', '10.0.0.5', 2049, '/export/primary')
    >>> p = parse_default("rbd://cs:AQ%2Bx%2Fy%3D%3D@mon.ceph/cloudstack", has_cluster=False)
    >>> (p.type, p.host, p.path, p.user, p.secret)
    ('RBD', 'mon.ceph', 'cloudstack', 'cs', 'AQ+x/y==')
    """
    uri = _split_uri(url)
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


def solidfire_values(url: str) -> dict[str, str]:
    """The ``key=value;...`` pairs of a SolidFire url, keys in canonical spelling.

    Keys match case-insensitively; unknown keys are kept as given.

    >>> solidfire_values("mvip=10.1.1.1;SVIP=10.2.2.2:3260;ClusterAdminUsername=admin")
    {'MVIP': '10.1.1.1', 'SVIP': '10.2.2.2:3260', 'clusterAdminUsername': 'admin'}
    """
    canon = {k.lower(): k for k in SOLIDFIRE_KEYS}
    values: dict[str, str] = {}
    for token in url.split(";"):
        if not token:
            continue
        key, eq, value = token.partition("=")
        if not eq:
            raise PoolUrlError("Invalid URL format")
        values.setdefault(canon.get(key.lower(), key), value)
    return values


def _required(values: dict[str, str], key: str) -> str:
    if key not in values:
        raise PoolUrlError("Key not found in URL")
    return values[key]


def _vip(value: str, default_port: int) -> tuple[str, int]:
    host, colon, port = value.partition(":")
    if not colon:
        return host, default_port
    if not port.isdigit():
        raise PoolUrlError("Invalid URL format (port is not an integer)")
    return host, int(port)


def _long(values: dict[str, str], key: str, default: int) -> int:
    text = values.get(key, "").strip()
    try:
        return int(text) if text else default
    except ValueError:
        return default


def _solidfire_start(
    url: str, capacity_bytes: int | None, capacity_iops: int | None
) -> tuple[dict[str, str], str, int]:
    """The first checks of both SolidFire plugins: the url's values, SVIP and the capacities."""
    values = solidfire_values(url)
    svip, sport = _vip(_required(values, "SVIP"), 3260)
    if capacity_bytes is None or capacity_bytes <= 0:
        raise PoolUrlError("'capacityBytes' must be present and greater than 0.")
    if capacity_iops is None or capacity_iops <= 0:
        raise PoolUrlError("'capacityIops' must be present and greater than 0.")
    return values, svip, sport


def _solidfire_admin(values: dict[str, str]) -> dict[str, str]:
    """The management VIP and cluster admin details both SolidFire plugins require."""
    mvip, mport = _vip(_required(values, "MVIP"), 443)
    return {
        "mVip": mvip,
        "mPort": str(mport),
        "clusterAdminUsername": _required(values, "clusterAdminUsername"),
        "clusterAdminPassword": _required(values, "clusterAdminPassword"),
    }


def parse_solidfire(
    url: str, *, capacity_bytes: int | None, capacity_iops: int | None
) -> ParsedPool:
    """Parse and check a url for the managed ``SolidFire`` provider (one LUN per volume).

    >>> p = parse_solidfire(
    ...     "MVIP=10.1.1.1;SVIP=10.2.2.2;clusterAdminUsername=a;clusterAdminPassword=b",
    ...     capacity_bytes=10**12, capacity_iops=50000)
    >>> (p.type, p.host, p.port, p.details["clusterDefaultMaxIops"])
    ('Iscsi', '10.2.2.2', 3260, '15000')
    """
    values, svip, sport = _solidfire_start(url, capacity_bytes, capacity_iops)
    details = _solidfire_admin(values)
    min_iops = _long(values, "clusterDefaultMinIops", 100)
    max_iops = _long(values, "clusterDefaultMaxIops", 15_000)
    burst_text = values.get("clusterDefaultBurstIopsPercentOfMaxIops", "").strip()
    try:
        burst = float(burst_text) if burst_text else 1.5
    except ValueError:
        burst = 1.5
    p_min, p_max = "clusterDefaultMinIops", "clusterDefaultMaxIops"
    if min_iops < MIN_IOPS_PER_VOLUME:
        raise PoolUrlError(
            f"The parameter '{p_min}' must be greater than or equal to {MIN_IOPS_PER_VOLUME}."
        )
    if min_iops > MAX_MIN_IOPS_PER_VOLUME:
        raise PoolUrlError(
            f"The parameter '{p_min}' must be less than or equal to {MAX_MIN_IOPS_PER_VOLUME}."
        )
    if min_iops > max_iops:
        raise PoolUrlError(
            f"The parameter '{p_min}' must be less than or equal to the parameter '{p_max}'."
        )
    if max_iops > MAX_IOPS_PER_VOLUME:
        raise PoolUrlError(
            f"The parameter '{p_max}' must be less than or equal to {MAX_IOPS_PER_VOLUME}."
        )
    if burst < 1.0:
        raise PoolUrlError(
            "The parameter 'clusterDefaultBurstIopsPercentOfMaxIops' must be greater than "
            "or equal to 1."
        )
    details.update({p_min: str(min_iops), p_max: str(max_iops)})
    details["clusterDefaultBurstIopsPercentOfMaxIops"] = str(burst)
    return ParsedPool(
        "Iscsi", svip, sport, f"MVIP={values['MVIP']};SVIP={values['SVIP']}", details=details
    )


def parse_solidfire_shared(
    url: str,
    *,
    capacity_bytes: int | None,
    capacity_iops: int | None,
    hypervisor: str,
    pool_name: str,
) -> ParsedPool:
    """Parse and check a url for ``SolidFireShared`` (one LUN shared by many volumes).

    Only XenServer and VMware clusters; ``capacityIops`` must equal ``minIops``.

    >>> parse_solidfire_shared(
    ...     "MVIP=1.1.1.1;SVIP=2.2.2.2;clusterAdminUsername=a;clusterAdminPassword=b;"
    ...     "minIops=500;maxIops=1000;burstIops=2000",
    ...     capacity_bytes=10**11, capacity_iops=500, hypervisor="XenServer",
    ...     pool_name="sf").type
    'IscsiLUN'
    """
    values, svip, sport = _solidfire_start(url, capacity_bytes, capacity_iops)
    if hypervisor not in ("XenServer", "VMware"):
        raise PoolUrlError(f"{hypervisor} is not a supported hypervisor type.")
    datacenter = values.get("datacenter")
    if hypervisor == "VMware" and datacenter is None:
        raise PoolUrlError("'Datacenter' must be set for hypervisor type of VMware")
    details = _solidfire_admin(values)
    min_iops = _long(values, "minIops", 100)
    max_iops = _long(values, "maxIops", 15_000)
    burst_iops = _long(values, "burstIops", 15_000)
    if min_iops > max_iops:
        raise PoolUrlError(
            "The parameter 'minIops' must be less than or equal to the parameter 'maxIops'."
        )
    if max_iops > burst_iops:
        raise PoolUrlError(
            "The parameter 'maxIops' must be less than or equal to the parameter 'burstIops'."
        )
    if min_iops != capacity_iops:
        raise PoolUrlError("The parameter 'capacityIops' must be equal to the parameter 'minIops'.")
    if min_iops > MAX_MIN_IOPS_PER_VOLUME:
        raise PoolUrlError(
            f"This volume's Min IOPS cannot exceed {MAX_MIN_IOPS_PER_VOLUME:,} IOPS."
        )
    if max_iops > MAX_IOPS_PER_VOLUME:
        raise PoolUrlError(f"This volume's Max IOPS cannot exceed {MAX_IOPS_PER_VOLUME:,} IOPS.")
    if burst_iops > MAX_IOPS_PER_VOLUME:
        raise PoolUrlError(f"This volume's Burst IOPS cannot exceed {MAX_IOPS_PER_VOLUME:,} IOPS.")
    details.update(minIops=str(min_iops), maxIops=str(max_iops), burstIops=str(burst_iops))
    iqn = f"iqn.2010-01.com.solidfire:sim.{pool_name.lower()}"
    if hypervisor == "VMware":
        path = f"/{datacenter}/{iqn.replace('/', '_')}"
        return ParsedPool("VMFS", f"VMFS datastore: {path}", 0, path, details=details)
    return ParsedPool("IscsiLUN", svip, sport, iqn, details=details)
