"""Kind ``configuration``: global settings, ``updateConfiguration``, keyed by name.

Settings always exist; specc only updates the ones the spec names, never creates
one. Values compare as text (``true``, ``2``, ``2.5``) whatever their YAML type. A
setting the live cloud does not list is still set, with a warning.
"""

from __future__ import annotations

from specc.cloud.kinds.base import (
    Desired,
    Emitter,
    FieldSpec,
    Hooks,
    Item,
    Kind,
    LiveIndex,
    set_when_missing,
)
from specc.cloud.kinds.normalise import norm_scalar
from specc.core.steps import Change, FieldChange

PHASE = 170


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    scope = item.get("scope")
    if scope not in (None, "", "global"):
        return None
    return (str(item["name"]),)


def _missing(res: Desired, kind: Kind) -> Change:
    return set_when_missing(
        res,
        kind,
        "not listed by the live cloud",
        (
            f"{res.id}: the live cloud does not list this setting; updateConfiguration "
            "fails if the management server does not know it",
        ),
    )


def _update(
    emit: Emitter, res: Desired, change: Change, fields: dict[str, FieldChange]
) -> dict[str, FieldChange]:
    value = norm_scalar(res.attrs["value"])
    emit.call(
        f"update:{res.id}",
        res.id,
        "updateConfiguration",
        {"name": str(res.attrs["name"]), "value": str(value)},
        is_async=False,
        phase=PHASE,
        description=f"Set {res.attrs['name']} = {value}",
    )
    return {}


KIND = Kind(
    name="configuration",
    list_command="listConfigurations",
    key=_key,
    phase=PHASE,
    zone_at=None,
    update_command="updateConfiguration",
    managed=False,
    hooks=Hooks(update=_update, missing=_missing),
    fields=(FieldSpec(name="value", update="value", list_field="value", normalise=norm_scalar),),
)
