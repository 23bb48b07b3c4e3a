#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# VXLAN ports of the userspace datapath against Linux's vxlan driver.
#
#   ns VM  --veth--  ns HV (vswitchd, netdev datapath:    --veth underlay--  ns R
#   10.93.0.1         port 1 = the VM's veth,               192.168.93.1/.2    vxlan id 42
#                     port 2 = vxlan_sys_4789)                                 10.93.0.2
#
# Explicit flows: VM -> set(tunnel(tun_id=42,dst=R,df,key)),vxlan port;
# vxlan port with tunnel(tun_id=42) -> VM.  Checks ping both ways, iperf3
# TCP (the VM's TSO super-segments are segmented before encapsulation),
# VNI 42 and DF on the underlay (tcpdump), a wrong VNI not delivered, the
# ICMP "fragmentation needed" (mtu 1450) for an oversized DF ping, the port
# type and counters in `show -s`, and the tunnel drops in `show`.
# Then the same over an IPv6 underlay (fd93:6::1 <-> fd93:6::2, R's vx62
# with VNI 62, inner 10.95.0.0/24 and fd95::/64): ping both ways, the outer
# IPv6 source, hop limit and traffic class as set, a wrong VNI (63) not
# delivered, "frag needed"/"packet too big" with mtu 1430 (1500 - 70),
# iperf3 TCP both ways with the VM's super-segments leaving by UDP GSO.
# In between, over IPv4: 16 inner UDP flows leave from more than one outer
# UDP source port, each from one, and one TCP flow from one.
# Names start with vx$$ so that concurrent runs never collide.
# timeout: 240
. "$(dirname "$0")/../lib.sh"
require_root
require ip ping iperf3 tcpdump python3

VSWITCHD=$BUILD/vswitchd/vswitchd
DPCTL=$BUILD/utilities/vswitch-dpctl
APPCTL=$BUILD/utilities/vswitch-appctl
export VSWITCH_RUNDIR=$TMPD/run
mkdir -p "$VSWITCH_RUNDIR"
P=vx$$
DP=$P
VM=${P}vm HV=${P}hv R=${P}r
dpctl() { "$DPCTL" "$@"; }

add_netns "$VM"
add_netns "$HV"
add_netns "$R"
# VM <-> HV.
add_veth "${P}s" "${P}v" "$VM"
ip link set "${P}s" netns "$HV"
ip -n "$HV" link set "${P}s" up
ip -n "$VM" link set "${P}v" address 02:00:00:00:93:01 up
ip -n "$VM" addr add 10.93.0.1/24 dev "${P}v"
ip -n "$VM" addr add fd93::1/64 dev "${P}v" nodad
# Underlay HV <-> R.
add_veth "${P}u" "${P}w" "$R"
ip link set "${P}u" netns "$HV"
ip -n "$HV" addr add 192.168.93.1/24 dev "${P}u"
ip -n "$HV" link set "${P}u" up
ip -n "$R" addr add 192.168.93.2/24 dev "${P}w"
ip -n "$R" link set "${P}w" up
# The remote VTEP: Linux vxlan, VNI 42, and a second one with VNI 43.
ip -n "$R" link add vx42 type vxlan id 42 dstport 4789 remote 192.168.93.1 \
    local 192.168.93.2 dev "${P}w"
ip -n "$R" link set vx42 address 02:00:00:00:93:02 up
ip -n "$R" addr add 10.93.0.2/24 dev vx42
ip -n "$R" addr add fd93::2/64 dev vx42 nodad
ip -n "$R" link add vx43 type vxlan id 43 dstport 4789 remote 192.168.93.1 \
    local 192.168.93.2 dev "${P}w"
ip -n "$R" link set vx43 up
ip -n "$R" addr add 10.94.0.2/24 dev vx43
ip -n "$VM" addr add 10.94.0.1/24 dev "${P}v"

track_pidfile "$VSWITCH_RUNDIR/vswitchd.pid"
ip netns exec "$HV" "$VSWITCHD" --detach --pidfile \
    --log-file="$TMPD/vswitchd.log" --datapath="$DP" --add-if="${P}s"
check "vswitchd starts in the hypervisor namespace" test -s "$VSWITCH_RUNDIR/vswitchd.pid"
check "add-if vxlan_sys_4789,type=vxlan,dst_port=4789" \
    dpctl add-if "netdev@$DP" vxlan_sys_4789,type=vxlan,dst_port=4789
