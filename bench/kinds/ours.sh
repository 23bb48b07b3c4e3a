# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Kinds "ours" (vswitch's daemon with its userspace datapath, bench
# `make bench`) and "ours-kernel" (vswitch's daemon on our kernel module,
# `make bench-vm`).  Slots: until the functions below exist, the kinds
# report "not yet available" and are left out of the tables.
#
# To wire our switch in, define here:
#
#   ours_start      Start the daemon(s) so that they forward between the
#                   switch-side ports p1..p$BENCH_VMS in namespace $SW_NS
#                   (wrap commands in in_sw; daemons there see the ports),
#                   L2 learning (like OVS NORMAL).  Keep state under
#                   $BENCH_STATE/ours; record every pid with track_pid
#                   (or write pidfiles and track their pids).  Return
#                   non-zero on failure.
#   ours_stop       Stop them by pid; safe after a partial start.
#   ours_pids       Print the pids of the switch's userspace processes
#                   (their CPU time per million packets is reported).
#   ours_offload    Optional: print "off" if our datapath cannot forward
#                   partial checksums (default "on").
#
#   ours_kernel_start / ours_kernel_stop / ours_kernel_pids: the same for
#                   the kernel-module datapath, run inside QEMU (the
#                   module is loaded by ours_kernel_start).  They are
#                   ovsdb-lite + vswitchd with a datapath_type=system
#                   bridge on vswitch_dp.ko.
#
# OURS_BIN / OURS_KMOD say where the build puts them.

OURS_BIN=${OURS_BIN:-$BUILD/vswitchd/vswitchd}
OURS_KMOD=${OURS_KMOD:-$BENCH_SRCDIR/datapath-kmod/vswitch_dp.ko}

# ---- ours: vswitchd hosting the userspace (netdev) datapath ------------
# (OURS_DP_TYPE=system: the same on the kernel datapath, see ours-kernel)
# ovsdb-lite (private database under $BENCH_STATE/ours) and vswitchd in
# the switch namespace; bridge br0 (datapath_type=netdev) with ports
# p1..pN as OpenFlow ports 1..N (type system: AF_PACKET with the receive
# ring), configured with vswitch-ctl; the forwarding is OpenFlow through
# the slow path: `ovs-ofctl add-flow br0 priority=0,actions=NORMAL`
# (Debian's ovs-ofctl on RUNDIR/br0.mgmt), so the datapath's megaflows
# are the slow path's translations, as for ovs-netdev.  Senders keep TX
# checksum/TSO offload on: virtio-net headers cross the switch.
# Functions other benches reuse: ours_start [--no-flows], ours_ofctl,
# ours_dpctl (vswitch-dpctl ... netdev@br0), ours_appctl.
OURS_DPCTL=${OURS_DPCTL:-$BUILD/utilities/vswitch-dpctl}
OURS_CTL=${OURS_CTL:-$BUILD/utilities/vswitch-ctl}
OURS_APPCTL=${OURS_APPCTL:-$BUILD/utilities/vswitch-appctl}
OURS_LITE=${OURS_LITE:-$BUILD/ovsdb-lite/ovsdb-lite}
OURS_LITE_TOOL=${OURS_LITE_TOOL:-$BUILD/ovsdb-lite/ovsdb-lite-tool}
OURS_SCHEMA=${OURS_SCHEMA:-$BENCH_SRCDIR/vswitchd/vswitch.ovsschema}
ours_env() { export VSWITCH_RUNDIR=$BENCH_STATE/ours; }
ours_dpctl() { ours_env; timeout 30 "$OURS_DPCTL" "$@"; }
ours_appctl() { ours_env; timeout 30 "$OURS_APPCTL" -t vswitchd "$@"; }
ours_vsctl() {
    ours_env
    timeout 30 "$OURS_CTL" --db="unix:$VSWITCH_RUNDIR/db.sock" --timeout=20 "$@"
}
ours_ofctl() { ours_env; OVS_RUNDIR=$VSWITCH_RUNDIR timeout 60 ovs-ofctl "$@"; }

