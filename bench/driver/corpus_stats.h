/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * corpus_stats.h - what a corpus looks like to a compressed-memory pool:
 * zero and same-filled shares, and per codec the distribution of compressed
 * page sizes, the ratios, and the shares of pages above the cut-offs that
 * decide where a page goes (the table `zpoolbench corpus info` prints).
 *
 * Counting rules (as the kernel front ends count):
 *  - A page is same-filled if all its 8-byte words are equal (zero pages
 *    are the case word 0).  zram and 6.6-era zswap store no object for it.
 *  - Size percentiles and the mean are over the compressed sizes of ALL
 *    pages, same-filled ones included (compressed like any other page),
 *    nearest-rank: p-th percentile = the ceil(p/100 * n)-th smallest size.
 *  - ratio = raw bytes / sum of compressed sizes of all pages (every page
 *    compressed on its own; what published per-page studies report).
 *  - zram ratio = orig_data_size / compr_data_size as zram's mm_stat would
 *    show them: raw bytes of all pages / (0 for a same-filled page, a page
 *    for a page whose compressed size is >= the zsmalloc huge threshold
 *    (chain 8: 3625 B for 4 KiB pages, 14553 B for 16 KiB; zram then stores
 *    the page uncompressed), else its compressed size).  It is the ideal
 *    ratio of a pool with no fragmentation.
 *  - The cut-off shares are over all pages: > 70 % of a page (> 2867.2 B),
 *    > 2990 B, >= 3625 B (zsmalloc huge class, chain 8) and > 4096 B
 *    (the codec expanded the page); for other page sizes the same shares of
 *    the page (2990/4096 of it), the huge threshold of zsmalloc at that size.
 *
 * Pages are the corpus's, or of a smaller size it is read as (a view).
 */
#ifndef ZPB_CORPUS_STATS_H
#define ZPB_CORPUS_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "driver/codec.h"
#include "corpus/corpus.h"

#define ZS_HUGE_CHAIN8 3625 /* zsmalloc huge class size with chain size 8 (4 KiB pages) */

struct codec_stats {
	struct codec codec;
	uint64_t pages;
	uint64_t total_bytes; /* sum of compressed sizes, all pages */
	uint64_t zram_bytes;  /* same-filled 0, huge a page, else compressed size */
	uint32_t p10, p50, p90, min, max;
	double mean;
	uint64_t over_70pct;	  /* > 0.7 * page */
	uint64_t over_2990;	  /* > cut_2990 */
	uint64_t huge;		  /* >= cut_huge */
	uint64_t expanded;	  /* > page */
	uint64_t verify_failures; /* pages that did not decompress to themselves */
	double seconds;		  /* time spent compressing */
	double ratio, zram_ratio;
};

struct corpus_stats {
	uint32_t page_size;
	uint32_t cut_2990; /* 2990 for 4 KiB pages, the same share of others */
	uint32_t cut_huge; /* zsmalloc's huge threshold with chain 8 at this page size */
	uint64_t pages;
	uint64_t zero;
	uint64_t same_filled; /* zero included */
	int ncodecs;
	struct codec_stats *codecs;
};

/* 0, or -1 with a message in @err (out of memory, a codec failure). */
int corpus_stats_compute(const struct corpus *c, const struct codec *codecs, int ncodecs,
			 struct corpus_stats *st, char *err, size_t errlen);
/* The same for @c read as pages of @page bytes. */
int corpus_stats_compute_view(const struct corpus *c, uint32_t page, const struct codec *codecs,
			      int ncodecs, struct corpus_stats *st, char *err, size_t errlen);
void corpus_stats_free(struct corpus_stats *st);

#endif /* ZPB_CORPUS_STATS_H */
