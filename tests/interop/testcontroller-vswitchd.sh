#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 150
#
# Debian's ovs-testcontroller (a learning-switch controller) driving our
# vswitchd: the bridge's controller is tcp:127.0.0.1:PORT (set with
# vswitch-ctl set-controller); the handshake completes and the Controller
# row says so (is_connected, role, status); two namespaces behind veths
# ping each other through table-miss PACKET_INs, the controller's
# PACKET_OUTs and the flows it installs (seen with ovs-ofctl dump-flows);
# with the controller gone, is_connected goes false; with fail_mode
# standalone the bridge falls back to NORMAL and the ping still works; and
# with protocols=OpenFlow10 table misses reach the controller without a
# table-miss flow.
# Prints TAP.
. "$(dirname "$0")/../lib.sh"
. "$SRCDIR/tests/vswitchd-lib.sh"
require_root
require ip ping ss ovs-testcontroller ovs-ofctl python3

start_vswitchd
P=tc$T
BR=${P}b
at_cleanup ip link delete "$BR"
add_hosts "$P"

PORT=$(free_port)
spawn ovs-testcontroller -v ptcp:"$PORT":127.0.0.1 > "$TMPD/tc.log" 2>&1
wait_for 5 bash -c "ss -ltn | grep -q '127.0.0.1:$PORT '" || fail "ovs-testcontroller did not listen"

check "add-br + two ports" vsctl add-br "$BR" -- add-port "$BR" "${P}1" -- add-port "$BR" "${P}2"
check "set-fail-mode secure" vsctl set-fail-mode "$BR" secure
check "set-controller (tcp:127.0.0.1:$PORT)" vsctl set-controller "$BR" "tcp:127.0.0.1:$PORT"
ctl_get() { vsctl get Controller "$(vsctl get Bridge "$BR" controller | tr -d '[]')" "$1"; }
if wait_for 15 bash -c "$(declare -f vsctl ctl_get); CTL='$CTL' DB='$DB' BR='$BR' PORT='$PORT'; [ \"\$(ctl_get is_connected)\" = true ]"; then
    pass "Controller.is_connected=true"
else
    flunk "Controller.is_connected=true"; dump_log
fi
expect "Controller.role" other ctl_get role
check "Controller.status has state=ACTIVE" bash -c "$(declare -f vsctl ctl_get); CTL='$CTL' DB='$DB' BR='$BR' PORT='$PORT'; ctl_get status | grep -q 'state=ACTIVE'"
check "Controller.status has sec_since_connect" bash -c "$(declare -f vsctl ctl_get); CTL='$CTL' DB='$DB' BR='$BR' PORT='$PORT'; ctl_get status | grep -q 'sec_since_connect='"

if timeout 20 ip netns exec "${P}n1" ping -c 3 -i 0.3 -W 2 10.77.0.2 > "$TMPD/ping" 2>&1; then
    pass "ping through ovs-testcontroller (packet-in, packet-out)"
else
    flunk "ping through ovs-testcontroller (packet-in, packet-out)"; cat "$TMPD/ping" | sed 's/^/#   /'; tail -5 "$TMPD/tc.log" | sed 's/^/#   /'; dump_log
    { ovs-ofctl -O OpenFlow13 dump-flows "$BR"; appctl dpif/dump-flows "$BR"; appctl upcall/show; } 2>&1 | sed 's/^/#   /'
fi
check "the controller installed learned flows" bash -c "ovs-ofctl dump-flows '$BR' | grep -q 'idle_timeout=60'"
check "ovs-testcontroller saw packet-ins" grep -qi 'packet_in\|learned' "$TMPD/tc.log"

kill_pid "$SPAWNED"
if wait_for 20 bash -c "$(declare -f vsctl ctl_get); CTL='$CTL' DB='$DB' BR='$BR' PORT='$PORT'; [ \"\$(ctl_get is_connected)\" = false ]"; then
    pass "controller gone: is_connected=false"
else
    flunk "controller gone: is_connected=false"
fi
check "status has last_error or sec_since_disconnect" bash -c "$(declare -f vsctl ctl_get); CTL='$CTL' DB='$DB' BR='$BR' PORT='$PORT'; ctl_get status | grep -Eq 'sec_since_disconnect|last_error'"

check "fail_mode standalone" vsctl set-fail-mode "$BR" standalone
check "del-flows" ovs-ofctl del-flows "$BR"
if timeout 20 ip netns exec "${P}n1" ping -c 3 -i 0.3 -W 2 10.77.0.2 > "$TMPD/ping" 2>&1; then
    pass "standalone without controller: NORMAL forwarding"
else
    flunk "standalone without controller: NORMAL forwarding"; dump_log
fi
# OpenFlow 1.0: no table-miss flow; a miss goes to the controller itself.
check "protocols=OpenFlow10, fail_mode secure" vsctl set Bridge "$BR" protocols=OpenFlow10 fail_mode=secure
check "del-flows" ovs-ofctl del-flows "$BR"
PORT=$(free_port)
spawn ovs-testcontroller -v ptcp:"$PORT":127.0.0.1 > "$TMPD/tc10.log" 2>&1
wait_for 5 bash -c "ss -ltn | grep -q '127.0.0.1:$PORT '" || fail "ovs-testcontroller did not listen"
check "set-controller (OpenFlow 1.0)" vsctl set-controller "$BR" "tcp:127.0.0.1:$PORT"
check "connected in OpenFlow 1.0" wait_for 15 grep -q 'connected (OpenFlow 0x01)' "$TMPD/vswitchd.log"
if timeout 20 ip netns exec "${P}n1" ping -c 3 -i 0.3 -W 2 10.77.0.2 > "$TMPD/ping" 2>&1; then
    pass "OF1.0: ping through packet-ins of table misses"
else
    flunk "OF1.0: ping through packet-ins of table misses"; tail -5 "$TMPD/tc10.log" | sed 's/^/#   /'; dump_log
fi
# (ovs-ofctl dumps 1.0 flows with NXST_FLOW, so idle_age is printed, as
# against ovs-vswitchd.)
check "OF1.0: learned exact-match flows have priority 65535" bash -c "ovs-ofctl dump-flows '$BR' | grep -Eq 'idle_timeout=60, idle_age=[0-9]+, priority=65535'"
check "del-br" vsctl del-br "$BR"
echo "1..$n"
