"""Global settings: listConfigurations and updateConfiguration.

Settings are stored by name (kind ``configuration``). A value is checked against the
setting's type where the type is simple: a boolean setting takes only ``true`` or
``false``, a numeric one only a number. Settings scoped to a zone, cluster, storage
pool, account or domain are kept per scope (hidden ``_scoped``) and listed with the
scope's value when the scope is asked for.
"""

from __future__ import annotations

import re
from typing import Any

from specc.sim.handlers import Ctx, Item, Param, command

SCOPE_PARAMS = ("zoneid", "clusterid", "storageid", "accountid", "domainid", "imagestoreuuid")
SCOPE_NAMES = {
    "zoneid": "zone",
    "clusterid": "cluster",
    "storageid": "storagepool",
    "accountid": "account",
    "domainid": "domain",
    "imagestoreuuid": "imagestore",
}
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def value_type(item: Item) -> str:
    """The simple type of a setting: its declared ``type``, else one read from its default.

    >>> value_type({"type": "Boolean"}), value_type({"defaultvalue": "0.85"})
    ('Boolean', 'Number')
    >>> value_type({"type": "String", "defaultvalue": "true"})
    'Boolean'
    """
    declared = str(item.get("type", ""))
    if declared in ("Boolean", "Integer", "Long", "Float", "Double", "Decimal", "Number"):
        return declared
    default = str(item.get("defaultvalue", ""))
    if default in ("true", "false"):
        return "Boolean"
    if NUMBER.match(default):
        return "Number"
    return "String"


def check_value(name: str, kind: str, value: str) -> str | None:
    """The server's complaint about *value* for a setting of type *kind*, or None.

    >>> check_value("a.b", "Boolean", "yes")
    "Please enter either 'true' or 'false'."
    >>> check_value("a.b", "Number", "12x")
    'There was an error trying to parse the integer value for configuration parameter: a.b'
    >>> check_value("a.b", "Number", "12") is None
    True
    """
    if kind == "Boolean" and value not in ("true", "false"):
        return "Please enter either 'true' or 'false'."
    if kind in ("Integer", "Long", "Number") and not NUMBER.match(value):
        return (
            "There was an error trying to parse the integer value for configuration "
            f"parameter: {name}"
        )
    if kind in ("Float", "Double", "Decimal") and not NUMBER.match(value):
        return (
            "There was an error trying to parse the float value for configuration "
            f"parameter: {name}"
        )
    return None


def _scope(ctx: Ctx) -> tuple[str, str] | None:
    given = [(p, ctx.params[p]) for p in SCOPE_PARAMS if ctx.get(p)]
    if len(given) > 1:
        raise ctx.invalid(
            "cannot handle multiple IDs, provide only one ID corresponding to the scope"
        )
    if not given:
        return None
    param, scope_id = given[0]
    kind = SCOPE_NAMES[param]
    if kind in ("zone", "cluster", "storagepool", "imagestore"):
        ctx.entity(kind, scope_id, param)
    return kind, scope_id


def _view(item: Item, scope: tuple[str, str] | None) -> Item:
    out = dict(item)
    if scope is not None:
        scoped = item.get("_scoped", {})
        key = f"{scope[0]}:{scope[1]}"
        if key in scoped:
            out["value"] = scoped[key]
        out["scope"] = scope[0]
        out["id"] = scope[1]
    return out


@command(
    "listConfigurations",
    item="configuration",
    params=[
        Param("accountid", "uuid"),
        Param("category", "string"),
        Param("clusterid", "uuid"),
        Param("domainid", "uuid"),
        Param("group", "string"),
        Param("imagestoreuuid", "uuid"),
        Param("keyword", "string"),
        Param("name", "string"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("parent", "string"),
        Param("storageid", "uuid"),
        Param("subgroup", "string"),
        Param("zoneid", "uuid"),
    ],
)
def list_configurations(ctx: Ctx) -> dict[str, Any]:
    """Lists all configurations."""
    scope = _scope(ctx)
    name = ctx.get("name")
    items = [_view(it, scope) for it in ctx.store.items("configuration")]
    return ctx.list_response(
        "configuration",
        items,
        skip=("name", *SCOPE_PARAMS),
        # The server matches a name as a substring, as it does a keyword.
        match=(lambda it: str(name).lower() in str(it.get("name", "")).lower()) if name else None,
    )


@command(
    "updateConfiguration",
    params=[
        Param("accountid", "uuid"),
        Param("clusterid", "uuid"),
        Param("domainid", "uuid"),
        Param("imagestoreuuid", "uuid"),
        Param("name", "string", required=True),
        Param("storageid", "uuid"),
        Param("value", "string"),
        Param("zoneid", "uuid"),
    ],
)
def update_configuration(ctx: Ctx) -> dict[str, Any]:
    """Updates a configuration."""
    name = ctx.params["name"]
    item = ctx.store.get("configuration", name)
    if item is None:
        raise ctx.invalid(f"Config parameter with name {name} doesn't exist")
    value = ctx.get("value")
    if value is None:
        return {"configuration": item}
    if not value.strip() or value == "null":
        value = ""
    elif (problem := check_value(name, value_type(item), value)) is not None:
        raise ctx.invalid(problem)
    scope = _scope(ctx)
    if scope is None:
        item = ctx.store.update("configuration", name, value=value)
    else:
        scoped = dict(item.get("_scoped", {}))
        scoped[f"{scope[0]}:{scope[1]}"] = value
        item = ctx.store.update("configuration", name, _scoped=scoped)
    return {"configuration": _view(item, scope)}
