"""Dell PowerFlex (ScaleIO), managed: one PowerFlex volume per CloudStack volume (SPC41x).

Everything specc knows about it: the spec model; the rules (KVM only, the user info
the server splits at ``:``, one CloudStack pool per PowerFlex pool, the gateway host
``java.net.URI`` must parse, the 8 GiB allocation unit, the IOPS limit the driver
maps); the pool URL ``powerflex://<user>:<password>@<gateway>[:port]/<pool>`` of the
``PowerFlex`` provider; the KVM hosts' SDC (its role, and the script and checks in
:mod:`specc.backends.powerflex_scripts`); checks and runbook warnings.

Sources, apache/cloudstack 4.18.2.5 and 4.22.1.0 (the same in both unless said),
``PLUG`` = plugins/storage/volume/scaleio/src/main/java/org/apache/cloudstack/storage/datastore:

- ``PLUG/util/ScaleIOUtil.java``: ``PROVIDER_NAME = "PowerFlex"``,
  ``DEFAULT_SDC_HOME_PATH``, ``MINIMUM_ALLOWED_IOPS_LIMIT = 10``, the SDC commands.
- ``PLUG/lifecycle/ScaleIOPrimaryDataStoreLifeCycle.java``: ``initialize`` parses
  ``new URI(UriUtils.encodeURIComponent(url))``: host and port (``https://host[:port]/api``),
  ``getUserInfo().split(":")`` (user, password), the decoded path (the pool name),
  refuses a second pool on the same gateway URL and pool name, sets managed true,
  type PowerFlex and hypervisor KVM; ``attachCluster``/``attachZone`` refuse any
  hypervisor but KVM (``isSupportedHypervisorType``).
- ``PLUG/driver/ScaleIOPrimaryDataStoreDriver.java``: ``createVolume`` sends
  ``ceil(bytes / GiB)``; ``grantAccess`` maps the volume to the SDC with the
  volume's max IOPS as its limit (at least 10); min IOPS is never sent (but
  ``ConfigurationManagerImpl.createDiskOffering`` requires it with a max IOPS).
- ``PLUG/client/ScaleIOGatewayClientImpl.java`` ``createVolume``: "The basic
  allocation granularity is 8GB. The volume size will be rounded up."
- ui/src/views/infra/AddPrimaryStorage.vue ``powerflexURL``: user, password and
  pool are ``encodeURIComponent``-ed, the gateway inserted as is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import quote

from pydantic import Field, StringConstraints

from specc.backends.base import (
    BackendModel,
    PoolParams,
    PoolSite,
    StorageAddress,
    StorageBackend,
)
from specc.backends.powerflex_scripts import gateway_checks, sdc_checks, sdc_script
from specc.core.steps import Check, Concat, HostScript
from specc.errors import Severity
from specc.hosts.roles import HostRole
from specc.hosts.shell import secret_param
from specc.hosts.topology import Placed, PoolUse, pool_ids
from specc.spec.rules import Finding, JsonPath, Rule
from specc.spec.rules.topology import (
    OfferingReach,
    PoolAt,
    backend_named,
    iter_offerings,
    iter_pools,
    pool_clusters,
)
from specc.spec.types import Secret

if TYPE_CHECKING:
    from specc.spec.models import PrimaryStorage, Spec
    from specc.spec.rules.topology import Offering

E = Severity.ERROR
W = Severity.WARNING

TYPE = "powerflex"
ALLOCATION_GB = 8
"""PowerFlex allocates volumes in units of 8 GiB (ScaleIOGatewayClientImpl.createVolume)."""
MIN_IOPS_LIMIT = 10
"""ScaleIOUtil.MINIMUM_ALLOWED_IOPS_LIMIT: a lower non-zero SDC IOPS limit is raised to it."""
DEFAULT_PORT = 443
"""The gateway is always reached over https (initialize: ``https://%s/api``)."""
STRICT_ATTACH_BEFORE = (4, 19, 1)
"""Before PR #9268 (first in 4.19.1.0) attachCluster/attachZone need connected SDCs and
an Up KVM host (4.18.2.5 ``checkConnectedSdcs``)."""
MDMS_BY_SERVER_SINCE = (4, 21)
"""PR #9903 (first in 4.21.0.0) stores the gateway's MDMs (powerflex.storagepool.mdms)
and the agent adds them to the SDC (ScaleIOStorageAdaptor.prepareStorageClient)."""
CONNECT_ON_DEMAND_SINCE = (4, 22)
"""powerflex.connect.on.demand defaults to true from 4.22.0.0 (false in 4.21.0.0)."""

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
HOST_NAME = re.compile(rf"^(?:{_LABEL}|(?:{_LABEL}\.)+[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\.?$")
"""An RFC 2396 host name as ``java.net.URI.parseHostname`` takes one: labels of letters,
digits and inner ``-``; with several labels, the last starts with a letter."""


# --- the spec model ----------------------------------------------------------------


class PowerFlexBackend(BackendModel):
    """A PowerFlex system through the managed 'PowerFlex' plugin (KVM only)."""

    type: Literal["powerflex"]
    gateway: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="The PowerFlex REST gateway the management server calls "
        "(https://<gateway>[:port]/api), an IPv4 address or DNS name, e.g. pfgw.example.internal"
    )
    gateway_port: Annotated[int, Field(ge=1, le=65535)] | None = Field(
        default=None, description="Gateway HTTPS port when not 443."
    )
    user: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="Gateway API user, e.g. cloudstack"
    )
    password: Secret = Field(description="Gateway API password as a secret reference.")
    storage_pool: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="The PowerFlex storage pool's name (case-sensitive), e.g. pool1"
    )
    mdms: list[IPv4Address] = Field(
        min_length=1,
        description="MDM addresses of the system: each KVM host's SDC is given them "
        "(drv_cfg --add_mdm); they lie in the backend's storage subnet.",
    )
    sdc_home: Annotated[str, StringConstraints(pattern=r"^/")] | None = Field(
        default=None,
        description="Where the SDC is installed when not /opt/emc/scaleio/sdc (written to "
        "the agent's powerflex.sdc.home.dir).",
    )
    sdc_package: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.\-]+$")] | None = Field(
        default=None,
        description="The SDC package in a repository the hosts use (Dell's EMC-ScaleIO-sdc); "
        "unset: the SDC must be installed already.",
    )

    def storage_addresses(self) -> tuple[StorageAddress, ...]:
        """The MDMs, which the hosts' SDC reaches (the gateway is the management server's)."""
        return tuple(StorageAddress(("mdms", i), str(m)) for i, m in enumerate(self.mdms))

    @property
    def endpoint(self) -> str:
        """The gateway as the server normalises it (initialize's ``gatewayApiURL``),
        with the default port made explicit: two spellings of one gateway match.

        >>> PowerFlexBackend(name="p", type="powerflex", gateway="gw", user="u",
        ...     password={"env": "P"}, storage_pool="sp", mdms=["10.0.0.1"]).endpoint
        'https://gw:443/api'
        """
        return f"https://{self.gateway.lower()}:{self.gateway_port or DEFAULT_PORT}/api"


