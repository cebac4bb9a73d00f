#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# units.sh OUTDIR CORPUS:LABEL:OBJECTS:UNITS... - 4 KiB pages against 16/64 KiB
# compression units, measured (README "4 KiB against 16/64 KiB units").
#
# For each corpus (of pages at least as large as its largest unit) and each
# unit of UNITS (e.g. 4k+16k+64k): `zpoolbench run --unit` of zsmalloc (mp=2
# for 16k, mp=4 for 64k: the 2024 multi-page RFC), malloc and ideal through
# the zram front end with lz4:1 and zstd:3, fill and load (a load reads one
# 4 KiB page of its unit), OBJECTS objects in pages of the corpus's size (so
# every unit size stores the same bytes); and `corpus info --page UNIT` seven
# times for the ratio over every page and the compression CPU (the least of
# the seven).  Then scripts/units.py writes OUTDIR/summary.md and
# OUTDIR/units.csv, and plots/units.gp draws OUTDIR/units.png.  Environment:
# ZPB (the program), REPEAT (default 3), ZPB_CCACHE_DIR as for run.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 OUTDIR CORPUS:LABEL:OBJECTS:UNITS..." >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
ZPB=${ZPB:-$here/../build/zpoolbench}
REPEAT=${REPEAT:-3}
out=$1
shift
mkdir -p "$out"
for spec in "$@"; do
	corpus=$(echo "$spec" | cut -d: -f1)
	label=$(echo "$spec" | cut -d: -f2)
	objects=$(echo "$spec" | cut -d: -f3)
	units=$(echo "$spec" | cut -d: -f4 | tr + ' ')
	for u in $units; do
		case $u in
		4k) zs=zsmalloc ;;
		16k) zs=zsmalloc:mp=2 ;;
		64k) zs=zsmalloc:mp=4 ;;
		*) echo "$0: unit '$u' is not 4k, 16k or 64k" >&2; exit 2 ;;
		esac
		"$ZPB" run --corpus "$corpus" --unit "$u" --alloc "$zs,malloc" --codec lz4:1,zstd:3 \
			--workload fill,load --objects "$objects" --repeat "$REPEAT" \
			--out "$out/$label-$u" --force --no-plots --quiet
		for i in 1 2 3 4 5 6 7; do
			"$ZPB" corpus info "$corpus" --page "$u" --codec lz4:1,zstd:3 --format csv \
				> "$out/$label-$u-info$i.csv"
		done
	done
done
python3 "$here/units.py" "$out"
gnuplot -e "dir='$out'" "$here/../plots/units.gp"
