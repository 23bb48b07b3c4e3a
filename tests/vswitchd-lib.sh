# SPDX-License-Identifier: Apache-2.0
#
# tests/vswitchd-lib.sh: ovsdb-lite + vswitchd in a private rundir, for
# tests that drive the running switch.  Source after lib.sh, then call
# start_vswitchd; both daemons are stopped by pid at cleanup.  Sets
# VSWITCH_RUNDIR and OVS_RUNDIR (so `ovs-ofctl show BR` finds BR.mgmt),
# DB, and the tool paths below; vsctl runs vswitch-ctl in wait mode.
#
# VSWITCH_TEST_DP picks the datapath of every bridge the test makes:
# netdev (the default: the userspace datapath) or system (the kernel
# module, vswitch_dp.ko or openvswitch.ko: tests/kmod/slow-path.sh runs
# the slow-path scripts so, in a QEMU guest).  Tests name a bridge's
# datapath with dp_name BR, never with its type spelled out.
TEST_DP=${VSWITCH_TEST_DP:-netdev}

LITE=$BUILD/ovsdb-lite/ovsdb-lite
TOOL=$BUILD/ovsdb-lite/ovsdb-lite-tool
VSWITCHD=$BUILD/vswitchd/vswitchd
CTL=$BUILD/utilities/vswitch-ctl
OFCTL=$BUILD/utilities/vswitch-ofctl
APPCTL=$BUILD/utilities/vswitch-appctl
export VSWITCH_RUNDIR=$TMPD/run OVS_RUNDIR=$TMPD/run
DB=unix:$VSWITCH_RUNDIR/db.sock

vsctl() { timeout 20 "$CTL" --db="$DB" --timeout=10 "$@"; }

start_vswitchd() {
    local x
    for x in "$LITE" "$TOOL" "$VSWITCHD" "$CTL" "$OFCTL"; do
        [ -x "$x" ] || fail "missing $x (make first)"
    done
    mkdir -p "$VSWITCH_RUNDIR"
    "$TOOL" create "$TMPD/conf.db" "$SRCDIR/vswitchd/vswitch.ovsschema" ||
        fail "cannot create database"
    "$LITE" --remote="punix:$VSWITCH_RUNDIR/db.sock" \
        --unixctl="$TMPD/lite.ctl" --log-file="$TMPD/lite.log" \
        --pidfile="$TMPD/lite.pid" --detach "$TMPD/conf.db" 2> /dev/null ||
        fail "ovsdb-lite did not start"
    # Kernel datapaths outlive the daemon: the bridges are deleted while
    # it runs, any datapath left is deleted after it is gone.
    [ "$TEST_DP" = system ] && at_cleanup _del_kernel_dps
    track_pidfile "$TMPD/lite.pid"
    track_pidfile "$VSWITCH_RUNDIR/vswitchd.pid"
    # A later --default-datapath in "$@" wins.
    "$VSWITCHD" --detach --pidfile --log-file="$TMPD/vswitchd.log" \
        --default-datapath="$TEST_DP" "$@" || fail "vswitchd did not start"
    [ "$TEST_DP" = system ] && at_cleanup _del_bridges
    vsctl --no-wait init || fail "init"
}

# dp_name BR: the name of bridge BR's datapath (for dpctl commands).
dp_name() { echo "$TEST_DP@$1"; }

# At cleanup on the kernel datapath: every bridge of the database goes
# (noted in $TMPD/bridges), then whatever datapath of theirs is left.
_del_bridges() {
    local br
    vsctl list-br > "$TMPD/bridges" || return 0
    for br in $(cat "$TMPD/bridges"); do
        vsctl del-br "$br"
    done
}
_del_kernel_dps() {
    local br
    [ -f "$TMPD/bridges" ] || return 0
    for br in $(cat "$TMPD/bridges"); do
        ovs-dpctl del-dp "system@$br" 2> /dev/null
    done
    return 0
}

# add_hosts P: namespaces Pn1 and Pn2, each behind a veth (P1 and P2 here,
# up; Px1 and Px2 there, up, with 10.77.0.1/24 and 10.77.0.2/24).
add_hosts() {
    local i
    for i in 1 2; do
        add_netns "${1}n$i"
        add_veth "${1}$i" "${1}x$i" "${1}n$i"
        ip link set "${1}$i" up
        ip -n "${1}n$i" addr add "10.77.0.$i/24" dev "${1}x$i"
        ip -n "${1}n$i" link set "${1}x$i" up
    done
}

# add_host NS DEV PEER ADDR [MAC]: namespace NS (IPv6 off, so that only
# the test's traffic crosses the switch) behind a veth: DEV here (up),
# PEER there (up, ADDR/24, MAC if given).
add_host() {
    add_netns "$1"
    add_veth "$2" "$3" "$1"
    ip link set "$2" up
    ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1
    [ -n "${5:-}" ] && ip -n "$1" link set "$3" address "$5"
    ip -n "$1" addr add "$4/24" dev "$3"
    ip -n "$1" link set "$3" up
}

# add_host_set P NET MACP N: hosts 1..N: namespace Pni behind veth Ppi
# (here) / Pxi (there), address NET.i/24, MAC MACP:0i.
add_host_set() {
    local i
    for ((i = 1; i <= $4; i++)); do
        add_host "$1n$i" "$1p$i" "$1x$i" "$2.$i" "$(printf '%s:%02x' "$3" "$i")"
    done
}

