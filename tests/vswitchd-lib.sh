# SPDX-License-Identifier: Apache-2.0
#
# tests/vswitchd-lib.sh: ovsdb-lite + vswitchd in a private rundir, for
# tests that drive the running switch.  Source after lib.sh, then call
# start_vswitchd; both daemons are stopped by pid at cleanup.  Sets
# VSWITCH_RUNDIR and OVS_RUNDIR (so `ovs-ofctl show BR` finds BR.mgmt),
# DB, and the tool paths below; vsctl runs vswitch-ctl in wait mode.

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
    track_pidfile "$TMPD/lite.pid"
    track_pidfile "$VSWITCH_RUNDIR/vswitchd.pid"
    "$VSWITCHD" --detach --pidfile --log-file="$TMPD/vswitchd.log" "$@" ||
        fail "vswitchd did not start"
    vsctl --no-wait init || fail "init"
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

# free_port: a TCP port nobody listens on now.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# dump_log: the daemon's log, for a failed test's diagnosis.
dump_log() { tail -n 30 "$TMPD/vswitchd.log" | sed 's/^/#   /'; }
