#!/usr/bin/env bash
# specc host script script:storage-network:kvm-s2
# host: kvm-s2 (10.30.0.12)  role: storage-network  os: el9
# Storage network of kvm-s2: 10.31.0.12/24 on eth1.310 (subnet storage).
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

# --- 1. persistent configuration of eth1.310
log 'step 1: persistent configuration of eth1.310'
before=$CHANGED
write_file /etc/sysconfig/network-scripts/ifcfg-eth1.310 0644 <<'EOF'
DEVICE=eth1.310
BOOTPROTO=none
ONBOOT=yes
IPADDR=10.31.0.12
PREFIX=24
VLAN=yes
DEFROUTE=no
EOF
# NetworkManager reads ifcfg files on reload
if [ "$CHANGED" -ne "$before" ] && command -v nmcli >/dev/null; then
  nmcli connection reload
fi

# --- 2. 10.31.0.12/24 on eth1.310 now
log 'step 2: 10.31.0.12/24 on eth1.310 now'
if ! ip link show eth1.310 >/dev/null 2>&1; then
  ip link add link eth1 name eth1.310 type vlan id 310
  did "created VLAN interface eth1.310"
fi
if ! ip -o link show eth1.310 | grep -E 'state UP|,UP' >/dev/null; then
  ip link set eth1.310 up
  did "eth1.310 up"
fi
if ! ip -o -4 addr show dev eth1.310 | grep -F ' 10.31.0.12/24 ' >/dev/null; then
  ip addr add 10.31.0.12/24 dev eth1.310
  did "10.31.0.12/24 on eth1.310"
fi

# --- 3. reachability of the storage addresses
log 'step 3: reachability of the storage addresses'
failed=0
if ping -c 1 -W 2 10.31.0.50 >/dev/null 2>&1; then log '10.31.0.50: reachable'; else log '10.31.0.50: NOT reachable'; failed=1; fi
[ "$failed" -eq 0 ] || die "storage addresses unreachable from eth1.310"

log "done: $CHANGED change(s)"
