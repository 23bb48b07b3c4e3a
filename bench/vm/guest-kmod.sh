#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/vm/guest-kmod.sh: the guest side of bench/vm/kmod-bench.sh.
#
#   guest-kmod.sh SRCDIR [ROUNDS [SECS]]
#
# Runs INSIDE a throw-away QEMU guest (tests/kmod/vmrun.sh), as root, and
# measures our vswitch_dp.ko against Debian's openvswitch.ko in the same
# boot, interleaved (ours, stock / stock, ours / ...), one module loaded at
# a time:
#
#   flow1     pps, 64-byte frames (pktgen, one 5-tuple), one flow
#             in_port(1),eth(),eth_type(0x0800),ipv4() -> 2
#   m1 m10 m30  pps, 1,000 exact-source flows spread over 1, 10 or 30
#             masks (the masks differ in the bits of udp src they match),
#             pktgen with 1,000 random sources, so every packet hits one
#             of the flows and the lookup has to find its mask
#   upcall    misses delivered to userspace per second: Debian's
#             ovs-vswitchd (NORMAL) on the `system` datapath while pktgen
#             sends frames with random source MACs (each one a new
#             megaflow); also megaflows installed per second
#
# Frames go gen0 -> p1 -> datapath -> p2 -> sink0 (veths in the root
# namespace); "delivered" is sink0's rx_packets over SECS seconds after a
# 1 s warm-up.  Prints one line per measurement:
#
#   RESULT <round> <module> <test> <value>
#
# and nothing else on stdout but '#' comments.
set -u
src=${1:?usage: guest-kmod.sh SRCDIR [ROUNDS [SECS]]}
ROUNDS=${2:-3}
SECS=${3:-4}
KO=$src/datapath-kmod/vswitch_dp.ko
D=/tmp/kmod-bench-ovs
export OVS_RUNDIR=$D OVS_DBDIR=$D OVS_LOGDIR=$D
VSCTL="ovs-vsctl --timeout=30 --db=unix:$D/db.sock"

log() { echo "# $*"; }

load() {
	rmmod vswitch_dp 2>/dev/null
	rmmod openvswitch 2>/dev/null
	case $1 in
	ours) modprobe -q udp_tunnel; modprobe -q ip6_udp_tunnel; insmod "$KO" ;;
	stock) modprobe openvswitch ;;
	esac
}

unload() {
	case $1 in
	ours) rmmod vswitch_dp ;;
	stock) rmmod openvswitch ;;
	esac
}

rx() { cat /sys/class/net/sink0/statistics/rx_packets; }

pg() { echo "$2" >"/proc/net/pktgen/$1"; }

