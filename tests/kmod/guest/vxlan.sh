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
# tunnel(tun_id=0x2a,...),vxlan port -> VM port.  Then: per-flow tunnel
# setup (kprobe on metadata_dst_alloc), mod-flow of set(tunnel) actions,
# MTU (ICMP fragmentation needed, counted drops), TCP with a large MSS
# (far's vx0 recreated at MTU 9000), and the Linux vxlan_sys netdev port.
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
# iperf_far: a one-shot iperf3 server in far on 10.1.0.2, listening
# (under TCG that can take seconds) before it returns.
iperf_far() {
	local i
	ip netns exec far timeout 60 iperf3 -s -1 -B 10.1.0.2 >/dev/null 2>&1 </dev/null &
	for i in $(seq 40); do
		ip netns exec far ss -ltn 2>/dev/null | grep -q '10.1.0.2:5201' && return 0
		sleep 0.25
	done
}
iperf_far
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
# upcall_key OUT NS DEV ADDR: listens for the first tunnelled miss on
# vxlan_sys_4789 (into OUT) while NS pings ADDR through its vxlan device
# DEV, once a second until the listener has reported.  DEV gets a
# permanent neighbour for ADDR, so every ping is a frame on the wire:
# with ARP instead, a resolution left over from the wrong-VNI check could
# spend its last probe before the listener was ready and drop the pings
# (seen on openvswitch.ko under load, over both underlays).
upcall_key() {
	local out=$1 ns=$2 dev=$3 addr=$4 up i
	ip -n "$ns" neigh replace "$addr" lladdr 02:00:00:00:0f:01 dev "$dev" nud permanent
	$NL upcall dpx vxlan_sys_4789 8 >"$out" 2>&1 &
	up=$!
	for i in $(seq 50); do grep -q ready "$out" && break; sleep 0.2; done
	for i in $(seq 10); do
		kill -0 $up 2>/dev/null || break
		ip netns exec "$ns" ping -c 1 -W 1 "$addr" >/dev/null 2>&1
	done
	for i in $(seq 40); do kill -0 $up 2>/dev/null || break; sleep 0.25; done
	kill $up 2>/dev/null
	wait $up 2>/dev/null
	sed 's/^/# upcall: /' "$out"
}
upcall_key /tmp/vx.up far vx1 10.2.0.1
check "upcall key: tun_id 43, src/dst, tp_dst 4789" grep -qE '^tun id=43 src=192.168.50.1 dst=192.168.50.2 ttl=64 tp_dst=4789' /tmp/vx.up

# Per-flow tunnel setup: a set(tunnel(...)) flow's metadata dst is built
# when the flow is installed, not per packet (both modules).  A kprobe
# counts metadata_dst_alloc() calls while 10,000 packets go one way, VM ->
# far, through the flow: UDP to an address far does not have (a static
# neighbour entry in the VM; far does not forward, so nothing comes back
# to allocate receive metadata).
TR=/sys/kernel/tracing
mountpoint -q $TR || mount -t tracefs nodev $TR
echo '-:vdpmd' >>$TR/kprobe_events 2>/dev/null
kprobe_hits() { awk '$1 == "vdpmd" { print $2 }' $TR/kprobe_profile; }
check "kprobe on metadata_dst_alloc" bash -c "echo 'p:vdpmd metadata_dst_alloc' >>$TR/kprobe_events && echo 1 >$TR/events/kprobes/vdpmd/enable"
ip -n vm neigh replace 10.1.0.99 lladdr "$(mac far vx0)" dev vmv nud permanent
ul0=$(ip netns exec far cat /sys/class/net/ul/statistics/rx_packets)
k0=$(kprobe_hits)
ip netns exec vm timeout 120 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(10000):
    s.sendto(b"x" * 64, ("10.1.0.99", 9))
