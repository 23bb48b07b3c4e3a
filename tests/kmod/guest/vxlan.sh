#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest: a VXLAN vport (OVS_VPORT_TYPE_VXLAN, made with vxlan_nl.py: Debian's
# ovs-dpctl add-if makes a Linux vxlan netdev port instead) on the module
# selected by DP_MODULE carries a ping between a "VM" namespace and a Linux
# vxlan device (VNI 42) in a far namespace over a veth underlay:
#   ns vm:  vmv 10.1.0.1/24  <->  vmp (root ns, datapath port 1)
#   ns far: ul 192.168.50.1/24 <-> ulr 192.168.50.2/24 (root ns underlay)
#           vx0 vxlan id 42 remote 192.168.50.2 dstport 4789, 10.1.0.2/24
#           vx1 vxlan id 43 (same remote), 10.2.0.2/24: the wrong VNI
# Flows (ovs-dpctl add-flow): VM port -> set(tunnel(tun_id=0x2a,...)),vxlan;
# tunnel(tun_id=0x2a,...),vxlan port -> VM port.
. "$VMRUN_SCRIPT_DIR/lib.sh"
NL="python3 $VMRUN_SCRIPT_DIR/vxlan_nl.py"

check "module loads" dp_load
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns add vm
ip netns add far
ip netns exec vm sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec far sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add name vmp type veth peer name vmv netns vm
ip -n vm addr add 10.1.0.1/24 dev vmv
ip -n vm link set vmv mtu 1450 up
ip -n vm link set lo up
ip link set vmp up
ip link add name ulr type veth peer name ul netns far
ip addr add 192.168.50.2/24 dev ulr
ip link set ulr up
ip -n far addr add 192.168.50.1/24 dev ul
ip -n far link set ul up
ip -n far link set lo up
ip -n far link add name vx0 type vxlan id 42 remote 192.168.50.2 \
	local 192.168.50.1 dstport 4789 dev ul
ip -n far addr add 10.1.0.2/24 dev vx0
ip -n far link set vx0 up
ip -n far link add name vx1 type vxlan id 43 remote 192.168.50.2 \
	local 192.168.50.1 dstport 4789 dev ul
ip -n far addr add 10.2.0.2/24 dev vx1
ip -n far link set vx1 up

ovs-dpctl add-dp dpx
ovs-dpctl add-if dpx vmp
check_fails "vxlan port: a bad option refused" $NL add dpx vxlan_sys_4789 - 0500010000000000
check "vxlan port created (OVS_VPORT_TYPE_VXLAN)" $NL add dpx vxlan_sys_4789 4789
show=$(ovs-dpctl show dpx 2>&1)
echo "$show" | sed 's/^/# /'
check "show: port 2 is vxlan_sys_4789 (vxlan...)" grep -qE 'port 2: vxlan_sys_4789 \(vxlan' <<<"$show"
check "get: type vxlan, dst_port 4789" bash -c '[ "$($1 get dpx vxlan_sys_4789)" = "type 4 dst_port 4789" ]' _ "$NL"
check "second vxlan port on 4790" $NL add dpx vxlan_sys_4790 4790
check "get: dst_port 4790" bash -c '[ "$($1 get dpx vxlan_sys_4790)" = "type 4 dst_port 4790" ]' _ "$NL"
# ovs-dpctl then deletes the netdev over rtnetlink too; that device went
# with the port (ours; and openvswitch.ko's own vxlan device): ENODEV.
ovs-dpctl del-if dpx vxlan_sys_4790 >/dev/null 2>&1
check "del-if vxlan_sys_4790: port gone" bash -c '! ovs-dpctl show dpx | grep -q vxlan_sys_4790'

