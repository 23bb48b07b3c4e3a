#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 120
#
# An upcall storm on a real bridge: h1 sends UDP with a new source port in
# every packet (bounded: at most 3 s and 300,000 frames, from a raw
# socket, or from pktgen where the kernel has it) through a pipeline
# whose megaflows must match the source port, so each packet is a miss.  Meanwhile an established ping h3 -> h2 rides
# its installed megaflows and keeps being answered; the upcalls the
# bounded queue could not take are counted (upcall/show "lost"), and
# vswitchd keeps answering its control socket.  On the kernel datapath
# (VSWITCH_TEST_DP=system) the bounded queue is the handlers' netlink
# sockets and the module counts what they could not take; upcall-queue is
# the userspace datapath's knob only (the kernel's set-config ignores it).
# Prints TAP.
. "$(dirname "$0")/../lib.sh"
. "$SRCDIR/tests/vswitchd-lib.sh"
require_root
require ip ping ovs-appctl python3 timeout
start_vswitchd

BR=ss${T}b
mac() { printf '02:5c:00:00:00:%02x' "$1"; }
add_host_set ss${T} 10.80.0 02:5c:00:00:00 3
check "add-br with three ports (NORMAL)" add_bridge "$BR" ss${T} 3
# A rule on udp,tp_src makes every UDP megaflow match the source port.
check "a rule on the UDP source port" timeout 10 "$OFCTL" add-flow "$BR" "priority=10,udp,tp_src=1,actions=drop"
# A small upcall queue, so that the storm overflows it.
check "upcall-queue=256" timeout 10 "$APPCTL" -t vswitchd dpctl/set-config "$(dp_name "$BR")" upcall-queue=256

ping_ok() { ip netns exec "ss${T}n$1" ping -c 2 -i 0.1 -W 1 "$2" > /dev/null; }
check "h1 pings h2 (learning)" ping_ok 1 10.80.0.2
check "h3 pings h2 (learning)" ping_ok 3 10.80.0.2

lost() { appctl upcall/show | sed -n 's/.*lookups.* lost \([0-9]*\).*/\1/p'; }
lost0=$(lost)
ip netns exec "ss${T}n3" ping -i 0.05 -c 60 -W 1 10.80.0.2 > "$TMPD/ping" 2>&1 &
PING=$!
at_cleanup kill_pid "$PING"
sleep 0.3
storm_python() {
    ip netns exec "ss${T}n1" timeout 10 python3 - "ss${T}x1" "$(mac 1)" "$(mac 2)" <<'PY'
import socket, struct, sys, time
dev, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
eth = bytes.fromhex(dst.replace(":", "")) + bytes.fromhex(src.replace(":", "")) + b"\x08\x00"
def csum(b):
    s = sum(struct.unpack("!10H", b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + 18, 0, 0, 64, 17, 0,
                 socket.inet_aton("10.80.0.1"), socket.inet_aton("10.80.0.2"))
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
n, end = 0, time.time() + 3
while n < 300000 and time.time() < end:
    for _ in range(100):
        sport = 1024 + n % 60000
        s.send(eth + ip + struct.pack("!HHHH", sport, 9, 8 + 18, 0) + b"s" * 18)
        n += 1
print("sent", n)
PY
}
# The same frames from pktgen (UDP source ports 1024 up, one per frame),
# where the kernel has it.
storm_pktgen() {
    ip netns exec "ss${T}n1" bash -c '
        pg=/proc/net/pktgen
        echo rem_device_all > $pg/kpktgend_0 &&
        echo "add_device $1" > $pg/kpktgend_0 || exit 1
        for c in "count 300000" "clone_skb 0" "burst 1" "pkt_size 64" \
            "delay 0" "dst 10.80.0.2" "dst_mac $2" "udp_src_min 1024" \
            "udp_src_max 61023" "udp_dst_min 9" "udp_dst_max 9"; do
            echo "$c" > $pg/$1 || exit 1
        done
        (echo start > $pg/pgctrl) 2> /dev/null &
        sleep 3
        echo stop > $pg/pgctrl
        wait
        sed -n "s/.*pkts-sofar: \([0-9]*\).*/sent \1/p" $pg/$1
        echo rem_device_all > $pg/kpktgend_0' _ "ss${T}x1" "$(mac 2)"
}
# Python's sender is too slow on an emulated machine (a few thousand
# frames a second); pktgen is not in every kernel.
sender=storm_python
modprobe -q pktgen 2> /dev/null && ip netns exec "ss${T}n1" test -d /proc/net/pktgen &&
    sender=storm_pktgen
log "storm sender: $sender"
$sender > "$TMPD/storm" 2>&1 &
STORM=$!
at_cleanup kill_pid "$STORM"
sleep 1
check "vswitchd answers during the storm" appctl upcall/show
wait "$STORM"
wait "$PING"
sed 's/^/#   /' "$TMPD/storm"
sent=$(sed -n 's/^sent //p' "$TMPD/storm")
[ "${sent:-0}" -ge 10000 ] && pass "the storm sent frames with new source ports (${sent})" ||
    flunk "the storm sent frames with new source ports (${sent:-none})"
recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$TMPD/ping")
[ "${recv:-0}" -ge 54 ] && pass "the established ping was answered throughout (${recv}/60)" ||
    flunk "the established ping was answered throughout (${recv:-0}/60)"
appctl upcall/show > "$TMPD/upcall"
sed 's/^/#   /' "$TMPD/upcall"
lost1=$(lost)
[ "${lost1:-0}" -gt "${lost0:-0}" ] && pass "lost upcalls are counted (${lost0} -> ${lost1})" ||
    flunk "lost upcalls are counted (${lost0:-?} -> ${lost1:-?})"
check "upcall/show: dp drops line counts them too" grep -q "upcall-lost ${lost1}" "$TMPD/upcall"
check "the bridge still forwards new flows" ping_ok 1 10.80.0.3
check "del-br" vsctl del-br "$BR"
echo "1..$n"
