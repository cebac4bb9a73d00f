#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# qemu_cli.sh - `zpoolbench oracle qemu` and `oracle qemu-zram` on bad input
# and missing pieces: one
# line on stderr, a non-zero exit, no trajectory file, no temporary files
# left behind.  Nothing here boots a kernel.
set -u
t=$(mktemp -d "${TMPDIR:-/tmp}/zpb-qemu-cli.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT INT TERM
mkdir "$t/tmp"
fails=0

# expect_error NAME GREP_PATTERN -- command...: exit != 0, one stderr line
# matching the pattern, no trajectory, nothing left in $t/tmp.
expect_error() {
	name=$1 pattern=$2
	shift 3
	TMPDIR=$t/tmp "$@" >"$t/out" 2>"$t/err"
	rc=$?
	lines=$(wc -l <"$t/err")
	if [ $rc = 0 ] || [ "$lines" != 1 ] || ! grep -q -- "$pattern" "$t/err" ||
		[ -e "$t/traj" ] || [ -e "$t/ztrace" ] || [ -n "$(ls -A "$t/tmp")" ]; then
		echo "FAIL $name: exit $rc, $lines stderr lines (want 1 matching '$pattern'):"
		sed 's/^/  /' "$t/err"
		[ -e "$t/traj" ] && echo "  a trajectory file was written"
		[ -e "$t/ztrace" ] && echo "  a trace file was written"
		[ -n "$(ls -A "$t/tmp")" ] && echo "  left behind: $(ls -A "$t/tmp")"
		fails=$((fails + 1))
	else
		echo "ok   $name: $(cat "$t/err")"
	fi
	rm -rf "$t/traj" "$t/tmp"/*
}

printf '# zpoolbench-trace v1\na 1 100\nf 1\nc\n' >"$t/good.trace"
printf '# zpoolbench-trace v1\na 1 100\nf 2\n' >"$t/badfree.trace"
printf '# zpoolbench-trace v1\na 1 5000\n' >"$t/big.trace"
printf 'a 1 100\n' >"$t/nohdr.trace"
printf '# zpoolbench-trace v1\n# page_size 16384\na 1 5000\n' >"$t/16k.trace"
head -c 16384 /dev/zero >"$t/c.pages"
head -c 12288 /dev/zero >"$t/c3.pages"
Q="$ZPB oracle qemu --trajectory $t/traj"
QZ="$ZPB oracle qemu-zram --corpus $t/c.pages --trace $t/ztrace --trajectory $t/traj"

expect_error "unknown allocator" "unknown allocator 'zblock'" -- $Q --trace "$t/good.trace" --alloc zblock
expect_error "unknown preset" "only the kernel= (6.1, 6.12) and page= (4096, 16384) of a port's spec may follow" -- \
	$Q --trace "$t/good.trace" --alloc zsmalloc:kernel=6.18
expect_error "other keys" "may follow the name" -- $Q --trace "$t/good.trace" --alloc zsmalloc:chain=4
expect_error "unknown kernel" "kernel: '5.10' is not a kernel of the oracle (6.1, 6.12, 6.12-arm64-16k)" -- \
	$Q --trace "$t/good.trace" --alloc zbud --kernel 5.10
expect_error "no z3fold in 6.12" "Linux 6.12 (x86-64, 4 KiB pages) has no z3fold (it has: zbud, zsmalloc)" -- \
	$Q --trace "$t/good.trace" --alloc z3fold --kernel 6.12
expect_error "spec of another kernel" "'zsmalloc:kernel=6.12' is not the allocator of --kernel 6.1" -- \
	$Q --trace "$t/good.trace" --alloc zsmalloc:kernel=6.12 --kernel 6.1
expect_error "page of another kernel" "'zbud:page=16384' is not the allocator of --kernel 6.12 " -- \
	$Q --trace "$t/good.trace" --alloc zbud:page=16384 --kernel 6.12
expect_error "16 KiB trace, 4 KiB kernel" "16k.trace: a trace of 16384-byte pages, but Linux 6.12 (x86-64, 4 KiB pages) has 4096-byte pages" -- \
	$Q --trace "$t/16k.trace" --alloc zbud --kernel 6.12
expect_error "no 6.1 at 16 KiB" "no kernel of the oracle has Linux 6.1 with 16384-byte pages" -- \
	$Q --trace "$t/16k.trace" --alloc zbud:kernel=6.1
expect_error "no --trace" "--trace FILE is required" -- $Q --alloc zbud
expect_error "no --alloc" "--alloc NAME is required" -- $Q --trace "$t/good.trace"
expect_error "bad option" "oracle qemu: unknown option '--frob'" -- $Q --trace "$t/good.trace" --alloc zbud --frob
expect_error "missing trace" "nonexistent" -- $Q --trace "$t/nonexistent" --alloc zbud
expect_error "no header" "nohdr.trace" -- $Q --trace "$t/nohdr.trace" --alloc zbud
expect_error "free of unknown ID" "badfree.trace:3: free of ID 2" -- $Q --trace "$t/badfree.trace" --alloc zbud
expect_error "size > 4096" "big.trace:2" -- $Q --trace "$t/big.trace" --alloc zbud
expect_error "qemu missing" "'/nonexistent/qemu-system-x86_64' is missing" -- \
	env ZPB_QEMU=/nonexistent/qemu-system-x86_64 $Q --trace "$t/good.trace" --alloc zbud
expect_error "bad kernel name" "ZPB_ORACLE_KERNEL must look like" -- \
	env ZPB_ORACLE_KERNEL=5.10.0-1-amd64 $Q --trace "$t/good.trace" --alloc zbud
expect_error "bad 16k kernel name" "ZPB_ORACLE_KERNEL must look like 6.12.N+deb12-arm64-16k for kernel 6.12-arm64-16k" -- \
	env ZPB_ORACLE_KERNEL=6.12.1+deb12-amd64 $Q --trace "$t/16k.trace" --alloc zsmalloc

expect_error "zram: 6.1" "kernel: '6.1' is not a kernel of the zram oracle (6.12, 6.12-arm64-16k)" -- \
	$QZ --kernel 6.1
expect_error "zram: codec" "codec: 'lzo' is not a zram compressor of Debian's 6.12" -- $QZ --codec lzo
expect_error "zram: corpus" "nonexistent" -- $ZPB oracle qemu-zram --corpus "$t/nonexistent.pages" \
	--trace "$t/ztrace" --trajectory "$t/traj"
expect_error "zram: no 16 KiB page" "c3.pages: 3 pages of 4096 bytes make no 16384-byte page" -- \
	$ZPB oracle qemu-zram --kernel 6.12-arm64-16k --corpus "$t/c3.pages" --trace "$t/ztrace" \
	--trajectory "$t/traj"
expect_error "zram: qemu missing" "'/nonexistent/qemu-system-aarch64' is missing" -- \
	env ZPB_QEMU=/nonexistent/qemu-system-aarch64 $QZ --kernel 6.12-arm64-16k

# A package that cannot be fetched (needs the other tools; with an empty cache).
if command -v qemu-system-x86_64 >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 &&
	command -v gcc-12 >/dev/null 2>&1 && [ -x /bin/busybox ]; then
	expect_error "package not fetchable" "cannot fetch Debian package linux-image-6.1.0-0-amd64" -- \
		env ZPB_CACHE_DIR="$t/cache" ZPB_ORACLE_KERNEL=6.1.0-0-amd64 \
		$Q --trace "$t/good.trace" --alloc zbud
	expect_error "arm64 package not fetchable" "cannot fetch Debian package linux-kbuild-6.12.0+deb12" -- \
		env ZPB_CACHE_DIR="$t/cache" ZPB_ORACLE_KERNEL=6.12.0+deb12-arm64-16k \
		$QZ --kernel 6.12-arm64-16k
else
	echo "part skipped: the package-fetch check needs the qemu packages"
fi

[ $fails = 0 ]
