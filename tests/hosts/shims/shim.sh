#!/usr/bin/env bash
# Sandbox stand-in for the system commands the host scripts call.
#
# The test links every shimmed command name to this file in a bin directory put
# first on PATH. Each call is logged to $SHIM_LOG as "R <argv>" (reads state) or
# "M <argv>" (changes state). State lives in files: $SHIM_STATE for this host
# (packages, services, modules, firewall, links, mounts) and $SHIM_SHARED for what
# hosts share (the Ceph cluster, the SAN LUNs). Commands that may prompt (package
# managers, mkfs.ocfs2, ssh without -n) read all of stdin, as a prompt would: a
# script fed to `bash -s` must keep them off its own stdin.
#
# Plug-ins: a command only one storage backend's scripts call (its vendor CLI) is
# not shimmed here but by its own executable file shims/commands/<command>, which
# the sandbox links under that name and which logs and keeps state as this file
# does. A service whose start loads kernel modules names them, one per line, in
# shims/units/<unit>: `systemctl start|restart <unit>` then loads them (lsmod and
# modprobe see them).
set -euo pipefail
cmd=$(basename "$0")
S=${SHIM_STATE:?}
SH=${SHIM_SHARED:?}
mkdir -p "$S" "$SH"
read_() { printf 'R %s %s\n' "$cmd" "$*" >> "$SHIM_LOG"; }
mut() { printf 'M %s %s\n' "$cmd" "$*" >> "$SHIM_LOG"; }
key() { printf '%s' "$1" | tr '/ ' '__'; }
has() { [ -e "$1" ]; }
touchf() { mkdir -p "$(dirname "$1")"; printf '%s' "${2:-}" > "$1"; }
PKGV=${SHIM_PKG_VERSION:-17.2.6}

case "$cmd" in
  rpm)
    read_ "$@"
    if [ "$1" = -q ] && [ "${2:-}" = --qf ]; then
      has "$S/pkgs/$4" || { echo "package $4 is not installed"; exit 1; }
      cat "$S/pkgs/$4"; exit 0
    fi
    has "$S/pkgs/$2" || exit 1 ;;
  dpkg-query)
    read_ "$@"
    fmt=${2#-f=}; pkg=${3:-}
    has "$S/pkgs/$pkg" || exit 1
    case "$fmt" in
      *Status*) printf 'install ok installed' ;;
      *Version*) printf '2:%s-1' "$(cat "$S/pkgs/$pkg")" ;;
    esac ;;
  yum|dnf|apt-get)
    mut "$@"
    cat > /dev/null  # like a prompt: reads whatever stdin holds
    for a in "$@"; do
      case "$a" in install|-y|-q) ;; *) touchf "$S/pkgs/$a" "$PKGV" ;; esac
      # what the initiator packages' post-install does: generate the host's IQN
      case "$a" in iscsi-initiator-utils|open-iscsi)
        touchf "${SPECC_ROOT:?}/etc/iscsi/initiatorname.iscsi" \
          "InitiatorName=iqn.1994-05.com.redhat:$(basename "$(dirname "$S")")
