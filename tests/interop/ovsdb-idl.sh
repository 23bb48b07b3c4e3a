#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The IDL (our OVSDB client replica) against two servers: Debian's
# ovsdb-server and our ovsdb-lite, fed by Debian's ovs-vsctl.  Both must
# give the same replica, the same tracked changes, and survive a server
# restart (rows removed while it was down are reported deleted).
# timeout: 240
. "$(dirname "$0")/../lib.sh"
require ovsdb-server ovsdb-tool ovs-vsctl

DUMP=$BUILD/tests/helpers/idl-dump
SCHEMA=$SRCDIR/vswitchd/vswitch.ovsschema
[ -f "$SCHEMA" ] || SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
n=0
check() { local what=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; fi; }

start_server() {                # start_server KIND DIR
    local kind=$1 dir=$2
    case $kind in
    ovsdb-server)
        ovsdb-server "$dir/conf.db" --remote="punix:$dir/db.sock" \
            --pidfile="$dir/server.pid" --detach --no-chdir \
            --unixctl="$dir/server.ctl" --log-file="$dir/server.log" ;;
    ovsdb-lite)
        VSWITCH_RUNDIR=$dir "$BUILD/ovsdb-lite/ovsdb-lite" "$dir/conf.db" \
            --remote="punix:$dir/db.sock" --pidfile="$dir/server.pid" \
            --detach --no-chdir --log-file="$dir/server.log" ;;
    esac
}

run_kind() {
    local kind=$1 dir=$TMPD/$1 db
    mkdir -p "$dir"
    db=unix:$dir/db.sock
    case $kind in
    ovsdb-server) ovsdb-tool create "$dir/conf.db" "$SCHEMA" ;;
    ovsdb-lite) "$BUILD/ovsdb-lite/ovsdb-lite-tool" create "$dir/conf.db" "$SCHEMA" ;;
    esac
    track_pidfile "$dir/server.pid"
    start_server "$kind" "$dir"
    vsctl() { ovs-vsctl --db="$db" --no-wait --timeout=10 "$@"; }
    vsctl init -- add-br br0 -- add-port br0 p1 tag=5 \
        -- set interface p1 type=internal external-ids:k=v
    "$DUMP" "$db" Open_vSwitch Bridge:name,ports Port:name,tag,trunks \
        Interface:name,type,external_ids > "$dir/dump.txt"
    check "$kind: initial replica" grep -qx 'Port name="p1" tag=5 trunks=\["set",\[\]\]' "$dir/dump.txt"
    check "$kind: uuid-valued set column" grep -qx 'Bridge name="br0" ports=<2>' "$dir/dump.txt"
    check "$kind: map column" grep -qx 'Interface name="p1" type="internal" external_ids=\["map",\[\["k","v"\]\]\]' "$dir/dump.txt"

    "$DUMP" --watch=4 --timeout=60 "$db" Open_vSwitch Port:name,tag,trunks > "$dir/watch.txt" &
    local watcher=$!
    at_cleanup kill_pid "$watcher"
    wait_for 30 grep -q synced "$dir/watch.txt"
    vsctl set port p1 tag=7 trunks=1,2
    vsctl clear port p1 tag -- set port p1 trunks=2,3
    vsctl add-port br0 p2
    vsctl del-port p2
    wait_for 30 grep -q done "$dir/watch.txt"
    check "$kind: optional scalar and set changes" grep -qx 'modified Port name="p1" tag=7 trunks=\["set",\[1,2\]\]' "$dir/watch.txt"
    check "$kind: clear and set difference" grep -qx 'modified Port name="p1" tag=\["set",\[\]\] trunks=\["set",\[2,3\]\]' "$dir/watch.txt"
    check "$kind: inserted row" grep -qx 'inserted Port name="p2" tag=\["set",\[\]\] trunks=\["set",\[\]\]' "$dir/watch.txt"
    check "$kind: deleted row (garbage-collected by the server)" grep -qx 'deleted Port name="p2" tag=\["set",\[\]\] trunks=\["set",\[\]\]' "$dir/watch.txt"

    # Restart: the replica resynchronises; rows gone meanwhile are reported.
    "$DUMP" --watch=2 --timeout=60 "$db" Open_vSwitch Port:name > "$dir/restart.txt" &
    watcher=$!
    at_cleanup kill_pid "$watcher"
    wait_for 30 grep -q synced "$dir/restart.txt"
    kill_pid "$(cat "$dir/server.pid")"
    start_server "$kind" "$dir"
    vsctl del-port p1 -- add-port br0 p9
    wait_for 40 grep -q done "$dir/restart.txt"
    check "$kind: reconnected and saw the deletion" grep -qx 'deleted Port name="p1"' "$dir/restart.txt"
    check "$kind: reconnected and saw the insertion" grep -qx 'inserted Port name="p9"' "$dir/restart.txt"
    kill_pid "$(cat "$dir/server.pid")"
}

run_kind ovsdb-server
if [ -x "$BUILD/ovsdb-lite/ovsdb-lite" ]; then
    run_kind ovsdb-lite
    check "same replica from both servers" diff "$TMPD/ovsdb-server/dump.txt" "$TMPD/ovsdb-lite/dump.txt"
    check "same changes from both servers" diff "$TMPD/ovsdb-server/watch.txt" "$TMPD/ovsdb-lite/watch.txt"
fi
echo "1..$n"
