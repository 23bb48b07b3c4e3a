#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# kmod tier: the `system` dpif provider (lib/dpif-netlink.c) on
# vswitch_dp.ko, then on openvswitch.ko in the same boot: vswitch-dpctl
# drives the kernel directly (datapaths, ports, flows by key and UFID, with
# ovs-dpctl as the oracle) and tests/helpers/dpif-upcall proves the upcall
# path through dpif.h (per-CPU and per-vport dispatch).  Every check must
# give the same result on both modules (guest/dpif-netlink.sh,
# guest/both.sh).  About 2.5 minutes on an idle 2-CPU host; the timeout
# leaves room for a loaded one.
. "$(dirname "$0")/host-lib.bash"
KMOD_TIMEOUT=280 kmod_run guest/both.sh dpif-netlink.sh
