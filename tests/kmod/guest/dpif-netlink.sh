#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest: the `system` dpif provider (lib/dpif-netlink.c) on the module
# selected by DP_MODULE, through vswitch-dpctl (which drives system@
# datapaths itself, over netlink) and the dpif-upcall helper (misses
# received, flows installed and packets executed through dpif.h).  Debian's
# ovs-dpctl is the oracle: it sees what we did, and we see what it did.
# Prints TAP.
. "$VMRUN_SCRIPT_DIR/lib.sh"

B=${BUILD:-build}
case $B in /*) ;; *) B=$SRCDIR/$B ;; esac
DPCTL=$B/utilities/vswitch-dpctl
UPCALL=$B/tests/helpers/dpif-upcall

# flows_norm TEXT: flows without their age, sorted.
# The two dumps are taken one after the other, so a packet (an ARP refresh)
# may land between them: counters become N, their format still compared.
flows_norm() { sed -E 's/used:[^,]*, //; s/, flags:[^,]*//; s/packets:[0-9]+, bytes:[0-9]+/packets:N, bytes:N/' <<<"$1" | sort; }

check "module loads" dp_load
ns_pair

check "add-dp system@dpn" $DPCTL add-dp system@dpn
check "ovs-dpctl sees it" bash -c 'ovs-dpctl dump-dps | grep -qx system@dpn'
check "the local port is an internal device named after the datapath" ip link show dev dpn
check "add-if p1" $DPCTL add-if system@dpn p1
check "add-if p2" $DPCTL add-if system@dpn p2
check "add-if an internal port" $DPCTL add-if system@dpn dpi,type=internal
check "the internal port's device exists" ip link show dev dpi
show=$($DPCTL show system@dpn 2>&1)
echo "$show" | sed 's/^/# /'
check "show: port 0 is the local port" grep -qx "  port 0: dpn (internal)" <<<"$show"
check "show: p1 is port 1" grep -qx "  port 1: p1" <<<"$show"
check "show: ports as ovs-dpctl shows them" \
	diff <(grep '^  port' <<<"$show") <(ovs-dpctl show dpn | grep '^  port')
check "del-if" $DPCTL del-if system@dpn dpi
# The kernel has no I/O threads, and a tool must not replace a daemon's
# upcall sockets.
check_fails "set-config n-threads refused on the kernel datapath" \
	$DPCTL set-config system@dpn n-threads=2
check "the port is gone" bash -c '! ovs-dpctl show dpn | grep -q dpi'

check_fails "no flow: ping fails" ip netns exec ns1 ping -c 1 -W 1 10.0.0.2
check "add-flow arp 1->2" $DPCTL add-flow system@dpn "in_port(1),eth(),eth_type(0x0806),arp()" 2
check "add-flow arp 2->1" $DPCTL add-flow system@dpn "in_port(2),eth(),eth_type(0x0806),arp()" 1
check "add-flow ip 1->2" $DPCTL add-flow system@dpn "in_port(1),eth(),eth_type(0x0800),ipv4()" 2
check "add-flow ip 2->1" $DPCTL add-flow system@dpn "in_port(2),eth(),eth_type(0x0800),ipv4()" 1
check "ping through the flows" ping_ok 1
# Our parser writes a wildcarded IPv4 fragment type as mask 0xfc, which
# ovs-dpctl's printer rejects: whole dumps are compared below, on flows
# that ovs-dpctl itself installs.
ours=$($DPCTL dump-flows -m system@dpn 2>&1)
echo "$ours" | sed 's/^/# /'
check "dump-flows -m shows 4 flows with UFIDs" bash -c '[ "$(grep -c "^ufid:.*actions:" <<<"$1")" = 4 ]' _ "$ours"
check "show: hits and flows" bash -c 'o=$("$1" show system@dpn); grep -q "hit:[1-9]" <<<"$o" && grep -q "flows: 4" <<<"$o"' _ "$DPCTL"
check "mod-flow" $DPCTL mod-flow system@dpn "in_port(2),eth(),eth_type(0x0800),ipv4()" 1
check_fails "duplicate add-flow refused" $DPCTL add-flow system@dpn "in_port(1),eth(),eth_type(0x0806),arp()" 2
check "a bad key is refused with Invalid argument" \
	bash -c '! "$1" add-flow system@dpn "in_port(1)" 2 2>/tmp/err; cat /tmp/err; grep -q "Invalid argument" /tmp/err' _ "$DPCTL"

