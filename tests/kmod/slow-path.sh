#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1800
# kmod tier: the slow-path system tests run on the kernel datapath, same
# scripts, same expectations as on the userspace one: learning, VLANs and
# idle expiry (tests/system/slow-path-normal.sh), OpenFlow pipelines from
# ovs-ofctl and revalidation after rule changes (slow-path-pipeline.sh),
# an upcall storm (slow-path-storm.sh) and ovs-testcontroller
# (tests/interop/testcontroller-vswitchd.sh), with VSWITCH_TEST_DP=system
# (tests/kmod/guest/slow-path.sh), first on vswitch_dp.ko, then (same
# boot) on openvswitch.ko, every check compared (guest/both.sh).  Known
# differences with openvswitch.ko: none.  It found that the controller
# action's userspace() carried PID 0 on the kernel datapath (openvswitch.ko
# refused the megaflows, vswitch_dp.ko lost the packets): fixed.  The
# guest takes 8 min a module on a machine loaded by other guests (load
# average 13 on 2 cores).
. "$(dirname "$0")/host-lib.bash"
KMOD_TIMEOUT=1740 kmod_run guest/both.sh slow-path.sh
