# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# bench/measure.sh: the data-plane measurements.  Sourced by lib.sh.
# Each meas_* function measures the kind that is set up now, between vm1
# (sender) and vm2 (receiver), and appends rows "kind round test metric
# value" to $RAW through emit ($KIND and $ROUND are set by the caller).
# Every load is bounded in count and time (timeout, fixed durations).
#
#   meas_ping          ping vm1 -> vm2, $BENCH_PING_COUNT probes every 2 ms:
#                      rtt_p50_us, rtt_p99_us, loss_pct
#   meas_pps TEST LEN  generator in vm1 sends LEN-byte frames (without FCS)
#                      to vm2's MAC for $BENCH_WARMUP + $BENCH_SECS s;
#                      over the last $BENCH_SECS s:
#                        offered_pps   = tx_packets + tx_dropped of vm1 eth0
#                        delivered_pps = rx_packets of vm2 eth0
#                      plus sw_cpu_s_per_mpkt (CPU seconds of the switch's
#                      processes per million delivered frames; userspace
#                      kinds only) and sys_cpu_s_per_mpkt (the whole
#                      machine's: generator + switch + receiver).
#                      The frames are addressed to an IP that vm2 does not
#                      own: vm2 (no forwarding) drops them right after the
#                      route lookup, without ICMP replies.
#   meas_tcp N         iperf3, N streams vm1 -> vm2 for $BENCH_SECS s (the
#                      first second omitted): gbps (receiver), retransmits
#
# Generators ($BENCH_GEN): trafgen (netsniff-ng; pinned to CPU
# $BENCH_GEN_CPU, --no-sock-mem --notouch-irq so it changes no global
# setting) on the host; pktgen (kernel) inside QEMU, where a userspace
# generator under TCG would measure the emulator.

: "${BENCH_SECS:=5}"
: "${BENCH_WARMUP:=1}"
: "${BENCH_PING_COUNT:=1000}"
: "${BENCH_GEN:=trafgen}"

emit() {    # emit TEST METRIC VALUE
    printf '%s\t%s\t%s\t%s\t%s\n' "$KIND" "$ROUND" "$1" "$2" "$3" >> "$RAW"
}

meas_ping() {
    local out
    out=$BENCH_STATE/ping.txt
    in_vm 1 timeout 60 ping -n -c "$BENCH_PING_COUNT" -i 0.002 -W 1 \
        "$(vm_ip 2)" > "$out" 2>&1
    awk -v n="$BENCH_PING_COUNT" '
        /time=/ { sub(/.*time=/, ""); v[++k] = $1 * 1000 }
        END {
            if (k == 0) { printf "- - 100\n"; exit }
            asort_n(v, k)
            p50 = v[int((k + 1) / 2)]; i99 = int(k * 0.99 + 0.999)
            if (i99 < 1) i99 = 1
            printf "%.1f %.1f %.2f\n", p50, v[i99], 100 * (n - k) / n
        }
        function asort_n(a, m,   i, j, t) {   # insertion sort, m <= ~10^4
            for (i = 2; i <= m; i++) {
                t = a[i]
                for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
                a[j + 1] = t
            }
        }' "$out" | {
        read -r p50 p99 loss
        [ "$p50" != - ] && emit ping rtt_p50_us "$p50" && emit ping rtt_p99_us "$p99"
        emit ping loss_pct "$loss"
    }
}

# ---- generators: gen_start LEN (background, pid in GEN_PID), gen_stop ----
gen_trafgen_start() {
    local len=$1 cfg=$BENCH_STATE/trafgen.cfg
    cat > "$cfg" << EOC
{
  eth(da=$(vm_mac 2), sa=$(vm_mac 1)),
  ipv4(sa=$(vm_ip 1), da=$BENCH_NET.250, ttl=64),
  udp(sp=1024, dp=9),
  fill(0x00, $((len - 42)))
}
EOC
    ip netns exec "$(vm_ns 1)" timeout -s INT $((BENCH_WARMUP + BENCH_SECS + 20)) \
        taskset -c "$BENCH_GEN_CPU" trafgen --no-sock-mem --notouch-irq \
        --cpus 1 --dev "$VM_DEV" --conf "$cfg" \
        > "$BENCH_STATE/gen.log" 2>&1 &
    GEN_PID=$!
    track_pid "$GEN_PID"
}
gen_trafgen_stop() {
    kill -INT "$GEN_PID" 2> /dev/null
    wait "$GEN_PID" 2> /dev/null
    stop_pid "$GEN_PID"
}

