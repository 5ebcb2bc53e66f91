#!/usr/bin/env bash
# specc host script script:storage-network:ubu2
# host: ubu2 (10.90.0.12)  role: storage-network  os: ubuntu
# Storage network of ubu2: 10.91.0.12/24 on eth1.300 (subnet san).
# The zone carries no Storage traffic: no system VM's NIC joins this network, so the
# address sits on eth1.300 itself.
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

# --- 1. persistent configuration of eth1.300
log 'step 1: persistent configuration of eth1.300'
write_file /etc/netplan/60-specc-storage.yaml 0600 <<'EOF'
network:
  version: 2
  ethernets:
    eth1: {}
  vlans:
    eth1.300:
      id: 300
      link: eth1
      addresses: [10.91.0.12/24]
EOF

# --- 2. 10.91.0.12/24 on eth1.300 now
log 'step 2: 10.91.0.12/24 on eth1.300 now'
if ! ip link show eth1.300 >/dev/null 2>&1; then
  ip link add link eth1 name eth1.300 type vlan id 300
  did "created VLAN interface eth1.300"
fi
if ! ip -o link show eth1 | grep -E 'state UP|,UP' >/dev/null; then
  ip link set eth1 up
  did "eth1 up"
fi
if ! ip -o link show eth1.300 | grep -E 'state UP|,UP' >/dev/null; then
  ip link set eth1.300 up
  did "eth1.300 up"
fi
if ! ip -o -4 addr show dev eth1.300 | grep -F ' 10.91.0.12/24 ' >/dev/null; then
  ip addr add 10.91.0.12/24 dev eth1.300
  did "10.91.0.12/24 on eth1.300"
fi

log "done: $CHANGED change(s)"
