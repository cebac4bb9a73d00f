#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# outdir_atomic.sh - a results folder appears whole or not at all.
#  1. A write error half-way through the results (EFBIG under a file size
#     limit, `ulimit -f`: results.csv fits, results.json does not; the same
#     error path as ENOSPC on a full disk, without mounting anything) leaves
#     no folder, no temporary sibling and no lock; with --force the earlier
#     folder is left exactly as it was.
#  2. A second run on a folder another run is writing is refused at once
#     with one line; the first one completes undisturbed.
#  3. --out DIR/ (a trailing slash) works, and a rerun with --force too.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-outdir.XXXXXX)
o=$d/o # the results folders go here, the rest stays in $d
mkdir "$o"
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 4 pages of a binary and 4 zero pages; 20 repeats make results.json large
zstd -qdc corpora/default.pages.zst | head -c 16384 > "$d/c.pages"
head -c 16384 /dev/zero >> "$d/c.pages"
R="--corpus $d/c.pages --alloc zbud,zsmalloc --codec lz4 --ccache off --no-plots --quiet"

# what is in $o
only() { # WHAT EXPECTED-LISTING
	got=$(ls -A "$o" | tr '\n' ' ')
	[ "$got" = "$2" ] || fail "$1: left '$got', expected '$2'"
}

# 1. a write error: the limit is in 512-byte blocks for dash, 1024 for bash:
#    100-200 KB, above results.csv (~5 KB) and the compressed pages, below
#    results.json (~360 KB).  SIGXFSZ is ignored so that the write fails.
# shellcheck disable=SC2086
(trap '' XFSZ; ulimit -f 200; exec "$ZPB" run $R --repeat 20 --out "$o/r") 2> "$d/err"
rc=$?
[ $rc -eq 1 ] || fail "a write error: exit $rc, expected 1: $(cat "$d/err")"
grep -q "File too large" "$d/err" || fail "a write error: message '$(cat "$d/err")'"
only "a write error" ""
# shellcheck disable=SC2086
"$ZPB" run $R --out "$o/r" || fail "a run without a limit failed"
[ -s "$o/r/results.json" ] || fail "no results.json"
cp "$o/r/results.csv" "$d/before.csv"
# shellcheck disable=SC2086
(trap '' XFSZ; ulimit -f 200; exec "$ZPB" run $R --repeat 20 --seed 2 --out "$o/r" --force) 2> "$d/err"
[ $? -eq 1 ] || fail "a write error with --force: not exit 1"
cmp -s "$o/r/results.csv" "$d/before.csv" || fail "a failed --force run changed the earlier results"
only "a write error with --force" "r "
rm "$d/before.csv"

# 2. a second run on the same folder while the first writes it
# shellcheck disable=SC2086
"$ZPB" run $R --repeat 300 --out "$o/busy" 2> "$d/busy.err" &
pid=$!
i=0
until ls -A "$o" | grep -q '^\.busy\.tmp\.'; do
	i=$((i + 1))
	[ $i -lt 600 ] || fail "the first run never started writing"
	sleep 0.1
done
# shellcheck disable=SC2086
"$ZPB" run $R --out "$o/busy" --force 2> "$d/err2"
rc=$?
[ $rc -eq 1 ] || fail "the second run: exit $rc, expected 1"
[ "$(cat "$d/err2")" = "zpoolbench: run: --out $o/busy: another zpoolbench is writing this folder (it holds $o/.busy.lock); wait for it to finish or choose another path" ] ||
	fail "the second run: '$(cat "$d/err2")'"
wait $pid || fail "the first run failed: $(cat "$d/busy.err")"
pid=
[ -s "$o/busy/results.csv" ] || fail "the first run wrote no results"
only "two runs" "busy r "
rm -rf "$o/busy" "$o/r"

# 3. a trailing slash, then --force over it
# shellcheck disable=SC2086
"$ZPB" run $R --out "$o/res/x/" || fail "--out DIR/ failed"
# shellcheck disable=SC2086
"$ZPB" run $R --out "$o/res/x/" --force || fail "--out DIR/ --force failed"
[ -s "$o/res/x/results.csv" ] || fail "--out DIR/: no results"
[ "$(ls -A "$o/res")" = x ] || fail "--out DIR/: left $(ls -A "$o/res")"
echo "results folders are whole or absent"
