"""StorPool: a StorPool template as zone-wide primary storage for KVM (rules SPC420-425).

Everything specc knows about it, from apache/cloudstack
``plugins/storage/volume/storpool`` (4.18.2.5 and 4.22.1.0; the plug-in came with
4.17.0.0): the spec model; the rules; the pool url of the ``StorPool`` provider
(``StorPoolUtil.SP_PROVIDER_NAME``), ``SP_API_HTTP=<host>:<port>;SP_AUTH_TOKEN=<token>;
SP_TEMPLATE=<template>``, which ``StorPoolUtil.SpConnectionDesc`` splits on ``;`` and
``=``; the host role that checks each KVM host is a StorPool client
(:mod:`specc.backends.storpool_scripts`: specc does not install StorPool); checks and
runbook warnings.

What ``StorPoolPrimaryDataStoreLifeCycle`` imposes (``LC`` below):

- ``initialize`` calls the StorPool API (``StorPoolUtil.templateExists``:
  ``GET http://<SP_API_HTTP>/ctrl/1.0/VolumeTemplateDescribe/<template>``) and refuses
  a template that does not exist or a token the API rejects; then refuses a second
  pool on the same API endpoint and template, in any zone ("StorPool cluster and
  template already in use by pool <name>"); then requires ``capacityBytes``
  ("Capcity bytes is required", sic: accounting only); it ignores ``capacityIops``
  and ``managed`` (``setManaged(false)``), and tags the pool with its own name when
  no tags are given;
- ``attachCluster`` refuses any scope but zone ("Only Zone-Wide scope is supported!"),
  ``attachZone`` any hypervisor but KVM ("Only KVM hypervisors supported!");
- the pool type is ``StorPool`` since 4.17.1.0; 4.17.0.0 stored StorPool pools as
  ``SharedMountPoint`` and its ``StorPoolStorageAdaptor`` (annotated for
  SharedMountPoint) took over every SharedMountPoint pool on KVM
  (``Upgrade41700to41710.updateStorPoolStorageType`` converts them).

The API endpoint is the backend's storage address (the subnet rules check it).
Volumes get the max IOPS of their offering (``StorPoolPrimaryDataStoreDriver
.createAsync`` passes ``getMaxIops()``), so storage QoS concerns StorPool pools; from
4.19.0.0 StorPool pools carry the KVM host HA heartbeat
(``KVMStoragePoolManager.createStoragePool``: ``pool.isPoolSupportHA()``), which the
runbook warns about.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints

from specc.backends.base import (
    BackendModel,
    PoolParams,
    PoolSite,
    StorageAddress,
    StorageBackend,
)
from specc.backends.storpool_scripts import ROLE, kvm_storpool_script
from specc.core.steps import Check, Concat, HostScript
from specc.errors import Severity
from specc.hosts.roles import HostRole
from specc.hosts.shell import q, secret_param
from specc.hosts.topology import Placed, PoolUse, pool_ids
from specc.spec.rules import Finding, Rule
from specc.spec.rules.topology import PoolAt, backend_named, iter_pools, version_tuple
from specc.spec.types import EnvSecret, Secret

if TYPE_CHECKING:
    from specc.spec.models import PrimaryStorage, Spec

E = Severity.ERROR
W = Severity.WARNING

TYPE = "storpool"

PLUGIN_SINCE = (4, 17, 0)
"""The StorPool plug-in ships with CloudStack from 4.17.0.0."""

POOL_TYPE_SINCE = (4, 17, 1)
"""``StoragePoolType.StorPool`` (LC.initialize ``setType``) from 4.17.1.0."""

HA_SINCE = (4, 19, 0)
"""StorPool pools carry the KVM HA heartbeat from 4.19.0.0 (apache/cloudstack#8045)."""

HOST_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")

# Characters a template name cannot have: ';' and '=' (SpConnectionDesc splits the url
# on them), and those that change or break the API path java.net.URI parses in
# StorPoolUtil.spApiRequest ("http://%s/ctrl/1.0/%s", the name unencoded).
TEMPLATE_BREAKERS = frozenset(';=/?#%"<>\\^`{|}[]')


class StorPoolBackend(BackendModel):
    """A StorPool cluster through the 'StorPool' plug-in: zone-wide pools for KVM."""

    type: Literal["storpool"]
    api_host: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="Host name or IPv4 address of the StorPool API (SP_API_HTTP), no scheme."
    )
    api_port: Annotated[int, Field(ge=1, le=65535)] = Field(
        default=81, description="Port of the StorPool API."
    )
    auth_token: Secret = Field(
        description="The StorPool API token (SP_AUTH_TOKEN) as a secret reference; it may "
        "not contain '=' or ';'."
    )
    template: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="The StorPool template of the pool's volumes (SP_TEMPLATE): it must "
        "exist, with placeHead, placeAll, placeTail and replication set."
    )

    def storage_addresses(self) -> tuple[StorageAddress, ...]:
        """The API endpoint's host (the management server and every KVM host reach it)."""
        return (StorageAddress(("api_host",), self.api_host),)

    @property
    def endpoint(self) -> str:
        """``host:port``, as ``SP_API_HTTP`` says it."""
        return f"{self.api_host}:{self.api_port}"


