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

# vmb_options HELP_END "$@": --quick, --rounds N, --out DIR, --report
# FILE.md.  Any other option goes, with the words after it, to the
# script's vmb_option hook if it defines one: it returns 0 when it took
# the option and its value, 2 when it took the option alone, 1 when it
# does not know the option.  -h and --help print the script's lines 4 to
# HELP_END (its head comment) and exit 0; an unknown option prints them
# to stderr and exits 2.
vmb_options() {
    local help="4,$1p" took
    shift
    while [ $# -gt 0 ]; do
        case $1 in
        --quick) quick=1 ;;
        --rounds) rounds=$2; shift ;;
        --out) out=$2; shift ;;
        --report) report=$2; shift ;;
        -h|--help) sed -n "$help" "$0"; exit 0 ;;
        *)
            took=1
            if declare -F vmb_option > /dev/null; then
                vmb_option "$@"
                took=$?
            fi
            case $took in
            0) shift ;;
            2) ;;
            *) sed -n "$help" "$0" >&2; exit 2 ;;
            esac ;;
        esac
        shift
    done
}

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
