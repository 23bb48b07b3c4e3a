#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest: Debian's ovsdb-server + ovs-vswitchd with a bridge on the `system`
# datapath of the module selected by DP_MODULE: two namespace ports under
# NORMAL carry ping and iperf3, megaflows show in `ovs-dpctl dump-flows`,
# VLAN access ports with the same tag talk and different tags are isolated,
# and ovs-vswitchd logs no datapath error or warning.  Prints TAP.
. "$VMRUN_SCRIPT_DIR/lib.sh"

D=/tmp/ovs-$DP_MODULE
export OVS_RUNDIR=$D OVS_DBDIR=$D OVS_LOGDIR=$D OVS_PKGDATADIR=/usr/share/openvswitch
VSCTL="ovs-vsctl --timeout=30 --db=unix:$D/db.sock"

# vlan_ns N TAG: namespace ns$N with veth v$N (10.0.1.N) whose peer p$N is
# an access port of br0 with TAG.
vlan_ns() {
	ip netns add "ns$1"
	ip link add name "p$1" type veth peer name "v$1" netns "ns$1"
	ip -n "ns$1" addr add "10.0.1.$1/24" dev "v$1"
	ip -n "ns$1" link set lo up
	ip -n "ns$1" link set "v$1" up
	ip link set "p$1" up
	$VSCTL add-port br0 "p$1" tag="$2"
}

# pings FROM TO: ns$FROM reaches 10.0.1.TO (bounded retries: vswitchd
# stalls for seconds under TCG while it learns and installs flows).
pings() {
	local i
	for i in 1 2 3 4 5 6; do
		ip netns exec "ns$1" ping -c 1 -W 2 "10.0.1.$2" >/dev/null 2>&1 && return 0
	done
	return 1
}

# dp_log_clean: no warning or error of the datapath interface layers.
dp_log_clean() {
	! grep -E '\|(WARN|ERR|EMER)\|' "$D/ovs-vswitchd.log" |
		grep -E 'dpif|netlink|odp|datapath|vport|ofproto_dpif'
}

rm -rf "$D"
mkdir -p "$D"
check "module loads" dp_load
ns_pair
check "ovsdb-server starts" bash -c "
ovsdb-tool create $D/conf.db /usr/share/openvswitch/vswitch.ovsschema &&
ovsdb-server $D/conf.db --remote=punix:$D/db.sock --pidfile=$D/ovsdb-server.pid \
	--log-file=$D/ovsdb-server.log --detach --no-chdir &&
$VSCTL --no-wait init"
# ovs-vswitchd 3.1 refreshes its CPU count (which sizes the per-CPU upcall
# handlers) only once CLOCK_MONOTONIC passes 10 s: started earlier in a
# fresh guest it runs with no handler and every upcall is lost until then.
while [ "$(cut -d. -f1 /proc/uptime)" -lt 12 ]; do sleep 1; done
check "ovs-vswitchd starts" ovs-vswitchd "unix:$D/db.sock" --pidfile="$D/ovs-vswitchd.pid" \
	--log-file="$D/ovs-vswitchd.log" --detach --no-chdir
check "add-br br0 on the system datapath" $VSCTL add-br br0 -- set bridge br0 datapath_type=system
check "add-port p1, p2" $VSCTL add-port br0 p1 -- add-port br0 p2
check "ports have OpenFlow numbers" bash -c "
[ \"\$($VSCTL get Interface p1 ofport)\" -gt 0 ] && [ \"\$($VSCTL get Interface p2 ofport)\" -gt 0 ]"
check "datapath ovs-system has the ports" bash -c 'ovs-dpctl show system@ovs-system | grep -q "p1" && ovs-dpctl show system@ovs-system | grep -q "p2"'
check "ping through NORMAL" ping_ok 3
dump=$(ovs-dpctl dump-flows system@ovs-system 2>&1)
echo "$dump" | sed 's/^/# /'
check "dump-flows shows megaflows" grep -qE 'in_port\(.*eth\(src=.*dst=.*actions:[0-9]' <<<"$dump"
check "megaflow counters moved" grep -qE 'packets:[1-9]' <<<"$dump"
check "iperf3 -t 2" bash -c '
ip netns exec ns2 timeout 60 iperf3 -s -1 -B 10.0.0.2 >/tmp/iperf-s.log 2>&1 &
sleep 1
for i in 1 2 3; do
	timeout 60 ip netns exec ns1 iperf3 -c 10.0.0.2 -t 2 >/tmp/iperf-c.log 2>&1 && break
	sleep 1
done
wait
grep -q "receiver" /tmp/iperf-c.log'
grep -E 'receiver' /tmp/iperf-c.log | sed 's/^/# /'

vlan_ns 3 10
vlan_ns 4 20
vlan_ns 5 10
check "same tag (10) talks" pings 3 5
check_fails "different tags (10/20) isolated" ip netns exec ns3 ping -c 2 -W 1 10.0.1.4
check "tag 20 port isolated from both tag-10 ports" bash -c '
! ip netns exec ns4 ping -c 1 -W 1 10.0.1.3 >/dev/null && ! ip netns exec ns4 ping -c 1 -W 1 10.0.1.5 >/dev/null'
# dpno NAME: the datapath port number of NAME.
dpno() { ovs-dpctl show system@ovs-system | sed -n "s/^ *port \([0-9]*\): $1\$/\1/p"; }
n3=$(dpno p3)
n4=$(dpno p4)
vdump=$(ovs-dpctl dump-flows system@ovs-system 2>&1)
check "megaflows from the tag-10 port p3" grep -q "in_port($n3)" <<<"$vdump"
check "no megaflow from p3 (tag 10) outputs to p4 (tag 20)" bash -c '
! grep "in_port($1)" <<<"$3" | grep -qE "actions:(.*,)?$2(,|\$)"' _ "$n3" "$n4" "$vdump"
check "show: hits counted" bash -c 'ovs-dpctl show system@ovs-system | grep -qE "hit:[1-9]"'
check "ovs-vswitchd log: no datapath warnings or errors" dp_log_clean
grep -E '\|(WARN|ERR|EMER)\|' "$D/ovs-vswitchd.log" | sed 's/^/# log: /' | head -n 20
grep -E 'dispatch mode|Datapath supports|datapath ID' "$D/ovs-vswitchd.log" | sed 's/^/# log: /' | head -n 40

check "del-br" $VSCTL del-br br0
for f in ovs-vswitchd ovsdb-server; do
	[ -f "$D/$f.pid" ] && kill "$(cat "$D/$f.pid")" 2>/dev/null
done
for i in $(seq 1 50); do
	[ -e "/proc/$(cat "$D/ovs-vswitchd.pid" 2>/dev/null)" ] || break
	sleep 0.2
done
ovs-dpctl del-dp system@ovs-system 2>/dev/null
for n in 3 4 5; do
	ip netns del "ns$n"
	ip link del "p$n" 2>/dev/null
done
ns_pair_del
check "module unloads" dp_unload
tap_done
