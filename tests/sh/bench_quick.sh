#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# bench: `zpoolbench bench --quick` runs, prints the table header and a row
# with every ratio column for every registered allocator (no timing
# assertions: only that the figures are there and ideal's own ratio is 1);
# a raw page file works as input; bad input gets one line and a non-zero exit.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-bench.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$ZPB" bench --trace corpora/example.trace --quick > "$d/out" 2> "$d/err" || { cat "$d/err"; fail "bench --quick failed"; }
grep -q '^allocator  *store  *load  *free  *store+lz4  *load+lz4  *store/ideal  *load/ideal  *cstore/ideal  *cload/ideal$' "$d/out" \
	|| { cat "$d/out"; fail "table header"; }
grep -q '^objects      1000, ' "$d/out" || fail "object count line: $(head -n 1 "$d/out")"

# every registered allocator has a row: 5 cells "MED (MIN-MAX)" and 4 numeric ratios
"$ZPB" list | awk '/^[a-z0-9]/ && $1 != "allocator" {print $1}' > "$d/names"
[ -s "$d/names" ] || fail "no allocators listed"
while read -r name; do
	row=$(awk -v n="$name" '$1 == n || index($1, n ":") == 1' "$d/out" | head -n 1)
	[ -n "$row" ] || fail "no row for $name"
	echo "$row" | awk '{
		if (NF != 15) exit 1
		for (i = 2; i <= 11; i += 2) if ($i !~ /^[0-9]+$/ || $(i+1) !~ /^\([0-9]+-[0-9]+\)$/) exit 1
		for (i = 12; i <= 15; i++) if ($i !~ /^[0-9]+\.[0-9][0-9]$/) exit 1
	}' || fail "malformed row for $name: $row"
done < "$d/names"
awk '$1 == "ideal" && !($12 == "1.00" && $13 == "1.00" && $14 == "1.00" && $15 == "1.00") {exit 1}' "$d/out" \
	|| fail "ideal's ratios to itself are not 1.00: $(grep '^ideal' "$d/out")"

# --alloc: only what is named, plus the baseline
"$ZPB" bench --trace corpora/example.trace --quick --alloc zbud > "$d/one" || fail "--alloc zbud"
[ "$(awk 'f && NF {print $1} /^allocator/ {f=1}' "$d/one" | tr '\n' ' ')" = "zbud ideal " ] \
	|| fail "rows for --alloc zbud: $(cat "$d/one")"

# zstd as the codec: its columns
"$ZPB" bench --trace corpora/example.trace --quick --alloc zbud --codec zstd:1 > "$d/z" || fail "--codec zstd:1"
grep -q '^allocator .* store+zstd  *load+zstd ' "$d/z" || fail "zstd header: $(cat "$d/z")"

# a raw page file as corpus: 64 pages of the program itself
cat "$ZPB" "$ZPB" "$ZPB" "$ZPB" | head -c 262144 > "$d/p.pages"
"$ZPB" bench --corpus "$d/p.pages" --quick --alloc malloc > "$d/pg" || fail "--corpus"
grep -q "pages of $d/p.pages (.*) compressed with lz4" "$d/pg" || fail "corpus source line: $(head -n 1 "$d/pg")"

# bad input: one line on stderr, exit 2 (usage) or 1 (input), no crash
check() {
	want=$1; shift
	"$ZPB" bench "$@" > /dev/null 2> "$d/e"
	rc=$?
	[ $rc -eq "$want" ] || fail "bench $*: exit $rc, want $want"
	[ "$(wc -l < "$d/e")" -eq 1 ] || fail "bench $*: not one line: $(cat "$d/e")"
	grep -q '^zpoolbench: ' "$d/e" || fail "bench $*: $(cat "$d/e")"
}
# without --trace or --corpus: the bundled corpus beside the binary (as make bench), from
# any folder; a binary with no bundled corpus beside it: a usage error
zpb_abs=$(cd "$(dirname "$ZPB")" && pwd)/$(basename "$ZPB")
if [ -r corpora/default.pages.zst ]; then
	(cd "$d" && "$zpb_abs" bench --quick --alloc zbud > "$d/o" 2> "$d/e") || fail "bench --quick: $(cat "$d/e")"
	grep -q "pages of $PWD/corpora/default.pages.zst " "$d/o" || fail "bench --quick input: $(head -2 "$d/o")"
fi
mkdir -p "$d/alone/bin"
cp "$ZPB" "$d/alone/bin/zpoolbench"
(cd "$d" && "$d/alone/bin/zpoolbench" bench --quick > /dev/null 2> "$d/e"; echo $? > "$d/rc")
[ "$(cat "$d/rc")" = 2 ] && grep -q 'give one of --trace FILE or --corpus FILE' "$d/e" \
	|| fail "bench --quick without any input: $(cat "$d/e")"
check 2 --trace corpora/example.trace --corpus "$d/p.pages"
check 2 --trace corpora/example.trace --alloc nosuch
check 2 --trace corpora/example.trace --codec lzma
check 2 --trace corpora/example.trace --reps 0
check 2 --trace corpora/example.trace --repeat 0
# --format csv and json: the same allocators, the figures machine-readable
"$ZPB" bench --trace corpora/example.trace --quick --alloc zbud --format json > "$d/j" || fail "--format json"
"$ZPB" bench --trace corpora/example.trace --quick --alloc zbud --format csv > "$d/c" || fail "--format csv"
python3 - "$d/j" "$d/c" <<'PY' || fail "bench --format json/csv content"
import csv, json, sys
j = json.load(open(sys.argv[1]))
assert [a["allocator"] for a in j["allocators"]] == ["zbud", "ideal"], j
assert j["repeat"] == 3 and j["allocators"][0]["store_ns"]["median"] > 0, j
assert j["kernel"] is None
rows = list(csv.DictReader(open(sys.argv[2])))
assert [r["allocator"] for r in rows] == ["zbud", "ideal"], rows
assert float(rows[1]["store_vs_ideal"]) == 1.0 and float(rows[0]["load_ns"]) > 0, rows
PY
check 1 --trace "$d/missing.trace" --quick
zstd -qdc corpora/default.pages.zst | head -c 5000 > "$d/odd.pages"
check 1 --corpus "$d/odd.pages" --quick
grep -q 'not a whole number of 4096-byte pages' "$d/e" || fail "odd corpus message: $(cat "$d/e")"
exit 0
