#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/vxlan-report.sh OUT REPORT.md: the report of a VXLAN run
# (bench/vxlan.sh): the kinds, the ones skipped and why, medians with
# min-max over rounds, ratios ours / each peer (and ovs / each other
# peer), and
# every round's figures.
set -u
OUT=$1
REPORT=$2
RAW=$OUT/raw.tsv
[ -f "$RAW" ] || { echo "vxlan-report.sh: no $RAW" >&2; exit 1; }
mkdir -p "$(dirname "$REPORT")"
KINDS=$(sed -n 's/^kinds: //p' "$OUT/env.txt")

# The metrics of the tables: test/metric, heading, scale, digits.
COLS='tcp1/gbps|TCP Gbit/s|1|2
tcp1/retransmits|TCP retransmits|1|0
tcp1/sw_cpu_pct|switch CPU % (TCP)|1|0
tcp1/sw_cpu_s_per_gbyte|switch CPU s/GB (TCP)|1|2
tcp1/underlay_frags|underlay IP fragments (TCP)|1|0
pps64/delivered_pps|64 B delivered kpps|1000|1
pps64/offered_pps|64 B offered kpps|1000|1
pps64/lost_pct|64 B lost %|1|1
pps64/sw_cpu_s_per_mpkt|switch CPU s/Mpkt (64 B)|1|2
pps64/sys_cpu_s_per_mpkt|machine CPU s/Mpkt (64 B)|1|2
ping/rtt_p50_us|RTT p50 µs|1|0
ping/rtt_p99_us|RTT p99 µs|1|0'

{
    echo "## VXLAN overlay benchmark (host), $(sed -n 's/^date: //p' "$OUT/env.txt")"
    echo
    sed 's/^/    /' "$OUT/env.txt"
    echo
    echo "Kinds:"
    echo
    awk -F'\t' '{ if ($2 == "available") printf "* `%s`: %s\n", $1, $3
                  else printf "* `%s`: **not available**: %s\n", $1, $3 }' "$OUT/kinds.tsv"
    echo
    if [ -s "$OUT/skipped.txt" ]; then
        echo "Not measured (never a figure for these):"
        echo
        awk -F'\t' '{ printf "* round %s: kind %s: %s\n", $2, $1, $3 }' "$OUT/skipped.txt"
        echo
    fi
    awk -F'\t' -v kinds="$KINDS" -v cols="$COLS" '
    FILENAME == ARGV[1] { # raw rows
        key = $1 SUBSEP $3 "/" $4
        vals[key] = vals[key] " " $5
        per[$1, $2, $3 "/" $4] = $5
        if ($3 == "status" && $4 == "measured") measured[$1]++
        if ($2 > nround) nround = $2
        next
    }
    function med(k, c,   n, i, j, t, a, key) {
        key = k SUBSEP c
        n = split(vals[key], a, " ")
        if (n == 0) return ""
        for (i = 2; i <= n; i++) {
            t = a[i] + 0
            for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]
            a[j + 1] = t
        }
        LO = a[1]; HI = a[n]; CNT = n
        return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function f(v, s, d) { return sprintf("%." d "f", v / s) }
    function cell(k, i,   m, s) {
        m = med(k, C[i]); if (m == "") return "-"
        s = f(m, SC[i], DG[i])
        if (CNT > 1 && f(LO, SC[i], DG[i]) != f(HI, SC[i], DG[i]))
            s = s " (" f(LO, SC[i], DG[i]) "–" f(HI, SC[i], DG[i]) ")"
        return s
    }
    function ratio(a, b, c,   x, y, ga, gb) {
        x = med(a, c); y = med(b, c)
        if (x == "" || y == "" || y + 0 == 0) return "-"
        ga = (c == "pps64/delivered_pps" && GB[a]); gb = (c == "pps64/delivered_pps" && GB[b])
        if (ga && gb) return "both gen-bound"
        return (ga ? "≥ " : gb ? "≤ " : "") sprintf("%.2f×", x / y)
    }
    END {
        nc = split(cols, rows, "\n")
        for (i = 1; i <= nc; i++) {
            split(rows[i], p, "|"); C[i] = p[1]; H[i] = p[2]; SC[i] = p[3]; DG[i] = p[4]
        }
        nk = split(kinds, K, " ")
        # Generator-bound (as bench/report.sh): the generator shares CPU 0
        # with the kernel forwarding.  A kind whose 64 B rate it could
        # not offer more of than the fastest kind delivered (2 % margin),
        # and that lost (almost) nothing (< 5 %), shows the rate of the generator
        # only: a lower bound, and its ratios are bounds.
        best = 0
        for (j = 1; j <= nk; j++) {
            d = med(K[j], "pps64/delivered_pps"); if (d != "" && d + 0 > best) best = d + 0
        }
        for (j = 1; j <= nk; j++) {
            o = med(K[j], "pps64/offered_pps"); l = med(K[j], "pps64/lost_pct")
            GB[K[j]] = (o != "" && l != "" && o + 0 <= 1.02 * best && l + 0 < 5)
        }
        printf "Medians over the rounds, min–max in brackets:\n\n| kind | rounds measured |"
        for (i = 1; i <= nc; i++) printf " %s |", H[i]
        printf "\n|---|---|"; for (i = 1; i <= nc; i++) printf "---|"; printf "\n"
        for (j = 1; j <= nk; j++) {
            k = K[j]
            if (!measured[k]) { printf "| %s | 0 | no figures: see above |", k
                                for (i = 2; i <= nc; i++) printf " |"; printf "\n"; continue }
            printf "| %s | %d |", k, measured[k]
            for (i = 1; i <= nc; i++)
                printf " %s%s |", (C[i] == "pps64/delivered_pps" && GB[k]) ? "generator-bound ≥ " : "", cell(k, i)
            printf "\n"
        }
        # Ratios of the medians: ours / each peer, then ovs / each other one.
        npair = 0; haso = 0; hasours = 0
        for (j = 1; j <= nk; j++) { if (K[j] == "ovs") haso = 1; if (K[j] == "ours") hasours = 1 }
        for (j = 1; hasours && j <= nk; j++)
            if (K[j] != "ours") { A[++npair] = "ours"; B[npair] = K[j] }
        for (j = 1; haso && j <= nk; j++)
            if (K[j] != "ours" && K[j] != "ovs") { A[++npair] = "ovs"; B[npair] = K[j] }
        printf "\nRatios of the medians (TCP and 64 B: above 1 = faster; CPU: below 1 = less CPU per unit; RTT: below 1 = lower):\n\n"
        printf "| ratio | TCP Gbit/s | 64 B delivered pps | switch CPU s/GB (TCP) | switch CPU s/Mpkt (64 B) | machine CPU s/Mpkt (64 B) | RTT p50 |\n"
        printf "|---|---|---|---|---|---|---|\n"
        for (j = 1; j <= npair; j++) {
            a = A[j]; b = B[j]
            if (!measured[a] || !measured[b]) {
                printf "| %s ÷ %s | %s not measured | | | | | |\n", a, b, (!measured[a] ? a : b)
                continue
            }
            printf "| %s ÷ %s | %s | %s | %s | %s | %s | %s |\n", a, b,
                ratio(a, b, "tcp1/gbps"), ratio(a, b, "pps64/delivered_pps"),
                ratio(a, b, "tcp1/sw_cpu_s_per_gbyte"), ratio(a, b, "pps64/sw_cpu_s_per_mpkt"),
                ratio(a, b, "pps64/sys_cpu_s_per_mpkt"), ratio(a, b, "ping/rtt_p50_us")
        }
        printf "\nEvery round (kinds in the order they ran):\n\n| round | position | kind | load (1 min) |"
        for (i = 1; i <= nc; i++) printf " %s |", H[i]
        printf "\n|---|---|---|---|"; for (i = 1; i <= nc; i++) printf "---|"; printf "\n"
        for (r = 1; r <= nround; r++)
            for (pos = 1; pos <= nk; pos++)
                for (j = 1; j <= nk; j++) {
                    k = K[j]
                    if (per[k, r, "order/position"] != pos) continue
                    printf "| %d | %d | %s | %s |", r, pos, k, per[k, r, "load/loadavg1"]
                    if (per[k, r, "status/measured"] == "") {
                        printf " skipped |"; for (i = 2; i <= nc; i++) printf " |"; printf "\n"; continue
                    }
                    for (i = 1; i <= nc; i++) {
                        v = per[k, r, C[i]]
                        printf " %s |", (v == "" ? "-" : f(v, SC[i], DG[i]))
                    }
                    printf "\n"
                }
    }' "$RAW"
    echo
    cat << 'EOT'
