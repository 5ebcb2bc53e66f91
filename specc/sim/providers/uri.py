"""Splitting a storage url as ``java.net.URI`` does, for the url-based providers.

The server builds ``new URI(UriUtils.encodeURIComponent(url))`` and reads its scheme,
user info, host, port and (still encoded) path; a url without ``scheme://`` has no
scheme, and a port that is not a number makes the URI invalid.
"""

from __future__ import annotations

from dataclasses import dataclass

from specc.sim.providers.base import PoolUrlError


@dataclass(frozen=True)
class Uri:
    """The parts of ``scheme://[userinfo@]host[:port]/path`` (port -1 when absent)."""

    scheme: str
    userinfo: str
    host: str
    port: int
    path: str


def split_uri(url: str) -> Uri:
    """Split ``scheme://[userinfo@]host[:port]/path`` without decoding the path.

    Raises the default provider's errors (``CloudStackPrimaryDataStoreLifeCycleImpl
    .initialize``): no scheme, or a URI that does not parse.

    >>> split_uri("rbd://admin:a%2Fb@mon.example:6789/rbd")
    Uri(scheme='rbd', userinfo='admin:a%2Fb', host='mon.example', port=6789, path='/rbd')
    >>> split_uri("SharedMountPoint:///san/primary").path
    '/san/primary'
    >>> split_uri("nfs://10.147.28.7:/export/primary0")
    Uri(scheme='nfs', userinfo='', host='10.147.28.7', port=-1, path='/export/primary0')
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
    if colon and port_text:
        if not port_text.isdigit():
            raise PoolUrlError(f"{url} is not a valid uri")
        port = int(port_text)
    return Uri(scheme, userinfo, host, port, path)