check "show lists it as type vxlan" bash -c "'$DPCTL' show | grep -q 'port 2: vxlan_sys_4789 (vxlan)'"
check "the datapath listens on UDP 4789 in its namespace" \
    bash -c "ip netns exec $HV ss -uln | grep -q ':4789 '"
check "a second vxlan port on the same UDP port is refused" \
    bash -c "! '$DPCTL' add-if 'netdev@$DP' vxlan_other,type=vxlan,dst_port=4789"

TNL="set(tunnel(tun_id=0x2a,src=192.168.93.1,dst=192.168.93.2,tos=0x20,ttl=33,flags(df|key))),2"
for et in 0x0800 0x0806 0x86dd; do
    dpctl add-flow "in_port(1),eth(),eth_type($et)" "$TNL"
    dpctl add-flow "in_port(2),tunnel(tun_id=0x2a,src=192.168.93.2,dst=192.168.93.1,tp_dst=4789,flags(key)),eth(),eth_type($et)" 1
done
check "six flows installed" bash -c "[ \$('$DPCTL' dump-flows | wc -l) = 6 ]"

# Watch the underlay inside HV, our direction only (R's vxlan devices send
# MLD reports and router solicitations of their own when they come up,
# which could fill the count).
ip netns exec "$HV" tcpdump -i "${P}u" -nn -v -c 6 'udp dst port 4789 and dst host 192.168.93.2' > "$TMPD/underlay.txt" 2> /dev/null &
dump=$!
at_cleanup kill_pid "$dump"
sleep 1

check "ping VM -> remote over VXLAN" ip netns exec "$VM" ping -c 3 -i 0.2 -W 2 10.93.0.2
check "ping remote -> VM over VXLAN" ip netns exec "$R" ping -c 3 -i 0.2 -W 2 10.93.0.1
wait_for 3 bash -c "! kill -0 $dump"
kill_pid "$dump"
check "underlay carries VNI 42" grep -q 'vni 42' "$TMPD/underlay.txt"
check "encapsulated by us with DF, TOS 0x20, TTL 33" bash -c "grep -A1 'tos 0x20, ttl 33, .*flags \[DF\].*proto UDP' '$TMPD/underlay.txt' | grep -q '192.168.93.1.[0-9]* > 192.168.93.2.4789'"
check "decapsulated flow matched on tunnel(tun_id=0x2a)" \
    bash -c "'$DPCTL' dump-flows | grep 'tunnel(tun_id=0x2a' | grep -vq 'packets:0,'"

# Wrong VNI: R's vx43 reaches our port, nothing matches, nothing delivered.
check "a frame with VNI 43 is not delivered" \
    bash -c "! ip netns exec $R ping -c 2 -i 0.2 -W 1 10.94.0.1"
check "it was a miss (no flow for VNI 43)" \
    bash -c "'$DPCTL' show | grep -q 'missed:[1-9]'"

# Frag needed: 1472 + 28 = 1500 > 1450.
ip netns exec "$VM" ping -c 2 -M do -s 1472 -W 2 10.93.0.2 > "$TMPD/big.txt" 2>&1
check "oversized DF ping gets frag needed, mtu 1450" grep -qiE 'frag needed.*mtu ?= ?1450|mtu=1450' "$TMPD/big.txt"
check "the VM learned the path MTU" \
    bash -c "ip -n $VM route get 10.93.0.2 | grep -q 'mtu 1450'"
check "ping -s 1422 (exactly 1450) passes" ip netns exec "$VM" ping -c 2 -M do -s 1422 -W 2 10.93.0.2
check "show -s counts the drop on the vxlan port" \
    bash -c "'$DPCTL' show -s | grep -A3 'vxlan_sys_4789' | grep -q 'TX .*dropped:[1-9]'"
check "show's drops line counts it as tnl-too-big" \
    bash -c "'$DPCTL' show | grep -q '^  drops: .* tnl-too-big:[1-9]'"

check "ping6 VM -> remote over VXLAN" ip netns exec "$VM" ping -6 -c 2 -i 0.2 -W 2 fd93::2
ip netns exec "$VM" ping -6 -c 2 -M do -s 1452 -W 2 fd93::2 > "$TMPD/big6.txt" 2>&1
check "oversized IPv6 ping gets packet too big, mtu 1450" grep -qiE 'packet too big.*mtu ?= ?1450|mtu=1450' "$TMPD/big6.txt"

