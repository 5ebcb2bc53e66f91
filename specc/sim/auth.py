"""Request signatures, checked as the management server checks them.

All parameters but ``signature``, sorted by name, each ``name=value`` with the value
URL-encoded as Java's ``URLEncoder`` does and ``+`` written ``%20``, joined by ``&``
and lowercased, then HMAC-SHA1 with the secret key, base64. With
``signatureversion=3`` the request must also carry an ``expires`` in the future.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote_plus

UNAUTHORIZED_TEXT = "unable to verify user credentials and/or request signature"


def java_urlencode(value: str) -> str:
    """``URLEncoder.encode(value, "UTF-8")`` with ``+`` replaced by ``%20``.

    >>> java_urlencode("a b~*c/d+")
    'a%20b%7E*c%2Fd%2B'
    """
    return quote_plus(value, safe="*").replace("~", "%7E").replace("+", "%20")


def unsigned_request(params: Mapping[str, str]) -> str:
    """The string the server signs: sorted ``name=value`` pairs, lowercased."""
    parts = [
        f"{name}={java_urlencode(params[name])}"
        for name in sorted(params)
        if name.lower() != "signature"
    ]
    return "&".join(parts).lower()


def sign(params: Mapping[str, str], secret_key: str) -> str:
    """The signature of *params* with *secret_key* (base64 of HMAC-SHA1).

    >>> sign({"command": "listZones", "apiKey": "k", "response": "json"}, "s")
    '61eKw+/Y/oFdgsGvcnH0jkA/mk4='
    """
    mac = hmac.new(secret_key.encode(), unsigned_request(params).encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


def parse_expires(text: str) -> datetime | None:
    """An ``expires`` value (``2024-01-02T03:04:05+0000``, ``...Z``, ``...+00:00``).

    >>> parse_expires("2030-01-02T03:04:05+0000").year
    2030
    >>> parse_expires("tomorrow") is None
    True
    """
    t = text.strip()
    if t.endswith("Z"):
        t = t[:-1] + "+0000"
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z"):
        try:
            return datetime.strptime(t, fmt)
        except ValueError:
            continue
    return None


def verify(
    params: Mapping[str, str], api_key: str, secret_key: str, now: datetime | None = None
) -> bool:
    """True when *params* carry *api_key* and a valid signature made with *secret_key*."""
    given_sig = given_key = version = expires = None
    for name, value in params.items():
        low = name.lower()
        if low == "signature":
            given_sig = value
        elif low == "apikey":
            given_key = value
        elif low == "signatureversion":
            version = value
        elif low == "expires":
            expires = value
    if given_sig is None or given_key is None:
        return False
    if not hmac.compare_digest(given_key.encode(), api_key.encode()):
        return False
    if version == "3":
        if expires is None:
            return False
        when = parse_expires(expires)
        if when is None or when < (now or datetime.now(UTC)):
            return False
    expected = sign(params, secret_key)
    return hmac.compare_digest(given_sig.encode(), expected.encode())


def new_key() -> str:
    """A fresh API or secret key, shaped like the server's (86 url-safe characters)."""
    return secrets.token_urlsafe(64)
