#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1700
# kmod tier: VXLAN over an IPv6 underlay end to end through vswitchd
# (tests/system/vxlan-ipv6.sh, unchanged) with VSWITCH_TEST_DP=system: our
# two hypervisors' bridges are kernel datapaths whose tunnels are VXLAN
# vports sending and receiving over IPv6 (set(tunnel(ipv6_dst=...)),
# tunnel(ipv6_src,ipv6_dst) matches), the third hypervisor a Linux vxlan
# device; first on vswitch_dp.ko, then (same boot) on openvswitch.ko, every
# check compared (guest/both.sh).
. "$(dirname "$0")/host-lib.bash"
KMOD_TIMEOUT=1640 kmod_run guest/both.sh vxlan-ipv6.sh
