#!/usr/bin/env bash
# specc host script script:kvm-iscsi-initiator:kvm-sf1
# host: kvm-sf1 (10.50.0.11)  role: kvm-iscsi-initiator  os: el9
# iSCSI initiator on KVM host kvm-sf1 for sf1.
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

pkg_installed() { rpm -q "$1" >/dev/null 2>&1; }
pkg_install() { dnf install -y "$@" < /dev/null; }
pkg_version() { rpm -q --qf '%{VERSION}' "$1"; }

# ensure_pkgs PKG...: install the packages that are missing.
ensure_pkgs() {
  local p missing=()
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    pkg_install "${missing[@]}"
    did "installed ${missing[*]}"
  fi
}

# --- 1. initiator package
log 'step 1: initiator package'
ensure_pkgs iscsi-initiator-utils

# --- 2. iscsid enabled and running
log 'step 2: iscsid enabled and running'
if ! systemctl is-enabled --quiet iscsid; then
  systemctl enable iscsid
  did "enabled iscsid"
fi
if ! systemctl is-active --quiet iscsid; then
  systemctl start iscsid
  did "started iscsid"
fi

# --- 3. report the IQN
log 'step 3: report the IQN'
[ -r "$ROOT/etc/iscsi/initiatorname.iscsi" ] || die "/etc/iscsi/initiatorname.iscsi is missing (reinstall the initiator package)"
iqn=$(sed -n 's/^InitiatorName=//p' "$ROOT/etc/iscsi/initiatorname.iscsi")
[ -n "$iqn" ] || die "no InitiatorName in /etc/iscsi/initiatorname.iscsi"
log "IQN of kvm-sf1: $iqn (allow it in the storage access group)"

# --- 4. the storage portals answer (an IP on the storage VLAN)
log 'step 4: the storage portals answer (an IP on the storage VLAN)'
ping -c 1 -W 2 10.51.0.40 >/dev/null 2>&1 || die '10.51.0.40 does not answer: give kvm-sf1 an IP on the storage VLAN'
log 'reachable: 10.51.0.40'

# --- 5. verify
log 'step 5: verify'
if sessions=$(iscsiadm -m session 2>/dev/null); then
  log "iSCSI sessions:"
  printf '%s\n' "$sessions"
else
  log "no iSCSI session yet (CloudStack logs in when it attaches a volume)"
fi

log "done: $CHANGED change(s)"
