"""SolidFireShared: one SolidFire volume shared by a cluster (rules SPC34x).

Everything specc knows about it: the spec model; the rules; the pool URL of the
``SolidFireShared`` provider (apache/cloudstack ``SolidFireUtil``
``SHARED_PROVIDER_NAME``), a ``key=value;...`` string with the volume's
min/max/burst IOPS, created unmanaged
(``SolidFireSharedPrimaryDataStoreLifeCycle.initialize``: ``setManaged(false)``);
the hypervisor prerequisites it shares with SolidFire 1:1
(:mod:`specc.hosts.iscsi`); and, for a backend no pool uses through the plugin, the
Element API script that sets the LUN up by hand.

From the sources (apache/cloudstack ``SolidFireSharedPrimaryDataStoreLifeCycle
.initialize``, 4.18.2.5 and 4.22.1.0): cluster scope, VMware/XenServer only,
minIops <= maxIops <= burstIops, capacityIops == minIops <= 15,000
(``SolidFireUtil.MAX_MIN_IOPS_PER_VOLUME``), maxIops and burstIops <= 100,000
(``SolidFireUtil.MAX_IOPS_PER_VOLUME``). From the seed article: its offerings set
neither storage QoS nor a hypervisor snapshot reserve (the QoS is per datastore/SR),
and the volume's QoS can later be raised to Element's 200,000 in the SolidFire UI.

Set up by hand: the operator builds the LUN and adds it as PreSetup (XenServer) or
VMFS (VMware): the script creates the account, the initiators (host IQNs), one
volume with the backend's QoS and an access group, through Element JSON-RPC with
``curl`` and ``jq``. The cluster admin password is read at run time from its
reference and passed to curl on stdin, never on a command line or in the output.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import StringConstraints

from specc.backends.base import (
    BackendModel,
    PoolParams,
    PoolSite,
    StorageAddress,
    StorageBackend,
)
from specc.backends.element import (
    DATASTORE_HYPERVISORS,
    ELEMENT_API_VERSION,
    MAX_IOPS_PER_VOLUME,
    MAX_MIN_IOPS_PER_VOLUME,
    mvip_check,
)
from specc.backends.presetup import PresetupBackend
from specc.backends.vmfs import VmfsBackend
from specc.core.ids import ResourceId
from specc.core.steps import Check, Concat, HostScript
from specc.errors import Severity
from specc.hosts.iscsi import ESXI_SOLIDFIRE_PREREQ, XENSERVER_SOLIDFIRE_PREREQ, iscsi_checks
from specc.hosts.roles import Role
from specc.hosts.shell import ScriptBuilder, q, read_secret, secret_param, sq
from specc.hosts.topology import PoolUse
from specc.spec.rules import Finding, Rule
from specc.spec.rules.topology import (
    OfferingReach,
    PoolAt,
    backend_named,
    iter_offerings,
    iter_pools,
    pool_clusters,
)
from specc.spec.types import Iops, Secret

if TYPE_CHECKING:
    from specc.spec.models import PrimaryStorage, Spec

E = Severity.ERROR
W = Severity.WARNING

TYPE = "solidfire-shared"
HYPERVISORS = DATASTORE_HYPERVISORS


class SolidFireSharedBackend(BackendModel):
    """A SolidFire volume shared by a cluster ('SolidFireShared' plugin, VMware/XenServer)."""

    type: Literal["solidfire-shared"]
    mvip: IPv4Address
    svip: IPv4Address
    admin_user: Annotated[str, StringConstraints(min_length=1)]
    admin_password: Secret
    min_iops: Iops
    max_iops: Iops
    burst_iops: Iops

    def storage_addresses(self) -> tuple[StorageAddress, ...]:
        """The storage (iSCSI) virtual IP."""
        return (StorageAddress(("svip",), str(self.svip)),)


# --- rules -------------------------------------------------------------------------


def _shared_pools(spec: Spec) -> Iterator[tuple[PoolAt, SolidFireSharedBackend]]:
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if isinstance(backend, SolidFireSharedBackend):
            yield at, backend


def _has_shared(spec: Spec) -> bool:
    return any(isinstance(b, SolidFireSharedBackend) for b in spec.backends)


def shared_cluster_scope(spec: Spec) -> Iterator[Finding]:
    """SPC340: a SolidFireShared pool is cluster scope.

    ``SolidFireSharedPrimaryDataStoreLifeCycle.initialize``: "The Pod ID must be
    specified." / "The Cluster ID must be specified."
    """
    for at, _backend in _shared_pools(spec):
        if at.pool.scope != "cluster":
            yield Finding(
                "SPC340",
                E,
                (*at.path, "scope"),
                f"SolidFireShared pool '{at.pool.name}' has scope {at.pool.scope}; the plugin "
                "supports cluster scope only",
                "Set scope: cluster with its pod and cluster.",
            )


def shared_hypervisors(spec: Spec) -> Iterator[Finding]:
    """SPC341: a SolidFireShared pool is on a VMware or XenServer cluster.

    ``SolidFireSharedPrimaryDataStoreLifeCycle.initialize``:
    ``isSupportedHypervisorType`` (XenServer, VMware), else "<hypervisor> is not a
    supported hypervisor type."
    """
    for at, _backend in _shared_pools(spec):
        for cluster in pool_clusters(at.zone, at.pool):
            if at.pool.scope == "cluster" and cluster.hypervisor not in HYPERVISORS:
                yield Finding(
                    "SPC341",
                    E,
                    (*at.path, "cluster"),
                    f"SolidFireShared pool '{at.pool.name}' is on {cluster.hypervisor} cluster "
                    f"'{cluster.name}'; the plugin supports VMware and XenServer only",
                    "On KVM use the SolidFire 1:1 plugin (type solidfire).",
                )


def shared_capacity_iops(spec: Spec) -> Iterator[Finding]:
    """SPC342: a SolidFireShared pool's capacity_iops equals the backend's min_iops.

    ``SolidFireSharedPrimaryDataStoreLifeCycle.initialize``: "The parameter
    'capacityIops' must be equal to the parameter 'minIops'."
    """
    for at, backend in _shared_pools(spec):
        cap = at.pool.capacity_iops
        if cap is not None and cap != backend.min_iops:
            yield Finding(
                "SPC342",
                E,
                (*at.path, "capacity_iops"),
                f"SolidFireShared pool '{at.pool.name}' capacity_iops {cap:,} differs from "
                f"min_iops {backend.min_iops:,} of backend '{backend.name}'",
                f"Set capacity_iops to {backend.min_iops}.",
            )


def shared_min_iops(spec: Spec) -> Iterator[Finding]:
    """SPC343: a SolidFireShared backend's min_iops is at most 15,000.

    ``SolidFireSharedPrimaryDataStoreLifeCycle.initialize``: above
    ``SolidFireUtil.MAX_MIN_IOPS_PER_VOLUME``, "This volume's Min IOPS cannot exceed
    15,000 IOPS."
    """
    for bi, b in enumerate(spec.backends):
        if isinstance(b, SolidFireSharedBackend) and b.min_iops > MAX_MIN_IOPS_PER_VOLUME:
            yield Finding(
                "SPC343",
                E,
                ("backends", bi, "min_iops"),
                f"SolidFireShared backend '{b.name}' min_iops {b.min_iops:,} exceeds "
                f"{MAX_MIN_IOPS_PER_VOLUME:,}",
                "A single SolidFire volume cannot guarantee more than "
                f"{MAX_MIN_IOPS_PER_VOLUME:,} IOPS (SolidFireUtil.MAX_MIN_IOPS_PER_VOLUME).",
            )


def shared_max_burst(spec: Spec) -> Iterator[Finding]:
    """SPC344: a SolidFireShared backend's max_iops and burst_iops are at most 100,000.

    ``SolidFireSharedPrimaryDataStoreLifeCycle.initialize``: above
    ``SolidFireUtil.MAX_IOPS_PER_VOLUME``, "This volume's Max IOPS cannot exceed
    100,000 IOPS." (and the same for Burst).
    """
    for bi, b in enumerate(spec.backends):
        if not isinstance(b, SolidFireSharedBackend):
            continue
        for field in ("max_iops", "burst_iops"):
            value = getattr(b, field)
            if value > MAX_IOPS_PER_VOLUME:
                yield Finding(
                    "SPC344",
                    E,
                    ("backends", bi, field),
                    f"SolidFireShared backend '{b.name}' {field} {value:,} exceeds "
                    f"{MAX_IOPS_PER_VOLUME:,}",
                    f"Create it with at most {MAX_IOPS_PER_VOLUME:,} "
                    "(SolidFireUtil.MAX_IOPS_PER_VOLUME); the seed article raises it later, up "
                    "to Element's 200,000, in the SolidFire UI.",
                )


def shared_iops_order(spec: Spec) -> Iterator[Finding]:
    """SPC345: a SolidFireShared backend has min_iops <= max_iops <= burst_iops.

    ``SolidFireSharedPrimaryDataStoreLifeCycle.initialize``: "The parameter 'minIops'
    must be less than or equal to the parameter 'maxIops'." and the same for maxIops
    and burstIops.
    """
    for bi, b in enumerate(spec.backends):
        if not isinstance(b, SolidFireSharedBackend):
            continue
        if b.min_iops > b.max_iops:
            yield Finding(
                "SPC345",
                E,
                ("backends", bi, "min_iops"),
                f"SolidFireShared backend '{b.name}' min_iops {b.min_iops:,} is above "
                f"max_iops {b.max_iops:,}",
                "Make min_iops <= max_iops <= burst_iops.",
            )
        elif b.max_iops > b.burst_iops:
            yield Finding(
                "SPC345",
                E,
                ("backends", bi, "burst_iops"),
                f"SolidFireShared backend '{b.name}' burst_iops {b.burst_iops:,} is below "
                f"max_iops {b.max_iops:,}",
                "Make min_iops <= max_iops <= burst_iops.",
            )


def shared_offering_qos(spec: Spec) -> Iterator[Finding]:
    """SPC346: an offering landing only on SolidFireShared pools sets no storage QoS.

    The pool is not managed (``initialize``: ``setManaged(false)``), so no volume gets
    the offering's IOPS on the array (the seed article: define no storage QoS), yet
    ``StorageManagerImpl.storagePoolHasEnoughIops`` counts every volume's Min IOPS
    against the pool's capacityIops (the shared volume's Min IOPS), so the allocator
    stops placing volumes on it once they add up.
    """
    if not _has_shared(spec):
        return
    reach = OfferingReach(spec)
    for offering, path in iter_offerings(spec):
        if offering.qos.type != "storage":
            continue
        pools, kinds = reach.kinds(offering)
        if pools and kinds == {TYPE}:
            yield Finding(
                "SPC346",
                E,
                (*path, "qos", "type"),
                f"offering '{offering.name}' sets storage QoS but lands only on "
                "SolidFireShared pools, whose QoS is per datastore/SR",
                "Remove the storage QoS (use qos type none or hypervisor).",
            )


def shared_offering_reserve(spec: Spec) -> Iterator[Finding]:
    """SPC347: a snapshot reserve on an offering landing only on SolidFireShared (warning).

    Advice from the seed article: only the managed 1:1 plug-in sizes a volume's
    datastore/SR with the reserve.
    """
    if not _has_shared(spec):
        return
    reach = OfferingReach(spec)
    for offering, path in iter_offerings(spec):
        if offering.hypervisor_snapshot_reserve is None:
            continue
        pools, kinds = reach.kinds(offering)
        if pools and kinds == {"solidfire-shared"}:
            yield Finding(
                "SPC347",
                W,
                (*path, "hypervisor_snapshot_reserve"),
                f"offering '{offering.name}' sets hypervisor_snapshot_reserve but lands only "
                "on SolidFireShared pools, which do not use it",
                "Remove it; size the shared pool's capacity_bytes for snapshots instead.",
            )


RULES: tuple[Rule, ...] = (
    shared_cluster_scope,
    shared_hypervisors,
    shared_capacity_iops,
    shared_min_iops,
    shared_max_burst,
    shared_iops_order,
    shared_offering_qos,
    shared_offering_reserve,
)


# --- set up by hand ----------------------------------------------------------------


def sf_name(name: str) -> str:
    """A SolidFire object name (letters, digits, dashes) from a spec name.

    >>> sf_name("Shared Vol_1")
    'Shared-Vol-1'
    """
    return re.sub(r"[^A-Za-z0-9-]+", "-", name).strip("-")[:64] or "cloudstack"


def _presetup_pools(spec: Spec) -> tuple[tuple[str, int | None], ...]:
    """(id, capacity_bytes) of every pool on a LUN set up by hand (PreSetup or VMFS)."""
    kinds = {b.name for b in spec.backends if isinstance(b, PresetupBackend | VmfsBackend)}
    return tuple(
        (str(ResourceId("storagepool", (z.name, p.name))), p.capacity_bytes)
        for z in spec.zones
        for p in z.primary_storage
        if p.backend in kinds
    )


_API = r"""# api METHOD PARAMS_JSON: one Element JSON-RPC call; prints its result object.
api() {
  local body out
  body=$(jq -cn --arg m "$1" --argjson p "$2" '{method: $m, params: $p, id: 1}')
  out=$(printf 'user = "%s:%s"\n' "$SF_USER" "$SF_PW_ESC" |
    curl -sS --fail-with-body "${CURL_OPTS[@]}" --config - \
      -H 'Content-Type: application/json' --data "$body" "$SF_URL") ||
    die "Element API $1 failed: $(jq -r '.error.message // .' <<< "$out" 2>/dev/null)"
  if jq -e '.error' <<< "$out" >/dev/null; then
    die "Element API $1: $(jq -r '.error.message' <<< "$out")"
  fi
  jq -c '.result' <<< "$out"
}"""


def solidfire_manual_script(spec: Spec, backend: SolidFireSharedBackend) -> HostScript:
    """The Element API script that sets a SolidFire LUN up by hand."""
    pools = _presetup_pools(spec)
    size = next((c for _, c in pools if c), None)
    account = sf_name(f"cloudstack-{backend.name}")
    volume = sf_name(backend.name)
    b = ScriptBuilder(
        f"script:solidfire-setup:{backend.name}",
        "operator",
        "localhost",
        "solidfire-setup",
        None,
        f"SolidFire {backend.name} by hand (MVIP {backend.mvip}): account {account}, the\n"
        f"hosts' initiators, volume {volume} with QoS min/max/burst {backend.min_iops}/"
        f"{backend.max_iops}/{backend.burst_iops} and access group {volume}.\n"
        "Run it on a workstation with curl and jq that reaches the MVIP. Needs:\n"
        "  SF_INITIATOR_IQNS  the hosts' IQNs, space separated (the host scripts report them)"
        + ("" if size else "\n  SF_VOLUME_SIZE_BYTES  the volume size (no pool names a capacity)"),
    )
    b.need("did", "die")
    b.section(
        "tools and credentials",
        "command -v curl >/dev/null || die 'curl is required'\n"
        "command -v jq >/dev/null || die 'jq is required'\n"
        + read_secret("SF_PW", backend.admin_password)
        + "\n"
        f"SF_USER={sq(backend.admin_user)}\n"
        "SF_PW_ESC=${SF_PW//\\\\/\\\\\\\\}\n"
        'SF_PW_ESC=${SF_PW_ESC//\\"/\\\\\\"}\n'
        f"SF_URL={q(f'https://{backend.mvip}/json-rpc/{ELEMENT_API_VERSION}')}\n"
        "CURL_OPTS=(--max-time 60)\n"
        'if [ "${SPECC_SF_INSECURE:-0}" = 1 ]; then CURL_OPTS+=(--insecure); fi\n'
        'read -r -a IQNS <<< "${SF_INITIATOR_IQNS:?set SF_INITIATOR_IQNS to the hosts IQNs}"\n'
        + (f"SIZE={size}" if size else 'SIZE="${SF_VOLUME_SIZE_BYTES:?set SF_VOLUME_SIZE_BYTES}"')
        + "\n\n"
        + _API,
    )
    b.section(
        f"account {account}",
        f"ACCOUNT={q(account)}\n"
        "acct=$(api ListAccounts '{}' | jq -r --arg n \"$ACCOUNT\" "
        "'.accounts[] | select(.username == $n) | .accountID')\n"
        'if [ -z "$acct" ]; then\n'
        '  acct=$(api AddAccount "$(jq -cn --arg n "$ACCOUNT" \'{username: $n}\')" | '
        "jq -r '.accountID')\n"
        '  did "account $ACCOUNT ($acct)"\nfi',
    )
    b.section(
        "initiators",
        "known=$(api ListInitiators '{}' | jq -r '.initiators[].initiatorName')\n"
        'for iqn in "${IQNS[@]}"; do\n'
        '  if ! grep -qxF "$iqn" <<< "$known"; then\n'
        '    api CreateInitiators "$(jq -cn --arg i "$iqn" \'{initiators: [{name: $i}]}\')" '
        ">/dev/null\n"
        '    did "initiator $iqn"\n  fi\ndone',
    )
    qos = (
        f"{{minIOPS: {backend.min_iops}, maxIOPS: {backend.max_iops}, "
        f"burstIOPS: {backend.burst_iops}}}"
    )
    b.section(
        f"volume {volume} with QoS",
        f"VOLUME={q(volume)}\n"
        'vol=$(api ListVolumesForAccount "$(jq -cn --argjson a "$acct" \'{accountID: $a}\')" |\n'
        '  jq -c --arg n "$VOLUME" \'[.volumes[] | select(.name == $n and .status == "active")]'
        " | first // empty')\n"
        'if [ -z "$vol" ]; then\n'
        '  volid=$(api CreateVolume "$(jq -cn --arg n "$VOLUME" --argjson a "$acct" '
        f'--argjson s "$SIZE" \'{{name: $n, accountID: $a, totalSize: $s, enable512e: true, '
        f"qos: {qos}}}')\" | jq -r '.volumeID')\n"
        '  did "volume $VOLUME ($volid)"\n'
        "else\n"
        "  volid=$(jq -r '.volumeID' <<< \"$vol\")\n"
        f"  want={q(f'{backend.min_iops} {backend.max_iops} {backend.burst_iops}')}\n"
        '  have=$(jq -r \'"\\(.qos.minIOPS) \\(.qos.maxIOPS) \\(.qos.burstIOPS)"\' <<< "$vol")\n'
        '  if [ "$have" != "$want" ]; then\n'
        '    api ModifyVolume "$(jq -cn --argjson v "$volid" '
        f"'{{volumeID: $v, qos: {qos}}}')\" >/dev/null\n"
        '    did "QoS of $VOLUME: $have -> $want"\n  fi\nfi',
    )
    b.section(
        f"access group {volume}",
        "group=$(api ListVolumeAccessGroups '{}' | jq -c --arg n \"$VOLUME\" "
        "'[.volumeAccessGroups[] | select(.name == $n)] | first // empty')\n"
        "iqns_json=$(printf '%s\\n' \"${IQNS[@]}\" | jq -R . | jq -cs .)\n"
        'if [ -z "$group" ]; then\n'
        '  api CreateVolumeAccessGroup "$(jq -cn --arg n "$VOLUME" --argjson i "$iqns_json" '
        '--argjson v "$volid" \'{name: $n, initiators: $i, volumes: [$v]}\')" >/dev/null\n'
        '  did "access group $VOLUME"\n'
        "else\n"
        "  gid=$(jq -r '.volumeAccessGroupID' <<< \"$group\")\n"
        '  add=$(jq -c --argjson i "$iqns_json" \'$i - .initiators\' <<< "$group")\n'
        '  if [ "$add" != "[]" ]; then\n'
        '    api AddInitiatorsToVolumeAccessGroup "$(jq -cn --argjson g "$gid" --argjson i '
        '"$add" \'{volumeAccessGroupID: $g, initiators: $i}\')" >/dev/null\n'
        '    did "initiators added to $VOLUME: $add"\n  fi\n'
        '  if ! jq -e --argjson v "$volid" \'.volumes | index($v)\' <<< "$group" >/dev/null; then\n'
        '    api AddVolumesToVolumeAccessGroup "$(jq -cn --argjson g "$gid" --argjson v '
        '"$volid" \'{volumeAccessGroupID: $g, volumes: [$v]}\')" >/dev/null\n'
        '    did "volume added to access group $VOLUME"\n  fi\nfi',
    )
    nxt = (
        "next: add the iSCSI datastore (VMware, then primary storage VMFS) or SR "
        f"(XenServer, then PreSetup) on each host, portal {backend.svip}:3260"
    )
    b.section(
        "verify and next steps",
        'target=$(api ListVolumesForAccount "$(jq -cn --argjson a "$acct" \'{accountID: $a}\')" |\n'
        '  jq -r --arg n "$VOLUME" \'.volumes[] | select(.name == $n and .status == "active") '
        "| .iqn')\n"
        '[ -n "$target" ] || die "volume $VOLUME not found after setup"\n'
        'log "target IQN: $target"\n'
        f"log {q(nxt)}",
    )
    return HostScript(
        id=b.script_id,
        host="operator",
        address="localhost",
        role="solidfire-setup",
        script=b.render(),
        needed_by=tuple(sorted(r for r, _ in pools)),
        description=f"Set SolidFire {backend.name} up by hand through the Element API",
        os=None,
        secrets=(secret_param(backend.admin_password),),
    )


# --- the plug-in -------------------------------------------------------------------

SOLIDFIRE_SETUP = Role(
    name="solidfire-setup",
    script_id="script:solidfire-setup:<backend>",
    runs_on="a workstation with curl and jq",
    does=(
        "for a `solidfire-shared` backend that no pool uses through the plugin (the LUN is "
        "added as PreSetup or VMFS instead): through the Element JSON-RPC API, the account "
        "`cloudstack-<backend>`, the initiators in `SF_INITIATOR_IQNS`, a volume with the "
        "backend's min/max/burst IOPS (size from the PreSetup/VMFS pool's `capacity_bytes`, "
        "else `SF_VOLUME_SIZE_BYTES`) and an access group; prints the target IQN. Set "
        "`SPECC_SF_INSECURE=1` for a self-signed MVIP certificate"
    ),
    rollback=(
        "in the Element UI or API: DeleteVolumeAccessGroup, DeleteVolume (then "
        "PurgeDeletedVolume), RemoveAccount; only once no host uses the LUN"
    ),
    local=True,  # the Element API by curl, from a workstation
)


class SolidFireShared(StorageBackend[SolidFireSharedBackend]):
    """The SolidFireShared provider: cluster scope, VMware/XenServer (SPC340/341 say so)."""

    type = TYPE
    model = SolidFireSharedBackend
    provider = "SolidFireShared"
    managed = False
    scopes = frozenset({"cluster"})
    hypervisors = HYPERVISORS
    checks_fit = True
    storage_qos = True  # SPC346 says what to do with it
    rules = RULES
    roles = (SOLIDFIRE_SETUP, ESXI_SOLIDFIRE_PREREQ, XENSERVER_SOLIDFIRE_PREREQ)

    def pool(
        self, backend: SolidFireSharedBackend, pool: PrimaryStorage, site: PoolSite
    ) -> PoolParams:
        """``MVIP=..;SVIP=..;clusterAdmin..;minIops=..;maxIops=..;burstIops=..[;datacenter=..]``.

        ``capacityiops`` defaults to the volume's min_iops (SPC342 wants them equal).
        """
        datacenter = f";datacenter={site.datacenter}" if site.datacenter else ""
        url = Concat(
            (
                f"MVIP={backend.mvip};SVIP={backend.svip};"
                f"clusterAdminUsername={backend.admin_user};clusterAdminPassword=",
                secret_param(backend.admin_password),
                f";minIops={backend.min_iops};maxIops={backend.max_iops}"
                f";burstIops={backend.burst_iops}" + datacenter,
            )
        )
        params = {"capacityiops": backend.min_iops} if pool.capacity_iops is None else {}
        return PoolParams(url, params)

    def backend_scripts(
        self,
        spec: Spec,
        backend: SolidFireSharedBackend,
        uses: tuple[PoolUse, ...],
        network: Mapping[str, str],
    ) -> tuple[HostScript, ...]:
        """The Element API setup script, when no pool uses the backend through the plugin."""
        return () if uses else (solidfire_manual_script(spec, backend),)

    def preflight_checks(
        self, spec: Spec, backend: SolidFireSharedBackend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """The management VIP answers (also for a setup by hand)."""
        return (mvip_check(backend.name, backend.mvip),)

    def verification_checks(
        self, spec: Spec, backend: SolidFireSharedBackend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """Each host that mounts it has its SR attached or its datastore mounted."""
        return iscsi_checks(backend.name, uses) if uses else ()

    def rollback_notes(self, backend: SolidFireSharedBackend) -> dict[str, str]:
        """The setup script's access group, volume and account, by name."""
        name = sf_name(backend.name)
        return {
            f"script:solidfire-setup:{backend.name}": (
                f"once no host uses the LUN, on MVIP {backend.mvip}: DeleteVolumeAccessGroup "
                f"{name}, DeleteVolume {name} then PurgeDeletedVolume, RemoveAccount "
                f"{sf_name('cloudstack-' + backend.name)}"
            )
        }
