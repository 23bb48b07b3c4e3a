#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# kmod tier: hostile input for vswitch_dp.ko in a QEMU guest
# (tests/kmod/guest/hostile.sh): a generic netlink fuzzer (nlfuzz.py,
# random and mutated valid messages to every family, command and
# attribute, bounded by time), then ip link del of attached devices, del-dp
# and rmmod while ping -f and pktgen flow.  The guest kernel log must stay
# clean.  Ours only: the fuzzer's messages have no expected result to
# compare with openvswitch.ko (the goal is survival, not equal errnos).
. "$(dirname "$0")/host-lib.bash"
KMOD_TIMEOUT=580 kmod_run guest/hostile.sh FUZZ_SECS="${FUZZ_SECS:-150}" \
	${FUZZ_SEED:+FUZZ_SEED=$FUZZ_SEED}