# iperf_server NS PORT: a one-shot iperf3 server in NS on PORT, listening
# when this returns, killed at cleanup if still there.
iperf_server() {
    ip netns exec "$1" iperf3 -s -1 -D -p "$2" -I "$TMPD/iperf-s$2.pid" \
        --logfile "$TMPD/iperf-s$2.log"
    track_pidfile "$TMPD/iperf-s$2.pid"
    wait_listen "$1" "$2"
}
# moved_data JSON: iperf3's JSON report says over 1 MB arrived.
moved_data() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["end"]["sum_received"]["bytes"] > 1000000 else 1)' "$1"
}
# gbits JSON: the received rate of iperf3's JSON report, Gbit/s (0 if none).
gbits() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.2f" % (d["end"]["sum_received"]["bits_per_second"]/1e9))' "$1" 2> /dev/null || echo 0
}

# TCP: the VM's TSO super-segments are split before encapsulation.
iperf_server "$R" 5393
timeout 20 ip netns exec "$VM" iperf3 -c 10.93.0.2 -p 5393 -t 3 -J --logfile "$TMPD/iperf.json"
check "iperf3 TCP VM -> remote moved data" moved_data "$TMPD/iperf.json"
gbps=$(gbits "$TMPD/iperf.json")
echo "# TCP VM -> remote over VXLAN: $gbps Gbit/s (reported, not judged)"
# By the kernel (UDP GSO) where it has it, else in software.
check "the VM's TSO super-segments were segmented (UDP GSO or software)" \
    bash -c "'$APPCTL' coverage/show | grep -qE 'dpif_netdev_tnl_(udp_gso|gso_segmented) +[1-9]'"
iperf_server "$VM" 5394
timeout 20 ip netns exec "$R" iperf3 -c 10.93.0.1 -p 5394 -t 3 -J --logfile "$TMPD/iperf2.json"
check "iperf3 TCP remote -> VM moved data" moved_data "$TMPD/iperf2.json"

# Source-port entropy (RFC 7348 section 5): the outer UDP source port is
# picked by a hash of the inner flow, one send socket per port value.
# sports.py reads a capture and prints, per inner flow, the outer source
# ports it left from; "spread" and "one" judge it.
cat > "$TMPD/sports.py" << 'EOF'
import re, subprocess, sys
pcap, dport, mode = sys.argv[1], sys.argv[2], sys.argv[3]
out = subprocess.run(["tcpdump", "-r", pcap, "-nn"], capture_output=True,
                     text=True).stdout
outer = re.compile(r"IP 192\.168\.93\.1\.(\d+) > 192\.168\.93\.2\.4789: VXLAN")
inner = re.compile(r"IP (10\.93\.0\.1\.\d+) > 10\.93\.0\.2\.(\d+): ")
flows, sport = {}, None
for line in out.splitlines():
    m = outer.search(line)
    if m:
        sport = m.group(1)
        line = line[m.end():]
    m = inner.search(line)
    if m and sport and m.group(2) == dport:
        flows.setdefault(m.group(1), []).append(sport)
        sport = None
ports = {p for v in flows.values() for p in v}
for f, v in sorted(flows.items()):
    print("# %s: %d packets from outer ports %s" % (f, len(v), sorted(set(v))))
mixed = [f for f, v in flows.items() if len(set(v)) != 1]
if mixed:
    sys.exit("flows with more than one outer port: %s" % mixed)
if mode == "spread":
    # Many flows: more than one outer port.
    ok = len(flows) >= 8 and len(ports) > 1
else:
    # One bulk flow (and iperf3's control connection): one port each.
    ok = max((len(v) for v in flows.values()), default=0) >= 100
sys.exit(0 if ok else "%d flows, outer ports %s" % (len(flows), sorted(ports)))
EOF
ip netns exec "$HV" tcpdump -i "${P}u" -nn -s 128 -c 2000 -w "$TMPD/sports-udp.pcap" 'udp dst port 4789 and dst host 192.168.93.2' 2> /dev/null &
dump=$!
at_cleanup kill_pid "$dump"
sleep 1
# 16 inner UDP flows (source ports 50000-50015, to the discard port), three
# datagrams each, interleaved.
ip netns exec "$VM" python3 -c '
import socket, time
socks = []
for i in range(16):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.93.0.1", 50000 + i))
    socks.append(s)
for k in range(3):
    for s in socks:
        s.sendto(b"entropy", ("10.93.0.2", 9))
    time.sleep(0.1)
'
sleep 1
kill_pid "$dump"
check "16 inner UDP flows leave from more than one outer source port, each flow from one" \
    python3 "$TMPD/sports.py" "$TMPD/sports-udp.pcap" 9 spread