How to read: every kind was measured in the same run, interleaved
(the order rotated each round), each round on a fresh topology and
fresh switches, so only ratios within this run mean anything (the 2
vCPUs are shared with other engineers' builds and tests: see the load
averages).  VM to VM across two hypervisor namespaces over VXLAN: the
frames cross two switches and are encapsulated (50 bytes) and
decapsulated once; the VMs' MTU is 1450.  TCP: iperf3 vm1 → vm2, one
stream, receiver's rate.  64 B: trafgen in vm1 sends 60-byte frames
(64 with the FCS) to vm2's MAC and an address vm2 does not own
(dropped after its route lookup); delivered = vm2's rx_packets.  With
two vCPUs the generator, both switches and the receiver share the
CPUs: compare delivered rates, and the CPU per unit.  Switch CPU: CPU
seconds of both hypervisors' switch daemons (all threads) per GB sent
(TCP, over the whole iperf3 run) or per million delivered frames;
kernel kinds have no daemon (the work is in softirq, included in the
machine figure).  Underlay IP fragments: IP fragments the hv
namespaces created during the TCP test; a VTEP must not fragment, so
anything but 0 means the overlay sent frames larger than the underlay
MTU.  64 B lost % = 1 − delivered ÷ offered.  "generator-bound ≥":
the generator (trafgen on CPU 0, where the kernel kinds also forward,
in softirq) could not offer this kind more than the fastest kind
delivered and it lost (almost) nothing (< 5 %), so the figure is the
generator's, a lower bound for the switch; ratios with it are bounds
(≤ or ≥).  A kind that could not ping is listed above as not
measured, and has no figure.
EOT
} > "$REPORT"