SET="set(tunnel(tun_id=0x2a,dst=192.168.50.1,ttl=64,flags(df|key))),2"
TUN="tunnel(tun_id=0x2a,src=192.168.50.1,dst=192.168.50.2,ttl=64,flags(+key))"
check "add-flow arp vm -> vxlan" ovs-dpctl add-flow dpx "in_port(1),eth(),eth_type(0x0806),arp()" "$SET"
check "add-flow ip vm -> vxlan" ovs-dpctl add-flow dpx "in_port(1),eth(),eth_type(0x0800),ipv4()" "$SET"
check "add-flow arp vxlan -> vm" ovs-dpctl add-flow dpx "$TUN,in_port(2),eth(),eth_type(0x0806),arp()" 1
check "add-flow ip vxlan -> vm" ovs-dpctl add-flow dpx "$TUN,in_port(2),eth(),eth_type(0x0800),ipv4()" 1
check_fails "set(tunnel) without ttl refused" ovs-dpctl add-flow dpx "in_port(3),eth(),eth_type(0x0806),arp()" "set(tunnel(tun_id=0x2a,dst=192.168.50.1,flags(key))),2"
check_fails "set(tunnel) to 0.0.0.0 refused" ovs-dpctl add-flow dpx "in_port(3),eth(),eth_type(0x0806),arp()" "set(tunnel(tun_id=0x2a,dst=0.0.0.0,ttl=64,flags(key))),2"
check_fails "tunnel() match to 0.0.0.0 refused" ovs-dpctl add-flow dpx "tunnel(tun_id=0x2c,dst=0.0.0.0,ttl=64),in_port(2),eth(),eth_type(0x0806),arp()" 1

tcpdump -l -nn -v -c 1 -i ulr 'udp dst port 4789 and src host 192.168.50.2' >/tmp/vx.pcap.txt 2>/dev/null </dev/null &
TD=$!
sleep 2
ping_vm() {
	local i
	for i in 1 2 3 4 5; do
		ip netns exec "$1" ping -c "$3" -i 0.2 -W 2 "$2" >/dev/null 2>&1 && return 0
	done
	return 1
}
check "ping vm -> far over vxlan" ping_vm vm 10.1.0.2 3
check "ping far -> vm over vxlan" ping_vm far 10.1.0.1 3
for i in $(seq 20); do kill -0 $TD 2>/dev/null || break; sleep 0.5; done
kill $TD 2>/dev/null
wait $TD 2>/dev/null
sed 's/^/# tcpdump: /' /tmp/vx.pcap.txt
check "tcpdump: outer UDP 4789 with VNI 42" grep -qE 'VXLAN.*vni 42' /tmp/vx.pcap.txt
check "tcpdump: outer DF and TTL 64" grep -qE 'ttl 64.*flags \[DF\]' /tmp/vx.pcap.txt
check "tcpdump: source port in the ephemeral range" bash -c \
	'p=$(grep -oE "192\.168\.50\.2\.[0-9]+ > 192\.168\.50\.1\.4789" /tmp/vx.pcap.txt | head -n1 | sed -E "s/^192\.168\.50\.2\.([0-9]+) .*/\1/"); read lo hi </proc/sys/net/ipv4/ip_local_port_range; [ -n "$p" ] && [ "$p" -ge "$lo" ] && [ "$p" -le "$hi" ]'

# TCP through the tunnel: the VM's veth hands over GSO frames, which leave
# as UDP-tunnel GSO (outer headers on every segment).
ip netns exec far timeout 60 iperf3 -s -1 -B 10.1.0.2 >/dev/null 2>&1 </dev/null &
sleep 1
check "iperf3 TCP vm -> far over vxlan" bash -c \
	'ip netns exec vm timeout 60 iperf3 -c 10.1.0.2 -t 3 -J 2>/dev/null | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if d[\"end\"][\"sum_received\"][\"bytes\"] > 1000000 else 1)"'

