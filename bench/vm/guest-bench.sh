#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/vm/guest-bench.sh: the guest side of `make bench-vm`.
#
#   guest-bench.sh SRCDIR [bench/run.sh options...]
#
# Runs INSIDE a throw-away QEMU guest (tests/kmod/vmrun.sh boots Debian's
# kernel with the host's root filesystem), as root: bench/run.sh --vm
# measures the kernel-datapath kinds (linux-bridge, ovs-kernel with
# openvswitch.ko, xdp-limit, ours-kernel when it exists) with pktgen as
# the generator.  The guest may not be able to write into SRCDIR, so the
# run's data goes to the guest's /tmp and is printed on stdout between
# marker lines
#
#   ===VSB-FILE name===  ...  ===VSB-END name===
#
# from which bench/vm/run-vm.sh (on the host) rebuilds the raw data and
# writes the report.  Exit status: that of bench/run.sh.
set -u
src=${1:?usage: guest-bench.sh SRCDIR [run.sh options]}
shift
cd "$src" || exit 2
out=/tmp/vsb-vm-out
rm -rf "$out"
echo "guest: $(uname -r), $(nproc) CPUs"
# The guest is ours alone: no other user to collide with, but keep the
# same names and clean-up as on the host.
bench/run.sh --vm --out "$out" --report "$out/report.md" "$@"
rc=$?
for f in env.txt kinds.tsv raw.tsv; do
    echo "===VSB-FILE $f==="
    cat "$out/$f" 2> /dev/null
    echo "===VSB-END $f==="
done
if [ "$rc" != 0 ]; then
    for f in "$out"/logs/*; do
        echo "----- $f"
        tail -n 15 "$f"
    done
fi
exit "$rc"
