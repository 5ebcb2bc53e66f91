"""SolidFire set up by hand (the shared setup without the plugin), via the Element API.

For a ``solidfire-shared`` backend that no primary storage uses through the plugin,
the operator builds the LUN and adds it as PreSetup (XenServer) or VMFS (VMware):
this script creates the account, the initiators (host IQNs), one volume with the
backend's QoS and an access group, through Element JSON-RPC with ``curl`` and
``jq``. The cluster admin password is read at run time from its reference and
passed to curl on stdin, never on a command line or in the output.
"""

from __future__ import annotations

import re

from specc.core.ids import ResourceId
from specc.core.steps import HostScript
from specc.spec.models import PresetupBackend, SolidFireSharedBackend, Spec, VmfsBackend

from .shell import ScriptBuilder, q, read_secret, secret_param, sq

ELEMENT_API_VERSION = "8.0"


def sf_name(name: str) -> str:
    """A SolidFire object name (letters, digits, dashes) from a spec name.

    >>> sf_name("Shared Vol_1")
    'Shared-Vol-1'
    """
    return re.sub(r"[^A-Za-z0-9-]+", "-", name).strip("-")[:64] or "cloudstack"


def _presetup_pools(spec: Spec) -> tuple[tuple[str, int | None], ...]:
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