# --- rules -------------------------------------------------------------------------


def _storpool_pools(spec: Spec) -> Iterator[tuple[PoolAt, StorPoolBackend]]:
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if isinstance(backend, StorPoolBackend):
            yield at, backend


def zone_wide_kvm(spec: Spec) -> Iterator[Finding]:
    """SPC420: a StorPool pool is zone-wide with hypervisor KVM.

    LC.attachCluster: "Only Zone-Wide scope is supported!"; LC.attachZone: "Only KVM
    hypervisors supported!".
    """
    for at, _backend in _storpool_pools(spec):
        pool = at.pool
        if pool.scope != "zone":
            yield Finding(
                "SPC420",
                E,
                (*at.path, "scope"),
                f"StorPool pool '{pool.name}' has scope {pool.scope}; the StorPool plug-in "
                "adds zone-wide pools only",
                "Set scope: zone and hypervisor: KVM (the plug-in refuses any other scope: "
                "'Only Zone-Wide scope is supported!').",
            )
        elif pool.hypervisor != "KVM":
            yield Finding(
                "SPC420",
                E,
                (*at.path, "hypervisor" if pool.hypervisor else "scope"),
                f"zone-wide StorPool pool '{pool.name}' has hypervisor "
                f"{pool.hypervisor or '(unset)'}; the StorPool plug-in is for KVM only",
                "Set hypervisor: KVM (the plug-in refuses any other: 'Only KVM hypervisors "
                "supported!').",
            )


def capacity_bytes_required(spec: Spec) -> Iterator[Finding]:
    """SPC421: a StorPool pool sets capacity_bytes, which the plug-in requires.

    LC.initialize: "Capcity bytes is required" (sic).
    """
    for at, _backend in _storpool_pools(spec):
        if at.pool.capacity_bytes is None:
            yield Finding(
                "SPC421",
                E,
                (*at.path, "name"),
                f"StorPool pool '{at.pool.name}' does not set capacity_bytes",
                "createStoragePool needs capacityBytes for a StorPool pool (the plug-in "
                "refuses without: 'Capcity bytes is required'); it is for accounting only and "
                "may differ from what the template can hold.",
            )


def _url_value_problem(field: str, value: str) -> tuple[str, str] | None:
    """(what is wrong, what to do) with one value of the pool url, or None.

    >>> _url_value_problem("template", "ssd")
    >>> _url_value_problem("template", "a=b")[0]
    "contains '=', which the plug-in splits the pool url on"
    >>> _url_value_problem("api_host", "http://sp")[0]
    'is not a host name or IPv4 address'
    """
    for char in ";=":
        if char in value:
            return (
                f"contains '{char}', which the plug-in splits the pool url on",
                "StorPoolUtil.SpConnectionDesc splits SP_API_HTTP=..;SP_AUTH_TOKEN=..;"
                "SP_TEMPLATE=.. on ';' and '=': the value would be cut or dropped.",
            )
    if field == "api_host" and not HOST_NAME.match(value):
        return (
            "is not a host name or IPv4 address",
            "Give the bare host of the StorPool API, without scheme, port or path: the "
            "plug-in calls http://<SP_API_HTTP>/ctrl/1.0/... itself (StorPoolUtil"
            ".spApiRequest); the port goes in api_port.",
        )
    bad = sorted({c for c in value if c in TEMPLATE_BREAKERS or not c.isprintable() or c == " "})
    if field == "template" and bad:
        shown = " ".join(repr(c) for c in bad)
        return (
            f"contains {shown}, which breaks the StorPool API path",
            "The plug-in checks the template with GET http://<api>/ctrl/1.0/"
            "VolumeTemplateDescribe/<template>, the name unencoded (StorPoolUtil"
            ".templateExists): name the template without them.",
        )
    return None


def url_values(spec: Spec) -> Iterator[Finding]:
    """SPC422: the pool url's values (API host, template) survive the plug-in's parsing."""
    for bi, b in enumerate(spec.backends):
        if not isinstance(b, StorPoolBackend):
            continue
        for field, value in (("api_host", b.api_host), ("template", b.template)):
            problem = _url_value_problem(field, value)
            if problem is not None:
                yield Finding(
                    "SPC422",
                    E,
                    ("backends", bi, field),
                    f"StorPool backend '{b.name}' {field} '{value}' {problem[0]}",
                    problem[1],
                )


