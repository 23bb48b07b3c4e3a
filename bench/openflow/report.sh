#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/openflow/report.sh [--readme README.md] OUTDIR REPORT.md: the raw
# data of one bench/openflow/run.sh run -> Markdown.
#
# OUTDIR/raw.tsv has "kind client round metric value" lines.  The report
# gives, per switch and client, the median over rounds and the min-max in
# brackets, then the ratios of "ours" to "ovs" measured with the same
# client: ovs's time / ours (above 1: ours is faster) and ovs's bytes per
# flow / ours (above 1: ours is smaller).  With --readme, the part of
# README.md between "<!-- bench:openflow:begin -->" and
# "<!-- bench:openflow:end -->" is replaced by the report.
set -u
README=""
if [ "${1:-}" = --readme ]; then README=$2; shift 2; fi
[ $# -eq 2 ] || { echo "usage: report.sh [--readme F] OUTDIR REPORT.md" >&2; exit 2; }
OUT=$1
REPORT=$2
RAW=$OUT/raw.tsv
[ -s "$RAW" ] || { echo "report.sh: no figures in $RAW" >&2; exit 1; }

# stats KIND CLIENT METRIC -> "median min max n" (empty if none)
stats() {
    awk -F'\t' -v k="$1" -v c="$2" -v m="$3" \
        '$1 == k && $2 == c && $4 == m {print $5}' "$RAW" | sort -g |
        awk '{v[NR] = $1} END {
            if (!NR) exit
            med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            print med, v[1], v[NR], NR }'
}
cell() {
    local s
    s=$(stats "$@")
    [ -n "$s" ] || { printf -- '–'; return; }
    # shellcheck disable=SC2086
    set -- $s
    if [ "$4" = 1 ]; then printf '%s' "$1"; else printf '%s (%s–%s)' "$1" "$2" "$3"; fi
}
ratio() {   # ratio CLIENT METRIC: ovs's median / ours
    local a b
    a=$(stats ovs "$1" "$2" | cut -d' ' -f1)
    b=$(stats ours "$1" "$2" | cut -d' ' -f1)
    if [ -z "$a" ] || [ -z "$b" ]; then printf -- '–'; return; fi
    awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else printf "–" }'
}

clients=$(cut -f2 "$RAW" | awk '!s[$0]++')
metrics="add_s add_cpu_s dump_s dump_cpu_s del_s del_cpu_s rss_bytes_per_flow pss_bytes_per_flow"
{
    echo "## OpenFlow flow-table benchmark, $(sed -n 's/^date: //p' "$OUT/env.txt")"
    echo
    sed 's/^/    /' "$OUT/env.txt"
    echo
    echo "Switches:"
    echo
    sort -u "$OUT/what.tsv" 2> /dev/null | awk -F'\t' '{printf "* `%s`: %s\n", $1, $2}'
    awk -F"\t" '$2 == "unavailable" {printf "* `%s`: not measured (%s)\n", $1, $3}' "$OUT/kinds.tsv"
    echo
    echo "| switch | client | add-flows s | switch CPU s (add) | dump-flows s | switch CPU s (dump) | del-flows s | switch CPU s (del) | RSS bytes/flow | Pss bytes/flow |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    for c in $clients; do
        for k in ovs ours; do
            grep -q "^$k	$c	" "$RAW" || continue
            printf '| %s | %s |' "$k" "$c"
            for m in $metrics; do printf ' %s |' "$(cell "$k" "$c" "$m")"; done
            echo
        done
    done
    echo
    echo "Ratios, same client, ovs ÷ ours (above 1: ours is faster or smaller):"
    echo
    echo "| client | add-flows time | switch CPU (add) | dump-flows time | switch CPU (dump) | del-flows time | switch CPU (del) | RSS per flow | Pss per flow |"
    echo "|---|---|---|---|---|---|---|---|---|"
    for c in $clients; do
        printf '| %s |' "$c"
        for m in $metrics; do printf ' %s |' "$(ratio "$c" "$m")"; done
        echo
    done
    echo
    echo "How to read: medians over the rounds, min–max in brackets; every"
    echo "(switch, client) pair was measured in the same run, interleaved,"
    echo "each on a fresh switch, so only ratios mean something (the machine"
    echo "is shared and noisy).  Times are wall-clock seconds of the client"
    echo "command; switch CPU is the daemon's own CPU time meanwhile (all"
    echo "threads); bytes per flow = (memory after add-flows - before) / N."
    echo "ovs-ofctl add-flows follows every FLOW_MOD with a BARRIER and waits"
    echo "for its reply, so its time is N round trips."
} > "$REPORT"

if [ -n "$README" ]; then
    awk -v rep="$REPORT" '
        /<!-- bench:openflow:begin -->/ {print; while ((getline l < rep) > 0) print l; skip = 1; next}
        /<!-- bench:openflow:end -->/ {skip = 0}
        !skip {print}' "$README" > "$README.tmp" && mv "$README.tmp" "$README"
fi
