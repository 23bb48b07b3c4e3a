#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest: flows installed with Debian's ovs-dpctl carry a ping between two
# namespaces on the module selected by DP_MODULE; dump-flows, refusals,
# del-flow, del-flows, and a few actions (set, push/pop vlan, userspace
# upcall loss counting, recirc, clone, check_pkt_len, sample, trunc).
. "$VMRUN_SCRIPT_DIR/lib.sh"

check "module loads" dp_load
ns_pair
ovs-dpctl add-dp dpf
ovs-dpctl add-if dpf p1
ovs-dpctl add-if dpf p2

check_fails "no flow: ping fails" ip netns exec ns1 ping -c 1 -W 1 10.0.0.2
check "misses counted" bash -c 'ovs-dpctl show dpf | grep -q "missed:[1-9]"'
check "lost counted (upcall pid 0)" bash -c 'ovs-dpctl show dpf | grep -q "lost:[1-9]"'

check "add-flow arp 1->2" ovs-dpctl add-flow dpf "in_port(1),eth(),eth_type(0x0806),arp()" 2
check "add-flow arp 2->1" ovs-dpctl add-flow dpf "in_port(2),eth(),eth_type(0x0806),arp()" 1
check "add-flow ip 1->2" ovs-dpctl add-flow dpf "in_port(1),eth(),eth_type(0x0800),ipv4()" 2
check "add-flow ip 2->1" ovs-dpctl add-flow dpf "in_port(2),eth(),eth_type(0x0800),ipv4()" 1
check "ping through the flows" ping_ok 3
dump=$(ovs-dpctl dump-flows dpf 2>&1)
echo "$dump" | sed 's/^/# /'
check "dump-flows shows 4 flows" bash -c '[ "$(grep -c actions: <<<"$1")" = 4 ]' _ "$dump"
check "dump-flows: ip flow counters moved" grep -qE 'in_port\(1\),eth\(\),eth_type\(0x0800\).*packets:[1-9]' <<<"$dump"
check "dump-flows: used set" grep -qE 'eth_type\(0x0800\).*used:[0-9.]+s' <<<"$dump"
check "show: hits counted" bash -c 'ovs-dpctl show dpf | grep -q "hit:[1-9]"'
check "show: flows 4" bash -c 'ovs-dpctl show dpf | grep -q "flows: 4"'
p1=$(ovs-dpctl dump-flows dpf | grep -E 'in_port\(1\),eth\(\),eth_type\(0x0800\)' | grep -oE 'packets:[0-9]+' | cut -d: -f2)
ping_ok 2
p2=$(ovs-dpctl dump-flows dpf | grep -E 'in_port\(1\),eth\(\),eth_type\(0x0800\)' | grep -oE 'packets:[0-9]+' | cut -d: -f2)
check "counters keep moving" test "${p2:-0}" -gt "${p1:-0}"

check_fails "key without eth() refused" ovs-dpctl add-flow dpf "in_port(1)" 2
check "refusal is Invalid argument" bash -c 'ovs-dpctl add-flow dpf "in_port(1)" 2 2>&1 | grep -q "Invalid argument"'
check_fails "duplicate flow refused" ovs-dpctl add-flow dpf "in_port(1),eth(),eth_type(0x0806),arp()" 2
check_fails "ipv4() without eth_type refused" ovs-dpctl add-flow dpf "in_port(1),eth(),ipv4()" 2
check "output to a missing port accepted" ovs-dpctl add-flow dpf "in_port(3),eth(),eth_type(0x0800),ipv4()" 5000
ovs-dpctl del-flow dpf "in_port(3),eth(),eth_type(0x0800),ipv4()" >/dev/null 2>&1
check_fails "ct() refused" ovs-dpctl add-flow dpf "in_port(3),eth(),eth_type(0x0800),ipv4()" "ct(commit)"
# openvswitch.ko accepts it: remove it, or the UFID checks below collide.
ovs-dpctl del-flow dpf "in_port(3),eth(),eth_type(0x0800),ipv4()" >/dev/null 2>&1
check_fails "tunnel key refused" ovs-dpctl add-flow dpf "tunnel(tun_id=0x5,dst=1.1.1.1),in_port(3),eth(),eth_type(0x0800),ipv4()" 2
check "mod-flow" ovs-dpctl mod-flow dpf "in_port(2),eth(),eth_type(0x0800),ipv4()" 1
# A flow installed without a UFID is named by its key (dump shows no
# ufid); one installed with a UFID is found and deleted by it.
U=ufid:6b2f0d1c-50ab-4c3e-9a57-2f0e4c1d9a01
check "add-flow with a ufid" ovs-dpctl add-flow dpf "$U,in_port(4),eth(),eth_type(0x0800),ipv4()" 1
check "dump-flows -m shows the ufid" bash -c 'ovs-dpctl dump-flows -m dpf | grep -qF "$1"' _ "$U"
check "get-flow by ufid" bash -c 'ovs-dpctl get-flow dpf "$1" | grep -qE "in_port\(4\).*actions:1"' _ "$U"
check "del-flow by ufid" ovs-dpctl del-flow dpf "$U"
check_fails "get-flow by a deleted ufid fails" ovs-dpctl get-flow dpf "$U"
check "del-flow" ovs-dpctl del-flow dpf "in_port(1),eth(),eth_type(0x0800),ipv4()"
check "3 flows left" bash -c '[ "$(ovs-dpctl dump-flows dpf | grep -c actions:)" = 3 ]'
check_fails "ping fails without the flow" ip netns exec ns1 ping -c 1 -W 1 10.0.0.2
check "del-flows" ovs-dpctl del-flows dpf
check "no flows left" bash -c '[ -z "$(ovs-dpctl dump-flows dpf)" ]'

