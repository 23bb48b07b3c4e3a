#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 240
#
# Nicira's NXM flow format in OpenFlow 1.0, driven by Debian's ovs-ofctl in
# its default OpenFlow 1.0 against our vswitchd and, side by side, Debian's
# ovs-vswitchd (a private ovsdb-server and ovs-vswitchd, netdev bridge with
# two dummy ports).  Matches 1.0 cannot say (tun_id, tun_src/tun_dst,
# registers, IPv6, masked Ethernet/IP/ports, nw_ttl, nw_frag, nw_ecn,
# tcp_flags, pkt_mark, ND) make ovs-ofctl send NXT_SET_FLOW_FORMAT(nxm) and
# NXT_FLOW_MOD; table=N adds NXT_FLOW_MOD_TABLE_ID; dump-flows and
# dump-aggregate are NXST_FLOW and NXST_AGGREGATE.  dump-flows must print
# the same lines for both switches (durations and ages normalized, the ages
# themselves kept), with and without NXM filters; del-flows, mod-flows,
# --strict and cookie filters act alike; a flow removal reaches an NXM
# connection as NXT_FLOW_REMOVED, as ovs-ofctl ofp-print prints it for
# both; malformed NXT messages get the same OpenFlow error bytes from both
# switches.  Then traffic: flows added by NXT_FLOW_MOD forward packets.
# Prints TAP.
. "$(dirname "$0")/../lib.sh"
. "$SRCDIR/tests/vswitchd-lib.sh"
require_root
require ovs-ofctl ovs-vswitchd ovsdb-server ovsdb-tool ovs-vsctl python3
# Debian's ovs-vswitchd, everything under $TMPD/ovs.
start_ovs_vswitchd nx0

# Ours, with two hosts for the traffic checks.
start_vswitchd
P=nx$T
BR=${P}b
add_host_set "$P" 10.79.0 02:00:00:00:79 2
add_bridge "$BR" "$P" 2 -- set-fail-mode "$BR" secure || fail "add-br $BR"
OURS=unix:$VSWITCH_RUNDIR/$BR.mgmt
wait_for 10 ovs-ofctl show "$OURS" > /dev/null || fail "no $BR.mgmt"

ofctl() { timeout 20 ovs-ofctl "$@"; }
# [OPTS=...] both COMMAND ARGS...: "ovs-ofctl OPTS COMMAND TARGET ARGS..."
# (OpenFlow 1.0) succeeds against both switches.
both() {
    local cmd=$1
    shift
    if ! ofctl ${OPTS:-} "$cmd" "$REAL" "$@" > "$TMPD/o" 2>&1; then
        sed 's/^/#   ovs-vswitchd: /' "$TMPD/o" | head -5
        return 1
    fi
    if ! ofctl ${OPTS:-} "$cmd" "$OURS" "$@" > "$TMPD/o" 2>&1; then
        sed 's/^/#   vswitchd: /' "$TMPD/o" | head -5
        return 1
    fi
}
# The durations and ages differ between the two runs, not whether they are
# printed.  (ovs-vswitchd flags a flow added by a 1.0 FLOW_MOD
# reset_counts, ours does not: a difference of flow flags, not of NXM.)
norm() {
    sed -E 's/duration=[0-9.]+s/duration=D/; s/idle_age=[0-9]+/idle_age=A/;
        s/hard_age=[0-9]+/hard_age=A/; s/ reset_counts / /' | sort
}
# same_out NAME COMMAND ARGS...: "ovs-ofctl COMMAND TARGET ARGS..." prints
# the same (normalized) for both switches.
same_out() {
    local name=$1 cmd=$2
    shift 2
    if diff <(ofctl ${OPTS:-} "$cmd" "$REAL" "$@" 2>&1 | norm) \
        <(ofctl ${OPTS:-} "$cmd" "$OURS" "$@" 2>&1 | norm) \
        > "$TMPD/diff" 2>&1; then
        pass "$name"
    else
        flunk "$name"
        sed 's/^/#   /' "$TMPD/diff" | head -20
    fi
}
nflows() { ofctl --no-stats dump-flows "$OURS" "$@" | grep -c priority=; }

