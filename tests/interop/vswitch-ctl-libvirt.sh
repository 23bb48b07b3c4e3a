#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 240
#
# libvirt's exact ovs-vsctl command lines (CONTRACTS.md section 2) through
# vswitch-ctl invoked under the name ovs-vsctl (a compat directory first
# on PATH, as installed by `make install`), against ovsdb-lite: first with
# --no-wait, then in wait mode (libvirt's own argv, --timeout=5) against
# cfg-bumper standing in for vswitchd, and the timeout path (exit 142).
# Prints TAP.
. "$(dirname "$0")/../lib.sh"
require python3

LITE=$BUILD/ovsdb-lite/ovsdb-lite
TOOL=$BUILD/ovsdb-lite/ovsdb-lite-tool
CTL=$BUILD/utilities/vswitch-ctl
BUMPER=$BUILD/tests/helpers/cfg-bumper
[ -x "$LITE" ] && [ -x "$CTL" ] && [ -x "$BUMPER" ] || fail "build first"

"$TOOL" create "$TMPD/conf.db" "$SRCDIR/vswitchd/vswitch.ovsschema" ||
    fail "cannot create database"
"$LITE" --remote="punix:$TMPD/db.sock" --unixctl="$TMPD/lite.ctl" \
    --log-file="$TMPD/lite.log" --pidfile="$TMPD/lite.pid" --detach \
    "$TMPD/conf.db" 2> /dev/null || fail "ovsdb-lite did not start"
track_pidfile "$TMPD/lite.pid"
DB=unix:$TMPD/db.sock

# The compat directory: only "ovs-vsctl", pointing at vswitch-ctl.  The
# default socket comes from OVS_RUNDIR, as libvirt passes no --db.
mkdir -p "$TMPD/compat"
ln -s "$CTL" "$TMPD/compat/ovs-vsctl"
export PATH="$TMPD/compat:$PATH" OVS_RUNDIR=$TMPD
[ "$(command -v ovs-vsctl)" = "$TMPD/compat/ovs-vsctl" ] || fail "PATH"

NW=--no-wait
MAC=52:54:00:71:b1:b6
IFID=09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f
DOM=6f2b2a1c-0000-4c1e-9d6e-7b0c2b3a4d5e

attach() {  # attach [--no-wait] TAP [VLAN args...]
    local nw=
    [ "$1" = --no-wait ] && { nw=--no-wait; shift; }
    local tap=$1; shift
    ovs-vsctl --timeout=5 $nw -- --may-exist add-port br0 "$tap" "$@" \
        -- set Interface "$tap" "external-ids:attached-mac=\"$MAC\"" \
        -- set Interface "$tap" "external-ids:iface-id=\"$IFID\"" \
        -- set Interface "$tap" "external-ids:vm-id=\"$DOM\"" \
        -- set Interface "$tap" external-ids:iface-status=active
}

check "init and bridge" ovs-vsctl $NW -- init -- add-br br0
check "attach, no VLAN" attach $NW vnet0
check "attach, native-untagged + trunk" attach $NW vnet1 vlan_mode=native-untagged tag=42 trunk=42,47
check "attach, native-tagged" attach $NW vnet2 vlan_mode=native-tagged tag=7
check "attach, single tag" attach $NW vnet3 tag=9
check "attach with profile" ovs-vsctl --timeout=5 $NW -- --may-exist add-port br0 vnet4 \
    -- set Interface vnet4 "external-ids:attached-mac=\"$MAC\"" \
    -- set Interface vnet4 "external-ids:iface-id=\"$IFID\"" \
    -- set Interface vnet4 "external-ids:vm-id=\"$DOM\"" \
    -- set Interface vnet4 "external-ids:port-profile=\"prof\"" \
    -- set Interface vnet4 "external-ids:ifname=\"vnet4\"" \
    -- set Interface vnet4 external-ids:iface-status=active