# Actions beyond output.
m1=$(mac ns1 v1)
m2=$(mac ns2 v2)
check "exact 5-tuple flows with set(ipv4) and set_masked(eth)" bash -c "
ovs-dpctl add-flow dpf 'in_port(1),eth(),eth_type(0x0806),arp()' 2 &&
ovs-dpctl add-flow dpf 'in_port(2),eth(),eth_type(0x0806),arp()' 1 &&
ovs-dpctl add-flow dpf 'in_port(1),eth(),eth_type(0x0800),ipv4(dst=10.0.0.99)' 'set(ipv4(dst=10.0.0.2)),set(eth(dst=$m2)),2' &&
ovs-dpctl add-flow dpf 'in_port(2),eth(),eth_type(0x0800),ipv4(src=10.0.0.2)' 'set(ipv4(src=10.0.0.99)),1'"
ip -n ns1 neigh replace 10.0.0.99 lladdr "$m2" dev v1
check "ping a rewritten address (NAT by set actions)" bash -c 'for i in 1 2 3; do ip netns exec ns1 ping -c 1 -W 2 10.0.0.99 >/dev/null && exit 0; done; exit 1'
ovs-dpctl del-flows dpf

check "vlan push on 1->2, pop on 2->1 in clone, recirc, check_pkt_len" bash -c "
ovs-dpctl add-flow dpf 'in_port(1),eth(),eth_type(0x0806),arp()' 'push_vlan(vid=10,pcp=0),pop_vlan,2' &&
ovs-dpctl add-flow dpf 'in_port(2),eth(),eth_type(0x0806),arp()' 'clone(1)' &&
ovs-dpctl add-flow dpf 'recirc_id(0),in_port(1),eth(),eth_type(0x0800),ipv4()' 'recirc(7)' &&
ovs-dpctl add-flow dpf 'recirc_id(7),in_port(1),eth(),eth_type(0x0800),ipv4()' 'check_pkt_len(size=200,gt(drop),le(2))' &&
ovs-dpctl add-flow dpf 'in_port(2),eth(),eth_type(0x0800),ipv4()' 'sample(sample=100%,actions(1))'"
check "small ping passes (le branch)" ping_ok 2
check_fails "big ping dropped (gt branch)" ip netns exec ns1 ping -c 1 -W 1 -s 500 10.0.0.2
check "recirculated flow counted" bash -c 'ovs-dpctl dump-flows dpf | grep -E "recirc_id\(0x7\)|recirc_id\(7\)" | grep -q "packets:[1-9]"'
ovs-dpctl del-flows dpf
check_fails "userspace(pid=0) refused" ovs-dpctl add-flow dpf 'in_port(1),eth(),eth_type(0x0800),ipv4()' 'userspace(pid=0),2'
# A PID no socket holds: the upcall fails and is counted lost.
check "userspace action to nobody counts lost" bash -c "
ovs-dpctl add-flow dpf 'in_port(1),eth(),eth_type(0x0800),ipv4()' 'userspace(pid=4242),2' &&
before=\$(ovs-dpctl show dpf | grep -o 'lost:[0-9]*' | cut -d: -f2);
ip netns exec ns1 ping -c 1 -W 1 10.0.0.2 >/dev/null;
after=\$(ovs-dpctl show dpf | grep -o 'lost:[0-9]*' | cut -d: -f2);
[ \$after -gt \$before ]"
ovs-dpctl del-flows dpf
check "many flows (masks, rehash) and flush" bash -c '
for i in $(seq 1 300); do echo "add in_port(1),eth(),eth_type(0x0800),ipv4(src=10.1.$((i / 256)).$((i % 256)),proto=$((i % 3 + 2))) 2"; done > /tmp/f.txt
ovs-dpctl add-flows dpf /tmp/f.txt && [ "$(ovs-dpctl dump-flows dpf | grep -c actions:)" = 300 ] && ovs-dpctl del-flows dpf'
# The IP protocol and fragment type are not writable, nor IPv6 label bits
# above the low 20: a set_masked() that masks them, a set() that changes
# them, a set_masked() whose value has bits outside its mask, or a
# set(ipv4) on an IPv6 flow is refused (raw netlink, so the exact attribute
# is what setprobe.py says; exec-* go through OVS_PACKET_CMD_EXECUTE).
for c in ipv4-mask-src ipv4-mask-proto ipv4-mask-frag \
	ipv4-mask-value-outside ipv4-set-same ipv4-set-proto ipv4-set-frag \
	ipv6-mask-src ipv6-mask-label ipv6-mask-proto ipv6-mask-frag \
	ipv6-mask-label-high ipv6-set-proto ipv6-set-label-high \
	ipv4-set-on-ipv6 exec-ipv4-set-same exec-ipv4-set-proto \
	exec-ipv4-mask-proto; do
	check "set probe $c" python3 "$VMRUN_SCRIPT_DIR/setprobe.py" dpf "$c"
done
check "set probe refusal carries an extack message" \
	python3 "$VMRUN_SCRIPT_DIR/setprobe.py" dpf ipv4-mask-proto --extack
check "del-dp with flows" bash -c "ovs-dpctl add-flow dpf 'in_port(1),eth(),eth_type(0x0806),arp()' 2 && ovs-dpctl del-dp dpf"
ns_pair_del
check "module unloads" dp_unload
tap_done
