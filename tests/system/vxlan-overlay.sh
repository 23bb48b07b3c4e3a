#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# A VXLAN overlay across three simulated hypervisors (tests/vxlan-lib.sh):
# each one a namespace with its own ovsdb-lite and vswitchd, joined by an
# underlay bridge, each with two tenant VMs: tenant A in VNI 100 (access
# VLAN 10 on the hypervisor's bridge) and tenant B in VNI 200 (VLAN 20),
# with the SAME IP addresses (10.10.0.N on hypervisor N) and distinct MACs.
# Full-mesh tunnels, NORMAL forwarding.  Checks:
#   - every tunnel interface configured without error, its status naming
#     the underlay device;
#   - every VM reaches its tenant peers on the other hypervisors (ping,
#     iperf3), and resolves the shared addresses to its own tenant's MACs;
#   - an address only tenant B has is unreachable from tenant A;
#   - ARP broadcasts reach the same VNI only (captured in the other
#     tenant's VM on another hypervisor);
#   - NORMAL learned the remote MACs behind the tunnel ports;
#   - the megaflows match and set tunnel metadata;
#   - a VM migrates (its port moves to another hypervisor, it announces
#     itself with a gratuitous ARP, as QEMU does after a migration) and
#     its peers reach it there;
#   - flow-based tunnels: remote_ip=flow, key=flow, dst_port=4790 driven
#     by OpenFlow set_field/tun_id rules; a wrong VNI is not delivered.
# VSWITCH_TEST_DP=system runs it on the kernel datapath
# (tests/kmod/vxlan-overlay.sh does, in QEMU).
# timeout: 400
. "$(dirname "$0")/../lib.sh"
require_root
require ip ping iperf3 tcpdump python3
. "$SRCDIR/tests/vxlan-lib.sh"

# arp_seen N X FILE MAC: whether the capture FILE (taken in VM NX) holds an
# ARP frame from MAC.
arp_seen() {
    tcpdump -r "$3" -nne arp 2> /dev/null | grep -qi "^[^ ]* $4 >"
}

# garp N X ADDR: VM NX announces ADDR (gratuitous ARP request, broadcast).
garp() {
    vm "$1" "$2" python3 - "$3" << 'EOF'
import socket, sys
ip = socket.inet_aton(sys.argv[1])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
me = s.getsockname()[4]
frame = (b"\xff" * 6 + me + b"\x08\x06" + b"\x00\x01\x08\x00\x06\x04\x00\x01"
         + me + ip + b"\x00" * 6 + ip)
for _ in range(2):
    s.send(frame)
EOF
}

others() { echo 1 2 3 | tr ' ' '\n' | grep -vx "$1"; }

# megaflows_have N BR TEXT VM...: right after pings from each VM ("N X
# ADDR") so that no megaflow has idled out, hypervisor N's megaflows of
# BR include TEXT.
megaflows_have() {
    local n=$1 br=$2 text=$3 v
    shift 3
    for v in "$@"; do
        vm_ping $v || return 1
    done
    hv_appctl "$n" dpif/dump-flows "$br" | grep -qF "$text" && return 0
    hv_appctl "$n" dpif/dump-flows "$br"
    return 1
}

