#!/usr/bin/env bash
# specc host script script:storage-network:ubu-k1
# host: ubu-k1 (10.60.0.31)  role: storage-network  os: ubuntu
# Storage network of ubu-k1: 10.61.0.31/24 on ens4.610 (subnet sfnet).
# The zone carries no Storage traffic: no system VM's NIC joins this network, so the
# address sits on ens4.610 itself.
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

# write_file PATH MODE < content: replace PATH (under $ROOT) only if it differs.
write_file() {
  local dest="$ROOT$1" mode="$2" tmp
  tmp=$(mktemp)
  cat > "$tmp"
  if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then
    rm -f "$tmp"
    return 0
  fi
  mkdir -p "$(dirname "$dest")"
  install -m "$mode" "$tmp" "$dest"
  rm -f "$tmp"
  did "wrote $1"
}

# --- 1. persistent configuration of ens4.610
log 'step 1: persistent configuration of ens4.610'
write_file /etc/netplan/60-specc-storage.yaml 0600 <<'EOF'
network:
  version: 2
  ethernets:
    ens4: {}
  vlans:
    ens4.610:
      id: 610
      link: ens4
      addresses: [10.61.0.31/24]
EOF

# --- 2. 10.61.0.31/24 on ens4.610 now
log 'step 2: 10.61.0.31/24 on ens4.610 now'
if ! ip link show ens4.610 >/dev/null 2>&1; then
  ip link add link ens4 name ens4.610 type vlan id 610
  did "created VLAN interface ens4.610"
fi
if ! ip -o link show ens4 | grep -E 'state UP|,UP' >/dev/null; then
  ip link set ens4 up
  did "ens4 up"
fi
if ! ip -o link show ens4.610 | grep -E 'state UP|,UP' >/dev/null; then
  ip link set ens4.610 up
  did "ens4.610 up"
fi
if ! ip -o -4 addr show dev ens4.610 | grep -F ' 10.61.0.31/24 ' >/dev/null; then
  ip addr add 10.61.0.31/24 dev ens4.610
  did "10.61.0.31/24 on ens4.610"
fi

# --- 3. reachability of the storage addresses
log 'step 3: reachability of the storage addresses'
failed=0
if ping -c 1 -W 2 10.61.0.50 >/dev/null 2>&1; then log '10.61.0.50: reachable'; else log '10.61.0.50: NOT reachable'; failed=1; fi
[ "$failed" -eq 0 ] || die "storage addresses unreachable from ens4.610"

log "done: $CHANGED change(s)"
