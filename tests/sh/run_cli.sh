#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run/sweep command-line errors: each is ONE line on stderr naming the
# problem, a non-zero exit, and no results folder left behind.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-runcli.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# a tiny corpus: 16 pages of a binary, 4 of zeros
zstd -qdc corpora/default.pages.zst | head -c 65536 > "$d/c.pages"
head -c 16384 /dev/zero >> "$d/c.pages"
: > "$d/empty.pages"
head -c 5000 /dev/zero > "$d/odd.pages"

# expect_err WHAT PATTERN ARGS...: exit != 0, one stderr line matching PATTERN, no $d/out
expect_err() {
	what=$1 pat=$2
	shift 2
	rm -rf "$d/out"
	"$ZPB" "$@" > "$d/stdout" 2> "$d/stderr"
	rc=$?
	[ $rc -ne 0 ] || fail "$what: exit 0"
	[ "$(wc -l < "$d/stderr")" -eq 1 ] || { cat "$d/stderr"; fail "$what: not one stderr line"; }
	grep -q -- "$pat" "$d/stderr" || fail "$what: stderr '$(cat "$d/stderr")' lacks '$pat'"
	[ ! -e "$d/out" ] || fail "$what: left $d/out behind"
	return 0
}

c="$d/c.pages"
expect_err "bad allocator" "unknown allocator 'zfoo'" run --corpus "$c" --alloc zfoo --out "$d/out"
expect_err "bad key" "unknown key 'chain'" run --corpus "$c" --alloc zbud:chain=4 --out "$d/out"
expect_err "bad value" "bad value" run --corpus "$c" --alloc zbud:lru=7 --out "$d/out"
expect_err "bad codec" "codec" run --corpus "$c" --alloc zbud --codec lz5 --out "$d/out"
expect_err "bad frontend" "unknown front end 'zcache'" run --corpus "$c" --alloc zbud --frontend zcache --out "$d/out"
expect_err "bad workload" "unknown workload 'sleep'" run --corpus "$c" --alloc zbud --workload fill,sleep --out "$d/out"
expect_err "replay without trace" "needs --trace" run --corpus "$c" --alloc zbud --workload replay --out "$d/out"
expect_err "threads 0" "--threads: '0' is out of range (expected 1..1024)" run --corpus "$c" --alloc zbud --threads 0 --out "$d/out"
expect_err "threads -1" "--threads" run --corpus "$c" --alloc zbud --threads -1 --out "$d/out"
expect_err "repeat 0" "--repeat" run --corpus "$c" --alloc zbud --repeat 0 --out "$d/out"
expect_err "no alloc" "--alloc SPEC" run --corpus "$c" --out "$d/out"
expect_err "no corpus" "--corpus FILE is required" run --alloc zbud --out "$d/out"
expect_err "no out" "--out DIR is required" run --corpus "$c" --alloc zbud
expect_err "unknown option" "run: unknown option '--bogus'; see 'zpoolbench run --help'" run --bogus
expect_err "missing value" "run: --out needs a value (--out DIR)" run --corpus "$c" --alloc zbud --out
expect_err "repeated option" "run: --codec given twice; give it once" run --corpus "$c" --alloc zbud --codec lz4 --codec lz4 --out "$d/out"
expect_err "flag with a value" "run: --force takes no value" run --corpus "$c" --alloc zbud --force=yes --out "$d/out"
expect_err "not a number" "run: --objects: 'abc' is not a number (expected 1..100000000)" run --corpus "$c" --alloc zbud --objects abc --out "$d/out"
expect_err "bad format" "run: --format: 'xml' is not one of table, csv, json" run --corpus "$c" --alloc zbud --format xml --out "$d/out"
expect_err "threads list" "run takes one count" run --corpus "$c" --alloc zbud --threads 1,2 --out "$d/out"
expect_err "empty corpus" "empty.pages" run --corpus "$d/empty.pages" --alloc zbud --out "$d/out"
expect_err "partial page" "not a whole number of 4096-byte pages" run --corpus "$d/odd.pages" --alloc zbud --out "$d/out"
expect_err "missing corpus" "nonexistent.pages" run --corpus "$d/nonexistent.pages" --alloc zbud --out "$d/out"