def one_pool_per_template(spec: Spec) -> Iterator[Finding]:
    """SPC423: one pool per StorPool API endpoint and template, in the whole cloud.

    LC.initialize compares every StorPool pool's ``SP_API_HTTP_HOST`` and
    ``SP_TEMPLATE`` details with the new url's ("StorPool cluster and template already
    in use by pool <name>"); the README: "one template can be used for at most one
    Storage Pool".
    """
    first: dict[tuple[str, str], tuple[str, str]] = {}
    for at, backend in _storpool_pools(spec):
        key = (backend.endpoint, backend.template)
        here = (at.zone.name, at.pool.name)
        seen = first.setdefault(key, here)
        if seen != here:
            yield Finding(
                "SPC423",
                E,
                (*at.path, "backend"),
                f"StorPool pool '{at.pool.name}' uses template {backend.template} at "
                f"{backend.endpoint}, as pool '{seen[1]}' (zone '{seen[0]}') already does",
                "One StorPool template serves at most one CloudStack pool (the plug-in "
                "refuses: 'StorPool cluster and template already in use by pool ...'): "
                "give this pool a backend with its own template.",
            )


def _padded(version: str) -> tuple[int, ...]:
    parts = version_tuple(version)
    return parts + (0,) * (3 - len(parts))


def cloudstack_version(spec: Spec) -> Iterator[Finding]:
    """SPC424: StorPool pools need CloudStack 4.17.1 or newer (the StorPool pool type)."""
    version = spec.cloudstack.version
    have = _padded(version)
    if have >= POOL_TYPE_SINCE:
        return
    for bi, b in enumerate(spec.backends):
        if not isinstance(b, StorPoolBackend):
            continue
        if have >= PLUGIN_SINCE:
            what = (
                f"CloudStack {version} stores StorPool pools as SharedMountPoint, and its "
                "StorPool adaptor then takes over every SharedMountPoint pool on KVM"
            )
        else:
            what = f"CloudStack {version} has no StorPool plug-in (it came with 4.17.0.0)"
        yield Finding(
            "SPC424",
            E,
            ("backends", bi, "type"),
            f"StorPool backend '{b.name}': {what}",
            "StorPool pools need 4.17.1 or newer (pool type StorPool); set "
            "cloudstack.version to the release you run.",
        )


def plugin_own_fields(spec: Spec) -> Iterator[Finding]:
    """SPC425: a StorPool pool sets tags and no capacity_iops (warning): the plug-in sets both.

    LC.initialize tags a pool with its own name when no tags are given, and never
    stores ``capacityIops`` (README: "Capacity IOPS: currently not used").
    """
    for at, _backend in _storpool_pools(spec):
        pool = at.pool
        if not pool.tags:
            yield Finding(
                "SPC425",
                W,
                (*at.path, "name"),
                f"StorPool pool '{pool.name}' sets no tags; the plug-in tags it with its name",
                f"Set tags (e.g. [{pool.name}]) so that the spec says what the pool carries.",
            )
        if pool.capacity_iops is not None:
            yield Finding(
                "SPC425",
                W,
                (*at.path, "capacity_iops"),
                f"StorPool pool '{pool.name}' sets capacity_iops, which the plug-in ignores",
                "Remove capacity_iops: StorPool volumes take their max IOPS from the offering.",
            )


RULES: tuple[Rule, ...] = (
    zone_wide_kvm,
    capacity_bytes_required,
    url_values,
    one_pool_per_template,
    cloudstack_version,
    plugin_own_fields,
)


# --- the plug-in -------------------------------------------------------------------


def _kvm_client(spec: Spec, placed: Placed, uses: tuple[PoolUse, ...]) -> HostScript:
    """The check script of one KVM host, for every StorPool backend it reaches."""
    found = {u.backend.name: u.backend for u in uses if isinstance(u.backend, StorPoolBackend)}
    backends = tuple(found[n] for n in sorted(found))
    return kvm_storpool_script(placed, backends, pool_ids(uses))


KVM_STORPOOL_CLIENT = HostRole(
    name=ROLE,
    runs_on="each KVM host a StorPool pool reaches",
    does=(
        "checks only (specc does not install StorPool): `storpool_confget` and `storpool` "
        "are installed, `storpool_confget` gives `SP_CLUSTER_ID` and `SP_OURID`, "
        "`/dev/storpool-byid` exists, `storpool -j service list` answers (the host reaches "
        "the StorPool API); notes when the host's API endpoint is not the pool url's; "
        "fails saying what is missing"
    ),
    rollback="checks only: nothing to undo (the StorPool client is StorPool's, not specc's)",
    checks_only=True,
    hypervisors=frozenset({"KVM"}),
    build=_kvm_client,
)


