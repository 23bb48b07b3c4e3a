#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 720
# kmod tier: ovsdb-lite + OUR vswitchd run a bridge on the `system`
# datapath, first of vswitch_dp.ko, then (same boot) of openvswitch.ko,
# same checks, same expectations (tests/kmod/guest/vswitchd-ours.sh via
# guest/both.sh): module probing in the database, NORMAL ping and learning,
# an OpenFlow 1.3 ACL from ovs-ofctl, revalidation of an established ping
# after a rule change, kill -9 during a ping and an iperf3 (headless
# forwarding, then adoption of the megaflows by the restarted daemon), and
# a tap port held by a process that plays the VM, an orderly SIGTERM,
# and other_config:flow-restore-wait across a restart of a secure bridge
# (without it the empty table drops the established ping; with it the
# megaflows are held until the rules are restored).  Known differences with
# openvswitch.ko: none.
. "$(dirname "$0")/host-lib.bash"
KMOD_TIMEOUT=660 kmod_run guest/both.sh vswitchd-ours.sh
