"""Normalisers: how a spec value and a list item's value are made comparable.

The differ normalises both sides of a field with the field's normaliser before
comparing them, so ``"b, a"`` and ``["a", "b"]`` are the same tag list and
``"vlan://102"`` is VLAN ``102``.
"""

from __future__ import annotations

from typing import Any


def norm_str(value: Any) -> Any:
    """Text as the API returns it; ``None`` and ``""`` are both "unset".

    >>> norm_str(None) is None, norm_str(" a ")
    (True, 'a')
    """
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def norm_csv(value: Any) -> Any:
    """A comma list (tags, DNS) as a sorted comma-joined string, or ``None``.

    >>> norm_csv("b, a"), norm_csv(["a", "b"]), norm_csv([])
    ('a,b', 'a,b', None)
    """
    if value is None:
        return None
    parts = value if isinstance(value, list | tuple) else str(value).split(",")
    items = sorted({str(p).strip() for p in parts if str(p).strip()})
    return ",".join(items) or None


def norm_bool(value: Any) -> Any:
    """``True``/``"true"``/``"True"`` -> ``True``; ``None`` stays ``None``.

    >>> norm_bool("true"), norm_bool(False), norm_bool(None)
    (True, False, None)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() == "true"


def norm_bool_false(value: Any) -> Any:
    """Like :func:`norm_bool`, but absent means ``False`` (the API omits false flags).

    >>> norm_bool_false(None)
    False
    """
    return bool(norm_bool(value))


def norm_int(value: Any) -> Any:
    """An integer, or ``None``; ``0`` counts as unset (the API reports 0 for none).

    >>> norm_int("10"), norm_int(0), norm_int(None)
    (10, None, None)
    """
    if value is None or value == "":
        return None
    number = int(float(value))
    return number or None


def norm_scalar(value: Any) -> Any:
    """A setting's value as text: booleans lowercased, integral numbers without ``.0``.

    >>> norm_scalar(True), norm_scalar(2.0), norm_scalar("2.50"), norm_scalar("abc")
    ('true', '2', '2.5', 'abc')
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip()
    if text.lower() in ("true", "false"):
        return text.lower()
    try:
        number = float(text)
    except ValueError:
        return text
    if number.is_integer():
        return str(int(number))
    return repr(number)


def norm_vlan(value: Any) -> Any:
    """A VLAN as its number text: ``"vlan://102"`` -> ``"102"``; untagged -> ``None``.

    >>> norm_vlan("vlan://102"), norm_vlan(102), norm_vlan("untagged")
    ('102', '102', None)
    """
    if value is None:
        return None
    text = str(value).strip()
    if text.startswith("vlan://"):
        text = text[len("vlan://") :]
    if text.lower() in ("", "untagged"):
        return None
    return text


def norm_first(value: Any) -> Any:
    """The first of a list (``listPods`` returns its start/end IPs as lists since 4.18).

    >>> norm_first(["10.0.0.5", "10.0.1.5"]), norm_first("10.0.0.5"), norm_first([])
    ('10.0.0.5', '10.0.0.5', None)
    """
    if isinstance(value, list | tuple):
        return norm_str(value[0]) if value else None
    return norm_str(value)


def norm_lower(value: Any) -> Any:
    """Text compared without case (enum-like values the API may capitalise).

    >>> norm_lower("Thin")
    'thin'
    """
    text = norm_str(value)
    return text.lower() if isinstance(text, str) else text


def norm_store_url(value: Any) -> Any:
    """A storage URL with an empty port written as none: ``nfs://h:/p`` -> ``nfs://h/p``.

    Marvin's configurations write NFS URLs as ``nfs://10.147.28.6:/export/...``;
    ``java.net.URI`` (which the server's storage lifecycles parse them with) reads an
    empty port as no port, so both forms name the same export.

    >>> norm_store_url("nfs://10.0.0.6:/export/sec"), norm_store_url("nfs://h:2049/x")
    ('nfs://10.0.0.6/export/sec', 'nfs://h:2049/x')
    """
    if value is None:
        return None
    text = str(value).strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        return text
    host, slash, path = rest.partition("/")
    if host.endswith(":"):
        host = host[:-1]
    return f"{scheme}://{host}{slash}{path}"