log "add-flow with matches only NXM can say (OpenFlow 1.0)"
flows=(
    "priority=10,tun_id=5,actions=normal"
    "priority=11,tun_id=0x50/0xf0,tun_src=192.0.2.1,actions=output:1"
    "priority=12,tun_dst=192.0.2.0/24,actions=output:2"
    "priority=13,reg0=7,reg3=0x10/0xf0,actions=drop"
    "priority=14,ipv6,ipv6_src=2001:db8::/32,ipv6_dst=2001:db8::1,actions=normal"
    "priority=15,tcp6,tp_dst=80,actions=drop"
    "priority=16,ip,nw_ttl=5,actions=drop"
    "priority=17,ip,nw_frag=later,actions=drop"
    "priority=18,tcp,tcp_flags=+syn-ack,actions=drop"
    "priority=19,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=drop"
    "priority=20,ip,nw_src=10.0.0.0/255.0.255.0,actions=drop"
    "priority=21,tcp,tp_src=0x400/0xff00,actions=drop"
    "priority=22,pkt_mark=5,actions=drop"
    "priority=23,icmp6,icmp_type=135,nd_target=2001:db8::5,actions=drop"
    "priority=24,arp,arp_sha=00:11:22:33:44:55,arp_op=2,actions=drop"
    "priority=25,ip,nw_ecn=1,nw_tos=32,actions=drop"
    "priority=26,udp,udp_src=53,dl_vlan=5,dl_vlan_pcp=3,actions=drop"
    "priority=27,cookie=0x77,tun_id=9,actions=drop"
    "priority=28,cookie=0x78,reg7=0xffffffff,actions=drop"
    "table=3,priority=5,tun_id=6,actions=normal"
    "table=4,priority=5,in_port=1,actions=drop"
)
for f in "${flows[@]}"; do
    check "add-flow $f" both add-flow "$f"
done
expect "${#flows[@]} flows" "${#flows[@]}" nflows
same_out "dump-flows: same as ovs-vswitchd" dump-flows
same_out "dump-flows --no-stats: same" dump-flows --no-stats
same_out "dump-flows tun_id=5: same" dump-flows tun_id=5
expect "dump-flows tun_id=5 selects one flow" 1 nflows tun_id=5
same_out "dump-flows table=3: same" dump-flows table=3
same_out "dump-flows reg0=7: same" dump-flows reg0=7
same_out "dump-flows ipv6: same" dump-flows ipv6
same_out "dump-flows cookie=0x77/-1: same" dump-flows cookie=0x77/-1
expect "dump-flows prints idle_age" "${#flows[@]}" \
    bash -c "ovs-ofctl dump-flows '$OURS' | grep -c 'idle_age='"
same_out "dump-aggregate: same" dump-aggregate
same_out "dump-aggregate tun_id=5: same" dump-aggregate tun_id=5
same_out "dump-aggregate table=3: same" dump-aggregate table=3

log "mod-flows, del-flows, --strict"
check "mod-flows tun_id=5" both mod-flows "tun_id=5,actions=output:2"
strict_both() { OPTS=--strict both "$@"; }
check "mod-flows --strict reg0=7 priority 13" strict_both mod-flows \
    "priority=13,reg0=7,reg3=0x10/0xf0,actions=output:1"
same_out "after mod-flows: same" dump-flows
expect "mod-flows changed the actions" 1 \
    bash -c "ovs-ofctl --no-stats dump-flows '$OURS' tun_id=5 | grep -c 'actions=output:2'"
check "del-flows --strict masked tun_id" strict_both del-flows \
    "priority=11,tun_id=0x50/0xf0,tun_src=192.0.2.1"
