#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The userspace datapath with real traffic.  vswitchd hosts a netdev
# datapath whose ports are the switch-side ends of veth pairs into "VM"
# namespaces; explicit flows installed with vswitch-dpctl make:
#   - ping and iperf3 (offloads left on) pass between two namespaces;
#   - three namespaces reach each other through flows on destination MACs;
#   - a push_vlan/pop_vlan pair carry traffic tagged across a veth "wire"
#     (both of its ends are ports), checked with tcpdump on the wire;
#   - a tap port the datapath owns carries frames that a process writes and
#     reads on its kernel side, and a ping.
# Names start with dp$$ so that concurrent runs never collide.
# timeout: 240
. "$(dirname "$0")/../lib.sh"
require_root
require ip ping iperf3 tcpdump python3

VSWITCHD=$BUILD/vswitchd/vswitchd
DPCTL=$BUILD/utilities/vswitch-dpctl
APPCTL=$BUILD/utilities/vswitch-appctl
export VSWITCH_RUNDIR=$TMPD/run
mkdir -p "$VSWITCH_RUNDIR"
n=0
check() { local what=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; fi; }
P=dp$$
DP=$P
flows() { "$DPCTL" "$@"; }
# flows_l3 PREFIX ACTIONS: one flow per EtherType in use (IPv4, ARP):
# a megaflow without eth_type() matches only 802.2 frames.
flows_l3() {
    flows add-flow "$1,eth_type(0x0800)" "$2" && flows add-flow "$1,eth_type(0x0806)" "$2"
}
# flows_l3_vlan PREFIX VID ACTIONS: the same inside an 802.1Q tag.
flows_l3_vlan() {
    flows add-flow "$1,eth_type(0x8100),vlan(vid=$2),encap(eth_type(0x0800))" "$3" &&
        flows add-flow "$1,eth_type(0x8100),vlan(vid=$2),encap(eth_type(0x0806))" "$3"
}

declare -A MAC
for i in 1 2 3; do
    add_netns "${P}n$i"
    add_veth "${P}s$i" "${P}v$i" "${P}n$i"
    MAC[$i]=02:00:00:00:0$i:0$i
    ip link set "${P}s$i" up
    ip -n "${P}n$i" link set "${P}v$i" address "${MAC[$i]}" up
    ip -n "${P}n$i" addr add 10.92.0.$i/24 dev "${P}v$i"
done
# The VLAN "wire": both ends are ports of the datapath.
add_veth "${P}w1" "${P}w2"
ip link set "${P}w1" up
ip link set "${P}w2" up

track_pidfile "$VSWITCH_RUNDIR/vswitchd.pid"
"$VSWITCHD" --detach --pidfile --log-file="$TMPD/vswitchd.log" \
    --datapath="$DP" --add-if="${P}s1" --add-if="${P}s2" --add-if="${P}s3"
check "vswitchd starts with a netdev datapath" test -s "$VSWITCH_RUNDIR/vswitchd.pid"
check "dump-dps lists it" bash -c "'$DPCTL' dump-dps | grep -qx 'netdev@$DP'"
check "show lists three ports" bash -c "[ \$('$DPCTL' show | grep -c '  port [123]: ${P}s') = 3 ]"
check "dpif/show answers" bash -c "'$APPCTL' dpif/show | grep -q 'netdev@$DP'"

