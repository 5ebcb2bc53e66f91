"""Kind ``configuration``: settings, global or per scope object, set with ``updateConfiguration``.

Settings always exist; specc only updates the ones the spec names, never creates
one. Values compare as text (``true``, ``2``, ``2.5``) whatever their YAML type.

A global setting is keyed by its name. A value per zone, cluster, storage pool,
image store, domain or account is keyed by the name, the scope (as
listConfigurations names it) and the object's own key:
``configuration:use.external.dns/zone/zone1``,
``configuration:cpu.overprovisioning.factor/cluster/zone1/pod1/c1``,
``configuration:allow.public.user.templates/account/ROOT/admin``. It is read with
one ``listConfigurations <scope>id=...`` per live object (``ListCfgsByCmd`` answers
each setting's value there, ``ConfigKey.valueIn``: the object's own, else the
global one) and set with ``updateConfiguration name=.. value=.. <scope>id=..``.

A new global value of a setting the server reads at start-up (``isdynamic``
false, or read once by a manager: :func:`specc.cloud.settings.restart_reason`)
takes effect only when the management servers restart: the plan records it
(``Plan.restarts``), from the live row's ``isdynamic``, or from the registry when
the live cloud was not read.
"""

from __future__ import annotations

from collections.abc import Iterable

from specc.cloud.kinds.account import account_id, domain_path
from specc.cloud.kinds.base import (
    Desired,
    Emitter,
    FieldSpec,
    Hooks,
    Item,
    Kind,
    Listing,
    LiveIndex,
    Parent,
    set_when_missing,
)
from specc.cloud.kinds.domain import domain_id
from specc.cloud.kinds.normalise import norm_scalar
from specc.cloud.settings import restart_reason
from specc.core.steps import Change, FieldChange, Param

PHASE = 170

SCOPES: tuple[tuple[str, str, str], ...] = (
    # listConfigurations' scope name, its id parameter, the kind of the object
    ("zone", "zoneid", "zone"),
    ("cluster", "clusterid", "cluster"),
    ("storagepool", "storageid", "storagepool"),
    ("imagestore", "imagestoreuuid", "imagestore"),
    ("domain", "domainid", "domain"),
    ("account", "accountid", "account"),
)
"""Where a setting can have a value of its own (``ListCfgsByCmd``'s scope ids)."""

PARAM_OF = {scope: param for scope, param, _ in SCOPES}


