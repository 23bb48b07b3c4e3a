#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Our flow codec against Debian's ovs-ofctl, both ways:
#   * a flow in ovs-ofctl syntax, parsed and encoded by us, must decode in
#     ovs-ofctl to exactly what ovs-ofctl makes of the same text itself
#     (parse-flow), in OpenFlow 1.0 and 1.3;
#   * our printing of our encoding must equal ovs-ofctl's printing of it
#     (match and actions), and dump-flows lines (flow stats replies) must be
#     identical;
#   * every sample message of our encoders (ofp-samples) must decode in
#     ovs-ofctl ofp-print without a warning or decode error.
# timeout: 120
. "$(dirname "$0")/../lib.sh"
require ovs-ofctl

TOOL=$BUILD/tests/helpers/ofp-flow-tool
SAMPLES=$BUILD/tests/helpers/ofp-samples
n=0
check() { local what=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; fi; }

common=(
    "priority=100,tcp,nw_dst=10.0.0.0/24,tp_dst=80,actions=output:2,NORMAL,CONTROLLER:65535,mod_vlan_vid:10,strip_vlan"
    "in_port=1,ip,dl_src=00:11:22:33:44:55,dl_vlan=5,actions=mod_dl_dst:00:00:00:00:00:01,mod_nw_tos:8,LOCAL,IN_PORT,FLOOD,ALL"
    "udp,nw_src=1.2.3.4,tp_src=53,actions=mod_tp_dst:99,mod_nw_src:5.6.7.8,output:4"
    "priority=0,actions=CONTROLLER:128"
    "arp,arp_op=1,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/8,actions=drop"
    "icmp,icmp_type=8,icmp_code=0,nw_tos=4,actions=output:1,TABLE"
    "cookie=0x42,idle_timeout=10,hard_timeout=20,send_flow_rem,dl_type=0x88cc,actions=drop"
    "dl_vlan_pcp=3,actions=mod_vlan_pcp:1,output:7"
    "vlan_tci=0x0000,dl_dst=ff:ff:ff:ff:ff:ff,actions=FLOOD"
)
flows10=(
    "${common[@]}"
    "udp,nw_src=1.2.3.4,tp_src=53,actions=enqueue:3:4,enqueue:LOCAL:1"
    "in_port=1,actions=mod_nw_tos:8,mod_tp_src:1,mod_nw_dst:1.2.3.4"
)
flows13=(
    "${common[@]}"
    "table=1,priority=100,tcp,nw_dst=10.0.0.0/24,tp_dst=80,actions=set_field:2->ip_dscp,goto_table:2"
    "table=2,ip,dl_vlan=5,actions=set_field:4098->vlan_vid,set_field:3->vlan_pcp,push_vlan:0x8100,pop_vlan,set_queue:3,group:5,dec_ttl,mod_nw_ttl:9,output:3,CONTROLLER:128,clear_actions,write_actions(output:5),write_metadata:0x5/0xff,goto_table:3"
    "ipv6,ipv6_src=2001:db8::/32,ipv6_dst=fe80::1,ipv6_label=0x12345,actions=set_field:::1->ipv6_dst,output:1"
    "icmp6,icmp_type=135,nd_target=fe80::1,nd_sll=00:01:02:03:04:05,actions=set_field:fe80::2->nd_target,output:1"
    "icmp6,icmp_type=136,nd_tll=00:01:02:03:04:06,actions=output:1"
    "tun_id=0x5/0xff,metadata=0x6,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=set_field:0x7->tun_id,set_field:0x8->metadata"
    "reset_counts,arp,arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:07,actions=set_field:2->arp_op,set_field:1.1.1.1->arp_spa,output:3"
    "sctp,nw_ecn=1,tp_src=5,actions=set_field:7->sctp_dst,set_field:1->ip_ecn,output:4"
    "udp6,tp_dst=546,actions=set_field:547->udp_dst,set_field:00:00:00:00:00:09->eth_src"
    "in_port=LOCAL,metadata=0x10/0xf0,actions=group:1"
)

# same_as_ovs VERSION FLOW: our encoding decodes as ovs-ofctl's own.
same_as_ovs() {
    local v=$1 flow=$2 opt hex
    [ "$v" = 4 ] && opt="-O OpenFlow13" || opt="-O OpenFlow10"
    hex=$("$TOOL" encode "$v" add "$flow") || return 1
    ovs-ofctl ofp-print "$hex" > "$TMPD/ours" 2>&1
    ovs-ofctl $opt parse-flow "$flow" 2>&1 | tail -1 > "$TMPD/theirs"
    diff "$TMPD/theirs" "$TMPD/ours" >&2
}

# prints_as_ovs VERSION FLOW: our text of our encoding is ovs-ofctl's text
# of it (the match and the actions).
prints_as_ovs() {
    local v=$1 flow=$2 hex ours theirs
    hex=$("$TOOL" encode "$v" add "$flow") || return 1
    ours=$("$TOOL" print "$hex")
    theirs=$(ovs-ofctl ofp-print "$hex" 2>&1 | head -1)
    # "add [table:N ][priority=..,]MATCH actions=..." vs OVS's "ADD ...".
    local om oa tm ta
    om=$(sed -E 's/^add (table:[0-9]+ )?//; s/ actions=.*//' <<< "$ours")
    oa=$(sed -E 's/.* actions=//' <<< "$ours")
    tm=$(sed -E 's/^.*: ADD (table:[0-9]+ )?//; s/ .*//' <<< "$theirs")
    ta=$(sed -E 's/.* actions=//' <<< "$theirs")
    [ "$om" = "$tm" ] && [ "$oa" = "$ta" ] || { echo "ours:   $ours" >&2; echo "theirs: $theirs" >&2; return 1; }
}

for f in "${flows10[@]}"; do
    check "OF1.0 encoding: $f" same_as_ovs 1 "$f"
    check "OF1.0 text: $f" prints_as_ovs 1 "$f"
done
for f in "${flows13[@]}"; do
    check "OF1.3 encoding: $f" same_as_ovs 4 "$f"
    check "OF1.3 text: $f" prints_as_ovs 4 "$f"
done

# dump-flows lines: a flow stats reply printed by both.
for v in 1 4; do
    if [ "$v" = 1 ]; then set -- "${flows10[@]}"; else set -- "${flows13[@]}"; fi
    "$TOOL" stats "$v" "$@" > "$TMPD/stats.hex"
    check "OF$v dump-flows lines as ovs-ofctl prints them" bash -c '
        while read -r h; do
            diff <("'"$TOOL"'" print "$h") <(ovs-ofctl ofp-print "$h" | tail -n +2) >&2 || exit 1
        done < "'"$TMPD"'/stats.hex"'
done

# Every sample message decodes cleanly.
"$SAMPLES" > "$TMPD/samples"
check "samples produced" test -s "$TMPD/samples"
while read -r name hex; do
    out=$(ovs-ofctl ofp-print "$hex" 2>&1)
    check "ovs-ofctl decodes $name ($(head -1 <<< "$out" | cut -c1-50))" \
        bash -c '! grep -qiE "decode error|warn|malformed|incorrect length|\*\*\*" <<< "$1"' _ "$out"
done < "$TMPD/samples"
echo "1..$n"
