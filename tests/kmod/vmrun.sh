#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmrun.sh - run a script as root in a throw-away QEMU (TCG) guest that boots
# Debian's kernel and sees the host's root filesystem.
#
#   usage: vmrun.sh [--timeout SECS] [--mem MB] [--smp N] [--out DIR]
#                   SCRIPT [ARGS...]
#          vmrun.sh                 (no arguments: self-test, prints TAP)
#
# The guest boots the uncompressed vmlinux of /boot/vmlinuz-$VMRUN_KVER
# (extracted once into the cache, it has a PVH entry so QEMU enters it
# directly) with a busybox initramfs (vm/stage1-init) that mounts the host's
# / read-only over virtio-9p under a tmpfs overlay: host binaries
# (ovs-dpctl, ip, python3...) and /lib/modules work in the guest, and every
# write lands in guest RAM.  SCRIPT runs under bash as root in the same
# current directory, with stdin=/dev/null.  Its stdout and stderr are
# streamed to ours (two serial ports); vmrun.sh exits with its exit status,
# or 124 on timeout, 255 if the guest died without one (panic: the kernel
# runs with oops=panic), 2 on usage errors.
#
# The output dir (--out, default a new dir under the cache) is shared
# read-write and mounted at the same path in the guest ($VMRUN_OUT there).
# After the run it holds: dmesg (the guest kernel log), rc, stdout, stderr,
# console.log (serial console).  Its path is printed on stderr unless --out
# was given.  No qemu process outlives vmrun.sh.
#
# Environment: VMRUN_KVER (default: the kernel release the built module was
# compiled for, else the newest /boot/vmlinuz-*), VMRUN_CACHE (default
# $BUILD/kmod-vm, BUILD defaulting to build/ of the source tree),
# VMRUN_APPEND (extra kernel command line), VMRUN_VERBOSE=1 (show the serial
# console too).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
default_kver() {
	local v
	v=$(modinfo -F vermagic "$SRC/datapath-kmod/vswitch_dp.ko" 2>/dev/null |
		cut -d' ' -f1)
	if [ -z "$v" ]; then
		v=$(ls /boot/vmlinuz-* 2>/dev/null | sed 's|^/boot/vmlinuz-||' |
			sort -V | tail -n1)
	fi
	echo "$v"
}
KVER=${VMRUN_KVER:-$(default_kver)}
BUILDDIR=${BUILD:-build}
case $BUILDDIR in /*) ;; *) BUILDDIR=$SRC/$BUILDDIR ;; esac
CACHE=${VMRUN_CACHE:-$BUILDDIR/kmod-vm}/$KVER
TIMEOUT=600
MEM=1024
SMP=2
OUT=

usage() { echo "usage: vmrun.sh [--timeout SECS] [--mem MB] [--smp N] [--out DIR] SCRIPT [ARGS...]" >&2; exit 2; }

selftest() {
	local t rc out
	t=$(mktemp -d)
	trap 'rm -rf "$t"' EXIT
	printf 'echo "hello $1"; echo "to stderr" >&2; [ -d /lib/modules/$(uname -r) ] || exit 9; touch "$VMRUN_OUT/made"; exit 7\n' >"$t/s.sh"
	rc=0
	out=$("$HERE/vmrun.sh" --timeout 120 --out "$t/o" "$t/s.sh" world 2>"$t/err") || rc=$?
	[ "$rc" = 7 ] && echo "ok 1 - exit status propagated" ||
		echo "not ok 1 - exit status propagated (got $rc)"
	[ "$out" = "hello world" ] && echo "ok 2 - stdout and arguments" ||
		echo "not ok 2 - stdout and arguments (got '$out')"
	grep -qx "to stderr" "$t/err" && echo "ok 3 - stderr" || echo "not ok 3 - stderr"
	[ -f "$t/o/made" ] && grep -q 'Linux version' "$t/o/dmesg" &&
		echo "ok 4 - output dir and dmesg" || echo "not ok 4 - output dir and dmesg"
	printf 'sleep 1000\n' >"$t/s.sh"
	rc=0
	"$HERE/vmrun.sh" --timeout 10 --out "$t/o" "$t/s.sh" >/dev/null 2>&1 || rc=$?
	if [ "$rc" = 124 ] && ! pgrep -f -- "$t/o" >/dev/null; then
		echo "ok 5 - timeout kills qemu"
	else
		echo "not ok 5 - timeout kills qemu (rc $rc)"
	fi
	exit 0
}

[ $# -eq 0 ] && selftest
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) TIMEOUT=${2:?}; shift 2 ;;
	--mem) MEM=${2:?}; shift 2 ;;
	--smp) SMP=${2:?}; shift 2 ;;
	--out) OUT=${2:?}; shift 2 ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
script=$1
shift
[ -r "$script" ] || { echo "vmrun: cannot read $script" >&2; exit 2; }
BZ=/boot/vmlinuz-$KVER
for need in qemu-system-x86_64 busybox cpio xz readelf; do
	command -v $need >/dev/null 2>&1 || [ -x /bin/$need ] ||
		{ echo "SKIP: vmrun needs $need"; exit 77; }
done
[ -r "$BZ" ] && [ -d "/lib/modules/$KVER" ] ||
	{ echo "SKIP: vmrun needs $BZ and /lib/modules/$KVER"; exit 77; }

# ---- cache: uncompressed vmlinux and initramfs, rebuilt when stale ----------
build_cache() {
	local off tmp
	if [ ! -s "$CACHE/vmlinux" ] || [ "$BZ" -nt "$CACHE/vmlinux" ]; then
		# The bzImage payload is an xz stream holding the ELF vmlinux.
		off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$BZ" | head -n1 | cut -d: -f1)
		[ -n "$off" ] || { echo "vmrun: no xz payload in $BZ" >&2; return 1; }
		xz -dc --single-stream < <(tail -c +$((off + 1)) "$BZ") >"$CACHE/vmlinux.tmp" 2>/dev/null || true
		# note 0x12: the PVH entry point QEMU needs to boot an ELF kernel
		if readelf -n "$CACHE/vmlinux.tmp" 2>/dev/null | grep -q '(0x00000012)'; then
			mv "$CACHE/vmlinux.tmp" "$CACHE/vmlinux"
		else
			rm -f "$CACHE/vmlinux.tmp"
			echo "vmrun: cannot extract a PVH vmlinux from $BZ" >&2
			return 1
		fi
	fi
	local ird=$CACHE/initramfs.cpio
	if [ ! -s "$ird" ] || [ "$HERE/vm/stage1-init" -nt "$ird" ] ||
	   [ "/lib/modules/$KVER/modules.dep" -nt "$ird" ]; then
		tmp=$(mktemp -d)
		mkdir -p "$tmp"/{bin,proc,sys,dev,lib/modules}
		cp /bin/busybox "$tmp/bin/busybox"
		for a in sh mount mkdir insmod cat echo sleep switch_root ln; do
			ln -s busybox "$tmp/bin/$a"
		done
		modprobe -S "$KVER" -a --show-depends 9pnet_virtio 9p overlay virtio_pci |
			awk '$1 == "insmod" && !seen[$2]++ { print $2 }' |
			while read -r ko; do
				cp "$ko" "$tmp/lib/modules/"
				basename "$ko"
			done >"$tmp/modules.list"
		install -m 755 "$HERE/vm/stage1-init" "$tmp/init"
		(cd "$tmp" && find . | cpio -o -H newc --quiet) >"$ird.tmp"
		mv "$ird.tmp" "$ird"
		rm -rf "$tmp"
	fi
}
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
build_cache || exit 2
flock -u 9
exec 9>&-

# ---- output dir and the command file ---------------------------------------
announce=0
if [ -z "$OUT" ]; then
	mkdir -p "$CACHE/runs"
	OUT=$(mktemp -d "$CACHE/runs/run.XXXXXX")
	announce=1
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT"/{rc,dmesg,stdout,stderr,console.log,cmd,script}
cp "$script" "$OUT/script"
sdir=$(cd "$(dirname "$script")" && pwd)
{
	printf 'cd %q 2>/dev/null || cd /\n' "$PWD"
	printf 'export VMRUN_OUT=%q VMRUN_SCRIPT_DIR=%q\n' "$OUT" "$sdir"
	printf 'export CI=%q BUILD=%q\n' "${CI:-}" "${BUILD:-}"
	printf 'exec bash %q' "$OUT/script"
	[ $# -gt 0 ] && printf ' %q' "$@"
	echo
} >"$OUT/cmd"
: >"$OUT/stdout"
: >"$OUT/stderr"
: >"$OUT/console.log"

append="console=ttyS0 quiet loglevel=4 panic=-1 oops=panic tsc=reliable"
append+=" no_timer_check vmrun.stage2=$HERE/vm/stage2-init vmrun.out=$OUT"
append+=" ${VMRUN_APPEND:-}"

qpid=
tails=()
cleanup() {
	[ -n "$qpid" ] && kill -KILL "$qpid" 2>/dev/null
	for p in "${tails[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

timeout -k 5 "$TIMEOUT" qemu-system-x86_64 -nodefaults -no-user-config \
	-machine q35 -accel tcg,thread=multi -cpu qemu64 -smp "$SMP" -m "$MEM" \
	-kernel "$CACHE/vmlinux" -initrd "$CACHE/initramfs.cpio" \
	-append "$append" \
	-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap" \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
	-fsdev "local,id=vmrunout,path=$OUT,security_model=none,multidevs=remap" \
	-device virtio-9p-pci,fsdev=vmrunout,mount_tag=vmrunout \
	-serial "file:$OUT/console.log" -serial "file:$OUT/stdout" \
	-serial "file:$OUT/stderr" \
	-display none -no-reboot </dev/null >"$OUT/qemu.log" 2>&1 &
qpid=$!
tail -q -n +1 -f --pid=$qpid "$OUT/stdout" &
tails+=($!)
tail -q -n +1 -f --pid=$qpid "$OUT/stderr" >&2 &
tails+=($!)
if [ "${VMRUN_VERBOSE:-0}" = 1 ]; then
	tail -q -n +1 -f --pid=$qpid "$OUT/console.log" >&2 &
	tails+=($!)
fi
qrc=0
wait $qpid || qrc=$?
qpid=
for p in "${tails[@]}"; do wait "$p" 2>/dev/null || true; done
tails=()

[ "$announce" = 1 ] && echo "vmrun: output in $OUT" >&2
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "vmrun: timeout after ${TIMEOUT}s (console: $OUT/console.log)" >&2
	exit 124
fi
if [ -s "$OUT/rc" ]; then
	exit "$(<"$OUT/rc")"
fi
echo "vmrun: the guest gave no exit status (qemu rc $qrc; panic?)" >&2
tr -d '\r' <"$OUT/console.log" | tail -n 40 >&2
exit 255