# pktgen_run ARGS...: start pktgen on gen0 (64-byte frames to sink0) with
# extra device commands, in the background.
pktgen_run() {
	pg kpktgend_0 rem_device_all
	pg kpktgend_0 "add_device gen0"
	pg gen0 "count 0"
	pg gen0 "clone_skb 0"
	pg gen0 "burst 1"
	pg gen0 "pkt_size 60"
	pg gen0 "delay 0"
	pg gen0 "dst 10.2.0.2"
	pg gen0 "dst_mac $(cat /sys/class/net/sink0/address)"
	pg gen0 "udp_src_min 9"
	pg gen0 "udp_src_max 9"
	while [ $# -ge 2 ]; do
		pg gen0 "$1 $2"
		shift 2
	done
	(echo start >/proc/net/pktgen/pgctrl) >/dev/null 2>&1 </dev/null &
	PG=$!
}

pktgen_halt() {
	echo stop >/proc/net/pktgen/pgctrl 2>/dev/null
	wait "$PG" 2>/dev/null
	pg kpktgend_0 rem_device_all
}

# measure: delivered pps over SECS after a 1 s warm-up.
measure() {
	local a b
	sleep 1
	a=$(rx)
	sleep "$SECS"
	b=$(rx)
	echo $(((b - a) / SECS))
}

topo() {
	ip link add name gen0 numtxqueues 1 numrxqueues 1 type veth peer name p1 numtxqueues 1 numrxqueues 1
	ip link add name sink0 numtxqueues 1 numrxqueues 1 type veth peer name p2 numtxqueues 1 numrxqueues 1
	for d in gen0 p1 sink0 p2; do ip link set "$d" up; done
}

topo_del() {
	ip link del gen0 2>/dev/null
	ip link del sink0 2>/dev/null
}

# flows_masks N K: N flows over K masks into FILE for ovs-dpctl add-flows.
flows_masks() {
	local n=$1 k=$2 i m
	for ((i = 0; i < n; i++)); do
		m=$((i % k + 1))
		printf 'add in_port(1),eth(),eth_type(0x0800),ipv4(src=10.1.%d.%d,proto=17),udp(src=%d/%#x) 2\n' \
			$((i / 256)) $((i % 256)) $((9 & m)) $m
	done
}

pps_tests() {
	local r=$1 mod=$2 k v
	ovs-dpctl add-dp bdp && ovs-dpctl add-if bdp p1 && ovs-dpctl add-if bdp p2 || return 1
	ovs-dpctl add-flow bdp "in_port(1),eth(),eth_type(0x0800),ipv4()" 2 || return 1
	pktgen_run src_min 10.1.0.1 src_max 10.1.0.1
	v=$(measure)
	pktgen_halt
	echo "RESULT $r $mod flow1 $v"
	for k in 1 10 30; do
		ovs-dpctl del-flows bdp
		flows_masks 1000 "$k" >/tmp/flows.txt
		ovs-dpctl add-flows bdp /tmp/flows.txt || return 1
		log "$mod m$k: $(ovs-dpctl show bdp | grep -E 'flows|masks' | tr -s ' \n' ' ')"
		pktgen_run src_min 10.1.0.0 src_max 10.1.3.231 flag IPSRC_RND
		v=$(measure)
		pktgen_halt
		log "$mod m$k after: $(ovs-dpctl show bdp | grep -E 'lookups|masks' | tr -s ' \n' ' ')"
		echo "RESULT $r $mod m$k $v"
	done
	ovs-dpctl del-dp bdp
}

# lookups: "MISSED LOST" from one read of the datapath's counters.
lookups() {
	ovs-dpctl show system@ovs-system |
		sed -n 's/.*missed:\([0-9]*\) lost:\([0-9]*\).*/\1 \2/p'
}

upcall_test() {
	local r=$1 mod=$2 m0 l0 m1 l1 f t0 t1 vpid
	rm -rf "$D"
	mkdir -p "$D"
	ovsdb-tool create "$D/conf.db" /usr/share/openvswitch/vswitch.ovsschema &&
	ovsdb-server "$D/conf.db" --remote="punix:$D/db.sock" --pidfile="$D/db.pid" \
		--log-file="$D/db.log" --detach --no-chdir &&
	$VSCTL --no-wait init &&
	ovs-vswitchd "unix:$D/db.sock" --pidfile="$D/vs.pid" --log-file="$D/vs.log" \
		--detach --no-chdir &&
	$VSCTL add-br br0 -- set bridge br0 datapath_type=system -- \
		add-port br0 p1 -- add-port br0 p2 || return 1
	sleep 2
	pktgen_run src_min 10.1.0.1 src_max 10.1.0.1 src_mac 02:00:00:00:00:01 \
		src_mac_count 1000000 flag MACSRC_RND
	sleep 1
	# ovs-dpctl itself takes a while under TCG: each read is dated by
	# the middle of its run.
	t0=$(date +%s.%N)
	read -r m0 l0 < <(lookups)
	t0=$(echo "($t0 + $(date +%s.%N)) / 2" | bc -l)
	sleep "$SECS"
	t1=$(date +%s.%N)
	read -r m1 l1 < <(lookups)
	t1=$(echo "($t1 + $(date +%s.%N)) / 2" | bc -l)
	f=$(ovs-dpctl show system@ovs-system | grep -oE 'flows: [0-9]+' | cut -d' ' -f2)
	pktgen_halt
	log "$mod upcall: missed +$((m1 - m0)) lost +$((l1 - l0)) in $(echo "scale=2; ($t1 - $t0) / 1" | bc -l)s, flows $f"
	echo "RESULT $r $mod upcall $(echo "scale=0; ($m1 - $m0 - ($l1 - $l0)) / ($t1 - $t0)" | bc -l)"
	echo "RESULT $r $mod upcall_offered $(echo "scale=0; ($m1 - $m0) / ($t1 - $t0)" | bc -l)"
	vpid=$(cat "$D/vs.pid")
	$VSCTL del-br br0
	kill "$vpid" "$(cat "$D/db.pid")" 2>/dev/null
	for _ in $(seq 1 50); do
		[ -e "/proc/$vpid" ] || break
		sleep 0.2
	done
	ovs-dpctl del-dp system@ovs-system 2>/dev/null
	return 0
}

sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
modprobe pktgen || exit 1
modprobe veth
log "guest: $(uname -r), $(nproc) CPUs, rounds $ROUNDS, ${SECS}s windows"
rc=0
for ((r = 1; r <= ROUNDS; r++)); do
	if ((r % 2)); then order="ours stock"; else order="stock ours"; fi
	for mod in $order; do
		load "$mod" || { log "cannot load $mod"; rc=1; continue; }
		topo
		pps_tests "$r" "$mod" || { log "$mod: pps tests failed"; rc=1; }
		upcall_test "$r" "$mod" || { log "$mod: upcall test failed"; rc=1; }
		topo_del
		unload "$mod" || rc=1
	done
done
if dmesg | grep -E 'BUG:|WARNING:|Oops|KASAN|Call Trace'; then
	log "kernel log not clean"
	rc=1
fi
exit $rc
