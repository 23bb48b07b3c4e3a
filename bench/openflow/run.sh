#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/openflow/run.sh: OpenFlow flow-table benchmark (issue 8), our
# switch against Debian's ovs-vswitchd, the same flows, the same client,
# one run, interleaved rounds.
#
#   bench/openflow/run.sh [--flows N] [--rounds R] [--kinds "ovs ours"]
#                         [--clients "ovs-ofctl vswitch-ofctl"]
#                         [--out DIR] [--report FILE.md] [--readme]
#
#   --flows N     flows (default $OF_BENCH_FLOWS or 100000), made by
#                 gen-flows.sh: one file for every switch
#   --rounds R    rounds (default $BENCH_ROUNDS or 3); round r runs the
#                 (kind, client) units in an order rotated by r-1
#   --kinds L     "ovs" (ovs-vswitchd + ovsdb-server, netdev bridge) and
#                 "ours" (see OF_OURS_TARGET below)
#   --clients L   ovs-ofctl (the headline: the same client for both) and
#                 vswitch-ofctl; default "ovs-ofctl vswitch-ofctl"
#   --out DIR     raw data and logs (default bench/results/raw/openflow-*)
#   --report F    Markdown report (default bench/results/openflow-DATE.md)
#   --readme      also replace the OpenFlow table in bench/README.md
#
# OF_OURS_TARGET says what "ours" is:
#   auto       (default) vswitchd with a bridge from ovsdb-lite, reached
#              through its management socket $RUNDIR/br0.mgmt; if
#              vswitchd makes no such socket, tests/helpers/ofp-flowd (the
#              same lib/oftable.c tables) listening at the same path, and
#              the report says so
#   vswitchd   vswitchd only (fails if it has no management socket)
#   ofp-flowd  the test switch only
#
# Each unit (kind, client) starts a fresh switch and measures, in order:
#   add     ovs-ofctl -O OpenFlow13 add-flows br0 FILE: the client sends a
#           BARRIER after every FLOW_MOD and waits for its reply, so when it
#           returns every flow is in; dump-aggregate must then report N
#           (otherwise the unit fails)
#   dump    dump-flows br0 > /dev/null (its line count is checked)
#   del     del-flows br0, then dump-aggregate must report 0
# with the wall-clock time of each, the switch daemon's CPU time for each
# (utime + stime of all its threads), and its memory (VmRSS and Pss)
# before the add and after it: (after - before) / N = bytes per flow.
# Exit status 0 when every unit of every available kind was measured.
set -u
BENCH_OF_DIR=$(cd "$(dirname "$0")" && pwd)
. "$BENCH_OF_DIR/../lib.sh"

FLOWS=${OF_BENCH_FLOWS:-100000}
ROUNDS=${BENCH_ROUNDS:-3}
KINDS_ARG="ovs ours"
CLIENTS="ovs-ofctl vswitch-ofctl"
OUT=""
REPORT=""
README=0
while [ $# -gt 0 ]; do
    case $1 in
    --flows) FLOWS=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --kinds) KINDS_ARG=$2; shift ;;
    --clients) CLIENTS=$2; shift ;;
    --out) OUT=$2; shift ;;
    --report) REPORT=$2; shift ;;
    --readme) README=1 ;;
    -h|--help) sed -n "4,42p" "$0"; exit 0 ;;
    *) sed -n "4,42p" "$0" >&2; exit 2 ;;
    esac
    shift
done
[ "$(id -u)" = 0 ] || die "must run as root"
OF_OURS_TARGET=${OF_OURS_TARGET:-auto}
case $OF_OURS_TARGET in auto|vswitchd|ofp-flowd) ;;
*) die "OF_OURS_TARGET: auto, vswitchd or ofp-flowd" ;; esac

DATE=$(date -u +%Y%m%d-%H%M%S)
OUT=${OUT:-$BENCH_DIR/results/raw/openflow-$DATE-$BENCH_TAG}
REPORT=${REPORT:-$BENCH_DIR/results/openflow-$DATE.md}
mkdir -p "$OUT/logs" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
RAW=$OUT/raw.tsv
: > "$RAW"
: > "$OUT/kinds.tsv"
export BENCH_PIDLOG=$OUT/pids.log
: > "$BENCH_PIDLOG"

