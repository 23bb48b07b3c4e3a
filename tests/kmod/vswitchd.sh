#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# kmod tier: Debian's ovsdb-server + ovs-vswitchd run a bridge on the
# `system` datapath of vswitch_dp.ko (two namespace ports under NORMAL:
# ping, iperf3, megaflows in dump-flows, VLAN access ports isolated, no
# datapath warning in ovs-vswitchd.log), then the same script against
# openvswitch.ko in the same boot (tests/kmod/guest/vswitchd.sh via
# guest/both.sh).  Known differences with openvswitch.ko: none.
. "$(dirname "$0")/host-lib.bash"
KMOD_TIMEOUT=580 kmod_run guest/both.sh vswitchd.sh
