"""What a kind module declares: its commands, natural key and field table.

A kind module only *describes* a resource kind; it decides nothing. The differ reads
the field table to know which spec field maps to which create parameter, update
parameter and list field, from which API version the list field is readable, how to
normalise both sides before comparing, and whether a change is made in place
(``update``), needs a ``replace``, or is ``impossible``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from specc.core.steps import FieldMode

Item = Mapping[str, Any]
Normaliser = Callable[[Any], Any]


@cache
def version_tuple(text: str) -> tuple[int, ...]:
    """``"4.18.0.0"`` -> ``(4, 18, 0, 0)``; junk parts count as 0.

    >>> version_tuple("4.22.1")
    (4, 22, 1)
    """
    out: list[int] = []
    for part in text.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append(int(digits) if digits else 0)
    return tuple(out)


# --- normalisers --------------------------------------------------------------


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


# --- the tables ---------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class FieldSpec:
    """One spec field of a kind (built with keyword arguments only).

    ``name`` is the key in ``DesiredResource.attrs``. ``create``/``update`` are the
    API parameters (``None``: not settable that way). ``list_field`` is the key in a
    list item (``None``: not listed), ``readable_since`` the first API version whose
    list returns it (``None``: never readable). ``mode`` says how a change is made;
    ``via`` names the command that updates this field when it is not the kind's
    update command (``updateTemplatePermissions`` for ``ispublic``).
    """

    name: str
    create: str | None = None
    update: str | None = None
    list_field: str | None = None
    readable_since: str | None = "4.18"
    normalise: Normaliser = norm_str
    mode: FieldMode = "update"
    via: str | None = None

    def readable(self, api_version: str) -> bool:
        """Whether a list call on *api_version* returns this field."""
        if self.list_field is None or self.readable_since is None:
            return False
        since = version_tuple(self.readable_since)
        return version_tuple(api_version)[: len(since)] >= since


@dataclass(frozen=True)
class Kind:
    """A resource kind: commands, identity and field table.

    ``key`` derives the natural key from a live item (parents' names resolved through
    ``LiveIndex``); ``None`` means the item is not ours (a system template, a system
    offering). ``managed`` false: live items not in the spec are not worth listing as
    unmanaged (settings, providers CloudStack creates by itself).
    """

    name: str
    list_command: str
    create_command: str | None
    create_async: bool
    update_command: str | None
    update_async: bool
    delete_command: str | None
    delete_async: bool
    fields: tuple[FieldSpec, ...]
    key: Callable[[Item, LiveIndex], tuple[str, ...] | None]
    managed: bool = True

    def field(self, name: str) -> FieldSpec:
        """The field named *name* (KeyError if the kind has none)."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)


class LiveIndex:
    """Live items by id, for resolving a child's parents to their names.

    >>> idx = LiveIndex({"zone": ({"id": "z1", "name": "zone1"},)})
    >>> idx.name("zone", "z1")
    'zone1'
    """

    def __init__(self, resources: Mapping[str, tuple[Item, ...]]) -> None:
        self._by_id: dict[str, dict[str, Item]] = {
            kind: {str(item["id"]): item for item in items if "id" in item}
            for kind, items in resources.items()
        }

    def get(self, kind: str, item_id: Any) -> Item | None:
        """The *kind* item with id *item_id*, if any."""
        if item_id is None:
            return None
        return self._by_id.get(kind, {}).get(str(item_id))

    def name(self, kind: str, item_id: Any) -> str | None:
        """The ``name`` of the *kind* item with id *item_id*."""
        item = self.get(kind, item_id)
        return None if item is None else str(item.get("name", ""))

    def zone_name(self, item: Item) -> str | None:
        """The zone name of *item* (its ``zonename``, else resolved from ``zoneid``)."""
        if item.get("zonename"):
            return str(item["zonename"])
        return self.name("zone", item.get("zoneid"))

    def pod_key(self, pod_id: Any) -> tuple[str, str] | None:
        """(zone, pod) of the pod with id *pod_id*."""
        pod = self.get("pod", pod_id)
        if pod is None:
            return None
        zone = self.zone_name(pod)
        return None if zone is None else (zone, str(pod["name"]))

    def cluster_key(self, cluster_id: Any) -> tuple[str, str, str] | None:
        """(zone, pod, cluster) of the cluster with id *cluster_id*."""
        cluster = self.get("cluster", cluster_id)
        if cluster is None:
            return None
        pod = self.pod_key(cluster.get("podid"))
        return None if pod is None else (*pod, str(cluster["name"]))

    def physnet_key(self, pn_id: Any) -> tuple[str, str] | None:
        """(zone, physical network) of the physical network with id *pn_id*."""
        pn = self.get("physicalnetwork", pn_id)
        if pn is None:
            return None
        zone = self.zone_name(pn)
        return None if zone is None else (zone, str(pn["name"]))
