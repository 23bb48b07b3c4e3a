#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# kmod tier: the per-port upcall rate limit of vswitch_dp.ko (module
# parameters upcall_rate/upcall_burst) bounds the misses a flooded port
# sends to userspace, counts the rest as lost and as port drops, and can
# be turned off at run time (tests/kmod/guest/upcall-rate.sh).  Ours only:
# openvswitch.ko has no such limit, so there is nothing to compare.
. "$(dirname "$0")/host-lib.bash"
KMOD_TIMEOUT=280 kmod_run guest/upcall-rate.sh
