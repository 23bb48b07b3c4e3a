#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The sample daemon through its whole life: --detach --pidfile --log-file,
# driven by vswitch-appctl (vlog/set changes what it logs), stopped by
# "exit" and by SIGTERM, log reopened on SIGHUP, started under --user with
# only the capabilities it names; afterwards nothing is left running.
# timeout: 120
. "$(dirname "$0")/../lib.sh"
require_root

D=$BUILD/tests/helpers/sampled
APPCTL=$BUILD/utilities/vswitch-appctl
export VSWITCH_RUNDIR=$TMPD/run VSWITCH_LOGDIR=$TMPD/log
mkdir -p "$VSWITCH_RUNDIR" "$VSWITCH_LOGDIR"
track_pidfile "$VSWITCH_RUNDIR/sampled.pid"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else nok "$what"; fi; }

start() {
    "$D" --detach --pidfile --log-file "$@"
}
log_has() { grep -q -- "$1" "$VSWITCH_LOGDIR/sampled.log"; }
pid_of() { cat "$VSWITCH_RUNDIR/sampled.pid"; }
gone() { [ -n "$1" ] && ! kill -0 "$1" 2> /dev/null; }

# 1. Detach: the parent returns only once the daemon is ready.
start
check "detach returns 0 with a pidfile" test -s "$VSWITCH_RUNDIR/sampled.pid"
pid=$(pid_of)
check "daemon runs" kill -0 "$pid"
check "control socket exists" test -S "$VSWITCH_RUNDIR/sampled.$pid.ctl"
check "echo by name" test "$($APPCTL -t sampled sample/echo a b)" = "a b"

# 2. A second instance refuses the locked pidfile.
out=$("$D" --pidfile 2>&1); rc=$?
check "second instance refused (exit 1)" test "$rc" = 1
check "message names the running pid" grep -q "already running as pid $pid" <<< "$out"

# 3. vlog/set changes what is logged.
$APPCTL -t sampled sample/log dbg first-debug-line
check "dbg hidden by default" bash -c "! grep -q first-debug-line $VSWITCH_LOGDIR/sampled.log"
$APPCTL -t sampled vlog/set sampled:file:dbg
$APPCTL -t sampled sample/log dbg second-debug-line
check "dbg logged after vlog/set" log_has "|sampled|DBG|second-debug-line"
check "vlog/list shows the change" bash -c "$APPCTL -t sampled vlog/list | grep -Eq '^sampled +INFO +OFF +DBG'"
$APPCTL -t sampled vlog/set sampled:file:warn
$APPCTL -t sampled sample/log info third-info-line
check "info hidden at warn" bash -c "! grep -q third-info-line $VSWITCH_LOGDIR/sampled.log"
out=$($APPCTL -t sampled vlog/set nosuch:dbg 2>&1); rc=$?
check "bad vlog/set is an error (exit 1)" test "$rc" = 1
check "bad vlog/set names the word" grep -q nosuch <<< "$out"

# 4. Coverage counters move.
$APPCTL -t sampled sample/echo x > /dev/null
check "coverage/show counts" bash -c "$APPCTL -t sampled coverage/show | grep -Eq '^sampled_echo +[1-9]'"

# 5. SIGHUP reopens the log after rotation.
mv "$VSWITCH_LOGDIR/sampled.log" "$VSWITCH_LOGDIR/sampled.log.1"
kill -HUP "$pid"
wait_for 5 test -f "$VSWITCH_LOGDIR/sampled.log"
$APPCTL -t sampled sample/log warn after-rotation
check "log reopened on SIGHUP" log_has after-rotation

# 6. exit stops it and removes pidfile and socket.
$APPCTL -t sampled exit
wait_for 5 gone "$pid"
check "exit stops the daemon" gone "$pid"
check "pidfile removed" test ! -e "$VSWITCH_RUNDIR/sampled.pid"
check "socket removed" test ! -e "$VSWITCH_RUNDIR/sampled.$pid.ctl"

# 7. SIGTERM stops it cleanly too.
start
pid=$(pid_of)
kill -TERM "$pid"
wait_for 5 gone "$pid"
check "SIGTERM stops the daemon" gone "$pid"
check "pidfile removed after SIGTERM" test ! -e "$VSWITCH_RUNDIR/sampled.pid"

# 8. --user drops root and keeps only CAP_NET_ADMIN and CAP_NET_RAW.
chmod 755 "$TMPD"
chown nobody "$VSWITCH_RUNDIR" "$VSWITCH_LOGDIR" "$VSWITCH_LOGDIR"/*
start --user nobody
pid=$(pid_of)
who=$($APPCTL -t sampled sample/whoami)
uid=$(id -u nobody)
check "runs as nobody" grep -Eq "^Uid:\s+$uid\s+$uid\s+$uid" <<< "$who"
# CAP_NET_ADMIN is bit 12, CAP_NET_RAW bit 13: 0x3000.
check "effective caps are exactly NET_ADMIN+NET_RAW" grep -Eq '^CapEff:\s+0000000000003000$' <<< "$who"
check "bounding set empty: exec cannot regain anything" grep -Eq '^CapBnd:\s+0000000000000000$' <<< "$who"
$APPCTL -t sampled exit
wait_for 5 gone "$pid"
check "unprivileged daemon exits" gone "$pid"

# 9. Bad usage: one line, exit 2.
out=$("$D" --bogus 2>&1); rc=$?
check "unknown daemon option exits 2" test "$rc" = 2
check "one-line message" test "$(wc -l <<< "$out")" = 1
out=$($APPCTL 2>&1); rc=$?
check "appctl without command exits 2" test "$rc" = 2
out=$($APPCTL -t nosuchdaemon version 2>&1); rc=$?
check "appctl to a missing daemon exits 1" test "$rc" = 1

# 10. Nothing left.
check "no process left" bash -c "! pgrep -f -- '$D' | grep -qx '$pid'"
echo "1..$n"
