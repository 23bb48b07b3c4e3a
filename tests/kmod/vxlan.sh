#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1560
# kmod tier: a VXLAN vport carries a ping between a VM namespace and a Linux
# vxlan device in another namespace (set(tunnel(...)) on output, tunnel()
# matches on input, wrong VNI not delivered, outer headers seen by tcpdump,
# tunnel key in upcalls, set(tunnel) prepared per flow and not per packet,
# ICMP fragmentation needed / counted drops for oversized packets, TCP with
# MSS 8960 over a 1500-byte underlay; then an IPv6 underlay to a Linux vxlan
# device: pings, outer IPv6 UDP 4789 with VNI 42, tunnel(ipv6_src,ipv6_dst)
# dumps, wrong VNI, upcall key, ICMP mtu 1430) on vswitch_dp.ko, then the same script on
# openvswitch.ko in the same boot (tests/kmod/guest/vxlan.sh, guest/both.sh).
. "$(dirname "$0")/host-lib.bash"
# ethtool -S drop reasons are ours (openvswitch.ko's port is a Linux vxlan
# device without them).
KMOD_TIMEOUT=1500 kmod_run guest/both.sh vxlan.sh \
	"ethtool -S: tx_frag_needed counted"
