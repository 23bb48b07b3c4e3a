#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest: tests/system/vxlan-ipv6.sh (two hypervisors, each a namespace
# running ovsdb-lite + vswitchd, and a Linux VTEP, over an IPv6 underlay)
# on the kernel datapath, through guest/slow-path.sh's runner, on the
# module DP_MODULE selects.
export SLOW_PATH_SCRIPTS=system/vxlan-ipv6.sh SLOW_PATH_TIMEOUT=700
exec bash "$VMRUN_SCRIPT_DIR/slow-path.sh" "$@"
