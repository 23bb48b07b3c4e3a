#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Golden check with an independent decoder: every sample message of our
# encoders (ofp-samples: flow mods, stats, packet-in/out, flow-removed,
# groups, port/table mods, role, async, errors; OpenFlow 1.0 and 1.3) is
# written to a pcap as TCP/6653 frames on loopback (text2pcap) and decoded
# by tshark's OpenFlow dissector, which must find every message, with its
# type and length, and nothing malformed.
# timeout: 120
. "$(dirname "$0")/../lib.sh"
require tshark text2pcap

SAMPLES=$BUILD/tests/helpers/ofp-samples
n=0
check() { local what=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; fi; }

"$SAMPLES" > "$TMPD/samples"
check "samples produced" test -s "$TMPD/samples"

# One frame per message: text2pcap's hex dump format, offsets from 0.
while read -r name hex; do
    echo "000000 $(sed 's/../& /g' <<< "$hex")"
    echo
done < "$TMPD/samples" > "$TMPD/dump.txt"
text2pcap -q -T 6653,6653 -4 127.0.0.1,127.0.0.1 "$TMPD/dump.txt" "$TMPD/of.pcap" > /dev/null 2>&1
check "pcap written" test -s "$TMPD/of.pcap"

tshark -r "$TMPD/of.pcap" -d tcp.port==6653,openflow -V > "$TMPD/decoded.txt" 2>&1
check "tshark decodes the capture" test -s "$TMPD/decoded.txt"
# Per frame: tshark's version, type and length are ours, and nothing is
# malformed.  One known gap of Wireshark's OpenFlow 1.0 dissector: it reads
# an action header past the end of a FLOW_MOD whose action list is empty
# (exactly 72 bytes: deletes, "drop") and flags the frame malformed after
# decoding every field correctly; ovs-ofctl decodes those messages cleanly
# (openflow-flows.sh).  Such frames must still show the right type and
# length, and may be malformed only there.
tshark -r "$TMPD/of.pcap" -d tcp.port==6653,openflow -T fields -E occurrence=f \
    -E separator='|' -e frame.number -e openflow.version -e openflow_v4.version \
    -e openflow_1_0.type \
    -e openflow_v4.type -e openflow.length -e openflow_v4.length \
    -e _ws.malformed > "$TMPD/fields.txt" 2> /dev/null
check "one decoded frame per message" \
    test "$(wc -l < "$TMPD/fields.txt")" = "$(wc -l < "$TMPD/samples")"
i=0
while read -r name hex; do
    i=$((i + 1))
    ver=$((16#${hex:0:2})); type=$((16#${hex:2:2})); len=$((16#${hex:4:4}))
    IFS='|' read -r fnum v10 v13 t10 t13 l10 l13 bad < <(sed -n "${i}p" "$TMPD/fields.txt")
    fver=$((${v10:-${v13:-0}})); ftype=${t10:-$t13}; flen=${l13:-$l10}
    known_gap=false
    [ "$ver" = 1 ] && [ "$type" = 14 ] && [ "$len" = 72 ] && known_gap=true
    check "frame $i ($name): version $ver type $type length $len${bad:+ (malformed: known 1.0 empty-action-list gap)}" \
        bash -c '[ "$1" = "$2" ] && [ "$3" = "$4" ] && [ "$5" = "$6" ] &&
                 { [ -z "$7" ] || $8; }' _ \
        "$fver" "$ver" "$ftype" "$type" "$flen" "$len" "$bad" "$known_gap"
done < "$TMPD/samples"
check "malformed frames are only the known gap" bash -c \
    "[ \$(grep -c 'Malformed Packet: openflow_v1\]' '$TMPD/decoded.txt') -le \$(awk '\$1 ~ /^flow-mod/ && substr(\$2,1,8) == \"010e0048\"' '$TMPD/samples' | wc -l) ]"
check "no malformed 1.3 frame" bash -c "! grep -q 'Malformed Packet: openflow_v4' '$TMPD/decoded.txt'"

# Spot checks that the dissector read the bodies as we meant them.
has() { grep -qF -- "$1" "$TMPD/decoded.txt"; }
check "1.3 OXM ipv4_dst with mask" has "Mask: 255.255.255.0"
check "1.3 goto_table" has "OFPIT_GOTO_TABLE"
check "1.3 write_metadata" has "OFPIT_WRITE_METADATA"
check "1.3 set_field" has "OFPAT_SET_FIELD"
check "1.3 group mod select" has "OFPGT_SELECT"
check "1.3 fast failover" has "OFPGT_FF"
check "1.3 role request" has "OFPCR_ROLE_MASTER"
check "1.0 flow mod" has "OFPT_FLOW_MOD"
check "packet-in" has "OFPT_PACKET_IN"
check "flow removed" has "OFPT_FLOW_REMOVED"
echo "1..$n"
