#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 300
#
# Differential test: one scripted list of commands runs through Debian's
# real ovs-vsctl against one fresh ovsdb-lite and through vswitch-ctl
# against another (both --no-wait).  Every command must give the same exit
# status and output (uuids normalized), and the two databases must end up
# with the same contents (rows compared by name, references by the name of
# the row they point to).  Prints TAP.
. "$(dirname "$0")/../lib.sh"
require ovs-vsctl python3

LITE=$BUILD/ovsdb-lite/ovsdb-lite
TOOL=$BUILD/ovsdb-lite/ovsdb-lite-tool
CTL=$BUILD/utilities/vswitch-ctl
[ -x "$LITE" ] && [ -x "$CTL" ] || fail "build first"

start_db() {  # start_db NAME
    "$TOOL" create "$TMPD/$1.db" "$SRCDIR/vswitchd/vswitch.ovsschema" ||
        fail "cannot create $1.db"
    "$LITE" --remote="punix:$TMPD/$1.sock" --unixctl="$TMPD/$1.ctl" \
        --log-file="$TMPD/$1.log" --pidfile="$TMPD/$1.pid" --detach \
        "$TMPD/$1.db" 2> /dev/null || fail "ovsdb-lite $1 did not start"
    track_pidfile "$TMPD/$1.pid"
}
start_db real
start_db ours

