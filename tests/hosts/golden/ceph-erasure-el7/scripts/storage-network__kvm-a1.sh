#!/usr/bin/env bash
# specc host script script:storage-network:kvm-a1
# host: kvm-a1 (10.80.0.11)  role: storage-network  os: el7
# Storage network of kvm-a1: 10.81.0.11/24 on eth2 (subnet storage).
# The zone carries no Storage traffic: no system VM's NIC joins this network, so the
# address sits on eth2 itself.
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

# --- 1. persistent configuration of eth2
log 'step 1: persistent configuration of eth2'
write_file /etc/sysconfig/network-scripts/ifcfg-eth2 0644 <<'EOF'
DEVICE=eth2
BOOTPROTO=none
ONBOOT=yes
IPADDR=10.81.0.11
PREFIX=24
DEFROUTE=no
EOF

# --- 2. 10.81.0.11/24 on eth2 now
log 'step 2: 10.81.0.11/24 on eth2 now'
if ! ip -o link show eth2 | grep -E 'state UP|,UP' >/dev/null; then
  ip link set eth2 up
  did "eth2 up"
fi
if ! ip -o -4 addr show dev eth2 | grep -F ' 10.81.0.11/24 ' >/dev/null; then
  ip addr add 10.81.0.11/24 dev eth2
  did "10.81.0.11/24 on eth2"
fi

# --- 3. reachability of the storage addresses
log 'step 3: reachability of the storage addresses'
failed=0
if ping -c 1 -W 2 10.81.0.5 >/dev/null 2>&1; then log '10.81.0.5: reachable'; else log '10.81.0.5: NOT reachable'; failed=1; fi
if ping -c 1 -W 2 10.81.0.6 >/dev/null 2>&1; then log '10.81.0.6: reachable'; else log '10.81.0.6: NOT reachable'; failed=1; fi
if ping -c 1 -W 2 10.81.0.7 >/dev/null 2>&1; then log '10.81.0.7: reachable'; else log '10.81.0.7: NOT reachable'; failed=1; fi
[ "$failed" -eq 0 ] || die "storage addresses unreachable from eth2"

log "done: $CHANGED change(s)"
