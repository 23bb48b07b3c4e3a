#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# format-check.sh: list userspace C files that clang-format would change.
cd "$(dirname "$0")/.." || exit 1
bad=0
for f in $(git ls-files '*.c' '*.h' | grep -v '^datapath-kmod/'); do
    n=$(clang-format --dry-run "$f" 2>&1 | grep -c 'warning:')
    [ "$n" -gt 0 ] && { echo "$f: $n"; bad=1; }
done
exit $bad
