#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The compression cache cannot lie (issue 12, defects 2, 4, 11):
#  1. the corpus renamed over between two codecs of one run: every row is of
#     the bytes the run opened (one descriptor per corpus), under their
#     sha256, and the cache entries hold those bytes (a later cached run
#     gives the same figures);
#  2. the corpus rewritten in place between codecs: the run fails with one
#     line, writes no results and caches nothing of the changed bytes;
#  3. every kind of cache trouble (a directory or a FIFO at the entry's
#     path, a corrupt or truncated entry, an entry of another corpus, a folder
#     name too long, a folder that cannot be made, a full disk) gives one note
#     on stderr and a correct run;
#  4. a cache build killed with SIGKILL leaves no file behind.
# The test seam ZPB_TEST_BETWEEN_CODECS runs a command after each codec but
# the last (bench/driver/run.c).
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-cctrust.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$d"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

zstd -qdc corpora/default.pages.zst | head -c $((4096 * 32)) > "$d/A.pages"
zstd -qdc corpora/default.pages.zst | tail -c $((4096 * 32)) > "$d/B.pages"
mkdir "$d/ref"
cp "$d/A.pages" "$d/ref/c.pages"
shaA=$(sha256sum < "$d/A.pages" | cut -c1-64)

# the figures that do not depend on timing: codec,allocator,workload,pages..density
figures() { grep -v '^#' "$1/results.csv" | tail -n +2 | cut -d, -f2-12 | sort; }
run() { # OUT [options]: a run of corpus c.pages in the folder of $corpus
	out=$1
	shift
	timeout 300 "$ZPB" run --corpus "$corpus" --alloc zbud,zsmalloc --codec lz4,zstd:1 --workload fill,load \
		--no-plots --quiet --out "$out" "$@"
}
corpus=$d/ref/c.pages
run "$d/ref/r" --ccache off 2> "$d/err" || { cat "$d/err"; fail "reference run failed"; }
figures "$d/ref/r" > "$d/ref.fig"

# 1. renamed over between the codecs
corpus=$d/c.pages
cp "$d/A.pages" "$d/c.pages"
cp "$d/B.pages" "$d/B2.pages"
ZPB_TEST_BETWEEN_CODECS="mv '$d/B2.pages' '$d/c.pages'" run "$d/r1" --ccache "$d/cc" 2> "$d/err" ||
	{ cat "$d/err"; fail "run with the corpus renamed over failed"; }
cmp -s "$d/c.pages" "$d/B.pages" || fail "the test seam did not replace the corpus"
grep -q "^# corpus c: 32 pages, sha256 $shaA" "$d/r1/results.csv" || fail "results not under the opened file's sha256"
figures "$d/r1" | cmp -s - "$d/ref.fig" || fail "rows are not of the bytes the run opened"
cp "$d/A.pages" "$d/c.pages"
run "$d/r1b" --ccache "$d/cc" 2> "$d/err" || { cat "$d/err"; fail "cached run failed"; }
[ "$(grep -c 'from the cache' "$d/r1b/results.csv")" -eq 2 ] || fail "the second run did not use the cache"
figures "$d/r1b" | cmp -s - "$d/ref.fig" || fail "the cache entries hold other bytes (poisoned)"

# 2. rewritten in place between the codecs (same inode): fails, nothing kept
cp "$d/A.pages" "$d/c.pages"
ZPB_TEST_BETWEEN_CODECS="cat '$d/B.pages' > '$d/c.pages'" run "$d/r2" --ccache "$d/cc2" 2> "$d/err" &&
	fail "a run whose corpus changed in place succeeded"
[ "$(wc -l < "$d/err")" -eq 1 ] || { cat "$d/err"; fail "not one line"; }
grep -q "c.pages: changed while zpoolbench was reading it" "$d/err" || { cat "$d/err"; fail "wrong message"; }
[ ! -e "$d/r2" ] || fail "results written for a changed corpus"
[ "$(ls "$d/cc2")" = "$shaA-lz4_1.zpbcc" ] || fail "cache holds: $(ls "$d/cc2")"

