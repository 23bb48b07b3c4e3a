#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
# kmod tier: Debian's ovs-dpctl manages datapaths and ports on vswitch_dp.ko
# in a QEMU guest (tests/kmod/guest/dpctl.sh), TAP results.
. "$(dirname "$0")/host-lib.bash"
kmod_run guest/dpctl.sh
