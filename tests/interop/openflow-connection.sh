#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The OpenFlow connection layer (vconn: framing, version negotiation, echo,
# prescribed errors) against Debian's ovs-ofctl, over Unix and TCP sockets.
# The switch's message handling comes with the OpenFlow agent; this proves
# what every OpenFlow conversation stands on.
# timeout: 60
. "$(dirname "$0")/../lib.sh"
require ovs-ofctl

n=0
check() { local what=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; fi; }

SOCK=$TMPD/of.sock
spawn "$BUILD/tests/helpers/ofp-listener" "punix:$SOCK" > "$TMPD/unix.out"
wait_for 5 grep -q listening "$TMPD/unix.out"
spawn "$BUILD/tests/helpers/ofp-listener" "ptcp:0:127.0.0.1" > "$TMPD/tcp.out"
wait_for 5 grep -q listening "$TMPD/tcp.out"
PORT=$(awk '{print $2}' "$TMPD/tcp.out")

check "ovs-ofctl probe (OpenFlow 1.0) over unix" ovs-ofctl probe "unix:$SOCK"
check "ovs-ofctl -O OpenFlow13 probe over unix" ovs-ofctl -O OpenFlow13 probe "unix:$SOCK"
check "ovs-ofctl -O OpenFlow10,OpenFlow13 probe over tcp" \
    ovs-ofctl -O OpenFlow10,OpenFlow13 probe "tcp:127.0.0.1:$PORT"
out=$(ovs-ofctl -O OpenFlow11 probe "unix:$SOCK" 2>&1); rc=$?
check "OpenFlow 1.1 only is refused (exit non-zero)" test "$rc" != 0
check "ovs-ofctl reports the failed negotiation" grep -qi "version negotiation failed" <<< "$out"
# A Nicira extension is refused with the error that makes ovs-ofctl fall
# back (BAD_VENDOR in 1.0, BAD_EXPERIMENTER — same code — in 1.3): its
# connection log shows the error decoded.  (The flow dump that follows is
# the agent's job, so the command is cut short.)
timeout 3 ovs-ofctl -vvconn:console:dbg dump-flows "unix:$SOCK" > "$TMPD/of10.log" 2>&1
check "OF1.0 Nicira SET_FLOW_FORMAT answered with OFPBRC_BAD_VENDOR" \
    grep -q 'received: OFPT_ERROR (xid=0x[0-9a-f]*): OFPBRC_BAD_VENDOR' "$TMPD/of10.log"
timeout 3 ovs-ofctl -O OpenFlow13 -vvconn:console:dbg monitor "unix:$SOCK" > "$TMPD/of13.log" 2>&1
check "OF1.3 experimenter message answered with BAD_EXPERIMENTER" \
    grep -q 'received: OFPT_ERROR (OF1.3) (xid=0x[0-9a-f]*): OFPBRC_BAD_VENDOR' "$TMPD/of13.log"
check "listeners still serve after all that" ovs-ofctl probe "unix:$SOCK"
echo "1..$n"
