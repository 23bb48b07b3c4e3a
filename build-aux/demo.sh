#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# demo.sh: the main job, end to end, with what exists today.  Everything runs
# in a private run directory and is stopped (by pid) before the script ends.
#
# Today: the sample daemon built on the core library, driven with
# vswitch-appctl.  Later issues grow this into the full switch demo
# (ovsdb-lite + vswitchd + namespace "VMs").
set -eu
BUILD=${BUILD:-build}
APPCTL=$BUILD/utilities/vswitch-appctl
DAEMON=$BUILD/tests/helpers/sampled
RUN=$(mktemp -d /tmp/vswitch-demo.XXXXXX)
export VSWITCH_RUNDIR=$RUN VSWITCH_LOGDIR=$RUN
pid=
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2> /dev/null; then
        kill "$pid"
    fi
    rm -rf "$RUN"
}
trap cleanup EXIT

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

echo "vswitch demo: run directory $RUN"
step "$DAEMON" --detach --pidfile --log-file
pid=$(cat "$RUN/sampled.pid")
step "$APPCTL" -t sampled version
step "$APPCTL" -t sampled list-commands
step "$APPCTL" -t sampled sample/echo hello from the control socket
step "$APPCTL" -t sampled vlog/set sampled:file:dbg
step "$APPCTL" -t sampled sample/log dbg "a debug line, visible after vlog/set"
step "$APPCTL" -t sampled vlog/list
step "$APPCTL" -t sampled coverage/show
step "$APPCTL" -t sampled exit
for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2> /dev/null; then
    echo "demo: daemon did not exit" >&2
    exit 1
fi
printf '\n$ cat %s/sampled.log\n' "$RUN"
cat "$RUN/sampled.log"
echo
echo "demo: done; the daemon exited and left no pidfile or socket behind:"
ls -A "$RUN"
