#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# vswitch-ofctl against Debian's real ovs-vswitchd (a private ovsdb-server
# and ovs-vswitchd in this test's scratch folder, a datapath_type=netdev
# bridge with two dummy ports and its internal port): show, dump-desc,
# dump-tables, dump-ports, dump-ports-desc print exactly what ovs-ofctl
# prints for the same switch; flows added, modified and deleted with
# vswitch-ofctl are what ovs-ofctl dumps; packet-out reaches the port
# (ovs-ofctl's counters); monitor prints the PACKET_IN a flow sends; an
# OFPT_ERROR from the switch fails both tools alike.
# timeout: 120
. "$(dirname "$0")/../lib.sh"
require ovs-ofctl ovs-vswitchd ovsdb-server ovsdb-tool ovs-vsctl
SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
[ -f "$SCHEMA" ] || skip "missing $SCHEMA"

OFCTL=$BUILD/utilities/vswitch-ofctl
[ -x "$OFCTL" ] || fail "missing $OFCTL (make first)"
n=0
check() { local what=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; fi; }

export OVS_RUNDIR=$TMPD/run OVS_LOGDIR=$TMPD/log OVS_DBDIR=$TMPD/db OVS_SYSCONFDIR=$TMPD/etc
mkdir -p "$OVS_RUNDIR" "$OVS_LOGDIR" "$OVS_DBDIR" "$OVS_SYSCONFDIR"
DB=unix:$OVS_RUNDIR/db.sock
ovsdb-tool create "$OVS_DBDIR/conf.db" "$SCHEMA" || fail "ovsdb-tool"
ovsdb-server "$OVS_DBDIR/conf.db" --remote="punix:$OVS_RUNDIR/db.sock" \
    --pidfile="$OVS_RUNDIR/ovsdb-server.pid" --log-file="$OVS_LOGDIR/ovsdb-server.log" \
    --detach --no-chdir -vconsole:off 2> /dev/null || fail "ovsdb-server"
track_pidfile "$OVS_RUNDIR/ovsdb-server.pid"
ovs-vsctl --db="$DB" --no-wait init || fail "ovs-vsctl init"
ovs-vswitchd "$DB" --pidfile="$OVS_RUNDIR/ovs-vswitchd.pid" \
    --log-file="$OVS_LOGDIR/ovs-vswitchd.log" --enable-dummy=override \
    --disable-system --detach --no-chdir -vconsole:off 2> /dev/null || fail "ovs-vswitchd"
track_pidfile "$OVS_RUNDIR/ovs-vswitchd.pid"
ovs-vsctl --db="$DB" --timeout=20 add-br br0 -- set bridge br0 datapath_type=netdev \
    -- add-port br0 p1 -- set interface p1 type=dummy ofport_request=1 \
    -- add-port br0 p2 -- set interface p2 type=dummy ofport_request=2 || fail "add-br"
S=unix:$OVS_RUNDIR/br0.mgmt
wait_for 10 ovs-ofctl show "$S" || fail "no br0.mgmt"

norm() { sed -E 's/duration=[0-9.]+s/duration=D/g'; }
same_out() {
    diff <(ovs-ofctl "$@" 2>&1 | norm) <("$OFCTL" "$@" 2>&1 | norm) >&2
}
for v in OpenFlow10 OpenFlow13; do
    for c in show dump-desc dump-tables dump-ports dump-ports-desc; do
        check "$v $c: same output as ovs-ofctl" same_out -O "$v" "$c" "$S"
    done
    check "$v dump-ports 1: same output" same_out -O "$v" dump-ports "$S" 1
done
check "show lists the dummy ports" bash -c '"$1" show "$2" | grep -q "^ 1(p1): addr:"' _ "$OFCTL" "$S"

