#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
# kmod tier: the `system` dpif provider (lib/dpif-netlink.c) on
# vswitch_dp.ko, then on openvswitch.ko in the same boot: vswitch-dpctl
# drives the kernel directly (datapaths, ports, flows by key and UFID, with
# ovs-dpctl as the oracle) and tests/helpers/dpif-upcall proves the upcall
# path through dpif.h (per-CPU and per-vport dispatch).  Every check must
# give the same result on both modules (guest/dpif-netlink.sh,
# guest/both.sh).  About 2m45s on an idle 2-CPU host (3m40s at load 7);
# the timeout leaves room for a busier one.
. "$(dirname "$0")/host-lib.bash"
KMOD_TIMEOUT=400 kmod_run guest/both.sh dpif-netlink.sh
