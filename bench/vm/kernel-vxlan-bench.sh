#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/vm/kernel-vxlan-bench.sh: `make bench-kernel-vxlan`, the host side
# of the kernel-datapath VXLAN benchmark: our vswitchd + ovsdb-lite on
# vswitch_dp.ko against Debian's ovs-vswitchd + ovsdb-server on
# openvswitch.ko, VM to VM over VXLAN VNI 42 between two hypervisor
# namespaces, in ONE QEMU boot (bench/kernel-vxlan.sh runs in the guest).
#
#   bench/vm/kernel-vxlan-bench.sh [--quick] [--rounds N] [--out DIR]
#                                  [--report FILE.md]
#
# Default: 3 rounds (BENCH_ROUNDS), raw data under
# bench/results/raw/kernel-vxlan-<date>/ (not committed), report
# bench/results/kernel-vxlan-<date>.md (bench/kernel-vxlan-report.py).
# --quick: 1 round of 2 s windows (the check-bench smoke test).  The
# module must be built (make kmod) and so must the daemons (make).  The
# host's load averages are sampled every 30 s into the report.  Exit
# status: the guest's (0 when every kind was measured in every round;
# figures are never judged), 1 without data.
set -u
. "$(dirname "$0")/host-lib.sh"
vmb_options 20 "$@"
vmb_prepare bench-kernel-vxlan kernel-vxlan
vmb_run 2400 900 bench/kernel-vxlan.sh
vmb_report kernel-vxlan-report.py
