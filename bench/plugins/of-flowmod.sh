# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Plug-in "of-flowmod": OpenFlow flow-mods per second: $BENCH_FLOWMODS
# (default 10,000) add-flow messages sent by one `ovs-ofctl add-flows`
# over one connection (it waits for the switch to confirm them), then
# removed with one del-flows by cookie.  The flows (priority 100, UDP
# destination ports nobody sends to, drop) do not touch the traffic of
# the data-plane tests, which are over by then.  See README.md.


plugin_of_flowmod_kinds() { echo "ovs-netdev ovs-netdev-afxdp ovs-netdev-flows ovs-kernel"; }

plugin_of_flowmod_measure() {
    local f=$BENCH_STATE/flowmods.txt t0 t1
    awk -v n="${BENCH_FLOWMODS:-10000}" 'BEGIN {
        for (i = 0; i < n; i++)
            printf "cookie=0x5b,priority=100,udp,nw_dst=10.%d.%d.%d,tp_dst=7,actions=drop\n",
                   100 + int(i / 65536), int(i / 256) % 256, i % 256 }' > "$f"
    t0=$(now)
    ovs_ofctl add-flows br0 "$f" || return 1
    t1=$(now)
    ovs_ofctl del-flows br0 "cookie=0x5b/-1" > /dev/null 2>&1
    rm -f "$f"
    awk -v n="${BENCH_FLOWMODS:-10000}" -v a="$t0" -v b="$t1" \
        'BEGIN { printf "flow_mods_per_s %.0f\n", n / (b - a) }'
}
