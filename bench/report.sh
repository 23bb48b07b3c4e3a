#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/report.sh: raw data of one run -> Markdown report and PNG chart.
#
#   bench/report.sh [--reference KIND] [--limit KIND] [--readme README.md]
#                   OUTDIR REPORT.md
#
# OUTDIR is what bench/run.sh wrote (raw.tsv: "kind round test metric
# value"; kinds.tsv; env.txt).  REPORT.md gets the environment, a table of
# absolute figures (median and min-max over rounds), a table of ratios to
# the reference kind and to the limit kind, and the control-plane figures
# of the plug-ins; REPORT.png (next to it) a bar chart of the ratios to the
# reference.  With --readme, the part of README.md between the lines
# "<!-- bench:MODE:begin -->" and "<!-- bench:MODE:end -->" is replaced by
# the report (MODE from env.txt).
#
# Generator-bound rule (frame-rate tests): the generator shares the CPUs
# with the switch, so it cannot always offer more than a switch can carry.
# A kind's frame rate is reported only if the generator offered it more
# than the fastest kind delivered (2 % margin), or if the kind itself lost
# more than 5 % of what it was offered (then the switch, not the
# generator, set the figure).  Otherwise the cell says "generator-bound"
# and no ratio is computed with it.
set -u
REF=ovs-netdev
LIMIT=xdp-limit
README=""
while [ $# -gt 2 ]; do
    case $1 in
    --reference) REF=$2; shift 2 ;;
    --limit) LIMIT=$2; shift 2 ;;
    --readme) README=$2; shift 2 ;;
    *) echo "usage: report.sh [--reference K] [--limit K] [--readme F] OUTDIR REPORT.md" >&2
       exit 2 ;;
    esac
