"""What templates and ISOs share: fields, listing and registration.

The URL, checksum and direct-download flag are fixed at registration (replace);
display text, OS type and flags are updated in place, the sharing flags through the
permissions command. An image of no particular zone is registered with
``zoneid=-1`` (cross-zone), keyed by zone ``*``, and belongs to no zone stage of its
own (key part 1 is ``*``). Images are listed with ``listall=true`` and the filter
``all``: without it only the caller's own images are listed. With ``wait_ready``,
a Wait step polls the list call until the image ``isready``.
"""

from __future__ import annotations

from collections.abc import Mapping

from specc.cloud.kinds.base import (
    AfterCreate,
    Desired,
    Emitter,
    FieldSpec,
    Item,
    Listing,
    LiveIndex,
)
from specc.cloud.kinds.normalise import norm_bool_false
from specc.cloud.kinds.ostype import ostype_id
from specc.core.steps import Param, Ref, Wait

USER_TYPES = ("USER", "PERHOSTUSER", None)
PHASE = 150
ZONE_AT = 1  # (name, zone, ...)


def listing(filter_param: str) -> Listing:
    """How images are listed: every domain's, with *filter_param* ``all``."""
    return Listing(args={filter_param: "all", "listall": True})


def cross_zone(res: Desired, params: dict[str, Param]) -> dict[str, Param]:
    """Register an image of no zone in every zone (``zoneid=-1``)."""
    return params if "zoneid" in params else {**params, "zoneid": "-1"}


def wait_until_ready(noun: str, list_command: str, filter_param: str) -> AfterCreate:
    """The after-create hook: with ``wait_ready``, wait until the image is Ready."""

    def wait(emit: Emitter, res: Desired, params: Mapping[str, Param], step: str) -> None:
        if not res.options.wait_ready:
            return
        query: dict[str, Param] = {"id": Ref(step), filter_param: "all"}
        if "zoneid" in res.parents:
            query["zoneid"] = emit.ref_or_id(res.parents["zoneid"])
        emit.wait(
            Wait(
                id=f"wait:{res.id}",
                resource=res.id,
                command=list_command,
                params=query,
                field="isready",
                equals=True,
                depends_on=(step,),
                description=f"Wait until {noun} {res.id.key[0]} is Ready",
            ),
            PHASE,
            2,
        )

    return wait


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
        FieldSpec(
            name="ostype",
            create="ostypeid",
            update="ostypeid",
            list_field="ostypename",
            to_param=ostype_id,
        ),
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
