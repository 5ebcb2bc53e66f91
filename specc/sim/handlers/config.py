"""Settings: listConfigurations, updateConfiguration and resetConfiguration.

The settings are the registry of the simulated release (:mod:`specc.sim.settings`):
every row a fresh server holds, stored by name (kind ``configuration``), with the
server's metadata (Java type, scopes, range) read from the registry. As in
apache/cloudstack ``ConfigurationManagerImpl`` (4.18.2.5 and 4.22.1.0):

* a name the server does not have answers 431 "Config parameter with name X
  doesn't exist" (``updateConfiguration(UpdateCfgCmd)``, ``resetConfiguration``);
* a value is checked by the release's ``validateConfigurationValue``
  (:mod:`specc.sim.cfgcheck`), including the scope: a value at a scope the
  setting does not have is refused with "Invalid scope id provided for the
  parameter X";
* a value per zone, cluster, storage pool, account, domain or image store is a
  detail of that object (hidden ``_scoped`` of the row here; a cluster's
  ``cpu.``/``mem.overprovisioning.factor`` is the cluster's
  ``cpuovercommitratio``/``memoryovercommitratio``, the details
  ``ClusterDetailsDaoImpl`` maps them to);
* listConfigurations with a scope id lists the settings of that scope, each with
  its value there (``ConfigKey.valueIn``: the object's own value, else the
  global one) and ``scope`` as ``ListCfgsByCmd.setScope`` names it.
"""

from __future__ import annotations

from typing import Any

from specc.sim.cfgcheck import check_value, ip_related
from specc.sim.handlers import Ctx, Item, Param, command
from specc.sim.settings import Registry, Setting, registry_for

# param -> (ConfigKey.Scope, stored kind of the scope object). Order is the server's
# paramCountCheck order in updateConfiguration(UpdateCfgCmd).
SCOPES: dict[str, tuple[str, str]] = {
    "zoneid": ("Zone", "zone"),
    "clusterid": ("Cluster", "cluster"),
    "accountid": ("Account", "account"),
    "domainid": ("Domain", "domain"),
    "storageid": ("StoragePool", "storagepool"),
    "imagestoreuuid": ("ImageStore", "imagestore"),
    "imagestoreid": ("ImageStore", "imagestore"),  # resetConfiguration's name for it
}
# ListCfgsByCmd.setScope / UpdateCfgCmd.execute (which names no image store scope)
LISTED_SCOPE = {
    "Zone": "zone",
    "Cluster": "cluster",
    "StoragePool": "storagepool",
    "Account": "account",
    "Domain": "domain",
    "ImageStore": "imagestore",
}
# ClusterDetailsDaoImpl.getCpuMemoryOvercommitRatio: the cluster detail of these two.
CLUSTER_FIELDS = {
    "cpu.overprovisioning.factor": "cpuovercommitratio",
    "mem.overprovisioning.factor": "memoryovercommitratio",
}
# Storage.StoragePoolType: the pool types whose supportsOverProvisioning() is true.
OVERPROVISIONING_POOLS = frozenset(
    {
        "Filesystem",
        "NetworkFilesystem",
        "RBD",
        "SharedMountPoint",
        "VMFS",
        "PreSetup",
        "EXT",
        "PowerFlex",
        "Linstor",
        "DatastoreCluster",
        "StorPool",
    }
)
MULTIPLE_IDS = "cannot handle multiple IDs, provide only one ID corresponding to the scope"
RESTRICTED = "dynamic.apichecker.enabled"  # RoleService.EnableDynamicApiChecker
SCOPE_PARAMS = [
    Param("accountid", "uuid", entity="account"),
    Param("clusterid", "uuid", entity="cluster"),
    Param("domainid", "uuid", entity="domain"),
    Param("storageid", "uuid", entity="storagepool"),
    Param("zoneid", "uuid", entity="zone"),
]


def _scope(ctx: Ctx) -> tuple[str, str, Item] | None:
    """(ConfigKey.Scope, object id, object) of the one scope id given, or None.

    Raises the server's 431 when more than one is given.
    """
    given = [(p, str(ctx.params[p])) for p in SCOPES if ctx.get(p)]
    if len(given) > 1:
        raise ctx.invalid(MULTIPLE_IDS)
    if not given:
        return None
    param, object_id = given[0]
    scope, kind = SCOPES[param]
    return scope, object_id, ctx.entity(kind, object_id, param)


def _setting(ctx: Ctx, name: str) -> tuple[Registry, Setting | None]:
    reg = registry_for(ctx.api_version)
    return reg, reg.get(name)


def _global(ctx: Ctx, name: str) -> str | None:
    row = ctx.store.get("configuration", name)
    return None if row is None else row.get("value")


def _flag(ctx: Ctx, name: str) -> bool:
    return str(_global(ctx, name)).lower() == "true"


