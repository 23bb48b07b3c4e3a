# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Plug-in "ovsdb-txn": OVSDB transactions per second, each one an
# ovs-vsctl process writing a key of the bridge's external_ids (process
# start included, as an administrator's script would see it).  200
# transactions, at most 60 s.  See README.md for the interface.


plugin_ovsdb_txn_kinds() { echo "ovs-netdev ovs-netdev-afxdp ovs-netdev-flows ovs-kernel"; }

plugin_ovsdb_txn_measure() {
    local i t0 t1 n=0
    t0=$(now)
    for i in $(seq "${BENCH_OVSDB_TXNS:-200}"); do
        ovs_vsctl set bridge br0 "external_ids:vsb-bench=$i" || break
        n=$i
        [ "$(awk -v a="$t0" -v b="$(now)" 'BEGIN {print (b - a > 60)}')" = 1 ] && break
    done
    t1=$(now)
    ovs_vsctl remove bridge br0 external_ids vsb-bench > /dev/null 2>&1
    awk -v n="$n" -v a="$t0" -v b="$t1" \
        'BEGIN { if (n > 0) printf "vsctl_txn_per_s %.1f\n", n / (b - a) }'
}
