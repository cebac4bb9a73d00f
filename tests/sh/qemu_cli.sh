#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# qemu_cli.sh - `zpoolbench oracle qemu` on bad input and missing pieces: one
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
		[ -e "$t/traj" ] || [ -n "$(ls -A "$t/tmp")" ]; then
		echo "FAIL $name: exit $rc, $lines stderr lines (want 1 matching '$pattern'):"
		sed 's/^/  /' "$t/err"
		[ -e "$t/traj" ] && echo "  a trajectory file was written"
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
Q="$ZPB oracle qemu --trajectory $t/traj"

expect_error "unknown allocator" "unknown allocator 'zblock'" -- $Q --trace "$t/good.trace" --alloc zblock
expect_error "unknown preset" "only ':kernel=6.1' may follow the name" -- \
	$Q --trace "$t/good.trace" --alloc zsmalloc:kernel=6.18
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

# A package that cannot be fetched (needs the other tools; with an empty cache).
if command -v qemu-system-x86_64 >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 &&
	command -v gcc-12 >/dev/null 2>&1 && [ -x /bin/busybox ]; then
	expect_error "package not fetchable" "cannot fetch Debian package linux-image-6.1.0-0-amd64" -- \
		env ZPB_CACHE_DIR="$t/cache" ZPB_ORACLE_KERNEL=6.1.0-0-amd64 \
		$Q --trace "$t/good.trace" --alloc zbud
else
	echo "part skipped: the package-fetch check needs the qemu packages"
fi

[ $fails = 0 ]
