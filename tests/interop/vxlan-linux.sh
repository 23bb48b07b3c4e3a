#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Our VTEPs and Linux's own VXLAN devices on one overlay (tests/vxlan-lib.sh):
# hypervisors 1 and 2 run ovsdb-lite + vswitchd with the tenant layout of
# tests/system/vxlan-overlay.sh (tenant A: VNI 100, tenant B: VNI 200, same
# addresses); hypervisor 3 is plain Linux: per tenant a vxlan device
# (dstport 4789, head-end replication to 1 and 2 by all-zero FDB entries)
# in a Linux bridge with the tenant's VM.  Checks:
#   - both ways, each tenant, ping between our VMs and Linux's, with the
#     shared addresses resolved within the tenant;
#   - TCP (iperf3) from Linux's VM to ours and back;
#   - tshark, on the underlay, decodes our hypervisors' packets as valid
#     VXLAN (I flag, VNI 100 and 200, inner Ethernet of the tenant's MACs)
#     with DF set and UDP destination port 4789, and finds nothing
#     malformed in the whole capture.
# timeout: 300
. "$(dirname "$0")/../lib.sh"
require_root
require ip ping iperf3 tshark bridge
. "$SRCDIR/tests/vxlan-lib.sh"

underlay
for h in 1 2; do
    add_hv "$h"
done
add_linux_hv 3
for h in 1 2 3; do
    add_vm "$h" a "10.10.0.$h" "$(mac aa "$h")"
    add_vm "$h" b "10.10.0.$h" "$(mac bb "$h")"
done
# Inner MTU on the Linux side is 1450; our VMs get the same.
for h in 1 2 3; do
    vm "$h" a ip link set eth0 mtu 1450
    vm "$h" b ip link set eth0 mtu 1450
done
check "hv1: our bridge with tunnels to hv2 and Linux" hv_overlay 1 2 3
check "hv2: our bridge with tunnels to hv1 and Linux" hv_overlay 2 1 3
check "hv3: Linux VTEP for VNI 100 (tenant A)" linux_vtep 100 a
check "hv3: Linux VTEP for VNI 200 (tenant B)" linux_vtep 200 b
check "our tunnels configured without error" wait_for 10 tunnels_ok 1 2 3

spawn ip netns exec "$UNS" timeout 120 tcpdump -i u1 -nn -U -s 200 \
    -w "$TMPD/underlay.pcap" udp port 4789
cap=$SPAWNED
sleep 1.5

for t in a b; do
    check "tenant $t: our VM reaches Linux's" vm_ping 1 "$t" 10.10.0.3
    check "tenant $t: Linux's VM reaches ours" vm_ping 3 "$t" 10.10.0.1
    check "tenant $t: Linux's VM reaches our other hypervisor's" \
        vm_ping 3 "$t" 10.10.0.2
done
expect "Linux's tenant A VM resolved our tenant A VM" \
    "$(mac aa 1)" vm_neigh_mac 3 a 10.10.0.1
expect "Linux's tenant B VM resolved our tenant B VM" \
    "$(mac bb 1)" vm_neigh_mac 3 b 10.10.0.1
expect "our tenant B VM resolved Linux's tenant B VM" \
    "$(mac bb 3)" vm_neigh_mac 1 b 10.10.0.3

vm_iperf_server 1 a 10.10.0.1
check "TCP from Linux's VM to ours (iperf3)" \
    vm 3 a timeout 20 iperf3 -c 10.10.0.1 -t 2 -f m
vm_iperf_server 3 a 10.10.0.3
check "TCP from our VM to Linux's (iperf3)" \
    vm 1 a timeout 20 iperf3 -c 10.10.0.3 -t 2 -f m

sleep 1
kill_pid "$cap"
# ours FILTER FIELD: the distinct values of FIELD (its outer occurrence)
# in our hypervisor's packets matching FILTER.
ours() {
    tshark -r "$TMPD/underlay.pcap" -Y "ip.src == $(uaddr 1) && $1" \
        -T fields -E occurrence=f -e "$2" 2> /dev/null | sort -u | tr '\n' ' ' | sed 's/ $//'
}
expect "tshark: our packets decode as VXLAN with VNIs 100 and 200" \
    "100 200" ours vxlan vxlan.vni
expect "tshark: every one of them has the VNI flag set" \
    "1" ours vxlan vxlan.flag_i
expect "tshark: every one is sent with DF" "1" ours vxlan ip.flags.df
expect "tshark: every one goes to UDP port 4789" "4789" ours vxlan udp.dstport
expect "tshark: tenant A frames carry VNI 100 only" \
    "100" ours "vxlan && eth.src == $(mac aa 1)" vxlan.vni
expect "tshark: tenant B frames carry VNI 200 only" \
    "200" ours "vxlan && eth.src == $(mac bb 1)" vxlan.vni
expect "tshark: nothing malformed on the underlay" "" \
    bash -c "tshark -r $TMPD/underlay.pcap -Y '_ws.malformed || _ws.expert.severity >= error' 2>/dev/null"
check "tshark: Linux's packets decoded too" \
    bash -c "tshark -r $TMPD/underlay.pcap -Y 'ip.src == $(uaddr 3) && vxlan.vni == 200' 2>/dev/null | grep -q ."

echo "1..$n"
