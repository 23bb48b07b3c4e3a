#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The README's main job: build-aux/demo.sh (what `sudo make demo` runs
# after deps and the build) forwards a ping between two namespaces through
# ovsdb-lite + vswitchd and leaves no namespace, device or daemon behind.
# timeout: 120
. "$(dirname "$0")/../lib.sh"
require_root
require ip

out=$(mktemp)
at_cleanup rm -f "$out"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); echo "not ok $n - $*"; }
before_ns=$(ip netns list | wc -l)
if (cd "$SRCDIR" && BUILD=$BUILD timeout 100 build-aux/demo.sh) > "$out" 2>&1; then
    ok "demo.sh exits 0"
else
    nok "demo.sh exits 0"
    sed 's/^/#   /' "$out" | tail -30
fi
grep -q " 0% packet loss" "$out" && ok "the VMs ping each other through the switch" ||
    nok "the VMs ping each other through the switch"
grep -qE "^ofport +: 7$" "$out" && ok "ofport_request honoured in wait mode" ||
    nok "ofport_request honoured in wait mode"
grep -q "demo: done" "$out" && ok "demo reaches its end" || nok "demo reaches its end"
[ "$(ip netns list | wc -l)" = "$before_ns" ] && ok "no namespace left behind" ||
    nok "no namespace left behind"
! ip -br link | grep -q "^vd[0-9]" && ok "no device left behind" ||
    nok "no device left behind"
echo "1..$n"
