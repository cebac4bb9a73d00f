#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# zblock-claims.sh OUTDIR CORPUS:LABEL[:OBJECTS][:PAGE]... - the zblock claims,
# measured (README "zblock against zsmalloc").
#
# For each corpus: a run of zblock (both tables) and zsmalloc through the
# zswap front end with lz4:1 and zstd:3, fill, load and a long churn (50
# rounds of 30 %), the pool never compacted before the end; a second run of
# zsmalloc alone compacted after every round; and thread scaling (1 and 2
# threads, the machine has 2 CPUs) of zblock and zsmalloc.  PAGE (4096 or
# 16384) picks the allocators' page size; OBJECTS cycles the corpus (0: one
# object per page).  Then scripts/zblock-claims.py summarises everything in
# OUTDIR/summary.md and OUTDIR/churn.csv, and plots/zblock.gp draws
# OUTDIR/zblock.png.  Environment: ZPB (the program), REPEAT (default 3),
# ROUNDS (default 50), ZPB_CCACHE_DIR as for run.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 OUTDIR CORPUS:LABEL[:OBJECTS][:PAGE]..." >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
ZPB=${ZPB:-$here/../build/zpoolbench}
REPEAT=${REPEAT:-3}
ROUNDS=${ROUNDS:-50}
out=$1
shift
mkdir -p "$out"
for spec in "$@"; do
	corpus=$(echo "$spec" | cut -d: -f1)
	label=$(echo "$spec" | cut -d: -f2)
	objects=$(echo "$spec" | cut -d: -f3)
	page=$(echo "$spec" | cut -d: -f4)
	[ -n "$page" ] || page=4096
	p=",page=$page"
	[ "$page" = 4096 ] && p=""
	obj=""
	[ -n "$objects" ] && [ "$objects" != 0 ] && obj="--objects $objects"
	# shellcheck disable=SC2086
	"$ZPB" run --corpus "$corpus" --frontend zswap --codec lz4:1,zstd:3 $obj \
		--alloc "zblock$p,zblock:table=pow2$p,zsmalloc${p:+:${p#,}}" \
		--churn-rounds "$ROUNDS" --repeat "$REPEAT" --out "$out/$label-p$page-never" --force \
		--no-plots --quiet
	# shellcheck disable=SC2086
	"$ZPB" run --corpus "$corpus" --frontend zswap --codec lz4:1,zstd:3 $obj \
		--alloc "zsmalloc${p:+:${p#,}}" --compact-every 1 \
		--churn-rounds "$ROUNDS" --repeat 1 --out "$out/$label-p$page-every" --force \
		--no-plots --quiet
	for codec in lz4:1 zstd:3; do
		"$ZPB" scale --corpus "$corpus" --alloc "zblock$p,zsmalloc${p:+:${p#,}}" \
			--codec "$codec" --threads 1,2 --repeat 9 --frontend zswap \
			--out "$out/$label-p$page-scale-$(echo "$codec" | tr : _).csv" --force \
			--format csv > /dev/null
	done
done
python3 "$here/zblock-claims.py" "$out"
gnuplot -e "dir='$out'" "$here/../plots/zblock.gp"
