# SPDX-License-Identifier: GPL-2.0
# tests/kmod/host-lib.sh - host side of the kmod tier tests (sourced).
#
# kmod_run GUEST-SCRIPT [ARGS...]: boot a guest (vmrun.sh) that runs
# GUEST-SCRIPT (relative to tests/kmod), pass its TAP lines through, then
# add one line for the guest's exit and one for the guest kernel log (no
# BUG/WARNING/Oops/KASAN/lockdep lines).  The module must be built.
set -u
KMOD_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRCDIR=$(cd "$KMOD_DIR/../.." && pwd)
export SRCDIR

kmod_run() {
	local script=$KMOD_DIR/$1 out rc n
	shift
	if [ ! -f "$SRCDIR/datapath-kmod/vswitch_dp.ko" ]; then
		echo "not ok 1 - module built (run make kmod)"
		exit 1
	fi
	out=$(mktemp -d "${TMPDIR:-/tmp}/kmod-test.XXXXXX")
	rc=0
	"$KMOD_DIR/vmrun.sh" --timeout "${KMOD_TIMEOUT:-200}" --out "$out" \
		"$script" "$@" >"$out/tap" 2>"$out/err" || rc=$?
	cat "$out/tap"
	n=$(grep -cE '^(not )?ok [0-9]+' "$out/tap")
	if [ "$rc" = 77 ]; then
		rm -rf "$out"
		exit 77
	fi
	if [ "$rc" = 0 ]; then
		echo "ok $((n + 1)) - guest script finished"
	else
		echo "not ok $((n + 1)) - guest script finished (rc $rc)"
		sed 's/^/# /' "$out/err" | tail -n 40
	fi
	if [ -f "$out/dmesg" ] &&
	   ! grep -E 'BUG:|WARNING:|Oops|KASAN|UBSAN|Call Trace|possible circular locking|suspicious RCU usage' "$out/dmesg" >/dev/null; then
		echo "ok $((n + 2)) - guest dmesg clean"
	else
		echo "not ok $((n + 2)) - guest dmesg clean"
		sed 's/^/# /' "$out/dmesg" 2>/dev/null | tail -n 60
		sed 's/^/# console: /' "$out/console.log" 2>/dev/null | tr -d '\r' | tail -n 60
	fi
	rm -rf "$out"
	exit 0
}
