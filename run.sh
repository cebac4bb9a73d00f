#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run.sh [--page 4k|16k|both] [CORPUS...] - the main job: build what is
# missing, run the standard matrix on the given corpora (default: the bundled
# corpora/default.pages.zst), write results/<corpus>-<timestamp>/ (CSV, JSON,
# figures, report.md), print the summary table and the folder.
#
# The standard matrix: zbud; z3fold at every compaction level and as in
# Linux 6.1; zsmalloc with zspage chains of 4, 8 and 16 pages; zblock with
# both block tables; the ideal bound; codecs lz4 (acceleration 1), lz4hc
# (level 9), zstd (levels 1, 3, 9); workloads fill, load and churn through the
# zram front end.  Allocators the binary does not have (yet) are skipped with
# a note; a setting its parser refuses is an error (exit 2).
#
# Page sizes: --page 4k (the default) runs 4 KiB pages; --page 16k runs the
# 16 KiB companion corpora/default16k.pages.zst (or the 16 KiB corpora given)
# with every allocator at page=16384; --page both runs that 16 KiB corpus at
# 16 KiB and read as 4 KiB pages, the same bytes, and report.md compares the
# two.  Given corpora must then have 16 KiB pages (corpus regroup makes them).
#
# Environment: ZPB_CODECS, ZPB_ALLOCS (comma/space separated) override the
# matrix; ZPB_RUN_ARGS adds options to `zpoolbench run`; ZPB_RESULTS is the
# parent folder (default results); ZPB_OBJECTS the data per pool, in 4 KiB
# pages (24000: 24,000 objects of 4 KiB pages, 6,000 of 16 KiB pages);
# ZPB names a built binary to use as is.
set -eu
cd "$(dirname "$0")"

say() { echo "run.sh: $*" >&2; }

# ZPB=/path/to/zpoolbench uses that binary as it is (the tests do)
if [ -n "${ZPB:-}" ] && [ -x "$ZPB" ]; then
	:
else
	scripts/deps.sh build plot || { say "cannot install the packages needed (see above)"; exit 1; }
	make -s all >&2
	ZPB=build/zpoolbench
fi
page=4k
case "${1:-}" in
--page=*) page=${1#--page=}; shift ;;
--page) [ $# -ge 2 ] || { say "--page needs a value: 4k, 16k or both"; exit 2; }; page=$2; shift 2 ;;
esac
case "$page" in
4k | 4K | 4096) page=4k; pageargs=""; scale=1 ;;
16k | 16K | 16384) page=16k; pageargs="--page 16K"; scale=4 ;;
both) pageargs="--page 4K,16K"; scale=4 ;;
*) say "--page: '$page' is not 4k, 16k or both"; exit 2 ;;
esac
if [ $# -eq 0 ]; then
	if [ "$page" = 4k ]; then
		set -- corpora/default.pages.zst
	else
		set -- corpora/default16k.pages.zst
	fi
fi
for c in "$@"; do
	if [ ! -r "$c" ]; then
		say "cannot read corpus '$c'; give NAME.pages or NAME.pages.zst files"
		exit 1
	fi
done

codecs=${ZPB_CODECS:-lz4:1,lz4hc:9,zstd:1,zstd:3,zstd:9}
# Objects per pool, cycled from the corpus: on the 6,000-page default corpus
# partly filled zspages decide the zsmalloc ranking (chain 4 > 8 > 16); with
# 24,000 objects chain 8 leads as on large pools, and the full matrix still
# takes about a minute; 60,000 (about two minutes) also puts chain 16 ahead
# of chain 4, as 81,000 real pages do.
# Counted in 4 KiB pages of data: a corpus of 16 KiB pages stores a quarter as
# many objects (read as 4 KiB pages too, four times that: the same bytes).
objects=${ZPB_OBJECTS:-24000}
case "$objects" in ''|*[!0-9]*) say "ZPB_OBJECTS wants a number, not '$objects'"; exit 2 ;; esac
objects=$((objects / scale))
[ "$objects" -gt 0 ] || objects=1
allocs=${ZPB_ALLOCS:-"zbud
z3fold:compaction=none z3fold:compaction=middle z3fold:compaction=extra z3fold:compaction=gated
z3fold:kernel=6.1
zsmalloc:chain=4 zsmalloc:chain=8 zsmalloc:chain=16
zblock zblock:table=pow2"}

# An allocator this build does not have (a whole allocator not built yet) is
# skipped with a note; a spec of a known allocator that its parser refuses
# (a typo: zsmalloc:chian=4) is an error with the parser's message.
# Specs are separated by spaces or commas; a comma followed by key=value
# continues the spec before it (z3fold:compaction=gated,gap=2).
specs=""
for tok in $(echo "$allocs" | tr ',' ' '); do
	case "$tok" in
	*:*) specs="$specs $tok" ;;	# NAME:key=value starts a spec
	*=*) specs="$specs,$tok" ;;	# key=value continues the one before
	*) specs="$specs $tok" ;;	# a bare NAME
	esac
done
list=$($ZPB list)
use=""
for spec in $specs; do
	name=${spec%%:*}
	if ! echo "$list" | grep -q "^$name "; then
		say "note: skipping '$spec': no allocator '$name' in this build (see '$ZPB list')"
		continue
	fi
	$ZPB list --check "$spec" > /dev/null || exit 2
	use="$use${use:+,}$spec"
done
[ -n "$use" ] || { say "no allocator of the matrix is known to this build"; exit 1; }

name=""
for c in "$@"; do
	b=$(basename "$c"); b=${b%.zst}; b=${b%.pages}
	name="$name${name:++}$b"
done
if [ "$page" = both ]; then
	name="$name-4k+16k"
fi
name=$(echo "$name" | cut -c1-60)
results=${ZPB_RESULTS:-results}
out="$results/$name-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$results"

# the corpora last: every word after --corpus is a corpus (spaces in paths kept)
# shellcheck disable=SC2086
$ZPB run --alloc "$use" --codec "$codecs" --workload fill,load,churn \
	--frontend zram --objects "$objects" $pageargs --out "$out" ${ZPB_RUN_ARGS:-} --corpus "$@"
echo "results folder: $out"
