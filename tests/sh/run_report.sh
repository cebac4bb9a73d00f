#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# What report.md says beyond the figures: the caveat of a pool that is small
# against the allocator's partly filled units (zsmalloc chain 16 on a
# 16-page corpus), none on a pool 40 times larger, none for the ideal bound,
# and the timer's own cost next to the latencies.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-report.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 16 pages of two kinds (1500 or 2500 random bytes, then zeros): a few size
# classes, the same bytes with every build of the binary
python3 -c '
import random, sys
r = random.Random(7)
for i in range(16):
    k = 1500 if i % 2 else 2500
    sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(k)) + bytes(4096 - k))
' > "$d/c.pages"
"$ZPB" run --corpus "$d/c.pages" --alloc zsmalloc:chain=16 --codec lz4 --workload fill \
	--out "$d/r" --no-plots --quiet || fail "run failed"
grep -q "Caveat: small pool" "$d/r/report.md" || fail "no small-pool caveat"
grep -q '^- c, lz4:1, `zsmalloc:chain=16`: [0-9]* classes in use, up to [0-9]* pages' "$d/r/report.md" \
	|| fail "the caveat does not name the setting: $(grep -A3 Caveat "$d/r/report.md")"
grep -q "Timer: .*resolution [0-9.]* ns; overhead [0-9.]* ns per timed region, subtracted" "$d/r/report.md" || fail "no timer figures"
grep -q "Caveat.*ideal\|\`ideal\`: .* classes in use" "$d/r/report.md" && fail "a caveat for the ideal bound"
# the same allocator on a pool 40 times larger: no caveat for it
i=0; while [ $i -lt 40 ]; do cat "$d/c.pages"; i=$((i + 1)); done > "$d/big.pages"
"$ZPB" run --corpus "$d/big.pages" --alloc zsmalloc:chain=4 --codec lz4 --workload fill \
	--out "$d/b" --no-plots --quiet || fail "big run failed"
grep -q "Caveat: small pool" "$d/b/report.md" && fail "caveat on a large pool: $(grep -A3 Caveat "$d/b/report.md")"
echo "report notes ok"
