#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/slowpath.sh: the slow-path benchmark (issue 9), ours against
# Debian's Open vSwitch (netdev datapath), interleaved, same pipelines,
# same traffic (trafgen in vm1, pinned to CPU $BENCH_GEN_CPU).
#
#   bench/slowpath.sh [--rounds N] [--quick] [--kinds "ovs-netdev ours"]
#                     [--out DIR] [--report FILE.md]
#
# Per round and kind (order rotated each round), on a fresh topology and
# a fresh switch (bridge br0, ports p1, p2 as OpenFlow 1, 2):
#
#  setup   flow setup rate.  Rules priority=100,udp,tp_src=S,output:2 for
#          S in 1024..1024+N-1 (N = $SP_FLOWS, default 20,000): every
#          source port is its own megaflow on both switches.  trafgen
#          cycles the source port over those N values at full speed for
#          at most $SP_SETUP_SECS s; the datapath's flow count is polled;
#          rate = megaflows reached / time to reach them (99 % of N, or
#          the count at the time limit).  Also offered/delivered pps and
#          lost upcalls over that time.
#  acl     a realistic pipeline: table 0 an ACL (a few denied prefixes and
#          ports, IPv4 to 10/8 and ARP go on), table 1 NORMAL; 300 mixed
#          UDP/TCP flows to 4 destination prefixes; after $BENCH_SECS s:
#          megaflows, masks (distinct masks in the dumped megaflows, the
#          same count for both), hit rate (fast-path hits / lookups over
#          the window, from dpctl show).
#  tput    64 B throughput with M active megaflows over K masks, M in
#          10/100/1000 and K in 1/10/30 (K <= M): flow f belongs to class
#          k = f mod K (its own Ethernet source), its rule matches
#          dl_src, udp, nw_dst/(32-k), tp_dst=1000+f: M rules, M
#          megaflows, K masks (the counts measured are reported).
#          Delivered pps at vm2 over $BENCH_SECS s after 1 s of warm-up.
#
# Raw rows "kind round test metric value" go to OUT/raw.tsv; the report
# (medians, min-max, ratios ours / ovs-netdev, load averages) is written
# by bench/slowpath-report.sh.  Figures are never judged: exit 0 when
# every kind was measured.
set -u
. "$(dirname "$0")/lib.sh"

ROUNDS=${BENCH_ROUNDS:-3}
QUICK=0
KINDS="ovs-netdev ours"
OUT=""
REPORT=""
bench_option() { [ "$1" = --report ] && REPORT=$2; }
bench_options 40 "$@"
: "${SP_FLOWS:=20000}"
: "${SP_SETUP_SECS:=10}"
: "${SP_TPUT:=10x1 10x10 100x1 100x10 100x30 1000x1 1000x10 1000x30}"
if [ "$QUICK" = 1 ]; then
    [ -n "${BENCH_ROUNDS:-}" ] || ROUNDS=1
    SP_FLOWS=${SP_QUICK_FLOWS:-1000}
    SP_SETUP_SECS=3
    BENCH_SECS=1
    SP_TPUT="100x10"
fi
# shellcheck disable=SC2034  # read by topo.sh and the kinds
BENCH_VMS=2
DATE=$(date -u +%Y%m%d-%H%M%S)
OUT=${OUT:-$BENCH_DIR/results/raw/slowpath-$DATE-$BENCH_TAG}
REPORT=${REPORT:-$BENCH_DIR/results/slowpath-$DATE.md}
bench_out_dir

cleanup() {
    local k
    for k in $KINDS; do kind_call "$k" teardown > /dev/null 2>&1; done
    stop_tracked_pids
    topo_destroy
    rm -rf "$BENCH_STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- per-kind access: OpenFlow, datapath statistics, megaflow dump ------
sp_ofctl() {
    case $KIND in
    ours) ours_ofctl "$@" ;;
    *) ovs_ofctl "$@" ;;
    esac
}
sp_dpshow() {
    case $KIND in
    ours) ours_dpctl show netdev@br0 ;;
    *) ovs_appctl dpctl/show ;;
    esac
}
sp_dump() {
    case $KIND in
    ours) ours_dpctl dump-flows netdev@br0 ;;
    *) ovs_appctl dpctl/dump-flows ;;
    esac
}
sp_del_dp_flows() {
    case $KIND in
    ours) ours_dpctl del-flows netdev@br0 ;;
    *) ovs_appctl dpctl/del-flows ;;
    esac > /dev/null 2>&1
}
# sp_stats: "flows hit missed lost" from the datapath's counters.
sp_stats() {
    sp_dpshow | awk '
        /lookups:/ { for (i = 1; i <= NF; i++) { split($i, a, ":")
                     if (a[1] == "hit") h = a[2]; if (a[1] == "missed") m = a[2]
                     if (a[1] == "lost") l = a[2] } }
        /flows:/ { f = $2 }
        END { printf "%d %d %d %d\n", f, h, m, l }'
}
sp_flows() { sp_stats | awk '{print $1}'; }
# sp_masks FILE: distinct masks among the megaflows of a dump (both
# switches print ovs-dpctl syntax: a field with "/MASK" is partial, one
# without is exact, an absent one wildcarded).
# Values are replaced by E (exact) or /MASK, so only the mask remains;
# an empty "eth()" (ours) is the same mask as an absent eth (OVS).
sp_masks() {
    grep 'actions:' "$1" | sed -e 's/, *packets:.*//' -e 's/ *actions:.*//' |
        sed -E 's#=[^,/()]*/([^,()]*)#=/\1#g; s#=[^,/()]+#=E#g
                s#\(([^=(),/]+)/([^=(),]+)\)#(/\2)#g; s#\(([^=(),/]+)\)#(E)#g
                s#(^|,)eth\(\)#\1#g' |
        sort -u | wc -l
}

