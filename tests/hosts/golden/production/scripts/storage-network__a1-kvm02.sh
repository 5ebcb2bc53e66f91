#!/usr/bin/env bash
# specc host script script:storage-network:a1-kvm02
# host: a1-kvm02 (10.100.0.12)  role: storage-network  os: el9
# Storage network of a1-kvm02: 10.101.0.12/22 on bridge cloudbr2, port bond0.101 (subnet a-storage).
# cloudbr2 is the zone's Storage traffic label: it carries the storage network on its
# port bond0.101 (VLAN 101), and the host's address sits on the bridge. CloudStack
# 4.19.1: up to 4.20.1 the KVM agent plugs each system VM's storage NIC into cloudbr2
# untagged and ignores the VLAN of the storage IP range (apache/cloudstack#7816).
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

# --- 1. persistent configuration of cloudbr2 on bond0.101
log 'step 1: persistent configuration of cloudbr2 on bond0.101'
before=$CHANGED
write_file /etc/sysconfig/network-scripts/ifcfg-cloudbr2 0644 <<'EOF'
DEVICE=cloudbr2
TYPE=Bridge
BOOTPROTO=none
ONBOOT=yes
IPADDR=10.101.0.12
PREFIX=22
DEFROUTE=no
STP=no
DELAY=0
EOF
write_file /etc/sysconfig/network-scripts/ifcfg-bond0.101 0644 <<'EOF'
DEVICE=bond0.101
BOOTPROTO=none
ONBOOT=yes
VLAN=yes
BRIDGE=cloudbr2
EOF
# NetworkManager reads ifcfg files on reload
if [ "$CHANGED" -ne "$before" ] && command -v nmcli >/dev/null; then
  nmcli connection reload
fi

# --- 2. 10.101.0.12/22 on cloudbr2 now
log 'step 2: 10.101.0.12/22 on cloudbr2 now'
if ! ip link show cloudbr2 >/dev/null 2>&1; then
  ip link add name cloudbr2 type bridge
  did "created bridge cloudbr2"
fi
if ! ip link show bond0.101 >/dev/null 2>&1; then
  ip link add link bond0 name bond0.101 type vlan id 101
  did "created VLAN interface bond0.101"
fi
master=$(ip -o link show bond0.101 | sed -n 's/.* master \([^ ]*\) .*/\1/p')
if [ -n "$master" ] && [ "$master" != cloudbr2 ]; then
  die "bond0.101 is a port of bridge $master: it cannot carry cloudbr2 too"
fi
others=$(ip -o -4 addr show dev bond0.101 | awk '{print $4}' | grep -vxF 10.101.0.12/22 || true)
if [ -n "$others" ]; then
  die "bond0.101 carries other addresses ($others): a port of cloudbr2 cannot keep them; move them first"
fi
if [ -z "$master" ]; then
  ip link set bond0.101 master cloudbr2
  did "bond0.101 is a port of cloudbr2"
fi
if ! ip -o link show bond0 | grep -E 'state UP|,UP' >/dev/null; then
  ip link set bond0 up
  did "bond0 up"
fi
if ! ip -o link show bond0.101 | grep -E 'state UP|,UP' >/dev/null; then
  ip link set bond0.101 up
  did "bond0.101 up"
fi
if ! ip -o link show cloudbr2 | grep -E 'state UP|,UP' >/dev/null; then
  ip link set cloudbr2 up
  did "cloudbr2 up"
fi
if ! ip -o -4 addr show dev cloudbr2 | grep -F ' 10.101.0.12/22 ' >/dev/null; then
  ip addr add 10.101.0.12/22 dev cloudbr2
  did "10.101.0.12/22 on cloudbr2"
fi
# an address on a bridge port stops answering: take it off the port
if ip -o -4 addr show dev bond0.101 | grep -F ' 10.101.0.12/22 ' >/dev/null; then
  ip addr del 10.101.0.12/22 dev bond0.101
  did "10.101.0.12/22 moved from bond0.101 to cloudbr2"
fi

# --- 3. reachability of the storage addresses
log 'step 3: reachability of the storage addresses'
failed=0
if ping -c 1 -W 2 10.101.0.20 >/dev/null 2>&1; then log '10.101.0.20: reachable'; else log '10.101.0.20: NOT reachable'; failed=1; fi
if ping -c 1 -W 2 10.101.0.31 >/dev/null 2>&1; then log '10.101.0.31: reachable'; else log '10.101.0.31: NOT reachable'; failed=1; fi
if ping -c 1 -W 2 10.101.0.32 >/dev/null 2>&1; then log '10.101.0.32: reachable'; else log '10.101.0.32: NOT reachable'; failed=1; fi
if ping -c 1 -W 2 10.101.0.33 >/dev/null 2>&1; then log '10.101.0.33: reachable'; else log '10.101.0.33: NOT reachable'; failed=1; fi
if ping -c 1 -W 2 10.101.0.34 >/dev/null 2>&1; then log '10.101.0.34: reachable'; else log '10.101.0.34: NOT reachable'; failed=1; fi
if ping -c 1 -W 2 10.101.0.35 >/dev/null 2>&1; then log '10.101.0.35: reachable'; else log '10.101.0.35: NOT reachable'; failed=1; fi
if ping -c 1 -W 2 10.101.0.40 >/dev/null 2>&1; then log '10.101.0.40: reachable'; else log '10.101.0.40: NOT reachable'; failed=1; fi
[ "$failed" -eq 0 ] || die "storage addresses unreachable from cloudbr2"

log "done: $CHANGED change(s)"
