#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 150
#
# A controller-style pipeline on a real bridge, installed with Debian's
# `ovs-ofctl -O OpenFlow13` (fail_mode=secure, no controller):
#   - table 0 is an ACL (ARP and h1<->h2 ICMP go on to table 1, the rest
#     drops), table 1 is L2 (NORMAL, and an explicit output for h2):
#     the permitted pings pass, the denied ones do not;
#   - a changed rule moves established traffic within a second: a
#     continuous ping stops being answered after the permit is replaced by
#     a drop, and is answered again after it comes back (revalidation, seen
#     in the ping's own timestamps);
#   - ofproto/trace (Debian's ovs-appctl) names the rules of both tables and
#     the datapath actions, and a denied flow's drop;
#   - a looping pipeline (output:TABLE back into table 0) is cut at the
#     translation budget with a drop megaflow: later packets stay in the
#     datapath, vswitchd keeps answering, the cut is counted and logged.
# Prints TAP.
. "$(dirname "$0")/../lib.sh"
. "$SRCDIR/tests/vswitchd-lib.sh"
require_root
require ip ping ovs-ofctl ovs-appctl python3 timeout
start_vswitchd

BR=sq${T}b
mac() { printf '02:5b:00:00:00:%02x' "$1"; }
add_host_set sq${T} 10.79.0 02:5b:00:00:00 3
check "add-br (fail_mode=secure) with three ports" add_bridge "$BR" sq${T} 3 \
    -- set Bridge "$BR" fail_mode=secure protocols=OpenFlow10,OpenFlow13
ofctl() { timeout 10 ovs-ofctl -O OpenFlow13 "$@"; }

cat > "$TMPD/flows" <<EOF
table=0,priority=100,arp,actions=goto_table:1
table=0,priority=100,icmp,nw_src=10.79.0.1,nw_dst=10.79.0.2,actions=goto_table:1
table=0,priority=100,icmp,nw_src=10.79.0.2,nw_dst=10.79.0.1,actions=goto_table:1
table=0,priority=100,icmp,nw_src=10.79.0.3,nw_dst=10.79.0.1,actions=goto_table:1
table=0,priority=0,actions=drop
table=1,priority=10,dl_dst=$(mac 2),actions=output:2
table=1,priority=0,actions=NORMAL
EOF
check "ovs-ofctl -O OpenFlow13 add-flows (ACL + L2 tables)" ofctl add-flows "$BR" "$TMPD/flows"
expect "dump-flows shows 7 rules" 7 bash -c "$(declare -f ofctl); ofctl dump-flows '$BR' | grep -c priority="

ping_ok() { ip netns exec "sq${T}n$1" ping -c "${3:-2}" -i 0.1 -W 1 "$2" > /dev/null; }
check "permitted: h1 pings h2" ping_ok 1 10.79.0.2
check "permitted: h2 pings h1" ping_ok 2 10.79.0.1
! ping_ok 1 10.79.0.3 && pass "denied: h1 -/-> h3 (no rule for h1 -> h3)" ||
    flunk "denied: h1 -/-> h3 (no rule for h1 -> h3)"
! ping_ok 2 10.79.0.3 && pass "denied: h2 -/-> h3" || flunk "denied: h2 -/-> h3"
! ping_ok 3 10.79.0.1 && pass "denied: h3 -/-> h1 (the reply h1 -> h3 is dropped)" ||
    flunk "denied: h3 -/-> h1 (the reply h1 -> h3 is dropped)"
n_hits=$(ofctl dump-flows "$BR" table=1,dl_dst=$(mac 2) | sed -n 's/.*n_packets=\([0-9]*\).*/\1/p')
[ "${n_hits:-0}" -ge 1 ] && pass "table 1's explicit output rule counted packets ($n_hits)" ||
    flunk "table 1's explicit output rule counted packets (${n_hits:-none})"

# ofproto/trace through Debian's ovs-appctl.
appctl ofproto/trace "$BR" "in_port=1,dl_src=$(mac 1),dl_dst=$(mac 2),icmp,nw_src=10.79.0.1,nw_dst=10.79.0.2" > "$TMPD/trace" 2>&1
sed 's/^/#   /' "$TMPD/trace"
check "trace: table 0's ACL rule" grep -q '^table 0: priority=100,icmp.*nw_src=10.79.0.1.*goto_table:1' "$TMPD/trace"
check "trace: table 1's explicit output rule" grep -q "^table 1: priority=10,dl_dst=$(mac 2).*actions=output:2" "$TMPD/trace"
check "trace: datapath actions output to port 2" grep -qx 'Datapath actions: 2' "$TMPD/trace"
check "trace: the megaflow with its mask" grep -q '^Megaflow: in_port(1),.*ipv4(src=10.79.0.1' "$TMPD/trace"
appctl ofproto/trace "$BR" "in_port=1,dl_src=$(mac 1),dl_dst=$(mac 3),icmp,nw_src=10.79.0.1,nw_dst=10.79.0.3" > "$TMPD/trace2" 2>&1
check "trace of a denied flow: the drop rule, datapath actions drop" \
    bash -c "grep -q '^table 0: priority=0.*actions=drop' '$TMPD/trace2' && grep -qx 'Datapath actions: drop' '$TMPD/trace2'"