'
sleep 1
k1=$(kprobe_hits)
ul1=$(ip netns exec far cat /sys/class/net/ul/statistics/rx_packets)
echo "# metadata_dst_alloc calls: $k0 -> $k1; far underlay rx: $ul0 -> $ul1"
check "per-flow tunnel setup: the packets left encapsulated" \
	bash -c '[ $(($2 - $1)) -ge 9500 ]' _ "$ul0" "$ul1"
check "per-flow tunnel setup: no metadata dst allocated per packet" \
	bash -c '[ -n "$1" ] && [ -n "$2" ] && [ $(($2 - $1)) -lt 100 ]' _ "$k0" "$k1"

# New actions replace a set(tunnel) flow's (the old list's dst is released
# after a grace period): the outer TTL follows; a set(tunnel) nested in
# clone() (the ARP flow's now) is prepared too.
check "mod-flow: set(tunnel) with ttl 33" ovs-dpctl mod-flow dpx "in_port(1),eth(),eth_type(0x0800),ipv4()" "set(tunnel(tun_id=0x2a,dst=192.168.50.1,ttl=33,flags(df|key))),2"
check "mod-flow: ARP through clone(set(tunnel(...)),2)" ovs-dpctl mod-flow dpx "in_port(1),eth(),eth_type(0x0806),arp()" "clone(set(tunnel(tun_id=0x2a,dst=192.168.50.1,ttl=64,flags(df|key))),2)"
tcpdump -l -nn -v -c 3 -i ulr 'udp dst port 4789 and src host 192.168.50.2' >/tmp/vx.ttl.txt 2>/dev/null </dev/null &
TD=$!
sleep 2
ip -n vm neigh flush dev vmv
check "after mod-flow: ping vm -> far (ARP through clone)" ping_vm vm 10.1.0.2 3
for i in $(seq 20); do kill -0 $TD 2>/dev/null || break; sleep 0.5; done
kill $TD 2>/dev/null
wait $TD 2>/dev/null
sed 's/^/# tcpdump: /' /tmp/vx.ttl.txt
check "after mod-flow: outer TTL 33" grep -qE 'ttl 33' /tmp/vx.ttl.txt
# Back to TTL 64: an ICMP reply built from the tunnel info (below) keeps
# its TTL, and the flow back to the VM matches ttl=64.
ovs-dpctl mod-flow dpx "in_port(1),eth(),eth_type(0x0800),ipv4()" "$SET"
dump=$(ovs-dpctl dump-flows dpx 2>&1)
echo "$dump" | sed 's/^/# /'
check "dump-flows: clone(set(tunnel(...))) printed back" grep -qF "actions:clone(set(tunnel(tun_id=0x2a,dst=192.168.50.1,ttl=64,flags(df|key))),2)" <<<"$dump"

# MTU: the VM's MTU is raised to 1500, so its biggest packets no longer fit
# the 1500-byte underlay once encapsulated (+50).  First without DF (before
# the VM learns a path MTU and fragments by itself), then with DF: the
# sender gets ICMP "fragmentation needed" (mtu 1450) back through the
# tunnel's flows.
ip -n vm link set vmv mtu 1500
ip -n vm route flush cache
# Without DF inside (and DF outside, from the flow) the packet cannot go:
# not silently lost: ours counts it on the port (tx_dropped and ethtool -S
# tx_too_big_dropped); openvswitch.ko's (Linux vxlan) leaves it to the IP
# layer, which counts a fragmentation failure (Ip FragFails).
too_big() {
	if [ "$DP_MODULE" = vswitch ]; then
		ethtool -S vxlan_sys_4789 | awk '$1 == "tx_too_big_dropped:" { print $2 }'
	else
		awk '/^Ip: [0-9]/ { print $19 }' /proc/net/snmp
	fi
}
t0=$(too_big)
ip netns exec vm ping -M dont -s 1472 -c 2 -i 0.3 -W 1 10.1.0.2 >/dev/null 2>&1
t1=$(too_big)
echo "# too big, counted: $t0 -> $t1"
check "oversized non-DF ping over a DF tunnel: counted" bash -c '[ -n "$1" ] && [ -n "$2" ] && [ "$2" -gt "$1" ]' _ "$t0" "$t1"
out=$(ip netns exec vm ping -M do -s 1472 -c 3 -i 0.3 -W 2 10.1.0.2 2>&1)
echo "$out" | sed 's/^/# ping -M do: /'
check "oversized DF ping: fragmentation needed, mtu 1450" grep -qE 'mtu ?=? ?1450' <<<"$out"
out=$(ip -n vm route get 10.1.0.2 2>&1)
echo "$out" | sed 's/^/# /'
check "VM learned path MTU 1450 to 10.1.0.2" grep -qE 'mtu 1450' <<<"$out"
if [ "$DP_MODULE" = vswitch ]; then
	ethtool -S vxlan_sys_4789 | sed 's/^/# ethtool -S: /'
	check "ethtool -S: tx_frag_needed counted" bash -c 'ethtool -S vxlan_sys_4789 | grep -qE "tx_frag_needed: [1-9]"'
