#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# demo.sh: the main job, end to end, with what exists today (root).
#
# ovsdb-lite serves the configuration database; vswitchd builds the switch
# from it (a userspace datapath per bridge); vswitch-ctl, which speaks
# ovs-vsctl's language, adds a bridge and two "VM" ports (veth pairs into
# two network namespaces) and returns once vswitchd has applied each
# change; vswitch-ofctl installs OpenFlow flows, which the slow path
# compiles into datapath flows; the VMs ping each other through the
# switch.  Everything runs in a private run directory; the
# namespaces, devices and daemons are removed (daemons by pid) whatever
# happens.
set -eu
BUILD=${BUILD:-build}
LITE=$BUILD/ovsdb-lite/ovsdb-lite
TOOL=$BUILD/ovsdb-lite/ovsdb-lite-tool
VSWITCHD=$BUILD/vswitchd/vswitchd
CTL=$BUILD/utilities/vswitch-ctl
DPCTL=$BUILD/utilities/vswitch-dpctl
OFCTL=$BUILD/utilities/vswitch-ofctl
APPCTL=$BUILD/utilities/vswitch-appctl
for p in "$LITE" "$TOOL" "$VSWITCHD" "$CTL" "$DPCTL" "$OFCTL" "$APPCTL"; do
    [ -x "$p" ] || { echo "demo: $p is not built (run make)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "demo: needs root (sudo make demo)" >&2; exit 1; }

RUN=$(mktemp -d /tmp/vswitch-demo.XXXXXX)
export VSWITCH_RUNDIR=$RUN VSWITCH_LOGDIR=$RUN
P=vd$$
BR=${P}br
cleanup() {
    local f
    for f in vswitchd ovsdb-lite; do
        if [ -f "$RUN/$f.pid" ]; then
            kill "$(cat "$RUN/$f.pid")" 2> /dev/null || true
        fi
    done
    sleep 0.3
    for f in 1 2; do
        ip netns del "${P}vm$f" 2> /dev/null || true
        ip link del "${P}p$f" 2> /dev/null || true
    done
    ip link del "$BR" 2> /dev/null || true
    rm -rf "$RUN"
}
trap cleanup EXIT

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
ctl() { "$CTL" --timeout=20 "$@"; }

echo "vswitch demo: run directory $RUN"
step "$TOOL" create "$RUN/conf.db" vswitchd/vswitch.ovsschema
step "$LITE" --detach --pidfile="$RUN/ovsdb-lite.pid" \
    --log-file="$RUN/ovsdb-lite.log" "$RUN/conf.db"
step "$VSWITCHD" --detach --pidfile="$RUN/vswitchd.pid" \
    --log-file="$RUN/vswitchd.log"
step ctl --no-wait init

# Two "VMs": namespaces whose veth peers become the switch's ports.
for i in 1 2; do
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
step ctl show
step ctl --columns=name,ofport,link_state,mac_in_use list Interface "${P}p1" "${P}p2"

# OpenFlow flows through the bridge's management socket; the slow path
# compiles them into the megaflows dump-flows shows.
DP=netdev@$BR
step "$OFCTL" add-flow "$BR" "in_port=1,actions=output:7"
step "$OFCTL" add-flow "$BR" "in_port=7,actions=output:1"
step "$OFCTL" dump-flows "$BR"
step ip netns exec "${P}vm1" ping -c 3 -i 0.2 -W 2 10.77.0.2
step "$DPCTL" dump-flows "$DP"
step "$APPCTL" -t vswitchd dpif/show

step ctl del-port "${P}p2"
step ctl del-br "$BR"
step ctl list-br
echo
echo "demo: done; the switch forwarded between two namespaces and was torn down."