# 1. Two namespaces, port-to-port flows.
check "add-flow 1->2" flows_l3 "in_port(1),eth()" 2
check "add-flow 2->1 by names" flows_l3 "in_port(${P}s2),eth()" "${P}s1"
check "ping ns1 -> ns2" ip netns exec "${P}n1" ping -c 3 -i 0.2 -W 2 10.92.0.2
check "flow counted packets" bash -c "'$DPCTL' dump-flows | grep 'in_port(1)' | grep -vq 'packets:0,'"
check "dump-flows --names" bash -c "'$DPCTL' dump-flows --names | grep -q 'in_port(${P}s1).*actions:${P}s2'"
check "busy polling on" "$DPCTL" set-config busy-poll=1
check "ping ns1 -> ns2 with busy-polling I/O threads" ip netns exec "${P}n1" ping -c 3 -i 0.2 -W 2 10.92.0.2
check "busy polling off (event-driven again)" "$DPCTL" set-config busy-poll=0
check "ping ns1 -> ns2 event-driven" ip netns exec "${P}n1" ping -c 3 -i 0.2 -W 2 10.92.0.2
check "set-config busy-poll=2 refused with a reason" bash -c "out=\$('$DPCTL' set-config busy-poll=2 2>&1) && exit 1; grep -q 'expected busy-poll=0 or 1' <<< \"\$out\""
ip netns exec "${P}n2" iperf3 -s -1 -D -p 5292 -I "$TMPD/iperf-s.pid" --logfile "$TMPD/iperf-s.log"
track_pidfile "$TMPD/iperf-s.pid"
sleep 0.5
ip netns exec "${P}n1" iperf3 -c 10.92.0.2 -p 5292 -t 2 -J --logfile "$TMPD/iperf.json"
check "iperf3 TCP ns1 -> ns2 (offloads on) moved data" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["end"]["sum_received"]["bytes"] > 0 else 1)' "$TMPD/iperf.json"
gbps=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.2f" % (d["end"]["sum_received"]["bits_per_second"]/1e9))' "$TMPD/iperf.json" 2>/dev/null || echo 0)
echo "# TCP through the datapath: $gbps Gbit/s (reported, not judged)"

# 2. Three namespaces: unicast by destination MAC, broadcast to the others.
check "del-flows" flows del-flows
check "flow table empty" test -z "$("$DPCTL" dump-flows)"
for i in 1 2 3; do
    others=$(for j in 1 2 3; do [ "$j" != "$i" ] && printf '%s,' "$j"; done)
    flows add-flow "in_port($i),eth(dst=ff:ff:ff:ff:ff:ff),eth_type(0x0806)" "${others%,}"
    for j in 1 2 3; do
        [ "$i" = "$j" ] && continue
        flows_l3 "in_port($i),eth(dst=${MAC[$j]})" "$j"
    done
done
check "fifteen flows" bash -c "[ \$('$DPCTL' dump-flows | wc -l) = 15 ]"
for pair in "1 2" "1 3" "2 3" "3 1"; do
    set -- $pair
    ip netns exec "${P}n$1" ip neigh flush all
    check "ping ns$1 -> ns$2 (three namespaces)" \
        ip netns exec "${P}n$1" ping -c 2 -i 0.2 -W 2 10.92.0.$2
done
ip netns exec "${P}n3" iperf3 -s -1 -D -p 5293 -I "$TMPD/iperf-s3.pid" --logfile "$TMPD/iperf-s3.log"
track_pidfile "$TMPD/iperf-s3.pid"
sleep 0.5
ip netns exec "${P}n2" iperf3 -c 10.92.0.3 -p 5293 -t 2 -J --logfile "$TMPD/iperf3.json"
check "iperf3 TCP ns2 -> ns3 (three namespaces) moved data" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["end"]["sum_received"]["bytes"] > 0 else 1)' "$TMPD/iperf3.json"

# 3. VLAN: ns1 <-> ns2 across the wire, tagged with VLAN 100 on it.
flows del-flows
flows add-if "$DP" "${P}w1" "${P}w2"
W1=$("$DPCTL" show | sed -n "s/.*port \([0-9]*\): ${P}w1\$/\1/p")
W2=$("$DPCTL" show | sed -n "s/.*port \([0-9]*\): ${P}w2\$/\1/p")
check "wire ports added" test -n "$W1" -a -n "$W2"
flows_l3 "in_port(1),eth()" "push_vlan(vid=100,pcp=0),$W1"
flows_l3_vlan "in_port($W2),eth()" 100 "pop_vlan,2"
flows_l3 "in_port(2),eth()" "push_vlan(vid=100,pcp=0),$W2"
flows_l3_vlan "in_port($W1),eth()" 100 "pop_vlan,1"
check "eight VLAN flows" bash -c "[ \$('$DPCTL' dump-flows | wc -l) = 8 ]"
tcpdump -i "${P}w2" -nn -e -c 4 'vlan 100 and icmp' > "$TMPD/vlan.txt" 2> /dev/null &
dump=$!
at_cleanup kill_pid "$dump"
sleep 1
ip netns exec "${P}n1" ip neigh flush all
check "ping ns1 -> ns2 through the VLAN wire" \
    ip netns exec "${P}n1" ping -c 3 -i 0.2 -W 2 10.92.0.2
