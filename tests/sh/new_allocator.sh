#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# docs/hacking.md's recipe "A new allocator", checked by doing it: the
# allocator of tests/newalloc/bump.c, one file with ZPOOL_DRIVER_REGISTER and
# a param table and no other edit, linked into binaries of its own
# (tests/newalloc.mk), gets: list and spec checking (its own create() error
# included), run and replay, the integrity checker (which passes it, and
# catches its deliberate bug=overlap), the soak, the fuzz target, the
# manual page and the bash completion.  The real binaries do not have it.
set -u
BUILD=${BUILD:-build}
N=$BUILD/newalloc
B=$N/zpoolbench
d=$(mktemp -d /tmp/zpb-newalloc.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
for f in "$B" "$N/zpb-soak" "$N/fuzz_ops"; do
	[ -x "$f" ] || fail "$f is not built (tests/newalloc.mk)"
done

# list: the allocator with its keys; the real program does not have it
"$B" list > "$d/list" || fail "list"
grep -q '^bump  *objects one after another' "$d/list" || fail "list has no bump: $(cat "$d/list")"
grep -q '^  align  *1\.\.64  *default 8 ' "$d/list" || fail "list has no align key"
"$B" list --format csv | grep -q '^bump,bug,none|overlap,none,' || fail "list --format csv"
"$B" list --format csv | grep -q '^bump,page,4096|16384|65536,4096,' || fail "list: no page key"
"${ZPB:-$BUILD/zpoolbench}" list | grep -q '^bump ' && fail "the real zpoolbench has bump"

# spec checking: the table's rules, then create()'s own
[ "$("$B" list --check bump:align=16)" = bump:align=16 ] || fail "list --check bump:align=16"
"$B" list --check bump:align=128 2> "$d/e1" && fail "align=128 accepted"
grep -q "align" "$d/e1" && grep -q "1\.\.64" "$d/e1" || fail "out-of-range message: $(cat "$d/e1")"
"$B" list --check bump:colour=red 2> "$d/e2" && fail "an unknown key accepted"
grep -q "align, bug" "$d/e2" || fail "unknown-key message does not list the keys: $(cat "$d/e2")"
"$B" list --check bump:align=3 2> "$d/e3"
[ $? -eq 2 ] || fail "align=3: not exit status 2"
grep -qx "zpoolbench: list: --check: bump: align=3 is not a power of two" "$d/e3" || fail "create()'s message: $(cat "$d/e3")"

# replay, under the checker; the deliberate bug is caught
"$B" replay --trace corpora/example.trace --alloc bump --verify > "$d/replay" || fail "replay --verify bump"
grep -q '^allocator    bump$' "$d/replay" || fail "replay: $(cat "$d/replay")"
"$B" replay --trace corpora/example.trace --alloc bump:bug=overlap --verify 2> "$d/bug" &&
	fail "the checker did not catch bump:bug=overlap"
grep -q "verify: corpora/example.trace:[0-9]*: bump:bug=overlap: overlap: " "$d/bug" || fail "checker: $(cat "$d/bug")"

# run: rows and a density like the others
zstd -qdc corpora/default.pages.zst | head -c 409600 > "$d/c.pages"
"$B" run --corpus "$d/c.pages" --alloc bump,bump:align=64 --codec lz4 --ccache off --format csv > "$d/run.csv" \
	2> /dev/null || fail "run --alloc bump"
[ "$(grep -c '^c,lz4:1,bump,' "$d/run.csv")" -eq 3 ] || fail "run: no fill/load/churn rows of bump"
grep -q '^c,lz4:1,bump:align=64,fill,' "$d/run.csv" || fail "run: no bump:align=64"

# the soak and the fuzz target take it from the registry
ZPB_FUZZ_LIST=1 "$N/fuzz_ops" > "$d/specs" || fail "fuzz_ops cannot list specs"
grep -qx bump "$d/specs" && grep -qx bump:align=64 "$d/specs" || fail "zcheck_specs lacks bump: $(cat "$d/specs")"
grep -qx bump:bug=overlap "$d/specs" || fail "zcheck_specs lacks bump:bug=overlap"
grep -qx bump:page=65536 "$d/specs" || fail "zcheck_specs lacks bump:page=65536"
for s in bump bump:align=1 bump:align=64 bump:page=16384 bump:page=65536; do
	out=$(ZPB_FUZZ_ALLOC=$s "$N/fuzz_ops" tests/fuzz/corpus/ops 2>&1) || fail "fuzz_ops on $s: $(echo "$out" | tail -n 3)"
done
ZPB_FUZZ_ALLOC=bump:bug=overlap "$N/fuzz_ops" tests/fuzz/corpus/ops > "$d/fz" 2>&1 &&
	fail "fuzz_ops did not catch bump:bug=overlap"
"$N/zpb-soak" --ops 45000 --threads 1 bump bump:align=1 bump:page=65536 > "$d/soak" 2>&1 || fail "soak: $(tail -n 3 "$d/soak")"
grep -q "no violation" "$d/soak" || fail "soak: $(cat "$d/soak")"

# the manual page and the completion, generated from its tables
"$B" help --man > "$d/z.1"
grep -q '^\.SS "bump"' "$d/z.1" && grep -q 'align=' "$d/z.1" || fail "the manual page lacks bump"
scripts/gen-completion.sh "$B" > "$d/c.bash" || fail "gen-completion.sh"
bash -c '
	source "$1"
	COMP_LINE="zpoolbench run --alloc bump:"; COMP_POINT=${#COMP_LINE}
	COMP_WORDS=(zpoolbench run --alloc bump :); COMP_CWORD=4
	_zpoolbench
	[ "${COMPREPLY[*]}" = ":align= :bug= :page=" ] || { echo "got ${COMPREPLY[*]}"; exit 1; }
' sh "$d/c.bash" || fail "the completion does not offer bump's keys"
echo "new allocator ok"
