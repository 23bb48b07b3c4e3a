#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# A VXLAN overlay over an IPv6 underlay (tests/vxlan-lib.sh, underlay_v6:
# fd77::N/64): hypervisors 1 and 2 run ovsdb-lite + vswitchd with the
# tenant layout of tests/system/vxlan-overlay.sh (tenant A: VNI 100 in
# VLAN 10, tenant B: VNI 200 in VLAN 20, the same addresses 10.10.0.N,
# distinct MACs) and tunnels with options:remote_ip=<IPv6>, NORMAL
# forwarding; hypervisor 3 is plain Linux: per tenant a vxlan device over
# IPv6 (head-end replication to fd77::1 and fd77::2) in a Linux bridge
# with the tenant's VM.  Every VM's MTU is 1430, the inner MTU of a
# 1500-byte IPv6 underlay.  Checks:
#   - the tunnel interfaces configured without error, egress via the
#     underlay, and their mtu column showing egress - 70 (1430);
#   - ping in both tenants between every pair of the three hypervisors,
#     the shared addresses resolved within the tenant;
#   - tenant isolation: an address only tenant B has is unreachable from
#     tenant A, on our hypervisors and on Linux's;
#   - TCP (iperf3) between our hypervisors, from Linux's VM to ours and
#     back;
#   - the megaflows match and set IPv6 tunnel metadata;
#   - the underlay carries our VXLAN over IPv6 only.
# VSWITCH_TEST_DP picks the datapath as for vxlan-overlay.sh (system: the
# kernel's, inside QEMU).
# timeout: 400
. "$(dirname "$0")/../lib.sh"
require_root
require ip ping iperf3 tcpdump bridge
. "$SRCDIR/tests/vxlan-lib.sh"

# megaflows_have N TEXT VM...: right after pings from each VM ("N X
# ADDR") so that no megaflow has idled out, hypervisor N's megaflows of
# br0 include TEXT.
megaflows_have() {
    local n=$1 text=$2 v
    shift 2
    for v in "$@"; do
        # shellcheck disable=SC2086 # "N X ADDR": three arguments.
        vm_ping $v || return 1
    done
    hv_appctl "$n" dpif/dump-flows br0 | grep -qF "$text" && return 0
    hv_appctl "$n" dpif/dump-flows br0
    return 1
}

# iface_mtu N IFACE: the mtu column of hypervisor N's interface IFACE.
iface_mtu() { hv_ctl "$1" get Interface "$2" mtu; }

underlay_v6
for h in 1 2; do
    add_hv "$h"
done
add_linux_hv 3
for h in 1 2 3; do
    add_vm "$h" a "10.10.0.$h" "$(mac aa "$h")"
    add_vm "$h" b "10.10.0.$h" "$(mac bb "$h")"
    vm "$h" a ip link set eth0 mtu 1430
    vm "$h" b ip link set eth0 mtu 1430
done
check "hv1: bridge with tunnels to hv2 and Linux over IPv6" \
    hv_overlay_v6 1 2 3
check "hv2: bridge with tunnels to hv1 and Linux over IPv6" \
    hv_overlay_v6 2 1 3
check "hv3: Linux VTEP over IPv6 for VNI 100 (tenant A)" linux_vtep6 100 a
check "hv3: Linux VTEP over IPv6 for VNI 200 (tenant B)" linux_vtep6 200 b
check "hv1: tunnels without error, egress via the underlay" \
    wait_for 10 tunnels_ok 1 2 3
check "hv2: tunnels without error, egress via the underlay" \
    wait_for 10 tunnels_ok 2 1 3
expect "hv1: remote_ip is the peer's IPv6 address" \
    '"fd77::2"' hv_ctl 1 get Interface va2 options:remote_ip
for t in va2 vb3; do
    expect "hv1: $t's mtu is the egress MTU - 70" \
        1430 iface_mtu 1 "$t"
done

spawn ip netns exec "$UNS" timeout 150 tcpdump -i u1 -nn -U -s 200 \
    -w "$TMPD/underlay.pcap" udp port 4789 2> /dev/null
cap=$SPAWNED
sleep 1.5

# Reachability within each tenant, across every pair of hypervisors.
for t in a b; do
    for p in "1 2" "2 1" "1 3" "3 1" "3 2"; do
        read -r from to <<< "$p"
        check "tenant $t: VM on hv$from reaches its peer on hv$to" \
            vm_ping "$from" "$t" "10.10.0.$to"
    done
done
expect "tenant A on hv1 resolves hv2's shared address to tenant A's VM" \
    "$(mac aa 2)" vm_neigh_mac 1 a 10.10.0.2
expect "tenant B on hv1 resolves hv2's shared address to tenant B's VM" \
    "$(mac bb 2)" vm_neigh_mac 1 b 10.10.0.2
expect "Linux's tenant A VM resolves ours to tenant A's" \
    "$(mac aa 1)" vm_neigh_mac 3 a 10.10.0.1
expect "Linux's tenant B VM resolves ours to tenant B's" \
    "$(mac bb 1)" vm_neigh_mac 3 b 10.10.0.1

# Tenant isolation by VNI: an address only tenant B has, on hv2.
vm 2 b ip addr add 10.10.0.99/24 dev eth0
check "tenant B on hv1 reaches tenant B's extra address on hv2" \
    vm_ping 1 b 10.10.0.99
check "tenant B on Linux reaches it too" vm_ping 3 b 10.10.0.99
check "tenant A on hv1 never reaches tenant B's address" \
    bash -c "! ip netns exec $(vmns 1 a) ping -c 2 -i 0.3 -W 1 10.10.0.99"
check "tenant A on Linux never reaches tenant B's address" \
    bash -c "! ip netns exec $(vmns 3 a) ping -c 2 -i 0.3 -W 1 10.10.0.99"

# The datapath's view.
check "hv1's megaflows match received IPv6 tunnel metadata" \
    megaflows_have 1 'ipv6_src=fd77::2' "1 a 10.10.0.2"
check "hv1's megaflows set IPv6 tunnel metadata (VNI 200 to Linux)" \
    megaflows_have 1 'ipv6_dst=fd77::3' "1 b 10.10.0.3"

# TCP across the overlay.
vm_iperf_server 2 a 10.10.0.2
check "TCP (iperf3) from hv1's VM to hv2's" \
    vm 1 a timeout 20 iperf3 -c 10.10.0.2 -t 2 -f m
vm_iperf_server 1 a 10.10.0.1
check "TCP (iperf3) from Linux's VM to ours" \
    vm 3 a timeout 20 iperf3 -c 10.10.0.1 -t 2 -f m
vm_iperf_server 3 b 10.10.0.3
check "TCP (iperf3) from our VM to Linux's" \
    vm 1 b timeout 20 iperf3 -c 10.10.0.3 -t 2 -f m

sleep 1
kill_pid "$cap"
# n_pkts FILTER: the number of packets of the capture matching FILTER.
n_pkts() {
    tcpdump -r "$TMPD/underlay.pcap" -nn "$1" 2> /dev/null | wc -l
}
check "hv1 sent VXLAN over IPv6 from fd77::1" \
    test "$(n_pkts 'ip6 src fd77::1 and udp dst port 4789')" -gt 0
check "Linux sent VXLAN over IPv6 to hv1" \
    test "$(n_pkts 'ip6 src fd77::3 and ip6 dst fd77::1 and udp dst port 4789')" -gt 0
expect "no VXLAN over IPv4 on the underlay" 0 n_pkts 'ip and udp port 4789'

echo "1..$n"
