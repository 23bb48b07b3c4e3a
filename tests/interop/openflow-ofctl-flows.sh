#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Debian's ovs-ofctl driving our flow codec and flow tables (ofp-flowd: a
# switch with tables and no ports) in OpenFlow 1.0 and 1.3: add-flow,
# add-flows, mod-flows (strict or not), del-flows (strict, cookies,
# out_port), dump-flows, dump-aggregate, hard timeouts, check_overlap and
# bad group errors as ovs-ofctl reports them, add-group/dump-groups/
# del-groups.
# timeout: 120
. "$(dirname "$0")/../lib.sh"
require ovs-ofctl

n=0
check() { local what=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; fi; }

SOCK=$TMPD/flowd.sock
spawn "$BUILD/tests/helpers/ofp-flowd" "punix:$SOCK" > "$TMPD/flowd.out"
wait_for 5 grep -q listening "$TMPD/flowd.out"
S=unix:$SOCK
of10() { ovs-ofctl -O OpenFlow10 "$@"; }
of13() { ovs-ofctl -O OpenFlow13 "$@"; }
# dump VERSION: the flows, without the volatile duration, sorted.  (In
# 1.0 ovs-ofctl dumps with NXST_FLOW, whose lines carry idle_age, as
# against ovs-vswitchd: its value is normalized to A.)
dump() {
    ovs-ofctl -O "OpenFlow$1" dump-flows "$S" | tail -n +2 |
        sed -E 's/ duration=[0-9.]+s,//; s/ idle_age=[0-9]+,/ idle_age=A,/' |
        sort
}
has_flow() { dump "$1" | grep -qF -- "$2"; }
n_flows() { dump "$1" | grep -c . ; }

check "OF1.0 add-flow" of10 add-flow "$S" "priority=100,tcp,nw_dst=10.0.0.0/24,tp_dst=80,actions=output:2,mod_vlan_vid:3"
check "OF1.3 add-flow with goto_table" of13 add-flow "$S" "table=1,priority=5,ip,actions=set_field:2->ip_dscp,goto_table:2"
check "OF1.0 dump-flows shows the 1.0 flow" has_flow 10 \
    "cookie=0x0, table=0, n_packets=0, n_bytes=0, idle_age=A, priority=100,tcp,nw_dst=10.0.0.0/24,tp_dst=80 actions=output:2,mod_vlan_vid:3"
check "OF1.3 dump-flows shows the 1.3 flow" has_flow 13 \
    "cookie=0x0, table=1, n_packets=0, n_bytes=0, priority=5,ip actions=set_field:2->ip_dscp,goto_table:2"
check "OF1.3 dump-flows shows the 1.0 flow in 1.3 terms" has_flow 13 \
    "priority=100,tcp,nw_dst=10.0.0.0/24,tp_dst=80 actions=output:2,push_vlan:0x8100,set_field:4099->vlan_vid"

cat > "$TMPD/flows.txt" <<'FLOWS'
priority=10,cookie=0x1,udp,actions=output:1
priority=20,cookie=0x2,udp,tp_dst=53,actions=output:2
priority=30,cookie=0x3,arp,actions=FLOOD
priority=40,cookie=0x13,icmp,actions=CONTROLLER:128
FLOWS
check "OF1.0 add-flows FILE" of10 add-flows "$S" "$TMPD/flows.txt"
check "six flows" test "$(n_flows 13)" = 6
check "OF1.3 dump-aggregate" bash -c "ovs-ofctl -O OpenFlow13 dump-aggregate '$S' | grep -q 'flow_count=6'"

check "OF1.0 mod-flows (non-strict: every udp flow)" of10 mod-flows "$S" "udp,actions=output:7"
check "both udp flows changed" test "$(dump 10 | grep -c 'udp.*actions=output:7')" = 2
check "OF1.3 mod-flows --strict (one flow)" of13 mod-flows --strict "$S" "priority=20,udp,tp_dst=53,actions=output:8"
check "only the strict one changed" bash -c "[ \$(ovs-ofctl -O OpenFlow13 dump-flows '$S' | grep -c 'actions=output:8') = 1 ]"
check "OF1.3 mod-flows by cookie mask" of13 mod-flows "$S" "cookie=0x3/0xf,actions=output:9"
check "cookie-selected flows changed (0x3, 0x13)" test "$(dump 13 | grep -c 'actions=output:9')" = 2

check "OF1.0 del-flows --strict with the wrong priority deletes nothing" of10 del-flows --strict "$S" "priority=11,udp"
check "still six" test "$(n_flows 13)" = 6
check "OF1.3 del-flows --strict" of13 del-flows --strict "$S" "priority=10,udp"
check "five" test "$(n_flows 13)" = 5
check "OF1.3 del-flows by out_port" of13 del-flows "$S" "out_port=8"
check "four, port 8's flow gone" bash -c "[ \$(ovs-ofctl -O OpenFlow13 dump-flows '$S' | grep -c 'output:8') = 0 ]"
check "OF1.3 del-flows by cookie" of13 del-flows "$S" "cookie=0x13/-1"
check "three" test "$(n_flows 13)" = 3

