#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/run.sh: measure switch kinds side by side, interleaved.
#
#   bench/run.sh [--vm] [--rounds N] [--quick] [--kinds "K1 K2 ..."]
#                [--out DIR] [--report FILE.md] [--readme]
#
#   --vm          the kinds that run inside QEMU (bench/vm/guest-bench.sh
#                 passes it); generator pktgen, reference ovs-kernel.
#                 Default: the host kinds, generator trafgen, reference
#                 ovs-netdev.
#   --rounds N    rounds (default $BENCH_ROUNDS or 3).  Each round runs
#                 every kind once (topology, setup, all tests, teardown),
#                 the order rotated by one kind per round (A B C, B C A,
#                 C A B): drifts of this shared machine spread over all
#                 kinds.  Reports give the median and min-max over rounds.
#   --quick       short tests (2 s windows, 1 round unless --rounds or
#                 BENCH_ROUNDS says otherwise) for the smoke test.
#   --kinds LIST  kinds to run (default: all of this mode's; bench/kinds/).
#                 Kinds that are not available here are listed with the
#                 reason and left out of the table.
#   --out DIR     raw data, environment and logs (default
#                 bench/results/raw/<mode>-<date>-<tag>)
#   --report F    write the Markdown report to F and the chart next to it
#                 (F with .png); default bench/results/<mode>-<date>.md
#   --readme      also replace the latest table in bench/README.md
#
# Exit status: 0 when every available kind was set up and measured
# (figures are never judged), 1 otherwise.  Whatever happens, the
# namespaces, devices and processes of the run are removed (EXIT trap).
set -u
. "$(dirname "$0")/lib.sh"

MODE=host
ROUNDS=${BENCH_ROUNDS:-}
QUICK=0
KINDS=""
OUT=""
REPORT=""
README=0
bench_option() {     # the options of this benchmark only
    case $1 in
    --vm) MODE=vm; return 2 ;;
    --report) REPORT=$2 ;;
    --readme) README=1; return 2 ;;
    *) return 1 ;;
    esac
}
bench_options 32 "$@"
KINDS_ARG=$KINDS
if [ "$QUICK" = 1 ]; then
    : "${ROUNDS:=1}"
    BENCH_SECS=${BENCH_QUICK_SECS:-2}
    BENCH_WARMUP=1
    BENCH_OVSDB_TXNS=${BENCH_OVSDB_TXNS:-50}
    BENCH_FLOWMODS=${BENCH_FLOWMODS:-2000}
fi
: "${ROUNDS:=3}"
if [ "$MODE" = vm ]; then
    BENCH_GEN=pktgen
    # Under TCG every process start costs ~0.5 s: fewer control-plane ops.
    BENCH_OVSDB_TXNS=${BENCH_OVSDB_TXNS:-30}
    BENCH_FLOWMODS=${BENCH_FLOWMODS:-2000}
    REFERENCE=ovs-kernel
else
    REFERENCE=ovs-netdev
fi
LIMIT=xdp-limit
DATE=$(date -u +%Y%m%d-%H%M%S)
OUT=${OUT:-$BENCH_DIR/results/raw/$MODE-$DATE-$BENCH_TAG}
REPORT=${REPORT:-$BENCH_DIR/results/$MODE-$DATE.md}
mkdir -p "$OUT/logs" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
RAW=$OUT/raw.tsv
: > "$RAW"
: > "$OUT/kinds.tsv"
export BENCH_PIDLOG=$OUT/pids.log     # every pid started (smoke test)
: > "$BENCH_PIDLOG"