# --- rules -------------------------------------------------------------------------


def _powerflex_pools(spec: Spec) -> Iterator[tuple[PoolAt, PowerFlexBackend]]:
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if isinstance(backend, PowerFlexBackend):
            yield at, backend


def kvm_clusters_only(spec: Spec) -> Iterator[Finding]:
    """SPC410: a cluster-wide PowerFlex pool is on a KVM cluster.

    ``ScaleIOPrimaryDataStoreLifeCycle.initialize`` and ``attachCluster``: "Unsupported
    hypervisor type: <type>" for any cluster but KVM.
    """
    for at, _backend in _powerflex_pools(spec):
        if at.pool.scope != "cluster":
            continue
        for cluster in pool_clusters(at.zone, at.pool):
            if cluster.hypervisor != "KVM":
                yield Finding(
                    "SPC410",
                    E,
                    (*at.path, "cluster"),
                    f"PowerFlex pool '{at.pool.name}' is on {cluster.hypervisor} cluster "
                    f"'{cluster.name}'; CloudStack's PowerFlex plugin supports KVM only "
                    f"(Unsupported hypervisor type: {cluster.hypervisor})",
                    "Attach the pool to a KVM cluster, or make it zone-wide with hypervisor KVM.",
                )


def zone_wide_kvm(spec: Spec) -> Iterator[Finding]:
    """SPC411: a zone-wide PowerFlex pool says hypervisor KVM (not Any).

    ``ScaleIOPrimaryDataStoreLifeCycle.attachZone`` refuses any hypervisor but KVM,
    ``Any`` included: "Unsupported hypervisor type: Any". (No hypervisor at all is
    SPC390.)
    """
    for at, _backend in _powerflex_pools(spec):
        pool = at.pool
        if pool.scope == "zone" and pool.hypervisor not in (None, "KVM"):
            yield Finding(
                "SPC411",
                E,
                (*at.path, "hypervisor"),
                f"zone-wide PowerFlex pool '{pool.name}' has hypervisor {pool.hypervisor}; "
                f"the plugin attaches zone-wide pools for KVM only (Unsupported hypervisor "
                f"type: {pool.hypervisor})",
                "Set hypervisor: KVM.",
            )


