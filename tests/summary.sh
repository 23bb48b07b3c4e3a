#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# summary.sh: print every failure and the closing line of `make check`,
# "N passed, N failed, N skipped"; exit non-zero if anything failed or if
# nothing ran at all.
BUILD=${BUILD:-build}
results=$BUILD/tests/results
[ -f "$results" ] || { echo "0 passed, 1 failed, 0 skipped"; echo "no results recorded" >&2; exit 1; }
pass=$(grep -c '^PASS ' "$results")
fail=$(grep -c '^FAIL ' "$results")
skip=$(grep -c '^SKIP ' "$results")
if [ "$fail" -gt 0 ]; then
    echo "Failures:"
    grep '^FAIL ' "$results" | sed 's/^FAIL /  /'
fi
if [ "$skip" -gt 0 ]; then
    echo "Skipped:"
    grep '^SKIP ' "$results" | sed 's/^SKIP /  /'
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