dump=$(ovs-dpctl dump-flows dpx 2>&1)
echo "$dump" | sed 's/^/# /'
check "dump-flows: tunnel match printed back" grep -qF "$TUN,in_port(2),eth(),eth_type(0x0800)" <<<"$dump"
check "dump-flows: tunnel flow counters moved" grep -qE 'tun_id=0x2a.*eth_type\(0x0800\).*packets:[1-9]' <<<"$dump"
check "dump-flows: set(tunnel) printed back" grep -qF "actions:set(tunnel(tun_id=0x2a,dst=192.168.50.1,ttl=64,flags(df|key))),2" <<<"$dump"

# The wrong VNI: frames of vx1 (VNI 43) miss every flow, never reach the VM.
rx0=$(cat /sys/class/net/vmp/statistics/tx_packets)
m0=$(ovs-dpctl show dpx | grep -oE 'missed:[0-9]+' | cut -d: -f2)
ip netns exec far ping -c 3 -i 0.2 -W 1 10.2.0.1 >/dev/null 2>&1
m1=$(ovs-dpctl show dpx | grep -oE 'missed:[0-9]+' | cut -d: -f2)
rx1=$(cat /sys/class/net/vmp/statistics/tx_packets)
check "wrong VNI: missed, not delivered" bash -c '[ "$1" -gt "$2" ] && [ "$3" = "$4" ]' _ "$m1" "$m0" "$rx1" "$rx0"

# An upcall of a tunnelled miss carries the tunnel key.
$NL upcall dpx vxlan_sys_4789 8 >/tmp/vx.up 2>&1 &
UP=$!
for i in $(seq 20); do grep -q ready /tmp/vx.up && break; sleep 0.2; done
ip netns exec far ping -c 2 -i 0.3 -W 1 10.2.0.1 >/dev/null 2>&1
for i in $(seq 40); do kill -0 $UP 2>/dev/null || break; sleep 0.25; done
kill $UP 2>/dev/null
wait $UP 2>/dev/null
sed 's/^/# upcall: /' /tmp/vx.up
check "upcall key: tun_id 43, src/dst, tp_dst 4789" grep -qE '^tun id=43 src=192.168.50.1 dst=192.168.50.2 ttl=64 tp_dst=4789' /tmp/vx.up

ovs-dpctl del-if dpx vxlan_sys_4789 >/dev/null 2>&1
check "del-if vxlan_sys_4789: port gone" bash -c '! ovs-dpctl show dpx | grep -q vxlan_sys_4789'
check "del-if vxlan_sys_4789: device gone" bash -c '! ip link show vxlan_sys_4789 2>/dev/null'

# What Debian's ovs-dpctl add-if makes of type=vxlan: a Linux vxlan device
# in collect-metadata mode (vxlan_sys_4789) added as a netdev port, port 2
# again; the same flows carry the ping through its tunnel metadata.
check "add-if vx,type=vxlan (Linux vxlan_sys_4789 netdev port)" ovs-dpctl add-if dpx vx,type=vxlan,remote_ip=flow
show=$(ovs-dpctl show dpx 2>&1)
echo "$show" | sed 's/^/# /'
check "show: port 2 is vxlan_sys_4789 again" grep -qE 'port 2: vxlan_sys_4789 \(vxlan' <<<"$show"
check "Linux vxlan port: ping vm -> far" ping_vm vm 10.1.0.2 3
check "Linux vxlan port: ping far -> vm" ping_vm far 10.1.0.1 3
ovs-dpctl del-if dpx vxlan_sys_4789 >/dev/null 2>&1
check "Linux vxlan port: del-if, device gone" bash -c '! ovs-dpctl show dpx | grep -q vxlan_sys_4789 && ! ip link show vxlan_sys_4789 2>/dev/null'
ovs-dpctl del-dp dpx
# openvswitch.ko's VXLAN vports come from vport_vxlan.ko, which holds it
# (rmmod: modprobe -r would take openvswitch.ko with it).
[ "$DP_MODULE" = ovs ] && rmmod vport_vxlan 2>/dev/null
check "module unloads" dp_unload
ip netns del vm
ip netns del far
ip link del ulr 2>/dev/null
tap_done
