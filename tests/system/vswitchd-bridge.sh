#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# vswitchd reconciliation: ovsdb-lite + vswitchd in a private rundir, the
# configuration made with vswitch-ctl in wait mode (no --no-wait), so every
# command returns only once vswitchd has applied it (cur_cfg = next_cfg):
#   - add-br gives the bridge a netdev datapath and its internal port
#     (ofport 65534); add-port of veth ends gets ofports, ofport_request is
#     honoured; a missing device, an unknown type and a system datapath get
#     an error while the command still returns and the others work;
#   - explicit flows on the bridge's datapath (vswitch-dpctl) make ping pass
#     between two namespaces; Interface statistics follow;
#   - a restarted vswitchd (with --default-datapath=auto) gives every port
#     its old ofport; flows put back, traffic flows again;
#   - a missing device that appears later is attached; a port whose device
#     vanishes gets an error, link_state down, keeps its ofport and is
#     re-attached with it when the device returns;
#   - del-port and del-br remove the datapath ports and the datapath.
# Names start with br$$ so that concurrent runs never collide.
# timeout: 180
. "$(dirname "$0")/../lib.sh"
require_root
require ip ping

LITE=$BUILD/ovsdb-lite/ovsdb-lite
TOOL=$BUILD/ovsdb-lite/ovsdb-lite-tool
VSWITCHD=$BUILD/vswitchd/vswitchd
CTL=$BUILD/utilities/vswitch-ctl
DPCTL=$BUILD/utilities/vswitch-dpctl
[ -x "$LITE" ] && [ -x "$VSWITCHD" ] && [ -x "$CTL" ] && [ -x "$DPCTL" ] ||
    fail "build first"
export VSWITCH_RUNDIR=$TMPD/run
mkdir -p "$VSWITCH_RUNDIR"

# Wait mode: vswitch-ctl returns once vswitchd wrote cur_cfg.
ctl() { "$CTL" --db="unix:$VSWITCH_RUNDIR/db.sock" --timeout=10 "$@"; }
ofport() { ctl get Interface "$1" ofport; }
dp_ports() { "$DPCTL" show "netdev@$BR" | sed -n 's/^  port \([0-9]*\): \([^ ]*\).*/\1 \2/p' | sort -n | tr '\n' ' '; }

start_vswitchd() {
    "$VSWITCHD" --detach --pidfile --log-file="$TMPD/vswitchd.log" "$@" ||
        fail "vswitchd did not start"
}

"$TOOL" create "$TMPD/conf.db" "$SRCDIR/vswitchd/vswitch.ovsschema" ||
    fail "cannot create database"
"$LITE" --remote="punix:$VSWITCH_RUNDIR/db.sock" --unixctl="$TMPD/lite.ctl" \
    --log-file="$TMPD/lite.log" --pidfile="$TMPD/lite.pid" --detach \
    "$TMPD/conf.db" 2> /dev/null || fail "ovsdb-lite did not start"
track_pidfile "$TMPD/lite.pid"
track_pidfile "$VSWITCH_RUNDIR/vswitchd.pid"
start_vswitchd

P=br$$
BR=${P}b
for i in 1 2; do
    add_netns "${P}n$i"
    add_veth "${P}s$i" "${P}v$i" "${P}n$i"
    ip link set "${P}s$i" up
    ip -n "${P}n$i" link set "${P}v$i" address "02:00:00:00:0$i:0$i" up
    ip -n "${P}n$i" addr add "10.93.0.$i/24" dev "${P}v$i"
done
# The bridge's internal device disappears with its datapath; in case of a
# crash, remove it too.
at_cleanup ip link delete "$BR"

# 1. Bridge and ports, wait mode.
# init alone and without waiting: vswitch-ctl does not bump next_cfg in a
# transaction that creates the Open_vSwitch row, so it would not wait.
check "init (--no-wait)" "$CTL" --db="unix:$VSWITCH_RUNDIR/db.sock" --no-wait init
check "add-br (wait mode)" timeout 20 "$CTL" --db="unix:$VSWITCH_RUNDIR/db.sock" --timeout=10 add-br "$BR"
expect "bridge interface is LOCAL (65534)" 65534 ofport "$BR"
check "datapath netdev@$BR exists" bash -c "'$DPCTL' dump-dps | grep -qx 'netdev@$BR'"
check "internal device $BR exists" ip link show "$BR"
check "Bridge.datapath_id set" bash -c "ctl() { '$CTL' --db=unix:$VSWITCH_RUNDIR/db.sock \"\$@\"; }; ctl get Bridge '$BR' datapath_id | grep -Eq '^\"?[0-9a-f]{16}\"?\$'"
expect "Open_vSwitch.datapath_types" '[netdev]' ctl get Open_vSwitch . datapath_types
# A Datapath row for the type, as Open vSwitch users create it: vswitchd
# fills its capabilities and version.
check "create Datapath, datapaths:netdev" timeout 20 "$CTL" --db="unix:$VSWITCH_RUNDIR/db.sock" --timeout=10 \
    -- --id=@d create Datapath datapath_version=none -- set Open_vSwitch . datapaths:netdev=@d