# output folders: under a regular file (unwritable for root too), existing without --force
expect_err "unwritable out" "cannot create the folder" run --corpus "$c" --alloc zbud --out "$c/sub"
mkdir "$d/exists"
rm -rf "$d/out"
"$ZPB" run --corpus "$c" --alloc zbud --out "$d/exists" > /dev/null 2> "$d/stderr" && fail "existing folder accepted"
[ "$(wc -l < "$d/stderr")" -eq 1 ] && grep -q -- "exists; use --force" "$d/stderr" || fail "existing folder: $(cat "$d/stderr")"
[ -z "$(ls "$d/exists")" ] || fail "files written into a refused folder"
"$ZPB" run --corpus "$c" --alloc zbud --workload fill --out "$d/exists" --force --no-plots --quiet \
	|| fail "--force refused"
[ -s "$d/exists/results.csv" ] || fail "--force wrote no results"
if [ "$(id -u)" != 0 ]; then
	mkdir "$d/ro" && chmod 555 "$d/ro"
	expect_err "read-only parent" "cannot create the folder" run --corpus "$c" --alloc zbud --out "$d/ro/x"
fi

# sweep
expect_err "sweep grid" "unbalanced '{'" sweep --corpus "$c" --alloc 'zbud:lru={0,1' --out "$d/out"
expect_err "sweep range" "bad range" sweep --corpus "$c" --alloc 'zbud:lru={1..0}' --out "$d/out"
expect_err "sweep prefer" "sweep: --prefer: 'cheap' is not one of balanced, density, speed" sweep --corpus "$c" --alloc zbud --prefer cheap --out "$d/out"
expect_err "sweep baseline" "not one of the swept settings" sweep --corpus "$c" --alloc 'zbud:lru={0,1}' --baseline zbud --out "$d/out"
expect_err "sweep replay" "replay workload is not swept" sweep --corpus "$c" --alloc zbud --workload replay --trace corpora/example.trace --out "$d/out"
expect_err "run prefer" "run: unknown option '--prefer'" run --corpus "$c" --alloc zbud --prefer speed --out "$d/out"
mkdir -p "$d/dd" && cp "$c" "$d/dd/c.pages"
expect_err "corpus names" "would both be named 'c' in the results" run --corpus "$c" "$d/dd/c.pages" --alloc zbud --out "$d/out"
expect_err "corpus names (sweep)" "would both be named 'c'" sweep --corpus "$c" --corpus "$d/dd/c.pages" --alloc zbud --out "$d/out"
expect_err "empty alloc" "run: --alloc: is empty" run --corpus "$c" --alloc '' --out "$d/out"
# a spec the parser takes but the allocator refuses: every setting of a grid is checked up front
expect_err "sweep invalid setting" "gap=2 only applies to compaction=gated" \
	sweep --corpus "$c" --alloc 'z3fold:compaction={none,gated},gap=2' --out "$d/out"
"$ZPB" sweep --corpus "$c" --alloc 'z3fold:compaction={none,gated},gap=2' --out "$d/out" 2> /dev/null
[ $? -eq 2 ] || fail "an invalid setting of a sweep is not a usage error (exit 2)"

# -h is --help everywhere
for cmd in run sweep bench replay "corpus info" "corpus pack" "corpus sample" "corpus snapshot" \
	"oracle zram" "oracle qemu" list; do
	# shellcheck disable=SC2086
	"$ZPB" $cmd -h > "$d/help" 2> "$d/stderr" || fail "$cmd -h: exit $? $(cat "$d/stderr")"
	grep -q "usage: zpoolbench $cmd" "$d/help" || fail "$cmd -h printed no usage: $(head -2 "$d/help")"
done
"$ZPB" sweep --help | grep -q -- "--corpus FILE\.\.\." || fail "sweep usage does not show --corpus as repeatable"
if [ -x "$(dirname "$ZPB")/zpb-capture" ]; then
	"$ZPB" capture --help > "$d/help" || fail "capture --help failed"
	for o in --duration --ring-mb -v; do
		grep -q -- "^  $o" "$d/help" || fail "capture --help does not explain $o"
	done
fi
expect_err "oracle qemu options" "of a port's spec may follow the name" oracle qemu --trace corpora/example.trace \
	--alloc z3fold:compaction=none
echo "all run/sweep CLI errors are one line"
