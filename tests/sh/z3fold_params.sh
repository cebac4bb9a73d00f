#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# z3fold parameters through `zpoolbench replay --alloc`: every key and value
# is accepted; bad ones are refused with one line listing the valid values
# and no trajectory file; hand-computed trajectories for both presets.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-z3fold.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 1000 B = 16 chunks: three per page.  3000 B = 47 chunks joins a 16-chunk
# FIRST in 4.7 (63 free chunks) but not in 6.1 (62).  Freeing 1 and 2 leaves
# 3 alone: 4.7 moves it to FIRST in place, 6.1 (once its workqueue has run)
# moves it into 4's page and releases the page.  4000 B is headless.
cat > "$d/t.trace" <<'T'
# zpoolbench-trace v1
a 1 1000
a 2 1000
a 3 1000
a 4 1000
a 5 3000
f 1
f 2
c
a 6 4000
f 6
f 3
f 4
f 5
T
for k in 4.7 6.1; do
	"$ZPB" replay --trace "$d/t.trace" --alloc "z3fold:kernel=$k" --trajectory "$d/traj.$k" \
		> "$d/out.$k" || fail "replay kernel=$k failed: $(cat "$d/out.$k")"
done
printf '0 1\n1 1\n2 1\n3 2\n4 2\n5 2\n6 2\n7 2\n8 3\n9 2\n10 1\n11 1\n12 0\n' | cmp -s - "$d/traj.4.7" ||
	{ cat "$d/traj.4.7"; fail "4.7 trajectory differs"; }
printf '0 1\n1 1\n2 1\n3 2\n4 3\n5 3\n6 2\n7 2\n8 3\n9 2\n10 2\n11 1\n12 0\n' | cmp -s - "$d/traj.6.1" ||
	{ cat "$d/traj.6.1"; fail "6.1 trajectory differs"; }
grep -q '^allocator    z3fold:kernel=6.1$' "$d/out.6.1" || fail "normalised spec: $(cat "$d/out.6.1")"

# every parameter and value is accepted
for spec in z3fold z3fold:kernel=4.7 z3fold:kernel=6.1 \
	z3fold:compaction=none z3fold:compaction=middle z3fold:compaction=extra \
	z3fold:compaction=gated z3fold:compaction=gated,gap=1 z3fold:compaction=gated,gap=62 \
	z3fold:async=0 z3fold:async=1 z3fold:compact_on_unmap=0 z3fold:compact_on_unmap=1 \
	z3fold:migrate=0 z3fold:migrate=1 z3fold:interpage=0 z3fold:interpage=1 \
	z3fold:kernel=6.1,compaction=extra,async=1,compact_on_unmap=1,migrate=1,interpage=0; do
	"$ZPB" replay --trace corpora/example.trace --alloc "$spec" > "$d/ok" 2> "$d/err" ||
		fail "$spec refused: $(cat "$d/err")"
	grep -q '^pool pages' "$d/ok" || fail "$spec: no summary"
done

# bad ones: exit 1, one line naming the valid values, no trajectory left behind
bad() {
	spec=$1 want=$2
	"$ZPB" replay --trace "$d/t.trace" --alloc "$spec" --trajectory "$d/bad.traj" > /dev/null 2> "$d/err"
	rc=$?
	[ $rc -ne 0 ] || fail "$spec accepted"
	[ "$(wc -l < "$d/err")" -eq 1 ] || fail "$spec: not one line: $(cat "$d/err")"
	grep -qF -- "$want" "$d/err" || fail "$spec: message lacks '$want': $(cat "$d/err")"
	[ ! -e "$d/bad.traj" ] || fail "$spec: trajectory left behind"
}
bad z3fold:kernel=5.4 "valid: 4.7|6.1"
bad z3fold:compaction=full "valid: none|middle|extra|gated"
bad z3fold:compaction=gated,gap=0 "valid: 1..62"
bad z3fold:compaction=gated,gap=63 "valid: 1..62"
bad z3fold:async=2 "valid: 0|1"
bad z3fold:compact_on_unmap=yes "valid: 0|1"
bad z3fold:migrate= "valid: 0|1"
bad z3fold:interpage=2 "valid: 0|1"
bad z3fold:speed=9 "valid keys: kernel, compaction, gap, async, compact_on_unmap, migrate, interpage"
bad z3fold:gap=5 "only applies to compaction=gated"
bad z3fold:kernel=4.7,kernel=6.1 "given twice"
exit 0
