# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# bench/vm/host-lib.sh: the host side of the benchmarks that run in ONE
# QEMU boot (tests/kmod/vmrun.sh), what bench/vm/kernel-bench.sh and
# bench/vm/kernel-vxlan-bench.sh share: their options, the checks that
# the module and the daemons are built, the raw-data folder, the guest
# run with the host's load averages sampled every 30 s, and the report.
# Sourced by those scripts (set -u); not run directly.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
vmrun=${BENCH_VMRUN:-$src/tests/kmod/vmrun.sh}
quick=0
rounds=${BENCH_ROUNDS:-}
out=""
report=""

. "$here/../options.sh"
# vmb_options HELP_END "$@": --quick, --rounds N, --out DIR, --report
# FILE.md; the script's own options go to its vmb_option hook if it
# defines one (see parse_options).
vmb_common_option() {
    case $1 in
    --quick) quick=1; return 2 ;;
    --rounds) rounds=$2 ;;
    --out) out=$2 ;;
    --report) report=$2 ;;
    *) return 1 ;;
    esac
}
vmb_options() { parse_options "$1" vmb_common_option vmb_option -- "${@:2}"; }

# vmb_prepare NAME PREFIX: NAME (the make target) says what is missing:
# the module (make kmod) or the daemons (make).  Then a fresh raw-data
# folder out (default bench/results/raw/PREFIX-<date>), the report's
# path (default bench/results/PREFIX-<date>.md) and the guest script's
# arguments args.
vmb_prepare() {
    vmb_name=$1
    [ -f "$src/datapath-kmod/vswitch_dp.ko" ] ||
        { echo "$vmb_name: run make kmod first" >&2; exit 1; }
    BUILD=${BUILD:-build}
    case $BUILD in /*) ;; *) BUILD=$src/$BUILD ;; esac
    export BUILD
    [ -x "$BUILD/vswitchd/vswitchd" ] ||
        { echo "$vmb_name: run make first ($BUILD/vswitchd/vswitchd)" >&2; exit 1; }
    local date
    date=$(date -u +%Y%m%d-%H%M%S)
    out=${out:-$src/bench/results/raw/$2-$date}
    report=${report:-$src/bench/results/$2-$date.md}
    rm -rf "$out"
    mkdir -p "$out"
    out=$(cd "$out" && pwd)
    args=(--out "$out/data")
    [ "$quick" = 1 ] && args+=(--quick)
    [ -n "$rounds" ] && args+=(--rounds "$rounds")
}

# Host load averages, every 30 s while the guest runs (bounded by the
# guest's timeout).
sample_load() {
    local i
    for ((i = 0; i <= timeout / 30; i++)); do
        echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"
        sleep 30
    done
}

# vmb_run TIMEOUT QUICK_TIMEOUT GUEST_SCRIPT: boot the guest (TIMEOUT s
# at most, QUICK_TIMEOUT with --quick) to run GUEST_SCRIPT "${args[@]}";
# rc is its exit status.  Exits 1 when it wrote no data.
vmb_run() {
    timeout=$1
    [ "$quick" = 1 ] && timeout=$2
    sample_load > "$out/host-load.txt" &
    sampler=$!
    trap 'kill "$sampler" 2> /dev/null' EXIT
    cd "$src" || exit 2
    # The guest sees the host's files read-only, except --out (vmrun's
    # shared dir, mounted at the same path), where GUEST_SCRIPT writes.
    "$vmrun" --timeout "$timeout" --mem "${BENCH_VM_MEM:-2048}" --out "$out" \
        "$3" "${args[@]}" 2>&1 | tr -d '\r' | tee "$out/guest.log"
    rc=${PIPESTATUS[0]}
    kill "$sampler" 2> /dev/null
    wait "$sampler" 2> /dev/null
    echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg) (end)" >> "$out/host-load.txt"
    echo "$rc" > "$out/data/rc" 2> /dev/null
    if [ ! -s "$out/data/raw.tsv" ]; then
        echo "$vmb_name: the guest produced no data (exit $rc); see $out/guest.log" >&2
        exit 1
    fi
    cp "$out/host-load.txt" "$out/data/"
}

# vmb_report REPORT_PY ARGS...: bench/REPORT_PY writes the report from
# the raw data; exit with the guest's status (1 if the report failed).
vmb_report() {
    python3 "$src/bench/$1" "$out/data" "$report" "${@:2}" || rc=1
    echo "$vmb_name: report $report, raw data $out"
    exit "$rc"
}
