#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# fuzz_seeds: every fuzz target, built without libFuzzer ($BUILD/fuzz/NAME),
# replays its committed seed corpus and regression inputs
# (tests/fuzz/corpus/NAME/); fuzz_ops does so once per allocator and preset,
# under the overlap and integrity checker.  In `make asan` this runs them
# under ASan + UBSan.
set -u
BUILD=${BUILD:-build}
fail() { echo "FAIL: $*"; exit 1; }
n=0
for bin in "$BUILD"/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	dir=tests/fuzz/corpus/${name#fuzz_}
	[ -d "$dir" ] || fail "$name has no seed corpus in $dir"
	files=$(ls "$dir" | wc -l)
	[ "$files" -gt 0 ] || fail "$dir is empty"
	if [ "$name" = fuzz_ops ]; then
		specs=$(ZPB_FUZZ_LIST=1 "$bin") || fail "$name: cannot list specs"
		[ -n "$specs" ] || fail "$name: no allocator specs"
		for spec in $specs; do
			out=$(ZPB_FUZZ_ALLOC=$spec "$bin" "$dir" 2>&1) || { echo "$out" | tail -n 5; fail "$name on $spec"; }
			[ "$out" = "$files inputs run" ] || fail "$name on $spec: '$out'"
			n=$((n + 1))
		done
	else
		out=$("$bin" "$dir" 2>&1) || { echo "$out" | tail -n 5; fail "$name"; }
		[ "$out" = "$files inputs run" ] || fail "$name: '$out'"
		n=$((n + 1))
	fi
	echo "ok $name"
done
[ "$n" -ge 3 ] || fail "only $n fuzz targets ran (expected trace, spec, ops)"
exit 0
