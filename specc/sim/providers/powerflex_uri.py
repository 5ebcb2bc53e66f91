"""A PowerFlex pool url as the server reads it: ``java.net.URI`` over ``UriUtils``.

``ScaleIOPrimaryDataStoreLifeCycle.initialize`` (apache/cloudstack
plugins/storage/volume/scaleio, 4.18.2.5 and 4.22.1.0) builds
``new URI(UriUtils.encodeURIComponent(url))`` and reads its scheme, host, port and
user info, and ``URLDecoder.decode(uri.getPath())`` without its first ``/`` as the
pool name. ``UriUtils.encodeURIComponent`` (utils/.../UriUtils.java) re-encodes
each ``/``-separated token after the first ``/`` that follows ``://`` with
``URLEncoder.encode``, so the path always parses and decodes back to what was sent
(``+`` and a space both become a space); the authority is left as it is and decides
whether the URI parses. This module models the parts of ``java.net.URI``'s RFC 2396
grammar (JDK 17) that matter there:

- a scheme ``alpha *(alpha | digit | + | - | .)``; no scheme, or one that is not
  ``powerflex`` (any case), fails the lifecycle's check, whose message the
  lifecycle swallows for ``<url> is not a valid uri`` (as it does for a URI that
  does not parse: a character the authority may not hold, a bad ``%`` escape);
- a server-based authority ``[userinfo@]host[:port]``: user info of unreserved,
  escaped and ``;:&=+$,`` characters; a host that is an IPv4 address or an RFC
  2396 host name (its last label starts with a letter) or an IPv6 literal; a port
  of digits. An authority that is no server but a valid registry name (``gw_1``,
  ``u:p/ss@gw``) parses with no host and no user info, and the lifecycle's
  ``userInfo.split`` then throws a NullPointerException.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from urllib.parse import unquote

from specc.sim.providers.base import PoolUrlError

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(.*)$", re.S)
_UNRESERVED = set(string.ascii_letters + string.digits + "-_.!~*'()")
_USERINFO = _UNRESERVED | set(";:&=+$,")
_REG_NAME = _UNRESERVED | set("$,;:@&=+")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_HOST_NAME = re.compile(rf"^(?:{_LABEL}|(?:{_LABEL}\.)+[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\.?$")
_IPV4 = re.compile(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")

NULL_USER_INFO = 'Cannot invoke "String.split(String)" because "userInfo" is null'
"""The JDK 17 helpful NullPointerException text of ``userInfo.split(":")`` on a null
user info (CloudStack is compiled with local variable names)."""


@dataclass(frozen=True)
class PowerFlexUrl:
    """What ``initialize`` reads from the url: the gateway host and port (-1: none),
    the user info (percent-decoded; None: the URI has none) and the pool name."""

    host: str | None
    port: int
    userinfo: str | None
    pool: str

    @property
    def gateway_api_url(self) -> str:
        """``initialize``'s ``gatewayApiURL``: always https, ``/api`` appended.

        >>> PowerFlexUrl("gw", 8443, "u:p", "sp").gateway_api_url
        'https://gw:8443/api'
        """
        if self.port == -1:
            return f"https://{self.host}/api"
        return f"https://{self.host}:{self.port}/api"


def invalid(url: str) -> PoolUrlError:
    """The lifecycle's ``<url> is not a valid uri`` (the whole url echoed)."""
    return PoolUrlError(f"{url} is not a valid uri")


def _escapes_ok(text: str) -> bool:
    """Every ``%`` starts a two-hex-digit escape (``URI``: "Malformed escape pair")."""
    return re.search(r"%(?![0-9A-Fa-f]{2})", text) is None


def _is_ipv4(host: str) -> bool:
    m = _IPV4.match(host)
    return m is not None and all(int(g) <= 255 for g in m.groups())