# 3. cache trouble: one note, a correct run
cp "$d/A.pages" "$d/c.pages"
uncached() { # NAME CACHEDIR PATTERN: the run succeeds with one note matching PATTERN, right figures
	run "$d/r-$1" --ccache "$2" 2> "$d/err" < /dev/null || { cat "$d/err"; fail "$1: the run failed"; }
	n=$(grep -c '^zpoolbench: compression cache' "$d/err")
	[ "$n" -ge 1 ] || { cat "$d/err"; fail "$1: no note"; }
	grep -q "$3" "$d/err" || { cat "$d/err"; fail "$1: the note does not say '$3'"; }
	[ "$(grep -vc '^zpoolbench: compression cache' "$d/err")" -eq 0 ] || { cat "$d/err"; fail "$1: more than notes"; }
	figures "$d/r-$1" | cmp -s - "$d/ref.fig" || fail "$1: wrong figures"
}
mkdir -p "$d/c3/$shaA-lz4_1.zpbcc"
uncached dir "$d/c3" "lz4_1.zpbcc: not a regular file (a directory); running without the cache"
mkdir -p "$d/c4" && mkfifo "$d/c4/$shaA-lz4_1.zpbcc"
uncached fifo "$d/c4" "not a regular file (a FIFO)"
mkdir -p "$d/c5"
cp "$d/cc/$shaA-lz4_1.zpbcc" "$d/c5/"
size=$(wc -c < "$d/c5/$shaA-lz4_1.zpbcc")
printf '\377\377\377\377' | dd of="$d/c5/$shaA-lz4_1.zpbcc" bs=1 seek=$((size - 100)) conv=notrunc 2>/dev/null
uncached corrupt "$d/c5" "corrupt data (checksum); rebuilding it"
grep -q "from the cache" "$d/r-corrupt/results.csv" && fail "a corrupt entry was used"
truncate -s 1000 "$d/c5/$shaA-zstd_1.zpbcc"
uncached truncated "$d/c5" "truncated: 1000 bytes"
# an entry of another corpus under A's name
mkdir -p "$d/c6"
corpus=$d/B.pages run "$d/rB" --ccache "$d/c6" 2>/dev/null || fail "run on B failed"
for f in "$d/c6"/*; do mv "$f" "$d/c6/$shaA-${f##*-}"; done
uncached foreign "$d/c6" "made from another corpus"
long=$d/$(printf 'x%.0s' $(seq 1 4266))
uncached long-name "$long" "the name is longer than 4095 characters; running without the cache"
[ ! -e "$d/xxxx" ] || fail "a shortened folder was made"
: > "$d/afile"
uncached not-a-folder "$d/afile/cc" "cannot create it: Not a directory"
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	# a full disk: a 32 KiB tmpfs in a private mount namespace (gone with it)
	mkdir -p "$d/full"
	unshare -m sh -c "mount -t tmpfs -o size=32k tmpfs '$d/full' && \
		ZPB_CCACHE_DIR='$d/full' '$ZPB' run --corpus '$d/c.pages' --alloc zbud,zsmalloc \
		--codec lz4,zstd:1 --workload fill,load --no-plots --quiet --out '$d/r-full' 2> '$d/err'; \
		echo \$? > '$d/rc'; ls -A '$d/full' > '$d/left'"
	[ "$(cat "$d/rc")" = 0 ] || { cat "$d/err"; fail "full disk: the run failed"; }
	grep -q "No space left on device; running without the cache" "$d/err" || { cat "$d/err"; fail "full disk: no note"; }
	figures "$d/r-full" | cmp -s - "$d/ref.fig" || fail "full disk: wrong figures"
	grep -q tmp "$d/left" && fail "full disk: left $(cat "$d/left")"
else
	echo "part skipped: the full disk case needs root and unshare"
fi

# 4. SIGKILL during a cache build: nothing left in the folder
head -c $((4096 * 40000)) /dev/urandom > "$d/big.pages"
"$ZPB" run --corpus "$d/big.pages" --alloc zbud --codec lz4hc:12 --workload fill --no-plots \
	--ccache "$d/c7" --out "$d/r7" 2>/dev/null &
pid=$!
i=0
until ls -l /proc/$pid/fd 2>/dev/null | grep -q "$d/c7/"; do
	i=$((i + 1))
	[ $i -lt 3000 ] || fail "the cache build did not start"
	sleep 0.01
done
kill -9 $pid
wait $pid 2>/dev/null
pid=
[ -z "$(ls -A "$d/c7")" ] || fail "SIGKILL left $(ls -A "$d/c7")"
echo "compression cache trusted ok"
