#!/usr/bin/env bash
# specc host script script:ceph-admin:ceph1
# host: ceph-admin.example.internal (ceph-admin.example.internal)  role: ceph-admin  os: detected at run time
# Ceph backend ceph1: pool cloudstack (replicated) and key client.cloudstack.
# Idempotent: every step checks before it acts; safe to rerun.
# SPECC_ROOT (default empty) prefixes every path the script writes.
# Commands that could prompt read /dev/null: `ssh HOST bash -s < FILE` is safe.
set -euo pipefail

ROOT="${SPECC_ROOT:-}"
CHANGED=0

log() { printf '[specc] %s\n' "$*"; }

die() { log "ERROR: $*" >&2; exit 1; }

did() {
  CHANGED=$((CHANGED + 1))
  log "changed: $*"
}

# --- 1. the cluster answers
log 'step 1: the cluster answers'
command -v ceph >/dev/null || die 'ceph CLI not found: run this on a node with the admin keyring'
ceph -s >/dev/null || die 'ceph -s failed: no admin access to the cluster'

# --- 2. replicated pool cloudstack, pg_num 256, size 3
log 'step 2: replicated pool cloudstack, pg_num 256, size 3'
if ! ceph osd pool ls | grep -xF cloudstack >/dev/null; then
  ceph osd pool create cloudstack 256 256 replicated
  did "created pool cloudstack"
fi
size=$(ceph osd pool get cloudstack size | awk '{print $2}')
if [ "$size" != 3 ]; then
  ceph osd pool set cloudstack size 3
  did "size of cloudstack: $size -> 3"
fi

# --- 3. rbd pool init
log 'step 3: rbd pool init'
if ! ceph osd pool application get cloudstack 2>/dev/null | grep '"rbd"' >/dev/null; then
  rbd pool init cloudstack
  did "rbd pool init cloudstack"
fi

# --- 4. client key client.cloudstack (stored root-only in /etc/ceph/ceph.client.cloudstack.key, never printed)
log 'step 4: client key client.cloudstack (stored root-only in /etc/ceph/ceph.client.cloudstack.key, never printed)'
osd_caps='profile rbd pool=cloudstack'
if ! ceph auth get client.cloudstack >/dev/null 2>&1; then
  ceph auth get-or-create client.cloudstack mon 'profile rbd' osd "$osd_caps" >/dev/null
  did "created client.cloudstack"
fi
# only the caps lines are kept: the key itself never reaches a variable or the output
caps=$(ceph auth get client.cloudstack 2>/dev/null | grep -E '^[[:space:]]*caps' |
  sed 's/^[[:space:]]*//' || true)
if ! grep -qxF "caps mon = \"profile rbd\"" <<< "$caps" ||
  ! grep -qxF "caps osd = \"$osd_caps\"" <<< "$caps"; then
  ceph auth caps client.cloudstack mon 'profile rbd' osd "$osd_caps"
  did "caps of client.cloudstack set to the rbd profiles"
fi
keyfile="$ROOT"/etc/ceph/ceph.client.cloudstack.key
mkdir -p "$(dirname "$keyfile")"
if [ ! -s "$keyfile" ] || ! cmp -s <(ceph auth get-key client.cloudstack) "$keyfile"; then
  (umask 077 && ceph auth get-key client.cloudstack > "$keyfile")
  did "key written to /etc/ceph/ceph.client.cloudstack.key (mode 0600)"
fi
chmod 600 "$keyfile"

# --- 5. hand the key to specc
log 'step 5: hand the key to specc'
log 'specc apply reads the key from the environment variable CEPH_CLOUDSTACK_KEY: on the machine that runs it, provide it from /etc/ceph/ceph.client.cloudstack.key (copy the file; never paste the key into a log or a chat)'

# --- 6. verify
log 'step 6: verify'
health=$(ceph health | awk '{print $1}')
case "$health" in
  HEALTH_OK) log "ceph health: HEALTH_OK" ;;
  HEALTH_WARN) log "WARNING: ceph health is HEALTH_WARN (check ceph -s: clock skew?)" ;;
  *) die "ceph health is $health" ;;
esac
rbd ls cloudstack >/dev/null || die 'rbd ls cloudstack failed'
log "rbd ls cloudstack: OK"

log "done: $CHANGED change(s)"