wait_for 5 bash -c "! kill -0 $dump"
check "ICMP on the wire is tagged with VLAN 100" \
    bash -c "[ \$(grep -c 'vlan 100' '$TMPD/vlan.txt') -ge 4 ]"
check "frames leave the namespaces untagged" \
    bash -c "'$DPCTL' dump-flows | grep 'pop_vlan,2' | grep -vq 'packets:0,'"

# 4. A tap port: a process writes frames on its kernel side and reads the
#    answers; then the kernel side joins a namespace and answers ping.
TAP=${P}t
flows del-flows
check "add a tap port" flows add-if "$DP" "$TAP,type=tap"
TP=$("$DPCTL" show | sed -n "s/.*port \([0-9]*\): $TAP (tap)\$/\1/p")
check "tap port listed" test -n "$TP"
ip link set "$TAP" up
for t in 0x0800 0x0806 0x88b5; do
    flows add-flow "in_port($TP),eth(),eth_type($t)" 1
    flows add-flow "in_port(1),eth(),eth_type($t)" "$TP"
done
cat > "$TMPD/tapio.py" << 'EOF'
import socket, struct, sys, time
tap, = sys.argv[1:]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88b5))
s.bind((tap, 0))
s.settimeout(3)
frame = (bytes.fromhex("ffffffffffff" "020000000009") + struct.pack("!H", 0x88b5)
         + b"vswitch-tap-test" * 4)
for _ in range(3):
    s.send(frame)
got = 0
deadline = time.time() + 3
while got < 3 and time.time() < deadline:
    try:
        data = s.recv(2048)
    except socket.timeout:
        break
    if data.startswith(bytes.fromhex("020000000009")) and b"answer" in data:
        got += 1
sys.exit(0 if got == 3 else 1)
EOF
cat > "$TMPD/echo.py" << 'EOF'
import socket, struct, sys
dev, = sys.argv[1:]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88b5))
s.bind((dev, 0))
s.settimeout(8)
n = 0
print("ready", flush=True)
while n < 3:
    data = s.recv(2048)
    if b"vswitch-tap-test" in data:
        s.send(data[6:12] + data[0:6] + data[12:14] + b"answer" * 8)
        n += 1
EOF
ip netns exec "${P}n1" python3 "$TMPD/echo.py" "${P}v1" > "$TMPD/echo.out" &
echo_pid=$!
at_cleanup kill_pid "$echo_pid"
wait_for 5 grep -q ready "$TMPD/echo.out"
check "frames written on the tap come back answered" python3 "$TMPD/tapio.py" "$TAP"
wait "$echo_pid"
ip link set "$TAP" netns "${P}n3"
ip -n "${P}n3" link set "$TAP" up
ip -n "${P}n3" addr flush dev "${P}v3"
ip -n "${P}n3" addr add 10.92.0.3/24 dev "$TAP"
ip netns exec "${P}n1" ip neigh flush all
check "ping ns1 -> tap in ns3" ip netns exec "${P}n1" ping -c 3 -i 0.2 -W 2 10.92.0.3

# 5. Stop: the daemon exits and takes its tap with it.
pid=$(cat "$VSWITCH_RUNDIR/vswitchd.pid")
kill -TERM "$pid"
check "vswitchd exits on SIGTERM" wait_for 5 bash -c "! kill -0 $pid"
check "tap removed with its owner" wait_for 5 bash -c "! ip -n ${P}n3 link show $TAP"
echo "1..$n"