" ;;
      esac
    done ;;
  systemctl)
    verb=$1; shift
    [ "${1:-}" = --quiet ] && shift
    unit=$1
    case "$verb" in
      is-enabled) read_ "$verb" "$unit"; has "$S/enabled/$unit" ;;
      is-active) read_ "$verb" "$unit"; has "$S/active/$unit" ;;
      enable) mut "$verb" "$unit"; touchf "$S/enabled/$unit" ;;
      start|restart) mut "$verb" "$unit"; touchf "$S/active/$unit"
        units="$(dirname "$(readlink -f "$0")")/units"
        if [ -f "$units/$unit" ]; then
          while read -r m; do [ -z "$m" ] || touchf "$S/modules/$m"; done < "$units/$unit"
        fi ;;
      *) read_ "$verb" "$unit" ;;
    esac ;;
  firewall-cmd)
    perm=runtime; op=""; port=""
    for a in "$@"; do
      case "$a" in
        --permanent) perm=permanent ;;
        --query-port=*) op=query; port=${a#*=} ;;
        --add-port=*) op=add; port=${a#*=} ;;
      esac
    done
    f="$S/firewalld/$perm/$(key "$port")"
    if [ "$op" = add ]; then mut "$@"; touchf "$f"; echo success
    else read_ "$@"; if has "$f"; then echo yes; else echo no; exit 1; fi; fi ;;
  iptables)
    rule=$(key "$*" | sed 's/^-[CI]_INPUT/INPUT/')
    case "$1" in
      -C) read_ "$@"; has "$S/iptables/$rule" ;;
      -I|-A) mut "$@"; touchf "$S/iptables/$rule" ;;
      *) read_ "$@" ;;
    esac ;;
  lsmod)
    read_ "$@"
    echo "Module                  Size  Used by"
    if [ -d "$S/modules" ]; then for m in "$S"/modules/*; do echo "$(basename "$m") 1 0"; done; fi ;;
  modprobe) mut "$@"; touchf "$S/modules/${!#}" ;;
  o2cb)
    case "$1" in
      register-cluster) mut "$@"; touchf "$S/o2cb/$2" ;;
      *) read_ "$@"; has "$S/o2cb/${2:-x}" ;;
    esac ;;
  blkid)
    read_ "$@"
    what=$4; dev=$5
    f="$SH/blk/$(key "$dev").$what"
    has "$f" || exit 2
    cat "$f"; echo ;;
  mkfs.ocfs2)
    mut "$@"
    cat > /dev/null  # like its "Proceed (y/N)" prompt
    label=""; dev=""; prev=""
    for a in "$@"; do
      [ "$prev" = -L ] && label=$a
      case "$a" in /dev/*) dev=$a ;; esac
      prev=$a
    done
    if has "$SH/blk/$(key "$dev").TYPE"; then echo "mkfs.ocfs2: $dev is in use" >&2; exit 1; fi
    touchf "$SH/blk/$(key "$dev").TYPE" ocfs2
    touchf "$SH/blk/$(key "$dev").LABEL" "$label" ;;
  mounted.ocfs2) read_ "$@"; echo "Device  Stack  Cluster  F  Nodes" ;;
  mount) mut "$@"; touchf "$S/mounts/$(key "${!#}")" ;;
  mountpoint) read_ "$@"; has "$S/mounts/$(key "${!#}")" ;;
  ceph)
    C="$SH/ceph"
    case "$*" in
      "-s") read_ "$@"; echo "  cluster: health: HEALTH_OK" ;;
      health) read_ "$@"; echo HEALTH_OK ;;
      "osd pool ls") read_ "$@"; if [ -d "$C/pools" ]; then ls "$C/pools"; fi ;;
      "osd pool create "*) mut "$@"; touchf "$C/pools/$4" ;
        touchf "$C/pool-size/$4" "${SHIM_CEPH_DEFAULT_SIZE:-3}" ;;
      "osd pool get "*" size") read_ "$@"; has "$C/pools/$4" || exit 2
        echo "size: $(cat "$C/pool-size/$4")" ;;
      "osd pool get "*" allow_ec_overwrites") read_ "$@"
        if has "$C/ec-overwrites/$4"; then echo "allow_ec_overwrites: true"
        else echo "allow_ec_overwrites: false"; fi ;;
      "osd pool set "*" size "*) mut "$@"; touchf "$C/pool-size/$4" "$6" ;;
      "osd pool set "*" allow_ec_overwrites true") mut "$@"; touchf "$C/ec-overwrites/$4" ;;
      "osd erasure-code-profile get "*) read_ "$@"; has "$C/ec-profiles/$4" ;;
      "osd erasure-code-profile set "*) mut "$@"; touchf "$C/ec-profiles/$4" ;;
      "osd pool application get "*) read_ "$@"
        if has "$C/app-rbd/$5"; then echo '{"rbd": {}}'; else echo '{}'; fi ;;
      "auth get client."*) read_ "$@"; has "$C/auth/$3"
        printf '[%s]\n\tkey = %s\n' "$3" "$(cat "$C/auth/$3")"
        cat "$C/caps/$3" ;;
      "auth get-or-create "*) mut "$@"; touchf "$C/auth/$3" "${SHIM_CEPH_KEY:?}"
        touchf "$C/caps/$3" "$(printf '\tcaps %s = "%s"\n\tcaps %s = "%s"' "$4" "$5" "$6" "$7")" ;;
      "auth caps "*) mut "$@"
        touchf "$C/caps/$3" "$(printf '\tcaps %s = "%s"\n\tcaps %s = "%s"' "$4" "$5" "$6" "$7")" ;;
      "auth get-key "*) read_ "$@"; cat "$C/auth/$3" ;;
      *) echo "ceph shim: unsupported: $*" >&2; exit 64 ;;
    esac ;;
  rbd)
    case "$1" in
      pool) mut "$@"; touchf "$SH/ceph/app-rbd/$3" ;;
      ls) read_ "$@"; has "$SH/ceph/pools/$2" ;;
      *) read_ "$@" ;;
    esac ;;
  virsh) read_ "$@"; echo " Name  State  Autostart" ;;
  scp) mut "$@"; touchf "${!#}" "[client.admin] (copied by scp)" ;;
  iscsiadm) read_ "$@"; echo "iscsiadm: No active sessions." >&2; exit 21 ;;
  ip)
    # A NIC (eth*, ens*, ...) exists; a VLAN device or bridge once `ip link add` made it.
    exists() {
      case "$1" in *.*) has "$S/links/$1" ;; eth*|ens*|eno*|enp*|em*|bond*) true ;;
        *) has "$S/links/$1" ;; esac
    }
    args="$*"
    case "$args" in
      "link show "*) read_ "$@"; exists "$3" ;;
      "-o link show "*) read_ "$@"; dev=$4
        exists "$dev" || exit 1
        master=""; ! has "$S/masters/$dev" || master=" master $(cat "$S/masters/$dev")"
        if has "$S/up/$dev"; then
          echo "3: $dev: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue$master state UP"
        else echo "3: $dev: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue$master state DOWN"; fi ;;
      "link add link "*) mut "$@"; touchf "$S/links/$6" ;;
      "link add name "*" type bridge") mut "$@"; touchf "$S/links/$4" ;;
      "link set "*" master "*) mut "$@"; touchf "$S/masters/$3" "$5" ;;
      "link set "*" up") mut "$@"; touchf "$S/up/$3" ;;
      "-o -4 addr show dev "*) read_ "$@"; dev=$6
        if [ -d "$S/addrs/$dev" ]; then
          for a in "$S/addrs/$dev"/*; do
            [ -e "$a" ] || continue
            echo "3: $dev    inet $(cat "$a") brd 0.0.0.0 scope global $dev"
          done
        fi ;;
      "addr add "*) mut "$@"; touchf "$S/addrs/$5/$(key "$3")" "$3" ;;
      "addr del "*) mut "$@"; rm -f "$S/addrs/$5/$(key "$3")" ;;
      *) echo "ip shim: unsupported: $*" >&2; exit 64 ;;
    esac ;;
  getent)  # `getent ahostsv4 NAME`: SHIM_RESOLVE, else 10.40.0.11
    read_ "$@"
    echo "${SHIM_RESOLVE:-10.40.0.11}  STREAM ${2:-}" ;;
  uname)  # the host name: SHIM_HOSTNAME, else the sandbox's name for the host
    read_ "$@"
    [ "$*" = -n ] || { echo "uname shim: unsupported: $*" >&2; exit 64; }
    echo "${SHIM_HOSTNAME:-$(basename "$(dirname "$S")")}" ;;
  ping) read_ "$@"
    for u in ${SHIM_UNREACHABLE:-}; do [ "${!#}" != "$u" ] || exit 1; done ;;
  esxcli)
    read_ "$@"
    case "$*" in
      "iscsi software get") echo true ;;
      "iscsi networkportal list") echo "vmhba64 vmk1" ;;
    esac ;;
  xe) read_ "$@"
    case "$1" in
      host-list)  # the pool's host whose address is given; SHIM_XE_ADDRESSES: the pool's
        addr=${2#address=}
        for a in ${SHIM_XE_ADDRESSES:-$addr}; do [ "$a" != "$addr" ] || echo "uuid-of-$addr"; done ;;
      pif-list)  # a host's PIF: its IP (params=IP) or uuid; SHIM_XE_NETWORKS: the
        # name-labels of the pool's networks, '|' between them (default: any)
        case " $* " in *" host-uuid=uuid-of-"*) ;; *) exit 0 ;; esac
        net=""
        for a in "$@"; do case "$a" in network-name-label=*) net=${a#*=} ;; esac; done
        if [ -n "$net" ] && [ -n "${SHIM_XE_NETWORKS:-}" ]; then
          case "|$SHIM_XE_NETWORKS|" in *"|$net|"*) ;; *) exit 0 ;; esac
        fi
        case " $* " in *" params=IP "*) echo "10.40.0.21" ;; *) echo "uuid-of-pif" ;; esac ;;
      *) echo "xe shim: unsupported: $*" >&2; exit 64 ;;
    esac ;;
  nmcli) mut "$@" ;;
  vmkping) read_ "$@"
    for u in ${SHIM_UNREACHABLE:-}; do [ "${!#}" != "$u" ] || exit 1; done ;;
  ssh) read_ "$@"
    case " $* " in *" -n "*) ;; *) cat > /dev/null ;; esac  # ssh forwards stdin unless -n
    [ "${SHIM_SSH_FAIL:-0}" = 0 ] || exit 255
    while [ "${1#-}" != "${1:-}" ]; do
      if [ "$1" = -o ]; then shift 2; else shift; fi
    done
    shift
    exec "$@" ;;
  curl) exec python3 "$(dirname "$(readlink -f "$0")")/element_api.py" "$@" ;;
  *) echo "shim: unknown command $cmd" >&2; exit 64 ;;
esac
