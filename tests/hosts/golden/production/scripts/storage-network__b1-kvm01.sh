#!/usr/bin/env bash
# specc host script script:storage-network:b1-kvm01
# host: b1-kvm01 (10.110.0.11)  role: storage-network  os: debian
# Storage network of b1-kvm01: 10.111.0.11/24 on eth1.111 (subnet b-storage).
# The zone carries no Storage traffic: no system VM's NIC joins this network, so the
# address sits on eth1.111 itself.
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

# --- 1. persistent configuration of eth1.111
log 'step 1: persistent configuration of eth1.111'
write_file /etc/network/interfaces.d/specc-storage-eth1.111 0644 <<'EOF'
auto eth1.111
iface eth1.111 inet static
    address 10.111.0.11
    netmask 255.255.255.0
    vlan-raw-device eth1
EOF

# --- 2. 10.111.0.11/24 on eth1.111 now
log 'step 2: 10.111.0.11/24 on eth1.111 now'
if ! ip link show eth1.111 >/dev/null 2>&1; then
  ip link add link eth1 name eth1.111 type vlan id 111
  did "created VLAN interface eth1.111"
fi
if ! ip -o link show eth1 | grep -E 'state UP|,UP' >/dev/null; then
  ip link set eth1 up
  did "eth1 up"
fi
if ! ip -o link show eth1.111 | grep -E 'state UP|,UP' >/dev/null; then
  ip link set eth1.111 up
  did "eth1.111 up"
fi
if ! ip -o -4 addr show dev eth1.111 | grep -F ' 10.111.0.11/24 ' >/dev/null; then
  ip addr add 10.111.0.11/24 dev eth1.111
  did "10.111.0.11/24 on eth1.111"
fi

# --- 3. reachability of the storage addresses
log 'step 3: reachability of the storage addresses'
failed=0
if ping -c 1 -W 2 10.111.0.20 >/dev/null 2>&1; then log '10.111.0.20: reachable'; else log '10.111.0.20: NOT reachable'; failed=1; fi
[ "$failed" -eq 0 ] || die "storage addresses unreachable from eth1.111"

log "done: $CHANGED change(s)"
