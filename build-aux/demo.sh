#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# demo.sh [--sandbox]: the main job, end to end (root).
#
# ovsdb-lite serves the configuration database; vswitchd builds the switch
# from it: a bridge on the userspace datapath, with the embedded defaults
# (fail_mode standalone and no controller: one "priority=0,actions=NORMAL"
# flow, so the bridge is a MAC-learning switch).  Three namespace "VMs"
# are attached through veth pairs.  The VMs ping each other and run a
# short iperf3; the slow path learns their MACs and compiles NORMAL into
# megaflows.  Then the demo shows the configuration (vswitch-ctl show),
# the learned MACs (fdb/show), the megaflows (dpif/dump-flows) and one
# ofproto/trace, and stops everything it started.
#
# With --sandbox (`make sandbox`) it sets up the same switch and VMs, then
# starts $SHELL with PATH and the run directory set, so vswitch-ctl,
# vswitch-ofctl, vswitch-appctl and Debian's ovs-vsctl, ovs-ofctl and
# ovs-appctl reach it; everything is torn down when that shell exits.
#
# Everything runs in a private run directory; namespaces, devices and
# daemons (by pid) are removed whatever happens.
set -eu
SANDBOX=false
[ "${1:-}" = --sandbox ] && SANDBOX=true
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
SRC=$PWD
LITE=$BUILD/ovsdb-lite/ovsdb-lite
TOOL=$BUILD/ovsdb-lite/ovsdb-lite-tool
VSWITCHD=$BUILD/vswitchd/vswitchd
CTL=$BUILD/utilities/vswitch-ctl
OFCTL=$BUILD/utilities/vswitch-ofctl
APPCTL=$BUILD/utilities/vswitch-appctl
for p in "$LITE" "$TOOL" "$VSWITCHD" "$CTL" "$OFCTL" "$APPCTL"; do
    [ -x "$p" ] || { echo "demo: $p is not built (run make)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "demo: needs root (sudo make demo)" >&2; exit 1; }
command -v iperf3 > /dev/null || { echo "demo: needs iperf3 (make deps)" >&2; exit 1; }

RUN=$(mktemp -d /tmp/vswitch-demo.XXXXXX)
export VSWITCH_RUNDIR=$RUN VSWITCH_LOGDIR=$RUN OVS_RUNDIR=$RUN
P=vd$$
BR=${P}br
VMS="1 2 3"
cleanup() {
    local f
    [ -f "$RUN/iperf3.pid" ] && kill "$(cat "$RUN/iperf3.pid")" 2> /dev/null
    for f in vswitchd ovsdb-lite; do
        if [ -f "$RUN/$f.pid" ]; then
            kill "$(cat "$RUN/$f.pid")" 2> /dev/null || true
        fi
    done
    sleep 0.3
    for f in $VMS; do
        ip netns del "${P}vm$f" 2> /dev/null || true
        ip link del "${P}p$f" 2> /dev/null || true
    done
    ip link del "$BR" 2> /dev/null || true
    rm -rf "$RUN"
}
trap cleanup EXIT

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
ctl() { "$CTL" --timeout=20 "$@"; }
appctl() { "$APPCTL" -t vswitchd "$@"; }
vm() { local n=$1; shift; ip netns exec "${P}vm$n" "$@"; }

echo "vswitch demo: run directory $RUN"
step "$TOOL" create "$RUN/conf.db" "$SRC/vswitchd/vswitch.ovsschema"
step "$LITE" --detach --pidfile="$RUN/ovsdb-lite.pid" \
    --log-file="$RUN/ovsdb-lite.log" "$RUN/conf.db"
step "$VSWITCHD" --detach --pidfile="$RUN/vswitchd.pid" \
    --log-file="$RUN/vswitchd.log"
step ctl --no-wait init

# Three "VMs": namespaces whose veth peers become the switch's ports.
for i in $VMS; do
    ip netns add "${P}vm$i"
    ip link add "${P}p$i" type veth peer name eth0 netns "${P}vm$i"
    ip link set "${P}p$i" up
    ip -n "${P}vm$i" link set lo up
    ip -n "${P}vm$i" link set eth0 address "02:00:00:00:00:0$i" up
    ip -n "${P}vm$i" addr add "10.77.0.$i/24" dev eth0
done

# Wait mode (no --no-wait): each command returns once vswitchd applied it.
step ctl add-br "$BR"
step ctl add-port "$BR" "${P}p1"
step ctl add-port "$BR" "${P}p2" -- set Interface "${P}p2" ofport_request=7
step ctl add-port "$BR" "${P}p3"

if $SANDBOX; then
    cat <<EOF

vswitch sandbox: bridge $BR, VMs ${P}vm1..3 (10.77.0.1-3, 02:00:00:00:00:01-3)
run directory $RUN (VSWITCH_RUNDIR and OVS_RUNDIR point there)

  vswitch-ctl show                 ovs-vsctl show
  vswitch-ofctl dump-flows $BR     ovs-ofctl dump-flows $BR
  vswitch-appctl -t vswitchd fdb/show $BR
  vswitch-appctl -t vswitchd dpif/dump-flows $BR
  vswitch-appctl -t vswitchd ofproto/trace $BR in_port=1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02
  vswitch-appctl -t vswitchd upcall/show
  ip netns exec ${P}vm1 ping 10.77.0.2

Exit the shell to stop the switch and remove the VMs.
EOF
    PATH=$BUILD/utilities:$BUILD/vswitchd:$BUILD/ovsdb-lite:$PATH \
        PS1="[vswitch sandbox] \\w\\$ " "${SHELL:-/bin/bash}" -i || true
    echo "vswitch sandbox: tearing down"
    exit 0
fi

step ctl show
step "$OFCTL" dump-flows "$BR"

# Traffic: NORMAL floods the first ARP of each pair and learns the MACs;
# replies and later packets go to one port.
step vm 1 ping -c 3 -i 0.2 -W 2 10.77.0.2
step vm 1 ping -c 3 -i 0.2 -W 2 10.77.0.3
step vm 2 ping -c 3 -i 0.2 -W 2 10.77.0.3
vm 3 iperf3 -s -1 -D -p 5201 -I "$RUN/iperf3.pid" --logfile "$RUN/iperf3.log"
for _ in $(seq 30); do
    vm 3 ss -ltn 2> /dev/null | grep -q ':5201 ' && break
    sleep 0.1
done
step vm 1 iperf3 -c 10.77.0.3 -p 5201 -t 2 -f m

step appctl fdb/show "$BR"
step appctl dpif/dump-flows "$BR"
step appctl ofproto/trace "$BR" \
    "in_port=1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:03,ip,nw_src=10.77.0.1,nw_dst=10.77.0.3"
step appctl upcall/show

step ctl del-br "$BR"
step ctl list-br
echo
echo "demo: done; the switch learned three VMs' MACs, forwarded their pings"
echo "and iperf3 on NORMAL megaflows, and was torn down."
