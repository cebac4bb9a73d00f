// SPDX-License-Identifier: GPL-2.0-only
/*
 * corpus_stats.c - see corpus_stats.h.  One pass per codec over the pages;
 * every compressed page is decompressed and compared with the original.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/corpus_stats.h"
#include "util.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the ceil(p/100 * n)-th smallest (1-based). */
static uint32_t percentile(const uint32_t *sorted, uint64_t n, unsigned int p)
{
	uint64_t rank = (p * n + 99) / 100;

	return sorted[rank ? rank - 1 : 0];
}

static int one_codec(const struct corpus *c, const uint8_t *same, struct codec_stats *cs,
		     uint32_t *sizes, char *err, size_t errlen)
{
	struct codec_ctx *x = codec_ctx_new(&cs->codec);
	uint8_t out[CODEC_BOUND];
	uint64_t t0, tcomp = 0;

	if (!x) {
		snprintf(err, errlen, "%s: out of memory", cs->codec.name);
		return -1;
	}
	cs->pages = c->pages;
	for (uint64_t i = 0; i < c->pages; i++) {
		const uint8_t *pg = corpus_page(c, i);
		int n;

		t0 = now_ns();
		n = codec_compress(x, pg, out);
		tcomp += now_ns() - t0;
		if (n <= 0) {
			snprintf(err, errlen, "%s failed on page %llu", cs->codec.name,
				 (unsigned long long)i);
			codec_ctx_free(x);
			return -1;
		}
		if (!codec_verify(x, out, n, pg))
			cs->verify_failures++;
		sizes[i] = n;
		cs->total_bytes += n;
		if (same[i])
			;
		else if (n >= ZS_HUGE_CHAIN8)
			cs->zram_bytes += CODEC_PAGE;
		else
			cs->zram_bytes += n;
		cs->over_70pct += n * 10 > CODEC_PAGE * 7;
		cs->over_2990 += n > 2990;
		cs->huge += n >= ZS_HUGE_CHAIN8;
		cs->expanded += n > CODEC_PAGE;
	}
	codec_ctx_free(x);
	cs->seconds = tcomp / 1e9;
	qsort(sizes, c->pages, sizeof(*sizes), cmp_u32);
	cs->min = sizes[0];
	cs->max = sizes[c->pages - 1];
	cs->p10 = percentile(sizes, c->pages, 10);
	cs->p50 = percentile(sizes, c->pages, 50);
	cs->p90 = percentile(sizes, c->pages, 90);
	cs->mean = (double)cs->total_bytes / c->pages;
	cs->ratio = (double)c->pages * CODEC_PAGE / cs->total_bytes;
	/* all pages same-filled: zram stores no bytes at all */
	cs->zram_ratio = cs->zram_bytes ? (double)c->pages * CODEC_PAGE / cs->zram_bytes : INFINITY;
	return 0;
}

int corpus_stats_compute(const struct corpus *c, const struct codec *codecs, int ncodecs,
			 struct corpus_stats *st, char *err, size_t errlen)
{
	uint8_t *same = calloc(c->pages, 1);
	uint32_t *sizes = calloc(c->pages, sizeof(*sizes));

	memset(st, 0, sizeof(*st));
	st->codecs = calloc(ncodecs, sizeof(*st->codecs));
	if (!same || !sizes || !st->codecs) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	st->pages = c->pages;
	st->ncodecs = ncodecs;
	for (uint64_t i = 0; i < c->pages; i++) {
		uint64_t w;

		if (page_same_filled(corpus_page(c, i), &w)) {
			same[i] = 1;
			st->same_filled++;
			st->zero += w == 0;
		}
	}
	for (int k = 0; k < ncodecs; k++) {
		st->codecs[k].codec = codecs[k];
		if (one_codec(c, same, &st->codecs[k], sizes, err, errlen))
			goto fail;
	}
	free(same);
	free(sizes);
	return 0;
fail:
	free(same);
	free(sizes);
	corpus_stats_free(st);
	return -1;
}

void corpus_stats_free(struct corpus_stats *st)
{
	free(st->codecs);
	memset(st, 0, sizeof(*st));
}
