#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 180
#
# Debian's ovs-ofctl (OpenFlow 1.0 and -O OpenFlow13) and our
# vswitch-ofctl against the OpenFlow agent of a running vswitchd: through
# the bridge's management socket ("ovs-ofctl show BR" with OVS_RUNDIR) and
# through a ptcp: controller endpoint.  show, add-flow, add-flows FILE,
# dump-flows with a match and with a cookie filter, mod-flows, strict and
# non-strict del-flows, check_overlap, dump-ports, dump-ports-desc,
# dump-tables, add-group/dump-groups, packet-out (the frame seen by
# tcpdump in the namespace behind the output port), a hard_timeout flow
# whose FLOW_REMOVED and a port removal's PORT_STATUS reach
# "ovs-ofctl monitor BR 65534".  Prints TAP.
. "$(dirname "$0")/../lib.sh"
. "$SRCDIR/tests/vswitchd-lib.sh"
require_root
require ip ss ovs-ofctl tcpdump python3

start_vswitchd
of10() { timeout 20 ovs-ofctl "$@"; }
of13() { timeout 20 ovs-ofctl -O OpenFlow13 "$@"; }
vof() { timeout 20 "$OFCTL" "$@"; }
# has NAME PATTERN CMD...: CMD succeeds and its output matches PATTERN.
has() {
    local name=$1 pat=$2; shift 2
    if "$@" > "$TMPD/o" 2> "$TMPD/e" && grep -Eq -- "$pat" "$TMPD/o"; then pass "$name"
    else flunk "$name"; sed 's/^/#   /' "$TMPD/o" "$TMPD/e" | head -15; fi
}
# lacks NAME PATTERN CMD...: CMD succeeds and its output does not match.
lacks() {
    local name=$1 pat=$2; shift 2
    if "$@" > "$TMPD/o" 2> "$TMPD/e" && ! grep -Eq -- "$pat" "$TMPD/o"; then pass "$name"
    else flunk "$name"; sed 's/^/#   /' "$TMPD/o" "$TMPD/e" | head -15; fi
}
nflows() { of13 --no-stats dump-flows "$BR" "$@" | grep -c 'priority=' ; }
P=oc$T
BR=${P}b
at_cleanup ip link delete "$BR"
add_hosts "$P"
check "add-br with two ports (ofport 1 and 2)" vsctl add-br "$BR" \
    -- add-port "$BR" "${P}1" -- set Interface "${P}1" ofport_request=1 \
    -- add-port "$BR" "${P}2" -- set Interface "${P}2" ofport_request=2
has "standalone without controllers: a priority=0 NORMAL flow" "priority=0 actions=NORMAL" timeout 20 ovs-ofctl dump-flows "$BR"
check "fail_mode secure" vsctl set-fail-mode "$BR" secure
expect "secure: the NORMAL flow is gone" 0 bash -c "ovs-ofctl -O OpenFlow13 --no-stats dump-flows '$BR' | grep -c priority="


log "show through BR.mgmt"
has "OF1.0 show lists port 1 by name" "^ 1\\(${P}1\\): addr:" of10 show "$BR"
has "OF1.0 show lists LOCAL" "^ LOCAL\\($BR\\)" of10 show "$BR"
DPID=$(vsctl get Bridge "$BR" datapath_id | tr -d '"')
has "OF1.0 show: dpid is Bridge.datapath_id" "dpid:$DPID" of10 show "$BR"
has "OF1.3 show (PORT_DESC)" "^ 2\\(${P}2\\): addr:" of13 show "$BR"
has "OF1.3 show: n_tables 254" "n_tables:254, n_buffers:0" of13 show "$BR"
has "vswitch-ofctl show BR" "^ 2\\(${P}2\\)" vof show "$BR"