OURS_VSWITCHD=$BUILD/vswitchd/vswitchd
OURS_LITE=$BUILD/ovsdb-lite/ovsdb-lite
OURS_LITE_TOOL=$BUILD/ovsdb-lite/ovsdb-lite-tool
OURS_CTL=$BUILD/utilities/vswitch-ctl
OURS_OFCTL=$BUILD/utilities/vswitch-ofctl
OURS_FLOWD=$BUILD/tests/helpers/ofp-flowd
OF_TIMEOUT=${OF_BENCH_TIMEOUT:-600}   # per client command, seconds

cleanup() {
    stop_tracked_pids
    ip netns del "$SW_NS" 2> /dev/null
    rm -rf "$BENCH_STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the switches ----------------------------------------------------------
# Each kind's start function leaves: OF_RUNDIR (where br0.mgmt is),
# OF_PID (the daemon whose CPU and memory are measured), OF_WHAT (one line
# for the report).
ovs_of_available() { ovs_available; }
ovs_of_start() {
    ovs_start || return 1
    ovs_vsctl add-br br0 -- set bridge br0 datapath_type=netdev || return 1
    ovs_ofctl del-flows br0 || return 1
    OF_RUNDIR=$OVS_RUNDIR
    OF_PID=$(ovs_pids)
    OF_WHAT="Open vSwitch $(ovs_version) ovs-vswitchd, bridge br0 datapath_type=netdev, no ports"
}
ovs_of_stop() { ovs_stop; }

ours_of_available() {
    local p
    for p in "$OURS_OFCTL"; do
        [ -x "$p" ] || { echo "$p not built"; return 1; }
    done
    case $OF_OURS_TARGET in
    ofp-flowd) [ -x "$OURS_FLOWD" ] || { echo "$OURS_FLOWD not built"; return 1; } ;;
    *) for p in "$OURS_VSWITCHD" "$OURS_LITE" "$OURS_LITE_TOOL" "$OURS_CTL"; do
           [ -x "$p" ] || { echo "$p not built"; return 1; }
       done ;;
    esac
}

# vswitchd with a bridge br0 from ovsdb-lite; 0 when br0.mgmt appeared.
ours_vswitchd_start() {
    local d=$BENCH_STATE/ours i
    export VSWITCH_RUNDIR=$d VSWITCH_LOGDIR=$d
    mkdir -p "$d"
    "$OURS_LITE_TOOL" create "$d/conf.db" "$BENCH_SRCDIR/vswitchd/vswitch.ovsschema" ||
        return 1
    "$OURS_LITE" --detach --pidfile="$d/ovsdb-lite.pid" \
        --remote="punix:$d/db.sock" --log-file="$d/ovsdb-lite.log" \
        "$d/conf.db" || return 1
    track_pid "$(cat "$d/ovsdb-lite.pid")"
    in_sw env VSWITCH_RUNDIR="$d" VSWITCH_LOGDIR="$d" "$OURS_VSWITCHD" \
        --db="unix:$d/db.sock" --detach --pidfile="$d/vswitchd.pid" \
        --log-file="$d/vswitchd.log" ||
        return 1
    track_pid "$(cat "$d/vswitchd.pid")"
    timeout 30 "$OURS_CTL" --db="unix:$d/db.sock" --timeout=20 --no-wait init ||
        return 1
    timeout 30 "$OURS_CTL" --db="unix:$d/db.sock" --timeout=20 add-br br0 ||
        return 1
    for i in $(seq 50); do
        [ -S "$d/br0.mgmt" ] && break
        sleep 0.1
    done
    OF_RUNDIR=$d
    OF_PID=$(cat "$d/vswitchd.pid")
    [ -S "$d/br0.mgmt" ] || return 1
    # As for ovs-vswitchd: the bridge's default NORMAL flow goes first.
    OVS_RUNDIR=$d timeout 30 ovs-ofctl del-flows br0 || return 1
    OF_WHAT="vswitch vswitchd ($("$OURS_VSWITCHD" --version 2> /dev/null | head -n 1)), bridge br0 from ovsdb-lite, management socket br0.mgmt"
    [ -S "$d/br0.mgmt" ]
}
ours_vswitchd_stop() {
    local d=$BENCH_STATE/ours f
    for f in vswitchd ovsdb-lite; do
        [ -f "$d/$f.pid" ] && stop_pid "$(cat "$d/$f.pid")"
    done
    rm -rf "$d"
    return 0
}
ours_flowd_start() {
    local d=$BENCH_STATE/ours i
    mkdir -p "$d"
    "$OURS_FLOWD" "punix:$d/br0.mgmt" > /dev/null \
        2> "$OUT/logs/$KIND.$CLIENT.r$ROUND.ofp-flowd.err" &
    OF_PID=$!
    track_pid "$OF_PID"
    for i in $(seq 50); do
        [ -S "$d/br0.mgmt" ] && break
        sleep 0.1
    done
    OF_RUNDIR=$d
    OF_WHAT="vswitch tests/helpers/ofp-flowd (lib/oftable.c, lib/classifier.c; logs each FLOW_MOD to stdout, here /dev/null), at br0.mgmt; vswitchd had no management socket yet"
    [ -S "$d/br0.mgmt" ]
}
OURS_RUNNING=""
ours_of_start() {
    case $OF_OURS_TARGET in
    vswitchd) OURS_RUNNING=vswitchd; ours_vswitchd_start ;;
    ofp-flowd) OURS_RUNNING=ofp-flowd; ours_flowd_start ;;
    auto)
        OURS_RUNNING=vswitchd
        ours_vswitchd_start && return 0
        log "vswitchd made no $BENCH_STATE/ours/br0.mgmt: falling back to ofp-flowd"
        ours_vswitchd_stop
        OURS_RUNNING=ofp-flowd
        ours_flowd_start ;;
    esac
}
ours_of_stop() {
    ours_vswitchd_stop
    [ -n "${OF_PID:-}" ] && stop_pid "$OF_PID"
    rm -rf "$BENCH_STATE/ours"
    return 0
}