done
[ $# -eq 2 ] || { echo "usage: report.sh [options] OUTDIR REPORT.md" >&2; exit 2; }
OUT=$1
REPORT=$2
RAW=$OUT/raw.tsv
[ -f "$RAW" ] || { echo "report.sh: no $RAW" >&2; exit 1; }
MODE=$(sed -n 's/^mode: //p' "$OUT/env.txt")
mapfile -t KINDS < <(awk -F'\t' '$2 == "available" {print $1}' "$OUT/kinds.tsv")

# The whole computation in one awk program: medians, generator-bound
# cells, ratios.  Prints the Markdown body on stdout and the chart data
# into $OUT/chart.dat.
report_body() {
    awk -F'\t' -v ref="$REF" -v lim="$LIMIT" -v kinds="${KINDS[*]}" \
        -v dat="$OUT/chart.dat" '
    function med(key,   n, i, j, t, a) {
        n = split(vals[key], a, " ")
        if (n == 0 || vals[key] == "") return ""
        for (i = 2; i <= n; i++) {
            t = a[i] + 0
            for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]
            a[j + 1] = t
        }
        lo[key] = a[1]; hi[key] = a[n]; cnt[key] = n
        return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function fmt(v, scale, digits) {
        return sprintf("%." digits "f", v / scale)
    }
    # cell(kind, key, scale, digits): "median (min-max)" or "-"
    function cell(k, key, scale, digits,   m, s) {
        m = M[k SUBSEP key]
        if (m == "") return "-"
        s = fmt(m, scale, digits)
        if (cnt[k SUBSEP key] > 1 && lo[k SUBSEP key] != hi[k SUBSEP key])
            s = s " (" fmt(lo[k SUBSEP key], scale, digits) "–" \
                fmt(hi[k SUBSEP key], scale, digits) ")"
        return s
    }
    # ratio(k, other, key, inverse): "1.23×"; a generator-bound figure is
    # only a lower bound, so the ratio is one too: "≥ 1.23×" or "≤ 0.45×".
    function ratio(k, other, key, inverse,   a, b, gk, go, r) {
        gk = GB[k SUBSEP key]; go = GB[other SUBSEP key]
        if (k == other) return "1×"
        if (gk && go) return "gen-bound"
        a = M[k SUBSEP key]; b = M[other SUBSEP key]
        if (a == "" || b == "" || a == 0 || b == 0) return "-"
        r = sprintf("%.2f×", inverse ? b / a : a / b)
        return gk ? "≥ " r : go ? "≤ " r : r
    }
    {
        if ($3 == "setup") { setupfail[$1]++; next }
        key = $3 "/" $4
        vals[$1 SUBSEP key] = vals[$1 SUBSEP key] " " $5
        if (!(key in seenkey)) { seenkey[key] = 1; keys[++nkeys] = key }
    }
    END {
        nk = split(kinds, K, " ")
        for (kk in vals) { sub(/^ /, "", vals[kk]); M[kk] = med(kk) }
        # generator-bound cells
        for (t = 1; t <= 2; t++) {
            test = (t == 1) ? "pps64" : "pps1500"
            fastest = 0
            for (i = 1; i <= nk; i++) {
                d = M[K[i] SUBSEP test "/delivered_pps"]
                if (d != "" && d + 0 > fastest) fastest = d + 0
            }
            for (i = 1; i <= nk; i++) {
                o = M[K[i] SUBSEP test "/offered_pps"]
                d = M[K[i] SUBSEP test "/delivered_pps"]
                if (o == "" || d == "") continue
                if (o + 0 <= 1.02 * fastest && d + 0 >= 0.95 * o)
                    GB[K[i] SUBSEP test "/delivered_pps"] = 1
            }
        }
        print "| kind | 64 B frames: delivered kpps | offered kpps | 1500 B frames: delivered kpps | offered kpps | TCP 1 stream Gbit/s | TCP 4 streams Gbit/s | RTT p50 µs | RTT p99 µs | switch CPU s / Mpkt | machine CPU s / Mpkt |"
        print "|---|---|---|---|---|---|---|---|---|---|---|"
        for (i = 1; i <= nk; i++) {
            k = K[i]
            c64 = GB[k SUBSEP "pps64/delivered_pps"] ? "generator-bound (≥ " fmt(M[k SUBSEP "pps64/delivered_pps"], 1000, 1) ")" : cell(k, "pps64/delivered_pps", 1000, 1)
            c15 = GB[k SUBSEP "pps1500/delivered_pps"] ? "generator-bound (≥ " fmt(M[k SUBSEP "pps1500/delivered_pps"], 1000, 1) ")" : cell(k, "pps1500/delivered_pps", 1000, 1)
            sw = cell(k, "pps64/sw_cpu_s_per_mpkt", 1, 2)
            if (sw == "-") sw = "kernel"
            printf "| %s%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", k,
                setupfail[k] ? " (" setupfail[k] " setup failed)" : "",
                c64, cell(k, "pps64/offered_pps", 1000, 1),
                c15, cell(k, "pps1500/offered_pps", 1000, 1),
                cell(k, "tcp1/gbps", 1, 2), cell(k, "tcp4/gbps", 1, 2),
                cell(k, "ping/rtt_p50_us", 1, 0), cell(k, "ping/rtt_p99_us", 1, 0),
                sw, cell(k, "pps64/sys_cpu_s_per_mpkt", 1, 2)
        }
        print ""
        split("pps64/delivered_pps pps1500/delivered_pps tcp1/gbps tcp4/gbps ping/rtt_p50_us", R, " ")
        printf "| kind | 64 B ÷ %s | 64 B ÷ %s | 1500 B ÷ %s | 1500 B ÷ %s | TCP 1 ÷ %s | TCP 1 ÷ %s | TCP 4 ÷ %s | TCP 4 ÷ %s | latency: %s p50 ÷ this |\n", ref, lim, ref, lim, ref, lim, ref, lim, ref
        print "|---|---|---|---|---|---|---|---|---|---|"
        for (i = 1; i <= nk; i++) {
            k = K[i]
            printf "| %s", k
            for (j = 1; j <= 4; j++)
                printf " | %s | %s", ratio(k, ref, R[j], 0), ratio(k, lim, R[j], 0)
            printf " | %s |\n", ratio(k, ref, R[5], 1)
        }
        # chart data: one row per metric, one column per kind (ratio to ref)
        printf "metric" > dat
        for (i = 1; i <= nk; i++) printf "\t%s", K[i] > dat
        printf "\n" > dat
        split("64B_frames 1500B_frames TCP_1 TCP_4 1/RTT_p50", L, " ")
        for (j = 1; j <= 5; j++) {
            printf "%s", L[j] > dat
            for (i = 1; i <= nk; i++) {
                r = ratio(K[i], ref, R[j], j == 5)
                sub(/×$/, "", r); sub(/^(≥|≤) /, "", r)
                printf "\t%s", (r ~ /^[0-9.]+$/) ? r : "?" > dat
            }
            printf "\n" > dat
        }
        # control-plane plug-ins
        ncp = 0
        for (j = 1; j <= nkeys; j++) if (keys[j] ~ /^cp-/) cp[++ncp] = keys[j]
        if (ncp) {
            print ""
            print "Control plane (plug-ins in bench/plugins/):"
            print ""
            print "| kind | metric | median (min–max) |"
            print "|---|---|---|"
            for (i = 1; i <= nk; i++)
                for (j = 1; j <= ncp; j++)
                    if (M[K[i] SUBSEP cp[j]] != "")
                        printf "| %s | %s | %s |\n", K[i], cp[j], cell(K[i], cp[j], 1, 1)
        }
    }' "$RAW"
}

body=$(report_body)
png=${REPORT%.md}.png
{
    echo "## Benchmark ($MODE), $(sed -n 's/^date: //p' "$OUT/env.txt")"
    echo
    sed 's/^/    /' "$OUT/env.txt"
    echo
    echo "$body"
    echo
    echo "Kinds:"
    echo
    awk -F'\t' '{ printf "* `%s`: %s%s\n", $1, ($2 == "available") ? "" : "**not measured**: ", $3 }' "$OUT/kinds.tsv"
    echo
    echo "How to read: medians over the rounds, min–max in brackets; every"
    echo "kind was measured in the same run, interleaved, so only ratios"
    echo "mean something (this machine is shared and noisy).  kpps = 1000"
    echo "frames/s, 64 B and 1500 B frames counting the 4-byte FCS as on the"
    echo "wire (60 and 1514 bytes sent).  \"offered\" is what the generator"
    echo "pushed into vm1's veth, \"delivered\" what vm2's veth received."
    echo "\"generator-bound\": the generator could not offer more than the"
    echo "fastest kind delivered and this kind lost (almost) nothing, so its"
    echo "frame rate would measure the generator; no figure, no ratio."
    echo "Switch CPU: CPU seconds of the switch's processes per million"
    echo "delivered 64-byte frames (\"kernel\": no process; the work is in"
    echo "softirq).  Machine CPU: all CPUs, generator and receiver included."
    echo "Ratios above 1 mean faster than the peer (for latency too: the"
    echo "peer's RTT divided by this kind's).  Chart: \`$(basename "$png")\`."
} > "$REPORT"

if command -v gnuplot > /dev/null && [ "$(head -n 1 "$OUT/chart.dat" | awk -F'\t' '{print NF}')" -gt 1 ]; then
    ncol=$(head -n 1 "$OUT/chart.dat" | awk -F'\t' '{print NF}')
    gnuplot << EOG 2> "$OUT/gnuplot.log" || echo "report.sh: gnuplot failed (see $OUT/gnuplot.log)" >&2
set terminal png size 960,520 noenhanced
set output "$png"
set title "vswitch bench ($MODE, $(sed -n "s/^date: //p" "$OUT/env.txt" | cut -c1-16)): ratio to $REF, higher is better\\n(log scale; generator-bound frame rates are lower bounds)"
set datafile separator "\t"
set datafile missing "?"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key top right
set logscale y
set yrange [0.05:*]
set grid ytics
set ylabel "ratio to $REF"
plot for [c=2:$ncol] "$OUT/chart.dat" using c:xtic(1) title columnheader(c)
EOG
fi

if [ -n "$README" ] && [ -f "$README" ]; then
    begin="<!-- bench:$MODE:begin -->"
    end="<!-- bench:$MODE:end -->"
    if grep -qxF "$begin" "$README" && grep -qxF "$end" "$README"; then
        awk -v b="$begin" -v e="$end" -v rep="$REPORT" '
            $0 == b { print; while ((getline l < rep) > 0) print l; skip = 1; next }
            $0 == e { skip = 0 }
            !skip' "$README" > "$README.tmp" && mv "$README.tmp" "$README"
    else
        echo "report.sh: no $begin/$end markers in $README" >&2
    fi
fi
