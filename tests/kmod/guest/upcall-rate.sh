#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest: the per-port upcall rate limit of vswitch_dp.ko (module
# parameters upcall_rate, upcall_burst: a token bucket per port).  pktgen
# floods a port with new flows; a listener (upcall_listen.py) counts the
# misses it receives.  Limited, it gets at most burst + rate x time, the
# rest count as lost in `ovs-dpctl show` and as dropped on the port; with
# the limit off (upcall_rate=0, changed at run time) it gets more.  Prints
# TAP.  Ours only: openvswitch.ko has no such limit.
. "$VMRUN_SCRIPT_DIR/lib.sh"

RATE=50
BURST=10
SECS=4

# listen SECS: count the misses of port p1 for SECS while pktgen runs.
listen() {
	local n
	python3 "$VMRUN_SCRIPT_DIR/upcall_listen.py" dpu p1 "$SECS" >/tmp/listen.out 2>&1 &
	local lp=$!
	for n in $(seq 1 50); do
		grep -q ready /tmp/listen.out && break
		sleep 0.2
	done
	pktgen_start gen0 "$(mac ns2 v2)" src_min 10.1.0.1 src_max 10.1.255.254 flag IPSRC_RND
	wait $lp
	pktgen_stop
	grep -oE 'misses [0-9]+' /tmp/listen.out | cut -d' ' -f2
}

lost() { ovs-dpctl show dpu | grep -oE 'lost:[0-9]+' | cut -d: -f2; }
p1_dropped() { ovs-dpctl show -s dpu | sed -n '/port 1: p1/,/port 2/p' | grep -oE 'RX packets:[0-9]+ errors:[0-9]+ dropped:[0-9]+' | grep -oE 'dropped:[0-9]+' | cut -d: -f2; }

check "module loads with upcall_rate=$RATE upcall_burst=$BURST" dp_load upcall_rate=$RATE upcall_burst=$BURST
check "parameters visible in sysfs" bash -c "[ \$(cat /sys/module/vswitch_dp/parameters/upcall_rate) = $RATE ] && [ \$(cat /sys/module/vswitch_dp/parameters/upcall_burst) = $BURST ]"
ns_pair
ip link del p1
ip link add name gen0 type veth peer name p1
ip link set gen0 up
ip link set p1 up
ovs-dpctl add-dp dpu && ovs-dpctl add-if dpu p1 && ovs-dpctl add-if dpu p2

l0=$(lost)
d0=$(p1_dropped)
n=$(listen)
l1=$(lost)
d1=$(p1_dropped)
echo "# limited: $n misses received in ${SECS}s, lost +$((l1 - l0)), p1 dropped +$((d1 - d0))"
cat /tmp/listen.out | sed 's/^/# /'
check "limited: some misses delivered" test "${n:-0}" -gt 0
# The listener starts counting before pktgen and stops after it, so the
# bound is burst + rate x (SECS + 1) with a little slack for timing.
check "limited: at most burst + rate x time delivered" test "${n:-0}" -le $((BURST + RATE * (SECS + 2)))
check "limited: the rest counted lost" test "$((l1 - l0))" -gt "$((RATE * SECS))"
check "limited: throttled upcalls counted as drops on the port" test "$((d1 - d0))" -gt "$((RATE * SECS))"

echo 0 >/sys/module/vswitch_dp/parameters/upcall_rate
m=$(listen)
echo "# unlimited: $m misses received in ${SECS}s"
sed 's/^/# /' /tmp/listen.out
check "unlimited (upcall_rate=0 at run time): more misses delivered" test "${m:-0}" -gt $((2 * (BURST + RATE * (SECS + 2))))

ovs-dpctl del-dp dpu
ip link del gen0
ns_pair_del
check "module unloads" dp_unload
tap_done
