#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 180
#
# Tunnel fields in OpenFlow, driven by Debian's ovs-ofctl against our
# vswitchd and, side by side, against Debian's real ovs-vswitchd (a private
# ovsdb-server and ovs-vswitchd with a netdev bridge and two dummy ports):
# the same add-flow commands with tun_id/tun_src/tun_dst matches (masked
# too) and set_field/set_tunnel/set_tunnel64/load actions, in -O OpenFlow13
# (matches and actions) and OpenFlow 1.0 (actions; a tunnel match goes
# out in Nicira's NXM flow format, which both switches take).  dump-flows --no-stats must print the
# same lines for both switches in both versions; del-flows with a tun_id
# match deletes only those flows; what the switch cannot do gets the
# OpenFlow error (a Nicira action we lack: OFPBAC_BAD_EXPERIMENTER_TYPE /
# OFPBAC_BAD_VENDOR_TYPE; a partial load: OFPBAC_BAD_ARGUMENT).
# Prints TAP.
. "$(dirname "$0")/../lib.sh"
. "$SRCDIR/tests/vswitchd-lib.sh"
require_root
require ovs-ofctl ovs-vswitchd ovsdb-server ovsdb-tool ovs-vsctl
# Debian's ovs-vswitchd, everything under $TMPD/ovs.
start_ovs_vswitchd br0

# Ours.
start_vswitchd
P=tf$T
BR=${P}b
add_bridge "$BR" "$P" 0 -- set-fail-mode "$BR" secure ||
    fail "add-br $BR"
OURS=unix:$VSWITCH_RUNDIR/$BR.mgmt
wait_for 10 ovs-ofctl show "$OURS" > /dev/null || fail "no $BR.mgmt"

ofctl() { timeout 20 ovs-ofctl "$@"; }
# [OPTS=...] both VERSION COMMAND ARGS...: "ovs-ofctl -O VERSION OPTS
# COMMAND TARGET ARGS..." succeeds against both switches.
both() {
    local v=$1 cmd=$2
    shift 2
    if ! ofctl -O "$v" ${OPTS:-} "$cmd" "$REAL" "$@" > "$TMPD/o" 2>&1; then
        sed 's/^/#   ovs-vswitchd: /' "$TMPD/o" | head -5
        return 1
    fi
    if ! ofctl -O "$v" ${OPTS:-} "$cmd" "$OURS" "$@" > "$TMPD/o" 2>&1; then
        sed 's/^/#   vswitchd: /' "$TMPD/o" | head -5
        return 1
    fi
}
# (ovs-vswitchd flags a flow added by a 1.0 FLOW_MOD reset_counts, ours
# does not: a difference of flow flags, not of tunnel fields.)
dumps() {
    ofctl -O "$1" --no-stats dump-flows "$2" "${@:3}" |
        sed 's/ reset_counts / /' | sort
}
# same_dump NAME VERSION [FLOW]: dump-flows --no-stats prints the same
# lines (sorted) for both switches.
same_dump() {
    local name=$1 v=$2
    shift 2
    if diff <(dumps "$v" "$REAL" "$@") <(dumps "$v" "$OURS" "$@") \
        > "$TMPD/diff" 2>&1; then
        pass "$name"
    else
        flunk "$name"
        sed 's/^/#   /' "$TMPD/diff" | head -20
    fi
}

log "OpenFlow 1.3: tunnel matches and actions"
flows13=(
    "priority=10,tun_id=0x1388,actions=output:1"
    "priority=11,tun_id=0x50/0xf0,tun_src=192.0.2.1,actions=set_field:192.0.2.9->tun_dst,set_field:99->tun_id,output:2"
    "priority=12,tun_dst=192.0.2.0/24,actions=set_tunnel:5000,output:1"
    "priority=13,tunnel_id=7,tun_src=198.51.100.0/255.255.255.128,actions=set_field:10.0.0.1->tun_src,output:2"
    "priority=14,in_port=1,actions=set_tunnel64:0x123456789,output:2"
    "priority=15,in_port=2,actions=load:0x63->NXM_NX_TUN_ID[],load:0xc0000209->NXM_NX_TUN_IPV4_DST[],output:1"
    "priority=16,ip,tun_id=0x1388,nw_dst=10.0.0.1,actions=set_field:5->tun_id,set_field:10.0.0.2->ip_dst,output:1"
)
for f in "${flows13[@]}"; do
    check "OF1.3 add-flow $f" both OpenFlow13 add-flow "$f"