sp_setup_switch() {
    case $KIND in
    ours) ours_start --no-flows ;;
    *) ovs_start && ovs_bridge netdev system ;;
    esac
}
sp_flows_normal() {
    sp_ofctl del-flows br0 && sp_ofctl add-flow br0 "priority=0,actions=NORMAL"
}

# sp_gen CFG SECS [COUNT]: trafgen in vm1 for SECS s (background, GEN_PID).
sp_gen() {
    ip netns exec "$(vm_ns 1)" timeout -s INT "$2" \
        taskset -c "$BENCH_GEN_CPU" trafgen --no-sock-mem --notouch-irq \
        --cpus 1 --dev "$VM_DEV" --conf "$1" \
        > "$BENCH_STATE/gen.log" 2>&1 &
    GEN_PID=$!
    track_pid "$GEN_PID"
}
sp_gen_stop() {
    kill -INT "$GEN_PID" 2> /dev/null
    wait "$GEN_PID" 2> /dev/null
    stop_pid "$GEN_PID"
}

# ---- setup: flow setup rate ---------------------------------------------
sp_setup_rate() {
    local f=$BENCH_STATE/setup.flows cfg=$BENCH_STATE/setup.cfg n=$SP_FLOWS
    local t0 t fl best=0 tbest=0 o0 d0 o1 d1 lost0 lost1 target
    awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++)
        printf "priority=100,udp,tp_src=%d,actions=output:2\n", 1024 + i }' > "$f"
    t=$(now)
    sp_ofctl add-flows br0 "$f" || { log "$KIND: add-flows failed"; return 1; }
    emit setup flow_mods_per_s "$(awk -v a="$t" -v b="$(now)" -v n="$n" 'BEGIN {printf "%.0f", n / (b - a)}')"
    sp_del_dp_flows
    sleep 0.5
    cat > "$cfg" << EOC
{
  eth(da=$(vm_mac 2), sa=$(vm_mac 1)),
  ipv4(sa=$(vm_ip 1), da=$BENCH_NET.250, ttl=64),
  udp(sp=dinc(1024, $((1024 + n - 1)), 1), dp=9),
  fill(0x00, 18)
}
EOC
    target=$((n * 99 / 100))
    read -r _ _ _ lost0 < <(sp_stats)
    read -r o0 d0 < <(pps_counters)
    t0=$(now)
    sp_gen "$cfg" $((SP_SETUP_SECS + 5))
    while :; do
        sleep 0.2
        fl=$(sp_flows)
        t=$(now)
        if [ "${fl:-0}" -gt "$best" ]; then best=$fl tbest=$t; fi
        [ "$best" -ge "$target" ] && break
        awk -v a="$t0" -v b="$t" -v m="$SP_SETUP_SECS" 'BEGIN {exit !(b - a >= m)}' && break
        kill -0 "$GEN_PID" 2> /dev/null || break
    done
    read -r o1 d1 < <(pps_counters)
    sp_gen_stop
    read -r _ _ _ lost1 < <(sp_stats)
    [ "$best" -gt 0 ] || { log "$KIND: no megaflow was set up"; return 1; }
    awk -v a="$t0" -v b="$tbest" -v e="$t" -v f="$best" -v n="$n" \
        -v off=$((o1 - o0)) -v del=$((d1 - d0)) -v lost=$((lost1 - lost0)) \
        'BEGIN {
            printf "flows_per_s %.0f\nmegaflows %d\nflows_offered %d\n", f / (b - a), f, n
            printf "secs %.2f\n", b - a
            printf "offered_pps %.0f\ndelivered_pps %.0f\nlost_upcalls %d\n", off / (e - a), del / (e - a), lost }' |
        while read -r m v; do emit setup "$m" "$v"; done
    sp_ofctl del-flows br0 "priority=100,udp" --strict > /dev/null 2>&1 ||
        sp_ofctl del-flows br0 udp > /dev/null 2>&1
    sp_flows_normal
}