KIND=""
cleanup() {
    [ -n "$KIND" ] && kind_call "$KIND" teardown > /dev/null 2>&1
    stop_tracked_pids
    topo_destroy
    rm -rf "$BENCH_STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for c in ip ethtool ping iperf3 jq taskset awk; do
    command -v "$c" > /dev/null || die "missing $c (make deps)"
done
command -v "$BENCH_GEN" > /dev/null || [ "$BENCH_GEN" = pktgen ] ||
    die "missing generator $BENCH_GEN"

# ---- which kinds ---------------------------------------------------------
if [ -n "$KINDS_ARG" ]; then
    read -r -a WANTED <<< "$KINDS_ARG"
else
    WANTED=()
    for k in $(list_kinds); do
        where=$(kind_call "$k" where)
        [[ " ${where:-host} " == *" $MODE "* ]] || continue
        # Optional kinds (slow or redundant) only when asked for.
        [[ " ${BENCH_OPTIONAL_KINDS:-ovs-netdev-flows} " == *" $k "* ]] &&
            continue
        WANTED+=("$k")
    done
fi
KINDS=()
for k in "${WANTED[@]}"; do
    kind_exists "$k" || die "unknown kind '$k' (kinds: $(list_kinds | tr '\n' ' '))"
    if reason=$(kind_available "$k"); then
        KINDS+=("$k")
        printf '%s\tavailable\t%s\n' "$k" "$(kind_call "$k" describe)" >> "$OUT/kinds.tsv"
    else
        log "kind $k: ${reason:-not available}"
        printf '%s\tunavailable\t%s\n' "$k" "${reason:-not available}" >> "$OUT/kinds.tsv"
    fi
done
[ ${#KINDS[@]} -gt 0 ] || die "no kind available"

TESTS=(ping pps64 pps1500 tcp1 tcp4)
{
    echo "date: $(date -u -Is)"
    echo "mode: $MODE"
    echo "kernel: $(uname -srm)"
    echo "cpus: $(nproc) ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo))"
    echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "ovs: $(ovs-vswitchd --version 2> /dev/null | head -n 1)"
    echo "iperf3: $(iperf3 --version 2> /dev/null | head -n 1)"
    echo "generator: $BENCH_GEN $([ "$BENCH_GEN" = trafgen ] && trafgen --version 2> /dev/null | head -n 1)"
    echo "clang: $(clang --version 2> /dev/null | head -n 1)"
    echo "libbpf: $(dpkg-query -W -f '${Version}' libbpf1 2> /dev/null)"
    echo "rounds: $ROUNDS  window: ${BENCH_SECS}s (+${BENCH_WARMUP}s warm-up)  ping probes: $BENCH_PING_COUNT  VMs: $BENCH_VMS"
    echo "kinds: ${KINDS[*]}"
    echo "reference: $REFERENCE  limit: $LIMIT"
    echo "tag: $BENCH_TAG"
} > "$OUT/env.txt"
log "bench $MODE: kinds ${KINDS[*]}; $ROUNDS round(s); output $OUT"

# run_kind K ROUND: one kind, one round: topology, setup, tests, teardown.
# Returns non-zero if the kind could not be set up.
run_kind() {
    local k=$1 t rc=0 p
    KIND=$k
    ROUND=$2
    if ! topo_create > "$OUT/logs/$k.r$ROUND.setup.log" 2>&1 ||
       ! topo_tx_offload "$(kind_call "$k" offload || true)" 2>> "$OUT/logs/$k.r$ROUND.setup.log" ||
       ! kind_call "$k" setup >> "$OUT/logs/$k.r$ROUND.setup.log" 2>&1 ||
       ! topo_ping_check >> "$OUT/logs/$k.r$ROUND.setup.log" 2>&1; then
        log "round $ROUND: $k: setup failed (logs/$k.r$ROUND.setup.log)"
        emit setup failed 1
        rc=1
    else
        for t in "${TESTS[@]}"; do
            case $t in
            ping) meas_ping ;;
            pps64) meas_pps pps64 60 ;;
            pps1500) meas_pps pps1500 1514 ;;
            tcp1) meas_tcp 1 ;;
            tcp4) meas_tcp 4 ;;
            esac >> "$OUT/logs/$k.r$ROUND.log" 2>&1 ||
                log "round $ROUND: $k: $t failed"
        done
        for p in $(list_plugins); do
            [[ " $("$(plugin_fn "$p" kinds)") " == *" $k "* ]] || continue
            "$(plugin_fn "$p" measure)" 2>> "$OUT/logs/$k.r$ROUND.log" |
                while read -r m v; do emit "cp-$p" "$m" "$v"; done
        done
        kind_call "$k" info > "$OUT/logs/$k.r$ROUND.info.log" 2>&1
    fi
    kind_call "$k" teardown >> "$OUT/logs/$k.r$ROUND.setup.log" 2>&1
    KIND=""
    stop_tracked_pids
    topo_destroy
    if [ -d "$BENCH_STATE/ovs/log" ]; then
        cp "$BENCH_STATE/ovs/log/ovs-vswitchd.log" "$OUT/logs/$k.r$ROUND.ovs-vswitchd.log" 2> /dev/null
    fi
    rm -rf "$BENCH_STATE"
    return $rc
}

status=0
n=${#KINDS[@]}
for r in $(seq "$ROUNDS"); do
    for i in $(seq 0 $((n - 1))); do
        k=${KINDS[$(((i + r - 1) % n))]}
        log "round $r/$ROUNDS: $k"
        run_kind "$k" "$r" || status=1
    done
done

mkdir -p "$(dirname "$REPORT")"
README_ARGS=()
[ "$README" = 1 ] && README_ARGS=(--readme "$BENCH_DIR/README.md")
"$BENCH_DIR/report.sh" --reference "$REFERENCE" --limit "$LIMIT" \
    "${README_ARGS[@]}" \
    "$OUT" "$REPORT" || status=1
log "report: $REPORT"
exit $status