U=ufid:1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9
check "add-flow with a ufid" $DPCTL add-flow system@dpn "$U,in_port(4),eth(),eth_type(0x0800),ipv4()" 1
check "get-flow by ufid" bash -c '"$1" get-flow system@dpn "$2" | grep -qE "in_port\(4\).*actions:1"' _ "$DPCTL" "$U"
check "ovs-dpctl finds it by the same ufid" bash -c 'ovs-dpctl get-flow dpn "$1" | grep -qE "in_port\(4\)"' _ "$U"
check "del-flow by ufid" $DPCTL del-flow system@dpn "$U"
check_fails "get-flow by a deleted ufid fails" $DPCTL get-flow system@dpn "$U"
ovs-dpctl add-flow dpn "in_port(5),eth(),eth_type(0x0800),ipv4()" 1
check "del-flow by key of a flow ovs-dpctl installed without a ufid" \
	$DPCTL del-flow system@dpn "in_port(5),eth(),eth_type(0x0800),ipv4()"
check "del-flow by key" $DPCTL del-flow system@dpn "in_port(1),eth(),eth_type(0x0800),ipv4()"
check "3 flows left" bash -c '[ "$(ovs-dpctl dump-flows dpn | grep -c actions:)" = 3 ]'
check "del-flows" $DPCTL del-flows system@dpn
check "no flows left" bash -c '[ -z "$(ovs-dpctl dump-flows dpn)" ]'
check "ovs-dpctl add-flow x4" bash -c '
for f in "in_port(1),eth(),eth_type(0x0806),arp() 2" "in_port(2),eth(),eth_type(0x0806),arp() 1" \
	"in_port(1),eth(),eth_type(0x0800),ipv4() 2" "in_port(2),eth(),eth_type(0x0800),ipv4() 1"; do
	ovs-dpctl add-flow dpn $f || exit 1
done'
check "ping through flows ovs-dpctl installed" ping_ok 1
ours=$($DPCTL dump-flows system@dpn 2>&1)
stock=$(ovs-dpctl dump-flows dpn 2>&1)
echo "$ours" | sed 's/^/# ours:  /'
echo "$stock" | sed 's/^/# stock: /'
check "dump-flows output is ovs-dpctl's" diff <(flows_norm "$ours") <(flows_norm "$stock")
check "del-flows again" $DPCTL del-flows system@dpn

# The upcall path: misses reach dpif_recv_batch(), flows go in with
# dpif_flow_put() and the missed packets out with dpif_execute().
# upcall_run LOG [ENV...]: the helper in the background until upcall_stop.
upcall_run() {
	local log=$1
	shift
	env "$@" timeout 40 "$UPCALL" --timeout 30 --flows 100 system@dpn 1:2 2:1 >"$log" 2>&1 &
	UPCALL_PID=$!
	for _ in $(seq 50); do grep -q listening "$log" && break; sleep 0.1; done
}
upcall_stop() { kill "$UPCALL_PID"; wait "$UPCALL_PID"; return 0; }
upcall_run /tmp/up1.log
check "ping through flows set up by the upcall handler" ping_ok 1
upcall_stop
sed 's/^/# /' /tmp/up1.log
check "dispatch mode per-cpu" grep -q "dispatch mode: per-cpu" /tmp/up1.log
check "miss upcalls received" grep -q "^miss in_port=1 " /tmp/up1.log
check "flows put (dpif_operate)" grep -q "^put in_port=1 (batch of [0-9]*): OK" /tmp/up1.log
check "packets executed" grep -q "^execute in_port=2: OK" /tmp/up1.log
check "exact-match flows in the datapath" bash -c '[ "$(ovs-dpctl dump-flows dpn | grep -c actions:)" -ge 2 ]'
check "show: misses counted" bash -c '"$1" show system@dpn | grep -q "missed:[1-9]"' _ "$DPCTL"
$DPCTL del-flows system@dpn
upcall_run /tmp/up2.log VSWITCH_DPNL_DISPATCH=per-vport
check "per-vport dispatch: ping through the upcall handler" ping_ok 1
upcall_stop
sed 's/^/# /' /tmp/up2.log
check "per-vport dispatch: the fallback was taken" grep -q "dispatch mode: per-vport" /tmp/up2.log
check "per-vport dispatch: flows put and packets executed" \
	bash -c 'grep -q "^put .*: OK" /tmp/up2.log && grep -q "^execute .*: OK" /tmp/up2.log'
# Two handlers, each reading only its own socket: port p's misses come
# to handler p % 2.
check "per-vport dispatch: port 1's misses on handler 1, port 2's on handler 0" \
	bash -c 'grep -q "^miss in_port=1 handler=1 " /tmp/up2.log &&
	grep -q "^miss in_port=2 handler=0 " /tmp/up2.log &&
	! grep -qE "^miss in_port=(1 handler=0|2 handler=1) " /tmp/up2.log'

check "del-dp" $DPCTL del-dp system@dpn
check "ovs-dpctl no longer sees it" bash -c '! ovs-dpctl dump-dps | grep -q dpn'
check_fails "its local port is gone" ip link show dev dpn
ns_pair_del
check "module unloads" dp_unload
tap_done
