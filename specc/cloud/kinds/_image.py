"""Fields shared by templates and ISOs.

The URL, checksum and direct-download flag are fixed at registration (replace);
display text, OS type and flags are updated in place, the sharing flags through the
permissions command.
"""

from __future__ import annotations

from specc.cloud.kinds.base import FieldSpec, Item, LiveIndex, norm_bool_false

USER_TYPES = ("USER", "PERHOSTUSER", None)


def image_zone(item: Item, index: LiveIndex) -> str | None:
    """The zone part of an image's key: ``*`` for a cross-zone image."""
    if norm_bool_false(item.get("crossZones")) or str(item.get("zoneid", "")) == "-1":
        return "*"
    return index.zone_name(item)


def image_fields(permissions: str) -> tuple[FieldSpec, ...]:
    """The fields of a registered image; *permissions* updates the sharing flags."""
    flag = norm_bool_false
    return (
        FieldSpec(
            name="displaytext", create="displaytext", update="displaytext", list_field="displaytext"
        ),
        FieldSpec(name="url", create="url", list_field="url", mode="replace"),
        FieldSpec(name="checksum", create="checksum", list_field="checksum", mode="replace"),
        FieldSpec(
            name="directdownload",
            create="directdownload",
            list_field="directdownload",
            normalise=flag,
            mode="replace",
        ),
        FieldSpec(name="ostype", create="ostypeid", update="ostypeid", list_field="ostypename"),
        FieldSpec(
            name="ispublic",
            create="ispublic",
            update="ispublic",
            list_field="ispublic",
            normalise=flag,
            via=permissions,
        ),
        FieldSpec(
            name="isfeatured",
            create="isfeatured",
            update="isfeatured",
            list_field="isfeatured",
            normalise=flag,
            via=permissions,
        ),
        FieldSpec(
            name="isextractable",
            create="isextractable",
            update="isextractable",
            list_field="isextractable",
            normalise=flag,
            via=permissions,
        ),
    )
