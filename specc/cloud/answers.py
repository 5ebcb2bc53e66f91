"""Check what an endpoint answers before anything is planned from it.

A list answer that is not what CloudStack sends must never be read as "nothing
there": ``{"zone": "not-a-list"}`` read as no zones makes a plan that creates every
zone again. So every list page is checked here, and anything else is a
:class:`~specc.errors.BadAnswer` naming the command, the field and the endpoint.

What CloudStack sends (apache/cloudstack 4.18.2.5 and 4.22.1.0):

- a list command answers ``{"count": N, "<item key>": [{...}, ...]}``, the items of
  one page: ``ListResponse`` (``api/.../response/ListResponse.java``: ``count`` and
  the list, nothing else), serialized by ``ApiResponseSerializer.toJSONSerializedString``,
  which writes an empty answer (``{}``) when there are no items;
- page *p* of size *s* holds rows ``s*(p-1)`` to ``s*p-1`` of the query
  (``BaseListCmd.getStartIndex`` / ``getPageSizeVal``: an SQL offset and limit), so a
  page shorter than the page size is the last one, and ``count`` is the total.

Paging stops at a short page, at ``count`` items, or at an empty page; a page that
repeats an earlier one (a server that ignores ``page``) and more than
:data:`MAX_PAGES` pages are errors, so no answer can make the reader loop.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from specc.errors import BadAnswer

PAGE_SIZE = 500
# 500 x 400 = 200,000 items of one kind: far beyond any cloud specc manages.
MAX_PAGES = 400


def type_name(value: Any) -> str:
    """A JSON type name for *value*, for messages.

    >>> type_name("x"), type_name([]), type_name({}), type_name(None), type_name(True)
    ('a string', 'a list', 'an object', 'null', 'a boolean')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def bad(command: str, endpoint: str, field: str, problem: str) -> BadAnswer:
    """The error for an answer of *command* whose *field* is wrong."""
    return BadAnswer(
        f"{command} on {endpoint}: {field} {problem}",
        hint="the endpoint does not answer as CloudStack does; nothing was planned from it",
    )


def page_items(
    command: str, endpoint: str, item_key: str, answer: Any
) -> tuple[list[dict[str, Any]], int | None]:
    """The items and the ``count`` of one list answer, checked.

    >>> page_items("listZones", "E", "zone", {"count": 1, "zone": [{"id": "z"}]})
    ([{'id': 'z'}], 1)
    >>> page_items("listZones", "E", "zone", {})
    ([], None)
    >>> page_items("listZones", "E", "zone", {"zone": "not-a-list"})
    Traceback (most recent call last):
    specc.errors.BadAnswer: listZones on E: field 'zone' is a string, not a list of objects

    Raises:
        BadAnswer: the answer is not an object, ``count`` is not a whole number, the
            items are not a list of objects, or it holds fields a list answer has not.
    """
    if not isinstance(answer, Mapping):
        raise bad(command, endpoint, "the answer", f"is {type_name(answer)}, not an object")
    count = answer.get("count")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        raise bad(command, endpoint, "field 'count'", f"is {json.dumps(count)[:40]}, not a count")
    extra = sorted(str(k) for k in answer if k not in ("count", item_key))
    if extra:
        raise bad(
            command,
            endpoint,
            f"field '{extra[0]}'",
            f"is not part of a {command} answer (its items are under '{item_key}')",
        )
    if item_key not in answer:
        if count:
            raise bad(command, endpoint, f"field '{item_key}'", f"is missing, yet count is {count}")
        return [], count
    value = answer[item_key]
    if not isinstance(value, list):
        raise bad(
            command,
            endpoint,
            f"field '{item_key}'",
            f"is {type_name(value)}, not a list of objects",
        )
    for n, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise bad(
                command,
                endpoint,
                f"{item_key}[{n}]",
                f"is {type_name(item)}, not an object",
            )
    return [dict(item) for item in value], count


def page_signature(items: list[dict[str, Any]]) -> str:
    """A page's identity, to notice a server that answers every page alike.

    The ids of its items when each has one (the same objects again are a repeated
    page, whatever else differs), else the whole page as canonical JSON.

    >>> page_signature([{"id": "a", "x": 1}]) == page_signature([{"id": "a", "x": 2}])
    True
    >>> page_signature([{"name": "a"}]) == page_signature([{"name": "b"}])
    False
    """
    ids = [i for i in (item.get("id") for item in items) if isinstance(i, str)]
    if len(ids) == len(items):
        return "ids:" + "\x1f".join(ids)
    return json.dumps(items, sort_keys=True, default=str)
