#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run.sh [CORPUS...] - the main job: build what is missing, run the standard
# matrix on the given corpora (default: the bundled corpora/default.pages.zst),
# write results/<corpus>-<timestamp>/ (CSV, JSON, figures, report.md), print
# the summary table and the folder.
#
# The standard matrix: zbud; z3fold at every compaction level and as in
# Linux 6.1; zsmalloc with zspage chains of 4, 8 and 16 pages; the ideal bound;
# codecs lz4 (acceleration 1), lz4hc (level 9), zstd (levels 1, 3, 9);
# workloads fill, load and churn through the zram front end.  Allocators or
# settings the binary does not know (yet) are skipped with a note.
#
# Environment: ZPB_CODECS, ZPB_ALLOCS (comma/space separated) override the
# matrix; ZPB_RUN_ARGS adds options to `zpoolbench run`.
set -eu
cd "$(dirname "$0")"

say() { echo "run.sh: $*" >&2; }

scripts/deps.sh build plot || { say "cannot install the packages needed (see above)"; exit 1; }
make -s all >&2

ZPB=build/zpoolbench
[ $# -gt 0 ] || set -- corpora/default.pages.zst
for c in "$@"; do
	if [ ! -r "$c" ]; then
		say "cannot read corpus '$c'; give NAME.pages or NAME.pages.zst files"
		exit 1
	fi
done

codecs=${ZPB_CODECS:-lz4:1,lz4hc:9,zstd:1,zstd:3,zstd:9}
allocs=${ZPB_ALLOCS:-"zbud
z3fold:compaction=none z3fold:compaction=middle z3fold:compaction=extra z3fold:compaction=gated
z3fold:kernel=6.1
zsmalloc:chain=4 zsmalloc:chain=8 zsmalloc:chain=16"}

# Is SPEC (NAME[:key=value,...]) something this binary knows?  Checked
# against `zpoolbench list`: the name, each key, each word value.
list=$($ZPB list)
spec_known() {
	name=${1%%:*}
	echo "$list" | grep -q "^$name " || return 1
	case "$1" in *:*) ;; *) return 0 ;; esac
	params=$(echo "$list" | awk -v n="$name" '/^[^ ]/ {cur = $1} /^  / && cur == n {print $1, $2}')
	for kv in $(echo "${1#*:}" | tr ',' ' '); do
		key=${kv%%=*} val=${kv#*=}
		valid=$(echo "$params" | awk -v k="$key" '$1 == k {print $2}')
		[ -n "$valid" ] || return 1
		case "$valid" in
		*..*) echo "$val" | grep -qE '^-?[0-9]+$' || return 1 ;;
		*) echo "|$valid|" | grep -q "|$val|" || return 1 ;;
		esac
	done
	return 0
}

use=""
for spec in $(echo "$allocs" | tr ',' ' '); do
	if spec_known "$spec"; then
		use="$use${use:+,}$spec"
	else
		say "note: skipping '$spec': not known to this build (see '$ZPB list')"
	fi
done
[ -n "$use" ] || { say "no allocator of the matrix is known to this build"; exit 1; }

name=""
for c in "$@"; do
	b=$(basename "$c"); b=${b%.zst}; b=${b%.pages}
	name="$name${name:++}$b"
done
name=$(echo "$name" | cut -c1-60)
out="results/$name-$(date +%Y%m%d-%H%M%S)"
mkdir -p results

set --  $(for c in "$@"; do printf ' --corpus %s' "$c"; done)
# shellcheck disable=SC2086
$ZPB run "$@" --alloc "$use" --codec "$codecs" --workload fill,load,churn \
	--frontend zram --out "$out" ${ZPB_RUN_ARGS:-}
echo "results folder: $out"
