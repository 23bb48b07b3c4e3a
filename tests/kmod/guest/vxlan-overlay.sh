#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest: tests/system/vxlan-overlay.sh (three hypervisors, each a
# namespace running ovsdb-lite + vswitchd, full-mesh VXLAN, a migration,
# flow-based tunnels driven by OpenFlow) on the kernel datapath, through
# guest/slow-path.sh's runner, on the module DP_MODULE selects.
export SLOW_PATH_SCRIPTS=system/vxlan-overlay.sh SLOW_PATH_TIMEOUT=700
exec bash "$VMRUN_SCRIPT_DIR/slow-path.sh" "$@"