done
same_dump "OF1.3 dump-flows: same as ovs-vswitchd" OpenFlow13
same_dump "OF1.3 dump-flows tun_id=0x1388: same" OpenFlow13 "tun_id=0x1388"
expect "OF1.3: the tun_id=0x1388 filter selects two flows" 2 \
    bash -c "ovs-ofctl -O OpenFlow13 --no-stats dump-flows '$OURS' tun_id=0x1388 | grep -c priority="
same_dump "OF1.0 dump-flows: the actions read back the same" OpenFlow10 \
    in_port=1

log "vswitch-ofctl"
vof() { timeout 20 "$OFCTL" "$@"; }
# (vswitch-ofctl prints OFPST_FLOW where ovs-ofctl says NXST_FLOW in 1.0;
# in 1.3 the lines are the same.)
check "vswitch-ofctl dump-flows (1.3) prints what ovs-ofctl prints" \
    diff <(dumps OpenFlow13 "$OURS") \
    <(vof -O OpenFlow13 --no-stats dump-flows "$OURS" | sort)
check "vswitch-ofctl OF1.3 add-flow with tunnel fields" vof -O OpenFlow13 \
    add-flow "$OURS" "priority=17,tun_dst=192.0.2.7,actions=set_tunnel:9,set_field:192.0.2.8->tun_dst,output:1"
expect "ovs-ofctl reads it back" 1 bash -c "ovs-ofctl -O OpenFlow13 --no-stats dump-flows '$OURS' | grep -c 'priority=17,tun_dst=192.0.2.7 actions=set_field:0x9->tun_id,set_field:192.0.2.8->tun_dst,output:1'"
expect "vswitch-ofctl OF1.0 refuses a tunnel match (exit 1)" 1 \
    bash -c '"$1" -O OpenFlow10 add-flow "$2" "priority=18,tun_id=5,actions=drop" 2> /dev/null; echo $?' _ "$OFCTL" "$OURS"
expect "and sends nothing" 0 \
    bash -c "ovs-ofctl -O OpenFlow13 --no-stats dump-flows '$OURS' | grep -c priority=18"
check "ovs-vswitchd gets the same flow" ofctl -O OpenFlow13 add-flow "$REAL" \
    "priority=17,tun_dst=192.0.2.7,actions=set_tunnel:9,set_field:192.0.2.8->tun_dst,output:1"

log "OpenFlow 1.3: del-flows with a tun_id match"
check "del-flows tun_id=0x1388 on both" both OpenFlow13 del-flows tun_id=0x1388
same_dump "after del-flows: same as ovs-vswitchd" OpenFlow13
expect "after del-flows: six flows left" 6 \
    bash -c "ovs-ofctl -O OpenFlow13 --no-stats dump-flows '$OURS' | grep -c priority="
expect "no tun_id=0x1388 flow left" 0 \
    bash -c "ovs-ofctl -O OpenFlow13 --no-stats dump-flows '$OURS' | grep -c tun_id=0x1388"
strict_both() { OPTS=--strict both "$@"; }
check "del-flows --strict with a masked tun_id" strict_both OpenFlow13 \
    del-flows "priority=11,tun_id=0x50/0xf0,tun_src=192.0.2.1"
expect "the strict delete took one flow" 5 \
    bash -c "ovs-ofctl -O OpenFlow13 --no-stats dump-flows '$OURS' | grep -c priority="
same_dump "after the strict delete: same" OpenFlow13
check "del-flows all" both OpenFlow13 del-flows

