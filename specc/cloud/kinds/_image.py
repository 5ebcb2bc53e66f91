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
        FieldSpec("displaytext", "displaytext", "displaytext", "displaytext"),
        FieldSpec("url", "url", None, "url", mode="replace"),
        FieldSpec("checksum", "checksum", None, "checksum", mode="replace"),
        FieldSpec(
            "directdownload", "directdownload", None, "directdownload", "4.18", flag, "replace"
        ),
        FieldSpec("ostype", "ostypeid", "ostypeid", "ostypename"),
        FieldSpec("ispublic", "ispublic", "ispublic", "ispublic", "4.18", flag, via=permissions),
        FieldSpec(
            "isfeatured", "isfeatured", "isfeatured", "isfeatured", "4.18", flag, via=permissions
        ),
        FieldSpec(
            "isextractable",
            "isextractable",
            "isextractable",
            "isextractable",
            "4.18",
            flag,
            via=permissions,
        ),
    )
