#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# bench --kernel: the side-by-side with /dev/zram0 prints the kernel's cost
# per page, the userspace path and their ratio, and leaves zram0 reset
# (disksize 0) both after a normal run and after SIGINT in the middle.
# Skips (77) when not root, without zram0, or when zram0 is in use by
# someone else (other tests use it too).
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-benchk.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*"; exit 77; }

[ "$(id -u)" = 0 ] || skip "needs root to write to /dev/zram0"
[ -e /sys/block/zram0/disksize ] || skip "no /dev/zram0"
. "$(dirname "$0")/../../scripts/swaps.inc"
busy() { [ "$(cat /sys/block/zram0/disksize)" != 0 ] || zpb_is_swap zram0; }
busy && skip "/dev/zram0 is in use (disksize $(cat /sys/block/zram0/disksize))"

"$ZPB" bench --trace corpora/example.trace --quick --kernel --alloc zbud > "$d/out" 2> "$d/err"
rc=$?
if grep -q 'kernel side skipped' "$d/err"; then
	skip "$(cat "$d/err")"
fi
[ $rc -eq 0 ] || { cat "$d/err"; fail "bench --kernel: exit $rc"; }
grep -q 'cstore/kernel$' "$d/out" || fail "no ratio-to-kernel column: $(cat "$d/out")"
grep -Eq '^kernel +/dev/zram0 \(lz4, zsmalloc\), one O_DIRECT pwrite per page: mean [0-9]+ ns' "$d/out" \
	|| fail "kernel line: $(cat "$d/out")"
grep -Eq '^ratio +userspace / kernel = [0-9]+\.[0-9][0-9] ' "$d/out" || fail "ratio line: $(cat "$d/out")"
# the kernel stored the 1000 pages: its pool is not empty
pages=$(sed -n 's/.*pool \([0-9]*\) pages (mem_used_total).*/\1/p' "$d/out")
[ -n "$pages" ] && [ "$pages" -gt 0 ] || fail "kernel pool pages: '$pages'"
[ "$(cat /sys/block/zram0/disksize)" = 0 ] || fail "zram0 not reset after a normal run"

# a reader that stops after one line (| head -1): zram0 is reset all the same
"$ZPB" bench --trace corpora/example.trace --quick --kernel --alloc zbud 2> "$d/err3" | head -1 > /dev/null
[ "$(cat /sys/block/zram0/disksize)" = 0 ] || { echo 1 > /sys/block/zram0/reset; fail "zram0 not reset after | head"; }

# SIGINT while the device is in use: reset all the same
"$ZPB" bench --trace corpora/example.trace --objects 20000 --repeat 1000 --kernel --alloc zbud \
	> /dev/null 2> "$d/err2" &
pid=$!
i=0
while [ "$(cat /sys/block/zram0/disksize)" = 0 ] && [ $i -lt 200 ]; do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05; i=$((i + 1))
done
if [ "$(cat /sys/block/zram0/disksize)" = 0 ]; then
	kill "$pid" 2>/dev/null; wait "$pid"; pid=
	grep -q 'kernel side skipped' "$d/err2" && skip "$(cat "$d/err2")"
	fail "the long run never took zram0: $(cat "$d/err2")"
fi
sleep 0.3
kill -INT "$pid"
wait "$pid"
rc=$?
pid=
[ $rc -ne 0 ] || fail "interrupted run exited 0"
[ "$(cat /sys/block/zram0/disksize)" = 0 ] || { echo 1 > /sys/block/zram0/reset; fail "zram0 not reset after SIGINT"; }
zpb_is_swap zram0 && fail "zram0 in swaps"
exit 0
