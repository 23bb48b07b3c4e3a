#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 120
#
# The IDL's write side against ovsdb-lite: named-uuid inserts, increment,
# mutate, a failed verification and its retry, a constraint error, delete,
# dry run, and lock ownership (tests/helpers/idl-txn.c); then 20 concurrent
# vswitch-ctl add-port runs on one bridge, whose verifications collide
# and must all be retried to success.  Prints TAP.
. "$(dirname "$0")/../lib.sh"

LITE=$BUILD/ovsdb-lite/ovsdb-lite
TOOL=$BUILD/ovsdb-lite/ovsdb-lite-tool
HELPER=$BUILD/tests/helpers/idl-txn
CTL=$BUILD/utilities/vswitch-ctl
[ -x "$LITE" ] && [ -x "$HELPER" ] && [ -x "$CTL" ] || fail "build first"

"$TOOL" create "$TMPD/conf.db" "$SRCDIR/vswitchd/vswitch.ovsschema" ||
    fail "cannot create database"
"$LITE" --remote="punix:$TMPD/db.sock" --unixctl="$TMPD/lite.ctl" \
    --log-file="$TMPD/lite.log" --pidfile="$TMPD/lite.pid" --detach \
    "$TMPD/conf.db" 2> /dev/null || fail "ovsdb-lite did not start"
track_pidfile "$TMPD/lite.pid"
DB=unix:$TMPD/db.sock


"$HELPER" "$DB" > "$TMPD/out" 2> "$TMPD/err" || flunk "idl-txn exit $?"
while IFS= read -r want; do
    if grep -qxF -- "$want" "$TMPD/out"; then pass "$want"; else
        flunk "$want"; sed 's/^/#   /' "$TMPD/out"; fi
done <<'EXPECTED'
insert: success
insert uuid mapped: yes
bridge in replica: yes
next_cfg now 1
next_cfg now 2
mutate: success
external_ids has k: yes
other client: success
stale verify: try again
retry: success
qos after dry run: present
delete qos: success
qos after delete: gone
a has lock: yes, b has lock: no
b without lock: not locked
a with lock: success
EXPECTED
if grep -q '^bad value: error (transaction error: .*constraint violation' "$TMPD/out"; then
    pass "constraint error reported"
else flunk "constraint error"; fi

# Concurrent writers: each reads Bridge.ports, adds one, verifies it.
CTLDB="$CTL --db=$DB --no-wait --timeout=60"
$CTLDB add-br brc || fail "add-br"
pids=()
for i in $(seq 20); do
    $CTLDB add-port brc "c$i" > /dev/null 2> "$TMPD/c$i.err" &
    pids+=($!)
done
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
[ $bad = 0 ] && pass "20 concurrent add-port succeeded" || flunk "$bad concurrent add-port failed"
got=$($CTLDB list-ports brc | wc -l)
[ "$got" = 20 ] && pass "all 20 ports present" || flunk "ports present: $got"
echo "1..$n"
