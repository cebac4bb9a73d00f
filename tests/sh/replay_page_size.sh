#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# replay of a 16 KiB trace ('# page_size 16384'): every registered allocator
# takes the page size from the trace (page=16384 added to its spec), with
# and without --verify (same trajectory), and a hand-computed zbud and
# zblock trajectory; a spec that asks for another page size is refused.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-replay16k.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# zbud at 16 KiB: chunks of 256 B.  5000 B = 20 chunks, two per page;
# 15,872 B (62 chunks) is the largest object and shares no page with 20
# chunks; 15,873 B is refused.
cat > "$d/z.trace" <<'T'
# zpoolbench-trace v1
# page_size 16384
a 1 5000
a 2 5000
a 3 5000
a 4 15873
a 5 15872
f 1
f 2
f 4
c
T
"$ZPB" replay --trace "$d/z.trace" --alloc zbud --trajectory "$d/traj" > "$d/out" || fail "zbud replay"
printf '0 1\n1 1\n2 2\n3 2\n4 3\n5 3\n6 2\n7 2\n8 2\n' | cmp -s - "$d/traj" || { cat "$d/traj"; fail "zbud trajectory"; }
grep -q '^allocator    zbud:page=16384$' "$d/out" || fail "spec: $(cat "$d/out")"
grep -q '^rejected     1 (enospc 1, enomem 0)$' "$d/out" || fail "rejected: $(cat "$d/out")"

# zblock (table=any) at 16 KiB: 16,000 B -> 4 slots in 4 pages; 16,360 B (the
# largest slot, one past the end of the published table) is refused
cat > "$d/b.trace" <<'T'
# zpoolbench-trace v1
# page_size 16384
a 1 16000
a 2 16000
a 3 16000
a 4 16000
a 5 16000
a 6 16360
f 5
T
"$ZPB" replay --trace "$d/b.trace" --alloc zblock --trajectory "$d/btraj" > "$d/bout" || fail "zblock replay"
printf '0 4\n1 4\n2 4\n3 4\n4 8\n5 8\n6 4\n' | cmp -s - "$d/btraj" || { cat "$d/btraj"; fail "zblock trajectory"; }
grep -q '^allocator    zblock:page=16384$' "$d/bout" || fail "zblock spec: $(cat "$d/bout")"
grep -q '^rejected     1 (enospc 1, enomem 0)$' "$d/bout" || fail "zblock rejected: $(cat "$d/bout")"

# a seeded random 16 KiB trace through every allocator, checked and not
python3 - "$d/r.trace" <<'P' || fail "trace generator"
import random, sys
random.seed(11)
live, nxt = [], 1
with open(sys.argv[1], "w") as f:
    f.write("# zpoolbench-trace v1\n# page_size 16384\n")
    for _ in range(3000):
        r = random.random()
        if r < 0.55 or not live:
            f.write("a %d %d\n" % (nxt, random.randint(1, 16384))); live.append(nxt); nxt += 1
        elif r < 0.98:
            f.write("f %d\n" % live.pop(random.randrange(len(live))))
        else:
            f.write("c\n")
P
"$ZPB" list | awk '/^[a-z0-9]/ && $1 != "allocator" {print $1}' > "$d/names"
grep -qx zblock "$d/names" && [ "$(wc -l < "$d/names")" -ge 6 ] || fail "allocators listed: $(cat "$d/names")"
while read -r a; do
	rm -f "$d/p.traj" "$d/v.traj"
	"$ZPB" replay --trace "$d/r.trace" --alloc "$a" --trajectory "$d/p.traj" > "$d/p.out" || fail "$a: replay"
	"$ZPB" replay --trace "$d/r.trace" --alloc "$a" --trajectory "$d/v.traj" --verify > "$d/v.out" 2> "$d/v.err" ||
		fail "$a: --verify: $(cat "$d/v.err")"
	grep -q "^allocator    $a:page=16384\$" "$d/p.out" || fail "$a: spec: $(head -2 "$d/p.out")"
	[ "$(wc -l < "$d/p.traj")" -eq 3000 ] || fail "$a: trajectory length"
	# malloc's pages depend on the heap it shares with the checker
	[ "$a" = malloc ] || cmp -s "$d/p.traj" "$d/v.traj" || fail "$a: --verify changes the trajectory"
done < "$d/names"

# a spec for other pages than the trace's: one line, exit 2, no output file
"$ZPB" replay --trace "$d/r.trace" --alloc zsmalloc:page=4096 --trajectory "$d/out.traj" > /dev/null 2> "$d/e"
[ $? -eq 2 ] || fail "page mismatch: exit status"
[ "$(wc -l < "$d/e")" -eq 1 ] || fail "page mismatch: not one line"
[ ! -e "$d/out.traj" ] || fail "page mismatch left a trajectory"

# standard input is read once: no page size from it in advance; page= must be
# given, and a spec for other pages is refused at the first operation (exit 1)
printf '# zpoolbench-trace v1\n# page_size 16384\na 1 9000\n' |
	"$ZPB" replay --trace - --alloc zbud:page=16384 > "$d/f.out" || fail "stdin with page=16384"
grep -q '^objects      1 live, 9000 bytes$' "$d/f.out" || fail "stdin replay: $(cat "$d/f.out")"
printf '# zpoolbench-trace v1\n# page_size 16384\na 1 9000\n' > "$d/s.trace"
"$ZPB" replay --trace - --alloc zbud < "$d/s.trace" > /dev/null 2> "$d/e"
rc=$?
[ $rc -eq 1 ] || fail "stdin without page=: exit $rc"
grep -q "stdin: a trace of 16384-byte pages, but zbud has 4096-byte pages (give page=16384)" "$d/e" ||
	fail "stdin without page=: $(cat "$d/e")"

# the results document of a 16 KiB replay counts its pool in 16 KiB pages, as the summary does
printf '# zpoolbench-trace v1\n# page_size 16384\na 1 9000\na 2 5000\na 3 7000\n' > "$d/r.trace"
"$ZPB" replay --trace "$d/r.trace" --alloc zbud > "$d/r.txt" || fail "16 KiB replay"
"$ZPB" replay --trace "$d/r.trace" --alloc zbud --format json > "$d/r.json" || fail "16 KiB replay, json"
python3 - "$d/r.txt" "$d/r.json" <<'PY' || fail "16 KiB replay: the JSON's density is not the summary's"
import json, re, sys
txt = open(sys.argv[1]).read()
row = json.load(open(sys.argv[2]))["rows"][0]
dens = float(re.search(r"^density +([0-9.]+)", txt, re.M).group(1))
assert abs(row["density"] - dens) < 1e-4 and row["repeats"][0]["page_size"] == 16384, (row["density"], dens)
assert row["ideal_pages"] == 2, row["ideal_pages"]  # 21000 bytes in 16 KiB pages
PY
exit 0
