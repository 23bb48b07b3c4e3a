#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 120
#
# OpenFlow semantics of vswitchd's agent that ovs-ofctl cannot show,
# driven by tests/helpers/ofp-agent-probe over the bridge's ptcp:
# endpoint and its management socket: roles with generation ids (a new
# master demotes the old one, stale generations refused, slaves get
# IS_SLAVE for FLOW_MOD, PACKET_OUT and PORT_MOD), malformed messages
# answered with the right error on a connection that stays up, a peer
# that stops reading disconnected while the switch keeps serving others,
# and a controller that stops answering probed, dropped and reconnected.
# Also vswitch-appctl ofproto/list.  Prints TAP.
. "$(dirname "$0")/../lib.sh"
. "$SRCDIR/tests/vswitchd-lib.sh"
require_root
require python3 ss ovs-ofctl
PROBE=$BUILD/tests/helpers/ofp-agent-probe
[ -x "$PROBE" ] || fail "missing $PROBE (make first)"

start_vswitchd
BR=op${T}b
at_cleanup ip link delete "$BR"
check "add-br + a dummy port" vsctl add-br "$BR" -- add-port "$BR" "op${T}d" -- set Interface "op${T}d" type=dummy
PORT=$(free_port)
check "set-controller ptcp:$PORT:127.0.0.1" vsctl set-controller "$BR" "ptcp:$PORT:127.0.0.1"
wait_for 5 bash -c "ss -ltn | grep -q '127.0.0.1:$PORT '" || fail "no ptcp listener"
TGT=tcp:127.0.0.1:$PORT

timeout 30 "$PROBE" roles "$TGT" > "$TMPD/roles" 2>&1
line() { grep -F "$1:" "$TMPD/roles" | head -1 | sed "s/^$1: //"; }
expect "first master (generation 1)" "role master generation 1" line "A master gen 1"
expect "second master (generation 2)" "role master generation 2" line "B master gen 2"
expect "the old master became a slave" "role slave generation 2" line "A nochange"
expect "slave FLOW_MOD refused" "error IS_SLAVE" line "A flow_mod"
expect "slave PACKET_OUT refused" "error IS_SLAVE" line "A packet_out"
expect "slave PORT_MOD refused" "error IS_SLAVE" line "A port_mod"
expect "stale generation refused" "error ROLE_STALE" line "A slave gen 1"
expect "master FLOW_MOD accepted" "ok" line "B flow_mod"
expect "equal FLOW_MOD accepted" "ok" line "A flow_mod as equal"
expect "master turned slave refused" "error IS_SLAVE" line "B flow_mod as slave"

timeout 30 "$PROBE" malformed "unix:$VSWITCH_RUNDIR/$BR.mgmt" > "$TMPD/bad" 2>&1
line() { grep -F "$1:" "$TMPD/bad" | head -1 | sed "s/^$1: //"; }
expect "truncated FLOW_MOD: BAD_LEN" "error BAD_LEN" line "truncated flow_mod"
expect "unknown type: BAD_TYPE" "error BAD_TYPE" line "unknown type"
expect "unknown multipart: BAD_MULTIPART" "error BAD_MULTIPART" line "unknown multipart"
expect "experimenter: BAD_EXPERIMENTER" "error BAD_EXPERIMENTER" line "experimenter"
expect "FEATURES_REQUEST with a body: BAD_LEN" "error BAD_LEN" line "bad length features_request"
expect "the connection stays up (echo answered)" "reply 3" line "echo after"

timeout 60 "$PROBE" slow "$TGT" > "$TMPD/slow" 2>&1
check "others are served while a peer does not read" grep -qx responsive "$TMPD/slow"
check "the peer that did not read was disconnected" grep -qx disconnected "$TMPD/slow" ||
    sed 's/^/#   /' "$TMPD/slow"
check "the switch still answers" timeout 10 "$OFCTL" show "$BR"

