#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Port I/O of the userspace datapath, proven with real traffic: two
# namespace "VMs" joined by netdev-pipe (a two-port wire on the netdev
# layer) over veth (AF_PACKET, type "system") and over a tap we own.
#   - ping both ways;
#   - 802.1Q-tagged traffic keeps its tag across AF_PACKET (the kernel strips
#     it on receive; we must put it back) — checked with tcpdump too;
#   - TCP with checksum and segmentation offloads left ON at the senders
#     (the virtio-net header carries them across);
#   - a tap device we own, moved into a namespace, carries a ping.
# timeout: 180
. "$(dirname "$0")/../lib.sh"
require_root
require ip ping iperf3 tcpdump

PIPE=$BUILD/tests/helpers/netdev-pipe
n=0
check() { local what=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; fi; }

A=va$T B=vb$T NSA=nsa$T NSB=nsb$T
add_netns "$NSA"
add_netns "$NSB"
add_veth "$A" "${A}p" "$NSA"
add_veth "$B" "${B}p" "$NSB"
ip link set "$A" up
ip link set "$B" up
ip -n "$NSA" link set "${A}p" up
ip -n "$NSB" link set "${B}p" up
ip -n "$NSA" addr add 10.91.0.1/24 dev "${A}p"
ip -n "$NSB" addr add 10.91.0.2/24 dev "${B}p"
spawn "$PIPE" --count-file "$TMPD/counts" "$A" "$B" > "$TMPD/pipe.out"
pipe_pid=$SPAWNED
check "pipe starts" wait_for 5 grep -q ready "$TMPD/pipe.out"

check "ping A->B through the pipe" ip netns exec "$NSA" ping -c 3 -i 0.2 -W 2 10.91.0.2
check "ping B->A through the pipe" ip netns exec "$NSB" ping -c 3 -i 0.2 -W 2 10.91.0.1

# 802.1Q: this kernel has no vlan devices, so craft tagged frames with a
# packet socket and look for them with tcpdump on the far side.
ip netns exec "$NSB" tcpdump -i "${B}p" -nn -e -c 5 'vlan 42 and ether proto 0x88b5' \
    > "$TMPD/vlan.txt" 2> /dev/null &
dump=$!
at_cleanup kill_pid "$dump"
sleep 1
check "send 802.1Q frames (VLAN 42)" ip netns exec "$NSA" python3 -c '
import socket, struct, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
frame = (bytes.fromhex("ffffffffffff" "020000000001")
         + struct.pack("!HHH", 0x8100, 42, 0x88b5) + b"vswitch-vlan-test" * 3)
for _ in range(5):
    s.send(frame)
' "${A}p"
wait_for 5 bash -c "! kill -0 $dump"
check "frames arrive still tagged with VLAN 42" \
    bash -c "[ \$(grep -c 'vlan 42' $TMPD/vlan.txt) -eq 5 ]"

# TCP with offloads on: fails (or crawls) unless vnet headers cross.
ip netns exec "$NSA" ethtool -k "${A}p" | grep -q 'tx-checksumming: on' &&
    echo "# tx checksum offload is on at the sender"
ip netns exec "$NSB" iperf3 -s -1 -D -p 5291 --logfile "$TMPD/iperf-s.log"
sleep 0.5
check "iperf3 TCP with offloads on" \
    ip netns exec "$NSA" iperf3 -c 10.91.0.2 -p 5291 -t 3 -J --logfile "$TMPD/iperf.json"
gbps=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.2f" % (d["end"]["sum_received"]["bits_per_second"]/1e9))' "$TMPD/iperf.json" 2>/dev/null || echo 0)
echo "# TCP through the pipe: $gbps Gbit/s (reported, not judged)"
check "iperf3 moved data" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["end"]["sum_received"]["bytes"] > 0 else 1)' "$TMPD/iperf.json"

kill -TERM "$pipe_pid"
wait_for 5 bash -c "! kill -0 $pipe_pid"
check "pipe counted frames both ways" awk '{exit !($1 > 0 && $2 > 0)}' "$TMPD/counts"

# A tap we own: the kernel side goes into namespace C.
NSC=nsc$T TAP=tp$T
add_netns "$NSC"
spawn "$PIPE" "$A" "$TAP:tap" > "$TMPD/pipe2.out"
check "pipe with a tap starts" wait_for 5 grep -q ready "$TMPD/pipe2.out"
check "tap device exists" ip link show "$TAP"
ip link set "$TAP" netns "$NSC"
ip -n "$NSC" link set "$TAP" up
ip -n "$NSC" addr add 10.91.0.3/24 dev "$TAP"
check "ping A->tap namespace" ip netns exec "$NSA" ping -c 3 -i 0.2 -W 2 10.91.0.3
kill_pid "$SPAWNED"
check "tap removed when its owner exits" wait_for 5 bash -c "! ip -n $NSC link show $TAP"
echo "1..$n"