# shellcheck disable=SC2120  # bench/slowpath.sh passes --no-flows
ours_start() {
    local i p ofport
    ours_env
    mkdir -p "$VSWITCH_RUNDIR"
    "$OURS_LITE_TOOL" create "$VSWITCH_RUNDIR/conf.db" "$OURS_SCHEMA" || return 1
    "$OURS_LITE" --remote="punix:$VSWITCH_RUNDIR/db.sock" \
        --unixctl="$VSWITCH_RUNDIR/lite.ctl" \
        --log-file="$VSWITCH_RUNDIR/lite.log" \
        --pidfile="$VSWITCH_RUNDIR/lite.pid" --detach \
        "$VSWITCH_RUNDIR/conf.db" 2> /dev/null || return 1
    track_pid "$(cat "$VSWITCH_RUNDIR/lite.pid")"
    in_sw env VSWITCH_RUNDIR="$VSWITCH_RUNDIR" \
        VSWITCH_AFPACKET_RING="${OURS_RING:-1}" "$OURS_BIN" --detach \
        --pidfile --log-file="$VSWITCH_RUNDIR/vswitchd.log" \
        --db="unix:$VSWITCH_RUNDIR/db.sock" || return 1
    track_pid "$(cat "$VSWITCH_RUNDIR/vswitchd.pid")"
    ours_vsctl --no-wait init || return 1
    ours_vsctl add-br br0 -- set bridge br0 \
        datapath_type="${OURS_DP_TYPE:-netdev}" || return 1
    for ((i = 1; i <= BENCH_VMS; i++)); do
        p=$(sw_port "$i")
        ours_vsctl add-port br0 "$p" -- set interface "$p" type=system \
            ofport_request="$i" || return 1
        ofport=$(ours_vsctl get interface "$p" ofport)
        if [ "$ofport" != "$i" ]; then
            log "our port $p: ofport $ofport, error" \
                "$(ours_vsctl get interface "$p" error)"
            return 1
        fi
    done
    for i in $(seq 50); do
        [ -S "$VSWITCH_RUNDIR/br0.mgmt" ] && break
        sleep 0.1
    done
    [ "${1:-}" = --no-flows ] && return 0
    ours_ofctl del-flows br0 && ours_ofctl add-flow br0 "priority=0,actions=NORMAL"
}
ours_stop() {
    ours_env
    [ -f "$VSWITCH_RUNDIR/vswitchd.pid" ] && stop_pid "$(cat "$VSWITCH_RUNDIR/vswitchd.pid")"
    [ -f "$VSWITCH_RUNDIR/lite.pid" ] && stop_pid "$(cat "$VSWITCH_RUNDIR/lite.pid")"
    return 0
}
ours_pids() {
    ours_env
    [ -f "$VSWITCH_RUNDIR/vswitchd.pid" ] && cat "$VSWITCH_RUNDIR/vswitchd.pid"
}
ours_info() {
    ours_dpctl show -s netdev@br0
    ours_ofctl dump-flows br0 | head -n 50
    ours_dpctl dump-flows netdev@br0 | head -n 50
    ours_appctl coverage/show
    tail -n 20 "$VSWITCH_RUNDIR/vswitchd.log"
}

kind_ours_info() { ours_info; }

# ---- ours-mmsg (only with OURS_MMSG_KIND=1): the same without the
# receive ring (recvmmsg for every frame), to measure what the ring buys.
if [ -n "${OURS_MMSG_KIND:-}" ]; then
kind_ours_mmsg_where() { echo host; }
kind_ours_mmsg_available() { kind_ours_available; }
kind_ours_mmsg_describe() { OURS_RING=0 kind_ours_describe | sed 's/AF_PACKET/AF_PACKET recvmmsg, no ring/'; }
kind_ours_mmsg_setup() { mkdir -p "$BENCH_STATE/ours" && OURS_RING=0 ours_start; }
kind_ours_mmsg_teardown() { ours_stop; }
kind_ours_mmsg_pids() { ours_pids; }
kind_ours_mmsg_info() { ours_info; }
fi

