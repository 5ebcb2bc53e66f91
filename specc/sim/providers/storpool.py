"""The ``StorPool`` provider: a StorPool template as a zone-wide primary pool for KVM.

apache/cloudstack plugins/storage/volume/storpool (4.18.2.5 and 4.22.1.0):
``StorPoolPrimaryDataStoreProvider`` (name ``StorPoolUtil.SP_PROVIDER_NAME``),
``StorPoolPrimaryDataStoreLifeCycle`` (``initialize``, ``attachCluster``,
``attachZone``), ``StorPoolUtil.SpConnectionDesc`` (the url) and
``StorPoolPrimaryDataStoreDriver.getCapabilities``. ``StorageManagerImpl.createPool``
wraps every refusal as 530 ``Failed to add data store: <message>``.

The simulator has no StorPool API. Where ``initialize`` asks it whether the template
exists (``StorPoolUtil.templateExists``: ``GET http://<SP_API_HTTP>/ctrl/1.0/
VolumeTemplateDescribe/<template>`` with the token), the simulator takes the
endpoint as reachable, the token as valid and the template as existing, whatever
they say: it never answers "No such storpool template <t> or credentials are
invalid", a StorPool API error or a connection error. Nor has its management server
a StorPool client: the url form that runs ``storpool_confget`` there (a bare
template name) fails as it would on a server without one.

Other deviations: the pool's id is a plain uuid (the server's is
``<template>;<uuid>``, ``initialize``'s ``setUuid``); the token is kept nowhere and
never listed (the server stores it as the pool detail ``SP_AUTH_TOKEN``);
``storagecapabilities`` are 4.22.1.0's on every version (4.18.2.5's driver returns
none); ``new URI(url)``, which 4.19.1.0 and later try first, is approximated by
:func:`java_uri`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from specc.sim.handlers import Ctx, version_at_least
from specc.sim.providers.base import NewPool, ParsedPool, PoolRequest, PoolUrlError, PrimaryProvider

NAME = "StorPool"
DEV_PATH = "/dev/storpool-byid/"  # StorPoolUtil.SP_DEV_PATH
HOST_PORT = "SP_API_HTTP_HOST"  # StorPoolUtil.SP_HOST_PORT: the detail keeps host:port
TEMPLATE = "SP_TEMPLATE"  # StorPoolUtil.SP_TEMPLATE

URI_SINCE = "4.19.1"
"""``SpConnectionDesc`` tries ``storpool://`` first from 4.19.1.0 (apache/cloudstack#8356)."""

SCHEME_INVALID = (
    "The scheme is invalid. The URL should be with a format "
    "storpool://{SP_AUTH_TOKEN}@{SP_API_HTTP}:{SP_API_HTTP_PORT}/{SP_TEMPLATE}"
)
# What Script.execute answers when the program is missing (the first line of the
# stack trace it returns; the server's message goes on with the trace).
NO_CONFGET = (
    "Could not execute storpool_confget. Error: java.io.IOException: Cannot run program "
    '"storpool_confget": error=2, No such file or directory'
)


@dataclass(frozen=True)
class Connection:
    """What ``SpConnectionDesc`` makes of a url (None: not given)."""

    host_port: str | None
    token: str | None
    template: str | None


def java_split(text: str, sep: str) -> list[str]:
    """``String.split`` on a one-character literal: trailing empty strings dropped.

    >>> java_split("a;b;;", ";"), java_split("", ";"), java_split(";;", ";"), java_split("a=", "=")
    (['a', 'b'], [''], [], ['a'])
    """
    if sep not in text:
        return [text]
    parts = text.split(sep)
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def parse_legacy(url: str) -> Connection:
    """``SpConnectionDesc(String url)`` without ``storpool://``: the url split on ``;``.

    Each ``key=value`` split on ``=`` must give two parts (so a value with an inner
    ``=`` is dropped and a trailing ``=`` is cut off); the keys ``SP_API_HTTP``,
    ``SP_AUTH_TOKEN``, ``SP_TEMPLATE`` are exact, others ignored. One part without
    ``=`` is a bare template name, whose API and token ``storpool_confget`` gives on
    the management server: the simulator has none.

    >>> parse_legacy("SP_API_HTTP=10.0.0.5:81;SP_AUTH_TOKEN=abc=;SP_TEMPLATE=ssd")
    Connection(host_port='10.0.0.5:81', token='abc', template='ssd')
    >>> parse_legacy("SP_API_HTTP=h:81; SP_AUTH_TOKEN=t").token is None
    True
    """
    parts = java_split(url, ";")
    if len(parts) == 1 and "=" not in parts[0]:
        raise PoolUrlError(NO_CONFGET)
    found: dict[str, str] = {}
    for kv in parts:
        toks = java_split(kv, "=")
        if len(toks) == 2 and toks[0] in ("SP_API_HTTP", "SP_AUTH_TOKEN", "SP_TEMPLATE"):
            found[toks[0]] = toks[1]
    get = found.get
    return Connection(get("SP_API_HTTP"), get("SP_AUTH_TOKEN"), get("SP_TEMPLATE"))


