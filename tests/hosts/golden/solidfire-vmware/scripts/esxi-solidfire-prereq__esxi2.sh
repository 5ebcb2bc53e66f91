#!/usr/bin/env bash
# specc host script script:esxi-solidfire-prereq:esxi2
# host: esxi2 (10.30.0.12)  role: esxi-solidfire-prereq  os: detected at run time
# VMware host esxi2: SolidFire host prerequisites (SVIP 10.31.0.40).
# Run it on the host (ESXi shell); steps that cannot be
# scripted are printed as instructions and make the script fail until done.
# Idempotent: every step checks before it acts; safe to rerun.
# SPECC_ROOT (default empty) prefixes every path the script writes.
set -euo pipefail

CHANGED=0

log() { printf '[specc] %s\n' "$*"; }

die() { log "ERROR: $*" >&2; exit 1; }

# --- 1. host prerequisites
log 'step 1: host prerequisites'
missing=0
if ! command -v esxcli >/dev/null 2>&1; then
  log 'not an ESXi shell: do by hand: Enable the software iSCSI adapter (esxcli iscsi software set --enabled=true), create a VMkernel port on a vSwitch port group in VLAN 310 with an IP in the SVIP subnet, and bind it to the software iSCSI adapter (esxcli iscsi networkportal add -A vmhbaNN -n vmkN).'
  exit 1
fi
if [ "$(esxcli iscsi software get)" != true ]; then
  log 'the software iSCSI adapter is disabled'
  missing=1
fi
if [ -z "$(esxcli iscsi networkportal list 2>/dev/null)" ]; then
  log 'no VMkernel port is bound to the software iSCSI adapter'
  missing=1
fi
[ "$missing" -eq 0 ] || die 'to do by hand: Enable the software iSCSI adapter (esxcli iscsi software set --enabled=true), create a VMkernel port on a vSwitch port group in VLAN 310 with an IP in the SVIP subnet, and bind it to the software iSCSI adapter (esxcli iscsi networkportal add -A vmhbaNN -n vmkN).'
log 'ESXi iSCSI prerequisites: OK'

log "done: $CHANGED change(s)"
