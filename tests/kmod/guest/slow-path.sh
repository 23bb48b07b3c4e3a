#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest: the slow-path system tests (tests/system/slow-path-*.sh and
# tests/interop/testcontroller-vswitchd.sh, unchanged) with
# VSWITCH_TEST_DP=system, on the module selected by DP_MODULE (see
# ../slow-path.sh).  Each script's TAP lines come through as
# "SCRIPT: NAME"; a trailing "(...)" of a name (a measurement, an exit
# status) moves to the "#" line after it, so that the names compare
# between modules.  SLOW_PATH_SCRIPTS (space-separated, relative to
# tests/) picks a subset.  Prints TAP.
. "$VMRUN_SCRIPT_DIR/lib.sh"
# guest/both.sh holds our output until the end: a copy goes to the output
# share as it comes, for a run that times out.
[ -d "${VMRUN_OUT:-}" ] && exec > >(tee -a "$VMRUN_OUT/slow-path-$DP_MODULE.tap")

export VSWITCH_TEST_DP=system VSWITCH_SRCDIR=$SRCDIR
scripts=${SLOW_PATH_SCRIPTS:-system/slow-path-normal.sh system/slow-path-pipeline.sh system/slow-path-storm.sh interop/testcontroller-vswitchd.sh}

# run_script REL: runs tests/REL, passes its results through.
run_script() {
	local rel=$1 tag out rc plan n_res=0 line st name full t0
	tag=$(basename "$rel" .sh)
	out=/tmp/slow-path-$tag.out
	t0=$(date +%s)
	rc=0
	timeout -k 10 "${SLOW_PATH_TIMEOUT:-420}" bash "$SRCDIR/tests/$rel" \
		>"$out" 2>&1 </dev/null || rc=$?
	echo "# $tag: exit $rc after $(($(date +%s) - t0)) s"
	while IFS= read -r line; do
		case $line in
		"ok "[0-9]*|"not ok "[0-9]*)
			st=ok
			[ "${line#not }" != "$line" ] && st="not ok"
			full=${line#* - }
			name=$(sed -E 's/ \([^()]*\)$//' <<<"$full")
			TAP_N=$((TAP_N + 1))
			n_res=$((n_res + 1))
			echo "$st $TAP_N - $tag: $name"
			[ "$st" = ok ] || TAP_FAILED=$((TAP_FAILED + 1))
			[ "$name" = "$full" ] || echo "#   $full"
			;;
		"1.."*) ;;
		"#"*) echo "$line" ;;
		*) echo "#   $line" ;;
		esac
	done <"$out"
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$out" | head -n1)
	if [ "$rc" = 77 ] && [ "${CI:-}" != true ]; then
		TAP_N=$((TAP_N + 1))
		echo "ok $TAP_N - $tag: ran to its end # SKIP $(grep '^SKIP:' "$out" | tail -n1)"
		return
	fi
	check "$tag: ran to its end" test "$rc" = 0 -a "${plan:-x}" = "$n_res"
	[ "$rc" = 0 ] || tail -n 5 "$out" | sed 's/^/#   tail: /'
}

check "module loads" dp_load
for s in $scripts; do
	run_script "$s"
done
no_dp_left() { [ -z "$(ovs-dpctl dump-dps 2>/dev/null)" ]; }
check "no datapath left behind" no_dp_left
check "no namespace left behind" test -z "$(ip netns list)"
check "module unloads" dp_unload
tap_done