@dataclass(frozen=True)
class JavaUri:
    """The parts of a url ``new URI(url)`` accepts (None: absent; port -1: absent)."""

    scheme: str | None
    userinfo: str | None
    host: str | None
    port: int
    path: str | None


_ILLEGAL = frozenset(' "<>\\^`{|}')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9\-]*[A-Za-z0-9])?"
_HOST = re.compile(rf"{_LABEL}(\.{_LABEL})*\.?")


def java_uri(url: str) -> JavaUri | None:
    """``new URI(url)``, approximately: None where it throws ``URISyntaxException``.

    It throws for a space, a control character, one of ``"<>\\^`{|}``, a ``%`` not
    followed by two hex digits, ``[`` or ``]`` before the query (no IPv6 host here),
    a second ``#``, or a ``:`` before any ``/?#`` whose prefix is not a scheme (so
    ``SP_API_HTTP=h:81;...`` throws: ``_`` and ``=`` are no scheme characters). A url
    without such a ``:`` is a relative reference, without a scheme. An authority that
    is not ``[userinfo@]host[:port]`` has no host (a registry-based authority).

    >>> java_uri("storpool://tok@10.0.0.5:81/ssd")
    JavaUri(scheme='storpool', userinfo='tok', host='10.0.0.5', port=81, path='/ssd')
    >>> java_uri("SP_API_HTTP=10.0.0.5:81;SP_AUTH_TOKEN=t;SP_TEMPLATE=ssd") is None
    True
    >>> java_uri("ssd").scheme is None
    True
    """
    if any(c in _ILLEGAL or ord(c) < 32 or ord(c) == 127 for c in url):
        return None
    if re.search(r"%(?![0-9A-Fa-f]{2})", url):
        return None
    body, _, fragment = url.partition("#")
    head = body.partition("?")[0]
    if "#" in fragment or "[" in head or "]" in head:
        return None
    m = re.match(r"([^:/?#]*):", url)
    if m is None:
        return JavaUri(None, None, None, -1, unquote(head))
    scheme = m.group(1)
    if not _SCHEME.fullmatch(scheme):
        return None
    rest = head[len(scheme) + 1 :]
    if not rest.startswith("/"):
        if not url[len(scheme) + 1 :]:
            return None  # "Expected scheme-specific part"
        return JavaUri(scheme, None, None, -1, None)  # opaque: no path
    if not rest.startswith("//"):
        return JavaUri(scheme, None, None, -1, unquote(rest))
    authority, slash, path = rest[2:].partition("/")
    userinfo, at, hostport = authority.partition("@")
    if not at:
        userinfo, hostport = "", authority
    host, colon, port = hostport.partition(":")
    if not _HOST.fullmatch(host) or (colon and not port.isdigit()):
        return JavaUri(scheme, None, None, -1, unquote(slash + path))
    return JavaUri(
        scheme,
        unquote(userinfo) if at else None,
        host,
        int(port) if port else -1,
        unquote(slash + path),
    )