# dp_tunnel_ports N: the tunnel datapath ports of hypervisor N's bridges.
dp_tunnel_ports() {
    local br
    for br in br0 brf; do
        hv_appctl "$1" dpctl/show "$TEST_DP@$br" | grep -o 'vxlan_sys_[0-9]*'
    done | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# rule_hit N BR MATCH: the rules of BR matching MATCH have counted packets.
rule_hit() {
    hv_ofctl "$1" dump-flows "$2" "$3" | grep -q 'n_packets=[1-9]'
}

underlay
for h in 1 2 3; do
    add_hv "$h"
    add_vm "$h" a "10.10.0.$h" "$(mac aa "$h")"
    add_vm "$h" b "10.10.0.$h" "$(mac bb "$h")"
done
for h in 1 2 3; do
    check "hv$h: bridge with 2 VMs and 4 tunnels configured" \
        hv_overlay "$h" $(others "$h")
done
for h in 1 2 3; do
    check "hv$h: tunnels without error, egress via the underlay" \
        wait_for 10 tunnels_ok "$h" $(others "$h")
done

# Reachability within each tenant, across every pair of hypervisors.
for t in a b; do
    for p in "1 2" "1 3" "2 3" "3 1"; do
        read -r from to <<< "$p"
        check "tenant $t: VM on hv$from reaches its peer on hv$to" \
            vm_ping "$from" "$t" "10.10.0.$to"
    done
done
expect "tenant A resolves the shared address to tenant A's VM" \
    "$(mac aa 2)" vm_neigh_mac 1 a 10.10.0.2
expect "tenant B resolves the shared address to tenant B's VM" \
    "$(mac bb 2)" vm_neigh_mac 1 b 10.10.0.2

# An address only tenant B has.
vm 3 b ip addr add 10.10.0.99/24 dev eth0
check "tenant B reaches its own extra address" vm_ping 2 b 10.10.0.99
check "tenant A never reaches tenant B's address" \
    bash -c "! ip netns exec $(vmns 1 a) ping -c 2 -i 0.3 -W 1 10.10.0.99"

# ARP broadcasts stay in their VNI: VM 1a asks for an address nobody has
# while VMs 2a and 2b listen.
spawn vm 2 a timeout 6 tcpdump -i eth0 -nn -U -w "$TMPD/2a.pcap" arp 2> /dev/null
cap_a=$SPAWNED
spawn vm 2 b timeout 6 tcpdump -i eth0 -nn -U -w "$TMPD/2b.pcap" arp 2> /dev/null
cap_b=$SPAWNED
sleep 1.5
vm 1 a ping -c 3 -i 0.3 -W 1 10.10.0.77 > /dev/null 2>&1
wait "$cap_a" "$cap_b" 2> /dev/null
check "tenant A's ARP broadcast reaches tenant A on hv2" \
    arp_seen 2 a "$TMPD/2a.pcap" "$(mac aa 1)"
check "tenant A's ARP broadcast never reaches tenant B on hv2" \
    bash -c "[ -s $TMPD/2b.pcap ] && ! tcpdump -r $TMPD/2b.pcap -nne arp 2>/dev/null | grep -qi '$(mac aa 1) >'"

# Learning behind tunnels, and the datapath's view.
expect "hv1 learned hv2's tenant A VM behind tunnel va2" \
    "$(ofport 1 va2)" fdb_port 1 "$(mac aa 2)"
expect "hv1 learned hv2's tenant B VM behind tunnel vb2" \
    "$(ofport 1 vb2)" fdb_port 1 "$(mac bb 2)"
check "hv1's megaflows match received tunnel metadata (VNI 100)" \
    megaflows_have 1 br0 'tunnel(tun_id=0x64' "1 a 10.10.0.2"
check "hv1's megaflows set tunnel metadata (VNI 200)" \
    megaflows_have 1 br0 'set(tunnel(tun_id=0xc8' "1 b 10.10.0.2"


# TCP across the overlay.
vm_iperf_server 2 a 10.10.0.2
check "tenant A: TCP (iperf3) from hv1 to hv2" \
    vm 1 a timeout 20 iperf3 -c 10.10.0.2 -t 2 -f m

# Migration: VM 3a moves to hv2.
hv_ctl 3 del-port br0 t3a
ip -n "$(hvns 3)" link delete t3a
ip -n "$(vmns 3 a)" link add eth0 type veth peer name t3a netns "$(hvns 2)"
ip -n "$(vmns 3 a)" link set eth0 address "$(mac aa 3)"
ip -n "$(vmns 3 a)" addr add 10.10.0.3/24 dev eth0
ip -n "$(vmns 3 a)" link set eth0 up
ip -n "$(hvns 2)" link set t3a up
check "VM 3a's port moved to hv2" \
    hv_ctl 2 add-port br0 t3a -- set Port t3a tag=10
check "VM 3a announces itself from hv2" garp 3 a 10.10.0.3
check "after the migration, hv1's tenant A VM reaches VM 3a" \
    vm_ping 1 a 10.10.0.3
expect "hv1 relearned VM 3a behind the tunnel to hv2" \
    "$(ofport 1 va2)" fdb_port 1 "$(mac aa 3)"
check "tenant B on hv3 is untouched by the migration" vm_ping 1 b 10.10.0.3

# Flow-based tunnels driven by OpenFlow: a second bridge on hv1 and hv2,
# one vxlan port each with remote_ip=flow, key=flow, on UDP port 4790.
for h in 1 2; do
    add_vm "$h" f "10.20.0.$h" "$(mac ff "$h")"
    check "hv$h: flow-based tunnel port configured" hv_ctl "$h" \
        -- add-br brf -- set Bridge brf fail_mode=secure \
        -- add-port brf "t${h}f" -- set Interface "t${h}f" ofport_request=1 \
        -- add-port brf vf -- set Interface vf type=vxlan ofport_request=2 \
        options:remote_ip=flow options:key=flow options:dst_port=4790
    peer=$((3 - h))
    check "hv$h: OpenFlow rules set tun_dst and tun_id" hv_ofctl "$h" add-flows brf - << EOF
in_port=1,actions=set_field:300->tun_id,set_field:$(uaddr "$peer")->tun_dst,output:2
in_port=2,tun_id=300,tun_src=$(uaddr "$peer"),actions=output:1
EOF
done
expect "hv1: br0's tunnels share vxlan_sys_4789, brf's have vxlan_sys_4790" \
    "vxlan_sys_4789 vxlan_sys_4790" dp_tunnel_ports 1
check "flow-based tunnel: hv1's VM reaches hv2's" vm_ping 1 f 10.20.0.2
check "hv2 received VNI 300 from hv1, tun_id and tun_src matched" \
    rule_hit 2 brf in_port=2,tun_id=300
hv_ofctl 1 mod-flows brf \
    "in_port=1,actions=set_field:301->tun_id,set_field:$(uaddr 2)->tun_dst,output:2"
vm 1 f ip neigh flush dev eth0
check "a VNI the peer has no rule for is not delivered" \
    bash -c "! ip netns exec $(vmns 1 f) ping -c 2 -i 0.3 -W 1 10.20.0.2"

echo "1..$n"