expect "--strict deleted one" $((${#flows[@]} - 1)) nflows
check "del-flows --strict with the wrong priority deletes nothing" \
    strict_both del-flows "priority=99,tun_id=5"
expect "still there" $((${#flows[@]} - 1)) nflows
check "del-flows tun_dst=192.0.2.0/24" both del-flows tun_dst=192.0.2.0/24
check "del-flows cookie=0x77/-1" both del-flows cookie=0x77/-1
check "del-flows table=3,tun_id=6" both del-flows table=3,tun_id=6
check "del-flows ipv6 (takes the ipv6, tcp6 and icmp6 flows)" both \
    del-flows ipv6
expect "seven flows fewer" $((${#flows[@]} - 7)) nflows
same_out "after del-flows: same" dump-flows
check "del-flows reg7=0xffffffff (non-strict)" both del-flows reg7=0xffffffff
same_out "after the last delete: same" dump-flows

log "NXT_FLOW_REMOVED for an NXM connection"
cat > "$TMPD/nxraw.py" << 'EOF'
# nxraw.py SOCKET [--removed SECONDS] HEXBODY...: an OpenFlow 1.0 session:
# each HEXBODY is a message without its version, length and xid (its type
# byte first); then a barrier.  Prints each message received (hex, xid
# zeroed) up to the barrier reply, or with --removed, the first
# NXT_FLOW_REMOVED within SECONDS.
import socket, struct, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(10)
def recv():
    b = b''
    while len(b) < 8:
        b += s.recv(8 - len(b))
    n = struct.unpack('!H', b[2:4])[0]
    while len(b) < n:
        b += s.recv(n - len(b))
    return b
s.sendall(bytes.fromhex('0100000800000001'))
recv()
args = sys.argv[2:]
wait = None
if args and args[0] == '--removed':
    wait = float(args[1])
    args = args[2:]
for i, m in enumerate(args):
    body = bytes.fromhex(m.replace(' ', ''))
    s.sendall(bytes([1, body[0]]) + struct.pack('!HI', len(body) + 7, 0x100 + i) + body[1:])
s.sendall(struct.pack('!BBHI', 1, 18, 8, 0xffff))
while True:
    r = recv()
    if r[1] == 19:
        break
    print((r[:4] + b'\0\0\0\0' + r[8:]).hex())
if wait is not None:
    end = time.time() + wait
    while time.time() < end:
        s.settimeout(max(0.1, end - time.time()))
        try:
            r = recv()
        except socket.timeout:
            break
        if r[1] == 4 and r[8:16] == bytes.fromhex('000023200000000e'):
            print(r.hex())
            break
EOF
nxraw() { timeout 30 python3 "$TMPD/nxraw.py" "$@"; }
# SET_FLOW_FORMAT(nxm), SET_CONFIG(miss_send_len 0xffff).
SETUP=("04 00002320 0000000c 00000002" "09 0000 ffff")
removed() {
    local sock=$1 out=$2
    nxraw "$sock" --removed 8 "${SETUP[@]}" > "$out" &
    sleep 1
    ofctl add-flow "unix:$sock" \
        "priority=40,tun_id=0x99,reg1=3,hard_timeout=1,send_flow_rem,actions=drop"
    wait
}
removed "${REAL#unix:}" "$TMPD/rm.real"
removed "${OURS#unix:}" "$TMPD/rm.ours"
rmtext() {
    tail -n 1 "$1" | xargs -r ovs-ofctl ofp-print 2>&1 |
        sed -E 's/duration[=:]?[0-9.]+s/duration=D/'
}
rmtext "$TMPD/rm.ours" > "$TMPD/rm.ours.txt"
rmtext "$TMPD/rm.real" > "$TMPD/rm.real.txt"
expect "ours: an NXT_FLOW_REMOVED" 1 grep -c '^NXT_FLOW_REMOVED' "$TMPD/rm.ours.txt"
check "printed as ovs-vswitchd's" diff "$TMPD/rm.real.txt" "$TMPD/rm.ours.txt"
sed 's/^/#   /' "$TMPD/rm.ours.txt"

log "NXT_SET_FLOW_FORMAT and malformed NXM: the same errors as ovs-vswitchd"
# fm MATCH-HEX MATCH-LEN: an NXT_FLOW_MOD body (ADD, priority 0x8000).
fm() {
    printf '04 00002320 0000000d 0000000000000000 0000 0000 0000 8000 ffffffff ffff 0000 %04x 000000000000 %s' "$2" "$1"
}
# (Each message is at most 64 bytes: ovs-vswitchd echoes a whole request
# in an error, we echo its first 64 bytes.)
bad=(
    "04 00002320 0000000c 00000001"                       # format 1
    "04 00002320 0000000c 00000003"                       # format OXM
    "$(fm '0001fe04 00000005' 8)"                         # unknown field
    "$(fm '00000603 08000000' 7)"                         # wrong length
    "$(fm '' 8)"                                          # past the end
    "$(fm '00000602 08000000' 7)"                         # truncated TLV
    "$(fm '00000602 0800 0000 00000602 08000000' 16)"     # pad read as TLV
    "$(fm '00000602 0800 00000602 0800 00000000' 12)"     # duplicate
    "$(fm '00000e04 0a000001' 8)"                         # no eth_type
    "$(fm '00000602 0800 00000a01 03 0000000000' 11)"     # ECN in ip_tos
    "$(fm '0000030c 010203040506 feffffffffff' 16)"       # value off mask
    "$(fm '00000602 0800 00001402 0050 00000000' 12)"     # tcp_dst alone
    "$(fm '00013c08 0000000000000005 00000000' 12)"       # cookie in an add
    "$(fm '00000704 0800 0f00' 8)"                        # eth_type mask
    "$(fm '00000602 0800' 6)"                             # length not 8n
    "$(fm '00010004 00000001' 8)"                         # reg0: fine
)
nxraw "${REAL#unix:}" "${bad[@]}" > "$TMPD/err.real"
nxraw "${OURS#unix:}" "${bad[@]}" > "$TMPD/err.ours"
expect "ovs-vswitchd answered 15 errors" 15 grep -c . "$TMPD/err.real"
check "the same error messages, byte for byte" \
    diff "$TMPD/err.real" "$TMPD/err.ours"
while read -r m; do
    ovs-ofctl ofp-print "$m" 2>&1 | head -n 1 | sed 's/^/#   /'
done < "$TMPD/err.ours"
check "the well-formed reg0 flow was added" \
    bash -c "ovs-ofctl --no-stats dump-flows '$OURS' | grep -q '^ reg0=0x1 actions=drop'"
check "format openflow10 again: accepted" \
    bash -c "[ -z \"\$(timeout 30 python3 '$TMPD/nxraw.py' '${OURS#unix:}' '04 00002320 0000000c 00000000')\" ]"

log "traffic through flows added with NXM"
check "del-flows" both del-flows
ns1=${P}n1 ns2=${P}n2
check "NXM flows: reg0=0 and tun_id=0 (every untunnelled packet) NORMAL" \
    ofctl add-flow "$OURS" "priority=50,reg0=0,tun_id=0,actions=normal"
check "the flow is in NXM form" \
    bash -c "ovs-ofctl --no-stats dump-flows '$OURS' | grep -q 'reg0=0,tun_id=0 actions=NORMAL'"
check "ping host 1 -> host 2 through it" \
    ip netns exec "$ns1" ping -c 2 -i 0.2 -W 2 10.79.0.2
check "n_packets counts them" \
    bash -c "ovs-ofctl dump-flows '$OURS' | grep -q 'n_packets=[1-9]'"
check "a higher-priority NXM drop for ICMP to host 2 (masked nw_dst)" \
    ofctl add-flow "$OURS" "priority=60,icmp,nw_dst=10.79.0.2/255.255.0.255,actions=drop"
check "ping is now dropped" \
    bash -c "! ip netns exec '$ns1' ping -c 1 -W 1 10.79.0.2 > /dev/null"
check "del-flows --strict of the drop (NXM)" ofctl --strict del-flows "$OURS" \
    "priority=60,icmp,nw_dst=10.79.0.2/255.255.0.255"
check "ping works again" ip netns exec "$ns1" ping -c 1 -W 2 10.79.0.2
echo "1..$n"
