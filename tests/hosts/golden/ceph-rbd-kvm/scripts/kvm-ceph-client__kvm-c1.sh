#!/usr/bin/env bash
# specc host script script:kvm-ceph-client:kvm-c1
# host: kvm-c1 (10.20.0.11)  role: kvm-ceph-client  os: el8
# KVM host kvm-c1 as RBD client of Ceph backend(s) ceph1.
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

# ini_set PATH SECTION KEY VALUE: set one key in an INI file (ceph.conf),
# keeping every other line; 'rbd cache' and 'rbd_cache' are the same key.
ini_set() {
  local dest="$ROOT$1" tmp
  mkdir -p "$(dirname "$dest")"
  [ -f "$dest" ] || : > "$dest"
  tmp=$(mktemp)
  awk -v sec="$2" -v key="$3" -v val="$4" '
    function norm(s) { gsub(/[ \t_]+/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s); return tolower(s) }
    BEGIN { want = norm(key); insec = 0; done = 0; seen = 0 }
    /^[ \t]*\[/ {
      if (insec && !done) { print key " = " val; done = 1 }
      name = $0; gsub(/^[ \t]*\[|\][ \t]*$/, "", name)
      insec = (name == sec); if (insec) seen = 1
      print; next
    }
    insec && !done && index($0, "=") > 0 {
      k = substr($0, 1, index($0, "=") - 1)
      if (norm(k) == want) { print key " = " val; done = 1; next }
    }
    { print }
    END {
      if (insec && !done) { print key " = " val; done = 1 }
      if (!seen) { print ""; print "[" sec "]"; print key " = " val }
    }' "$dest" > "$tmp"
  if cmp -s "$tmp" "$dest"; then
    rm -f "$tmp"
  else
    cat "$tmp" > "$dest"
    rm -f "$tmp"
    did "set [$2] $3 = $4 in $1"
  fi
}

# version_ge A B: true when version A >= version B.
version_ge() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
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

# --- 1. ceph-common, librbd and libvirt's RBD storage driver
log 'step 1: ceph-common, librbd and libvirt'"'"'s RBD storage driver'
ensure_pkgs ceph-common librbd1 libvirt-daemon-driver-storage-rbd

# --- 2. librbd at least luminous (12.2.0)
log 'step 2: librbd at least luminous (12.2.0)'
have=$(pkg_version librbd1)
version_ge "$have" 12.2.0 || die "librbd1 $have is older than 12.2.0 (luminous, the cluster's minimum client release): add the Ceph repository of that release (download.ceph.com) and upgrade ceph-common librbd1"
log "librbd1 $have >= 12.2.0"

# --- 3. ceph.conf for ceph1 (merged, other settings kept)
log 'step 3: ceph.conf for ceph1 (merged, other settings kept)'
ini_set /etc/ceph/ceph.conf global 'mon host' 10.21.0.31,10.21.0.32,10.21.0.33
ini_set /etc/ceph/ceph.conf client 'rbd cache' true
ini_set /etc/ceph/ceph.conf client 'rbd cache writethrough until flush' true
ini_set /etc/ceph/ceph.conf client 'rbd cache size' 33554432

# --- 4. verify
log 'step 4: verify'
virsh pool-list --all >/dev/null || die 'libvirt does not answer (virsh pool-list)'
log "libvirt answers; CloudStack defines the RBD pool when the storage pool is added"

log "done: $CHANGED change(s)"
