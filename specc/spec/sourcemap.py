"""Where each value of a spec document came from: file, line and column.

The loader builds a tree of ``SourceNode`` that mirrors the merged document: a
mapping node has a child per key, a sequence node a child per item. ``locate``
walks a JSON path down that tree and answers the location of the deepest node it
reaches, so a path that names a missing key (or a default filled in by the model)
still points at its nearest ancestor. Looking a path up costs its depth, not the
document's size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from specc.errors import Location

JsonPath = tuple[str | int, ...]


Pos = tuple[str, int, int]
"""(file, line, col): a Location kept as a plain tuple, cheap to build by the 100,000."""


class SourceNode:
    """One value of the document: where it starts and, for containers, its children.

    ``keys`` holds the position of each mapping key (what a message about that
    member points at); ``items`` the children of a sequence; ``members`` those of a
    mapping.
    """

    __slots__ = ("items", "keys", "members", "pos")

    def __init__(
        self,
        pos: Pos,
        members: dict[str, SourceNode] | None = None,
        keys: dict[str, Pos] | None = None,
        items: list[SourceNode] | None = None,
    ) -> None:
        self.pos = pos
        self.members = members
        self.keys = keys
        self.items = items

    @property
    def location(self) -> Location:
        """Where this value starts."""
        return Location(*self.pos)

    def child(self, step: str | int) -> SourceNode | None:
        """The child named by one path step, or None."""
        if self.members is not None and isinstance(step, str):
            return self.members.get(step)
        if self.items is not None and isinstance(step, int) and 0 <= step < len(self.items):
            return self.items[step]
        return None


@dataclass(frozen=True)
class SourceMap:
    """Maps JSON paths of the merged spec document to source locations.

    >>> root = SourceNode(("a.yaml", 1, 1), members={}, keys={})
    >>> root.members["zones"] = SourceNode(("a.yaml", 2, 8), items=[])
    >>> root.keys["zones"] = ("a.yaml", 2, 1)
    >>> sm = SourceMap(root, ("a.yaml",))
    >>> str(sm.locate(("zones",)))
    'a.yaml:2:1'
    >>> str(sm.locate(("zones", 3, "name")))
    'a.yaml:2:1'
    >>> str(sm.locate(()))
    'a.yaml:1:1'
    """

    root: SourceNode | None
    files: tuple[str, ...] = field(default=())

    def locate(self, path: Sequence[str | int]) -> Location:
        """The location of *path*, or of its nearest ancestor that exists.

        A mapping member is located at its key; a sequence item at its first
        character. With no document at all, the first file's start is returned.
        """
        node = self.root
        if node is None:
            return Location(self.files[0] if self.files else "<spec>", 1, 1)
        best = node.pos
        for step in path:
            child = node.child(step)
            if child is None:
                break
            if node.keys is not None and isinstance(step, str) and step in node.keys:
                best = node.keys[step]
            else:
                best = child.pos
            node = child
        return Location(*best)

    def locate_value(self, path: Sequence[str | int]) -> Location:
        """Like ``locate`` but, for a mapping member, the location of its value."""
        node = self.root
        if node is None:
            return self.locate(path)
        for step in path:
            child = node.child(step)
            if child is None:
                return self.locate(path)
            node = child
        return node.location