trace_fails() { ! appctl ofproto/trace "$BR" "$1" > /dev/null 2>&1; }
check "trace of an unknown port fails" trace_fails in_port=99,ip
check "trace through NORMAL (table 1's last rule)" bash -c "$(declare -f appctl); VSWITCH_RUNDIR='$VSWITCH_RUNDIR' appctl ofproto/trace '$BR' 'in_port=2,dl_src=$(mac 2),dl_dst=$(mac 1),icmp,nw_src=10.79.0.2,nw_dst=10.79.0.1' | grep -q '^table 1: priority=0.*actions=NORMAL'"

# Revalidation, seen by the traffic: a ping every 50 ms; once it is
# answered, the permit h1 -> h2 is replaced by a drop, and restored 2 s
# later.  The times are taken when ovs-ofctl returns (the switch has
# applied the change), so a slow machine does not count its own
# command's run time against the switch.
replies() { grep -c 'bytes from' "$TMPD/ping"; }
ip netns exec "sq${T}n1" ping -D -i 0.05 -w 120 -W 1 10.79.0.2 > "$TMPD/ping" 2>&1 &
PING=$!
at_cleanup kill_pid "$PING"
wait_for 30 eval '[ "$(replies)" -ge 20 ]'
ofctl --strict del-flows "$BR" "table=0,priority=100,icmp,nw_src=10.79.0.1,nw_dst=10.79.0.2"
t_del=$(date +%s.%N)
ofctl add-flow "$BR" "table=0,priority=100,icmp,nw_src=10.79.0.1,nw_dst=10.79.0.2,actions=drop"
sleep 2
t_add0=$(date +%s.%N)
ofctl add-flow "$BR" "table=0,priority=100,icmp,nw_src=10.79.0.1,nw_dst=10.79.0.2,actions=goto_table:1"
t_add=$(date +%s.%N)
n_add=$(replies)
wait_for 30 eval '[ "$(replies)" -gt "$n_add" ]'
kill_pid "$PING"
count_replies() { # FROM TO: replies whose timestamp lies in [FROM, TO)
    awk -v a="$1" -v b="$2" -F'[][]' '/bytes from/ { if ($2 >= a && $2 < b) n++ } END { print n + 0 }' "$TMPD/ping"
}
first_after() { # T: seconds from T to the first reply after it
    awk -v t="$1" -F'[][]' '/bytes from/ && $2 >= t { printf "%.2f", $2 - t; exit }' "$TMPD/ping"
}
last_after() { # T U: seconds from T to the last reply in [T, U)
    awk -v t="$1" -v u="$2" -F'[][]' '/bytes from/ && $2 >= t && $2 < u { d = $2 - t } END { printf "%.2f", d }' "$TMPD/ping"
}
before=$(count_replies 0 "$t_del")
stop=$(last_after "$t_del" "$t_add0")
back=$(first_after "$t_add")
[ "$before" -ge 20 ] && pass "established ping answered before the change ($before)" ||
    flunk "established ping answered before the change ($before)"
awk -v d="$stop" 'BEGIN { exit !(d < 1) }' &&
    pass "no reply later than 1 s after the permit became a drop (last at +${stop}s)" ||
    flunk "no reply later than 1 s after the permit became a drop (last at +${stop}s)"
[ -n "$back" ] && awk -v d="$back" 'BEGIN { exit !(d < 1) }' &&
    pass "answered again within 1 s of the permit's return (+${back}s)" ||
    flunk "answered again within 1 s of the permit's return (+${back:-never}s)"

# A loop: UDP to port 7777 goes back into table 0 (output:TABLE) forever.
check "a looping rule (output:TABLE)" ofctl add-flow "$BR" "table=0,priority=200,udp,tp_dst=7777,actions=output:TABLE"
cov() { appctl coverage/show | awk -v c="$1" '$1 == c { print $2 }'; }
b0=$(cov xlate_budget_exceeded)
send_loop() { # N: N datagrams to port 7777, 10 ms apart
    ip netns exec "sq${T}n1" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[1])):
    s.sendto(b"loop", ("10.79.0.2", 7777))
    time.sleep(0.01)
' "$1"
}
loop_flow() { appctl dpif/dump-flows "$BR" | grep 'udp(.*dst=7777'; }
# The first datagram makes the megaflow (however long its upcall takes
# on a slow machine); of the next 50, 45 must stay in the datapath.
send_loop 1
wait_for 30 loop_flow
send_loop 50
sleep 0.5
check "vswitchd still answers (no hang)" appctl version
b1=$(cov xlate_budget_exceeded)
[ "${b1:-0}" -gt "${b0:-0}" ] && pass "coverage/show counts the cut (xlate_budget_exceeded ${b0:-0} -> ${b1:-0})" ||
    flunk "coverage/show counts the cut (xlate_budget_exceeded ${b0:-0} -> ${b1:-0})"
loop_flow > "$TMPD/loopflow"
sed 's/^/#   /' "$TMPD/loopflow"
check "the loop became a drop megaflow" grep -q 'actions:drop' "$TMPD/loopflow"
hits=$(sed -n 's/.*packets:\([0-9]*\),.*/\1/p' "$TMPD/loopflow" | head -1)
[ "${hits:-0}" -ge 45 ] && pass "later packets stay in the datapath ($hits of 50 hit the drop megaflow)" ||
    flunk "later packets stay in the datapath (${hits:-0} of 50 hit the drop megaflow)"
check "the cut is logged" grep -q 'budget' "$TMPD/vswitchd.log"
check "the bridge still forwards" ping_ok 2 10.79.0.1
check "del-br" vsctl del-br "$BR"
echo "1..$n"
