#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# vswitch-ofctl against Debian's ovs-ofctl: the same command list through
# both, each against its own fresh ofp-flowd test switch, in OpenFlow 1.0
# and 1.3.  Every step must give the same exit status, the same standard
# output (durations normalized) and the same first error line; after
# every step both switches' flow tables (dumped by ovs-ofctl --no-stats)
# must be equal.  Then the bad-input cases: unknown command, bad flow text,
# unreachable target, bad -O.
# timeout: 180
. "$(dirname "$0")/../lib.sh"
require ovs-ofctl

OFCTL=$BUILD/utilities/vswitch-ofctl
[ -x "$OFCTL" ] || fail "missing $OFCTL (make first)"
n=0
check() { local what=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; fi; }

# Two fresh switches per version: A driven by ovs-ofctl, B by vswitch-ofctl.
# They refuse Nicira's NXM flow format (--no-nxm): vswitch-ofctl speaks
# plain OpenFlow 1.0 only, while ovs-ofctl would use NXM against a switch
# that has it (ofctl-nxm.sh compares that against ovs-vswitchd).
start_pair() {
    spawn "$BUILD/tests/helpers/ofp-flowd" --no-nxm "punix:$TMPD/a$1.sock" > "$TMPD/a$1.out"
    spawn "$BUILD/tests/helpers/ofp-flowd" --no-nxm "punix:$TMPD/b$1.sock" > "$TMPD/b$1.out"
    wait_for 5 grep -q listening "$TMPD/a$1.out" || fail "switch a$1"
    wait_for 5 grep -q listening "$TMPD/b$1.out" || fail "switch b$1"
}

norm() { sed -E "s/duration=[0-9.]+s/duration=D/; s#$TMPD/[ab][0-9]+\\.sock#SOCK#g"; }
# first_error FILE: the first line of stderr if it is an OFPT_ERROR line.
first_error() { head -n 1 "$1" | grep '^OFPT_ERROR' || true; }

# same V ARGS...: ARGS with TGT replaced by each switch's socket.
same() {
    local v=$1; shift
    local a=() b=() x
    for x in "$@"; do
        if [ "$x" = TGT ]; then a+=("unix:$TMPD/a$v.sock"); b+=("unix:$TMPD/b$v.sock");
        else a+=("$x"); b+=("$x"); fi
    done
    timeout 20 ovs-ofctl -O "OpenFlow$v" "${a[@]}" > "$TMPD/o1" 2> "$TMPD/e1" < "${STDIN:-/dev/null}"; local r1=$?
    timeout 20 "$OFCTL" -O "OpenFlow$v" "${b[@]}" > "$TMPD/o2" 2> "$TMPD/e2" < "${STDIN:-/dev/null}"; local r2=$?
    if [ "$r1" != "$r2" ]; then echo "# exit $r1 vs $r2: $*" >&2; cat "$TMPD/e1" "$TMPD/e2" >&2; return 1; fi
    if ! diff <(norm < "$TMPD/o1") <(norm < "$TMPD/o2") >&2; then echo "# stdout differs: $*" >&2; return 1; fi
    if [ "$(first_error "$TMPD/e1")" != "$(first_error "$TMPD/e2")" ]; then
        echo "# error differs: $(head -1 "$TMPD/e1") / $(head -1 "$TMPD/e2")" >&2; return 1
    fi
}
# tables_equal V: both switches hold the same flows.
tables_equal() {
    diff <(ovs-ofctl -O "OpenFlow$1" --no-stats dump-flows "unix:$TMPD/a$1.sock" | sort) \
         <(ovs-ofctl -O "OpenFlow$1" --no-stats dump-flows "unix:$TMPD/b$1.sock" | sort) >&2
}
step() { local v=$1 what=$2; shift 2; check "OF$v $what" same "$v" "$@"; check "OF$v $what: tables equal" tables_equal "$v"; }

cat > "$TMPD/flows.txt" <<'FLOWS'
# a comment, then flows
priority=10,cookie=0x1,udp,actions=output:1
priority=20,cookie=0x2,udp,tp_dst=53,actions=output:2

priority=30,cookie=0x3,arp,actions=FLOOD
priority=40,cookie=0x13,icmp,actions=CONTROLLER:128
FLOWS
printf 'priority=50,ip,nw_src=10.1.0.0/16,actions=drop\npriority=51,tcp,tp_src=22,actions=output:3\n' > "$TMPD/stdin.txt"
printf 'priority=60,ip,actions=output:1\npriority=61,ip,actions=bogus_action\n' > "$TMPD/bad.txt"