# Errors the switch reports, as ovs-ofctl shows them.
of10 add-flow "$S" "priority=50,ip,actions=drop"
out=$(of10 add-flow "$S" "check_overlap,priority=50,tcp,actions=drop" 2>&1); rc=$?
check "check_overlap: ovs-ofctl fails" test "$rc" != 0
check "check_overlap: OFPFMFC_OVERLAP reported" grep -q "OFPFMFC_OVERLAP" <<< "$out"
out=$(of13 add-flow "$S" "ip,actions=group:99" 2>&1); rc=$?
check "missing group: ovs-ofctl fails" test "$rc" != 0
check "missing group: OFPBAC_BAD_OUT_GROUP reported" grep -q "OFPBAC_BAD_OUT_GROUP" <<< "$out"
out=$(of13 add-flow "$S" "table=3,actions=goto_table:1" 2>&1); rc=$?
check "goto_table backwards: refused" test "$rc" != 0

# Groups.
check "OF1.3 add-group all" of13 add-group "$S" "group_id=1,type=all,bucket=output:1,bucket=output:2"
check "OF1.3 add-group select" of13 add-group "$S" "group_id=2,type=select,bucket=weight:5,output:1,bucket=weight:7,output:3"
check "OF1.3 add-group ff" of13 add-group "$S" "group_id=3,type=ff,bucket=watch_port:1,output:1,bucket=watch_port:2,output:2"
check "OF1.3 add-group indirect chaining to 1" of13 add-group "$S" "group_id=4,type=indirect,bucket=group:1"
check "a flow to group 4" of13 add-flow "$S" "priority=60,udp,actions=group:4"
of13 dump-groups "$S" > "$TMPD/groups.txt" 2>&1
check "dump-groups: all" grep -q "group_id=1,type=all,bucket=actions=output:1,bucket=actions=output:2" "$TMPD/groups.txt"
check "dump-groups: select weights" grep -q "group_id=2,type=select,bucket=weight:5,actions=output:1,bucket=weight:7,actions=output:3" "$TMPD/groups.txt"
check "dump-groups: ff watch ports" grep -q "group_id=3,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2" "$TMPD/groups.txt"
check "our group text is ovs-ofctl's (dump-groups lines)" bash -c '
    grep "group_id=" "$1" | sed "s/^ *//" | while read -r l; do
        grep -qxF "group_mod: 0 $l" "$2" || { echo "missing: $l" >&2; exit 1; }
    done' _ "$TMPD/groups.txt" "$TMPD/flowd.out"
out=$(of13 mod-group "$S" "group_id=1,type=all,bucket=group:4" 2>&1); rc=$?
check "a loop is refused (OFPGMFC_LOOP)" bash -c '[ "$1" != 0 ] && grep -q "OFPGMFC_LOOP" <<< "$2"' _ "$rc" "$out"
out=$(of13 add-group "$S" "group_id=1,type=all,bucket=output:1" 2>&1); rc=$?
check "an existing group is refused (OFPGMFC_GROUP_EXISTS)" bash -c '[ "$1" != 0 ] && grep -q "OFPGMFC_GROUP_EXISTS" <<< "$2"' _ "$rc" "$out"
check "del-groups group 4" of13 del-groups "$S" "group_id=4"
check "its flow went with it" bash -c "! ovs-ofctl -O OpenFlow13 dump-flows '$S' | grep -q 'group:4'"
check "del-groups (all)" of13 del-groups "$S"
check "no group left" bash -c "! ovs-ofctl -O OpenFlow13 dump-groups '$S' | grep -q group_id"

# Timeouts on the switch's clock.
check "add a flow with hard_timeout=1" of10 add-flow "$S" "hard_timeout=1,priority=70,arp,actions=drop"
check "it is there" has_flow 10 "hard_timeout=1, idle_age=A, priority=70,arp actions=drop"
sleep 1.5
check "it is gone after its hard timeout" bash -c "! ovs-ofctl dump-flows '$S' | grep -q 'priority=70'"

check "OF1.0 dump-desc" bash -c "ovs-ofctl dump-desc '$S' | grep -q 'DP Description: flow tables, no ports'"
check "OF1.3 dump-desc" bash -c "ovs-ofctl -O OpenFlow13 dump-desc '$S' | grep -q 'Manufacturer: vswitch'"
check "OF1.0 dump-ports (no ports)" bash -c "ovs-ofctl dump-ports '$S' | grep -q 'OFPST_PORT reply (xid=0x[0-9a-f]*): 0 ports'"
check "OF1.3 dump-ports (no ports)" bash -c "ovs-ofctl -O OpenFlow13 dump-ports '$S' | grep -q 'OFPST_PORT reply (OF1.3) (xid=0x[0-9a-f]*): 0 ports'"
check "OF1.0 del-flows (all)" of10 del-flows "$S"
check "no flow left" bash -c "! ovs-ofctl -O OpenFlow13 dump-flows '$S' | grep -q cookie="
echo "1..$n"
