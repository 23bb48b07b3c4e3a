#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/ovsdb/run.sh [ROUNDS]: ovsdb-lite against Debian's ovsdb-server, same
# schema (vswitchd/vswitch.ovsschema), same clients, interleaved, ROUNDS
# rounds (default 3).  Databases live on the disk (not tmpfs); every
# benchmark transaction asks for durability ("commit" durable:true), which
# makes ovsdb-server fsync as ovsdb-lite always does.  ovs-vsctl cannot ask
# for durability, so in the add-port figure ovsdb-server does not fsync
# while ovsdb-lite does.
#
# Figures (printed as medians with min-max, and the lite/server ratio):
#   txn/s, 1 client     small update transactions (2000)
#   txn/s, 8 clients    the same, 8 concurrent clients (8 x 400)
#   add-port x1000      time for 1000 `ovs-vsctl --no-wait add-port`
#   RSS, 10k ports      server resident memory after 10,000 ports
# Nothing here is asserted; tests never judge performance.
set -u
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$SRCDIR/$BUILD ;; esac
ROUNDS=${1:-3}
N1=${N1:-2000}
N8=${N8:-400}
NPORTS=${NPORTS:-1000}
SCHEMA=$SRCDIR/vswitchd/vswitch.ovsschema
CLIENT="/usr/bin/python3 $SRCDIR/bench/ovsdb/client.py"
WORK=$(mktemp -d /var/tmp/ovsdb-bench.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2> /dev/null; wait 2> /dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

for c in ovsdb-server ovsdb-tool ovs-vsctl; do
    command -v $c > /dev/null || { echo "SKIP: missing $c"; exit 77; }
done

start() {   # start KIND: fresh database and server; sets PID and SOCK
    local kind=$1
    rm -rf "$WORK/$kind"; mkdir -p "$WORK/$kind"
    SOCK=$WORK/$kind/db.sock
    if [ "$kind" = lite ]; then
        "$BUILD/ovsdb-lite/ovsdb-lite-tool" create "$WORK/$kind/conf.db" "$SCHEMA"
        "$BUILD/ovsdb-lite/ovsdb-lite" --remote="punix:$SOCK" --unixctl=none \
            -vconsole:off "$WORK/$kind/conf.db" &
    else
        ovsdb-tool create "$WORK/$kind/conf.db" "$SCHEMA"
        ovsdb-server --remote="punix:$SOCK" --unixctl="$WORK/$kind/ctl" \
            --no-chdir -vconsole:off "$WORK/$kind/conf.db" &
    fi
    PID=$!
    for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
    $CLIENT "$SOCK" setup > /dev/null
}
stop() { kill "$PID"; wait "$PID" 2> /dev/null; PID=; }

declare -A R
record() { R[$1,$2]="${R[$1,$2]:-} $3"; }

for round in $(seq "$ROUNDS"); do
    for kind in server lite; do
        # 1 client.
        start $kind
        t=$($CLIENT "$SOCK" updates "$N1" c0)
        record tx1 $kind "$(python3 -c "print($N1 / $t)")"
        # 8 clients.
        t0=$(date +%s.%N)
        pids=()
        for c in $(seq 8); do $CLIENT "$SOCK" updates "$N8" "c$c" > /dev/null & pids+=($!); done
        wait "${pids[@]}"
        t1=$(date +%s.%N)
        record tx8 $kind "$(python3 -c "print(8 * $N8 / ($t1 - $t0))")"
        stop
        # ovs-vsctl add-port.
        start $kind
        t0=$(date +%s.%N)
        for i in $(seq "$NPORTS"); do
            ovs-vsctl --db="unix:$SOCK" --no-wait add-port br0 "v$i" || exit 1
        done
        t1=$(date +%s.%N)
        record vsctl $kind "$(python3 -c "print($t1 - $t0)")"
        stop
        # Memory with 10,000 ports.
        start $kind
        $CLIENT "$SOCK" ports 10000 100 > /dev/null
        sleep 0.5
        record rss $kind "$(awk '/VmRSS/ {print $2 / 1024}' /proc/$PID/status)"
        stop
    done
done

python3 - "$ROUNDS" <<PY
import statistics, sys
R = {}
$(for k in "${!R[@]}"; do echo "R['$k'] = [float(x) for x in '${R[$k]}'.split()]"; done)
rows = [("tx1", "txn/s, 1 client (higher is better)", True),
        ("tx8", "txn/s, 8 clients (higher is better)", True),
        ("vsctl", "s for $NPORTS ovs-vsctl --no-wait add-port (lower is better)", False),
        ("rss", "MiB RSS with 10,000 ports (lower is better)", False)]
print("| figure | ovsdb-server median (min-max) | ovsdb-lite median (min-max) | lite/server |")
print("|---|---|---|---|")
for key, label, _ in rows:
    s, l = R[key + ",server"], R[key + ",lite"]
    ms, ml = statistics.median(s), statistics.median(l)
    print("| %s | %.1f (%.1f-%.1f) | %.1f (%.1f-%.1f) | %.2f |" % (
        label, ms, min(s), max(s), ml, min(l), max(l), ml / ms))
print("rounds: %s, interleaved server/lite" % sys.argv[1])
PY
