#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 240
#
# Debian's real ovs-vsctl and ovsdb-client against ovsdb-lite: the bridge
# and port commands, the generic database commands, libvirt's exact command
# lines (CONTRACTS.md section 2, with --no-wait), and the resulting
# database content.  Prints TAP.
. "$(dirname "$0")/../lib.sh"
require ovs-vsctl ovsdb-client
require_root

LITE=$BUILD/ovsdb-lite/ovsdb-lite
TOOL=$BUILD/ovsdb-lite/ovsdb-lite-tool
[ -x "$LITE" ] || fail "missing $LITE (build first)"


"$TOOL" create "$TMPD/conf.db" "$SRCDIR/vswitchd/vswitch.ovsschema" ||
    fail "cannot create database"
export VSWITCH_RUNDIR=$TMPD
"$LITE" --remote="punix:$TMPD/db.sock" --unixctl="$TMPD/lite.ctl" \
    --log-file="$TMPD/lite.log" --pidfile="$TMPD/lite.pid" --detach \
    "$TMPD/conf.db" || fail "ovsdb-lite did not start"
track_pidfile "$TMPD/lite.pid"
DB=unix:$TMPD/db.sock
VS() { ovs-vsctl --db="$DB" --timeout=20 "$@"; }
# The warnings about columns are not expected (full schema), so keep stderr.

# --- ovsdb-client -----------------------------------------------------------
expect "ovsdb-client list-dbs" "Open_vSwitch" ovsdb-client list-dbs "$DB"
check "ovsdb-client get-schema" ovsdb-client get-schema "$DB" Open_vSwitch
expect "get-schema matches our schema file" \
    "$(python3 -c 'import json,sys; print(sorted(json.load(open(sys.argv[1]))["tables"]))' "$SRCDIR/vswitchd/vswitch.ovsschema")" \
    bash -c "ovsdb-client get-schema '$DB' | python3 -c 'import json,sys; print(sorted(json.load(sys.stdin)[\"tables\"]))'"
expect "ovsdb-client list-tables has Bridge" "Bridge" \
    bash -c "ovsdb-client list-tables '$DB' | grep -x Bridge"
rpc() {     # rpc JSON: send one request on the socket, print the reply
    python3 - "$TMPD/db.sock" "$1" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode()); dec = json.JSONDecoder(); buf = ""
while True:
    buf += s.recv(65536).decode()
    try:
        msg, _ = dec.raw_decode(buf); print(json.dumps(msg, sort_keys=True)); break
    except ValueError:
        continue
PY
}
expect "get_schema _Server is refused" '{"error": "unknown database", "id": 1, "result": null}' \
    rpc '{"id":1,"method":"get_schema","params":["_Server"]}'
expect "monitor_cond_since is refused" '{"error": "unknown method", "id": 2, "result": null}' \
    rpc '{"id":2,"method":"monitor_cond_since","params":["Open_vSwitch",null,{},null]}'
expect "echo" '{"error": null, "id": 3, "result": ["x"]}' \
    rpc '{"id":3,"method":"echo","params":["x"]}' 

# --- ovs-vsctl bridges and ports -------------------------------------------
check "vsctl init" VS --no-wait init
check "add-br br0" VS --no-wait add-br br0
check "add-br br1" VS --no-wait add-br br1
expect "list-br" "$(printf 'br0\nbr1')" VS list-br
check "add-port p1 internal" VS --no-wait add-port br0 p1 -- set Interface p1 type=internal
check "add-port p2 tag" VS --no-wait add-port br0 p2 tag=10
check "add-port p3 trunks + external-ids" VS --no-wait add-port br0 p3 \
    trunks=10,20,30 -- set Interface p3 external-ids:owner=test
