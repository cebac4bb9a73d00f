#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# zram_exact.sh - the zsmalloc port must reproduce the live kernel's pool
# size after every single operation.
#
# `zpoolbench oracle zram` writes >= 20,000 real pages into /dev/zram0 one
# at a time, then 2 churn rounds (discard a random half, rewrite it,
# compact), recording the kernel's compressed size of every page and
# mem_used_total after every allocation, free and compaction.  The kernel's
# size trace is replayed through zsmalloc:kernel=6.18 and the two
# trajectories must be identical at every operation.
#
# Pages: 20,000 distinct pages: the default corpus (corpora/default.pages.zst,
# about 6,000 pages) when it is in the tree, topped up with pages built here
# from ELF files, libraries and sources under /usr with zero, same-filled
# and random pages mixed in (see zram.lib).  Skips (exit 77) without root or
# zram, or when zram0 stays busy for 2 minutes.
set -u
. "$(dirname "$0")/zram.lib"

PAGES=${ZPB_ZRAM_PAGES:-20000}
zram_usable zram0

tmp=$(mktemp -d /tmp/zpb-zram-exact.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# 20,000 distinct pages: the default corpus (when in the tree) topped up
# with pages from /usr; without it, all of them from /usr
corpus="$tmp/test.pages"
have=0
if [ -f corpora/default.pages.zst ]; then
	zstd -q -d -c corpora/default.pages.zst > "$corpus" || { echo "FAIL: cannot unpack the default corpus"; exit 1; }
	have=$(($(wc -c < "$corpus") / 4096))
fi
if [ "$have" -lt "$PAGES" ]; then
	zram_build_corpus "$tmp/usr.pages" $((PAGES - have)) || { echo "FAIL: cannot build a corpus"; exit 1; }
	cat "$tmp/usr.pages" >> "$corpus"
	rm -f "$tmp/usr.pages"
fi
echo "corpus: $have pages of corpora/default.pages.zst, $((PAGES - have)) pages from /usr"

"$ZPB" oracle zram --corpus "$corpus" --pages "$PAGES" --churn 2 --seed 7 \
	--trace "$tmp/kernel.trace" --trajectory "$tmp/kernel.traj" > "$tmp/oracle.out" || {
	echo "FAIL: the oracle failed"; exit 1; }
cat "$tmp/oracle.out"
[ "$(cat /sys/block/zram0/disksize)" = 0 ] || { echo "FAIL: zram0 was not reset"; exit 1; }

"$ZPB" replay --trace "$tmp/kernel.trace" --alloc zsmalloc:kernel=6.18 \
	--trajectory "$tmp/port.traj" > "$tmp/replay.out" || { echo "FAIL: replay failed"; exit 1; }

# The run must have exercised what the claim is about.
stores=$(grep -c '^a ' "$tmp/kernel.trace")
frees=$(grep -c '^f ' "$tmp/kernel.trace")
compactions=$(grep -c '^c$' "$tmp/kernel.trace")
huge=$(grep -c '^a [0-9]* 4096$' "$tmp/kernel.trace")
same=$(grep -c '^# same-filled' "$tmp/kernel.trace")
echo "kernel trace: $stores stores ($huge huge), $frees frees, $compactions compactions, $same same-filled pages"
[ "$stores" -ge $((PAGES * 9 / 10)) ] || { echo "FAIL: only $stores stores"; exit 1; }
[ "$frees" -ge $((PAGES * 8 / 10)) ] || { echo "FAIL: only $frees frees"; exit 1; }
[ "$compactions" -eq 2 ] || { echo "FAIL: $compactions compactions, expected 2"; exit 1; }
[ "$same" -gt 0 ] || { echo "FAIL: no same-filled page was seen"; exit 1; }

awk '
	NR == FNR { k[$1] = $2; n = FNR; next }
	{
		m = FNR
		if (!($1 in k) || k[$1] != $2) {
			printf "FAIL: first difference at operation %s: kernel %s pool pages, port %s\n",
				$1, ($1 in k) ? k[$1] : "(none)", $2
			bad = 1
			exit 1
		}
		last_k = k[$1]; last_p = $2
	}
	END {
		if (bad) exit 1
		if (m != n) { printf "FAIL: kernel %d operations, port %d\n", n, m; exit 1 }
		printf "%d operations compared, 0 differ; final pool pages kernel %s, port %s\n",
			n, last_k, last_p
	}' "$tmp/kernel.traj" "$tmp/port.traj"
