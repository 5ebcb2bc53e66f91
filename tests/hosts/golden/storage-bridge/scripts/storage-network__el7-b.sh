#!/usr/bin/env bash
# specc host script script:storage-network:el7-b
# host: el7-b (10.64.0.11)  role: storage-network  os: el7
# Storage network of el7-b: 10.65.0.11/24 on bridge cloudbr2, port eth1.40 (subnet st).
# cloudbr2 is the zone's Storage traffic label: it carries the storage network on its
# port eth1.40 (VLAN 40), and the host's address sits on the bridge. CloudStack
# 4.22.1: from 4.20.2 it tags the NIC itself, on its own bridge br<nic>-<vlan>, when
# the storage IP range has a VLAN (BridgeVifDriver.createStorageVnetBridgeIfNeeded);
# that would take eth1.40 from cloudbr2, so the range stays untagged (rule SPC389).
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

# --- 1. persistent configuration of cloudbr2 on eth1.40
log 'step 1: persistent configuration of cloudbr2 on eth1.40'
write_file /etc/sysconfig/network-scripts/ifcfg-cloudbr2 0644 <<'EOF'
DEVICE=cloudbr2
TYPE=Bridge
BOOTPROTO=none
ONBOOT=yes
IPADDR=10.65.0.11
PREFIX=24
DEFROUTE=no
STP=no
DELAY=0
EOF
write_file /etc/sysconfig/network-scripts/ifcfg-eth1.40 0644 <<'EOF'
DEVICE=eth1.40
BOOTPROTO=none
ONBOOT=yes
VLAN=yes
BRIDGE=cloudbr2
EOF

# --- 2. 10.65.0.11/24 on cloudbr2 now
log 'step 2: 10.65.0.11/24 on cloudbr2 now'
if ! ip link show cloudbr2 >/dev/null 2>&1; then
  ip link add name cloudbr2 type bridge
  did "created bridge cloudbr2"
fi
if ! ip link show eth1.40 >/dev/null 2>&1; then
  ip link add link eth1 name eth1.40 type vlan id 40
  did "created VLAN interface eth1.40"
fi
master=$(ip -o link show eth1.40 | sed -n 's/.* master \([^ ]*\) .*/\1/p')
if [ -n "$master" ] && [ "$master" != cloudbr2 ]; then
  die "eth1.40 is a port of bridge $master: it cannot carry cloudbr2 too"
fi
others=$(ip -o -4 addr show dev eth1.40 | awk '{print $4}' | grep -vxF 10.65.0.11/24 || true)
if [ -n "$others" ]; then
  die "eth1.40 carries other addresses ($others): a port of cloudbr2 cannot keep them; move them first"
fi
if [ -z "$master" ]; then
  ip link set eth1.40 master cloudbr2
  did "eth1.40 is a port of cloudbr2"
fi
if ! ip -o link show eth1 | grep -E 'state UP|,UP' >/dev/null; then
  ip link set eth1 up
  did "eth1 up"
fi
if ! ip -o link show eth1.40 | grep -E 'state UP|,UP' >/dev/null; then
  ip link set eth1.40 up
  did "eth1.40 up"
fi
if ! ip -o link show cloudbr2 | grep -E 'state UP|,UP' >/dev/null; then
  ip link set cloudbr2 up
  did "cloudbr2 up"
fi
if ! ip -o -4 addr show dev cloudbr2 | grep -F ' 10.65.0.11/24 ' >/dev/null; then
  ip addr add 10.65.0.11/24 dev cloudbr2
  did "10.65.0.11/24 on cloudbr2"
fi
# an address on a bridge port stops answering: take it off the port
if ip -o -4 addr show dev eth1.40 | grep -F ' 10.65.0.11/24 ' >/dev/null; then
  ip addr del 10.65.0.11/24 dev eth1.40
  did "10.65.0.11/24 moved from eth1.40 to cloudbr2"
fi

# --- 3. reachability of the storage addresses
log 'step 3: reachability of the storage addresses'
failed=0
if ping -c 1 -W 2 10.65.0.20 >/dev/null 2>&1; then log '10.65.0.20: reachable'; else log '10.65.0.20: NOT reachable'; failed=1; fi
[ "$failed" -eq 0 ] || die "storage addresses unreachable from cloudbr2"

log "done: $CHANGED change(s)"
