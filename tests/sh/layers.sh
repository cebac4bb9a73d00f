#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# layers.sh - bench/ keeps its layering rule (scripts/check-layers.sh), and
# the checker itself still catches an upward include and kernel-state code
# outside bench/kernel/ (checked on a copy of two files).
set -eu
cd "$(dirname "$0")/../.."
scripts/check-layers.sh

tmp=$(mktemp -d /tmp/zpb-layers.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/allocators" "$tmp/bench/driver" "$tmp/bench/output" "$tmp/scripts"
cp scripts/check-layers.sh "$tmp/scripts/"
printf '#include "output/report.h"\nstatic const char *d = "/sys/block/zram0";\n' >"$tmp/bench/driver/x.c"
: >"$tmp/bench/output/report.h"
if out=$("$tmp/scripts/check-layers.sh"); then
	echo "FAIL: the checker accepted an upward include"; exit 1
fi
echo "$out" | grep -q 'bench/driver/x.c includes bench/output/report.h' || { echo "FAIL: $out"; exit 1; }
echo "$out" | grep -q 'kernel state outside bench/kernel: bench/driver/x.c:2' || { echo "FAIL: $out"; exit 1; }
