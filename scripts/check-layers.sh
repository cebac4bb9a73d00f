#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# check-layers.sh - the layering rule of bench/ (docs/hacking.md):
#
#	allocators/  <  bench/ (util, json, sha256)  <  corpus/  <  driver/
#	<  output/  <  kernel/  <  cmd/  <  bench/main.c
#
# a file includes only headers of its own layer or of layers below it, and
# everything that changes kernel state (zram sysfs, block ioctls, swap,
# cgroups, BPF, module loading, mounts) lives in bench/kernel/.  Prints one
# line per violation and exits 1 if there is any.
set -u
cd "$(dirname "$0")/.."

rank() {
	case "$1" in
	allocators/*) echo 0 ;;
	bench/main.c) echo 7 ;;
	bench/cmd.h | bench/cmd/*) echo 6 ;;
	bench/kernel/*) echo 5 ;;
	bench/output/*) echo 4 ;;
	bench/driver/*) echo 3 ;;
	bench/corpus/*) echo 2 ;;
	bench/*) echo 1 ;;
	*) echo 9 ;;
	esac
}

# The file an include line names, as a path from the top of the tree.
resolve() {
	from=$1 name=$2
	for cand in "$(dirname "$from")/$name" "bench/$name" "allocators/$name"; do
		[ -f "$cand" ] && { echo "$cand"; return; }
	done
}

bad=0
for f in $(find allocators bench -name '*.[ch]' ! -path 'bench/kernel/oracle/*' ! -name '*.bpf.c' | sort); do
	r=$(rank "$f")
	for name in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
		h=$(resolve "$f" "$name")
		[ -n "$h" ] || continue # generated (version.h, skeletons)
		hr=$(rank "$h")
		if [ "$hr" -gt "$r" ]; then
			echo "layers: $f includes $h, a layer above its own"
			bad=1
		fi
	done
done

# Kernel state: these calls and paths belong to bench/kernel/ only.
pat='/sys/block/|/sys/fs/cgroup|/proc/sys/|BLKDISCARD|swapon|swapoff|bpf_object__|init_module|finit_module|mount\('
hits=$(grep -rnE "$pat" --include='*.c' bench allocators | grep -v '^bench/kernel/' | grep -vE '^[^:]*:[0-9]+:\s*(/?\*|//)')
if [ -n "$hits" ]; then
	echo "$hits" | sed 's/^/layers: kernel state outside bench\/kernel: /'
	bad=1
fi
exit $bad