def user_without_colon(spec: Spec) -> Iterator[Finding]:
    """SPC412: the gateway user has no colon.

    ``initialize`` splits the URL's decoded user info at every ``:`` and takes the
    first two parts as user and password: a ``:`` in the user (even sent as ``%3A``)
    cuts it, and the gateway login fails.
    """
    for bi, b in enumerate(spec.backends):
        if isinstance(b, PowerFlexBackend) and ":" in b.user:
            yield Finding(
                "SPC412",
                E,
                ("backends", bi, "user"),
                f"PowerFlex backend '{b.name}' user '{b.user}' contains ':'; the server splits "
                "the URL's user info at ':' and would log in as "
                f"'{b.user.split(':')[0]}'",
                "Use a gateway user without ':'.",
            )


def gateway_is_a_host(spec: Spec) -> Iterator[Finding]:
    """SPC414: the gateway is an IPv4 address or a host name that java.net.URI parses.

    ``initialize`` reads ``uri.getHost()`` and ``uri.getUserInfo()``; a name with
    ``_``, an empty label or, among several labels, a last one that starts with a
    digit is no RFC 2396 host name (``java.net.URI.parseHostname``): the URI falls
    back to a registry-based authority whose host and user info are null, and the
    pool cannot be added. A port written into the gateway would reach the server, but
    the spec keeps it in ``gateway_port`` (where the rules and checks read it).
    """
    for bi, b in enumerate(spec.backends):
        if not isinstance(b, PowerFlexBackend):
            continue
        try:
            IPv4Address(b.gateway)
            continue
        except ValueError:
            pass
        host, colon, port = b.gateway.partition(":")
        if colon:
            yield Finding(
                "SPC414",
                E,
                ("backends", bi, "gateway"),
                f"PowerFlex backend '{b.name}' gateway '{b.gateway}' holds a port",
                f"Write the host in gateway and the port in gateway_port: {port or 443}.",
            )
        elif not HOST_NAME.match(host):
            yield Finding(
                "SPC414",
                E,
                ("backends", bi, "gateway"),
                f"PowerFlex backend '{b.name}' gateway '{b.gateway}' is neither an IPv4 "
                "address nor a host name the server's java.net.URI accepts",
                "Use the gateway's IPv4 address or a DNS name of letters, digits, '-' and '.' "
                "(no '_'; with several labels the last starts with a letter).",
            )


def one_cloudstack_pool_per_powerflex_pool(spec: Spec) -> Iterator[Finding]:
    """SPC413: no two CloudStack pools name one gateway and PowerFlex storage pool.

    ``initialize``: "PowerFlex storage pool: <pool> already exists, please specify
    other storage pool." when an existing PowerFlex pool has the same gateway URL and
    pool name. The server compares the URL text (``gw`` and ``gw:443`` differ);
    specc compares the gateway with its port made explicit, since both reach one pool.
    """
    seen: dict[tuple[str, str], str] = {}
    for at, backend in _powerflex_pools(spec):
        key = (backend.endpoint, backend.storage_pool)
        first = seen.setdefault(key, f"{at.zone.name}/{at.pool.name}")
        if first != f"{at.zone.name}/{at.pool.name}":
            yield Finding(
                "SPC413",
                E,
                (*at.path, "backend"),
                f"PowerFlex pool '{at.pool.name}' uses storage pool '{backend.storage_pool}' "
                f"of gateway {backend.gateway}, as '{first}' does; the server refuses a second "
                "CloudStack pool on one PowerFlex pool ('already exists')",
                "Give each CloudStack pool its own PowerFlex storage pool (one zone-wide pool "
                "serves every KVM cluster of its zone).",
            )


