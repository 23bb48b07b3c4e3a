#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest: Debian's ovs-dpctl drives datapaths and ports on the module
# selected by DP_MODULE (see lib.sh).  Prints TAP.
. "$VMRUN_SCRIPT_DIR/lib.sh"

check "module loads" dp_load
check "families registered" bash -c 'for f in ovs_datapath ovs_vport ovs_flow ovs_packet; do genl ctrl get name $f >/dev/null || exit 1; done'
ns_pair
check "add-dp" ovs-dpctl add-dp dpt
check "local port dpt exists" ip link show dpt
check "add-dp of an existing name fails" bash -c '! ovs-dpctl add-dp dpt'
check "dump-dps lists it" bash -c 'ovs-dpctl dump-dps | grep -qx "system@dpt"'
check "add-if netdev" ovs-dpctl add-if dpt p1
check "add-if netdev 2" ovs-dpctl add-if dpt p2
check "add-if internal" ovs-dpctl add-if dpt int0,type=internal
check "add-if missing device fails" bash -c '! ovs-dpctl add-if dpt nosuchdev'
check "add-if twice fails" bash -c '! ovs-dpctl add-if dpt p1'
check "p1 enslaved to dpt" bash -c 'ip -d link show p1 | grep -q "master dpt"'
show=$(ovs-dpctl show dpt 2>&1)
echo "$show" | sed 's/^/# /'
check "show: port 0 local" grep -q "port 0: dpt (internal)" <<<"$show"
check "show: port 1 p1" grep -q "port 1: p1$" <<<"$show"
check "show: port 2 p2" grep -q "port 2: p2$" <<<"$show"
check "show: port 3 int0 internal" grep -q "port 3: int0 (internal)" <<<"$show"
check "show: lookups line" grep -q "lookups: hit:0 missed:0 lost:0" <<<"$show"
check "show: flows 0" grep -q "flows: 0" <<<"$show"
check "del-if" ovs-dpctl del-if dpt p2
check "p2 no longer enslaved" bash -c '! ip -d link show p2 | grep -q "master"'
check "show after del-if" bash -c '! ovs-dpctl show dpt | grep -q "p2"'
check "del-if internal removes device" bash -c 'ovs-dpctl del-if dpt int0 && ! ip link show int0 2>/dev/null'
# a port's device disappears under the datapath
ip link del p1
check "deleted device leaves the datapath" bash -c '! ovs-dpctl show dpt | grep -q " p1"'
check "second datapath" ovs-dpctl add-dp dpu
check "dump-dps lists both" bash -c '[ "$(ovs-dpctl dump-dps | sort | tr "\n" " ")" = "system@dpt system@dpu " ]'
check "del-dp" ovs-dpctl del-dp dpt
check "del-dp removes local port" bash -c '! ip link show dpt 2>/dev/null'
check "del-dp 2" ovs-dpctl del-dp dpu
check "del-dp of a missing datapath fails" bash -c '! ovs-dpctl del-dp dpt'
# netns: a datapath in a namespace dies with it
ip netns add nsdp
check "add-dp in a netns" ip netns exec nsdp ovs-dpctl add-dp dpns
check "not visible from init_net" bash -c '! ovs-dpctl dump-dps | grep -q dpns'
ip netns del nsdp
sleep 1
ns_pair_del
check "module unloads" dp_unload
tap_done
