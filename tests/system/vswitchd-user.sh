#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# vswitchd --user: after dropping root it keeps exactly CAP_NET_ADMIN,
# CAP_NET_RAW and CAP_NET_BIND_SERVICE (nothing in the bounding set), and
# still builds a bridge with its internal port and a veth port from the
# database.  The user is "vswitch" if the host has one, else "nobody".
# timeout: 60
. "$(dirname "$0")/../lib.sh"
require_root
require ip

LITE=$BUILD/ovsdb-lite/ovsdb-lite
TOOL=$BUILD/ovsdb-lite/ovsdb-lite-tool
VSWITCHD=$BUILD/vswitchd/vswitchd
CTL=$BUILD/utilities/vswitch-ctl
[ -x "$LITE" ] && [ -x "$VSWITCHD" ] && [ -x "$CTL" ] || fail "build first"
USER_=vswitch
id "$USER_" > /dev/null 2>&1 || USER_=nobody
id "$USER_" > /dev/null 2>&1 || skip "no unprivileged user"
export VSWITCH_RUNDIR=$TMPD/run
mkdir -p "$VSWITCH_RUNDIR"
chmod 755 "$TMPD"

ctl() { timeout 20 "$CTL" --db="unix:$VSWITCH_RUNDIR/db.sock" --timeout=10 "$@"; }

"$TOOL" create "$TMPD/conf.db" "$SRCDIR/vswitchd/vswitch.ovsschema" ||
    fail "cannot create database"
"$LITE" --remote="punix:$VSWITCH_RUNDIR/db.sock" --unixctl="$TMPD/lite.ctl" \
    --log-file="$TMPD/lite.log" --pidfile="$TMPD/lite.pid" --detach \
    "$TMPD/conf.db" 2> /dev/null || fail "ovsdb-lite did not start"
track_pidfile "$TMPD/lite.pid"
# The unprivileged daemon must reach the database and write its rundir.
chmod 777 "$VSWITCH_RUNDIR/db.sock"
chown "$USER_" "$VSWITCH_RUNDIR"
track_pidfile "$VSWITCH_RUNDIR/vswitchd.pid"
"$VSWITCHD" --detach --pidfile --log-file="$TMPD/vswitchd.log" --user "$USER_" ||
    fail "vswitchd --user $USER_ did not start"
pid=$(cat "$VSWITCH_RUNDIR/vswitchd.pid")

P=br$$
BR=${P}u
add_veth "${P}p1" "${P}p2"
at_cleanup ip link delete "$BR"

expect "runs as $USER_" "$(id -u "$USER_")" awk '/^Uid:/ {print $3}' "/proc/$pid/status"
# CAP_NET_BIND_SERVICE (10), CAP_NET_ADMIN (12), CAP_NET_RAW (13).
expect "effective capabilities: NET_ADMIN, NET_RAW, NET_BIND_SERVICE" \
    0000000000003400 awk '/^CapEff:/ {print $2}' "/proc/$pid/status"
expect "permitted capabilities: the same" \
    0000000000003400 awk '/^CapPrm:/ {print $2}' "/proc/$pid/status"
expect "bounding set empty" \
    0000000000000000 awk '/^CapBnd:/ {print $2}' "/proc/$pid/status"
# init alone, without waiting (a transaction creating the Open_vSwitch
# row does not bump next_cfg, so vswitch-ctl would not wait).
"$CTL" --db="unix:$VSWITCH_RUNDIR/db.sock" --no-wait init
expect "add-br + add-port (wait mode) as $USER_" 0 \
    bash -c "$(declare -f ctl); CTL='$CTL'; VSWITCH_RUNDIR='$VSWITCH_RUNDIR'; ctl add-br '$BR' -- add-port '$BR' '${P}p1' > /dev/null; echo \$?"
expect "internal port ofport" 65534 ctl get Interface "$BR" ofport
expect "veth port ofport" 1 ctl get Interface "${P}p1" ofport
expect "no interface errors" '[] []' bash -c "$(declare -f ctl); CTL='$CTL'; VSWITCH_RUNDIR='$VSWITCH_RUNDIR'; echo \$(ctl get Interface '$BR' error) \$(ctl get Interface '${P}p1' error)"