log "OpenFlow 1.0: tunnel actions (Nicira set_tunnel, set_tunnel64, reg_load)"
flows10=(
    "priority=20,in_port=1,actions=set_tunnel:5000,output:2"
    "priority=21,in_port=2,actions=set_tunnel:7,load:0xc0000209->NXM_NX_TUN_IPV4_DST[],load:0xc0000201->NXM_NX_TUN_IPV4_SRC[],output:1"
    "priority=22,dl_type=0x0800,actions=set_tunnel64:0x1,load:0x2->NXM_NX_TUN_ID[],output:1"
    "priority=23,in_port=1,dl_type=0x0800,actions=set_tunnel:0x123456789,mod_nw_dst:10.0.0.9,output:2"
)
for f in "${flows10[@]}"; do
    check "OF1.0 add-flow $f" both OpenFlow10 add-flow "$f"
done
expect "four 1.0 flows" 4 \
    bash -c "ovs-ofctl --no-stats dump-flows '$OURS' | grep -c priority=2"
same_dump "OF1.0 dump-flows: same as ovs-vswitchd" OpenFlow10
same_dump "OF1.3 dump-flows of the 1.0 flows: same" OpenFlow13

log "OpenFlow 1.0: a tunnel match or set_field needs NXM"
# ovs-ofctl sends these only as NXT_FLOW_MOD (after NXT_SET_FLOW_FORMAT
# nxm); both switches take them and dump them alike (ofctl-nxm.sh has the
# rest of NXM).
for f in "priority=30,tun_id=5,actions=output:1" \
    "priority=31,tun_src=192.0.2.1,actions=output:1" \
    "priority=32,actions=set_field:192.0.2.9->tun_dst,output:1"; do
    check "OF1.0 $f (NXT_FLOW_MOD)" both OpenFlow10 add-flow "$f"
done
expect "three flows added" 3 \
    bash -c "ovs-ofctl -O OpenFlow13 --no-stats dump-flows '$OURS' | grep -c priority=3"
same_dump "OF1.0 dump-flows (NXST_FLOW) with the NXM flows: same" OpenFlow10
same_dump "OF1.0 dump-flows tun_id=5 (an NXM filter): same" OpenFlow10 \
    tun_id=5
strict10() { OPTS=--strict both OpenFlow10 del-flows "$@"; }
check "--strict del-flows priority=30,tun_id=5" strict10 "priority=30,tun_id=5"
check "--strict del-flows priority=31,tun_src=192.0.2.1" strict10 \
    "priority=31,tun_src=192.0.2.1"
check "--strict del-flows priority=32" strict10 "priority=32"
expect "and --strict del-flows took them" 0 \
    bash -c "ovs-ofctl -O OpenFlow13 --no-stats dump-flows '$OURS' | grep -c priority=3"

log "errors"
# expect_error NAME VERSION ERROR FLOW: add-flow fails on our switch with
# ERROR printed, and adds nothing.
expect_error() {
    local name=$1 v=$2 err=$3 flow=$4
    if ofctl -O "$v" add-flow "$OURS" "$flow" > "$TMPD/o" 2>&1; then
        flunk "$name (accepted)"
    elif grep -q -- "$err" "$TMPD/o"; then
        pass "$name"
    else
        flunk "$name"
        sed 's/^/#   /' "$TMPD/o" | head -10
    fi
}
# (ovs-ofctl names type 2 code 3 OFPBAC_BAD_VENDOR_TYPE in every version;
# 1.3 calls it BAD_EXPERIMENTER_TYPE.)
expect_error "OF1.3 resubmit: BAD_EXPERIMENTER_TYPE" OpenFlow13 \
    OFPBAC_BAD_VENDOR_TYPE "priority=40,actions=resubmit:2"
expect_error "OF1.0 resubmit: BAD_VENDOR_TYPE" OpenFlow10 \
    OFPBAC_BAD_VENDOR_TYPE "priority=40,actions=resubmit:2"
expect_error "OF1.3 load of part of tun_id: BAD_ARGUMENT" OpenFlow13 \
    OFPBAC_BAD_ARGUMENT "priority=40,actions=load:0x1->NXM_NX_TUN_ID[0..15]"
expect_error "OF1.3 masked set_field of tun_dst: BAD_ARGUMENT" OpenFlow13 \
    OFPBAC_BAD_ARGUMENT "priority=40,actions=set_field:192.0.2.0/255.255.255.0->tun_dst"
expect "no priority=40 flow" 0 \
    bash -c "ovs-ofctl -O OpenFlow13 --no-stats dump-flows '$OURS' | grep -c priority=40"
