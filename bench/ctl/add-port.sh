#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/ctl/add-port.sh [N]: N (default 1000) `add-port br0 pK` calls, one
# process each, through vswitch-ctl and through Debian's real ovs-vsctl,
# each against its own fresh ovsdb-lite, both --no-wait; interleaved in
# blocks of 100 so machine noise hits both alike.  Then the per-invocation
# startup cost: 200 runs of a read-only `br-exists br0` on a database with
# one bridge (connect, fetch schema, initial monitor contents, exit).
# Prints a small Markdown table.
set -u
N=${1:-1000}
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$SRCDIR/build}
LITE=$BUILD/ovsdb-lite/ovsdb-lite
TOOL=$BUILD/ovsdb-lite/ovsdb-lite-tool
CTL=$BUILD/utilities/vswitch-ctl
command -v ovs-vsctl > /dev/null || { echo "SKIP: no ovs-vsctl"; exit 77; }
[ -x "$CTL" ] && [ -x "$LITE" ] || { echo "build first" >&2; exit 1; }
TMPD=$(mktemp -d /tmp/bench-ctl.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null; done
    rm -rf "$TMPD"
}
trap cleanup EXIT

for k in real ours; do
    "$TOOL" create "$TMPD/$k.db" "$SRCDIR/vswitchd/vswitch.ovsschema"
    "$LITE" --remote="punix:$TMPD/$k.sock" --unixctl="$TMPD/$k.ctl" \
        --log-file="$TMPD/$k.log" --pidfile="$TMPD/$k.pid" --detach \
        "$TMPD/$k.db" 2> /dev/null
    PIDS+=("$(cat "$TMPD/$k.pid")")
done
REAL="ovs-vsctl --db=unix:$TMPD/real.sock --no-wait"
OURS="$CTL --db=unix:$TMPD/ours.sock --no-wait"
$REAL -- init -- add-br br0
$OURS -- init -- add-br br0

now() { date +%s.%N; }
t_real=0 t_ours=0
for ((b = 0; b < N; b += 100)); do
    e=$((b + 100 < N ? b + 100 : N))
    t0=$(now)
    for ((i = b; i < e; i++)); do $REAL add-port br0 "p$i" || exit 1; done
    t1=$(now)
    for ((i = b; i < e; i++)); do $OURS add-port br0 "p$i" || exit 1; done
    t2=$(now)
    t_real=$(echo "$t_real + $t1 - $t0" | bc)
    t_ours=$(echo "$t_ours + $t2 - $t1" | bc)
done
[ "$($REAL list-ports br0 | wc -l)" = "$N" ] || { echo "real: wrong count" >&2; exit 1; }
[ "$($OURS list-ports br0 | wc -l)" = "$N" ] || { echo "ours: wrong count" >&2; exit 1; }

# Startup: a fresh pair of databases with one bridge.
for k in real ours; do
    "$TOOL" create "$TMPD/s$k.db" "$SRCDIR/vswitchd/vswitch.ovsschema"
    "$LITE" --remote="punix:$TMPD/s$k.sock" --unixctl="$TMPD/s$k.ctl" \
        --log-file="$TMPD/s$k.log" --pidfile="$TMPD/s$k.pid" --detach \
        "$TMPD/s$k.db" 2> /dev/null
    PIDS+=("$(cat "$TMPD/s$k.pid")")
done
ovs-vsctl --db="unix:$TMPD/sreal.sock" --no-wait -- init -- add-br br0
"$CTL" --db="unix:$TMPD/sours.sock" --no-wait -- init -- add-br br0
M=200
t0=$(now)
for ((i = 0; i < M; i++)); do ovs-vsctl --db="unix:$TMPD/sreal.sock" br-exists br0; done
t1=$(now)
for ((i = 0; i < M; i++)); do "$CTL" --db="unix:$TMPD/sours.sock" br-exists br0; done
t2=$(now)
s_real=$(echo "($t1 - $t0) * 1000 / $M" | bc -l)
s_ours=$(echo "($t2 - $t1) * 1000 / $M" | bc -l)

printf '| measure | ovs-vsctl | vswitch-ctl | ratio (ours/real) |\n'
printf '|---|---|---|---|\n'
printf '| %d add-port (s) | %.2f | %.2f | %.2f |\n' "$N" "$t_real" "$t_ours" \
    "$(echo "$t_ours / $t_real" | bc -l)"
printf '| per add-port, avg (ms) | %.2f | %.2f | |\n' \
    "$(echo "$t_real * 1000 / $N" | bc -l)" "$(echo "$t_ours * 1000 / $N" | bc -l)"
printf '| startup: br-exists, 1 bridge (ms) | %.2f | %.2f | %.2f |\n' \
    "$s_real" "$s_ours" "$(echo "$s_ours / $s_real" | bc -l)"