expect "list-ports br0" "$(printf 'p1\np2\np3')" VS list-ports br0
expect "port-to-br" "br0" VS port-to-br p2
expect "iface-to-br" "br0" VS iface-to-br p3
expect "get Port p2 tag" "10" VS get Port p2 tag
expect "get Port p3 trunks" "[10, 20, 30]" VS get Port p3 trunks
expect "get Interface p1 type" "internal" VS get Interface p1 type
expect "get external_ids key" 'test' VS get Interface p3 external_ids:owner
check "set Port p2 tag" VS --no-wait set Port p2 tag=20 other_config:a=b
expect "tag updated" "20" VS get Port p2 tag
check "set Bridge br0 datapath_type" VS --no-wait set Bridge br0 datapath_type=netdev
expect "datapath_type" "netdev" VS get Bridge br0 datapath_type
expect "find Port tag=20" "p2" VS --bare --columns=name find Port tag=20
expect "list Bridge name" "$(printf 'br0\nbr1')" \
    bash -c "ovs-vsctl --db='$DB' --bare --columns=name list Bridge | sort | grep ."
check "clear Port p2 tag" VS --no-wait clear Port p2 tag
expect "tag cleared" "[]" VS get Port p2 tag
check "remove trunks" VS --no-wait remove Port p3 trunks 20
expect "trunks after remove" "[10, 30]" VS get Port p3 trunks
check "remove map key" VS --no-wait remove Port p2 other_config a
expect "other_config empty" "{}" VS get Port p2 other_config
check "add (mutate insert)" VS --no-wait add Bridge br0 flood_vlans 7
expect "flood_vlans" "[7]" VS get Bridge br0 flood_vlans
check "duplicate add-port fails" bash -c "! ovs-vsctl --db='$DB' --no-wait add-port br1 p1 2>/dev/null"
check "set-controller" VS --no-wait set-controller br1 tcp:127.0.0.1:6653
expect "get-controller" "tcp:127.0.0.1:6653" VS get-controller br1
check "del-controller" VS --no-wait del-controller br1
check "bad enum value is refused" bash -c "! ovs-vsctl --db='$DB' --no-wait set Port p2 vlan_mode=bogus 2>/dev/null"
check "out-of-range tag is refused" bash -c "! ovs-vsctl --db='$DB' --no-wait set Port p2 tag=5000 2>/dev/null"
check "unknown column is refused" bash -c "ovs-vsctl --db='$DB' --no-wait set Port p2 nosuchcol=1 2>&1 | grep -q 'nosuchcol'"

# --- del-port / del-br and garbage collection ------------------------------
check "del-port p1" VS --no-wait del-port p1
expect "p1 port row collected" "" bash -c "ovsdb-client dump '$DB' Port name | grep -x p1"
expect "p1 interface row collected" "" bash -c "ovsdb-client dump '$DB' Interface name | grep -x p1"
check "--if-exists del-port absent" VS --no-wait --if-exists del-port nosuch
check "del-br br1" VS --no-wait del-br br1
expect "bridges left" "br0" VS list-br
expect "Interface rows after del-br" "$(printf 'br0\np2\np3')" \
    bash -c "ovsdb-client dump '$DB' Interface name | tail -n +4 | sort | tr -d '\"'"

# --- libvirt's command lines (CONTRACTS.md section 2) with --no-wait -------
MAC=52:54:00:71:b1:b6
IFID=09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f
DOM=6f2b2a1c-0000-4c1e-9d6e-7b0c2b3a4d5e
check "libvirt attach (native-untagged, trunk)" VS --no-wait --timeout=5 -- \
    --may-exist add-port br0 vnet0 vlan_mode=native-untagged tag=42 trunk=42,47 \
    -- set Interface vnet0 "external-ids:attached-mac=\"$MAC\"" \
    -- set Interface vnet0 "external-ids:iface-id=\"$IFID\"" \
    -- set Interface vnet0 "external-ids:vm-id=\"$DOM\"" \
    -- set Interface vnet0 external-ids:iface-status=active
