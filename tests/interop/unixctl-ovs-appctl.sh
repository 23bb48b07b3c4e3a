#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Our unixctl speaks Open vSwitch's control protocol both ways: Debian's
# ovs-appctl drives our sample daemon, and our vswitch-appctl drives
# Debian's ovsdb-server.
# timeout: 60
. "$(dirname "$0")/../lib.sh"
require_root
require ovs-appctl ovsdb-server ovsdb-tool

APPCTL=$BUILD/utilities/vswitch-appctl
export VSWITCH_RUNDIR=$TMPD/run OVS_RUNDIR=$TMPD/ovs
mkdir -p "$VSWITCH_RUNDIR" "$OVS_RUNDIR"
track_pidfile "$VSWITCH_RUNDIR/sampled.pid"
track_pidfile "$OVS_RUNDIR/ovsdb-server.pid"
n=0
check() { local what=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; fi; }

"$BUILD/tests/helpers/sampled" --detach --pidfile --no-chdir
pid=$(cat "$VSWITCH_RUNDIR/sampled.pid")
sock=$VSWITCH_RUNDIR/sampled.$pid.ctl
check "ovs-appctl runs our command" test "$(ovs-appctl -t "$sock" sample/echo hello world)" = "hello world"
check "ovs-appctl reads our version" bash -c "ovs-appctl -t '$sock' version | grep -q 'sampled (vswitch)'"
out=$(ovs-appctl -t "$sock" no/such 2>&1); rc=$?
check "ovs-appctl sees our error reply (exit 2)" test "$rc" = 2
check "the error text arrives" grep -q "not a valid command" <<< "$out"
check "ovs-appctl vlog/set on our daemon" ovs-appctl -t "$sock" vlog/set sampled:console:dbg
ovs-appctl -t "$sock" exit
check "ovs-appctl exit stops our daemon" wait_for 5 bash -c "! kill -0 $pid"

# The other way round.
ovsdb-tool create "$TMPD/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server "$TMPD/conf.db" --remote=punix:"$OVS_RUNDIR/db.sock" \
    --pidfile="$OVS_RUNDIR/ovsdb-server.pid" --detach --no-chdir \
    --unixctl="$OVS_RUNDIR/ovsdb-server.ctl" --log-file="$TMPD/ovsdb-server.log"
check "vswitch-appctl lists ovsdb-server's commands" \
    bash -c "$APPCTL -t '$OVS_RUNDIR/ovsdb-server.ctl' list-commands | grep -q ovsdb-server/compact"
check "vswitch-appctl reads ovsdb-server's version" \
    bash -c "$APPCTL -t '$OVS_RUNDIR/ovsdb-server.ctl' version | grep -q 'ovsdb-server (Open vSwitch)'"
$APPCTL -t "$OVS_RUNDIR/ovsdb-server.ctl" exit
check "vswitch-appctl exit stops ovsdb-server" \
    wait_for 5 bash -c "[ ! -e '$OVS_RUNDIR/ovsdb-server.pid' ]"
echo "1..$n"