expect "Datapath.datapath_version of netdev" '<built-in>' ctl --bare --columns=datapath_version list Datapath
check "Datapath.capabilities: masked sets, recirc" bash -c "'$CTL' --db=unix:$VSWITCH_RUNDIR/db.sock --bare --columns=capabilities list Datapath |
    grep -q 'masked_set_action=\"\?true.*recirc=\"\?true'"
check "Open_vSwitch.iface_types lists internal and tap" bash -c "'$CTL' --db=unix:$VSWITCH_RUNDIR/db.sock get Open_vSwitch . iface_types | grep -q 'internal.*tap'"
check "add-port ${P}s1 (wait mode)" timeout 20 "$CTL" --db="unix:$VSWITCH_RUNDIR/db.sock" --timeout=10 add-port "$BR" "${P}s1"
expect "${P}s1 got ofport 1" 1 ofport "${P}s1"
check "add-port ${P}s2 with ofport_request=9" \
    ctl add-port "$BR" "${P}s2" -- set Interface "${P}s2" ofport_request=9
expect "ofport_request honoured" 9 ofport "${P}s2"
expect "mac_in_use of ${P}s1" "\"$(cat /sys/class/net/${P}s1/address)\"" ctl get Interface "${P}s1" mac_in_use
expect "ifindex of ${P}s1" "$(cat /sys/class/net/${P}s1/ifindex)" ctl get Interface "${P}s1" ifindex
expect "link_state of ${P}s1" up ctl get Interface "${P}s1" link_state
expect "admin_state of ${P}s1" up ctl get Interface "${P}s1" admin_state
expect "mtu of ${P}s1" 1500 ctl get Interface "${P}s1" mtu
expect "status of ${P}s2 names its datapath port" '"9"' ctl get Interface "${P}s2" status:datapath_port

# 2. Bad interfaces: the command returns, the error is recorded.
check "add-port of a missing device returns" timeout 20 "$CTL" --db="unix:$VSWITCH_RUNDIR/db.sock" --timeout=10 add-port "$BR" "${P}no"
expect "missing device: ofport -1" -1 ofport "${P}no"
check "missing device: error set" bash -c "'$CTL' --db=unix:$VSWITCH_RUNDIR/db.sock get Interface '${P}no' error | grep -q 'No such device'"
check "add-port of an unknown type returns" \
    ctl add-port "$BR" "${P}vx" -- set Interface "${P}vx" type=bogus
check "unknown type: error set" bash -c "'$CTL' --db=unix:$VSWITCH_RUNDIR/db.sock get Interface '${P}vx' error | grep -q 'unsupported type'"
check "add-port of a dummy port" \
    ctl add-port "$BR" "${P}d" -- set Interface "${P}d" type=dummy
expect "dummy port got ofport 2" 2 ofport "${P}d"
expect "datapath ports" "0 $BR 1 ${P}s1 2 ${P}d 9 ${P}s2 " dp_ports
check "a bridge with datapath_type=system returns" \
    ctl add-br "${P}k" -- set Bridge "${P}k" datapath_type=system
check "system datapath: error in Bridge.status" bash -c "'$CTL' --db=unix:$VSWITCH_RUNDIR/db.sock get Bridge '${P}k' status | grep -q 'not supported'"
expect "system datapath: its interface has ofport -1" -1 ofport "${P}k"
check "del-br of it" ctl del-br "${P}k"

# 3. Traffic through explicit flows on the bridge's datapath.
flows_l3() {
    "$DPCTL" add-flow "netdev@$BR" "$1,eth_type(0x0800)" "$2" &&
        "$DPCTL" add-flow "netdev@$BR" "$1,eth_type(0x0806)" "$2"
}
add_flows() { flows_l3 "in_port(1),eth()" 9 && flows_l3 "in_port(9),eth()" 1; }
check "flows on netdev@$BR via vswitch-dpctl" add_flows
check "ping ns1 -> ns2 through the bridge" \
    ip netns exec "${P}n1" ping -c 3 -i 0.2 -W 2 10.93.0.2
check "Interface statistics written (within 8 s)" wait_for 8 bash -c \
    "'$CTL' --db=unix:$VSWITCH_RUNDIR/db.sock get Interface '${P}s1' statistics:rx_packets | grep -qv '^0\$'"

