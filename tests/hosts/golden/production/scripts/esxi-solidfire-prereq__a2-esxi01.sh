#!/usr/bin/env bash
# specc host script script:esxi-solidfire-prereq:a2-esxi01
# host: a2-esxi01 (10.100.0.31)  role: esxi-solidfire-prereq  os: detected at run time
# VMware host a2-esxi01: SolidFire host prerequisites (SVIP 10.101.0.40).
# Run it on a workstation: it checks the ESXi host over ssh (ESXi has no bash).
# Steps that cannot be scripted are printed as instructions; the script fails
# until they are done.
# Idempotent: every step checks before it acts; safe to rerun.
# SPECC_ROOT (default empty) prefixes every path the script writes.
# Commands that could prompt read /dev/null: `ssh HOST bash -s < FILE` is safe.
set -euo pipefail

CHANGED=0

log() { printf '[specc] %s\n' "$*"; }

die() { log "ERROR: $*" >&2; exit 1; }

# --- 1. host prerequisites
log 'step 1: host prerequisites'
missing=0
esx() { ssh -n -o BatchMode=yes -o ConnectTimeout=10 root@10.100.0.31 "$@"; }
if ! esx esxcli --version >/dev/null 2>&1; then
  log 'cannot run esxcli on 10.100.0.31 over ssh (enable SSH on the host); do by hand: Enable the software iSCSI adapter (esxcli iscsi software set --enabled=true), create a VMkernel port on a vSwitch port group in VLAN 101 with an IP in the SVIP subnet, and bind it to the software iSCSI adapter (esxcli iscsi networkportal add -A vmhbaNN -n vmkN).'
  exit 1
fi
if [ "$(esx esxcli iscsi software get)" != true ]; then
  log 'the software iSCSI adapter is disabled'
  missing=1
fi
if [ -z "$(esx esxcli iscsi networkportal list 2>/dev/null)" ]; then
  log 'no VMkernel port is bound to the software iSCSI adapter'
  missing=1
fi
if ! esx vmkping -c 1 10.101.0.40 >/dev/null 2>&1; then
  log 'SVIP 10.101.0.40 does not answer from a VMkernel port'
  missing=1
fi
[ "$missing" -eq 0 ] || die 'to do by hand: Enable the software iSCSI adapter (esxcli iscsi software set --enabled=true), create a VMkernel port on a vSwitch port group in VLAN 101 with an IP in the SVIP subnet, and bind it to the software iSCSI adapter (esxcli iscsi networkportal add -A vmhbaNN -n vmkN).'
log 'ESXi iSCSI prerequisites: OK'

log "done: $CHANGED change(s)"
