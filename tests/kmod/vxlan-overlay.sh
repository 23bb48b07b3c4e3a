#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1700
# kmod tier: the three-hypervisor VXLAN overlay (tests/system/vxlan-overlay.sh,
# unchanged) with VSWITCH_TEST_DP=system: every hypervisor's bridges are
# kernel datapaths in its own namespace, their tunnels VXLAN vports
# (vxlan_sys_4789 shared by a bridge's tunnel interfaces, vxlan_sys_4790 for
# the flow-based bridge), first on vswitch_dp.ko, then (same boot) on
# openvswitch.ko, every check compared (guest/both.sh).
. "$(dirname "$0")/host-lib.bash"
KMOD_TIMEOUT=1640 kmod_run guest/both.sh vxlan-overlay.sh