# ---- measuring -------------------------------------------------------------
emit() { printf '%s\t%s\t%s\t%s\t%s\n' "$KIND" "$CLIENT" "$ROUND" "$1" "$2" >> "$RAW"; }
mem_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/$3" 2> /dev/null; }

# ofctl ARGS...: the unit's client against br0 of the switch under test.
ofctl() {
    case $CLIENT in
    ovs-ofctl) OVS_RUNDIR=$OF_RUNDIR timeout "$OF_TIMEOUT" ovs-ofctl -O OpenFlow13 "$@" ;;
    vswitch-ofctl) VSWITCH_RUNDIR=$OF_RUNDIR timeout "$OF_TIMEOUT" \
        "$OURS_OFCTL" -O OpenFlow13 --timeout="$OF_TIMEOUT" "$@" ;;
    esac
}
flow_count() {
    ofctl dump-aggregate br0 | sed -n 's/.*flow_count=\([0-9]*\).*/\1/p'
}

# timed NAME CMD...: runs CMD, emits NAME_s (wall) and NAME_cpu_s (the
# switch daemon's CPU seconds meanwhile).  Returns CMD's status.
timed() {
    local name=$1 t0 t1 c0 c1 rc
    shift
    c0=$(proc_ticks "$OF_PID")
    t0=$(now)
    "$@"
    rc=$?
    t1=$(now)
    c1=$(proc_ticks "$OF_PID")
    emit "${name}_s" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')"
    emit "${name}_cpu_s" "$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" 'BEGIN {printf "%.2f", (b - a) / hz}')"
    return $rc
}

measure_unit() {
    local rss0 pss0 rss1 pss1 n lines
    sleep 0.5
    rss0=$(mem_kb "$OF_PID" VmRSS status)
    pss0=$(mem_kb "$OF_PID" Pss smaps_rollup)
    timed add ofctl add-flows br0 "$FLOWS_FILE" > /dev/null || return 1
    n=$(flow_count)
    [ "$n" = "$FLOWS" ] || { log "after add-flows: flow_count=$n, want $FLOWS"; return 1; }
    rss1=$(mem_kb "$OF_PID" VmRSS status)
    pss1=$(mem_kb "$OF_PID" Pss smaps_rollup)
    emit rss_before_kb "$rss0"
    emit rss_after_kb "$rss1"
    emit rss_bytes_per_flow "$(( (rss1 - rss0) * 1024 / FLOWS ))"
    emit pss_bytes_per_flow "$(( (pss1 - pss0) * 1024 / FLOWS ))"
    timed dump ofctl dump-flows br0 > "$BENCH_STATE/dump.txt" || return 1
    lines=$(grep -c 'priority=' "$BENCH_STATE/dump.txt")
    rm -f "$BENCH_STATE/dump.txt"
    [ "$lines" = "$FLOWS" ] || { log "dump-flows printed $lines flows, want $FLOWS"; return 1; }
    timed del ofctl del-flows br0 || return 1
    n=$(flow_count)
    [ "$n" = 0 ] || { log "after del-flows: flow_count=$n, want 0"; return 1; }
}

