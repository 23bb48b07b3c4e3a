# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# bench/guest-lib.sh: what the two benchmarks that run inside a QEMU
# guest, bench/kernel.sh and bench/kernel-vxlan.sh, share: the pktgen
# generator, the head of OUT/env.txt and the end of the run.  Sourced
# after bench/lib.sh.
#
# pktgen runs in vm1 and sends 64 B UDP
# frames (60 + FCS, clone_skb 0, burst 1, destination port 9) to vm2's
# MAC and $BENCH_NET.250, an address vm2 does not own (vm2 drops them
# after the route lookup).  GEN_PID is the pid of the running generator.

# pktgen_config SRC_MAC SPORT_MIN SPORT_MAX: set pktgen up, the source
# port cycling over SPORT_MIN..SPORT_MAX (one value when equal); an empty
# SRC_MAC keeps the device's own.  pktgen_go starts it: under TCG the
# set-up takes seconds, so timing starts at pktgen_go.
pktgen_config() {
    local smax=$3
    # pktgen's sequential source port runs over [min, max).
    [ "$3" -gt "$2" ] && smax=$(($3 + 1))
    modprobe pktgen || return 1
    # rem_device_all only flags the pktgen thread and sleeps 125 ms: under
    # TCG the thread may act later and remove the device added after it.
    # Wait for the device to go (and to come) before using it; bounded.
    in_vm 1 bash -s -- "$VM_DEV" "$BENCH_NET.250" "$(vm_mac 2)" "$1" "$2" "$smax" << 'EOS'
pg() { echo "$2" > "/proc/net/pktgen/$1"; }
d=/proc/net/pktgen/$1
if [ -e "$d" ]; then
    pg kpktgend_0 rem_device_all
    for i in $(seq 100); do [ -e "$d" ] || break; sleep 0.1; done
fi
[ -e "$d" ] || pg kpktgend_0 "add_device $1"
for i in $(seq 100); do [ -e "$d" ] && break; sleep 0.1; done
for c in "count 0" "pkt_size 60" "delay 0" "clone_skb 0" "burst 1" \
         "dst $2" "dst_mac $3" ${4:+"src_mac $4"} "udp_src_min $5" \
         "udp_src_max $6" "udp_dst_min 9" "udp_dst_max 9"; do
    pg "$1" "$c" || exit 1
done
EOS
}
# pktgen_go SECS: start the configured pktgen in the background, endless
# until pktgen_stop but killed after SECS anyway.
pktgen_go() {
    ip netns exec "$(vm_ns 1)" timeout "$1" \
        sh -c 'echo start > /proc/net/pktgen/pgctrl' > /dev/null 2>&1 &
    GEN_PID=$!
    track_pid "$GEN_PID"
}
pktgen_stop() {
    [ -n "${GEN_PID:-}" ] || return 0
    in_vm 1 sh -c 'echo stop > /proc/net/pktgen/pgctrl' 2> /dev/null
    stop_pid "$GEN_PID"
    wait "$GEN_PID" 2> /dev/null
    GEN_PID=""
    return 0
}

# guest_env_head: the first lines of OUT/env.txt: date, guest kernel and
# CPUs, versions of Open vSwitch and of ours.
guest_env_head() {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "guest kernel: $(uname -srm), $(nproc) vCPUs (QEMU TCG)"
    echo "ovs: $(ovs_version)"
    echo "ours: $(ours_version)"
}
# guest_exit RC: the guest's load average at the end into OUT/env.txt,
# then exit RC, or 1 when the guest's kernel log is not clean.
guest_exit() {
    echo "guest load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/env.txt"
    if dmesg | grep -E 'BUG:|WARNING:|Oops|KASAN|Call Trace'; then
        log "guest kernel log not clean"
        exit 1
    fi
    exit "$1"
}