def _offerings_on_powerflex(spec: Spec) -> Iterator[tuple[Offering, JsonPath]]:
    """The offerings whose storage tags land on at least one PowerFlex pool."""
    if not any(isinstance(b, PowerFlexBackend) for b in spec.backends):
        return
    reach = OfferingReach(spec)
    for offering, path in iter_offerings(spec):
        if TYPE in reach.kinds(offering)[1]:
            yield offering, path


def size_in_allocation_units(spec: Spec) -> Iterator[Finding]:
    """SPC415: a size on PowerFlex is a multiple of 8 GiB (warning): it is rounded up.

    ``ScaleIOPrimaryDataStoreDriver.createVolume`` asks for ``ceil(bytes / GiB)``,
    and ``ScaleIOGatewayClientImpl.createVolume``: "The basic allocation granularity
    is 8GB. The volume size will be rounded up." The volume then has the array's size.
    """
    for offering, path in _offerings_on_powerflex(spec):
        for field in ("size_gb", "root_disk_size_gb"):  # disk and compute offerings
            size = getattr(offering, field, None)
            if isinstance(size, int) and size % ALLOCATION_GB:
                rounded = -(-size // ALLOCATION_GB) * ALLOCATION_GB
                yield Finding(
                    "SPC415",
                    W,
                    (*path, field),
                    f"offering '{offering.name}' asks for {size} GiB on PowerFlex, which "
                    f"allocates in units of {ALLOCATION_GB} GiB: its volumes get {rounded} GiB",
                    f"Use a multiple of {ALLOCATION_GB} GiB ({rounded}).",
                )


def iops_limit_floor(spec: Spec) -> Iterator[Finding]:
    """SPC416: a storage QoS max IOPS on PowerFlex is at least 10 (warning).

    ``ScaleIOPrimaryDataStoreDriver.grantAccess`` maps the volume to the SDC with its
    max IOPS as the limit and raises a limit between 1 and 9 to
    ``ScaleIOUtil.MINIMUM_ALLOWED_IOPS_LIMIT`` (10).
    """
    for offering, path in _offerings_on_powerflex(spec):
        qos = offering.qos
        if qos.type == "storage" and qos.max_iops is not None and qos.max_iops < MIN_IOPS_LIMIT:
            yield Finding(
                "SPC416",
                W,
                (*path, "qos", "max_iops"),
                f"offering '{offering.name}' limits PowerFlex volumes to {qos.max_iops} IOPS; "
                f"the plugin raises any limit below {MIN_IOPS_LIMIT} to {MIN_IOPS_LIMIT}",
                f"Set max_iops to {MIN_IOPS_LIMIT} or more.",
            )


RULES: tuple[Rule, ...] = (
    kvm_clusters_only,
    zone_wide_kvm,
    user_without_colon,
    one_cloudstack_pool_per_powerflex_pool,
    gateway_is_a_host,
    size_in_allocation_units,
    iops_limit_floor,
)


# --- the plug-in -------------------------------------------------------------------


def uri_component(text: str) -> str:
    """JavaScript's ``encodeURIComponent``, as the UI's ``powerflexURL`` encodes user
    and pool; the server decodes them back (``URI.getUserInfo``, ``URLDecoder``).

    >>> uri_component("pool 1/a+b"), uri_component("svc.cloud(1)")
    ('pool%201%2Fa%2Bb', 'svc.cloud(1)')
    """
    return quote(text, safe="-_.!~*'()")


def sdc_host_script(spec: Spec, placed: Placed, uses: tuple[PoolUse, ...]) -> HostScript:
    """The SDC script of one KVM host, for every PowerFlex backend it mounts."""
    found = {u.backend.name: u.backend for u in uses if isinstance(u.backend, PowerFlexBackend)}
    backends = tuple(found[n] for n in sorted(found))
    return sdc_script(placed, backends, pool_ids(uses))


KVM_POWERFLEX_SDC = HostRole(
    name="kvm-powerflex-sdc",
    runs_on="each KVM host a PowerFlex pool reaches",
    does=(
        "the PowerFlex SDC: installs `sdc_package` when given (else checks the SDC is "
        "installed), starts and enables `scini`, adds each system's MDMs with `drv_cfg "
        "--add_mdm` (persisted in /etc/emc/scaleio/drv_cfg.txt), sets "
        "`powerflex.sdc.home.dir` in agent.properties when `sdc_home` is given; fails "
        "saying what is missing"
    ),
    rollback=(
        "the SDC package and scini can stay; remove the MDMs specc added with "
        "`drv_cfg --remove_mdm --ip <mdms> --file /etc/emc/scaleio/drv_cfg.txt` (older "
        "drv_cfg: delete their `mdm` line from /etc/emc/scaleio/drv_cfg.txt and "
        "`systemctl restart scini`), and powerflex.sdc.home.dir from agent.properties"
    ),
    hypervisors=frozenset({"KVM"}),
    build=sdc_host_script,
)


class PowerFlex(StorageBackend[PowerFlexBackend]):
    """The managed PowerFlex provider: KVM only, cluster- or zone-wide (its rules
    SPC410 and SPC411 say so, with the server's messages)."""

    type = TYPE
    model = PowerFlexBackend
    provider = "PowerFlex"
    managed = True
    scopes = frozenset({"cluster", "zone"})
    hypervisors = frozenset({"KVM"})
    checks_fit = True
    storage_qos = True
    rules = RULES
    roles = (KVM_POWERFLEX_SDC,)

    def pool(self, backend: PowerFlexBackend, pool: PrimaryStorage, site: PoolSite) -> PoolParams:
        """``powerflex://<user>:<password, percent-encoded>@<gateway>[:port]/<pool>``."""
        port = f":{backend.gateway_port}" if backend.gateway_port else ""
        return PoolParams(
            Concat(
                (
                    f"powerflex://{uri_component(backend.user)}:",
                    secret_param(backend.password, "url"),
                    f"@{backend.gateway}{port}/{uri_component(backend.storage_pool)}",
                )
            )
        )

    def preflight_checks(
        self, spec: Spec, backend: PowerFlexBackend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """The gateway logs the user in and lists the pool; the password has no ':'."""
        return gateway_checks(backend) if uses else ()

    def verification_checks(
        self, spec: Spec, backend: PowerFlexBackend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """Each host's SDC knows the MDMs; the gateway lists the SDCs Connected."""
        return sdc_checks(backend, uses) if uses else ()

    def warnings(
        self,
        spec: Spec,
        backend: PowerFlexBackend,
        uses: tuple[PoolUse, ...],
        version: tuple[int, ...],
    ) -> tuple[str, ...]:
        """The allocation unit, the SDC prerequisites, and what the version changes."""
        if not uses:
            return ()
        name = backend.name
        out = [
            f"PowerFlex {name}: volumes are allocated in {ALLOCATION_GB} GiB units (a 5 GiB "
            f"disk becomes {ALLOCATION_GB} GiB) and can only grow, in {ALLOCATION_GB} GiB steps.",
            f"PowerFlex {name}: the management server logs in to https://{backend.gateway}"
            f"{f':{backend.gateway_port}' if backend.gateway_port else ''}/api as "
            f"{backend.user}; a ':' in the password is cut by the server (the URL's user "
            "info is split at ':'), so the login would fail.",
            f"PowerFlex {name}: each KVM host's SDC must show Connected at the gateway; the "
            "SDC package comes from Dell"
            + (
                " (sdc_package names it)."
                if backend.sdc_package
                else "; specc does not install it."
            ),
        ]
        if version < STRICT_ATTACH_BEFORE:
            out.append(
                f"PowerFlex {name}: CloudStack {spec.cloudstack.version} adds the pool only when "
                "the gateway has connected SDCs and an Up KVM host in the pool's scope can "
                "reach it ('Failed to create storage pool as it is not accessible to hosts'): "
                "run the SDC scripts and add the hosts first."
            )
        if version >= MDMS_BY_SERVER_SINCE:
            out.append(
                f"PowerFlex {name}: CloudStack {spec.cloudstack.version} also adds the MDMs the "
                "gateway reports to each host's SDC (powerflex.storagepool.mdms); keep mdms "
                "equal to them."
            )
        if version >= CONNECT_ON_DEMAND_SINCE:
            out.append(
                f"PowerFlex {name}: powerflex.connect.on.demand is true by default: the agent "
                "stops scini on a host with no mapped volume, so an inactive scini there is "
                "expected."
            )
        return tuple(out)