run_unit() {
    local rc=0 log=$OUT/logs/$KIND.$CLIENT.r$ROUND.log
    ip netns add "$SW_NS" || return 1
    if ! "${KIND}_of_start" >> "$log" 2>&1; then
        log "round $ROUND: $KIND/$CLIENT: setup failed ($log)"
        rc=1
    else
        [ "$KIND" = ours ] && emit target "$OURS_RUNNING"
        printf '%s\t%s\n' "$KIND" "$OF_WHAT" >> "$OUT/what.tsv"
        measure_unit >> "$log" 2>&1 || { log "round $ROUND: $KIND/$CLIENT: failed ($log)"; rc=1; }
    fi
    "${KIND}_of_stop" >> "$log" 2>&1
    if [ -d "$BENCH_STATE/ovs/log" ]; then
        cp "$BENCH_STATE/ovs/log/ovs-vswitchd.log" "$OUT/logs/$KIND.$CLIENT.r$ROUND.ovs-vswitchd.log" 2> /dev/null
    fi
    stop_tracked_pids
    ip netns del "$SW_NS" 2> /dev/null
    rm -rf "$BENCH_STATE"
    return $rc
}

# ---- the run ---------------------------------------------------------------
UNITS=()
for k in $KINDS_ARG; do
    declare -F "${k}_of_start" > /dev/null || die "unknown kind '$k' (ovs, ours)"
    if reason=$("${k}_of_available"); then
        printf '%s\tavailable\n' "$k" >> "$OUT/kinds.tsv"
        for c in $CLIENTS; do
            case $c in
            ovs-ofctl) command -v ovs-ofctl > /dev/null || { log "no ovs-ofctl"; continue; } ;;
            vswitch-ofctl) [ -x "$OURS_OFCTL" ] || { log "no $OURS_OFCTL"; continue; } ;;
            *) die "unknown client '$c'" ;;
            esac
            UNITS+=("$k/$c")
        done
    else
        log "kind $k: $reason"
        printf '%s\tunavailable\t%s\n' "$k" "$reason" >> "$OUT/kinds.tsv"
    fi
done
[ ${#UNITS[@]} -gt 0 ] || die "nothing to measure"

mkdir -p "$BENCH_STATE"
FLOWS_FILE=$OUT/flows.txt
"$BENCH_OF_DIR/gen-flows.sh" "$FLOWS" > "$FLOWS_FILE" || die "gen-flows.sh failed"
{
    echo "date: $(date -u -Is)"
    echo "kernel: $(uname -srm)"
    echo "cpus: $(nproc) ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo))"
    echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "ovs: $(ovs-vswitchd --version 2> /dev/null | head -n 1)"
    echo "vswitch: $(git -C "$BENCH_SRCDIR" describe --always --dirty 2> /dev/null) ($(git -C "$BENCH_SRCDIR" rev-parse --abbrev-ref HEAD 2> /dev/null))"
    echo "flows: $FLOWS ($(awk -F, '{print $1}' "$FLOWS_FILE" | sort | uniq -c | awk '{printf "%s%s: %d", s, $2, $1; s = ", "}'))"
    echo "rounds: $ROUNDS  units: ${UNITS[*]}"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "tag: $BENCH_TAG"
} > "$OUT/env.txt"
log "openflow bench: ${UNITS[*]}; $FLOWS flows; $ROUNDS round(s); output $OUT"

status=0
n=${#UNITS[@]}
for ROUND in $(seq "$ROUNDS"); do
    for i in $(seq 0 $((n - 1))); do
        u=${UNITS[$(((i + ROUND - 1) % n))]}
        KIND=${u%/*}
        CLIENT=${u#*/}
        log "round $ROUND/$ROUNDS: $KIND with $CLIENT"
        run_unit || status=1
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/env.txt"
rm -f "$FLOWS_FILE"

mkdir -p "$(dirname "$REPORT")"
report_args=()
[ "$README" = 1 ] && report_args=(--readme "$BENCH_DIR/README.md")
"$BENCH_OF_DIR/report.sh" "${report_args[@]}" "$OUT" "$REPORT" || status=1
log "report: $REPORT"
exit $status