sed -n 's/^# /#   /p' "$TMPD/out"
iperf_server "$R" 5397
ip netns exec "$HV" tcpdump -i "${P}u" -nn -s 128 -c 3000 -w "$TMPD/sports-tcp.pcap" 'udp dst port 4789 and dst host 192.168.93.2' 2> /dev/null &
dump=$!
at_cleanup kill_pid "$dump"
sleep 1
timeout 20 ip netns exec "$VM" iperf3 -c 10.93.0.2 -p 5397 -t 2 -J --logfile "$TMPD/iperf5.json"
sleep 1
kill_pid "$dump"
check "one inner TCP flow leaves from one outer source port" \
    python3 "$TMPD/sports.py" "$TMPD/sports-tcp.pcap" 5397 one
sed -n 's/^# /#   /p' "$TMPD/out"

# Output to the tunnel port without tunnel metadata: dropped, counted.
tx_dropped() { "$DPCTL" show -s | grep -A2 'vxlan_sys_4789' | sed -n 's/.*TX .*dropped:\([0-9]*\).*/\1/p'; }
tnl_no_md() { "$DPCTL" show | sed -n 's/^  drops: .* tnl-no-md:\([0-9]*\).*/\1/p'; }
dpctl del-flows
dpctl add-flow "in_port(1),eth(),eth_type(0x0800)" 2
before=$(tx_dropped)
md_before=$(tnl_no_md)
ip netns exec "$VM" ping -c 2 -i 0.2 -W 1 10.93.0.2 > /dev/null 2>&1
after=$(tx_dropped)
md_after=$(tnl_no_md)
check "no tunnel metadata: dropped and counted ($before -> $after)" test "$after" -ge $((before + 2))
check "show's drops line counts them as tnl-no-md ($md_before -> $md_after)" \
    test "${md_after:-0}" -ge $((${md_before:-0} + 2))

# The IPv6 underlay.  R's vx62/vx63 are Linux vxlan devices over IPv6
# (they need a UDP checksum: udp6zerocsumrx is off).
ip -n "$HV" addr add fd93:6::1/64 dev "${P}u" nodad
ip -n "$R" addr add fd93:6::2/64 dev "${P}w" nodad
ip -n "$R" link add vx62 type vxlan id 62 dstport 4789 remote fd93:6::1 \
    local fd93:6::2 dev "${P}w"
ip -n "$R" link set vx62 address 02:00:00:00:95:02 up
ip -n "$R" addr add 10.95.0.2/24 dev vx62
ip -n "$R" addr add fd95::2/64 dev vx62 nodad
ip -n "$R" link add vx63 type vxlan id 63 dstport 4789 remote fd93:6::1 \
    local fd93:6::2 dev "${P}w"
ip -n "$R" link set vx63 up
ip -n "$R" addr add 10.96.0.2/24 dev vx63
ip -n "$VM" addr add 10.95.0.1/24 dev "${P}v"
ip -n "$VM" addr add fd95::1/64 dev "${P}v" nodad
ip -n "$VM" addr add 10.96.0.1/24 dev "${P}v"
check "vx62's MTU is 1500 - 70 over IPv6" \
    bash -c "ip -n $R link show vx62 | grep -q 'mtu 1430 '"
check "the datapath listens on UDP 4789 over IPv6 too" \
    bash -c "ip netns exec $HV ss -Huln | grep -q '\[::\]:4789 '"

TNL6="set(tunnel(tun_id=0x3e,ipv6_src=fd93:6::1,ipv6_dst=fd93:6::2,tos=0x20,ttl=33,flags(key))),2"
dpctl del-flows
for et in 0x0800 0x0806 0x86dd; do
    dpctl add-flow "in_port(1),eth(),eth_type($et)" "$TNL6"
    dpctl add-flow "in_port(2),tunnel(tun_id=0x3e,ipv6_src=fd93:6::2,ipv6_dst=fd93:6::1,tp_dst=4789,flags(key)),eth(),eth_type($et)" 1
done
check "six IPv6-underlay flows installed" bash -c "[ \$('$DPCTL' dump-flows | grep -c 'ipv6_dst=fd93:6::') = 6 ]"