expect "mac stored unquoted" "\"$MAC\"" ovs-vsctl get Interface vnet1 external_ids:attached-mac
expect "vm-id" "vm-id=$DOM" bash -c "ovs-vsctl --bare --columns=external_ids find Interface name=vnet1 | grep -o 'vm-id=$DOM'"
expect "vnet1 vlan" "42 [42, 47] native-untagged" bash -c 'echo $(ovs-vsctl get Port vnet1 tag trunks vlan_mode)'
expect "vnet2 vlan" "7 native-tagged" bash -c 'echo $(ovs-vsctl get Port vnet2 tag vlan_mode)'
check "re-attach unchanged (may-exist)" attach $NW vnet1 vlan_mode=native-untagged tag=42 trunk=42,47
ovs-vsctl $NW add-br br9
expect "may-exist on another bridge fails" 1 bash -c \
    "ovs-vsctl --timeout=5 $NW -- --may-exist add-port br9 vnet1 2>/dev/null; echo \$?"
check "update vlan" ovs-vsctl --timeout=5 $NW -- --if-exists clear Port vnet1 tag \
    -- --if-exists clear Port vnet1 trunk -- --if-exists clear Port vnet1 vlan_mode \
    -- --if-exists set Port vnet1 trunk=100,200 vlan_mode=trunk
expect "vlan updated" "[] [100, 200] trunk" bash -c 'echo $(ovs-vsctl get Port vnet1 tag trunks vlan_mode)'
ovs-vsctl $NW set Interface vnet1 'statistics={rx_bytes=10,tx_bytes=20,rx_packets=1}'
expect "statistics query" '["map",[["rx_bytes",10],["rx_packets",1],["tx_bytes",20]]]' \
    ovs-vsctl --timeout=5 --if-exists --format=list --data=json --no-headings --columns=statistics list Interface vnet1
expect "statistics of an absent interface: empty" "" \
    ovs-vsctl --timeout=5 --if-exists --format=list --data=json --no-headings --columns=statistics list Interface nosuch
expect "iface-to-br" "br0" ovs-vsctl --timeout=5 iface-to-br vnet1
expect "iface-to-br absent: nonzero" 1 bash -c 'ovs-vsctl --timeout=5 iface-to-br nosuch 2>/dev/null; echo $?'
check "set migrate data" ovs-vsctl --timeout=5 $NW set Interface vnet1 external_ids:PortData=abc
expect "get migrate data" "abc" ovs-vsctl --timeout=5 --if-exists get Interface vnet1 external_ids:PortData
expect "vhostuser find" "vnet4" ovs-vsctl --timeout=5 --no-headings --columns=name find Interface 'external-ids:ifname="vnet4"'
check "QoS create" ovs-vsctl --timeout=5 $NW -- set port vnet1 qos=@qos1 \
    "external-ids:vm-id=\"$DOM\"" "external-ids:ifname=\"vnet1\"" \
    -- --id=@qos1 create qos type=linux-htb other_config:min-rate=8000 queues:0=@queue0 \
    "external-ids:vm-id=\"$DOM\"" "external-ids:ifname=\"vnet1\"" \
    -- --id=@queue0 create queue other_config:min-rate=8000 \
    "external-ids:vm-id=\"$DOM\"" "external-ids:ifname=\"vnet1\""
check "ingress policing" ovs-vsctl --timeout=5 $NW set Interface vnet1 ingress_policing_rate=1000 ingress_policing_burst=100
QOS=$(ovs-vsctl --timeout=5 --no-heading --columns=_uuid find qos "external-ids:vm-id=\"$DOM\"" "external-ids:ifname=\"vnet1\"" | awk '{print $NF}')
QUEUE=$(ovs-vsctl --timeout=5 --no-heading --columns=_uuid find queue "external-ids:vm-id=\"$DOM\"" "external-ids:ifname=\"vnet1\"" | awk '{print $NF}')
[ -n "$QOS" ] && pass "find qos" || flunk "find qos"
[ -n "$QUEUE" ] && pass "find queue" || flunk "find queue"
expect "port refers to the qos" "$QOS" ovs-vsctl get Port vnet1 qos
check "QoS remove" ovs-vsctl --timeout=5 $NW -- remove port vnet1 qos "$QOS" \
    -- destroy qos "$QOS" -- destroy queue "$QUEUE"
