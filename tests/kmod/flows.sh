#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 620
# kmod tier: flows installed with ovs-dpctl carry a ping through vswitch_dp.ko
# (set, vlan, clone, recirc, check_pkt_len, sample, userspace actions, dump,
# del, flush), then the same script against openvswitch.ko in the same boot:
# every check must give the same result on both, except the documented
# known differences below (tests/kmod/guest/flows.sh, guest/both.sh):
#  - we refuse ipv4() under a non-IPv4 eth_type; stock accepts what dpctl sends
#  - stock refuses an exact IP protocol without its L4 attribute; we accept
#  - we have no conntrack: ct() is refused
#  - stock keeps a wildcarded flow that `ovs-dpctl del-flow KEY` names
#    (observed; we delete the flow the key classifies to)
#  - stock refuses a set() of a non-writable IP field without an extack
#    message (it logs one); we send it as extack
. "$(dirname "$0")/host-lib.bash"
KMOD_TIMEOUT=590 kmod_run guest/both.sh flows.sh \
	"ipv4() without eth_type refused" \
	"many flows (masks, rehash) and flush" \
	"ct() refused" \
	"3 flows left" \
	"ping fails without the flow" \
	"set probe refusal carries an extack message"
