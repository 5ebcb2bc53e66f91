"""Kind ``imagestore``: secondary storage, ``addImageStore``, keyed by (zone, name).

There is no command to change an image store's URL: a change is impossible in place.
"""

from __future__ import annotations

from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    zone = index.zone_name(item)
    return None if zone is None else (zone, str(item["name"]))


KIND = Kind(
    name="imagestore",
    list_command="listImageStores",
    create_command="addImageStore",
    create_async=False,
    update_command=None,
    update_async=False,
    delete_command="deleteImageStore",
    delete_async=False,
    key=_key,
    fields=(
        FieldSpec(name="provider", create="provider", list_field="providername", mode="impossible"),
        FieldSpec(name="url", create="url", list_field="url", mode="impossible"),
    ),
)