norm() { sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g; s/^(ovs-vsctl|vswitch-ctl): //'; }

# run ARGS...: the same command through both; compare status and output.
run() {
    local a b ra rb
    ovs-vsctl --db="unix:$TMPD/real.sock" --no-wait --timeout=10 "$@" \
        > "$TMPD/a.out" 2> "$TMPD/a.err"; ra=$?
    "$CTL" --db="unix:$TMPD/ours.sock" --no-wait --timeout=10 "$@" \
        > "$TMPD/b.out" 2> "$TMPD/b.err"; rb=$?
    a=$(norm < "$TMPD/a.out"); b=$(norm < "$TMPD/b.out")
    if [ "$ra" = "$rb" ] && [ "$a" = "$b" ]; then
        pass "$* (exit $ra)"
    else
        flunk "$*"
        echo "#   ovs-vsctl exit $ra: $(head -c 300 "$TMPD/a.out" "$TMPD/a.err" | tr '\n' '|')"
        echo "#   vswitch-ctl exit $rb: $(head -c 300 "$TMPD/b.out" "$TMPD/b.err" | tr '\n' '|')"
    fi
}

run init
run add-br br0
run add-br br1
run list-br
run add-port br0 p1 tag=10
run add-port br0 p2 trunks=10,20,30 vlan_mode=trunk
run add-port br0 p3 -- set Interface p3 type=internal 'external-ids:owner="x y"'
run add-bond br1 bond0 e1 e2 bond_mode=balance-slb
run list-ports br0
run list-ports br1
run list-ifaces br1
run port-to-br p2
run iface-to-br e2
run br-exists br0
run br-exists nosuch
run get Port p1 tag
run get Port p2 trunks vlan_mode name
run get Interface p3 type external_ids external_ids:owner
run get interface p3 external-ids:nosuch
run --if-exists get interface p3 external-ids:nosuch
run set Port p1 tag=20 other_config:a=b 'other_config:c="1"'
run get Port p1 other_config tag
run --columns=name,tag find Port tag=20
run --bare --columns=name find Port vlan_mode=trunk
run --columns=name,tag,trunks list Port p1 p2
run --format=json --columns=name,trunks,tag list Port p2
run --format=csv --columns=name,trunks list Port p2
run --format=table --columns=name,tag,other_config list Port p1
run --format=html --columns=name,tag list Port p1
run --format=list --data=json --no-headings --columns=trunks list Port p2
run --data=bare --columns=name,external_ids list Interface p3
run --pretty --format=json --columns=name,tag list Port p1
run add Port p2 trunks 40
run remove Port p2 trunks 10
run get Port p2 trunks
run remove Port p1 other_config a
run clear Port p1 tag
run get Port p1 tag other_config
run add Bridge br0 flood_vlans 7 8
run get Bridge br0 flood_vlans
run br-set-external-id br0 k v
run br-get-external-id br0
run br-get-external-id br0 k
run set-controller br0 tcp:127.0.0.1:6653 ptcp:6654
run get-controller br0
run set-fail-mode br0 secure
run get-fail-mode br0
run del-fail-mode br0
run get-fail-mode br0
run del-controller br0
run set-manager ptcp:6640
run get-manager
run del-manager
run -- --id=@q create QoS type=linux-htb other_config:max-rate=1000 -- set Port p1 qos=@q
run -- --if-exists del-port nosuch
run del-port br0 p2
run del-port p9
run del-port br1 p1
run --with-iface del-port e1
run list-ports br1
run --may-exist add-port br0 p1
run --may-exist add-port br1 p1
run --may-exist add-br br0
run add-br br0
run add-port br0 p1
run add-port nosuch p5
run set Port p1 tag=5000
run set Port p1 tag=x
run set Port p1 nosuchcolumn=1
run get i p1 name
run get Port p1 s
run list nosuch
run set Port p1 name=new
run set Port p1 external_ids:a
run set Port p1 qos=@nowhere
run bogus-command
run add-port br0 p6 -- set Port p6 tag=1 -- set Port nosuch tag=2
run list-ports br0
run add-br fb0 br0 10
run list-br
run --fake list-br
run --real list-br
run br-to-vlan fb0
run br-to-parent fb0
run br-exists fb0
run add-port fb0 f1
run get Port f1 tag
run list-ports fb0
run list-ports br0
run list-ifaces fb0
run port-to-br f1
run iface-to-br f1
run br-set-external-id fb0 a b
run br-get-external-id fb0
run br-get-external-id fb0 a
run --may-exist add-port br0 f1
run --may-exist add-br fb0 br0 10
run add-br fb9 br0 5000
run del-port fb0
# A port moved between bridges in one chain: the set names the new row.
run add-port br0 mv0 -- set Interface mv0 type=internal
run del-port br0 mv0 -- add-port br1 mv0 -- set Interface mv0 type=dummy
run get Interface mv0 type
run port-to-br mv0
run del-br br1 -- add-br br1 -- add-port br1 mv0
run get Interface mv0 type
run add-br fb1 br0 20 -- add-port fb1 f2 -- add-port fb1 f3
run list-ports fb1
run del-br fb1
run list-ports br0
run del-br br1
run list-br
run emer-reset
run --columns=name,controller,fail_mode list Bridge

# The databases: each table read the same way, uuids turned into names.
dump() {
    python3 - "$1" <<'PY'
import json, subprocess, sys
db = sys.argv[1]
tables = ["Open_vSwitch", "Bridge", "Port", "Interface", "Controller",
          "Manager", "QoS", "Queue", "Mirror", "NetFlow", "sFlow", "IPFIX"]
data = {}
for t in tables:
    out = subprocess.run(["ovs-vsctl", "--db=" + db, "--format=json", "list", t],
                         capture_output=True, text=True, check=True).stdout
    j = json.loads(out)
    data[t] = [dict(zip(j["headings"], row)) for row in j["data"]]
label = {}
for t, rows in data.items():
    for i, r in enumerate(rows):
        name = r.get("name") or r.get("target") or json.dumps(r.get("type"))
        label[r["_uuid"][1]] = "%s:%s" % (t, name if isinstance(name, str) else json.dumps(name))
def fix(v):
    if isinstance(v, list):
        if len(v) == 2 and v[0] == "uuid":
            return ["ref", label.get(v[1], "?")]
        return sorted((fix(x) for x in v), key=json.dumps) if v and v[0] not in ("map", "set") else [v[0], sorted((fix(x) for x in v[1]), key=json.dumps)] if v and v[0] in ("map", "set") else v
    return v
for t in tables:
    rows = []
    for r in data[t]:
        r.pop("_uuid", None)
        rows.append(json.dumps({k: fix(v) for k, v in r.items()}, sort_keys=True))
    for line in sorted(rows):
        print(t, line)
PY
}
dump "unix:$TMPD/real.sock" > "$TMPD/real.dump" || fail "dump real"
dump "unix:$TMPD/ours.sock" > "$TMPD/ours.dump" || fail "dump ours"
if diff -u "$TMPD/real.dump" "$TMPD/ours.dump" > "$TMPD/dump.diff"; then
    pass "same database contents ($(wc -l < "$TMPD/real.dump") rows)"
else
    flunk "database contents differ"
    sed 's/^/#   /' "$TMPD/dump.diff" | head -40
fi
echo "1..$n"