# A controller that completes the handshake and then never answers: probed
# after inactivity_probe, dropped after as long again, reconnected.
cat > "$TMPD/mute.py" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(4)
print("port", s.getsockname()[1], flush=True)
n = 0
while True:
    c, _ = s.accept()
    n += 1
    print("accept", n, flush=True)
    c.sendall(bytes([4, 0, 0, 8, 0, 0, 0, 1]))  # HELLO 1.3, nothing more.
    buf = b""
    while True:
        d = c.recv(4096)
        if not d:
            break
        buf += d
        while len(buf) >= 8 and len(buf) >= int.from_bytes(buf[2:4], "big"):
            size = int.from_bytes(buf[2:4], "big")
            print("type", buf[1], flush=True)
            buf = buf[size:]
    print("closed", n, flush=True)
PY
python3 "$TMPD/mute.py" > "$TMPD/mute.out" 2>&1 &
MUTE=$!
at_cleanup kill_pid "$MUTE"
wait_for 5 grep -q '^port' "$TMPD/mute.out" || fail "mute controller did not start"
MPORT=$(sed -n 's/^port //p' "$TMPD/mute.out")
check "set-controller to a mute controller" vsctl set-controller "$BR" "tcp:127.0.0.1:$MPORT"
CUUID=$(vsctl get Bridge "$BR" controller | tr -d '[]')
check "inactivity_probe=1000 max_backoff=1000" vsctl set Controller "$CUUID" inactivity_probe=1000 max_backoff=1000
check "it gets an ECHO_REQUEST after being idle" wait_for 10 grep -q '^type 2$' "$TMPD/mute.out"
check "and is dropped for not answering" wait_for 10 grep -q '^closed 1$' "$TMPD/mute.out"
check "then reconnected" wait_for 10 grep -q '^accept 2$' "$TMPD/mute.out"
check "the log says why" grep -q 'no response to inactivity probe' "$TMPD/vswitchd.log"
check "del-controller" vsctl del-controller "$BR"

# A ptcp: port that is taken: the error is in the Controller row and the
# listen is retried until the port is free.
python3 -c 'import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(1); print(s.getsockname()[1], flush=True)
time.sleep(60)' > "$TMPD/busy" &
BUSY=$!
at_cleanup kill_pid "$BUSY"
wait_for 5 test -s "$TMPD/busy" || fail "port holder did not start"
BPORT=$(cat "$TMPD/busy")
check "set-controller ptcp: on a taken port" vsctl set-controller "$BR" "ptcp:$BPORT:127.0.0.1"
CUUID=$(vsctl get Bridge "$BR" controller | tr -d '[]')
check "Controller.status says why" wait_for 10 bash -c "$(declare -f vsctl); CTL='$CTL' DB='$DB'; vsctl get Controller '$CUUID' status | grep -q 'last_error=\"Address already in use\"'"
kill_pid "$BUSY"
check "listening once the port is free" wait_for 10 bash -c "ss -ltn | grep -q '127.0.0.1:$BPORT '"
check "served there" timeout 10 "$OFCTL" show "tcp:127.0.0.1:$BPORT"
check "del-controller" vsctl del-controller "$BR"

# other_config:flow-restore-wait=true: controllers are not connected
# (a ptcp: target is not listened on) while the management socket still
# serves; false: the controller comes up.
FPORT=$(free_port)
check "flow-restore-wait=true" vsctl set Open_vSwitch . other_config:flow-restore-wait=true
check "set-controller ptcp: during flow-restore-wait" vsctl set-controller "$BR" "ptcp:$FPORT:127.0.0.1"
sleep 1
check "no controller listener while flows are restored" bash -c "! ss -ltn | grep -q '127.0.0.1:$FPORT '"
check "BR.mgmt still serves (ovs-ofctl add-flow)" timeout 10 ovs-ofctl add-flow "$BR" "priority=5,actions=NORMAL"
check "flow-restore-wait=false" vsctl set Open_vSwitch . other_config:flow-restore-wait=false
check "the controller listener comes up" wait_for 10 bash -c "ss -ltn | grep -q '127.0.0.1:$FPORT '"
check "del-controller" vsctl del-controller "$BR"

[ -x "$APPCTL" ] || fail "missing $APPCTL"
check "vswitch-appctl ofproto/list names the bridge" bash -c "'$APPCTL' -t vswitchd ofproto/list | grep -qx '$BR'"
check "del-br" vsctl del-br "$BR"
echo "1..$n"
