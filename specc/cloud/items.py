"""Check listed items against what their kind needs, before anything is planned.

:mod:`specc.cloud.answers` checks the shape of a list answer (a list of objects
under the item key); this module checks the items themselves, per kind:

- its identity (``Listing.required``: ``id`` and ``name`` for most kinds) is there,
  a non-empty string, as every CloudStack response object writes its uuid and name
  (``BaseResponse`` subclasses, ``@SerializedName(ApiConstants.ID)`` a ``String``);
- a parent link (``zoneid``, ``podid``, ...) is a string when present;
- every field the kind compares is a JSON value its normaliser can read (a scalar,
  or a list of scalars as ``listPods``' ``startip``), and reading it does not fail;
- once every kind is read, each item's natural key can be worked out.

Anything else is a :class:`~specc.errors.BadAnswer` that names the command, the
item and field, and the endpoint; the plan is never made from it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from specc.cloud.answers import bad, type_name
from specc.cloud.kinds.base import Kind, LiveIndex
from specc.errors import BadAnswer

SCALARS = (str, int, float, bool, type(None))


def _readable(value: Any) -> bool:
    """Whether *value* is a JSON scalar or a list of scalars.

    >>> _readable("a"), _readable(["10.0.0.1"]), _readable({"a": 1}), _readable([[1]])
    (True, True, False, False)
    """
    if isinstance(value, SCALARS):
        return True
    return isinstance(value, list) and all(isinstance(v, SCALARS) for v in value)


def _shown(value: Any) -> str:
    return json.dumps(value, default=str)[:40]


def check_items(
    kind: Kind, endpoint: str, items: tuple[dict[str, Any], ...]
) -> tuple[dict[str, Any], ...]:
    """*items* of *kind*, unchanged, once each is checked.

    Raises:
        BadAnswer: an item lacks its identity, or a field has a type its kind
            cannot read.
    """
    command = kind.list_command
    parents = {p.field for p in kind.parents}
    fields = [(spec.list_field, spec.normalise) for spec in kind.fields if spec.list_field]
    required = kind.listing.required
    read: set[tuple[int, type, Any]] = set()  # (field, type, value) read before: reads alike
    for n, item in enumerate(items):
        where = f"{kind.name}[{n}]"
        for name in required:
            value = item.get(name)
            if value is None:
                raise bad(command, endpoint, f"{where} field '{name}'", "is missing")
            if not isinstance(value, str) or not value:
                raise bad(
                    command,
                    endpoint,
                    f"{where} field '{name}'",
                    f"is {_shown(value)} ({type_name(value)}), not a non-empty string",
                )
        for name in sorted(parents & item.keys()):
            value = item[name]
            if value is not None and not isinstance(value, str):
                raise bad(
                    command,
                    endpoint,
                    f"{where} field '{name}'",
                    f"is {type_name(value)}, not an id",
                )
        for f, (name, normalise) in enumerate(fields):
            if name not in item:
                continue
            value = item[name]
            scalar = isinstance(value, SCALARS)
            if scalar and (f, type(value), value) in read:
                continue  # a value seen in this field before reads the same way
            if not scalar and not _readable(value):
                raise bad(command, endpoint, f"{where} field '{name}'", f"is {type_name(value)}")
            try:
                normalise(value)
            except Exception as exc:  # any failure on foreign data is its fault
                raise bad(
                    command,
                    endpoint,
                    f"{where} field '{name}'",
                    f"is {_shown(value)}, which cannot be read ({type(exc).__name__})",
                ) from None
            if scalar:
                read.add((f, type(value), value))
    return items


def check_keys(
    registry: Mapping[str, Kind], endpoint: str, resources: Mapping[str, tuple[dict[str, Any], ...]]
) -> None:
    """Work out every item's natural key once: a failure is the answer's fault.

    Raises:
        BadAnswer: a kind's key cannot be made from an item (a field it needs is
            missing or of a type it cannot use).
    """
    index = LiveIndex(resources)
    for name, items in resources.items():
        kind = registry.get(name)
        if kind is None:
            continue
        for n, item in enumerate(items):
            try:
                kind.key(item, index)
            except KeyError as exc:
                raise bad(
                    kind.list_command, endpoint, f"{name}[{n}] field {exc}", "is missing"
                ) from None
            except Exception as exc:  # any failure on foreign data is its fault
                raise BadAnswer(
                    f"{kind.list_command} on {endpoint}: {name}[{n}] has no usable natural "
                    f"key ({type(exc).__name__}: {str(exc)[:80]})",
                    hint="the endpoint does not answer as CloudStack does; nothing was "
                    "planned from it",
                ) from None