fi

# TCP with a large MSS over the 1500-byte underlay: VM and far at MTU 9000
# (far's vxlan device again, without a lower device to cap its MTU), so
# both ends announce an MSS of 8960; the VM's first GSO frames do not fit,
# the ICMP above brings its MSS down and GSO segments then fit (+50).
ip -n far link del vx0
ip -n far link add name vx0 type vxlan id 42 remote 192.168.50.2 \
	local 192.168.50.1 dstport 4789
ip -n far addr add 10.1.0.2/24 dev vx0
ip -n far link set vx0 mtu 9000 up
ip link set vmp mtu 9000
ip -n vm link set vmv mtu 9000
ip -n vm route flush cache
# The new vx0 has a new MAC: the VM must not keep using the old one.
ip -n vm neigh flush dev vmv
ping_vm vm 10.1.0.2 3 >/dev/null
iperf_far
check "iperf3 TCP, MSS 8960, vm -> far over a 1500 underlay" bash -c \
	'ip netns exec vm timeout 60 iperf3 -c 10.1.0.2 -t 3 -J 2>/dev/null | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if d[\"end\"][\"sum_received\"][\"bytes\"] > 1000000 else 1)"'
out=$(ip -n vm route get 10.1.0.2 2>&1)
echo "$out" | sed 's/^/# /'
check "TCP: VM path MTU to far brought down to 1450" grep -qE 'mtu 1450' <<<"$out"

# IPv6 underlay: the same port, the same VM, a third namespace far6 whose
# Linux vxlan device (VNI 42, 10.1.0.3) talks IPv6 to the root namespace:
#   ns far6: ul6 fd00:50::1/64 <-> ul6r fd00:50::2/64 (root ns)
#            vx6 vxlan id 42 remote fd00:50::2, 10.1.0.3/24
#            vx7 vxlan id 43 (same remote), 10.4.0.3/24: the wrong VNI
# The VM's flows are redirected to set(tunnel(ipv6_dst=...)) (with the UDP
# checksum, which Linux's vxlan requires over IPv6 unless told otherwise).
# far's IPv4 tunnel goes quiet meanwhile; far6 has IPv6 on its underlay
# only (no link-local chatter through its vxlan devices).
ip -n far link set vx0 down
ip netns add far6
ip netns exec far6 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add name ul6r type veth peer name ul6 netns far6
ip netns exec far6 sysctl -qw net.ipv6.conf.ul6.disable_ipv6=0
sysctl -qw net.ipv6.conf.ul6r.disable_ipv6=0
ip addr add fd00:50::2/64 dev ul6r nodad
ip link set ul6r up
ip -n far6 addr add fd00:50::1/64 dev ul6 nodad
ip -n far6 link set ul6 up
ip -n far6 link set lo up
ip -n far6 link add name vx6 type vxlan id 42 remote fd00:50::2 \
	local fd00:50::1 dstport 4789 dev ul6
