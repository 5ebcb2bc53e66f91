#!/usr/bin/env bash
# specc host script script:ocfs2-node:lun7:deb1
# host: deb1 (10.90.0.11)  role: ocfs2-node  os: debian
# OCFS2 cluster deb (lun7): member deb1 (node deb1.san.example), /dev/mapper/lun7 on /san/lun7.
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

# line_in_file PATH LINE: append LINE to PATH (under $ROOT) unless present.
line_in_file() {
  local dest="$ROOT$1"
  mkdir -p "$(dirname "$dest")"
  [ -f "$dest" ] || : > "$dest"
  grep -qxF -- "$2" "$dest" && return 0
  printf '%s\n' "$2" >> "$dest"
  did "added to $1: $2"
}

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null |
    grep 'install ok installed' >/dev/null
}
pkg_install() { DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" < /dev/null; }
pkg_version() { dpkg-query -W -f='${Version}' "$1" | sed -e 's/^[0-9]*://' -e 's/-.*//'; }

# ensure_pkgs PKG...: install the packages that are missing.
ensure_pkgs() {
  local p missing=()
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    pkg_install "${missing[@]}"
    did "installed ${missing[*]}"
  fi
}

# --- 1. this host is node deb1.san.example (o2cb matches cluster.conf to the host name)
log 'step 1: this host is node deb1.san.example (o2cb matches cluster.conf to the host name)'
host=$(uname -n)
node=deb1.san.example
case "${host,,}" in
  "${node,,}"|"${node,,}".*) log "this host ($host) is node $node" ;;
  *) die "this host is called $host (uname -n; hostname -s: ${host%%.*}), but cluster.conf names it $node: o2cb finds its own node by the host name and would not find it. Set the host name to deb1.san.example (hostnamectl set-hostname deb1.san.example), or set hostname: to this host's name on host deb1 in the spec." ;;
esac

# --- 2. ocfs2-tools and the ocfs2 kernel module (el: a repository with ocfs2-tools and a kernel with OCFS2, e.g. Oracle's UEK)
log 'step 2: ocfs2-tools and the ocfs2 kernel module (el: a repository with ocfs2-tools and a kernel with OCFS2, e.g. Oracle'"'"'s UEK)'
ensure_pkgs ocfs2-tools
if ! lsmod | awk '{print $1}' | grep -x ocfs2 >/dev/null; then
  modprobe ocfs2
  did "loaded the ocfs2 module"
fi
write_file /etc/modules-load.d/ocfs2.conf 0644 <<'EOF'
ocfs2
EOF

# --- 3. /etc/ocfs2/cluster.conf (2 nodes)
log 'step 3: /etc/ocfs2/cluster.conf (2 nodes)'
write_file /etc/ocfs2/cluster.conf 0644 <<'EOF'
node:
	ip_port = 7777
	ip_address = 10.91.0.11
	number = 0
	name = deb1.san.example
	cluster = deb

node:
	ip_port = 7777
	ip_address = 10.91.0.12
	number = 1
	name = ubu2
	cluster = deb

cluster:
	node_count = 2
	name = deb
EOF

# --- 4. o2cb configuration and service
log 'step 4: o2cb configuration and service'
o2cb_conf=/etc/default/o2cb
write_file "$o2cb_conf" 0644 <<'EOF'
O2CB_ENABLED=true
O2CB_STACK=o2cb
O2CB_HEARTBEAT_THRESHOLD=31
O2CB_IDLE_TIMEOUT_MS=30000
O2CB_KEEPALIVE_DELAY_MS=2000
O2CB_RECONNECT_DELAY_MS=2000
O2CB_BOOTCLUSTER=deb
EOF
if ! systemctl is-enabled --quiet o2cb; then
  systemctl enable o2cb
  did "enabled o2cb"
fi
if ! systemctl is-active --quiet o2cb; then
  systemctl start o2cb
  did "started o2cb"
fi
if ! o2cb cluster-status deb >/dev/null 2>&1; then
  o2cb register-cluster deb
  did "cluster deb online"
fi

# --- 5. firewall: 7777/tcp and 7777/udp
log 'step 5: firewall: 7777/tcp and 7777/udp'
if systemctl is-active --quiet firewalld; then
  for proto in tcp udp; do
    if ! firewall-cmd --permanent --query-port="7777/$proto" >/dev/null; then
      firewall-cmd --permanent --add-port="7777/$proto" >/dev/null
      did "firewalld: 7777/$proto (permanent)"
    fi
    if ! firewall-cmd --query-port="7777/$proto" >/dev/null; then
      firewall-cmd --add-port="7777/$proto" >/dev/null
      did "firewalld: 7777/$proto"
    fi
  done
else
  for proto in tcp udp; do
    if ! iptables -C INPUT -p "$proto" --dport 7777 -j ACCEPT 2>/dev/null; then
      iptables -I INPUT -p "$proto" --dport 7777 -j ACCEPT
      did "iptables: 7777/$proto (save the rules to keep them after a reboot)"
    fi
  done
fi

# --- 6. /dev/mapper/lun7 formatted by ubu2
log 'step 6: /dev/mapper/lun7 formatted by ubu2'
[ "$(blkid -o value -s TYPE /dev/mapper/lun7 2>/dev/null || true)" = ocfs2 ] || die "/dev/mapper/lun7 is not OCFS2 yet: run the ocfs2-node script on ubu2 first"

# --- 7. fstab and mount on /san/lun7, mounted again at boot by the ocfs2 service
log 'step 7: fstab and mount on /san/lun7, mounted again at boot by the ocfs2 service'
if [ ! -d "$ROOT"/san/lun7 ]; then
  mkdir -p "$ROOT"/san/lun7
  did "created /san/lun7"
fi
if awk -v mp=/san/lun7 '$2 == mp' "$ROOT/etc/fstab" 2>/dev/null |
  grep -vxF '/dev/mapper/lun7 /san/lun7 ocfs2 _netdev,defaults 0 0' >/dev/null; then
  die "/etc/fstab already mounts something else on /san/lun7"
fi
line_in_file /etc/fstab '/dev/mapper/lun7 /san/lun7 ocfs2 _netdev,defaults 0 0'
if ! mountpoint -q "$ROOT"/san/lun7; then
  mount -t ocfs2 -o _netdev /dev/mapper/lun7 "$ROOT"/san/lun7
  did "mounted /san/lun7"
fi
# ocfs2.service runs `mount -at ocfs2` after o2cb.service at boot
if ! systemctl is-enabled --quiet ocfs2; then
  systemctl enable ocfs2
  did "enabled ocfs2 (mounts the OCFS2 lines of /etc/fstab at boot)"
fi

# --- 8. verify
log 'step 8: verify'
mounted.ocfs2 -f /dev/mapper/lun7
mountpoint -q "$ROOT"/san/lun7 || die "/san/lun7 is not mounted"
log "/san/lun7: OCFS2 mounted"

log "done: $CHANGED change(s)"
