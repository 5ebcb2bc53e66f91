"""Kind ``configuration``: global settings, ``updateConfiguration``, keyed by name.

Settings always exist; specc only updates the ones the spec names. Values compare
as text (``true``, ``2``, ``2.5``) whatever their YAML type.
"""

from __future__ import annotations

from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex, norm_scalar


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    scope = item.get("scope")
    if scope not in (None, "", "global"):
        return None
    return (str(item["name"]),)


KIND = Kind(
    name="configuration",
    list_command="listConfigurations",
    create_command=None,
    create_async=False,
    update_command="updateConfiguration",
    update_async=False,
    delete_command=None,
    delete_async=False,
    key=_key,
    managed=False,
    fields=(FieldSpec(name="value", update="value", list_field="value", normalise=norm_scalar),),
)
