#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest: run one guest test script against vswitch_dp.ko, then (rmmod in
# between, same boot) against Debian's openvswitch.ko, and compare.
#   both.sh SCRIPT [KNOWN-DIFFERENCE-NAME...]
# Prints our TAP lines, then one "same as openvswitch.ko" line per check;
# a check whose result differs fails unless listed as a known difference
# (then it is reported as "# known difference").
. "$VMRUN_SCRIPT_DIR/lib.sh"
script=$VMRUN_SCRIPT_DIR/$1
shift
known=("$@")
ours=$(TAP_PREFIX= bash "$script" DP_MODULE=vswitch 2>&1)
stock=$(bash "$script" DP_MODULE=ovs 2>&1)
printf '%s\n' "$ours" | grep -vE '^(ok|not ok) [0-9]+ - guest kernel log' |
	sed -E 's/^(ok|not ok) [0-9]+ - /\1 N - vswitch_dp: /' >/tmp/ours.tap
n=0
while IFS= read -r line; do
	case $line in
	"ok N - "*|"not ok N - "*) n=$((n + 1)); echo "${line/ N - / $n - }" ;;
	*) echo "$line" ;;
	esac
done </tmp/ours.tap
TAP_N=$n
status() { grep -E "^(ok|not ok) [0-9]+ - $(printf '%s' "$2" | sed 's/[][\.*^$()+?{}|/]/\\&/g')\$" <<<"$1" | head -n1 | cut -d' ' -f1; }
while IFS= read -r name; do
	a=$(status "$ours" "$name")
	b=$(status "$stock" "$name")
	[ -n "$b" ] || b=missing
	if [ "$a" = "$b" ]; then
		check "same as openvswitch.ko: $name" true
	elif printf '%s\n' "${known[@]}" | grep -qxF "$name"; then
		check "same as openvswitch.ko: $name # known difference: ours=$a stock=$b" true
	else
		check "same as openvswitch.ko: $name (ours=$a stock=$b)" false
		# What the stock run said about it.
		awk -v n="$name" '
			/^(ok|not ok) [0-9]+ - / { on = (substr($0, index($0, " - ") + 3) == n); next }
			on && /^#/ { print "#   stock: " $0 }' <<<"$stock" | head -n 30
	fi
done < <(grep -oE '^(ok|not ok) [0-9]+ - .*' <<<"$ours" | sed -E 's/^(ok|not ok) [0-9]+ - //' | grep -v '^guest kernel log')
tap_done
