# SPDX-License-Identifier: Apache-2.0
#
# tests/lib.sh: shared helpers for test scripts.  Source it first:
#
#     . "$(dirname "$0")/../lib.sh"
#
# It sets BUILD and SRCDIR, gives the test a unique tag ($T, short enough for
# interface names), a private scratch folder ($TMPD) and an EXIT trap that
# undoes everything registered with the helpers below, in reverse order:
# processes (by pid), network namespaces, links, files.  Tests must create
# resources through these helpers (or register them with at_cleanup) so that
# nothing outlives the test, whatever happens.

set -u
SRCDIR=${VSWITCH_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$SRCDIR/$BUILD ;; esac
export BUILD SRCDIR

# A short unique tag: 4 hex digits of the pid plus 2 random ones.
T=$(printf '%04x%02x' $(($$ & 0xffff)) $((RANDOM & 0xff)))
TMPD=$(mktemp -d "/tmp/vswitch-test-$T.XXXXXX")

_cleanups=()
at_cleanup() { _cleanups+=("$*"); }
_run_cleanups() {
    local rc=$? i
    for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
        eval "${_cleanups[i]}" > /dev/null 2>&1 || true
    done
    rm -rf "$TMPD"
    exit $rc
}
trap _run_cleanups EXIT
trap 'exit 130' INT TERM

# TAP lines: pass/flunk NAME; check NAME CMD... passes if CMD succeeds
# (its output shown on failure); expect NAME WANT CMD... passes if CMD
# prints exactly WANT.  A script ends with: echo "1..$n".
n=0
pass() { n=$((n + 1)); echo "ok $n - $*"; }
flunk() { n=$((n + 1)); echo "not ok $n - $*"; }
check() {
    local name=$1; shift
    if "$@" > "$TMPD/out" 2> "$TMPD/err"; then pass "$name"; else
        flunk "$name (exit $?)"; sed 's/^/#   /' "$TMPD/err" "$TMPD/out" | head -20; fi
}
expect() {
    local name=$1 want=$2; shift 2
    local got
    got=$("$@" 2> "$TMPD/err")
    if [ "$got" = "$want" ]; then pass "$name"; else
        flunk "$name"; echo "#   want: $want"; echo "#   got:  $got"
        sed 's/^/#   /' "$TMPD/err" | head -10; fi
}
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
log() { echo "== $*"; }

# require CMD...: skip (fail under CI=true, via the runner) if a command is
# missing.
require() {
    local c
    for c in "$@"; do
        command -v "$c" > /dev/null 2>&1 || skip "missing $c"
    done
}
require_root() { [ "$(id -u)" = 0 ] || skip "needs root"; }

# kill_pid PID: TERM, wait up to 5 s, then KILL.
kill_pid() {
    local pid=$1 i
    kill -0 "$pid" 2> /dev/null || return 0
    kill -TERM "$pid" 2> /dev/null
    for i in $(seq 50); do
        kill -0 "$pid" 2> /dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2> /dev/null || true
}

# spawn CMD...: start CMD in the background, register it for cleanup,
# leave its pid in $SPAWNED.
spawn() {
    "$@" &
    SPAWNED=$!
    at_cleanup kill_pid "$SPAWNED"
}

# track_pidfile FILE: kill whatever pid FILE names at cleanup (for
# daemons started with --detach --pidfile).
track_pidfile() { at_cleanup '[ -f '"$1"' ] && kill_pid "$(cat '"$1"')"'; }

# add_netns NAME: create a namespace (deleted at cleanup), lo up.
add_netns() {
    ip netns add "$1" || fail "cannot create netns $1"
    at_cleanup ip netns delete "$1"
    ip -n "$1" link set lo up
}

# add_veth A B [NS-of-B]: a veth pair (A in the current namespace).
add_veth() {
    ip link add name "$1" type veth peer name "$2" || fail "cannot create veth $1"
    at_cleanup ip link delete "$1"
    [ -n "${3:-}" ] && ip link set "$2" netns "$3"
    return 0
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
    local limit=$1 i; shift
    for ((i = 0; i < limit * 10; i++)); do
        "$@" > /dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# wait_listen NETNS PORT: wait (up to 10 s) until a TCP socket listens on
# PORT in NETNS, e.g. an iperf3 server just started (a fixed sleep is not
# enough on a loaded machine or under QEMU's TCG).
wait_listen() {
    wait_for 10 bash -c "ip netns exec '$1' ss -Htln | grep -q ':$2 '"
}

# check_no_leftovers PATTERN: fail if any process whose command line matches
# PATTERN and that was started under $TMPD is still alive.
check_no_process_under() {
    local dir=$1
    if pgrep -f -- "$dir" > /dev/null; then
        pgrep -af -- "$dir" >&2
        fail "processes left running under $dir"
    fi
}

# check_bench_run_clean PIDLOG: fail if a run of the bench harness tagged
# $T (BENCH_TAG=$T) left a namespace (and so a device: the harness makes
# devices only inside its namespaces), a process of PIDLOG ("PID
# START-TIME" lines; the start time tells a recycled pid) or its run
# directory behind.
check_bench_run_clean() {
    local left pid start now
    left=$(ip netns list | awk '{print $1}' | grep "^vsb-$T-")
    [ -z "$left" ] || fail "namespaces left behind: $left"
    while read -r pid start; do
        [ -n "$pid" ] || continue
        now=$(sed 's/^.*) //' "/proc/$pid/stat" 2> /dev/null | awk '{print $20}')
        [ -n "$now" ] && [ "$now" = "$start" ] &&
            fail "process $pid left behind: $(tr '\0' ' ' < "/proc/$pid/cmdline")"
    done < "$1"
    [ ! -e "/tmp/vsb-$T" ] || fail "run directory /tmp/vsb-$T left behind"
}
