#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/openflow/gen-flows.sh N: N distinct OpenFlow 1.3 flows in
# ovs-ofctl's add-flows syntax, on stdout, always the same for the same N.
#
# A three-table pipeline, in the proportions of a host's virtual switch:
#
#   10 %  table 0, port security: priority=100,in_port=P,dl_src=MAC
#         -> goto_table:1 (P in 1..64; one MAC per flow)
#   50 %  table 1, ACL: priority 1000..1999, tcp or udp, nw_src /32,
#         nw_dst /24, tp_dst -> goto_table:2; every tenth an ip,nw_src
#         /16 drop of priority 500..599 instead
#   40 %  table 2, routes: ip,nw_dst prefixes /16 to /32 (priority = 10 x
#         length) -> dec_ttl,set_field:MAC->eth_dst,output:P
#
# So the tables hold many masks (the prefix lengths) and many rules per
# mask, and every action kind needs a prerequisite the match provides.
set -eu
n=${1:?usage: gen-flows.sh N}
awk -v n="$n" 'BEGIN {
    n0 = int(n / 10); n1 = int(n / 2); n2 = n - n0 - n1
    for (i = 0; i < n0; i++)
        printf "table=0,priority=100,in_port=%d,dl_src=02:%02x:%02x:%02x:%02x:01,actions=goto_table:1\n",
               i % 64 + 1, int(i / 16777216) % 256, int(i / 65536) % 256,
               int(i / 256) % 256, i % 256
    for (i = 0; i < n1; i++) {
        if (i % 10 == 9) {
            j = int(i / 10)
            printf "table=1,priority=%d,ip,nw_src=%d.%d.0.0/16,actions=drop\n",
                   500 + j % 100, 20 + int(j / 256), j % 256
            continue
        }
        printf "table=1,priority=%d,%s,nw_src=10.%d.%d.%d,nw_dst=172.%d.%d.0/24,tp_dst=%d,actions=goto_table:2\n",
               1000 + i % 1000, i % 3 ? "tcp" : "udp",
               int(i / 65536) % 256, int(i / 256) % 256, i % 256,
               16 + i % 16, int(i / 16) % 256, 1 + i % 1024
    }
    for (i = 0; i < n2; i++) {
        # Prefix i of length len: the len-bit prefixes of 10.0.0.0/8
        # onwards, counted per length, so no two flows are equal.
        len = 16 + i % 17
        addr = (167772160 + int(i / 17) * 2 ^ (32 - len)) % 4294967296
        printf "table=2,priority=%d,ip,nw_dst=%d.%d.%d.%d/%d,actions=dec_ttl,set_field:02:00:00:00:%02x:%02x->eth_dst,output:%d\n",
               len * 10, int(addr / 16777216), int(addr / 65536) % 256,
               int(addr / 256) % 256, addr % 256, len,
               int(i / 256) % 256, i % 256, i % 64 + 1
    }
}'
