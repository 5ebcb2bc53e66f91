#!/usr/bin/env bash
# specc host script script:kvm-storpool-client:kvm-s2
# host: kvm-s2 (10.30.0.12)  role: kvm-storpool-client  os: el9
# KVM host kvm-s2 as a client of StorPool backend(s) storpool1.
# Checks only: specc does not install StorPool; the script says what is missing
# and fails until the StorPool client is installed and configured.
# Idempotent: every step checks before it acts; safe to rerun.
# SPECC_ROOT (default empty) prefixes every path the script writes.
# Commands that could prompt read /dev/null: `ssh HOST bash -s < FILE` is safe.
set -euo pipefail

ROOT="${SPECC_ROOT:-}"
CHANGED=0

log() { printf '[specc] %s\n' "$*"; }

die() { log "ERROR: $*" >&2; exit 1; }

# --- 1. the StorPool client tools
log 'step 1: the StorPool client tools'
missing=""
for tool in storpool_confget storpool; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
[ -z "$missing" ] || die "the StorPool client is not installed on kvm-s2 (missing:$missing): install and configure it with StorPool's installer, then run this script again; specc does not install StorPool"

# --- 2. storpool_confget answers SP_CLUSTER_ID and SP_OURID
log 'step 2: storpool_confget answers SP_CLUSTER_ID and SP_OURID'
conf=$(storpool_confget < /dev/null) ||
  die 'storpool_confget failed: the StorPool configuration (/etc/storpool.conf) is missing or broken'
conf_value() { printf '%s\n' "$conf" | sed -n "s/^$1=//p" | head -n 1; }
cluster_id=$(conf_value SP_CLUSTER_ID)
our_id=$(conf_value SP_OURID)
[ -n "$cluster_id" ] || die "storpool_confget gives no SP_CLUSTER_ID: the CloudStack agent would answer spNotFound and never connect the pool"
[ -n "$our_id" ] || die "storpool_confget gives no SP_OURID: the CloudStack agent needs this host's StorPool node id"
log "StorPool cluster $cluster_id, node $our_id"

# --- 3. the devices of the StorPool block client (/dev/storpool-byid)
log 'step 3: the devices of the StorPool block client (/dev/storpool-byid)'
[ -d "$ROOT/dev/storpool-byid" ] || die "/dev/storpool-byid is missing: the StorPool block client (storpool_block) is not running on this host; CloudStack attaches every volume as /dev/storpool-byid/<id>"

# --- 4. the StorPool API answers (storpool -j service list)
log 'step 4: the StorPool API answers (storpool -j service list)'
storpool -j service list < /dev/null >/dev/null 2>&1 ||
  die 'storpool -j service list failed: this host does not reach the StorPool API (the agent attaches every volume through it)'
host_api="$(conf_value SP_API_HTTP_HOST):$(conf_value SP_API_HTTP_PORT)"
if [ "$host_api" != : ] && [ "$host_api" != 10.31.0.50:81 ]; then
  log "note: this host's StorPool API is $host_api," 'the pool url of storpool1 names 10.31.0.50:81: both must be the same cluster'
fi
log "the StorPool API answers ($host_api)"

log "done: $CHANGED change(s)"