def _token_shell(secret: Secret) -> str:
    """The token as a shell expansion of its reference (never its value).

    >>> _token_shell(EnvSecret(env="SP_TOKEN"))
    '${SP_TOKEN}'
    """
    if isinstance(secret, EnvSecret):
        return "${" + secret.env + "}"
    return f"$(cat {q(secret.file)})"


class StorPool(StorageBackend[StorPoolBackend]):
    """The StorPool provider: zone-wide, KVM only (its rule SPC420 says so)."""

    type = TYPE
    model = StorPoolBackend
    provider = "StorPool"
    managed = False
    scopes = frozenset({"zone"})
    hypervisors = frozenset({"KVM"})
    checks_fit = True
    storage_qos = True
    rules = RULES
    roles = (KVM_STORPOOL_CLIENT,)

    def pool(self, backend: StorPoolBackend, pool: PrimaryStorage, site: PoolSite) -> PoolParams:
        """``SP_API_HTTP=<host>:<port>;SP_AUTH_TOKEN=<token>;SP_TEMPLATE=<template>``.

        The form the README documents and every plug-in version parses
        (``SpConnectionDesc``; 4.19.1+ also reads ``storpool://``, which older ones do
        not); the token stays a reference until execution, sent as it is (the plug-in
        decodes nothing). ``capacitybytes`` comes from the pool (SPC421).
        """
        return PoolParams(
            Concat(
                (
                    f"SP_API_HTTP={backend.endpoint};SP_AUTH_TOKEN=",
                    secret_param(backend.auth_token),
                    f";SP_TEMPLATE={backend.template}",
                )
            )
        )

    def preflight_checks(
        self, spec: Spec, backend: StorPoolBackend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """The template and token (the call ``initialize`` makes); each host's client."""
        if not uses:
            return ()
        be = backend
        out = [
            Check(
                f"preflight:storpool-template:{be.name}",
                f"the StorPool API at {be.endpoint} accepts the token and knows template "
                f'{be.template} (the answer has no "error"): the management server makes '
                "this call when it adds the pool",
                f'curl -sS -H "Authorization: Storpool v1:{_token_shell(be.auth_token)}" '
                f"http://{be.endpoint}/ctrl/1.0/VolumeTemplateDescribe/{be.template}",
            )
        ]
        out += [
            Check(
                f"preflight:storpool-client:{h}",
                f"{h} is a configured StorPool client (SP_CLUSTER_ID and SP_OURID)",
                "storpool_confget | grep -E '^SP_(CLUSTER_ID|OURID)='",
                h,
            )
            for h in sorted({p.host.name for u in uses for p in u.hosts})
        ]
        return tuple(out)

    def verification_checks(
        self, spec: Spec, backend: StorPoolBackend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """Each host has connected the pool: its check volume is attached."""
        return tuple(
            Check(
                f"check:storpool-connected:{h}:{backend.name}",
                f"{h} has connected the StorPool pool: the check volume CloudStack attaches "
                "on connect shows under /dev/storpool-byid",
                "ls /dev/storpool-byid/",
                h,
            )
            for h in sorted({p.host.name for u in uses for p in u.hosts})
        )

    def warnings(
        self,
        spec: Spec,
        backend: StorPoolBackend,
        uses: tuple[PoolUse, ...],
        version: tuple[int, ...],
    ) -> tuple[str, ...]:
        """What must exist before the pool, the token's characters, HA, deleting."""
        if not uses:
            return ()
        be = backend
        out = [
            f"StorPool {be.name}: template {be.template} must exist on the StorPool cluster, "
            "with placeHead, placeAll, placeTail and replication set, before the pool is "
            "added; each KVM host needs the StorPool client installed and configured "
            "(specc only checks it).",
            f"StorPool {be.name}: the API token may not contain '=' or ';' (the plug-in splits "
            "the pool url on them): with an '=' inside, createStoragePool fails with 'No "
            "SP_AUTH_TOKEN'; a ';' or a trailing '=' silently cuts it short, and the StorPool "
            "API then refuses it.",
            f"StorPool {be.name}: deleting the pool is refused while it holds snapshots or "
            "template snapshots ('This primary storage cannot be deleted because it "
            "currently contains one or more snapshots.').",
        ]
        if version >= HA_SINCE:
            out.append(
                f"StorPool {be.name}: KVM host HA writes its heartbeat through StorPool pools; "
                "a host whose StorPool client is not 'running' in `storpool -j service list` "
                "is rebooted (kvmspheartbeat.sh -c)."
            )
        return tuple(out)