log "flows"
check "OF1.0 add-flow" of10 add-flow "$BR" "priority=100,cookie=0x11,tcp,tp_dst=80,actions=output:2"
cat > "$TMPD/flows" <<'FLOWS'
priority=10,cookie=0x21,udp,actions=output:1
priority=20,cookie=0x22,udp,tp_dst=53,actions=output:2
priority=30,cookie=0x31,arp,actions=FLOOD
FLOWS
check "OF1.3 add-flows FILE" of13 add-flows "$BR" "$TMPD/flows"
expect "four flows" 4 nflows
has "dump-flows with a match (udp)" "tp_dst=53" of10 dump-flows "$BR" udp
lacks "dump-flows udp leaves tcp out" "tcp" of10 dump-flows "$BR" udp
expect "cookie filter 0x20/0xf0 selects two" 2 nflows "cookie=0x20/0xf0"
check "mod-flows (non-strict, udp)" of10 mod-flows "$BR" "udp,actions=output:1"
expect "both udp flows modified" 2 bash -c "ovs-ofctl --no-stats dump-flows '$BR' udp | grep -c 'actions=output:1'"
check "mod-flows --strict" of13 --strict mod-flows "$BR" "priority=20,udp,tp_dst=53,actions=drop"
expect "only the strict one modified" 1 bash -c "ovs-ofctl --no-stats dump-flows '$BR' udp | grep -c 'actions=drop'"
check "del-flows --strict, wrong priority deletes nothing" of13 --strict del-flows "$BR" "priority=11,udp"
expect "still four" 4 nflows
check "del-flows --strict" of13 --strict del-flows "$BR" "priority=10,udp"
expect "three left" 3 nflows
check "del-flows non-strict by cookie" of13 del-flows "$BR" "cookie=0x31/-1"
expect "two left" 2 nflows
if of10 add-flow "$BR" "check_overlap,priority=100,tcp,actions=drop" 2> "$TMPD/ovl"; then
    flunk "check_overlap refused"
else
    has "check_overlap refused with FLOW_MOD_FAILED/OVERLAP" "OFPFMFC_OVERLAP" cat "$TMPD/ovl"
fi
check "vswitch-ofctl add-flow" vof add-flow "$BR" "priority=5,ip,actions=drop"
has "vswitch-ofctl dump-flows" "priority=5,ip" vof dump-flows "$BR"
check "del-flows (all)" of10 del-flows "$BR"
expect "no flows" 0 nflows

log "ports, tables, groups"
has "OF1.0 dump-ports" "OFPST_PORT reply.*: 3 ports" of10 dump-ports "$BR"
has "OF1.3 dump-ports one port" "port  1: rx pkts" of13 dump-ports "$BR" 1
has "OF1.3 dump-ports-desc" "LOCAL\\($BR\\)" of13 dump-ports-desc "$BR"
has "OF1.0 dump-tables" "table 0" of10 dump-tables "$BR"
has "OF1.3 dump-tables" "tables 2...253: ditto" of13 dump-tables "$BR"
check "OF1.3 add-group" of13 add-group "$BR" "group_id=7,type=all,bucket=output:1,bucket=output:2"
has "OF1.3 dump-groups" "group_id=7,type=all,bucket=actions=output:1,bucket=actions=output:2" of13 dump-groups "$BR"
check "vswitch-ofctl dump-groups" vof -O OpenFlow13 dump-groups "$BR"
has "OF1.3 dump-group-stats" "group_id=7,duration=[0-9.]+s,ref_count=[0-9]+,packet_count=0,byte_count=0,bucket0:packet_count=0" of13 dump-group-stats "$BR"
check "OF1.3 mod-port 2 down" of13 mod-port "$BR" 2 down
has "port 2 is PORT_DOWN, not LIVE" "config: +PORT_DOWN" of13 dump-ports-desc "$BR" 2
check "OF1.0 mod-port 2 up" of10 mod-port "$BR" 2 up
check "OF1.0 mod-port 2 no-flood" of10 mod-port "$BR" 2 no-flood
has "port 2 is NO_FLOOD" "config: +NO_FLOOD" of10 dump-ports-desc "$BR"
check "OF1.0 mod-port 2 flood" of10 mod-port "$BR" 2 flood
if of13 mod-port "$BR" 99 down 2> "$TMPD/mp"; then flunk "mod-port of a missing port refused"; else pass "mod-port of a missing port refused"; fi
check "OF1.3 del-groups" of13 del-groups "$BR"

log "packet-out"
ip netns exec "${P}n2" tcpdump -l -n -i "${P}x2" -c 1 ether src 02:00:00:00:00:77 > "$TMPD/tcpdump" 2>&1 &
TCPDUMP=$!
at_cleanup kill_pid "$TCPDUMP"
sleep 1
FRAME=ffffffffffff020000000077080045000020000100004011f96f0a4d00010a4d0002003f003f000c0000
check "OF1.0 packet-out in_port=LOCAL actions=output:2" of10 packet-out "$BR" "in_port=LOCAL packet=$FRAME actions=output:2"
check "OF1.3 packet-out in_port=CONTROLLER actions=output:2" of13 packet-out "$BR" "in_port=CONTROLLER packet=$FRAME actions=output:2"
if wait_for 5 grep -q '02:00:00:00:00:77\|10.77.0.1' "$TMPD/tcpdump" || wait_for 5 grep -q '1 packet captured' "$TMPD/tcpdump"; then
    pass "the frame came out of port 2"