ip netns exec "$HV" tcpdump -i "${P}u" -nn -v -c 6 'ip6 and udp dst port 4789 and dst host fd93:6::2' > "$TMPD/underlay6.txt" 2> /dev/null &
dump=$!
at_cleanup kill_pid "$dump"
sleep 1
check "ping VM -> remote over VXLAN over IPv6" ip netns exec "$VM" ping -c 3 -i 0.2 -W 2 10.95.0.2
check "ping remote -> VM over VXLAN over IPv6" ip netns exec "$R" ping -c 3 -i 0.2 -W 2 10.95.0.1
wait_for 3 bash -c "! kill -0 $dump"
kill_pid "$dump"
check "the IPv6 underlay carries VNI 62" grep -q 'vni 62' "$TMPD/underlay6.txt"
check "encapsulated by us over IPv6: source fd93:6::1, hop limit 33, class 0x20" \
    grep -qE 'IP6 \(class 0x20, (flowlabel [^,]*, )?hlim 33, next-header UDP.*\) fd93:6::1\.[0-9]+ > fd93:6::2\.4789' "$TMPD/underlay6.txt"
check "decapsulated flow matched on the outer IPv6 addresses" \
    bash -c "'$DPCTL' dump-flows | grep 'tunnel(tun_id=0x3e,ipv6_src=fd93:6::2' | grep -vq 'packets:0,'"
check "ping6 VM -> remote over VXLAN over IPv6" ip netns exec "$VM" ping -6 -c 2 -i 0.2 -W 2 fd95::2

# Wrong VNI over IPv6: nothing matches, nothing delivered.
missed() { "$DPCTL" show | sed -n 's/.*missed:\([0-9]*\).*/\1/p'; }
m0=$(missed)
check "a frame with VNI 63 over IPv6 is not delivered" \
    bash -c "! ip netns exec $R ping -c 2 -i 0.2 -W 1 10.96.0.1"
check "it was a miss ($m0 -> $(missed))" test "$(missed)" -gt "$m0"

# Too big: 1452 + 28 = 1480 > 1430.
ip netns exec "$VM" ping -c 2 -M do -s 1452 -W 2 10.95.0.2 > "$TMPD/big-u6.txt" 2>&1
check "oversized DF ping over IPv6 gets frag needed, mtu 1430" grep -qiE 'frag needed.*mtu ?= ?1430|mtu=1430' "$TMPD/big-u6.txt"
check "the VM learned the path MTU 1430" \
    bash -c "ip -n $VM route get 10.95.0.2 | grep -q 'mtu 1430'"
check "ping -s 1402 (exactly 1430) passes over IPv6" ip netns exec "$VM" ping -c 2 -M do -s 1402 -W 2 10.95.0.2
ip netns exec "$VM" ping -6 -c 2 -M do -s 1432 -W 2 fd95::2 > "$TMPD/big-u6-6.txt" 2>&1
check "oversized IPv6 ping over IPv6 gets packet too big, mtu 1430" grep -qiE 'packet too big.*mtu ?= ?1430|mtu=1430' "$TMPD/big-u6-6.txt"
check "ping6 -s 1382 (exactly 1430) passes over IPv6" ip netns exec "$VM" ping -6 -c 2 -M do -s 1382 -W 2 fd95::2

# TCP over the IPv6 underlay: the VM's super-segments leave by UDP GSO.
cov() { "$APPCTL" coverage/show | awk -v c="$1" '$1 == c { print $2; f = 1 } END { if (!f) print 0 }'; }
gso0=$(cov dpif_netdev_tnl_udp_gso)
iperf_server "$R" 5395
timeout 20 ip netns exec "$VM" iperf3 -c 10.95.0.2 -p 5395 -t 3 -J --logfile "$TMPD/iperf3.json"
check "iperf3 TCP VM -> remote over IPv6 moved data" moved_data "$TMPD/iperf3.json"
gbps=$(gbits "$TMPD/iperf3.json")
echo "# TCP VM -> remote over VXLAN over IPv6: $gbps Gbit/s (reported, not judged)"
check "the VM's super-segments left by UDP GSO over IPv6 ($gso0 -> $(cov dpif_netdev_tnl_udp_gso))" \
    test "$(cov dpif_netdev_tnl_udp_gso)" -gt "$gso0"
iperf_server "$VM" 5396
timeout 20 ip netns exec "$R" iperf3 -c 10.95.0.1 -p 5396 -t 3 -J --logfile "$TMPD/iperf4.json"
check "iperf3 TCP remote -> VM over IPv6 moved data" moved_data "$TMPD/iperf4.json"

check "del-if the vxlan port" dpctl del-if "netdev@$DP" vxlan_sys_4789
check "UDP 4789 released (IPv4 and IPv6)" bash -c "! ip netns exec $HV ss -uln | grep -q ':4789 '"
pid=$(cat "$VSWITCH_RUNDIR/vswitchd.pid")
kill -TERM "$pid"
check "vswitchd exits on SIGTERM" wait_for 5 bash -c "! kill -0 $pid"
echo "1..$n"
