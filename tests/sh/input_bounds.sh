#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Memory does not grow with the input (issue 12, defect 7).  Peak RSS of:
#  - corpus info on a 33 KB .zst that expands to 1 GiB (no manifest to
#    bound it): streamed, never held;
#  - run on a 264 MB corpus (.zst, the default corpus eleven times) storing
#    500 objects: the page set keeps 20 bytes per page, not the pages.
# Both were about the corpus size before (the .zst decompressed into memory).
# Bounds are 96 MiB, far above what the streamed reader takes (15-20 MiB)
# and far below the corpus; ThreadSanitizer's and ASan's shadow memory is in
# the RSS, so the bound is not checked there.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-bounds.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed to measure peak RSS"; exit 77; }

# peak RSS in KiB of a command (its exit status must be 0)
peak() {
	python3 - "$@" <<'PY'
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if r.returncode:
    sys.stderr.write(r.stderr.decode(errors="replace"))
    sys.exit(1)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}
bound=$((96 * 1024))
case "${BUILD:-build}" in *asan* | *tsan*) sanitized=1 ;; *) sanitized= ;; esac

head -c 1073741824 /dev/zero | zstd -q -19 -c > "$d/bomb.pages.zst"
kb=$(peak "$ZPB" corpus info "$d/bomb.pages.zst" --codec lz4) || fail "corpus info on the expanding .zst failed"
echo "corpus info, 1 GiB from a $(wc -c < "$d/bomb.pages.zst")-byte .zst: peak RSS $kb KiB"
[ -n "$sanitized" ] || [ "$kb" -lt $bound ] || fail "peak RSS $kb KiB for a streamed corpus"

for i in 1 2 3 4 5 6 7 8 9 10 11; do zstd -qdc corpora/default.pages.zst; done | zstd -q -1 -c > "$d/big.pages.zst"
kb=$(peak "$ZPB" run --corpus "$d/big.pages.zst" --alloc zsmalloc --codec lz4 --workload fill \
	--objects 500 --ccache "$d/cc" --no-plots --quiet --out "$d/r1") || fail "run on the large corpus failed"
echo "run, 66,000 pages (264 MB), building the cache: peak RSS $kb KiB"
[ -n "$sanitized" ] || [ "$kb" -lt $bound ] || fail "peak RSS $kb KiB building the page set"
kb=$(peak "$ZPB" run --corpus "$d/big.pages.zst" --alloc zsmalloc --codec lz4 --workload fill \
	--objects 500 --ccache "$d/cc" --no-plots --quiet --out "$d/r2") || fail "cached run on the large corpus failed"
grep -q "from the cache" "$d/r2/results.csv" || fail "the second run did not use the cache"
echo "run, the same from the cache (checked against the corpus): peak RSS $kb KiB"
[ -n "$sanitized" ] || [ "$kb" -lt $bound ] || fail "peak RSS $kb KiB checking a cache entry"
echo "bounded ok"
