# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# bench/lib.sh: configuration and helpers of the benchmark harness.
# Sourced by bench/run.sh (and by the guest script of bench-vm); not run
# directly.  It sources the topology helpers (topo.sh), the measurements
# (measure.sh), every switch kind (kinds/*.sh) and every control-plane
# plug-in (plugins/*.sh).
#
# Every object the harness makes carries the run tag $BENCH_TAG: namespaces
# are vsb-$BENCH_TAG-{vm1,vm2,vm3,sw}; device names are only used inside
# those namespaces, so they can be fixed (p1, p2, ... on the switch side,
# eth0 in each "VM").  Processes the harness starts are recorded (by pid)
# in $BENCH_STATE/pids and killed by pid at teardown; nothing is ever
# killed by name.

set -o pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_SRCDIR=$(cd "$BENCH_DIR/.." && pwd)

: "${BUILD:=build}"
case $BUILD in /*) ;; *) BUILD=$BENCH_SRCDIR/$BUILD ;; esac
: "${BENCH_TAG:=$(printf '%04x%02x' $(($$ & 0xffff)) $((RANDOM & 0xff)))}"
: "${BENCH_STATE:=/tmp/vsb-$BENCH_TAG}"       # run dir: pids, OVS, logs
: "${BENCH_VMS:=2}"                           # "VM" namespaces: 2 or 3
: "${BENCH_NET:=10.77.0}"                     # VM i has $BENCH_NET.i/24
: "${BENCH_GEN_CPU:=0}"                       # CPU the generator runs on
export BUILD BENCH_TAG BENCH_STATE

SW_NS=vsb-$BENCH_TAG-sw
vm_ns() { echo "vsb-$BENCH_TAG-vm$1"; }     # vm_ns I -> namespace of VM I
vm_ip() { echo "$BENCH_NET.$1"; }           # vm_ip I -> address of VM I
sw_port() { echo "p$1"; }                   # sw_port I -> switch-side end
VM_DEV=eth0                                 # the VM-side end, in every VM

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

in_ns() {   # in_ns NS CMD...: run CMD in namespace NS ("" = this one)
    local ns=$1
    shift
    if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi
}
in_sw() { in_ns "$SW_NS" "$@"; }
in_vm() { local i=$1; shift; in_ns "$(vm_ns "$i")" "$@"; }

dev_stat() { in_ns "$1" cat "/sys/class/net/$2/statistics/$3"; }
vm_mac() { in_vm "$1" cat "/sys/class/net/$VM_DEV/address"; }
now() { date +%s.%N; }
# ours_version: "COMMIT (BRANCH)" of this source tree.
ours_version() {
    echo "$(git -C "$BENCH_SRCDIR" rev-parse --short HEAD 2> /dev/null) ($(git -C "$BENCH_SRCDIR" rev-parse --abbrev-ref HEAD 2> /dev/null))"
}

# ---- processes: every pid we start is recorded and killed by pid --------
# track_pid PID: stop PID at teardown.  With $BENCH_PIDLOG set, "PID
# START-TIME" is also appended there, for the smoke test to check later
# that nothing outlived the run (the start time tells a recycled pid).
track_pid() {
    mkdir -p "$BENCH_STATE"
    echo "$1" >> "$BENCH_STATE/pids"
    [ -n "${BENCH_PIDLOG:-}" ] && echo "$1 $(pid_start "$1")" >> "$BENCH_PIDLOG"
    return 0
}
pid_start() { sed "s/^.*) //" "/proc/$1/stat" 2> /dev/null | awk "{print \$20}"; }

# stop_pid PID: TERM, up to 5 s, then KILL.  Only for pids we started.
stop_pid() {
    local pid=$1 i
    [ -n "$pid" ] && kill -0 "$pid" 2> /dev/null || return 0
    kill -TERM "$pid" 2> /dev/null
    for i in $(seq 50); do
        kill -0 "$pid" 2> /dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2> /dev/null
    return 0
}

stop_tracked_pids() {
    local pid
    [ -f "$BENCH_STATE/pids" ] || return 0
    while read -r pid; do stop_pid "$pid"; done < "$BENCH_STATE/pids"
    : > "$BENCH_STATE/pids"
}

# ---- CPU accounting -----------------------------------------------------
# proc_ticks PID...: utime+stime (clock ticks) of all threads of PIDs.
proc_ticks() {
    local pid total=0 t
    for pid in "$@"; do
        [ -r "/proc/$pid/stat" ] || continue
        t=$(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')
        total=$((total + t))
    done
    echo "$total"
}
# sys_busy_ticks: non-idle ticks of the whole machine, all CPUs.
sys_busy_ticks() {
    awk '/^cpu /{t = 0; for (i = 2; i <= NF; i++) t += $i;
                 print t - $5 - $6}' /proc/stat
}
HZ=$(getconf CLK_TCK)

# ---- kernel modules (inside QEMU) -----------------------------------------
# kmod_unload NAME: unload module NAME if it is loaded, retrying for up to
# 10 s (a datapath in a namespace being deleted holds it for a moment).
# openvswitch.ko and vswitch_dp.ko register the same generic netlink
# families, so a kind's setup unloads the other one first.
kmod_unload() {
    local i
    for i in $(seq 50); do
        lsmod | grep -q "^$1 " || return 0
        rmmod "$1" 2> /dev/null && return 0
        sleep 0.2
    done
    log "cannot unload $1"
    return 1
}

# ---- a benchmark script's options and output folder ---------------------
. "$BENCH_DIR/options.sh"
# bench_options HELP_END "$@": the options the benchmark scripts share:
# --rounds N (ROUNDS), --quick (QUICK=1), --kinds "K..." (KINDS), --out
# DIR (OUT); the script's own go to its bench_option hook if it defines
# one (see parse_options).  Then the script must run as root.
# shellcheck disable=SC2034  # read by the sourcing script
bench_common_option() {
    case $1 in
    --rounds) ROUNDS=$2 ;;
    --quick) QUICK=1; return 2 ;;
    --kinds) KINDS=$2 ;;
    --out) OUT=$2 ;;
    *) return 1 ;;
    esac
}
bench_options() {
    parse_options "$1" bench_common_option bench_option -- "${@:2}"
    [ "$(id -u)" = 0 ] || die "must run as root"
}
# bench_out_dir: create OUT and OUT/logs, make OUT absolute, start empty
# RAW=OUT/raw.tsv and BENCH_PIDLOG (OUT/pids.log unless set: every pid
# started, for the smoke tests).
bench_out_dir() {
    mkdir -p "$OUT/logs" || die "cannot create $OUT"
    OUT=$(cd "$OUT" && pwd)
    RAW=$OUT/raw.tsv
    : > "$RAW"
    [ -n "${BENCH_PIDLOG:-}" ] || BENCH_PIDLOG=$OUT/pids.log
    export BENCH_PIDLOG
    : > "$BENCH_PIDLOG"
}

# ---- rounds -----------------------------------------------------------------
# bench_rounds FN: ROUNDS rounds; in round ROUND the kinds of the array
# kinds, in the order rotated by ROUND-1 (A B C, B C A, C A B, ...): FN,
# with KIND set and POS its place in the round (from 1).
# shellcheck disable=SC2034,SC2154  # kinds: the script's; POS: read by FN
bench_rounds() {
    local n=${#kinds[@]} j
    for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
        for ((j = 0; j < n; j++)); do
            KIND=${kinds[$(((j + ROUND - 1) % n))]}
            POS=$((j + 1))
            "$1"
        done
    done
}
# save_daemon_logs: the daemons' logs of $KIND's round $ROUND (ours' or
# Open vSwitch's, in BENCH_STATE) to OUT/logs/, then their state
# directories go.
save_daemon_logs() {
    local lf
    for lf in "$BENCH_STATE/ours/vswitchd.log" "$BENCH_STATE/ovs/log/ovs-vswitchd.log"; do
        [ -f "$lf" ] && cp "$lf" "$OUT/logs/$KIND-r$ROUND.$(basename "$lf")"
    done
    rm -rf "$BENCH_STATE/ours" "$BENCH_STATE/ovs"
}

# ---- kinds and plug-ins -------------------------------------------------
kind_fn() { echo "kind_${1//-/_}_$2"; }       # kind_fn KIND HOOK
kind_exists() { declare -F "$(kind_fn "$1" setup)" > /dev/null; }
kind_call() {   # kind_call KIND HOOK ARGS...: optional hooks succeed
    local fn
    fn=$(kind_fn "$1" "$2")
    shift 2
    if declare -F "$fn" > /dev/null; then "$fn" "$@"; fi
}
list_kinds() {
    declare -F | awk '{print $3}' | sed -n 's/^kind_\(.*\)_setup$/\1/p' |
        tr _ -
}
# kind_available KIND: 0 if it can run here, else prints the reason.
kind_available() {
    local fn
    fn=$(kind_fn "$1" available)
    if declare -F "$fn" > /dev/null; then "$fn"; else return 0; fi
}

plugin_fn() { echo "plugin_${1//-/_}_$2"; }
list_plugins() {
    declare -F | awk '{print $3}' | sed -n 's/^plugin_\(.*\)_measure$/\1/p' |
        tr _ -
}

. "$BENCH_DIR/topo.sh"
. "$BENCH_DIR/measure.sh"
for _f in "$BENCH_DIR"/kinds/*.sh "$BENCH_DIR"/plugins/*.sh; do
    [ -f "$_f" ] && . "$_f"
done
unset _f