expect "no QoS left" "" ovs-vsctl --bare --columns=_uuid list QoS
check "detach" ovs-vsctl --timeout=5 $NW -- --if-exists del-port vnet0
check "detach absent" ovs-vsctl --timeout=5 $NW -- --if-exists del-port vnet0
expect "ports left" "$(printf 'vnet1\nvnet2\nvnet3\nvnet4')" ovs-vsctl list-ports br0
expect "a failing chain commits nothing" "1 vnet1 vnet2 vnet3 vnet4" bash -c \
    "ovs-vsctl $NW -- add-port br0 vnetX -- set Port nosuch tag=1 2>/dev/null; echo \$? \$(ovs-vsctl list-ports br0)"

# --- wait mode: libvirt's argv as is (no --no-wait) ------------------------
cfg() { echo $(ovs-vsctl get Open_vSwitch . next_cfg cur_cfg); }
"$BUMPER" "$DB" 2> "$TMPD/bumper.err" &
BPID=$!; at_cleanup kill_pid $BPID
check "attach waits for cur_cfg" attach vnet5 tag=5
read -r NEXT CUR <<< "$(cfg)"
[ "$NEXT" = "$CUR" ] && [ "$NEXT" -ge 1 ] && pass "cur_cfg caught up ($NEXT)" || flunk "next/cur $NEXT $CUR"
expect "ofport assigned before exit" 1 bash -c '[ "$(ovs-vsctl get Interface vnet5 ofport)" -ge 1 ] && echo 1'
check "detach waits" ovs-vsctl --timeout=5 -- --if-exists del-port vnet5
ovs-vsctl --timeout=5 add-port br0 bad0 > "$TMPD/out" 2> "$TMPD/err"; rc=$?
if [ $rc = 0 ] && grep -q "Error detected while setting up 'bad0': could not open network device bad0" "$TMPD/err"; then
    pass "ofport -1 reported with its error, exit 0"
else
    flunk "ofport -1 report (exit $rc)"; sed 's/^/#   /' "$TMPD/err"
fi
expect "read-only commands do not bump next_cfg" "$(cfg)" bash -c 'ovs-vsctl list-br > /dev/null; echo $(ovs-vsctl get Open_vSwitch . next_cfg cur_cfg)'
kill_pid $BPID
ovs-vsctl --timeout=1 add-port br0 vnet6 > /dev/null 2>&1; rc=$?
[ $rc = 142 ] && pass "no cur_cfg within --timeout: exit 142" || flunk "timeout exit $rc"
expect "the change stays committed" "vnet6" bash -c 'ovs-vsctl list-ports br0 | grep -x vnet6'

# A chain that creates the Open_vSwitch row ("init" on an empty database)
# waits too: it starts next_cfg at 1, as ovs-vsctl does.
mkdir -p "$TMPD/e"
"$TOOL" create "$TMPD/e/conf.db" "$SRCDIR/vswitchd/vswitch.ovsschema" &&
"$LITE" --remote="punix:$TMPD/e/db.sock" --unixctl="$TMPD/e/lite.ctl" \
    --log-file="$TMPD/e/lite.log" --pidfile="$TMPD/e/lite.pid" --detach \
    "$TMPD/e/conf.db" 2> /dev/null || fail "second ovsdb-lite did not start"
track_pidfile "$TMPD/e/lite.pid"
ovs-vsctl --db="unix:$TMPD/e/db.sock" --timeout=1 init > /dev/null 2>&1; rc=$?
[ $rc = 142 ] && pass "init on an empty database waits: exit 142" || flunk "init on an empty database: exit $rc"
expect "init started next_cfg at 1" "1 0" bash -c "echo \$(ovs-vsctl --db=unix:$TMPD/e/db.sock get Open_vSwitch . next_cfg cur_cfg)"
"$BUMPER" "unix:$TMPD/e/db.sock" 2> "$TMPD/bumper2.err" &
BPID=$!; at_cleanup kill_pid $BPID
check "init -- add-br on a fresh database waits for cur_cfg" bash -c "ovs-vsctl --db=unix:$TMPD/e/db.sock --timeout=5 -- --may-exist add-br brE && [ \"\$(ovs-vsctl --db=unix:$TMPD/e/db.sock get Open_vSwitch . cur_cfg)\" -ge 2 ]"
kill_pid $BPID
echo "1..$n"
