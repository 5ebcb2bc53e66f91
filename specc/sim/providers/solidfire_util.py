"""What both SolidFire providers share: the ``key=value;...`` url and its checks.

apache/cloudstack plugins/storage/volume/solidfire, ``SolidFireUtil``: ``getValue``
(keys matched case-insensitively; a token without ``=`` is ``Invalid URL format``, a
missing required key ``Key not found in URL``), ``getStorageVip``/``getStoragePort``
(``SVIP``, default port 3260), ``getManagementVip``/``getManagementPort`` (``MVIP``,
443), the detail names and the per-volume IOPS limits. Not a provider: the registry
lists :mod:`.solidfire` and :mod:`.solidfire_shared`.
"""

from __future__ import annotations

from specc.sim.providers.base import PoolUrlError

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
# SolidFireUtil.MIN_IOPS_PER_VOLUME, MAX_MIN_IOPS_PER_VOLUME, MAX_IOPS_PER_VOLUME.
MIN_IOPS_PER_VOLUME = 100
MAX_MIN_IOPS_PER_VOLUME = 15_000
MAX_IOPS_PER_VOLUME = 100_000


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


def modified_url(url: str) -> str:
    """``SolidFireUtil.getModifiedUrl``: the SolidFire pool's path, the url's tokens
    that start with ``MVIP`` or ``SVIP`` once uppercased, uppercased, in url order.

    >>> modified_url("svip=sf.lan:3260;MVIP=10.1.1.1;clusterAdminUsername=a")
    'SVIP=SF.LAN:3260;MVIP=10.1.1.1'
    """
    tokens = (t.upper() for t in url.split(";") if t)
    return ";".join(t for t in tokens if t.startswith(("MVIP", "SVIP")))


def required(values: dict[str, str], key: str) -> str:
    """``SolidFireUtil.getValue(key, url)``: the value, or ``Key not found in URL``."""
    if key not in values:
        raise PoolUrlError("Key not found in URL")
    return values[key]


def vip(value: str, default_port: int) -> tuple[str, int]:
    """``SolidFireUtil.getVip``/``getPort``: ``host[:port]``."""
    host, colon, port = value.partition(":")
    if not colon:
        return host, default_port
    if not port.isdigit():
        raise PoolUrlError("Invalid URL format (port is not an integer)")
    return host, int(port)


def long_value(values: dict[str, str], key: str, default: int) -> int:
    """An optional number: *default* when absent, blank or not a number (the plugins
    log a bad value and keep the default)."""
    text = values.get(key, "").strip()
    try:
        return int(text) if text else default
    except ValueError:
        return default


def start(
    url: str, capacity_bytes: int | None, capacity_iops: int | None
) -> tuple[dict[str, str], str, int]:
    """The first checks of both SolidFire lifecycles' ``initialize``, in their order:
    the url's values, the storage VIP, then ``capacityBytes`` and ``capacityIops``."""
    values = solidfire_values(url)
    svip, sport = vip(required(values, "SVIP"), 3260)
    if capacity_bytes is None or capacity_bytes <= 0:
        raise PoolUrlError("'capacityBytes' must be present and greater than 0.")
    if capacity_iops is None or capacity_iops <= 0:
        raise PoolUrlError("'capacityIops' must be present and greater than 0.")
    return values, svip, sport


def admin_details(values: dict[str, str]) -> dict[str, str]:
    """The management VIP and cluster admin details both lifecycles store
    (``mVip``, ``mPort``, ``clusterAdminUsername``, ``clusterAdminPassword``)."""
    mvip, mport = vip(required(values, "MVIP"), 443)
    return {
        "mVip": mvip,
        "mPort": str(mport),
        "clusterAdminUsername": required(values, "clusterAdminUsername"),
        "clusterAdminPassword": required(values, "clusterAdminPassword"),
    }