for v in 10 13; do
    start_pair "$v"
    step $v "add-flow" add-flow TGT "priority=100,tcp,nw_dst=10.0.0.0/24,tp_dst=80,actions=output:2"
    step $v "add-flows FILE" add-flows TGT "$TMPD/flows.txt"
    STDIN=$TMPD/stdin.txt step $v "add-flows - (stdin)" add-flows TGT -
    step $v "dump-flows" dump-flows TGT
    step $v "dump-flows --no-stats" --no-stats dump-flows TGT
    step $v "dump-flows with a match" dump-flows TGT udp
    step $v "dump-flows with cookie filter" dump-flows TGT "cookie=0x3/0xf"
    step $v "del-flows by cookie" del-flows TGT "cookie=0x13/-1"
    step $v "dump-aggregate" dump-aggregate TGT
    step $v "dump-aggregate with a match" dump-aggregate TGT "ip"
    step $v "mod-flows (non-strict)" mod-flows TGT "udp,actions=output:7"
    step $v "mod-flows --strict" --strict mod-flows TGT "priority=20,udp,tp_dst=53,actions=output:8"
    step $v "del-flows --strict, wrong priority" --strict del-flows TGT "priority=11,udp"
    step $v "del-flows --strict" --strict del-flows TGT "priority=10,udp"
    step $v "del-flows out_port" del-flows TGT "out_port=8"
    step $v "check_overlap error" add-flow TGT "check_overlap,priority=100,tcp,nw_dst=10.0.0.0/24,tp_dst=80,actions=drop"
    step $v "add-flows with a bad flow" add-flows TGT "$TMPD/bad.txt"
    step $v "bad flow text" add-flow TGT "priority=1,nosuchfield=3,actions=drop"
    step $v "show" show TGT
    step $v "dump-desc" dump-desc TGT
    step $v "dump-tables" dump-tables TGT
    step $v "dump-ports" dump-ports TGT
    step $v "dump-ports-desc" dump-ports-desc TGT
    step $v "--no-names add-flow" --no-names add-flow TGT "priority=7,arp,actions=drop"
    step $v "packet-out (accepted; no datapath to send it)" packet-out TGT "in_port=CONTROLLER packet=ffffffffffff0000000000010800 actions=output:2"
    if [ $v = 13 ]; then
        step $v "add-group" add-group TGT "group_id=1,type=all,bucket=output:1,bucket=output:2"
        step $v "add-group select" add-group TGT "group_id=2,type=select,bucket=weight:5,output:1,bucket=weight:7,output:3"
        step $v "add-group exists" add-group TGT "group_id=1,type=all,bucket=output:1"
        step $v "flow to a group" add-flow TGT "priority=8,udp,actions=group:2"
        step $v "flow to a missing group" add-flow TGT "priority=8,tcp,actions=group:99"
        step $v "mod-group" mod-group TGT "group_id=1,type=all,bucket=output:4"
        step $v "dump-groups" dump-groups TGT
        step $v "del-groups one" del-groups TGT "group_id=2"
        step $v "del-groups all" del-groups TGT
        step $v "dump-groups empty" dump-groups TGT
        step $v "goto_table backwards" add-flow TGT "table=3,actions=goto_table:1"
    fi
    step $v "del-flows (all)" del-flows TGT
    step $v "dump-flows empty" dump-flows TGT
done

check "-O OpenFlow10,OpenFlow13 negotiates 1.3 with a 1.3 switch" bash -c \
    '"$1" -O OpenFlow10,OpenFlow13 dump-flows "$2" | grep -q "^OFPST_FLOW reply (OF1.3)"' _ "$OFCTL" "unix:$TMPD/a13.sock"
check "no -O means OpenFlow 1.0" bash -c \
    '"$1" dump-flows "$2" | grep -q "^OFPST_FLOW reply (xid="' _ "$OFCTL" "unix:$TMPD/a13.sock"
check "groups need 1.3: one line, exit 1" bash -c \
    '! "$1" dump-groups "$2" 2> "$3" && [ "$(wc -l < "$3")" = 1 ]' _ "$OFCTL" "unix:$TMPD/a13.sock" "$TMPD/g.err"

# Bad input: one line, exit 1.
bad() {
    local pattern=$1; shift
    "$OFCTL" "$@" > "$TMPD/bo" 2> "$TMPD/be"; local rc=$?
    [ "$rc" = 1 ] && [ "$(wc -l < "$TMPD/be")" = 1 ] && grep -q -- "$pattern" "$TMPD/be" ||
        { echo "# rc=$rc: $(cat "$TMPD/be")" >&2; return 1; }
}
check "unknown command" bad "unknown command 'frob'" frob "unix:$TMPD/a10.sock"
check "no command" bad "missing command" 
check "missing target" bad "requires at least" dump-flows
check "bad flow text" bad "nosuchfield" add-flow "unix:$TMPD/a10.sock" "nosuchfield=1,actions=drop"
check "unreachable unix target" bad "connecting to unix:$TMPD/nothing" show "unix:$TMPD/nothing"
check "unreachable bridge (default rundir)" bad "connecting to unix:/run/vswitch/br9.mgmt" show br9
export VSWITCH_RUNDIR=$TMPD
check "bridge name goes to RUNDIR/BR.mgmt" bad "connecting to unix:$TMPD/br9.mgmt" show br9
check "tcp target refused" bad "connecting to tcp:127.0.0.1:1" show tcp:127.0.0.1:1
check "bad -O" bad "OpenFlow99" -O OpenFlow99 show br9
check "unknown option" bad "unknown option" --frobnicate show br9
echo "1..$n"