# 4. Restart: the same ofports come back.
kill_pid "$(cat "$VSWITCH_RUNDIR/vswitchd.pid")"
check "internal device gone with vswitchd" bash -c "! ip link show '$BR'"
start_vswitchd --default-datapath=auto
check "a wait-mode command after the restart returns" \
    ctl set Bridge "$BR" external_ids:restarted=1
expect "ofports unchanged after restart" "65534 1 9 2 -1" \
    bash -c "for i in $BR ${P}s1 ${P}s2 ${P}d ${P}no; do '$CTL' --db=unix:$VSWITCH_RUNDIR/db.sock get Interface \$i ofport; done | tr '\n' ' ' | sed 's/ \$//'"
expect "datapath ports after restart" "0 $BR 1 ${P}s1 2 ${P}d 9 ${P}s2 " dp_ports
check "--default-datapath=auto said netdev in Bridge.status" bash -c "'$CTL' --db=unix:$VSWITCH_RUNDIR/db.sock get Bridge '$BR' status | grep -q 'datapath_note=.*netdev'"
check "--default-datapath=auto said netdev in the log" grep -q "kernel datapath is not available, using netdev" "$TMPD/vswitchd.log"
check "flows put back" add_flows
ip netns exec "${P}n1" ip neigh flush all
check "ping ns1 -> ns2 after restart" \
    ip netns exec "${P}n1" ping -c 3 -i 0.2 -W 2 10.93.0.2

# 5. A missing device that appears is picked up (retried every 5 s).
add_veth "${P}no" "${P}nx"
check "the missing device, created, gets an ofport (within 8 s)" wait_for 8 bash -c \
    "[ \"\$('$CTL' --db=unix:$VSWITCH_RUNDIR/db.sock get Interface '${P}no' ofport)\" = 3 ]"
expect "its error is cleared" '[]' ctl get Interface "${P}no" error
ip link delete "${P}no"
check "a port whose device vanishes gets an error (within 8 s)" wait_for 8 bash -c \
    "'$CTL' --db=unix:$VSWITCH_RUNDIR/db.sock get Interface '${P}no' error | grep -q vanished"
expect "... keeps its ofport" 3 ofport "${P}no"
expect "... is marked down" down ctl get Interface "${P}no" link_state
expect "... leaves the datapath" "0 $BR 1 ${P}s1 2 ${P}d 9 ${P}s2 " dp_ports
add_veth "${P}no" "${P}nx"
check "it is re-attached when the device returns (within 8 s)" wait_for 8 bash -c \
    "[ \"\$('$CTL' --db=unix:$VSWITCH_RUNDIR/db.sock get Interface '${P}no' error)\" = '[]' ]"
expect "... with the same ofport" "0 $BR 1 ${P}s1 2 ${P}d 3 ${P}no 9 ${P}s2 " dp_ports

check "dpctl del-if of a bridge port" "$DPCTL" del-if "netdev@$BR" "${P}d"
check "the bridge adds it back with its number (within 8 s)" wait_for 8 bash -c \
    "'$DPCTL' show 'netdev@$BR' | grep -q '^  port 2: ${P}d'"
check "dpctl del-dp refuses a bridge's datapath" bash -c "! '$DPCTL' del-dp 'netdev@$BR'"

# 6. The database restarts under a running vswitchd.
kill_pid "$(cat "$TMPD/lite.pid")"
"$LITE" --remote="punix:$VSWITCH_RUNDIR/db.sock" --unixctl="$TMPD/lite.ctl" \
    --log-file="$TMPD/lite.log" --pidfile="$TMPD/lite.pid" --detach \
    "$TMPD/conf.db" 2> /dev/null || fail "ovsdb-lite did not restart"
check "a wait-mode command after a database restart returns" \
    ctl set Bridge "$BR" external_ids:db-restarted=1
expect "datapath ports untouched by the database restart" \
    "0 $BR 1 ${P}s1 2 ${P}d 3 ${P}no 9 ${P}s2 " dp_ports

# 7. Removal.
check "del-port ${P}s2" ctl del-port "$BR" "${P}s2"
expect "datapath port 9 gone" "0 $BR 1 ${P}s1 2 ${P}d 3 ${P}no " dp_ports
check "del-br $BR" ctl del-br "$BR"
check "datapath gone" bash -c "! '$DPCTL' dump-dps | grep -q 'netdev@$BR'"
check "internal device gone" bash -c "! ip link show '$BR'"
check "veth ${P}s1 still there" ip link show "${P}s1"
check "vswitchd still running" kill -0 "$(cat "$VSWITCH_RUNDIR/vswitchd.pid")"
