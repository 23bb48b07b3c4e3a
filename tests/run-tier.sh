#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# run-tier.sh TIER          run every test of one tier, record the results
# run-tier.sh --reset       forget earlier results
# run-tier.sh --ensure TIER record a failure for TIER if it recorded nothing
#                           (its build failed before any test ran)
#
# A test is an executable: a cmocka binary of $BUILD/tests/unit, or a script
# tests/<tier>/*.sh.  It reports in one of two ways:
#   * TAP lines on stdout ("ok N - name", "not ok N - name",
#     "ok N - name # SKIP reason"): each line is one result;
#   * otherwise its exit status: 0 passed, 77 skipped (the reason is the
#     last line it printed that starts with "SKIP:"), anything else failed.
# A test that prints TAP but exits with neither 0 nor 77 also fails once
# (a crash after its last result).
#
# Under CI=true a skip is a failure: CI must never pass by not testing.
# A script may set its own timeout with a line "# timeout: SECONDS".
#
# Results go to $BUILD/tests/results (PASS|FAIL|SKIP tier/name[: reason]);
# logs to $BUILD/tests/logs/<tier>/<name>.log.
set -u
BUILD=${BUILD:-build}
results=$BUILD/tests/results
mkdir -p "$BUILD/tests"

case ${1:-} in
--reset)
    rm -f "$results"; rm -rf "$BUILD/tests/logs"; exit 0 ;;
--ensure)
    tier=${2:?}
    if ! grep -q " $tier/" "$results" 2>/dev/null; then
        echo "FAIL $tier/build: the tier did not build or start" >> "$results"
        echo "FAIL  $tier: did not build or start"
    fi
    exit 0 ;;
'')
    echo "usage: run-tier.sh TIER | --reset | --ensure TIER" >&2; exit 2 ;;
esac

tier=$1
logdir=$BUILD/tests/logs/$tier
rm -rf "$logdir"
mkdir -p "$logdir"
# Forget this tier's earlier results (a re-run replaces them).
if [ -f "$results" ]; then
    grep -v " $tier/" "$results" > "$results.tmp" || true
    mv "$results.tmp" "$results"
fi
export BUILD
export VSWITCH_SRCDIR=${VSWITCH_SRCDIR:-$PWD}
n_fail=0

record() {                      # record STATUS NAME [REASON]
    local status=$1 name=$2 reason=${3:-}
    if [ "$status" = SKIP ] && [ "${CI:-}" = true ]; then
        status=FAIL
        reason="skipped under CI=true: $reason"
    fi
    [ "$status" = FAIL ] && n_fail=$((n_fail + 1))
    echo "$status $tier/$name${reason:+: $reason}" >> "$results"
    printf '%-5s %s/%s%s\n' "$status" "$tier" "$name" "${reason:+ ($reason)}"
}

run_one() {                     # run_one NAME LOG CMD...
    local name=$1 log=$2; shift 2
    local limit=${TEST_TIMEOUT:-300} rc tap script=${*: -1}
    if [ -f "$script" ] && head -c 4096 "$script" | grep -qa '^# timeout: [0-9]'; then
        limit=$(grep -am1 '^# timeout: ' "$script" | awk '{print $3}')
    fi
    CMOCKA_MESSAGE_OUTPUT=TAP timeout -k 15 "$limit" "$@" > "$log" 2>&1 < /dev/null
    rc=$?
    tap=$(grep -cE '^(not )?ok [0-9]+' "$log" || true)
    if [ "$tap" -gt 0 ]; then
        while IFS= read -r line; do
            local sub=${line#*ok }
            sub=${sub#* - }; sub=${sub#[0-9]* }
            case $line in
            'not ok'*) record FAIL "$name/${sub%% # *}" ;;
            *'# SKIP'*|*'# skip'*) record SKIP "$name/${sub%% # *}" "${line##*# [Ss][Kk][Ii][Pp]}" ;;
            *) record PASS "$name/${sub%% # *}" ;;
            esac
        done < <(grep -E '^(not )?ok [0-9]+' "$log")
        local plan
        plan=$(grep -m1 -oE '^1\.\.[0-9]+' "$log" | cut -d. -f3)
        if [ -n "$plan" ] && [ "$tap" -lt "$plan" ]; then
            record FAIL "$name" "stopped after $tap of $plan results (exit status $rc)"
        elif [ "$rc" != 0 ] && [ "$rc" != 77 ] && ! grep -q '^not ok' "$log"; then
            record FAIL "$name" "exit status $rc after its last result"
        fi
    elif [ "$rc" = 0 ]; then
        record PASS "$name"
    elif [ "$rc" = 77 ]; then
        record SKIP "$name" "$(grep -a '^SKIP:' "$log" | tail -n1 | sed 's/^SKIP: *//')"
    else
        [ "$rc" = 124 ] && echo "*** timed out after ${limit}s" >> "$log"
        record FAIL "$name" "exit status $rc"
    fi
    if grep -q "^FAIL $tier/$name" "$results" 2>/dev/null &&
       [ "${VERBOSE_FAILURES:-1}" = 1 ]; then
        echo "----- last lines of $log"
        tail -n 30 "$log" | sed 's/^/    /'
        echo "-----"
    fi
}

tests=()
case $tier in
unit)
    for t in "$BUILD"/tests/unit/test-*; do
        [ -x "$t" ] && [ "${t%.o}" = "$t" ] && [ "${t%.d}" = "$t" ] && tests+=("$t")
    done ;;
fuzz)
    for t in build/fuzz/tests/fuzz/fuzz-*; do
        [ -x "$t" ] && [ "${t%.o}" = "$t" ] && [ "${t%.d}" = "$t" ] && tests+=("$t")
    done ;;
*)
    for t in tests/"$tier"/*.sh; do
        [ -f "$t" ] && tests+=("$t")
    done ;;
esac

if [ ${#tests[@]} -eq 0 ]; then
    echo "      $tier: no tests yet"
    exit 0
fi

needs_root=1
[ "$tier" = unit ] && needs_root=0
[ "$tier" = fuzz ] && needs_root=0

for t in "${tests[@]}"; do
    name=$(basename "$t"); name=${name%.sh}
    log=$logdir/$name.log
    if [ "$needs_root" = 1 ] && [ "$(id -u)" != 0 ]; then
        record SKIP "$name" "needs root"
        continue
    fi
    case $tier in
    fuzz) run_one "$name" "$log" tests/fuzz/run-fuzzer.sh "$t" ;;
    unit) run_one "$name" "$log" "$t" ;;
    *)    run_one "$name" "$log" bash "$t" ;;
    esac
done

[ "$n_fail" -eq 0 ]