# Flows written by vswitch-ofctl, read back by both.
cat > "$TMPD/flows.txt" <<'FLOWS'
priority=100,in_port=1,actions=output:2
priority=100,in_port=2,actions=output:1
priority=50,cookie=0x5,tcp,tp_dst=80,actions=drop
priority=9,in_port=LOCAL,udp,actions=CONTROLLER:128
FLOWS
check "add-flows" "$OFCTL" add-flows "$S" "$TMPD/flows.txt"
dumps_agree() {
    diff <(ovs-ofctl -O "$1" --no-stats dump-flows "$S" | sort) \
         <("$OFCTL" -O "$1" --no-stats dump-flows "$S" | sort) >&2
}
# (Before any 1.3-only flow: ovs-vswitchd's 1.0 replies say goto_table
# with a Nicira action, which vswitch-ofctl does not decode.)
check "OF1.0 dump-flows --no-stats agrees with ovs-ofctl" dumps_agree OpenFlow10
check "OF1.3 add-flow" "$OFCTL" -O OpenFlow13 add-flow "$S" "table=1,priority=5,ip,actions=set_field:2->ip_dscp,goto_table:2"
check "OF1.3 dump-flows --no-stats agrees with ovs-ofctl" dumps_agree OpenFlow13
check "OF1.3 dump-flows (durations normalized) agrees" same_out -O OpenFlow13 dump-flows "$S"
check "OF1.3 dump-flows with a match agrees" same_out -O OpenFlow13 dump-flows "$S" "tcp"
check "ovs-ofctl sees the tcp flow" bash -c 'ovs-ofctl dump-flows "$1" | grep -q "cookie=0x5, .*priority=50,tcp,tp_dst=80 actions=drop"' _ "$S"
check "OF1.3 dump-aggregate agrees" same_out -O OpenFlow13 dump-aggregate "$S"
check "mod-flows --strict" "$OFCTL" --strict mod-flows "$S" "priority=50,tcp,tp_dst=80,actions=output:1"
check "ovs-ofctl sees the modification" bash -c 'ovs-ofctl dump-flows "$1" | grep -q "priority=50,tcp,tp_dst=80 actions=output:1"' _ "$S"
check "del-flows --strict" "$OFCTL" --strict del-flows "$S" "priority=100,in_port=2"
check "ovs-ofctl no longer sees it" bash -c '! ovs-ofctl dump-flows "$1" | grep -q "in_port=2"' _ "$S"
check "dumps still agree" dumps_agree OpenFlow13

# Errors from the switch: the same exit status and error line.
errors_agree() {
    ovs-ofctl "$@" > /dev/null 2> "$TMPD/e1"; local r1=$?
    "$OFCTL" "$@" > /dev/null 2> "$TMPD/e2"; local r2=$?
    [ "$r1" = "$r2" ] && [ "$r1" != 0 ] && [ "$(head -1 "$TMPD/e1")" = "$(head -1 "$TMPD/e2")" ] ||
        { echo "# $r1/$r2: $(head -1 "$TMPD/e1") / $(head -1 "$TMPD/e2")" >&2; return 1; }
}
check "missing group: same error" errors_agree -O OpenFlow13 add-flow "$S" "priority=1,ip,actions=group:99"
check "overlap (1.0): same error" errors_agree add-flow "$S" "check_overlap,priority=100,ip,actions=drop"
check "overlap (1.3): same error" errors_agree -O OpenFlow13 add-flow "$S" "check_overlap,priority=100,ip,actions=drop"

# packet-out: the frame leaves by port 1 (ovs-ofctl's counters).
tx1() { ovs-ofctl dump-ports "$S" 1 | sed -n 's/.*tx pkts=\([0-9]*\),.*/\1/p'; }
before=$(tx1)
PKT=ffffffffffff000000000001080045000014000000004000f9e80a0000010a000002
check "packet-out (1.0)" "$OFCTL" packet-out "$S" "in_port=LOCAL packet=$PKT actions=output:1"
check "packet-out (1.3)" "$OFCTL" -O OpenFlow13 packet-out "$S" "in_port=LOCAL packet=$PKT actions=output:1"
check "port 1 sent both" wait_for 5 test "$(tx1)" = $((before + 2))
check "OF1.0 dump-ports agrees after traffic" same_out dump-ports "$S"

# monitor: a PACKET_IN from a flow's CONTROLLER action.
"$OFCTL" add-flow "$S" "priority=9,in_port=2,actions=CONTROLLER:128"
"$OFCTL" monitor --timeout=10 --count=1 "$S" 65535 > "$TMPD/mon.out" 2>&1 &
MON=$!
at_cleanup kill_pid "$MON"
sleep 1
"$OFCTL" packet-out "$S" "in_port=2 packet=$PKT actions=TABLE"
wait "$MON"; mrc=$?
check "monitor exits 0 after one message" test "$mrc" = 0
check "monitor printed the PACKET_IN" grep -q "^OFPT_PACKET_IN (xid=0x0): total_len=34 in_port=2 (via action) data_len=34" "$TMPD/mon.out"
check "monitor --timeout ends a quiet wait" bash -c 'timeout 10 "$1" monitor --timeout=1 "$2"; [ $? = 0 ]' _ "$OFCTL" "$S"

check "del-flows (all)" "$OFCTL" del-flows "$S"
check "ovs-ofctl sees no flow" bash -c '! ovs-ofctl dump-flows "$1" | grep -q priority' _ "$S"
echo "1..$n"
