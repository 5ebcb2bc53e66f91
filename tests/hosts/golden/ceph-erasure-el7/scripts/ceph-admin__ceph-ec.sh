#!/usr/bin/env bash
# specc host script script:ceph-admin:ceph-ec
# host: kvm-a1 (10.80.0.11)  role: ceph-admin  os: el7
# Ceph backend ceph-ec: pool vmstore-ec (erasure) and key client.cs-ec.
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

# --- 2. erasure-coded pool vmstore-ec
log 'step 2: erasure-coded pool vmstore-ec'
if ! ceph osd erasure-code-profile get specc-k4-m2 >/dev/null 2>&1; then
  ceph osd erasure-code-profile set specc-k4-m2 k=4 m=2
  did "erasure-code profile specc-k4-m2 (k=4 m=2)"
fi
if ! ceph osd pool ls | grep -xF vmstore-ec >/dev/null; then
  ceph osd pool create vmstore-ec 64 64 erasure specc-k4-m2
  did "created pool vmstore-ec"
fi
if [ "$(ceph osd pool get vmstore-ec allow_ec_overwrites | awk '{print $2}')" != "true" ]; then
  ceph osd pool set vmstore-ec allow_ec_overwrites true
  did "allow_ec_overwrites on vmstore-ec"
fi

# --- 3. rbd pool init
log 'step 3: rbd pool init'
if ! ceph osd pool application get vmstore-ec 2>/dev/null | grep '"rbd"' >/dev/null; then
  rbd pool init vmstore-ec
  did "rbd pool init vmstore-ec"
fi

# --- 4. client key client.cs-ec (stored root-only in /etc/specc/ceph-cs-ec.key, never printed)
log 'step 4: client key client.cs-ec (stored root-only in /etc/specc/ceph-cs-ec.key, never printed)'
osd_caps='profile rbd pool=vmstore-ec'
if ! ceph auth get client.cs-ec >/dev/null 2>&1; then
  ceph auth get-or-create client.cs-ec mon 'profile rbd' osd "$osd_caps" >/dev/null
  did "created client.cs-ec"
fi
# only the caps lines are kept: the key itself never reaches a variable or the output
caps=$(ceph auth get client.cs-ec 2>/dev/null | grep -E '^[[:space:]]*caps' |
  sed 's/^[[:space:]]*//' || true)
if ! grep -qxF "caps mon = \"profile rbd\"" <<< "$caps" ||
  ! grep -qxF "caps osd = \"$osd_caps\"" <<< "$caps"; then
  ceph auth caps client.cs-ec mon 'profile rbd' osd "$osd_caps"
  did "caps of client.cs-ec set to the rbd profiles"
fi
keyfile="$ROOT"/etc/specc/ceph-cs-ec.key
mkdir -p "$(dirname "$keyfile")"
if [ ! -s "$keyfile" ] || ! cmp -s <(ceph auth get-key client.cs-ec) "$keyfile"; then
  (umask 077 && ceph auth get-key client.cs-ec > "$keyfile")
  did "key written to /etc/specc/ceph-cs-ec.key (mode 0600)"
fi
chmod 600 "$keyfile"

# --- 5. hand the key to specc
log 'step 5: hand the key to specc'
log 'specc apply reads the key from the file /etc/specc/ceph-cs-ec.key: on the machine that runs it, provide it from /etc/specc/ceph-cs-ec.key (copy the file; never paste the key into a log or a chat)'

# --- 6. verify
log 'step 6: verify'
health=$(ceph health | awk '{print $1}')
case "$health" in
  HEALTH_OK) log "ceph health: HEALTH_OK" ;;
  HEALTH_WARN) log "WARNING: ceph health is HEALTH_WARN (check ceph -s: clock skew?)" ;;
  *) die "ceph health is $health" ;;
esac
rbd ls vmstore-ec >/dev/null || die 'rbd ls vmstore-ec failed'
log "rbd ls vmstore-ec: OK"

log "done: $CHANGED change(s)"
