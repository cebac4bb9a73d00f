#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# ./run.sh: a typo in a setting of a known allocator is an error with the
# parser's message (exit 2, nothing written); an allocator this build does
# not have is skipped with a note; corpus paths with spaces work.
set -u
ZPB=${ZPB:-build/zpoolbench}
export ZPB
d=$(mktemp -d "/tmp/zpb run.XXXXXX")
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

zstd -qdc corpora/default.pages.zst | head -c 65536 > "$d/my corpus.pages"
export ZPB_RESULTS="$d/results" ZPB_CODECS=lz4 ZPB_OBJECTS=50 ZPB_RUN_ARGS="--no-plots --quiet"

ZPB_ALLOCS="zbud zsmalloc:chian=4" ./run.sh "$d/my corpus.pages" > "$d/out" 2> "$d/err"
[ $? -eq 2 ] || fail "a typo in a spec did not exit 2: $(cat "$d/err")"
grep -q "unknown key 'chian'" "$d/err" || fail "no parser message: $(cat "$d/err")"
grep -q "skipping" "$d/err" && fail "a typo was skipped as unknown: $(cat "$d/err")"
[ ! -e "$d/results" ] || fail "results written after a bad spec"

ZPB_ALLOCS="zfoo zbud,z3fold:compaction=gated,gap=2" ./run.sh "$d/my corpus.pages" > "$d/out" 2> "$d/err" \
	|| fail "run.sh failed: $(cat "$d/err")"
grep -q "skipping 'zfoo': no allocator 'zfoo' in this build" "$d/err" || fail "no note for zfoo: $(cat "$d/err")"
out=$(sed -n 's/^results folder: //p' "$d/out")
[ -s "$out/results.csv" ] || fail "no results in '$out'"
grep -q '^"\?my corpus' "$out/results.csv" || grep -q '^my corpus,' "$out/results.csv" || fail "corpus name lost"
grep -q ',"z3fold:compaction=gated,gap=2",fill,' "$out/results.csv" || fail "spec with a key list split apart"
echo "run.sh ok"
