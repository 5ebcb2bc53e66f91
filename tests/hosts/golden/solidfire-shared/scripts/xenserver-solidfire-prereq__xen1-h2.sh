#!/usr/bin/env bash
# specc host script script:xenserver-solidfire-prereq:xen1-h2
# host: xen1-h2 (10.60.0.22)  role: xenserver-solidfire-prereq  os: detected at run time
# XenServer host xen1-h2: SolidFire host prerequisites (SVIP 10.61.0.40).
# Run it in the host's dom0.
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
if ! command -v xe >/dev/null 2>&1; then
  log 'not a XenServer dom0: do by hand: create a network on storage VLAN 610 (xe network-create, xe vlan-create) and give this host'"'"'s PIF on it an IP in the SVIP subnet (xe pif-reconfigure-ip mode=static).'
  exit 1
fi
host_uuid=$(xe host-list address=10.60.0.22 --minimal)
[ -n "$host_uuid" ] || die 'no host with address 10.60.0.22 in this XenServer pool (xe host-list address=...): run this in the dom0 of its pool'
if [ -z "$(xe pif-list VLAN=610 host-uuid="$host_uuid" params=IP --minimal)" ]; then
  log 'no PIF with an IP on storage VLAN 610'
  missing=1
fi
if ! ping -c 1 -W 2 10.61.0.40 >/dev/null 2>&1; then
  log 'SVIP 10.61.0.40 does not answer from dom0'
  missing=1
fi
[ "$missing" -eq 0 ] || die 'to do by hand: create a network on storage VLAN 610 (xe network-create, xe vlan-create) and give this host'"'"'s PIF on it an IP in the SVIP subnet (xe pif-reconfigure-ip mode=static).'
log 'XenServer storage network prerequisites: OK'

log "done: $CHANGED change(s)"