def _own_value(ctx: Ctx, row: Item, scope: str, object_id: str, obj: Item) -> str | None:
    """The value stored for *row* at the scope object itself (None: none stored)."""
    if scope == "Cluster" and row["name"] in CLUSTER_FIELDS:
        value = obj.get(CLUSTER_FIELDS[row["name"]])
        return None if value is None else str(value)
    scoped: dict[str, str] = row.get("_scoped", {})
    return scoped.get(f"{scope}:{object_id}")


def _value_in(ctx: Ctx, row: Item, scope: str, object_id: str, obj: Item) -> str | None:
    """``ConfigKey.valueIn(id)``: the object's value, else (maybe) its domains', else global.

    An account without its own value takes its domain's (up the tree) only when
    ``enable.account.settings.for.domain`` and ``enable.domain.settings.for.child.domain``
    are true; a domain takes its parents' with the latter (``AccountDetailsDaoImpl``,
    ``DomainDetailsDaoImpl.getConfigValue``).
    """
    own = _own_value(ctx, row, scope, object_id, obj)
    if own is not None:
        return own
    chain = _flag(ctx, "enable.domain.settings.for.child.domain")
    domain_id: str | None = None
    if scope == "Account" and _flag(ctx, "enable.account.settings.for.domain") and chain:
        domain_id = obj.get("domainid")
    elif scope == "Domain" and chain:
        domain_id = obj.get("parentdomainid")
    while domain_id:
        domain = ctx.store.get("domain", str(domain_id))
        if domain is None:
            break
        found = _own_value(ctx, row, "Domain", str(domain_id), domain)
        if found is not None:
            return found
        domain_id = domain.get("parentdomainid")
    value = row.get("value")
    return None if value is None else str(value)


def _view(row: Item, value: str | None, listed_scope: str | None) -> Item:
    out = {k: v for k, v in row.items() if k != "value"}
    if value is not None:
        out["value"] = value
    if listed_scope is not None:
        out["scope"] = listed_scope
    return out


