#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# qemu_small.sh - the qemu oracle on tiny traces whose pool sizes follow from
# the documented rules of the 6.1 allocators (allocators.md), worked out by
# hand: zbud's 3968-byte limit, LIFO unbuddied lists and page release; z3fold's
# headless pages (> 3904 bytes) and inter-page compaction after a free (which
# only shows if the oracle waits for z3fold's work queue); zsmalloc's huge
# classes and a compaction.  Skips (77) when qemu cannot run.
. bench/kernel/oracle/testlib.sh

blocker=$(qt_qemu_blocker)
if [ -n "$blocker" ]; then
	echo "qemu cannot run: $blocker"
	exit 77
fi

# run NAME: the trace is $qt_tmp/NAME.trace, expected pages $qt_tmp/NAME.want
run() {
	awk '{ print NR - 1, $1 }' "$qt_tmp/$1.want" >"$qt_tmp/$1.expect"
	"$ZPB" oracle qemu --trace "$qt_tmp/$1.trace" --alloc "$1" --trajectory "$qt_tmp/$1.got" ||
		qt_fail "zpoolbench oracle qemu --alloc $1 failed"
	cp "$qt_tmp/$1.trace" "$qt_tmp/trace"	# for qt_compare's operation line
	qt_compare "$qt_tmp/$1.expect" "$qt_tmp/$1.got" "kernel $1 vs hand-worked sizes" ||
		qt_fail "kernel $1 differs from the hand-worked trajectory"
}

# zbud: 100 B = 2 chunks and 3900 B = 61 chunks share a page (2 + 61 <= 63);
# 3969 and 4096 are refused; two 2000 B objects (32 chunks) cannot share;
# freeing a refused ID does nothing; 1900 B (30 chunks) goes to the page put
# on unbuddied[31] last (ID 6's), so freeing ID 5 releases its page.  ID 4's
# store was refused, so storing ID 4 again is allowed (as in replay).
cat >"$qt_tmp/zbud.trace" <<'T'
# zpoolbench-trace v1
a 1 100
a 2 3900
a 3 3969
a 4 4096
a 5 2000
a 6 2000
f 2
f 3
f 1
a 7 1900
c
f 5
f 6
f 7
a 4 64
f 4
T
printf '%s\n' 1 1 1 1 2 3 3 3 2 2 2 1 1 0 1 0 >"$qt_tmp/zbud.want"
run zbud

# z3fold (2 header chunks, 62 usable): 100 B + 2000 B share a page, 3000 B
# needs a second; freeing the 2000 B leaves the 100 B alone, and compaction
# moves it into the second page and releases the first.  > 3904 B goes on a
# headless page of its own.
cat >"$qt_tmp/z3fold.trace" <<'T'
# zpoolbench-trace v1
a 10 100
a 11 2000
a 12 3000
f 11
a 13 4000
a 14 3905
f 13
a 15 3904
f 10
f 12
f 14
f 15
T
printf '%s\n' 1 1 2 1 2 3 2 3 3 2 1 0 >"$qt_tmp/z3fold.want"
run z3fold

# zsmalloc 6.1: objects of 4096 B and 3500 B (+ 8 B handle, above the 3257 B
# huge threshold) take one page each; compaction has nothing to move.
cat >"$qt_tmp/zsmalloc.trace" <<'T'
# zpoolbench-trace v1
a 1 4096
a 2 3500
a 3 3500
f 2
c
f 1
f 3
T
printf '%s\n' 1 2 3 2 2 1 0 >"$qt_tmp/zsmalloc.want"
run zsmalloc

# Storing an ID that is live (its store was not refused) is an error, found
# in the guest: one line naming the trace line, no trajectory.  (zbud refuses
# the 4000-byte store of ID 1, so storing ID 1 again is fine.)
printf '# zpoolbench-trace v1\na 1 4000\na 1 100\na 2 300\na 2 200\n' >"$qt_tmp/twice.trace"
"$ZPB" oracle qemu --trace "$qt_tmp/twice.trace" --alloc zbud --trajectory "$qt_tmp/twice.got" \
	>/dev/null 2>"$qt_tmp/twice.err" && qt_fail "a store of a live ID was accepted"
cat "$qt_tmp/twice.err"
[ "$(wc -l <"$qt_tmp/twice.err")" = 1 ] && grep -q 'twice.trace:5: store of ID 2, which is already stored' \
	"$qt_tmp/twice.err" || qt_fail "wrong message for a store of a live ID"
[ ! -e "$qt_tmp/twice.got" ] || qt_fail "a trajectory was written for an invalid trace"
exit 0