# add_bridge BR P N [VSCTL-ARGS...]: add-br BR with ports Pp1..PpN as
# OpenFlow ports 1..N (plus VSCTL-ARGS, e.g. "-- set Bridge ..."), in one
# wait-mode command; the bridge's own device stays down without IPv6, so
# only the hosts' traffic crosses the switch.  The device is deleted at
# cleanup.
add_bridge() {
    local br=$1 p=$2 n=$3 i args=()
    shift 3
    at_cleanup ip link delete "$br"
    for ((i = 1; i <= n; i++)); do
        args+=(-- add-port "$br" "${p}p$i" -- set Interface "${p}p$i" "ofport_request=$i")
    done
    vsctl add-br "$br" "${args[@]}" "$@" || return 1
    sysctl -qw "net.ipv6.conf.$br.disable_ipv6=1" 2> /dev/null
    ip link set "$br" down
}

# port_tx BR OFPORT: tx packets of the port, as Debian's ovs-ofctl
# dump-ports reads them over OpenFlow 1.3.
port_tx() {
    ovs-ofctl -O OpenFlow13 dump-ports "$1" "$2" |
        sed -n 's/.*tx pkts=\([0-9]*\).*/\1/p'
}

# tx_all BR: "PORT TX-PACKETS" for every port, from one dump-ports.
tx_all() {
    ovs-ofctl -O OpenFlow13 dump-ports "$1" | awk '
        /^ *port / { p = $2; sub(":", "", p) }
        /tx pkts=/ { v = $0; sub(/.*tx pkts=/, "", v); sub(/,.*/, "", v); print p, v }'
}

# tx_during BR "PORT..." CMD...: runs CMD (returning its status) and sets
# d<PORT> to the packets each port sent meanwhile (read 0.3 s after).
tx_during() {
    local br=$1 ports=$2 p rc before after
    shift 2
    before=$(tx_all "$br")
    "$@"
    rc=$?
    sleep 0.3
    after=$(tx_all "$br")
    for p in $ports; do
        declare -g "d$p=$(($(awk -v p="$p" '$1 == p { print $2 }' <<< "$after") - \
            $(awk -v p="$p" '$1 == p { print $2 }' <<< "$before")))"
    done
    return $rc
}

# appctl CMD...: vswitchd's unixctl command through Debian's ovs-appctl
# on the daemon's socket path.
appctl() {
    local sock
    sock=$VSWITCH_RUNDIR/vswitchd.$(cat "$VSWITCH_RUNDIR/vswitchd.pid").ctl
    timeout 10 ovs-appctl -t "$sock" "$@"
}

# free_port: a TCP port nobody listens on now.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# dump_log: the daemon's log, for a failed test's diagnosis.
dump_log() { tail -n 30 "$TMPD/vswitchd.log" | sed 's/^/#   /'; }

# start_ovs_vswitchd BR: Debian's ovsdb-server and ovs-vswitchd, everything
# under $TMPD/ovs (both stopped by pid at cleanup), with bridge BR (netdev
# datapath, fail_mode secure) and dummy ports p1 and p2 as OpenFlow ports 1
# and 2: a reference switch for side-by-side tests.  Sets REAL to BR's
# management socket.  Needs the ovs-* tools and their schema (the caller
# requires them).
start_ovs_vswitchd() {
    local br=$1 o=$TMPD/ovs schema=/usr/share/openvswitch/vswitch.ovsschema
    local env=(env OVS_RUNDIR="$o/run" OVS_LOGDIR="$o/log"
        OVS_DBDIR="$o/db" OVS_SYSCONFDIR="$o/etc")
    local db=unix:$o/run/db.sock
    [ -f "$schema" ] || skip "missing $schema"
    mkdir -p "$o/run" "$o/log" "$o/db" "$o/etc"
    ovsdb-tool create "$o/db/conf.db" "$schema" > /dev/null ||
        fail "ovsdb-tool"
    "${env[@]}" ovsdb-server "$o/db/conf.db" --remote="punix:$o/run/db.sock" \
        --pidfile="$o/run/ovsdb-server.pid" \
        --log-file="$o/log/ovsdb-server.log" \
        --detach --no-chdir -vconsole:off 2> /dev/null || fail "ovsdb-server"
    track_pidfile "$o/run/ovsdb-server.pid"
    "${env[@]}" ovs-vsctl --db="$db" --no-wait init || fail "ovs-vsctl init"
    "${env[@]}" ovs-vswitchd "$db" --pidfile="$o/run/ovs-vswitchd.pid" \
        --log-file="$o/log/ovs-vswitchd.log" --enable-dummy=override \
        --disable-system --detach --no-chdir -vconsole:off 2> /dev/null ||
        fail "ovs-vswitchd"
    track_pidfile "$o/run/ovs-vswitchd.pid"
    "${env[@]}" ovs-vsctl --db="$db" --timeout=20 add-br "$br" \
        -- set bridge "$br" datapath_type=netdev fail_mode=secure \
        -- add-port "$br" p1 -- set interface p1 type=dummy ofport_request=1 \
        -- add-port "$br" p2 -- set interface p2 type=dummy ofport_request=2 ||
        fail "ovs add-br"
    REAL=unix:$o/run/$br.mgmt
    wait_for 10 ovs-ofctl show "$REAL" > /dev/null || fail "no $br.mgmt"
}