def _server(authority: str) -> tuple[str | None, str, int] | None:
    """(user info, host, port) of a server-based authority, or None when it is none."""
    userinfo: str | None = None
    hostport = authority
    if "@" in authority:
        userinfo, hostport = authority.split("@", 1)
        if any(c not in _USERINFO and c != "%" for c in userinfo):
            return None
    if hostport.startswith("["):  # an IPv6 literal
        end = hostport.find("]")
        if end < 0:
            return None
        host, rest = hostport[: end + 1], hostport[end + 1 :]
    else:
        host, colon, port_text = hostport.partition(":")
        rest = colon + port_text
        if not (_is_ipv4(host) or _HOST_NAME.match(host)):
            return None
    port = -1
    if rest:
        digits = rest[1:]
        if rest[0] != ":" or not (digits == "" or digits.isdigit()):
            return None
        port = int(digits) if digits else -1
    return userinfo, host, port


def java_url_decode(text: str) -> str:
    """``URLDecoder.decode(text, UTF-8)``: ``+`` is a space, ``%HH`` a byte; a bad
    escape throws (the JDK 17 texts, unwrapped by the lifecycle).

    >>> java_url_decode("/pool+1%2Bx")
    '/pool 1+x'
    """
    if "%" in text:
        for m in re.finditer(r"%", text):
            pair = text[m.start() + 1 : m.start() + 3]
            if len(pair) < 2:
                raise PoolUrlError("URLDecoder: Incomplete trailing escape (%) pattern")
            if not re.fullmatch(r"[0-9A-Fa-f]{2}", pair):
                raise PoolUrlError(
                    "URLDecoder: Illegal hex characters in escape (%) pattern - "
                    f'Error at index 0 in: "{pair}"'
                )
    return unquote(text.replace("+", " "))


def _java_split_path(tail: str) -> str:
    """The path ``encodeURIComponent`` rebuilds: ``/`` + each token of
    ``tail.split("/")``, which drops trailing empty tokens as Java's ``split`` does."""
    tokens = tail.split("/")
    if len(tokens) > 1:
        while tokens and tokens[-1] == "":
            tokens.pop()
    return "".join("/" + t for t in tokens)


def parse_powerflex_url(url: str) -> PowerFlexUrl:
    """The parts of a PowerFlex url, or the server's error for one it refuses.

    >>> u = parse_powerflex_url("powerflex://admin:P%40ssword123@10.10.4.141/cspool01")
    >>> (u.host, u.port, u.userinfo, u.pool, u.gateway_api_url)
    ('10.10.4.141', -1, 'admin:P@ssword123', 'cspool01', 'https://10.10.4.141/api')
    >>> parse_powerflex_url("rbd://a:b@mon/pool")
    Traceback (most recent call last):
    ...
    specc.sim.providers.base.PoolUrlError: rbd://a:b@mon/pool is not a valid uri
    >>> parse_powerflex_url("powerflex://u:p@gw_1/pool").userinfo is None
    True
    """
    m = _SCHEME.match(url)
    if m is None or m.group(1).lower() != "powerflex":
        raise invalid(url)
    rest = m.group(2)
    if not rest.startswith("//"):  # no authority: no host, no user info
        return PowerFlexUrl(None, -1, None, "")
    rest = rest[2:]
    cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, after = rest[:cut], rest[cut:]
    if not _escapes_ok(authority):
        raise invalid(url)
    server = _server(authority) if authority else None
    if server is None:
        if any(c not in _REG_NAME and c != "%" for c in authority):
            raise invalid(url)
        return PowerFlexUrl(None, -1, None, _pool(after))
    userinfo, host, port = server
    decoded = None if userinfo is None else unquote(userinfo)
    return PowerFlexUrl(host, port, decoded, _pool(after))


def _pool(after: str) -> str:
    """The pool name: the decoded path without its first ``/`` (``replaceFirst``)."""
    slash = after.find("/")
    path = _java_split_path(after[slash + 1 :]) if slash == 0 else ""
    return java_url_decode(path).replace("/", "", 1)


def java_split_colon(userinfo: str) -> list[str]:
    """``userinfo.split(":")``: Java drops the trailing empty parts (and keeps the
    whole text when it has no ``:``).

    >>> java_split_colon("admin:pw:x"), java_split_colon("admin:"), java_split_colon("")
    (['admin', 'pw', 'x'], ['admin'], [''])
    """
    if ":" not in userinfo:
        return [userinfo]
    parts = userinfo.split(":")
    while parts and parts[-1] == "":
        parts.pop()
    return parts