ip -n far6 addr add 10.1.0.3/24 dev vx6
ip -n far6 link set vx6 up
ip -n far6 link add name vx7 type vxlan id 43 remote fd00:50::2 \
	local fd00:50::1 dstport 4789 dev ul6
ip -n far6 addr add 10.4.0.3/24 dev vx7
ip -n far6 link set vx7 up
SET6="set(tunnel(tun_id=0x2a,ipv6_dst=fd00:50::1,ttl=64,flags(csum|key))),2"
TUN6="tunnel(tun_id=0x2a,ipv6_src=fd00:50::1,ipv6_dst=fd00:50::2,ttl=64,flags(+key))"
check "IPv6: mod-flow arp vm -> set(tunnel(ipv6_dst))" ovs-dpctl mod-flow dpx "in_port(1),eth(),eth_type(0x0806),arp()" "$SET6"
check "IPv6: mod-flow ip vm -> set(tunnel(ipv6_dst))" ovs-dpctl mod-flow dpx "in_port(1),eth(),eth_type(0x0800),ipv4()" "$SET6"
check "IPv6: add-flow arp tunnel(ipv6) -> vm" ovs-dpctl add-flow dpx "$TUN6,in_port(2),eth(),eth_type(0x0806),arp()" 1
check "IPv6: add-flow ip tunnel(ipv6) -> vm" ovs-dpctl add-flow dpx "$TUN6,in_port(2),eth(),eth_type(0x0800),ipv4()" 1
check_fails "IPv6: set(tunnel(ipv6_dst)) without ttl refused" ovs-dpctl add-flow dpx "in_port(3),eth(),eth_type(0x0806),arp()" "set(tunnel(tun_id=0x2a,ipv6_dst=fd00:50::1,flags(key))),2"
check_fails "IPv6: tunnel(ipv6_src) match without a destination refused" ovs-dpctl add-flow dpx "tunnel(tun_id=0x2c,ipv6_src=fd00:50::1,ttl=64),in_port(2),eth(),eth_type(0x0806),arp()" 1
tcpdump -l -nn -v -c 1 -i ul6r 'ip6 and udp dst port 4789 and src host fd00:50::2' >/tmp/vx6.pcap.txt 2>/dev/null </dev/null &
TD=$!
sleep 2
ip -n vm neigh flush dev vmv
check "IPv6 underlay: ping vm -> far6" ping_vm vm 10.1.0.3 3
check "IPv6 underlay: ping far6 -> vm" ping_vm far6 10.1.0.1 3
for i in $(seq 20); do kill -0 $TD 2>/dev/null || break; sleep 0.5; done
kill $TD 2>/dev/null
wait $TD 2>/dev/null
sed 's/^/# tcpdump: /' /tmp/vx6.pcap.txt
check "IPv6 tcpdump: outer IPv6 UDP 4789 with VNI 42" grep -qE 'fd00:50::2\.[0-9]+ > fd00:50::1\.4789.*VXLAN.*vni 42' <(tr '\n' ' ' </tmp/vx6.pcap.txt)
check "IPv6 tcpdump: hop limit 64" grep -qE 'hlim 64' /tmp/vx6.pcap.txt
dump=$(ovs-dpctl dump-flows dpx 2>&1)
echo "$dump" | sed 's/^/# /'
check "IPv6 dump-flows: tunnel(ipv6_src,ipv6_dst) match printed back" grep -qE 'tunnel\(tun_id=0x2a,ipv6_src=fd00:50::1,ipv6_dst=fd00:50::2,.*eth_type\(0x0800\).*packets:[1-9]' <<<"$dump"
check "IPv6 dump-flows: set(tunnel(ipv6_dst)) printed back" grep -qF "set(tunnel(tun_id=0x2a,ipv6_dst=fd00:50::1,ttl=64" <<<"$dump"
# Up to 3 tries, a second apart: a wrong-VNI frame that were delivered
# would be delivered every time, while a late frame of the pings above
# (seen once on openvswitch.ko under load) only spoils one window.
wrong6_missed() {
	local rx0 rx1 m0 m1
	sleep 1
	rx0=$(cat /sys/class/net/vmp/statistics/tx_packets)
	m0=$(ovs-dpctl show dpx | grep -oE 'missed:[0-9]+' | cut -d: -f2)
	ip netns exec far6 ping -c 3 -i 0.2 -W 1 10.4.0.1 >/dev/null 2>&1
	m1=$(ovs-dpctl show dpx | grep -oE 'missed:[0-9]+' | cut -d: -f2)
	rx1=$(cat /sys/class/net/vmp/statistics/tx_packets)
	echo "# missed: $m0 -> $m1; to the VM: $rx0 -> $rx1"
	[ "$m1" -gt "$m0" ] && [ "$rx1" = "$rx0" ]
}
ok6=false
for try in 1 2 3; do
	wrong6_missed && { ok6=true; break; }