else
    flunk "the frame came out of port 2"; sed 's/^/#   /' "$TMPD/tcpdump"
fi

log "async messages on a service connection that asks (monitor MISS_LEN)"
timeout 15 ovs-ofctl monitor "$BR" 65534 > "$TMPD/mon" 2>&1 &
MON=$!
at_cleanup kill_pid "$MON"
sleep 1
check "add a hard_timeout=1 send_flow_rem flow" of10 add-flow "$BR" "hard_timeout=1,send_flow_rem,priority=9,ip,actions=drop"
check "add a flow without send_flow_rem" of10 add-flow "$BR" "hard_timeout=1,priority=8,ip,actions=drop"
check "del-port ${P}1" vsctl del-port "$BR" "${P}1"
if wait_for 5 grep -q 'OFPT_FLOW_REMOVED.*priority=9,ip reason=hard' "$TMPD/mon"; then
    pass "monitor saw FLOW_REMOVED (hard timeout)"
else
    flunk "monitor saw FLOW_REMOVED (hard timeout)"; sed 's/^/#   /' "$TMPD/mon"
fi
lacks "no FLOW_REMOVED for the flow without send_flow_rem" "priority=8" cat "$TMPD/mon"
if wait_for 5 grep -q "OFPT_PORT_STATUS.*DEL: 1(${P}1)" "$TMPD/mon"; then
    pass "monitor saw PORT_STATUS DEL"
else
    flunk "monitor saw PORT_STATUS DEL"; sed 's/^/#   /' "$TMPD/mon"
fi
check "add-port again" vsctl add-port "$BR" "${P}1" -- set Interface "${P}1" ofport_request=1
if wait_for 5 grep -q "OFPT_PORT_STATUS.*ADD: 1(${P}1)" "$TMPD/mon"; then
    pass "monitor saw PORT_STATUS ADD"
else
    flunk "monitor saw PORT_STATUS ADD"; sed 's/^/#   /' "$TMPD/mon"
fi
timeout 5 ovs-ofctl monitor "$BR" > "$TMPD/mon0" 2>&1 &
MON0=$!
at_cleanup kill_pid "$MON0"
sleep 1
check "another flow expiring" of10 add-flow "$BR" "hard_timeout=1,send_flow_rem,priority=7,ip,actions=drop"
sleep 2.5
lacks "a service connection that did not ask gets nothing" "FLOW_REMOVED" cat "$TMPD/mon0"

log "ptcp: controller endpoint"
PORT=$(free_port)
check "set-controller ptcp:$PORT:127.0.0.1" vsctl set-controller "$BR" "ptcp:$PORT:127.0.0.1"
wait_for 5 bash -c "ss -ltn | grep -q '127.0.0.1:$PORT '"
has "OF1.0 show over tcp" "^ 2\\(${P}2\\)" of10 show "tcp:127.0.0.1:$PORT"
check "OF1.3 add-flow over tcp" of13 add-flow "tcp:127.0.0.1:$PORT" "priority=3,arp,actions=drop"
has "OF1.3 dump-flows over tcp" "priority=3,arp" of13 dump-flows "tcp:127.0.0.1:$PORT"
has "vswitch-ofctl dump-flows over tcp" "priority=3,arp" vof dump-flows "tcp:127.0.0.1:$PORT"
has "Controller row of a ptcp target: role other" "other" bash -c "$(declare -f vsctl); CTL='$CTL' DB='$DB'; vsctl get Controller \"\$(vsctl get Bridge '$BR' controller | tr -d '[]')\" role"
check "del-controller" vsctl del-controller "$BR"
check "mgmt socket still serves" of10 show "$BR"
check "Bridge protocols=OpenFlow13" vsctl set Bridge "$BR" protocols=OpenFlow13
check "OF1.0 now refused (version negotiation)" bash -c "! timeout 10 ovs-ofctl show '$BR'"
has "OF1.3 still served" "n_tables:254" of13 show "$BR"
check "del-br" vsctl del-br "$BR"
check "BR.mgmt removed with the bridge" test ! -e "$VSWITCH_RUNDIR/$BR.mgmt"
echo "1..$n"
