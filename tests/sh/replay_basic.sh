#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# replay: a hand-computed zbud trajectory, the summary, JSON, the example
# trace, and the state-dependent trace errors (duplicate store, unknown free)
# with no trajectory file left behind; --verify changes nothing but checks.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-replay.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 1000 B = 16 chunks: two per page (32 <= 63), a third needs a page.
# Freeing both buddies of page one releases it.
cat > "$d/t.trace" <<'T'
# zpoolbench-trace v1
a 1 1000
a 2 1000
a 3 1000
f 1
f 2
c
a 4 3969
f 4
T
"$ZPB" replay --trace "$d/t.trace" --alloc zbud --trajectory "$d/traj" > "$d/out" || fail "replay failed"
printf '0 1\n1 1\n2 2\n3 2\n4 1\n5 1\n6 1\n7 1\n' | cmp -s - "$d/traj" || { cat "$d/traj"; fail "trajectory differs"; }
grep -q '^rejected     1 (enospc 1, enomem 0)$' "$d/out" || fail "rejected count: $(cat "$d/out")"
grep -q '^pool pages   1 (peak 2)$' "$d/out" || fail "pool pages: $(cat "$d/out")"
grep -q '^objects      1 live, 1000 bytes$' "$d/out" || fail "objects: $(cat "$d/out")"

# CSV and JSON: the results document of run --workload replay, one row
"$ZPB" replay --trace "$d/t.trace" --alloc zbud --format json > "$d/json" || fail "json replay"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); r=j["rows"][0]; assert j["format"]=="zpoolbench-results" and len(j["rows"])==1 and r["pool_pages"]==1 and r["rejected"]==1 and r["peak_pages"]==2 and r["allocator"]=="zbud" and r["workload"]=="replay" and r["store_ns_p50"] is None, j' "$d/json" || fail "json content"
"$ZPB" replay --trace "$d/t.trace" --alloc zbud --format csv > "$d/csv" || fail "csv replay"
python3 -c 'import csv,sys; r=list(csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#"))); assert len(r)==1 and r[0]["pool_pages"]=="1" and r[0]["peak_pages"]=="2" and r[0]["allocator"]=="zbud" and r[0]["store_ns_p50"]=="", r' "$d/csv" || fail "csv content"

# the bundled example: the trajectory ends where the summary says
"$ZPB" replay --trace corpora/example.trace --alloc zbud --trajectory "$d/ex" > "$d/exout" || fail "example"
[ "$(wc -l < "$d/ex")" -eq "$(grep -vc '^#' corpora/example.trace)" ] || fail "one line per op"
last=$(tail -n 1 "$d/ex" | cut -d' ' -f2)
grep -q "^pool pages   $last " "$d/exout" || fail "last trajectory point $last vs summary"

# --verify (the overlap and integrity checker): same trajectory, same summary
for a in zbud z3fold:kernel=6.1 zsmalloc:kernel=6.1; do
	rm -f "$d/plain" "$d/checked"
	"$ZPB" replay --trace corpora/example.trace --alloc $a --trajectory "$d/plain" > "$d/p.out" ||
		fail "$a: replay"
	"$ZPB" replay --trace corpora/example.trace --alloc $a --verify --trajectory "$d/checked" \
		--class-stats > "$d/c.out" 2> "$d/c.err" || fail "$a: replay --verify: $(cat "$d/c.err")"
	[ ! -s "$d/c.err" ] || fail "$a: --verify printed $(cat "$d/c.err")"
	cmp -s "$d/plain" "$d/checked" || fail "$a: --verify changed the trajectory"
	head -n 8 "$d/c.out" | cmp -s - "$d/p.out" || fail "$a: --verify changed the summary"
done
"$ZPB" replay --trace corpora/example.trace --alloc nosuch --verify 2> "$d/err"
[ $? -eq 2 ] || fail "--verify with an unknown allocator: exit status"
[ "$(wc -l < "$d/err")" = 1 ] && grep -q "unknown allocator 'nosuch'" "$d/err" || fail "--verify unknown: $(cat "$d/err")"
printf '# zpoolbench-trace v1\na 1 10\na 1 20\n' > "$d/dup.trace"
"$ZPB" replay --trace "$d/dup.trace" --alloc zsmalloc --verify --trajectory "$d/dupv.traj" 2> "$d/err"
[ $? -eq 1 ] || fail "--verify, duplicate store: exit status"
[ "$(cat "$d/err")" = "zpoolbench: $d/dup.trace:3: store of ID 1, which is already stored" ] || fail "--verify dup msg: $(cat "$d/err")"
ls "$d" | grep -q 'dupv.traj' && fail "--verify: trajectory left behind"

# state errors: one line, exit 1, no trajectory file
printf '# zpoolbench-trace v1\na 1 10\na 1 20\n' > "$d/dup.trace"
"$ZPB" replay --trace "$d/dup.trace" --alloc zbud --trajectory "$d/dup.traj" 2> "$d/err"
[ $? -eq 1 ] || fail "duplicate store: exit status"
[ "$(cat "$d/err")" = "zpoolbench: $d/dup.trace:3: store of ID 1, which is already stored" ] || fail "dup msg: $(cat "$d/err")"
ls "$d" | grep -q 'dup.traj' && fail "trajectory left behind"

printf '# zpoolbench-trace v1\na 1 10\nf 1\nf 1\n' > "$d/unk.trace"
"$ZPB" replay --trace "$d/unk.trace" --alloc zbud 2> "$d/err"
[ $? -eq 1 ] || fail "unknown free: exit status"
[ "$(cat "$d/err")" = "zpoolbench: $d/unk.trace:4: free of ID 1, which was never stored or is already freed" ] || fail "unk msg: $(cat "$d/err")"
exit 0
