#!/usr/bin/env bash
# specc host script script:solidfire-setup:sf-by-hand
# host: operator (localhost)  role: solidfire-setup  os: detected at run time
# SolidFire sf-by-hand by hand (MVIP 10.60.0.50): account cloudstack-sf-by-hand, the
# hosts' initiators, volume sf-by-hand with QoS min/max/burst 4000/8000/12000 and access group sf-by-hand.
# Run it on a workstation with curl and jq that reaches the MVIP. Needs:
#   SF_INITIATOR_IQNS  the hosts' IQNs, space separated (the host scripts report them)
# Idempotent: every step checks before it acts; safe to rerun.
# SPECC_ROOT (default empty) prefixes every path the script writes.
# Commands that could prompt read /dev/null: `ssh HOST bash -s < FILE` is safe.
set -euo pipefail

CHANGED=0

log() { printf '[specc] %s\n' "$*"; }

die() { log "ERROR: $*" >&2; exit 1; }

did() {
  CHANGED=$((CHANGED + 1))
  log "changed: $*"
}

# --- 1. tools and credentials
log 'step 1: tools and credentials'
command -v curl >/dev/null || die 'curl is required'
command -v jq >/dev/null || die 'jq is required'
SF_PW=${TEST_SF_PASSWORD:?set TEST_SF_PASSWORD (the secret is read at run time, never stored in this script)}
SF_USER='admin'
SF_PW_ESC=${SF_PW//\\/\\\\}
SF_PW_ESC=${SF_PW_ESC//\"/\\\"}
SF_URL=https://10.60.0.50/json-rpc/8.0
CURL_OPTS=(--max-time 60)
if [ "${SPECC_SF_INSECURE:-0}" = 1 ]; then CURL_OPTS+=(--insecure); fi
read -r -a IQNS <<< "${SF_INITIATOR_IQNS:?set SF_INITIATOR_IQNS to the hosts IQNs}"
SIZE=2199023255552

# api METHOD PARAMS_JSON: one Element JSON-RPC call; prints its result object.
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
}

# --- 2. account cloudstack-sf-by-hand
log 'step 2: account cloudstack-sf-by-hand'
ACCOUNT=cloudstack-sf-by-hand
acct=$(api ListAccounts '{}' | jq -r --arg n "$ACCOUNT" '.accounts[] | select(.username == $n) | .accountID')
if [ -z "$acct" ]; then
  acct=$(api AddAccount "$(jq -cn --arg n "$ACCOUNT" '{username: $n}')" | jq -r '.accountID')
  did "account $ACCOUNT ($acct)"
fi

# --- 3. initiators
log 'step 3: initiators'
known=$(api ListInitiators '{}' | jq -r '.initiators[].initiatorName')
for iqn in "${IQNS[@]}"; do
  if ! grep -qxF "$iqn" <<< "$known"; then
    api CreateInitiators "$(jq -cn --arg i "$iqn" '{initiators: [{name: $i}]}')" >/dev/null
    did "initiator $iqn"
  fi
done

# --- 4. volume sf-by-hand with QoS
log 'step 4: volume sf-by-hand with QoS'
VOLUME=sf-by-hand
vol=$(api ListVolumesForAccount "$(jq -cn --argjson a "$acct" '{accountID: $a}')" |
  jq -c --arg n "$VOLUME" '[.volumes[] | select(.name == $n and .status == "active")] | first // empty')
if [ -z "$vol" ]; then
  volid=$(api CreateVolume "$(jq -cn --arg n "$VOLUME" --argjson a "$acct" --argjson s "$SIZE" '{name: $n, accountID: $a, totalSize: $s, enable512e: true, qos: {minIOPS: 4000, maxIOPS: 8000, burstIOPS: 12000}}')" | jq -r '.volumeID')
  did "volume $VOLUME ($volid)"
else
  volid=$(jq -r '.volumeID' <<< "$vol")
  want='4000 8000 12000'
  have=$(jq -r '"\(.qos.minIOPS) \(.qos.maxIOPS) \(.qos.burstIOPS)"' <<< "$vol")
  if [ "$have" != "$want" ]; then
    api ModifyVolume "$(jq -cn --argjson v "$volid" '{volumeID: $v, qos: {minIOPS: 4000, maxIOPS: 8000, burstIOPS: 12000}}')" >/dev/null
    did "QoS of $VOLUME: $have -> $want"
  fi
fi

# --- 5. access group sf-by-hand
log 'step 5: access group sf-by-hand'
group=$(api ListVolumeAccessGroups '{}' | jq -c --arg n "$VOLUME" '[.volumeAccessGroups[] | select(.name == $n)] | first // empty')
iqns_json=$(printf '%s\n' "${IQNS[@]}" | jq -R . | jq -cs .)
if [ -z "$group" ]; then
  api CreateVolumeAccessGroup "$(jq -cn --arg n "$VOLUME" --argjson i "$iqns_json" --argjson v "$volid" '{name: $n, initiators: $i, volumes: [$v]}')" >/dev/null
  did "access group $VOLUME"
else
  gid=$(jq -r '.volumeAccessGroupID' <<< "$group")
  add=$(jq -c --argjson i "$iqns_json" '$i - .initiators' <<< "$group")
  if [ "$add" != "[]" ]; then
    api AddInitiatorsToVolumeAccessGroup "$(jq -cn --argjson g "$gid" --argjson i "$add" '{volumeAccessGroupID: $g, initiators: $i}')" >/dev/null
    did "initiators added to $VOLUME: $add"
  fi
  if ! jq -e --argjson v "$volid" '.volumes | index($v)' <<< "$group" >/dev/null; then
    api AddVolumesToVolumeAccessGroup "$(jq -cn --argjson g "$gid" --argjson v "$volid" '{volumeAccessGroupID: $g, volumes: [$v]}')" >/dev/null
    did "volume added to access group $VOLUME"
  fi
fi

# --- 6. verify and next steps
log 'step 6: verify and next steps'
target=$(api ListVolumesForAccount "$(jq -cn --argjson a "$acct" '{accountID: $a}')" |
  jq -r --arg n "$VOLUME" '.volumes[] | select(.name == $n and .status == "active") | .iqn')
[ -n "$target" ] || die "volume $VOLUME not found after setup"
log "target IQN: $target"
log 'next: add the iSCSI datastore (VMware, then primary storage VMFS) or SR (XenServer, then PreSetup) on each host, portal 10.61.0.50:3260'

log "done: $CHANGED change(s)"