def parse_url(url: str, api_version: str) -> Connection:
    """``SpConnectionDesc(String url)`` of *api_version*.

    From 4.19.1.0 it tries ``new URI(url)`` first (``extractUriParams``): a url that
    parses must have the scheme ``storpool`` (else "The scheme is invalid...", which
    is not caught: a bare template name fails so), and gives
    ``host:port`` (``null`` and ``-1`` when absent), the user info as the token and
    the path without its slashes as the template. A url that does not parse, and any
    url before 4.19.1.0, goes to :func:`parse_legacy`.

    >>> parse_url("storpool://tok@10.0.0.5:81/ssd", "4.22.1.0")
    Connection(host_port='10.0.0.5:81', token='tok', template='ssd')
    >>> parse_url("ssd", "4.22.1.0")
    Traceback (most recent call last):
    ...
    specc.sim.providers.base.PoolUrlError: The scheme is invalid. ...
    """
    uri = java_uri(url) if version_at_least(api_version, URI_SINCE) else None
    if uri is None:
        return parse_legacy(url)
    if (uri.scheme or "").lower() != "storpool":
        raise PoolUrlError(SCHEME_INVALID)
    host_port = f"{uri.host if uri.host is not None else 'null'}:{uri.port}"
    return Connection(host_port, uri.userinfo, (uri.path or "").replace("/", ""))


def initialize(ctx: Ctx, req: PoolRequest) -> NewPool:
    """``StorPoolPrimaryDataStoreLifeCycle.initialize``, in its order.

    The url gives the API (``No SP_API_HTTP``), the token (``No SP_AUTH_TOKEN``) and
    the template (``No SP_TEMPLATE``); the template check against the StorPool API
    passes (see the module docstring); no other StorPool pool, in any zone, has this
    API ``host:port`` and template (``StorPool cluster and template already in use by
    pool <name>``, from their ``SP_API_HTTP_HOST`` and ``SP_TEMPLATE`` details);
    capacityBytes is given (``Capcity bytes is required``, sic). The pool: type
    ``StorPool``, host ``n/a``, path ``/dev/storpool-byid/``, hypervisor KVM, never
    managed, the given bytes and no IOPS (``capacityIops`` is ignored), tagged with
    its name when the request has no tags.
    """
    conn = parse_url(req.url, ctx.api_version)
    if conn.host_port is None:
        raise PoolUrlError("No SP_API_HTTP")
    if conn.token is None:
        raise PoolUrlError("No SP_AUTH_TOKEN")
    if conn.template is None:
        raise PoolUrlError("No SP_TEMPLATE")
    for other in ctx.store.items("storagepool"):
        if other.get("provider") != NAME:
            continue
        details = other.get("_details") or {}
        if (details.get(HOST_PORT), details.get(TEMPLATE)) == (conn.host_port, conn.template):
            raise PoolUrlError(
                f"StorPool cluster and template already in use by pool {other['name']}"
            )
    if req.capacity_bytes is None:
        raise PoolUrlError("Capcity bytes is required")
    given = ctx.get("tags")
    parsed = ParsedPool(
        "StorPool",
        "n/a",
        0,
        DEV_PATH,
        details={HOST_PORT: conn.host_port, TEMPLATE: conn.template},
    )
    return NewPool(
        parsed,
        False,
        "KVM",
        capacity_bytes=req.capacity_bytes,
        tags=None if given else req.name,
    )


def attach(ctx: Ctx, req: PoolRequest, pool: NewPool) -> None:
    """``attachCluster`` refuses a cluster-wide pool (``Only Zone-Wide scope is
    supported!``); ``attachZone`` any hypervisor but KVM (``Only KVM hypervisors
    supported!``), then connects the zone's KVM hosts that are Up and only logs a host
    that fails: a zone without KVM hosts is fine."""
    if req.scope == "CLUSTER":
        raise PoolUrlError("Only Zone-Wide scope is supported!")
    if req.scope == "ZONE" and req.hypervisor != "KVM":
        raise PoolUrlError("Only KVM hypervisors supported!")


# StorPoolPrimaryDataStoreDriver.getCapabilities (4.22.1.0; 4.18.2.5 returns null).
CAPABILITIES = {
    "CAN_COPY_SNAPSHOT_BETWEEN_ZONES_AND_SAME_POOL_TYPE": "true",
    "CAN_CREATE_TEMPLATE_FROM_SNAPSHOT": "true",
}

PROVIDER = PrimaryProvider(
    name=NAME,
    initialize=initialize,
    attach=attach,
    capabilities=CAPABILITIES,
    sample={
        "url": "SP_API_HTTP=10.10.10.10:81;SP_AUTH_TOKEN=sample-token;SP_TEMPLATE=sample",
        "capacitybytes": str(10**12),
        "scope": "zone",
        "hypervisor": "KVM",
    },
)
