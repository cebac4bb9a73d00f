# SPDX-License-Identifier: GPL-2.0-only
# zswap-decisions.awk - what a 6.12 guest's zswap decided, from the output
# of guest/zswap_probe.c (one section per zpool, "# zpool NAME"), for the
# zpool Z (awk -v Z=zbud): one line per op, in the format of zpb-feprobe,
#	OPINDEX s|f SLOT DECISION POOL_PAGES ZLEN
# DECISION from the counters that moved: zero (swpout_zero: the swap core
# kept it), fail (reject_compress_fail), poor (reject_compress_poor), limit
# (pool_limit_hit), alloc (reject_alloc_fail), stored (stored_pages), free
# (f ops); "notout" if the page did not reach swap at all, "?" if nothing
# moved.  POOL_PAGES is pool_total_size / page size; ZLEN the length the
# guest's zram gave the page (see zswap_probe.c).
/^# zpool / { cur = $3; next }
cur != Z { next }
/^# page_size / { ps = $3; next }
/^# before / { for (i = 3; i <= NF; i++) { split($i, kv, "="); prev[kv[1]] = kv[2] }; next }
/^#/ { next }
{
	for (i = 7; i <= NF; i++) { split($i, kv, "="); now[kv[1]] = kv[2] }
	if ($2 == "f") d = "free"
	else if ($5 != 1) d = "notout"
	else if (now["swpout_zero"] > prev["swpout_zero"]) d = "zero"
	else if (now["reject_compress_fail"] > prev["reject_compress_fail"]) d = "fail"
	else if (now["reject_compress_poor"] > prev["reject_compress_poor"]) d = "poor"
	else if (now["pool_limit_hit"] > prev["pool_limit_hit"]) d = "limit"
	else if (now["reject_alloc_fail"] > prev["reject_alloc_fail"]) d = "alloc"
	else if (now["stored_pages"] > prev["stored_pages"]) d = "stored"
	else d = "?"
	printf "%s %s %s %s %d %s\n", $1, $2, $3, d, now["pool_total_size"] / ps, $2 == "f" ? "-" : $6
	for (k in now) prev[k] = now[k]
}
