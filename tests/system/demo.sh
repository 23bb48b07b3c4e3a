#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The README's main job: build-aux/demo.sh (what `sudo make demo` runs
# after deps and the build) attaches three namespace VMs to a NORMAL
# bridge through ovsdb-lite + vswitchd, pings and runs iperf3 between
# them, shows the learned MACs, the megaflows and a trace, and leaves no
# namespace, device or daemon behind.  Also `make sandbox`'s mode: the
# shell it starts reaches the switch and its exit tears everything down.
# timeout: 200
. "$(dirname "$0")/../lib.sh"
require_root
require ip iperf3

out=$TMPD/demo.out
# left_behind OUTPUT: namespaces or devices of the run whose output is in
# OUTPUT (named after its prefix vdPID; other runs may be going on).
left_behind() {
    local p
    p=$(sed -n 's/.*add-br \(vd[0-9]*\)br.*/\1/p; s/.*bridge \(vd[0-9]*\)br,.*/\1/p' "$1" | head -1)
    [ -n "$p" ] || return 0
    ip netns list | grep -q "^${p}vm" || ip -br link | grep -q "^${p}"
}
if (cd "$SRCDIR" && BUILD=$BUILD timeout 120 build-aux/demo.sh) > "$out" 2>&1; then
    pass "demo.sh exits 0"
else
    flunk "demo.sh exits 0"
    sed 's/^/#   /' "$out" | tail -30
fi
n_ok=$(grep -c " 0% packet loss" "$out")
[ "$n_ok" = 3 ] && pass "the three VMs ping each other through the switch" ||
    flunk "the three VMs ping each other through the switch ($n_ok of 3)"
grep -q "receiver" "$out" && pass "iperf3 between two VMs" || flunk "iperf3 between two VMs"
grep -q "actions=NORMAL" "$out" && pass "the bridge runs on its NORMAL flow" ||
    flunk "the bridge runs on its NORMAL flow"
n_mac=$(grep -cE "^ +[0-9]+ +0  02:00:00:00:00:0[123] " "$out")
[ "$n_mac" = 3 ] && pass "fdb/show lists the three VMs' MACs" ||
    flunk "fdb/show lists the three VMs' MACs ($n_mac)"
grep -q "eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:03),eth_type(0x0800),ipv4(proto=6,frag=no).*actions:" "$out" &&
    pass "dpif/dump-flows shows the iperf3 megaflow" ||
    flunk "dpif/dump-flows shows the iperf3 megaflow"
grep -q "^Datapath actions: " "$out" && grep -q "NORMAL: VLAN 0, learned on port" "$out" &&
    pass "ofproto/trace follows NORMAL to a learned port" ||
    flunk "ofproto/trace follows NORMAL to a learned port"
grep -q "demo: done" "$out" && pass "demo reaches its end" || flunk "demo reaches its end"
! left_behind "$out" && pass "no namespace or device left behind" ||
    flunk "no namespace or device left behind"

# The sandbox: a shell whose commands reach the switch; its exit cleans up.
cat > "$TMPD/rc" <<'SH'
vswitch-ctl list-br
vswitch-appctl -t vswitchd ofproto/list
ovs-vsctl --no-wait list-br 2>&1 | sed 's/^/ovs-vsctl: /'
exit
SH
if (cd "$SRCDIR" && SHELL=/bin/bash BUILD=$BUILD timeout 60 build-aux/demo.sh --sandbox) \
        < "$TMPD/rc" > "$TMPD/sandbox.out" 2>&1; then
    pass "sandbox exits 0 when its shell exits"
else
    flunk "sandbox exits 0 when its shell exits"
    sed 's/^/#   /' "$TMPD/sandbox.out" | tail -20
fi
[ "$(grep -cE '^vd[0-9]+br$' "$TMPD/sandbox.out")" -ge 2 ] &&
    pass "the sandbox shell reaches the switch (vswitch-ctl, vswitch-appctl)" ||
    { flunk "the sandbox shell reaches the switch"; sed 's/^/#   /' "$TMPD/sandbox.out" | tail -20; }
grep -qE '^ovs-vsctl: vd[0-9]+br$' "$TMPD/sandbox.out" &&
    pass "and Debian's ovs-vsctl too" || flunk "and Debian's ovs-vsctl too"
grep -q "bridge vd[0-9]*br," "$TMPD/sandbox.out" && ! left_behind "$TMPD/sandbox.out" &&
    pass "sandbox torn down" || flunk "sandbox torn down"
echo "1..$n"
