#!/usr/bin/env bash
# specc host script script:kvm-powerflex-sdc:kvm-pf2
# host: kvm-pf2 (10.60.0.12)  role: kvm-powerflex-sdc  os: el8
# KVM host kvm-pf2 as PowerFlex SDC of pflex1: the SDC, scini and its driver, the MDMs.
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

# --- 1. the SDC home (agent.properties, as the agent reads it)
log 'step 1: the SDC home (agent.properties, as the agent reads it)'
SDC_HOME=$(sed -n 's/^powerflex[.]sdc[.]home[.]dir=//p' "$ROOT"/etc/cloudstack/agent/agent.properties 2>/dev/null | tail -n 1 || true)
SDC_HOME="${SDC_HOME:-/opt/emc/scaleio/sdc}"
log "SDC home: $SDC_HOME"

# --- 2. the SDC: drv_cfg and the scini service
log 'step 2: the SDC: drv_cfg and the scini service'
PATH="$SDC_HOME/bin:$PATH"
# the package's install scriptlet reads the MDMs from MDM_IP
export MDM_IP=10.61.0.21,10.61.0.22,10.61.0.23
ensure_pkgs EMC-ScaleIO-sdc
unset MDM_IP
command -v drv_cfg >/dev/null || die "drv_cfg is not in $SDC_HOME/bin: install Dell's PowerFlex SDC package (MDM_IP=<mdms> rpm -i EMC-ScaleIO-sdc-*.rpm), or set sdc_home"
rc=0
systemctl status scini >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 4 ] || die "the scini service is not installed (SDC service not installed on host): reinstall the SDC package"

# --- 3. scini enabled and running
log 'step 3: scini enabled and running'
if ! systemctl is-enabled --quiet scini; then
  systemctl enable scini
  did "enabled scini"
fi
if ! systemctl is-active --quiet scini; then
  systemctl start scini
  did "started scini"
fi

# --- 4. the scini kernel driver loaded
log 'step 4: the scini kernel driver loaded'
scini_loaded() { lsmod | awk '$1 == "scini" { found = 1 } END { exit !found }'; }
if ! scini_loaded; then
  systemctl restart scini
  did "restarted scini: its kernel driver was not loaded"
  scini_loaded || die "the scini driver does not load (no SDC driver for kernel $(uname -r)?): see systemctl status scini"
fi
log "scini driver loaded"

# --- 5. the MDMs of pflex1 (10.61.0.21, 10.61.0.22, 10.61.0.23)
log 'step 5: the MDMs of pflex1 (10.61.0.21, 10.61.0.22, 10.61.0.23)'
known=$(drv_cfg --query_mdms | sed -n 's/.*IPs[[:space:]]*//p' |
    grep -oE '\[[0-9]+\]-[^[:space:]]+' | sed 's/^\[[0-9]*\]-//' || true)
missing=()
for ip in 10.61.0.21 10.61.0.22 10.61.0.23; do
  grep -qxF "$ip" <<< "$known" || missing+=("$ip")
done
if [ ${#missing[@]} -gt 0 ]; then
  list=$(IFS=,; printf '%s' "${missing[*]}")
  drv_cfg --add_mdm --ip "$list" --file /etc/emc/scaleio/drv_cfg.txt
  did "added MDM(s) $list of pflex1"
  known=$(drv_cfg --query_mdms | sed -n 's/.*IPs[[:space:]]*//p' |
    grep -oE '\[[0-9]+\]-[^[:space:]]+' | sed 's/^\[[0-9]*\]-//' || true)
  for ip in 10.61.0.21 10.61.0.22 10.61.0.23; do
    grep -qxF "$ip" <<< "$known" || die "the SDC does not list MDM $ip after drv_cfg --add_mdm"
  done
fi
log "the SDC lists the MDMs of pflex1"

# --- 6. verify: the SDC's GUID
log 'step 6: verify: the SDC'"'"'s GUID'
guid=$(drv_cfg --query_guid | tr -d '[:space:]')
uuid='^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$'
[[ "$guid" =~ $uuid ]] || die "drv_cfg --query_guid gave no GUID: the SDC is not configured"
log "SDC GUID of kvm-pf2: $guid (the gateway must list it Connected)"

log "done: $CHANGED change(s)"
