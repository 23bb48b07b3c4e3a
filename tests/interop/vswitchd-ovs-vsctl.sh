#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 120
#
# Debian's real ovs-vsctl in wait mode (no --no-wait) against ovsdb-lite +
# our vswitchd: add-br, add-port of veth ends, ofport_request, a missing
# device (its error reported and the command still returning), del-port and
# del-br, each returning once vswitchd has applied it; and the same wait
# under libvirt's exact attach command line.  Prints TAP.
. "$(dirname "$0")/../lib.sh"
require_root
require ip
[ -x /usr/bin/ovs-vsctl ] || skip "missing /usr/bin/ovs-vsctl"

LITE=$BUILD/ovsdb-lite/ovsdb-lite
TOOL=$BUILD/ovsdb-lite/ovsdb-lite-tool
VSWITCHD=$BUILD/vswitchd/vswitchd
DPCTL=$BUILD/utilities/vswitch-dpctl
[ -x "$LITE" ] && [ -x "$VSWITCHD" ] && [ -x "$DPCTL" ] || fail "build first"
export VSWITCH_RUNDIR=$TMPD/run
mkdir -p "$VSWITCH_RUNDIR"

DB=unix:$VSWITCH_RUNDIR/db.sock
# Real ovs-vsctl, wait mode, bounded.
vsctl() { timeout 20 /usr/bin/ovs-vsctl --db="$DB" --timeout=10 "$@"; }
dp_ports() { "$DPCTL" show "netdev@$BR" | sed -n 's/^  port \([0-9]*\): \([^ ]*\).*/\1 \2/p' | sort -n | tr '\n' ' '; }

"$TOOL" create "$TMPD/conf.db" "$SRCDIR/vswitchd/vswitch.ovsschema" ||
    fail "cannot create database"
"$LITE" --remote="punix:$VSWITCH_RUNDIR/db.sock" --unixctl="$TMPD/lite.ctl" \
    --log-file="$TMPD/lite.log" --pidfile="$TMPD/lite.pid" --detach \
    "$TMPD/conf.db" 2> /dev/null || fail "ovsdb-lite did not start"
track_pidfile "$TMPD/lite.pid"
track_pidfile "$VSWITCH_RUNDIR/vswitchd.pid"
"$VSWITCHD" --detach --pidfile --log-file="$TMPD/vswitchd.log" ||
    fail "vswitchd did not start"

P=br$$
BR=${P}o
add_veth "${P}a1" "${P}a2"
add_veth "${P}b1" "${P}b2"
add_veth "${P}t1" "${P}t2"
at_cleanup ip link delete "$BR"

check "ovs-vsctl init (--no-wait)" vsctl --no-wait init
check "ovs-vsctl add-br (wait mode)" vsctl add-br "$BR"
expect "bridge interface ofport 65534" 65534 vsctl get Interface "$BR" ofport
check "ovs-vsctl add-port (wait mode)" vsctl add-port "$BR" "${P}a1"
expect "ofport 1" 1 vsctl get Interface "${P}a1" ofport
check "ovs-vsctl add-port with ofport_request=20" \
    vsctl add-port "$BR" "${P}b1" -- set Interface "${P}b1" ofport_request=20
expect "ofport_request honoured" 20 vsctl get Interface "${P}b1" ofport
check "ovs-vsctl add-port of a missing device returns" \
    bash -c "$(declare -f vsctl); DB='$DB'; vsctl add-port '$BR' '${P}zz' 2> '$TMPD/zz.err'"
check "ovs-vsctl reported the interface error" grep -q "Error detected while setting up '${P}zz'" "$TMPD/zz.err"
expect "missing device: ofport -1" -1 vsctl get Interface "${P}zz" ofport
check "libvirt's attach command line (wait mode)" \
    vsctl -- --may-exist add-port "$BR" "${P}t1" \
    -- set Interface "${P}t1" 'external-ids:attached-mac="52:54:00:71:b1:b6"' \
    -- set Interface "${P}t1" 'external-ids:iface-id="09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f"' \
    -- set Interface "${P}t1" external-ids:iface-status=active
expect "libvirt's port got ofport 2" 2 vsctl get Interface "${P}t1" ofport
expect "datapath ports" "0 $BR 1 ${P}a1 2 ${P}t1 20 ${P}b1 " dp_ports
check "ovs-vsctl del-port (wait mode)" vsctl del-port "$BR" "${P}b1"
expect "datapath port 20 gone" "0 $BR 1 ${P}a1 2 ${P}t1 " dp_ports
# An exclusive device (dummy) moving between bridges in one transaction:
# vswitchd removes from every bridge before adding to any.
at_cleanup ip link delete "${P}c"
check "ovs-vsctl add-br of a second bridge + a dummy port" \
    vsctl add-br "${P}c" -- add-port "$BR" "${P}d" -- set Interface "${P}d" type=dummy
expect "dummy port ofport 3" 3 vsctl get Interface "${P}d" ofport
check "ovs-vsctl moves it to the second bridge in one command" \
    vsctl del-port "$BR" "${P}d" -- add-port "${P}c" "${P}d" -- set Interface "${P}d" type=dummy
expect "moved port got ofport 1 at once" 1 vsctl get Interface "${P}d" ofport
check "ovs-vsctl del-br of the second bridge" vsctl del-br "${P}c"
check "ovs-vsctl del-br (wait mode)" vsctl del-br "$BR"
check "datapath gone" bash -c "! '$DPCTL' dump-dps | grep -q 'netdev@$BR'"
check "internal device gone" bash -c "! ip link show '$BR'"