def scope_key(scope: str, item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    """The key of the object a scoped live *item* was listed for (None: not known)."""
    param = PARAM_OF.get(scope)
    obj = None if param is None else index.get(_kind_of(scope), item.get(param))
    if obj is None:
        return None
    if scope == "zone":
        return (str(obj["name"]),)
    if scope == "cluster":
        return index.cluster_key(obj["id"])
    if scope in ("storagepool", "imagestore"):
        zone = index.zone_name(obj)
        return None if zone is None else (zone, str(obj["name"]))
    if scope == "domain":
        return tuple(str(obj["path"]).split("/"))
    path = domain_path(obj, index)
    return None if path is None else (*path.split("/"), str(obj["name"]))


DETAIL_OF = {
    "cpu.overprovisioning.factor": "cpuOvercommitRatio",
    "mem.overprovisioning.factor": "memoryOvercommitRatio",
}
"""Settings a cluster keeps under another detail name (``ClusterDetailsDaoImpl``)."""


def cluster_values(
    clusters: Iterable[Item], settings: Iterable[Item]
) -> tuple[dict[str, object], ...]:
    """The settings' values set at each cluster, read from listClusters' details.

    A value set at a cluster is a row of the cluster's details: apache/cloudstack
    (4.18.2.5, 4.22.1.0) ``ConfigurationManagerImpl.updateConfiguration`` (case
    Cluster) stores it under the setting's name, ``cpu.``/``mem.overprovisioning.factor``
    under ``cpuOvercommitRatio``/``memoryOvercommitRatio``
    (``ClusterDetailsDaoImpl.getCpuMemoryOvercommitRatio``), and
    ``ClusterDetailsDaoImpl.getConfigValue`` reads it back from there for
    ``ConfigKey.valueIn``. ``ApiResponseHelper.createClusterResponse`` lists those
    rows as the cluster's ``resourcedetails`` (``ClusterDetailsDao.findDetails``).
    So one ``listClusters`` answers what a ``listConfigurations clusterid=`` per
    cluster would, for the values set at the cluster (not the inherited ones).

    The items look like such a listing's: the global item (*settings*) of the
    setting, with the cluster's value, ``scope: cluster`` and ``clusterid``. A
    detail that names no listed setting (``url``, ``ovm3vip``) is no setting.

    >>> glob = [{"name": "kvm.ha.activity.check.interval", "value": "60"},
    ...         {"name": "cpu.overprovisioning.factor", "value": "1"}]
    >>> c = {"id": "c1", "resourcedetails": {"cpuOvercommitRatio": "2.0", "url": "x",
    ...      "kvm.ha.activity.check.interval": "120"}}
    >>> [(i["name"], i["value"]) for i in cluster_values([c], glob)]
    [('cpu.overprovisioning.factor', '2.0'), ('kvm.ha.activity.check.interval', '120')]
    """
    rows = {str(i["name"]): i for i in settings if i.get("scope") in (None, "", "global")}
    setting_of = {detail: name for name, detail in DETAIL_OF.items()}
    out: list[dict[str, object]] = []
    for cluster in clusters:
        details = cluster.get("resourcedetails")
        if not isinstance(details, dict):
            continue
        for key, value in sorted(details.items()):
            row = rows.get(setting_of.get(str(key), str(key)))
            if row is not None and value is not None:
                where = {"scope": "cluster", "clusterid": cluster["id"]}
                out.append({**row, "value": str(value), **where})
    return tuple(out)


def _kind_of(scope: str) -> str:
    return next(kind for name, _, kind in SCOPES if name == scope)


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    scope = item.get("scope")
    if scope in (None, "", "global"):
        return (str(item["name"]),)
    where = scope_key(str(scope), item, index)
    return None if where is None else (str(item["name"]), str(scope), *where)


def _missing(res: Desired, kind: Kind) -> Change:
    if res.attrs.get("scope"):
        # A new zone, cluster, pool... has no listed values yet: nothing to warn about
        # (the spec rules check the name and the scope against the registry).
        return set_when_missing(res, kind, f"not listed for this {res.attrs['scope']} yet")
    return set_when_missing(
        res,
        kind,
        "not listed by the live cloud",
        (
            f"{res.id}: the live cloud does not list this setting; updateConfiguration "
            "fails if the management server does not know it",
        ),
    )


def _scope_params(emit: Emitter, res: Desired) -> dict[str, Param]:
    """The scope id parameter of *res*: a parent's id, or a domain's or account's."""
    params: dict[str, Param] = {p: emit.ref_or_id(rid) for p, rid in res.parents.items()}
    scope = res.attrs.get("scope")
    if scope == "domain":
        params["domainid"] = domain_id(emit, str(res.attrs["domain_path"]))
    elif scope == "account":
        path, name = str(res.attrs["domain_path"]), str(res.attrs["account_name"])
        params["accountid"] = account_id(emit, path, name)
    return params


def _update(
    emit: Emitter, res: Desired, change: Change, fields: dict[str, FieldChange]
) -> dict[str, FieldChange]:
    name = str(res.attrs["name"])
    value = norm_scalar(res.attrs["value"])
    scope = res.attrs.get("scope")
    where = f" for {scope} {'/'.join(res.id.key[2:])}" if scope else ""
    step = emit.call(
        f"update:{res.id}",
        res.id,
        "updateConfiguration",
        {"name": name, "value": str(value), **_scope_params(emit, res)},
        is_async=False,
        phase=PHASE,
        description=f"Set {name} = {value}{where}",
    )
    if not scope:
        live = emit.live_item(res.id)
        dynamic = None if live is None or "isdynamic" not in live else bool(live["isdynamic"])
        why = restart_reason(name, dynamic, emit.api_version)
        if why is not None:
            emit.restart(step, res.id, why)
    return {}


KIND = Kind(
    name="configuration",
    list_command="listConfigurations",
    key=_key,
    phase=PHASE,
    zone_at=None,
    listing=Listing(
        also_per=tuple(Parent(kind, param) for _, param, kind in SCOPES), required=("name",)
    ),
    update_command="updateConfiguration",
    managed=False,
    hooks=Hooks(update=_update, missing=_missing),
    fields=(FieldSpec(name="value", update="value", list_field="value", normalise=norm_scalar),),
)
