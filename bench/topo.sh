# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# bench/topo.sh: the topology every kind is measured on.  Sourced by lib.sh.
#
#   netns vsb-TAG-vm1         netns vsb-TAG-sw              netns vsb-TAG-vm2
#   eth0 10.77.0.1/24 ==veth== p1  [switch kind]  p2 ==veth== eth0 10.77.0.2/24
#                                      p3 ==veth== eth0 10.77.0.3/24 (vm3,
#                                                  with BENCH_VMS=3)
#
# Each veth has one RX and one TX queue (AF_XDP ports of OVS see only the
# queues they bind; one queue keeps every kind deterministic).  IPv6 is off
# everywhere (no DAD/RS/MLD frames in the counters).  In the switch
# namespace the br_netfilter hooks are off: bridged IPv4 would otherwise
# take the netfilter detour, which no switch here is asked to do.  The
# generator traffic goes from vm1 to vm2; vm3, when present, only makes
# the switch see a third port (flooding, learning).

# topo_create: build the namespaces and veths.  Returns non-zero on
# failure (what was made is left for topo_destroy).
topo_create() {
    local i ns
    mkdir -p "$BENCH_STATE"
    ip netns add "$SW_NS" || return 1
    in_sw ip link set lo up
    topo_no_ipv6 "$SW_NS"
    if in_sw test -e /proc/sys/net/bridge/bridge-nf-call-iptables; then
        in_sw sysctl -qw net.bridge.bridge-nf-call-iptables=0 \
            net.bridge.bridge-nf-call-ip6tables=0 \
            net.bridge.bridge-nf-call-arptables=0 || return 1
    fi
    for i in $(seq "$BENCH_VMS"); do
        ns=$(vm_ns "$i")
        ip netns add "$ns" || return 1
        in_ns "$ns" ip link set lo up
        topo_no_ipv6 "$ns"
        in_sw ip link add name "$(sw_port "$i")" numtxqueues 1 numrxqueues 1 \
            type veth peer name "$VM_DEV" netns "$ns" \
            numtxqueues 1 numrxqueues 1 || return 1
        in_ns "$ns" ip addr add "$(vm_ip "$i")/24" dev "$VM_DEV" || return 1
        in_ns "$ns" ip link set "$VM_DEV" up || return 1
        in_sw ip link set "$(sw_port "$i")" up || return 1
        # An idle process inside the namespace: its /proc/PID/net/dev
        # gives the namespace's counters without an exec per read.
        ip netns exec "$ns" sleep 100000 > /dev/null 2>&1 &
        track_pid $!
        echo $! > "$BENCH_STATE/anchor.vm$i"
    done
}

topo_no_ipv6() {
    in_ns "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1 2> /dev/null
    return 0
}

# topo_namespaces: the namespaces of this run that exist now.
topo_namespaces() {
    ip netns list | awk '{print $1}' | grep -E "^vsb-$BENCH_TAG-(sw|vm[0-9]+)\$"
}

# topo_destroy: delete every namespace of this run (and with them their
# devices and the veth peers).  Safe to call repeatedly.
topo_destroy() {
    local ns
    for ns in $(topo_namespaces); do
        ip netns delete "$ns" 2> /dev/null
    done
    return 0
}

# topo_tx_offload on|off: TX checksum offload (and with it TSO/GSO) of the
# VM-side ends.  Userspace switches that read frames with AF_PACKET or
# AF_XDP forward partial checksums unchanged, and XDP redirect drops the
# checksum state: for those kinds the senders must checksum themselves.
topo_tx_offload() {
    local i mode=${1:-on}
    for i in $(seq "$BENCH_VMS"); do
        in_vm "$i" ethtool -K "$VM_DEV" tx "$mode" > /dev/null 2>&1 || return 1
    done
}

# topo_ping_check: vm1 reaches every other VM (bounded: 20 x <= 1 s).
# Also lets learning switches learn every MAC before traffic starts.
topo_ping_check() {
    local i n ok
    for i in $(seq 2 "$BENCH_VMS"); do
        ok=0
        for n in $(seq 20); do
            if in_vm 1 ping -c 1 -W 1 -q "$(vm_ip "$i")" > /dev/null 2>&1; then
                ok=1
                break
            fi
        done
        [ "$ok" = 1 ] || { log "vm1 cannot reach vm$i"; return 1; }
        in_vm "$i" ping -c 1 -W 1 -q "$(vm_ip 1)" > /dev/null 2>&1
    done
    return 0
}

# topo_counters I DEV: "rx_packets tx_packets tx_dropped" of DEV in VM I,
# read through the namespace's anchor process (cheap, no exec).
topo_counters() {
    awk -v d="$2" '{ sub(/^ */, ""); split($0, f, /[: ]+/)
                       if (f[1] == d) print f[3], f[11], f[13] }' \
        "/proc/$(cat "$BENCH_STATE/anchor.vm$1")/net/dev"
}
