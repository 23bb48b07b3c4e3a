#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest: hostile input for vswitch_dp.ko.  A netlink fuzzer (nlfuzz.py:
# random and mutated valid messages to every family and command), then
# removal of an attached device, of the datapath and of the module itself
# while ping -f and pktgen push traffic through it; after each, the kernel
# log must stay clean (no BUG/WARNING/Oops/KASAN/lockdep).  Prints TAP.
#   hostile.sh [FUZZ_SECS=S] [FUZZ_ITER=N] [FUZZ_SEED=X]
. "$VMRUN_SCRIPT_DIR/lib.sh"

flows_12() {
	local dp=$1
	ovs-dpctl add-flow "$dp" "in_port(1),eth(),eth_type(0x0806),arp()" 2 &&
	ovs-dpctl add-flow "$dp" "in_port(2),eth(),eth_type(0x0806),arp()" 1 &&
	ovs-dpctl add-flow "$dp" "in_port(1),eth(),eth_type(0x0800),ipv4()" 2 &&
	ovs-dpctl add-flow "$dp" "in_port(2),eth(),eth_type(0x0800),ipv4()" 1
}

# pair2: (re)create ns2's veth v2 with its peer p2 in the root namespace.
pair2() {
	ip link add name p2 type veth peer name v2 netns ns2 &&
	ip -n ns2 addr add 10.0.0.2/24 dev v2 &&
	ip -n ns2 link set v2 up &&
	ip link set p2 up
}

check "module loads" dp_load
ns_pair
ovs-dpctl add-dp fz && ovs-dpctl add-if fz p1 && ovs-dpctl add-if fz p2
seed=${FUZZ_SEED:-$(date +%s)}
fuzz() {
	python3 "$VMRUN_SCRIPT_DIR/nlfuzz.py" --seconds "${FUZZ_SECS:-150}" \
		--iterations "${FUZZ_ITER:-60000}" --seed "$seed" fz p1 p2 >/tmp/nlfuzz.out 2>&1
	local rc=$?
	cat /tmp/nlfuzz.out
	return $rc
}
echo "# nlfuzz seed $seed (FUZZ_SEED=$seed repeats this run)"
check "netlink fuzzer: module survives and still answers" fuzz
tail -n 1 /tmp/nlfuzz.out | sed 's/^/# /'
check "fuzzer sent at least 2000 messages" bash -c '[ "$(tail -n 1 /tmp/nlfuzz.out | cut -d" " -f2)" -ge 2000 ]'
check "dmesg clean after fuzzing" dmesg_clean
ovs-dpctl del-dp fz 2>/dev/null
check "no datapath left behind after fuzzing" bash -c '[ -z "$(ovs-dpctl dump-dps)" ]'
ovs-dpctl dump-dps | sed 's/^/# left: /'
for d in $(ovs-dpctl dump-dps); do ovs-dpctl del-dp "$d"; done

# Device removal while traffic flows.
ovs-dpctl add-dp dpr && ovs-dpctl add-if dpr p1 && ovs-dpctl add-if dpr p2
flows_12 dpr
check "ping through dpr" ping_ok 2
ip netns exec ns1 timeout 8 ping -f -q 10.0.0.2 >/dev/null 2>&1 &
fpid=$!
sleep 3
check "ip link del of an attached veth during ping -f" ip link del p2
check "the port left the datapath" bash -c '! ovs-dpctl show dpr | grep -q "p2"'
wait $fpid
check "re-attach a new p2 as port 2 and ping again" bash -c "
$(declare -f pair2); pair2 && ovs-dpctl add-if dpr p2,port_no=2"
# The new v2 has a new MAC: forget the old one.
ip -n ns1 neigh flush all
check "ping after re-attach" ping_ok 2
# openvswitch.ko refuses to delete an internal port's device through rtnl
# (no dellink) and so do we: whichever way, it must go away cleanly.
check "ip link del of an internal port, then del-if" bash -c '
ovs-dpctl add-if dpr int0,type=internal && ip link set int0 up &&
{ ip link del int0 2>/dev/null; ovs-dpctl del-if dpr int0 2>/dev/null; true; } &&
! ovs-dpctl show dpr | grep -q int0 && ! ip link show int0 2>/dev/null'
check "dmesg clean after device removal" dmesg_clean

# Datapath deletion, then module removal, with ping -f and pktgen running.
ip link add name gen0 type veth peer name p3
ip link set gen0 up
ip link set p3 up
ovs-dpctl add-if dpr p3,port_no=3
ovs-dpctl add-flow dpr "in_port(3),eth(),eth_type(0x0800),ipv4()" 2
pktgen_start gen0 "$(mac ns2 v2)" src_min 10.1.0.1 src_max 10.1.255.254 flag IPSRC_RND
ip netns exec ns1 timeout 10 ping -f -q 10.0.0.2 >/dev/null 2>&1 &
fpid=$!
sleep 3
check "pktgen traffic reaches ns2 through dpr" bash -c '
a=$(ip -n ns2 -s -j link show v2 | python3 -c "import json,sys; print(json.load(sys.stdin)[0][\"stats64\"][\"rx\"][\"packets\"])")
sleep 1
b=$(ip -n ns2 -s -j link show v2 | python3 -c "import json,sys; print(json.load(sys.stdin)[0][\"stats64\"][\"rx\"][\"packets\"])")
[ "$b" -gt "$a" ]'
check "del-dp during traffic" ovs-dpctl del-dp dpr
check "p1 released" bash -c '! ip -d link show p1 | grep -q master'
ovs-dpctl add-dp dpm && ovs-dpctl add-if dpm p1 && ovs-dpctl add-if dpm p2 &&
	ovs-dpctl add-if dpm p3 && flows_12 dpm &&
	ovs-dpctl add-flow dpm "in_port(3),eth(),eth_type(0x0800),ipv4()" 2
sleep 2
check "rmmod with a datapath, during ping -f and pktgen" dp_unload
check "the datapath device went with the module" bash -c '! ip link show dpm 2>/dev/null'
check "p1, p2, p3 released" bash -c '! ip -d link show | grep -q "master dpm"'
wait $fpid
pktgen_stop
check "module loads again" dp_load
check "and works" bash -c "ovs-dpctl add-dp dpz && ovs-dpctl add-if dpz p1 && ovs-dpctl add-if dpz p2 && $(declare -f flows_12); flows_12 dpz"
check "ping through dpz" ping_ok 2
ovs-dpctl del-dp dpz
ip link del gen0 2>/dev/null
ns_pair_del
check "module unloads" dp_unload
tap_done
