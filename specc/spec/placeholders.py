"""Placeholders: values ``specc import`` could not read back, for the user to fill in.

A placeholder is a text value ``"<fill in: WHAT>"`` (the YAML line carries a
comment saying where to find the value). ``specc validate`` reports each one left
as ``SPC111`` at its line, and builds no model while any is left: a guessed value
would pass the schema where a field takes any text (a SolidFire admin user name).
An optional value that does not exist (a traffic type with no VLAN) is filled
with ``null``.

>>> text = placeholder("the Ceph user")
>>> text, is_placeholder(text), is_placeholder("ceph")
('<fill in: the Ceph user>', True, False)
>>> list(find_placeholders({"a": [1, {"b": text}]}))
[(('a', 1, 'b'), 'the Ceph user')]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

PREFIX = "<fill in: "
SUFFIX = ">"

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Unread:
    """A value the API does not return: what it is and where the operator finds it.

    ``what`` becomes the placeholder's text, ``where`` the comment on its line;
    ``optional`` says ``null`` is a valid fill (the value may not exist at all).
    """

    what: str
    where: str
    optional: bool = False

    @property
    def text(self) -> str:
        """The placeholder value written to the spec."""
        return placeholder(self.what)


def placeholder(what: str) -> str:
    """The placeholder text for a value described by *what*."""
    return f"{PREFIX}{what}{SUFFIX}"


def is_placeholder(value: Any) -> bool:
    """Whether *value* is a placeholder left to fill in."""
    return isinstance(value, str) and value.startswith(PREFIX) and value.endswith(SUFFIX)


def find_placeholders(data: Any, at: JsonPath = ()) -> Iterator[tuple[JsonPath, str]]:
    """Every placeholder in a loaded document: (JSON path, what it stands for)."""
    if is_placeholder(data):
        yield at, str(data)[len(PREFIX) : -len(SUFFIX)]
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from find_placeholders(value, (*at, str(key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from find_placeholders(value, (*at, i))
