#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/vm/kernel-bench.sh: `make bench-kernel`, the host side of the
# kernel-datapath benchmark (issue 11): our vswitchd + ovsdb-lite on
# vswitch_dp.ko against Debian's ovs-vswitchd + ovsdb-server on
# openvswitch.ko, in ONE QEMU boot (bench/kernel.sh runs in the guest).
#
#   bench/vm/kernel-bench.sh [--quick] [--rounds N] [--flows N]
#                            [--setup-secs S] [--ours-handlers N]
#                            [--out DIR]
#                            [--report FILE.md] [--readme]
#
# Default: 3 rounds (~15 min under TCG on an idle host, twice that
# under a load of 10), raw data under
# bench/results/raw/kernel-<date>/ (not committed), report
# bench/results/kernel-<date>.md; --readme also replaces the kernel
# table of bench/README.md.  --quick: 1 round, 300 flows, 2 s windows
# (~5 min, the check-bench smoke test).  The module must be built (make
# kmod) and so must the daemons (make).  The host's load averages are
# sampled every 30 s during the run into the report: other engineers'
# QEMU guests share this machine.  Exit status: the guest's (0 when
# every kind was measured; figures are never judged), 1 without data.
set -u
. "$(dirname "$0")/host-lib.sh"
readme=0
extra=()
vmb_option() {      # the options of this benchmark only
    case $1 in
    --flows|--setup-secs|--ours-handlers) extra+=("$1" "$2") ;;
    --readme) readme=1; return 2 ;;
    *) return 1 ;;
    esac
}
vmb_options 23 "$@"
vmb_prepare bench-kernel kernel
args+=("${extra[@]}")
vmb_run 3000 1200 bench/kernel.sh
ra=()
[ "$readme" = 1 ] && ra=(--readme "$src/bench/README.md")
vmb_report kernel-report.py "${ra[@]}"