# ---- acl: realistic pipeline ---------------------------------------------
sp_acl() {
    local f=$BENCH_STATE/acl.flows cfg=$BENCH_STATE/acl.cfg
    local fl h0 m0 h1 m1 l0 l1
    cat > "$f" << 'EOF'
table=0,priority=300,ip,nw_src=192.168.0.0/16,actions=drop
table=0,priority=250,ip,nw_dst=10.99.0.0/16,actions=drop
table=0,priority=240,udp,nw_dst=10.88.1.0/24,actions=drop
table=0,priority=230,tcp,tp_dst=22,actions=drop
table=0,priority=220,udp,tp_dst=161,actions=drop
table=0,priority=100,ip,nw_dst=10.0.0.0/8,actions=goto_table:1
table=0,priority=90,arp,actions=goto_table:1
table=0,priority=0,actions=drop
table=1,priority=0,actions=NORMAL
EOF
    sp_ofctl -O OpenFlow13 del-flows br0 &&
        sp_ofctl -O OpenFlow13 add-flows br0 "$f" ||
        { log "$KIND: ACL pipeline refused"; return 1; }
    # 300 flows: destinations in 10.77.0/24 (vm2's MAC: allowed), 10.88.1/24
    # (UDP denied), 10.99/16 (denied), 10.50/16 (allowed); UDP ports 53,
    # 123, 161 (denied), 4789; TCP 80, 443, 22 (denied); varied sources.
    awk -v da="$(vm_mac 2)" -v sa="$(vm_mac 1)" -v src="$(vm_ip 1)" 'BEGIN {
        split("10.77.0 10.88.1 10.99.7 10.50.3", net, " ")
        split("53 123 161 4789", up, " "); split("80 443 22", tp, " ")
        for (i = 0; i < 300; i++) {
            d = net[i % 4 + 1] "." (2 + int(i / 4) % 200)
            if (i % 3 == 0)
                l4 = sprintf("tcp(sp=%d, dp=%d),\n  fill(0x00, 6)", 30000 + i, tp[int(i / 3) % 3 + 1])
            else
                l4 = sprintf("udp(sp=%d, dp=%d),\n  fill(0x00, 18)", 30000 + i, up[i % 4 + 1])
            printf "{\n  eth(da=%s, sa=%s),\n  ipv4(sa=%s, da=%s, ttl=64),\n  %s\n}\n", da, sa, src, d, l4
        } }' > "$cfg"
    sp_del_dp_flows
    read -r _ h0 m0 l0 < <(sp_stats)
    sp_gen "$cfg" $((BENCH_SECS + 10))
    sleep "$BENCH_SECS"
    read -r fl h1 m1 l1 < <(sp_stats)
    sp_dump > "$BENCH_STATE/acl.dump" 2>&1
    sp_gen_stop
    cp "$BENCH_STATE/acl.dump" "$OUT/logs/acl-dump-$KIND-r$ROUND.txt"
    [ "$KIND" = ours ] || ovs_appctl dpif-netdev/pmd-stats-show > "$OUT/logs/acl-pmd-$KIND-r$ROUND.txt" 2>&1
    sp_dpshow > "$OUT/logs/acl-show-$KIND-r$ROUND.txt" 2>&1
    emit acl megaflows "$fl"
    emit acl masks "$(sp_masks "$BENCH_STATE/acl.dump")"
    if [ "$KIND" = ours ]; then   # the datapath's own count, where it has one
        emit acl dp_masks "$(awk '/masks:/ {sub(/.*total:/, ""); print $1}' "$OUT/logs/acl-show-$KIND-r$ROUND.txt")"
    fi
    awk -v h=$((h1 - h0)) -v m=$((m1 - m0)) -v l=$((l1 - l0)) 'BEGIN {
        if (h + m > 0) printf "hit_pct %.2f\n", 100 * h / (h + m)
        printf "misses %d\nlost %d\n", m, l }' |
        while read -r m v; do emit acl "$m" "$v"; done
}

