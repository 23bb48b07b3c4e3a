#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/slowpath-report.sh OUT REPORT.md: the report of a slow-path run
# (bench/slowpath.sh): per test and metric, the median over rounds with
# min-max, for each kind, and ours / ovs-netdev (medians; for flows_per_s
# and delivered_pps above 1 is better, for masks and megaflows below 1 is
# fewer).
set -u
OUT=$1
REPORT=$2
RAW=$OUT/raw.tsv
[ -s "$RAW" ] || { echo "no data in $RAW" >&2; exit 1; }
mkdir -p "$(dirname "$REPORT")"
{
    echo "## Slow-path benchmark (host), $(sed -n 's/^date: //p' "$OUT/env.txt")"
    echo
    sed 's/^/    /' "$OUT/env.txt"
    echo
    sort -t$'\t' -k1,1 -k3,3 -k4,4 -k2,2n "$RAW" | awk -F'\t' '
        $3 == "load" { next }
        { key = $3 SUBSEP $4; v[$1, key, ++n[$1, key]] = $5
          if (!(key in seen)) { seen[key] = 1; keys[++nk] = key }
          kinds[$1] = 1 }
        function med(k, key,   m, i, j, t, a) {
            m = n[k, key]; if (!m) return ""
            for (i = 1; i <= m; i++) a[i] = v[k, key, i] + 0
            for (i = 2; i <= m; i++) { t = a[i]
                for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
            lo = a[1]; hi = a[m]
            return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
        }
        function cell(k, key,   x) {
            x = med(k, key); if (x == "") return "-"
            if (n[k, key] == 1) return sprintf("%g", x)
            return sprintf("%g (%g–%g)", x, lo, hi)
        }
        END {
            print "| test | metric | ovs-netdev | ours | ours ÷ ovs-netdev |"
            print "|---|---|---|---|---|"
            for (i = 1; i <= nk; i++) {
                split(keys[i], kk, SUBSEP)
                a = med("ovs-netdev", keys[i]); b = med("ours", keys[i])
                r = (a != "" && b != "" && a + 0 != 0) ? sprintf("%.2f×", b / a) : "-"
                printf "| %s | %s | %s | %s | %s |\n", kk[1], kk[2],
                    cell("ovs-netdev", keys[i]), cell("ours", keys[i]), r
            }
        }'
    echo
    echo "Load average (1 min) when each kind started, by round:"
    echo
    awk -F'\t' '$3 == "load" { printf "* round %s, %s: %s\n", $2, $1, $5 }' "$RAW" | sort
    echo
    cat << 'EOT'
How to read: medians over the rounds, min–max in brackets, both
switches measured in the same run, interleaved, on the same rules and
the same trafgen traffic (vm1 → vm2, trafgen pinned to CPU 0, TX
offload as each kind needs).  `setup/flows_per_s`: megaflows
established per second while trafgen cycles through `flows_offered`
UDP source ports, each its own megaflow (rate = megaflows reached ÷
time to reach 99 % of them, or the count at the time limit ÷ the
limit); `lost_upcalls` from the datapath's counters.  `acl`: a
two-table pipeline (ACL, then NORMAL), 300 mixed flows: `megaflows`
at the end of the window, `masks` = distinct masks among the dumped
megaflows (counted the same way for both), `hit_pct` = fast-path hits
÷ lookups over the window.  `tput-MxK`: 64-byte frames, M rules each
its own megaflow, spread over K masks, delivered pps at vm2.  The
machine (2 vCPUs) is shared with other engineers' builds and tests:
see the load averages; only ratios within this run mean anything.
EOT
} > "$REPORT"