# pktgen: one kernel thread (kpktgend_0 of vm1's namespace) sends
# 'count 0' (endless) until stopped.  The 'start' write blocks until
# 'stop', hence the background shell.
gen_pktgen_start() {
    local len=$1
    modprobe pktgen || return 1
    in_vm 1 bash -s -- "$VM_DEV" "$BENCH_NET.250" "$(vm_mac 2)" "$len" << 'EOS' || return 1
pg() { echo "$2" > "/proc/net/pktgen/$1"; }
pg kpktgend_0 rem_device_all
pg kpktgend_0 "add_device $1"
for c in "count 0" "pkt_size $4" "delay 0" "clone_skb 0" "burst 1" \
         "dst $2" "dst_mac $3" "udp_src_min 1024" "udp_src_max 1024" \
         "udp_dst_min 9" "udp_dst_max 9"; do
    pg "$1" "$c"
done
EOS
    ip netns exec "$(vm_ns 1)" timeout $((BENCH_WARMUP + BENCH_SECS + 30)) \
        sh -c 'echo start > /proc/net/pktgen/pgctrl' &
    GEN_PID=$!
    track_pid "$GEN_PID"
}
gen_pktgen_stop() {
    in_vm 1 sh -c 'echo stop > /proc/net/pktgen/pgctrl' 2> /dev/null
    stop_pid "$GEN_PID"
    wait "$GEN_PID" 2> /dev/null
    in_vm 1 sh -c 'echo rem_device_all > /proc/net/pktgen/kpktgend_0' \
        2> /dev/null
    return 0
}

pps_counters() {    # -> "offered delivered" (packets so far)
    local rx tx drop
    read -r _ tx drop < <(topo_counters 1 "$VM_DEV")
    read -r rx _ _ < <(topo_counters 2 "$VM_DEV")
    echo $((tx + drop)) "$rx"
}

meas_pps() {
    local test=$1 len=$2 pids o0 d0 o1 d1 t0 t1 p0 p1 s0 s1 try
    pids=$(kind_call "$KIND" pids | tr "\n" " ")
    # trafgen gives up when a send fails (EAGAIN from a full veth ring):
    # start it again, at most twice.
    for try in 1 2 3; do
        "gen_${BENCH_GEN}_start" "$len" ||
            { log "$test: generator failed"; return 1; }
        sleep "$BENCH_WARMUP"
        kill -0 "$GEN_PID" 2> /dev/null && break
        log "$test: generator exited early (try $try):" \
            "$(tail -n 3 "$BENCH_STATE/gen.log" 2> /dev/null | tr "\n" " ")"
        "gen_${BENCH_GEN}_stop"
        [ "$try" = 3 ] && return 1
    done
    read -r o0 d0 < <(pps_counters)
    # shellcheck disable=SC2086
    t0=$(now) p0=$(proc_ticks $pids) s0=$(sys_busy_ticks)
    sleep "$BENCH_SECS"
    read -r o1 d1 < <(pps_counters)
    # shellcheck disable=SC2086
    t1=$(now) p1=$(proc_ticks $pids) s1=$(sys_busy_ticks)
    if ! kill -0 "$GEN_PID" 2> /dev/null; then
        log "$test: generator stopped during the window: $(tail -n 3 "$BENCH_STATE/gen.log" 2> /dev/null | tr "\n" " ")"
        "gen_${BENCH_GEN}_stop"
        return 1
    fi
    "gen_${BENCH_GEN}_stop"
    awk -v dt="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" \
        -v off=$((o1 - o0)) -v del=$((d1 - d0)) -v p=$((p1 - p0)) \
        -v s=$((s1 - s0)) -v hz="$HZ" -v haspids="${pids:+1}" '
        BEGIN {
            printf "offered_pps %.0f\ndelivered_pps %.0f\n", off / dt, del / dt
            if (del > 0) {
                if (haspids) {
                    printf "sw_cpu_pct %.1f\n", 100 * p / hz / dt
                    printf "sw_cpu_s_per_mpkt %.3f\n", p / hz / (del / 1e6)
                }
                printf "sys_cpu_s_per_mpkt %.3f\n", s / hz / (del / 1e6)
            }
        }' | while read -r m v; do emit "$test" "$m" "$v"; done
}

meas_tcp() {
    local n=$1 test="tcp$1" json=$BENCH_STATE/iperf.json spid i
    ip netns exec "$(vm_ns 2)" timeout $((BENCH_SECS + 40)) iperf3 -s -1 -p 5201 \
        > /dev/null 2>&1 &
    spid=$!
    track_pid "$spid"
    for i in $(seq 50); do
        in_vm 2 ss -Hltn 'sport = :5201' | grep -q . && break
        sleep 0.1
    done
    in_vm 1 timeout $((BENCH_SECS + 30)) iperf3 -c "$(vm_ip 2)" -p 5201 \
        -t $((BENCH_SECS + 1)) -O 1 -P "$n" -J > "$json" 2>&1
    stop_pid "$spid"
    wait "$spid" 2> /dev/null
    if ! jq -e '.end.sum_received.bits_per_second' "$json" > /dev/null 2>&1; then
        log "$test: iperf3 failed: $(jq -r '.error // empty' "$json" 2> /dev/null)"
        return 1
    fi
    emit "$test" gbps "$(jq '.end.sum_received.bits_per_second / 1e9' "$json")"
    emit "$test" retransmits "$(jq '.end.sum_sent.retransmits // 0' "$json")"
}