@command(
    "listConfigurations",
    item="configuration",
    params=[
        *SCOPE_PARAMS,
        Param("category", "string"),
        Param("group", "string"),
        Param("imagestoreuuid", "uuid", entity="imagestore"),
        Param("keyword", "string"),
        Param("name", "string"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("parent", "string"),
        Param("subgroup", "string"),
    ],
)
def list_configurations(ctx: Ctx) -> dict[str, Any]:
    """Lists all configurations.

    ``ManagementServerImpl.searchForConfigurations``: ``name`` matches as
    ``LIKE %name%``, ``keyword`` any of name, component, description, category or
    value, ``category`` exactly; Hidden settings are never listed; with a scope id
    only the settings of that scope, each with its value there.
    """
    reg = registry_for(ctx.api_version)
    if ctx.get("subgroup") and not ctx.get("group"):
        raise ctx.invalid("Configuration group name must be specified with the subgroup name")
    groups = {s.group for s in reg.settings.values()}
    subgroups = {s.subgroup for s in reg.settings.values()}
    if ctx.get("group") and ctx.params["group"] not in groups:
        raise ctx.invalid(f"Invalid configuration group: {ctx.params['group']}")
    if ctx.get("subgroup") and ctx.params["subgroup"] not in subgroups:
        raise ctx.invalid(f"Invalid configuration subgroup: {ctx.params['subgroup']}")
    scope = _scope(ctx)
    name = str(ctx.get("name", "")).lower()
    rows = sorted(ctx.store.items("configuration"), key=lambda r: str(r["name"]))
    items: list[Item] = []
    for row in rows:
        if row.get("category") == "Hidden" or name not in str(row["name"]).lower():
            continue
        if scope is None:
            items.append(_view(row, row.get("value"), None))
            continue
        kind, object_id, obj = scope
        setting = reg.get(str(row["name"]))
        scopes = {kind}
        if kind == "Domain" and _flag(ctx, "enable.account.settings.for.domain"):
            scopes.add("Account")
        if setting is None or not setting.config_key or not scopes & set(setting.scopes):
            continue
        value = _value_in(ctx, row, kind, object_id, obj)
        items.append(_view(row, value, LISTED_SCOPE[kind]))
    return ctx.list_response(
        "configuration",
        items,
        skip=("name", *SCOPES),
        keyword_fields=("name", "component", "description", "category", "value"),
    )


@command(
    "updateConfiguration",
    params=[
        *SCOPE_PARAMS,
        Param("imagestoreuuid", "uuid", entity="imagestore"),
        Param("name", "string", required=True),
        Param("value", "string"),
    ],
)
def update_configuration(ctx: Ctx) -> dict[str, Any]:
    """Updates a configuration.

    ``UpdateCfgCmd.execute`` and ``ConfigurationManagerImpl.updateConfiguration``:
    the name must exist, the value pass the release's checks at the scope given;
    an empty value (or ``null``) clears a global setting and stores ``""`` at a
    scope. The answer is the global row with the new value (and the scope's name,
    except for an image store, which ``UpdateCfgCmd`` does not name).
    """
    name = str(ctx.params["name"])
    if not name:
        raise ctx.invalid("Empty configuration name provided")
    if name.lower() == RESTRICTED:
        raise ctx.invalid("Restricted configuration update not allowed")
    reg, setting = _setting(ctx, name)
    row = ctx.store.get("configuration", name)
    if row is None or setting is None or not setting.persisted:
        if row is None:
            raise ctx.invalid(f"Config parameter with name {name} doesn't exist")
        setting = _unknown(row)
    value: str | None = ctx.get("value")
    if value is None and ctx.since("4.22"):
        raise ctx.invalid(f"The new value for the [{name}] configuration must be given.")
    if (problem := ip_related(setting, value)) is not None:
        raise ctx.invalid(problem)
    if value is None:
        return {"configuration": row}
    scope = _scope(ctx)
    value = value.strip()
    if not value or value == "null":
        value = None if scope is None else ""
    problem = check_value(
        reg,
        setting,
        value,
        None if scope is None else scope[0],
        _flag(ctx, "enable.account.settings.for.domain"),
    )
    if problem is not None:
        raise ctx.invalid(problem)
    if scope is None:
        row = ctx.store.update("configuration", name, value=value)
        return {"configuration": _view(row, value, None)}
    kind, object_id, obj = scope
    _store_scoped(ctx, row, kind, object_id, obj, value or "")
    listed = None if kind == "ImageStore" else LISTED_SCOPE[kind]
    return {"configuration": _view(row, value, listed)}


def _unknown(row: Item) -> Setting:
    """A row the registry does not declare (a snapshot of another release): unchecked."""
    return Setting.from_record(
        {"name": row["name"], "category": row.get("category", ""), "persisted": True}
    )


def _store_scoped(ctx: Ctx, row: Item, scope: str, object_id: str, obj: Item, value: str) -> None:
    name = str(row["name"])
    if scope == "Cluster" and name in CLUSTER_FIELDS:
        ctx.store.update("cluster", object_id, **{CLUSTER_FIELDS[name]: value})
        return
    if scope == "StoragePool" and name == "storage.overprovisioning.factor":
        pool_type = str(obj.get("type", ""))
        if pool_type not in OVERPROVISIONING_POOLS:
            raise ctx.invalid(
                f"Unable to update storage pool with id {object_id}. Overprovision not "
                f"supported for {pool_type}"
            )
    scoped = dict(row.get("_scoped", {}))
    scoped[f"{scope}:{object_id}"] = value
    ctx.store.update("configuration", name, _scoped=scoped)


@command(
    "resetConfiguration",
    params=[
        *SCOPE_PARAMS,
        Param("imagestoreid", "uuid", entity="imagestore"),
        Param("name", "string", required=True),
    ],
)
def reset_configuration(ctx: Ctx) -> dict[str, Any]:
    """Resets a configuration to its default, or removes its value at a scope.

    ``ConfigurationManagerImpl.resetConfiguration``: a global setting gets its
    default back; a scoped value is removed, so the object takes the global value
    again (a cluster's cpu/mem overprovisioning factor is set to the global value).
    The answer names the scope as ``ConfigKey.Scope`` does (``Zone``).
    """
    name = str(ctx.params["name"])
    _, setting = _setting(ctx, name)
    row = ctx.store.get("configuration", name)
    if row is None:
        raise ctx.invalid(f"Config parameter with name {name} doesn't exist")
    scopes = setting.scopes if setting is not None else ("Global",)
    scope = _scope(ctx)
    if scope is None:
        default = row.get("defaultvalue")
        row = ctx.store.update("configuration", name, value=default)
        return {"configuration": _view(row, default, None)}
    kind, object_id, obj = scope
    if kind not in scopes:
        raise ctx.invalid(f"Invalid scope id provided for the parameter {name}")
    if kind == "Cluster" and name in CLUSTER_FIELDS:
        ctx.store.update("cluster", object_id, **{CLUSTER_FIELDS[name]: row.get("value")})
    else:
        scoped = dict(row.get("_scoped", {}))
        scoped.pop(f"{kind}:{object_id}", None)
        row = ctx.store.update("configuration", name, _scoped=scoped)
    obj = ctx.store.get(SCOPES_KIND[kind], object_id) or obj
    return {"configuration": _view(row, _value_in(ctx, row, kind, object_id, obj), kind)}


SCOPES_KIND = {scope: kind for scope, kind in SCOPES.values()}