expect "attached-mac stored unquoted" "\"$MAC\"" VS get Interface vnet0 external_ids:attached-mac
expect "vlan_mode" "native-untagged" VS get Port vnet0 vlan_mode
expect "trunks" "[42, 47]" VS get Port vnet0 trunks
check "libvirt re-attach (may-exist, no change)" VS --no-wait --timeout=5 -- \
    --may-exist add-port br0 vnet0
check "libvirt attach with profile" VS --no-wait --timeout=5 -- \
    --may-exist add-port br0 vnet1 tag=7 \
    -- set Interface vnet1 "external-ids:attached-mac=\"52:54:00:00:00:01\"" \
    -- set Interface vnet1 "external-ids:iface-id=\"$IFID\"" \
    -- set Interface vnet1 "external-ids:vm-id=\"$DOM\"" \
    -- set Interface vnet1 "external-ids:port-profile=\"prof\"" \
    -- set Interface vnet1 "external-ids:ifname=\"vnet1\"" \
    -- set Interface vnet1 external-ids:iface-status=active
check "libvirt update vlan" VS --no-wait --timeout=5 -- --if-exists clear Port vnet0 tag \
    -- --if-exists clear Port vnet0 trunk -- --if-exists clear Port vnet0 vlan_mode \
    -- --if-exists set Port vnet0 tag=99
expect "vlan updated" "99 [] []" bash -c "echo \$(ovs-vsctl --db='$DB' get Port vnet0 tag trunks vlan_mode)"
expect "libvirt interface stats (empty map)" '["map",[]]' VS --timeout=5 --if-exists \
    --format=list --data=json --no-headings --columns=statistics list Interface vnet0
expect "libvirt iface-to-br" "br0" VS --timeout=5 iface-to-br vnet0
check "libvirt set migrate data" VS --no-wait --timeout=5 set Interface vnet0 external_ids:PortData=abc
expect "libvirt get migrate data" "abc" VS --timeout=5 --if-exists get Interface vnet0 external_ids:PortData
expect "libvirt vhostuser find" "vnet1" VS --timeout=5 --no-headings --columns=name \
    find Interface 'external-ids:ifname="vnet1"'
check "libvirt set qos" VS --no-wait --timeout=5 -- set port vnet0 qos=@qos1 \
    "external-ids:vm-id=\"$DOM\"" "external-ids:ifname=\"vnet0\"" \
    -- --id=@qos1 create qos type=linux-htb other_config:min-rate=8000 queues:0=@queue0 \
    "external-ids:vm-id=\"$DOM\"" "external-ids:ifname=\"vnet0\"" \
    -- --id=@queue0 create queue other_config:min-rate=8000 \
    "external-ids:vm-id=\"$DOM\"" "external-ids:ifname=\"vnet0\""
check "libvirt ingress policing" VS --no-wait --timeout=5 set Interface vnet0 \
    ingress_policing_rate=1000 ingress_policing_burst=100
QOS=$(ovs-vsctl --db="$DB" --no-heading --columns=_uuid find qos "external-ids:vm-id=\"$DOM\"" "external-ids:ifname=\"vnet0\"" | awk '{print $NF}')
QUEUE=$(ovs-vsctl --db="$DB" --no-heading --columns=_uuid find queue "external-ids:vm-id=\"$DOM\"" "external-ids:ifname=\"vnet0\"" | awk '{print $NF}')
[ -n "$QOS" ] && pass "libvirt find qos" || flunk "libvirt find qos"
[ -n "$QUEUE" ] && pass "libvirt find queue" || flunk "libvirt find queue"
check "destroy referenced qos is refused" bash -c "! ovs-vsctl --db='$DB' --no-wait destroy qos $QOS 2>/dev/null"
check "libvirt clear qos" VS --no-wait --timeout=5 -- remove port vnet0 qos "$QOS" \
    -- destroy qos "$QOS" -- destroy queue "$QUEUE"