# ours-kernel: ovsdb-lite + our vswitchd (ours_start above) with bridge
# br0 datapath_type=system on our module vswitch_dp.ko: the kernel
# datapath "system@br0" lives in the switch namespace, its ports p1..pN
# are netdev vports, NORMAL through our slow path.  openvswitch.ko
# registers the same generic netlink families: it is unloaded first
# (ovs-kernel's setup swaps back).
# shellcheck disable=SC2120  # bench/kernel.sh passes --no-flows
ours_kernel_start() {
    kmod_unload openvswitch || return 1
    if ! lsmod | grep -q '^vswitch_dp '; then
        # udp_tunnel: the module's VXLAN ports use its sockets (insmod
        # does not load dependencies).
        modprobe -q udp_tunnel
        modprobe -q ip6_udp_tunnel
        insmod "$OURS_KMOD" || return 1
    fi
    OURS_DP_TYPE=system ours_start "$@"
}
ours_kernel_stop() {
    [ -S "$BENCH_STATE/ours/db.sock" ] &&
        ours_vsctl --if-exists del-br br0 > /dev/null 2>&1
    ours_stop
    in_sw ovs-dpctl del-dp system@br0 > /dev/null 2>&1
    kmod_unload vswitch_dp
    return 0
}
ours_kernel_pids() { ours_pids; }
ours_kernel_info() {
    in_sw ovs-dpctl show -s
    ours_ofctl dump-flows br0 | head -n 50
    in_sw ovs-dpctl dump-flows | head -n 50
    ours_appctl coverage/show
    ours_appctl upcall/show
    tail -n 20 "$VSWITCH_RUNDIR/vswitchd.log"
}

kind_ours_where() { echo host; }
kind_ours_available() {
    if ! declare -F ours_start > /dev/null; then
        echo "not yet available (ours_start/ours_stop not written in bench/kinds/ours.sh)"
        return 1
    fi
    [ -x "$OURS_BIN" ] || { echo "not yet available ($OURS_BIN not built)"; return 1; }
}
kind_ours_describe() {
    echo "vswitch $("$OURS_BIN" --version 2> /dev/null | head -n 1), userspace datapath, type=system (AF_PACKET) ports, bridge from ovsdb-lite, OpenFlow priority=0,actions=NORMAL through the slow path, TX offload on"
}
kind_ours_offload() {
    if declare -F ours_offload > /dev/null; then ours_offload; else echo on; fi
}
kind_ours_setup() { mkdir -p "$BENCH_STATE/ours" && ours_start; }
kind_ours_teardown() {
    declare -F ours_stop > /dev/null && ours_stop
    return 0
}
kind_ours_pids() { declare -F ours_pids > /dev/null && ours_pids; }

kind_ours_kernel_where() { echo vm; }
kind_ours_kernel_available() {
    if ! declare -F ours_kernel_start > /dev/null; then
        echo "not yet available (ours_kernel_start/ours_kernel_stop not written in bench/kinds/ours.sh)"
        return 1
    fi
    [ -f "$OURS_KMOD" ] || { echo "not yet available ($OURS_KMOD not built)"; return 1; }
}
kind_ours_kernel_describe() {
    echo "vswitch $("$OURS_BIN" --version 2> /dev/null | head -n 1) with ovsdb-lite on its kernel datapath (vswitch_dp.ko, $(uname -r)), type=system ports, OpenFlow priority=0,actions=NORMAL through our slow path, TX offload on"
}
kind_ours_kernel_setup() { mkdir -p "$BENCH_STATE/ours" && ours_kernel_start; }
kind_ours_kernel_info() { ours_kernel_info; }
kind_ours_kernel_teardown() {
    declare -F ours_kernel_stop > /dev/null && ours_kernel_stop
    return 0
}
kind_ours_kernel_pids() {
    declare -F ours_kernel_pids > /dev/null && ours_kernel_pids
}