done
check "IPv6 wrong VNI: missed, not delivered" $ok6
upcall_key /tmp/vx6.up far6 vx7 10.4.0.1
check "IPv6 upcall key: tun_id 43, ipv6 src/dst, tp_dst 4789" grep -qE '^tun id=43 src=fd00:50::1 dst=fd00:50::2 ttl=64 tp_dst=4789' /tmp/vx6.up
# MTU: the VM (MTU 9000) sends more than the 1500-byte IPv6 underlay
# carries once encapsulated (+70): ICMP fragmentation needed, mtu 1430.
out=$(ip netns exec vm ping -M do -s 2000 -c 3 -i 0.3 -W 2 10.1.0.3 2>&1)
echo "$out" | sed 's/^/# ping -M do: /'
check "IPv6 underlay: oversized DF ping: fragmentation needed, mtu 1430" grep -qE 'mtu ?=? ?1430' <<<"$out"
ip netns del far6
ip link del ul6r 2>/dev/null
ip -n far link set vx0 up
# The VM's flows back to the IPv4 tunnel (the Linux vxlan port below).
ovs-dpctl mod-flow dpx "in_port(1),eth(),eth_type(0x0806),arp()" "$SET"
ovs-dpctl mod-flow dpx "in_port(1),eth(),eth_type(0x0800),ipv4()" "$SET"

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
# The kprobe does see per-packet allocations: Linux's vxlan in
# collect-metadata mode allocates one for every packet it receives.
k0=$(kprobe_hits)
ip netns exec far ping -c 5 -i 0.2 -W 2 10.1.0.1 >/dev/null 2>&1
k1=$(kprobe_hits)
echo "# metadata_dst_alloc calls over 5 pings far -> vm: $k0 -> $k1"
check "kprobe counts per-packet allocations (Linux vxlan receive)" \
	bash -c '[ -n "$1" ] && [ -n "$2" ] && [ $(($2 - $1)) -ge 5 ]' _ "$k0" "$k1"
echo 0 >$TR/events/kprobes/vdpmd/enable
echo '-:vdpmd' >>$TR/kprobe_events
ovs-dpctl del-if dpx vxlan_sys_4789 >/dev/null 2>&1
check "Linux vxlan port: del-if, device gone" bash -c '! ovs-dpctl show dpx | grep -q vxlan_sys_4789 && ! ip link show vxlan_sys_4789 2>/dev/null'
ovs-dpctl del-dp dpx
# dp_unload (lib.sh) removes openvswitch.ko's vport_vxlan.ko first.
check "module unloads" dp_unload
ip netns del vm
ip netns del far
ip link del ulr 2>/dev/null
tap_done