expect "no QoS rows left" "" bash -c "ovs-vsctl --db='$DB' --bare --columns=_uuid list QoS"
check "libvirt detach" VS --no-wait --timeout=5 -- --if-exists del-port vnet0
check "libvirt detach vnet1" VS --no-wait --timeout=5 -- --if-exists del-port vnet1
expect "ports after detach" "$(printf 'p2\np3')" VS list-ports br0

# --- ovsdb-client transact / dump / monitor ---------------------------------
check "ovsdb-client transact insert" ovsdb-client transact "$DB" \
    '["Open_vSwitch",{"op":"insert","table":"Manager","row":{"target":"ptcp:6640"},"uuid-name":"m"},
      {"op":"mutate","table":"Open_vSwitch","where":[],"mutations":[["manager_options","insert",["set",[["named-uuid","m"]]]]]}]'
expect "manager target" "ptcp:6640" bash -c "ovs-vsctl --db='$DB' get-manager"
expect "transact error names column" "unknown column" bash -c \
    "ovsdb-client transact '$DB' '[\"Open_vSwitch\",{\"op\":\"select\",\"table\":\"Bridge\",\"where\":[[\"nope\",\"==\",1]]}]' | grep -o 'unknown column'"
check "ovsdb-client dump" bash -c "ovsdb-client dump '$DB' | grep -q 'Bridge table'"
ovsdb-client monitor "$DB" Bridge name > "$TMPD/mon.out" 2>&1 &
MONPID=$!; at_cleanup kill_pid $MONPID
wait_for 5 grep -q br0 "$TMPD/mon.out"
VS --no-wait add-br br7
VS --no-wait set Bridge br7 other_config:x=y   # not monitored: no update
VS --no-wait del-br br7
wait_for 5 grep -q 'delete.*br7' "$TMPD/mon.out"
if grep -q 'initial.*br0' "$TMPD/mon.out" && grep -q 'insert.*br7' "$TMPD/mon.out" &&
   grep -q 'delete.*br7' "$TMPD/mon.out"; then pass "ovsdb-client monitor sees initial, insert, delete"
else flunk "ovsdb-client monitor"; sed 's/^/#   /' "$TMPD/mon.out"; fi
ovsdb-client monitor-cond "$DB" Open_vSwitch '[true]' Bridge name > "$TMPD/monc.out" 2>&1 &
MONCPID=$!; at_cleanup kill_pid $MONCPID
wait_for 5 grep -q br0 "$TMPD/monc.out"
VS --no-wait add-br br8
wait_for 5 grep -q 'br8' "$TMPD/monc.out"
grep -q 'insert.*br8' "$TMPD/monc.out" && pass "monitor-cond (update2) sees insert" ||
    { flunk "monitor-cond"; sed 's/^/#   /' "$TMPD/monc.out"; }

# --- introspection and the file --------------------------------------------
check "appctl connections" "$BUILD/utilities/vswitch-appctl" -t "$TMPD/lite.ctl" ovsdb-lite/connections
check "appctl memory" "$BUILD/utilities/vswitch-appctl" -t "$TMPD/lite.ctl" ovsdb-lite/memory
check "appctl compact" "$BUILD/utilities/vswitch-appctl" -t "$TMPD/lite.ctl" ovsdb-lite/compact
expect "content survives compaction" "$(printf 'br0\nbr8')" VS list-br
kill_pid "$(cat "$TMPD/lite.pid")"
check "file loads after shutdown" "$TOOL" check "$TMPD/conf.db"
"$LITE" --remote="punix:$TMPD/db.sock" --unixctl="$TMPD/lite.ctl" \
    --log-file="$TMPD/lite.log" --pidfile="$TMPD/lite.pid" --detach "$TMPD/conf.db" ||
    fail "restart failed"
expect "content after restart" "$(printf 'p2\np3')" VS list-ports br0
expect "tag after restart" "[10, 30]" VS get Port p3 trunks
if grep -q 'WARN\|ERR' "$TMPD/lite.log"; then
    grep 'WARN\|ERR' "$TMPD/lite.log" | sed 's/^/# /'
fi
echo "1..$n"
