# SPDX-License-Identifier: GPL-2.0
# tests/kmod/guest/lib.sh - helpers for scripts that run INSIDE a vmrun.sh
# guest (root, throw-away kernel).  Sourced by bash.
#
# TAP: `check NAME CMD...` runs CMD and prints "ok N - NAME" or
# "not ok N - NAME" (with CMD's output on failure); `tap_done` adds the
# dmesg check and exits 0 (the host counts the TAP lines).
#
# Modules: DP_MODULE selects the datapath under test: "vswitch" (our
# vswitch_dp.ko from $SRCDIR/datapath-kmod) or "ovs" (Debian's
# openvswitch.ko); dp_load / dp_unload switch between them.

# KEY=VALUE arguments of the script become environment variables.
for _a in "$@"; do
	case $_a in [A-Z_]*=*) export "$_a" ;; esac
done
SRCDIR=${SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
KO=$SRCDIR/datapath-kmod/vswitch_dp.ko
DP_MODULE=${DP_MODULE:-vswitch}
TAP_N=0
TAP_FAILED=0
TAP_PREFIX=${TAP_PREFIX:-}

check() {
	local name=$1 out rc
	shift
	TAP_N=$((TAP_N + 1))
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc = 0 ]; then
		echo "ok $TAP_N - $TAP_PREFIX$name"
	else
		echo "not ok $TAP_N - $TAP_PREFIX$name"
		TAP_FAILED=$((TAP_FAILED + 1))
		printf '%s\n' "$out" | sed 's/^/#   /' | head -n 30
	fi
	return $rc
}

# check_fails NAME CMD...: CMD must fail.
check_fails() {
	local name=$1
	shift
	check "$name" bash -c '! "$@"' _ "$@"
}

# dmesg_clean: no oops, BUG, WARNING, KASAN or lockdep report so far.
dmesg_clean() {
	if dmesg | grep -E 'BUG:|WARNING:|Oops|KASAN|UBSAN|Call Trace|possible circular locking|suspicious RCU usage|kernel BUG'; then
		return 1
	fi
	return 0
}

tap_done() {
	check "guest kernel log has no BUG/WARNING/Oops" dmesg_clean
	exit 0
}

dp_load() {
	case $DP_MODULE in
	vswitch)
		modprobe -q veth
		modprobe -q udp_tunnel	# VXLAN ports' sockets
		modprobe -q ip6_udp_tunnel
		insmod "$KO" "$@" ;;
	ovs)
		modprobe openvswitch ;;
	esac
}

dp_unload() {
	case $DP_MODULE in
	vswitch) rmmod vswitch_dp ;;
	ovs)
		# openvswitch.ko's VXLAN vports come from vport_vxlan.ko, which
		# holds it; it unloads only once no VXLAN vport is left.
		if [ -d /sys/module/vport_vxlan ]; then
			rmmod vport_vxlan || return
		fi
		rmmod openvswitch ;;
	esac
}

# ns_pair: namespaces ns1/ns2 with v1/v2 (10.0.0.1/.2) whose peers p1/p2
# stay in the root namespace, up, IPv6 off (no DAD/RS noise).
ns_pair() {
	local i
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	for i in 1 2; do
		ip netns add ns$i
		ip netns exec ns$i sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ip link add name p$i type veth peer name v$i netns ns$i
		ip -n ns$i addr add 10.0.0.$i/24 dev v$i
		ip -n ns$i link set lo up
		ip -n ns$i link set v$i up
		ip link set p$i up
	done
}

ns_pair_del() {
	ip netns del ns1 2>/dev/null
	ip netns del ns2 2>/dev/null
	ip link del p1 2>/dev/null
	ip link del p2 2>/dev/null
	return 0
}

# ping_ok [COUNT]: ns1 reaches 10.0.0.2 (retries bounded).
ping_ok() {
	local i
	for i in 1 2 3 4 5; do
		ip netns exec ns1 ping -c "${1:-1}" -i 0.2 -W 2 10.0.0.2 >/dev/null 2>&1 && return 0
	done
	return 1
}

# mac NS DEV: MAC address of DEV in namespace NS.
mac() { ip -n "$1" -br link show dev "$2" | awk '{print $3}'; }

# pktgen_start DEV DST_MAC [KEY VALUE...]: start pktgen sending 64-byte
# frames (60 + FCS) to 10.0.0.2 on DEV in the root namespace, in the
# background until pktgen_stop (call it directly, not under check: it
# leaves a process behind); extra KEY VALUE pairs are pktgen device
# commands (e.g. src_min/src_max/flag IPSRC_RND).  clone_skb 0 and burst 1:
# veth refuses the others.
pktgen_start() {
	local dev=$1 dmac=$2
	shift 2
	modprobe pktgen || return 1
	echo "rem_device_all" >/proc/net/pktgen/kpktgend_0
	echo "add_device $dev" >/proc/net/pktgen/kpktgend_0
	{
		echo "count 0"
		echo "clone_skb 0"
		echo "burst 1"
		echo "pkt_size 60"
		echo "delay 0"
		echo "dst 10.0.0.2"
		echo "dst_mac $dmac"
		while [ $# -ge 2 ]; do
			echo "$1 $2"
			shift 2
		done
	} | while read -r c; do echo "$c" >"/proc/net/pktgen/$dev" || exit 1; done || return 1
	(echo start >/proc/net/pktgen/pgctrl) >/dev/null 2>&1 </dev/null &
	PKTGEN_PID=$!
}

pktgen_stop() {
	echo stop >/proc/net/pktgen/pgctrl 2>/dev/null
	[ -n "${PKTGEN_PID:-}" ] && wait "$PKTGEN_PID" 2>/dev/null
	PKTGEN_PID=
	echo "rem_device_all" >/proc/net/pktgen/kpktgend_0 2>/dev/null
	return 0
}
