#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest: ovsdb-lite + our vswitchd with bridge br0 on the `system` datapath
# of the module selected by DP_MODULE (see ../vswitchd-ours.sh).  Prints
# TAP.
. "$VMRUN_SCRIPT_DIR/lib.sh"

B=$SRCDIR/build
D=/tmp/vsd-$DP_MODULE
export VSWITCH_RUNDIR=$D/run OVS_RUNDIR=$D/run
DB=unix:$D/run/db.sock
vsctl() { timeout 30 "$B/utilities/vswitch-ctl" --db="$DB" --timeout=20 "$@"; }
ofctl() { timeout 20 ovs-ofctl -O OpenFlow13 "$@"; }
dpctl() { timeout 20 ovs-dpctl "$@"; }
appctl() { timeout 10 ovs-appctl -t "$D/run/vswitchd.$(cat "$D/run/vswitchd.pid").ctl" "$@"; }

start_vswitchd() {
	"$B/vswitchd/vswitchd" --detach --pidfile --log-file="$D/vswitchd.log" \
		--db="$DB"
}

# ping_bg COUNT: ns1 pings 10.0.0.2 COUNT times at 0.1 s in the
# background; ping_lost waits for it and prints the number of lost
# replies.
ping_bg() {
	# Line-buffered: the checks count replies while it runs.
	ip netns exec ns1 stdbuf -oL ping -n -c "$1" -i 0.1 -W 1 10.0.0.2 >"$D/ping.log" 2>&1 &
	PING_PID=$!
}
ping_lost() {
	wait "$PING_PID"
	local tx rx
	tx=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$D/ping.log")
	rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$D/ping.log")
	echo $((${tx:-0} - ${rx:-0}))
}

