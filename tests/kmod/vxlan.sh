#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1000
# kmod tier: a VXLAN vport carries a ping between a VM namespace and a Linux
# vxlan device in another namespace (set(tunnel(...)) on output, tunnel()
# matches on input, wrong VNI not delivered, outer headers seen by tcpdump,
# tunnel key in upcalls) on vswitch_dp.ko, then the same script on
# openvswitch.ko in the same boot (tests/kmod/guest/vxlan.sh, guest/both.sh).
. "$(dirname "$0")/host-lib.bash"
KMOD_TIMEOUT=960 kmod_run guest/both.sh vxlan.sh
