"""How a list command's parameters match an item's fields, in one place.

The rules (the same in Python and, through :func:`sql_value`, inside SQLite):

* a filter on a field the item lacks does not filter;
* a list value matches when the field is one of its values (strings compared
  case-insensitively);
* a boolean value matches a truthy/falsy field, or the same word (``"true"``);
* any other value matches the field case-insensitively, or as text
  (``5`` matches ``"5"``);
* ``keyword`` matches a case-insensitive substring of ``name``.

The store evaluates these in SQL (:func:`sql_value` rebuilds the field's Python value
from ``json_type``/``json_extract``), so a paged list decodes only the items of the
page it returns.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any


def norm(value: Any) -> Any:
    """*value* lowercased when it is a string."""
    if isinstance(value, str):
        return value.lower()
    return value


def value_matches(have: Any, want: Any) -> bool:
    """True when a field holding *have* matches the parameter value *want*.

    >>> value_matches("KVM", "kvm"), value_matches(5, "5"), value_matches("a", ["B", "A"])
    (True, True, True)
    >>> value_matches("true", True), value_matches(0, True), value_matches("x", "y")
    (True, False, False)
    """
    if isinstance(want, list):
        return norm(have) in [norm(v) for v in want]
    if isinstance(want, bool):
        return bool(have) == want or str(have).lower() == str(want).lower()
    return norm(have) == norm(want) or str(have).lower() == str(want).lower()


def item_matches(item: Mapping[str, Any], filters: Sequence[tuple[str, Any]]) -> bool:
    """True when *item* matches every ``(field, value)`` filter (absent fields pass)."""
    return all(name not in item or value_matches(item[name], want) for name, want in filters)


def keyword_matches(name: Any, keyword: Any) -> bool:
    """True when *keyword* is a case-insensitive substring of the item's *name*."""
    return str(keyword).lower() in str(name).lower()


def sql_value(json_type: str | None, raw: Any) -> Any:
    """The Python value of a JSON field as SQLite's ``json_type``/``json_extract`` give it.

    >>> sql_value("true", 1), sql_value("null", None), sql_value("array", '[1,"a"]')
    (True, None, [1, 'a'])
    """
    if json_type == "true":
        return True
    if json_type == "false":
        return False
    if json_type in ("array", "object"):
        return json.loads(raw)
    return raw


@lru_cache(maxsize=256)
def _want(encoded: str) -> Any:
    return json.loads(encoded)


def sql_match(json_type: str | None, raw: Any, want: str) -> bool:
    """:func:`value_matches` for SQLite (*want* JSON-encoded); an absent field passes."""
    if json_type is None:
        return True
    return value_matches(sql_value(json_type, raw), _want(want))


def sql_keyword(json_type: str | None, raw: Any, keyword: str) -> bool:
    """:func:`keyword_matches` for SQLite, on the ``name`` field (absent: ``""``)."""
    name = "" if json_type is None else sql_value(json_type, raw)
    return keyword_matches(name, keyword)


def sql_truthy(json_type: str | None, raw: Any) -> bool:
    """``bool(item.get(field, False))`` for SQLite."""
    return json_type is not None and bool(sql_value(json_type, raw))