# ---- tput: M megaflows over K masks ---------------------------------------
sp_tput() {
    local m=$1 k=$2 f=$BENCH_STATE/tput.flows cfg=$BENCH_STATE/tput.cfg
    local o0 d0 o1 d1 t0 t1 fl
    awk -v m="$m" -v k="$k" -v da="$(vm_mac 2)" -v src="$(vm_ip 1)" \
        -v flows="$f" 'BEGIN {
        base = 10 * 2^24 + 80 * 2^16 + 1        # 10.80.0.1
        for (i = 0; i < m; i++) {
            c = i % k; len = 32 - c
            net = base - base % 2^(32 - len)
            ip = sprintf("%d.%d.%d.%d", int(net / 2^24), int(net / 2^16) % 256,
                         int(net / 2^8) % 256, net % 256)
            mac = sprintf("02:5b:00:00:%02x:%02x", int(c / 256), c % 256)
            printf "priority=100,udp,dl_src=%s,nw_dst=%s/%d,tp_dst=%d,actions=output:2\n",
                mac, ip, len, 1000 + i > flows
            printf "{\n  eth(da=%s, sa=%s),\n  ipv4(sa=%s, da=10.80.0.1, ttl=64),\n  udp(sp=1024, dp=%d),\n  fill(0x00, 18)\n}\n",
                da, mac, src, 1000 + i
        } }' > "$cfg"
    sp_flows_normal && sp_ofctl add-flows br0 "$f" ||
        { log "$KIND: tput rules refused"; return 1; }
    sp_del_dp_flows
    sp_gen "$cfg" $((BENCH_SECS + 12))
    sleep 1
    read -r o0 d0 < <(pps_counters)
    t0=$(now)
    sleep "$BENCH_SECS"
    read -r o1 d1 < <(pps_counters)
    t1=$(now)
    fl=$(sp_flows)
    sp_dump > "$BENCH_STATE/tput.dump" 2>&1
    local alive=1
    kill -0 "$GEN_PID" 2> /dev/null || alive=0
    sp_gen_stop
    [ "$alive" = 1 ] || { log "$KIND: trafgen stopped early: $(tail -n 2 "$BENCH_STATE/gen.log")"; return 1; }
    emit "tput-${m}x$k" delivered_pps "$(awk -v d=$((d1 - d0)) -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", d / (b - a)}')"
    emit "tput-${m}x$k" offered_pps "$(awk -v d=$((o1 - o0)) -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", d / (b - a)}')"
    emit "tput-${m}x$k" megaflows "$fl"
    emit "tput-${m}x$k" masks "$(sp_masks "$BENCH_STATE/tput.dump")"
}

# ---- the run ----------------------------------------------------------------
run_kind() {
    local ok=0 mk
    topo_create || { log "$KIND: topology failed"; return 1; }
    topo_tx_offload "$(kind_call "$KIND" offload || echo on)"
    if ! sp_setup_switch > "$OUT/logs/setup-$KIND-r$ROUND.log" 2>&1; then
        log "$KIND: switch setup failed (logs/setup-$KIND-r$ROUND.log)"
        return 1
    fi
    sp_flows_normal && topo_ping_check || { log "$KIND: no connectivity"; return 1; }
    log "$KIND r$ROUND: setup rate ($SP_FLOWS flows)"
    sp_setup_rate || ok=1
    log "$KIND r$ROUND: ACL pipeline"
    sp_acl || ok=1
    for mk in $SP_TPUT; do
        log "$KIND r$ROUND: throughput, ${mk%x*} megaflows over ${mk#*x} masks"
        sp_tput "${mk%x*}" "${mk#*x}" || ok=1
    done
    kind_call "$KIND" info > "$OUT/logs/info-$KIND-r$ROUND.log" 2>&1
    return $ok
}

rc=0
# shellcheck disable=SC2034  # read by bench_rounds
read -ra kinds <<< "$KINDS"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "kernel: $(uname -srm)"
    echo "cpus: $(nproc)"
    echo "ovs: $(ovs_version)"
    echo "ours: $(ours_version)"
    echo "rounds: $ROUNDS  window: ${BENCH_SECS:-5}s  setup flows: $SP_FLOWS (limit ${SP_SETUP_SECS}s)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/env.txt"
round_kind() {     # one kind in one round (bench_rounds)
    kind_exists "$KIND" || die "unknown kind $KIND"
    local why
    why=$(kind_available "$KIND") || { log "$KIND: not available: $why"; rc=1; return 0; }
    emit load loadavg1 "$(cut -d' ' -f1 /proc/loadavg)"
    run_kind || rc=1
    kind_call "$KIND" teardown > /dev/null 2>&1
    stop_tracked_pids
    topo_destroy
    save_daemon_logs
}
bench_rounds round_kind
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/env.txt"
"$BENCH_DIR/slowpath-report.sh" "$OUT" "$REPORT" || rc=1
log "report: $REPORT"
exit $rc