# wait_for SECS CMD...: CMD succeeds within SECS seconds.
wait_for() {
	local n=$(($1 * 5))
	shift
	while ((n-- > 0)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

# flows_in PORT: megaflows from datapath port PORT in the kernel.
flows_in() { dpctl dump-flows system@br0 | grep -c "in_port($1)"; }

rm -rf "$D"
mkdir -p "$D/run"
check "module loads" dp_load
ns_pair
check "ovsdb-lite starts" bash -c "
$B/ovsdb-lite/ovsdb-lite-tool create $D/conf.db $SRCDIR/vswitchd/vswitch.ovsschema &&
$B/ovsdb-lite/ovsdb-lite --remote=punix:$D/run/db.sock --log-file=$D/lite.log \
	--pidfile=$D/lite.pid --detach $D/conf.db"
check "vswitchd starts" start_vswitchd
check "init" vsctl --no-wait init
check "add-br br0 (datapath_type=system), ports p1 p2" \
	vsctl add-br br0 -- set Bridge br0 datapath_type=system \
	-- add-port br0 p1 -- add-port br0 p2
check "the bridge's device is the datapath's local port" bash -c '
ip link show br0 && ovs-dpctl show system@br0 | grep -qE "port 0: br0 \(internal\)"'
check "p1, p2 are vports" bash -c 'ovs-dpctl show system@br0 | grep -q ": p1$" && ovs-dpctl show system@br0 | grep -q ": p2$"'
ip link set br0 down
n1=$(dpctl show system@br0 | sed -n 's/^ *port \([0-9]*\): p1$/\1/p')
n2=$(dpctl show system@br0 | sed -n 's/^ *port \([0-9]*\): p2$/\1/p')
echo "# p1=$n1 p2=$n2"
want_mod=vswitch_dp
[ "$DP_MODULE" = ovs ] && want_mod=openvswitch
module_in_status() { vsctl get Bridge br0 status | grep -qE "datapath_module=\"?$want_mod"; }
check "probed module in Bridge status" module_in_status
vsctl get Bridge br0 status | sed 's/^/# status: /'
datapath_row() {
	vsctl -- --id=@d create Datapath datapath_version=none \
		-- set Open_vSwitch . datapaths:system=@d &&
	vsctl --bare --columns=datapath_version list Datapath | grep -q "^$want_mod" &&
	vsctl --bare --columns=capabilities list Datapath | grep -q 'recirc="\?true'
}
check "Datapath row of type system: the module and its capabilities" datapath_row
vsctl list Datapath | sed 's/^/# /'
grep -E 'probe|module|dispatch' "$D/vswitchd.log" | sed 's/^/# log: /' | head -n 10

check "ping through NORMAL" ping_ok 3
check "megaflows in the kernel" bash -c "[ \$(ovs-dpctl dump-flows system@br0 | grep -c 'in_port') -ge 2 ]"
dpctl dump-flows system@br0 | sed 's/^/# /' | head -n 8
check "fdb/show learned both hosts" bash -c "
out=\$(ovs-appctl -t $D/run/vswitchd.\$(cat $D/run/vswitchd.pid).ctl fdb/show br0)
echo \"\$out\"
grep -qi '$(mac ns1 v1)' <<<\"\$out\" && grep -qi '$(mac ns2 v2)' <<<\"\$out\""

# One upcall socket per handler thread: n-handler-threads=3 gives 3, and
# with the megaflows gone every miss still reaches a handler.
# handlers_are N: the last handler setup logged has N sockets.
handlers_are() {
	grep "system@br0: [0-9]* upcall handler(s)" "$D/vswitchd.log" | tail -n 1 |
		grep -q ": $1 upcall handler(s)"
}
set_handlers() {
	vsctl set Open_vSwitch . other_config:n-handler-threads="$1" &&
		wait_for 10 handlers_are "$1"
}
check "n-handler-threads=3: 3 upcall sockets" set_handlers 3
grep 'upcall handler' "$D/vswitchd.log" | sed 's/^/# log: /' | tail -n 3
dpctl del-flows system@br0
check "ping through NORMAL with 3 handlers" ping_ok 3
check "n-handler-threads=1: 1 upcall socket" set_handlers 1
dpctl del-flows system@br0
check "ping through NORMAL with 1 handler" ping_ok 3

# An ACL pipeline: ARP anywhere, ICMP only from 10.0.0.1 and back.
check "ovs-ofctl installs an ACL" bash -c "
ovs-ofctl -O OpenFlow13 del-flows br0 &&
ovs-ofctl -O OpenFlow13 add-flow br0 'priority=0,actions=drop' &&
ovs-ofctl -O OpenFlow13 add-flow br0 'priority=100,arp,actions=NORMAL' &&
ovs-ofctl -O OpenFlow13 add-flow br0 'priority=100,icmp,nw_src=10.0.0.1,actions=NORMAL' &&
ovs-ofctl -O OpenFlow13 add-flow br0 'priority=100,icmp,nw_src=10.0.0.2,nw_dst=10.0.0.1,actions=NORMAL'"
check "ACL permits ping ns1 -> ns2" ping_ok 2
ip netns exec ns2 timeout 8 python3 -c '
import socket
s = socket.socket()
s.bind(("10.0.0.2", 5201))
s.listen()
s.settimeout(7)
s.accept()' >/dev/null 2>&1 &
LISTEN=$!
sleep 0.5
check_fails "ACL denies TCP (SYN dropped)" ip netns exec ns1 timeout 3 bash -c 'echo > /dev/tcp/10.0.0.2/5201'
kill "$LISTEN" 2>/dev/null
wait "$LISTEN" 2>/dev/null
ping_bg 300
sleep 2
check "rule change: deny ICMP from 10.0.0.1" ofctl add-flow br0 'priority=200,icmp,nw_src=10.0.0.1,actions=drop'
sleep 2
check "the established ping stops (megaflows revalidated)" bash -c "
a=\$(ovs-dpctl dump-flows system@br0 | grep 'in_port($n1)' | grep 'eth_type(0x0800)' | grep -c 'actions:drop')
[ \$a -ge 1 ]"
check "no new replies after the change" bash -c "
before=\$(grep -c 'bytes from' $D/ping.log); sleep 1; after=\$(grep -c 'bytes from' $D/ping.log); [ \$before = \$after ]"
check "rule removed: ping resumes" bash -c "
ovs-ofctl -O OpenFlow13 --strict del-flows br0 'priority=200,icmp,nw_src=10.0.0.1' && sleep 2 &&
ovs-dpctl dump-flows system@br0 && ovs-ofctl -O OpenFlow13 dump-flows br0 && tail -n 3 $D/ping.log &&
before=\$(grep -c 'bytes from' $D/ping.log); sleep 1; after=\$(grep -c 'bytes from' $D/ping.log); [ \$after -gt \$before ]"
kill "$PING_PID" 2>/dev/null
wait "$PING_PID" 2>/dev/null
check "back to NORMAL" bash -c "ovs-ofctl -O OpenFlow13 del-flows br0 && ovs-ofctl -O OpenFlow13 add-flow br0 actions=NORMAL"
check "ping through NORMAL again" ping_ok 3

# Headless: kill -9 while a ping runs (0.1 s apart, 8 s); the kernel keeps
# forwarding on its megaflows.  Allowed loss: 2 replies (a neighbour
# refresh that needs an upcall while no daemon listens).
# From here on the hosts' neighbour entries are static: Linux confirms a
# neighbour by ARP only (an echo reply does not), so after ~30 s the entry
# goes stale and its unicast probe is a miss that no daemon may be there
# to answer -- the checks are about the established ICMP and TCP
# megaflows, not ARP.
ip -n ns1 neigh replace 10.0.0.2 lladdr "$(mac ns2 v2)" dev v1 nud permanent
ip -n ns2 neigh replace 10.0.0.1 lladdr "$(mac ns1 v1)" dev v2 nud permanent
ping_bg 400
sleep 1.5
kill -9 "$(cat "$D/run/vswitchd.pid")"
sleep 3
check "datapath and megaflows survive kill -9" bash -c "[ \$(ovs-dpctl dump-flows system@br0 | grep -c in_port) -ge 2 ]"
check "vswitchd restarts" start_vswitchd
check "the restarted vswitchd adopts the datapath" wait_for 20 grep -q "adopting p2" "$D/vswitchd.log"
check "port numbers kept" bash -c "ovs-dpctl show system@br0 | grep -q 'port $n1: p1\$' && ovs-dpctl show system@br0 | grep -q 'port $n2: p2\$'"
check "megaflows reconciled, not flushed" bash -c "[ \$(ovs-dpctl dump-flows system@br0 | grep -c in_port) -ge 2 ]"
sleep 1
kill -INT "$PING_PID" 2>/dev/null
lost=$(ping_lost)
echo "# ping lost $lost across kill -9 and restart"
check "established ping kept going (at most 2 lost)" test "$lost" -le 2
check "ping after restart" ping_ok 3

ip netns exec ns2 timeout 60 iperf3 -s -1 -B 10.0.0.2 >"$D/iperf-s.log" 2>&1 &
sleep 1
ip netns exec ns1 timeout 60 iperf3 -c 10.0.0.2 -t 6 -i 1 >"$D/iperf-c.log" 2>&1 &
IPERF=$!
sleep 2
kill -9 "$(cat "$D/run/vswitchd.pid")"
wait $IPERF
check "iperf3 across kill -9 completes" grep -q receiver "$D/iperf-c.log"
grep -E '^\[ *[0-9]+\] +[0-9.]+-' "$D/iperf-c.log" | sed 's/^/# /'
check "no 1-s interval at zero during the iperf3" bash -c "! grep -E '^\[ *[0-9]+\] +[0-9.]+-[0-9.]+ +sec +0.00 Bytes' $D/iperf-c.log"
wait
check "vswitchd restarts again" start_vswitchd
check "adopted again" wait_for 20 bash -c "[ \$(grep -c 'adopting p2' $D/vswitchd.log) -ge 2 ]"

# A VM-style tap: netdev-pipe holds tap0 (the VM's NIC) and wires it to
# veth vmx, whose peer is 10.0.0.3 in namespace nsvm.
ip netns add nsvm
ip link add name vmx type veth peer name vmv netns nsvm
ip -n nsvm addr add 10.0.0.3/24 dev vmv
ip -n nsvm link set vmv up
ip link set vmx up
modprobe -q tun
"$B/tests/helpers/netdev-pipe" tap0:tap vmx:system >"$D/pipe.log" 2>&1 &
PIPE=$!
check "tap0 held by the VM process" wait_for 10 ip link show tap0
check "add-port tap0 type=tap" vsctl add-port br0 tap0 -- set Interface tap0 type=tap
check "the VM pings ns1 through tap0" bash -c '
for i in 1 2 3 4 5; do ip netns exec nsvm ping -c 2 -i 0.2 -W 2 10.0.0.1 >/dev/null && exit 0; done; exit 1'
check "tap0 is a vport with megaflows" bash -c "
t=\$(ovs-dpctl show system@br0 | sed -n 's/^ *port \([0-9]*\): tap0.*/\1/p'); [ -n \"\$t\" ] &&
ovs-dpctl dump-flows system@br0 | grep -q \"in_port(\$t)\""
kill "$PIPE"
wait "$PIPE" 2>/dev/null
check "vswitchd log: no errors" bash -c "! grep -E '\|(ERR|EMER)\|' $D/vswitchd.log"
grep -E '\|(WARN|ERR|EMER)\|' "$D/vswitchd.log" | sed 's/^/# log: /' | head -n 20

# SIGTERM: an orderly exit leaves the datapath, its ports and megaflows.
# The megaflows are there first (a ping's misses install them; under TCG
# that may take a few tries after the tap port's departure).
pinged_flows() { ping_ok 1 && [ "$(dpctl dump-flows system@br0 | grep -c in_port)" -ge 2 ]; }
check "megaflows in the kernel before SIGTERM" wait_for 15 pinged_flows
appctl upcall/show | sed 's/^/# upcall\/show: /'
pid=$(cat "$D/run/vswitchd.pid")
kill "$pid"
check "vswitchd exits on SIGTERM" wait_for 10 bash -c "! kill -0 $pid"
check "SIGTERM left the datapath, its ports and megaflows" bash -c "
ovs-dpctl show system@br0; ovs-dpctl dump-flows system@br0; tail -n 5 $D/vswitchd.log
ovs-dpctl show system@br0 | grep -q 'port $n1: p1\$' &&
[ \$(ovs-dpctl dump-flows system@br0 | grep -c in_port) -ge 2 ]"
ping_or_why() {
	ping_ok 3 && return 0
	dpctl dump-flows system@br0
	ip -n ns1 neigh
	ip -n ns2 neigh
	return 1
}
check "ping while no vswitchd runs" ping_or_why
check "vswitchd restarts after SIGTERM" start_vswitchd
check "adopted a third time" wait_for 20 bash -c "[ \$(grep -c 'adopting p2' $D/vswitchd.log) -ge 3 ]"

# other_config:flow-restore-wait.  A secure bridge whose forwarding is an
# OpenFlow pipeline restarts with an empty table: without the hold the
# first revalidation turns the established ping's megaflows into drops;
# with it they are kept (misses unanswered, no controller) until the
# rules are back through BR.mgmt and the hold is released.
acl_rules() {
	ofctl del-flows br0 &&
	ofctl add-flow br0 'priority=10,arp,actions=NORMAL' &&
	ofctl add-flow br0 'priority=10,icmp,actions=NORMAL'
}
secure_acl() { vsctl set Bridge br0 fail_mode=secure && acl_rules; }
n_adopted() { grep -c 'adopting p2' "$D/vswitchd.log"; }
restart_kill9() {
	local a
	a=$(n_adopted)
	kill -9 "$(cat "$D/run/vswitchd.pid")"
	sleep 0.5
	start_vswitchd && wait_for 20 bash -c "[ \$(grep -c 'adopting p2' $D/vswitchd.log) -gt $a ]"
}
icmp_flows() { dpctl dump-flows system@br0 | grep "in_port($n1)" | grep 'eth_type(0x0800)' | grep -c "$1"; }
check "secure bridge with an OpenFlow pipeline (ARP, ICMP)" secure_acl
check "ping through the pipeline" ping_ok 3
ping_bg 400
sleep 1
check "restart without flow-restore-wait (kill -9)" restart_kill9
check "without flow-restore-wait: the empty table drops the ping's megaflow" \
	wait_for 10 bash -c "$(declare -f dpctl icmp_flows); n1=$n1; [ \$(icmp_flows actions:drop) -ge 1 ]"
sleep 2
kill -INT "$PING_PID" 2>/dev/null
lost=$(ping_lost)
echo "# lost $lost without flow-restore-wait"
check "without flow-restore-wait the established ping stops (10 or more lost)" test "$lost" -ge 10
check "rules back" acl_rules
check "ping through the pipeline again" ping_ok 3
check "set other_config:flow-restore-wait=true" \
	vsctl set Open_vSwitch . other_config:flow-restore-wait=true
ping_bg 400
sleep 1
check "restart with flow-restore-wait (kill -9)" restart_kill9
sleep 2
check "held: the table is empty" bash -c "! ovs-ofctl -O OpenFlow13 dump-flows br0 | grep -q priority"
check "held: the ping's megaflow kept, not a drop" bash -c "
$(declare -f dpctl icmp_flows); n1=$n1; [ \$(icmp_flows actions:drop) = 0 ] && [ \$(icmp_flows actions:) -ge 1 ]"
check "held: the log says so" grep -q 'flow-restore-wait on' "$D/vswitchd.log"
check "held: the established ping gets replies" bash -c "
before=\$(grep -c 'bytes from' $D/ping.log); sleep 1; after=\$(grep -c 'bytes from' $D/ping.log); [ \$after -gt \$before ]"
check "rules restored through BR.mgmt" acl_rules
check "flow-restore-wait=false releases the hold" \
	vsctl set Open_vSwitch . other_config:flow-restore-wait=false
kill -INT "$PING_PID" 2>/dev/null
lost=$(ping_lost)
echo "# lost $lost with flow-restore-wait (a neighbour probe that misses while held is not answered)"
check "ping and megaflows after the restore" wait_for 15 pinged_flows

del_br_gone() { vsctl del-br br0 && ! ovs-dpctl show system@br0 >/dev/null 2>&1; }
check "del-br removes the datapath" del_br_gone
kill "$(cat "$D/run/vswitchd.pid")" "$(cat "$D/lite.pid")" 2>/dev/null
sleep 1
ovs-dpctl del-dp system@br0 2>/dev/null
ip netns del nsvm
ip link del vmx 2>/dev/null
ns_pair_del
check "module unloads" dp_unload
tap_done
