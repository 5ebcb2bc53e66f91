"""Kind ``imagestore``: secondary storage, ``addImageStore``, keyed by (zone, name).

There is no command to change an image store's URL: a change is impossible in place.
The URL is compared with an empty port dropped (``nfs://host:/path``, Marvin's form, is
``nfs://host/path``: ``java.net.URI`` reads no port there).
"""

from __future__ import annotations

from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex, Parent
from specc.cloud.kinds.normalise import norm_store_url


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    zone = index.zone_name(item)
    return None if zone is None else (zone, str(item["name"]))


KIND = Kind(
    name="imagestore",
    list_command="listImageStores",
    key=_key,
    phase=120,
    parents=(Parent("zone", "zoneid"),),
    volatile=frozenset({"disksizetotal", "disksizeused"}),
    create_command="addImageStore",
    delete_command="deleteImageStore",
    fields=(
        FieldSpec(name="provider", create="provider", list_field="providername", mode="impossible"),
        FieldSpec(
            name="url",
            create="url",
            list_field="url",
            normalise=norm_store_url,
            mode="impossible",
        ),
    ),
)
