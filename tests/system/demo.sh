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
before_ns=$(ip netns list | wc -l)
if (cd "$SRCDIR" && BUILD=$BUILD timeout 100 build-aux/demo.sh) > "$out" 2>&1; then
    pass "demo.sh exits 0"
else
    flunk "demo.sh exits 0"
    sed 's/^/#   /' "$out" | tail -30
fi
grep -q " 0% packet loss" "$out" && pass "the VMs ping each other through the switch" ||
    flunk "the VMs ping each other through the switch"
grep -qE "^ofport +: 7$" "$out" && pass "ofport_request honoured in wait mode" ||
    flunk "ofport_request honoured in wait mode"
grep -q "demo: done" "$out" && pass "demo reaches its end" || flunk "demo reaches its end"
[ "$(ip netns list | wc -l)" = "$before_ns" ] && pass "no namespace left behind" ||
    flunk "no namespace left behind"
! ip -br link | grep -q "^vd[0-9]" && pass "no device left behind" ||
    flunk "no device left behind"
echo "1..$n"
