#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Our OpenFlow encoders, read back by an independent decoder: Debian's
# `ovs-ofctl ofp-print`.  Every message must decode without complaint and
# say what we meant.
# timeout: 60
. "$(dirname "$0")/../lib.sh"
require ovs-ofctl

ENC=$BUILD/tests/helpers/ofp-encode
n=0
check() { local what=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; fi; }

decode() {                      # decode CASE -> $TMPD/CASE.txt
    "$ENC" "$1" | while read -r hex; do ovs-ofctl ofp-print "$hex"; done \
        > "$TMPD/$1.txt" 2>&1
}
has() { grep -qF -- "$2" "$TMPD/$1.txt"; }
clean() { ! grep -qiE 'decode error|warn|malformed|incorrect length' "$TMPD/$1.txt"; }

for c in features10 features13 port-status13 config10 errors hello port-desc13-split; do
    decode "$c"
    check "$c decodes cleanly" clean "$c"
done
check "1.0 features: dpid and tables" has features10 "dpid:0000000000000abc"
check "1.0 features: capabilities" has features10 "capabilities: FLOW_STATS TABLE_STATS PORT_STATS"
check "1.0 features: port 1 inline" has features10 " 1(vnet0): addr:52:54:00:01:02:03"
check "1.0 features: LOCAL port, down" has features10 " LOCAL(br0): addr:aa:55:00:00:00:01"
check "1.0 features: speed from feature bits" has features10 "current:    10GB-FD COPPER"
check "1.3 features" has features13 "OFPT_FEATURES_REPLY (OF1.3) (xid=0x6): dpid:0000000000000abc"
check "1.3 port status" has port-status13 "OFPT_PORT_STATUS (OF1.3) (xid=0x0): ADD: 1(vnet0)"
check "1.3 port speeds" has port-status13 "speed: 10000 Mbps now, 10000 Mbps max"
check "config reply" has config10 "frags=drop miss_send_len=128"
check "1.0 BAD_TYPE error" has errors "OFPT_ERROR (xid=0x1): OFPBRC_BAD_TYPE"
check "1.3 BAD_PREREQ error" has errors "OFPT_ERROR (OF1.3) (xid=0x2): OFPBMC_BAD_PREREQ"
check "error carries the offending request" has errors "OFPT_FEATURES_REQUEST (OF1.3) (xid=0x9)"
check "hello bitmap" has hello "version bitmap: 0x01, 0x04"
check "multipart split: 3 parts" test "$(grep -c 'OFPST_PORT_DESC reply' "$TMPD/port-desc13-split.txt")" = 3
check "multipart split: 'more' on all but the last" test "$(grep -c 'flags=\[more\]' "$TMPD/port-desc13-split.txt")" = 2
check "multipart split: all 5 ports, in order" bash -c "grep -oE '^ [0-9]+\(p[0-9]\)' $TMPD/port-desc13-split.txt | tr -d ' \n' | grep -qx '1(p1)2(p2)3(p3)4(p4)5(p5)'"
echo "1..$n"
