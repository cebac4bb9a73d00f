// SPDX-License-Identifier: GPL-2.0-only
/*
 * corpus_stats.c - see corpus_stats.h.  One streamed pass over the pages,
 * every codec on each; every compressed page is decompressed and compared
 * with the original.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/corpus_stats.h"
#include "util.h"

/* Nearest rank from a histogram of sizes: the ceil(p/100 * n)-th smallest (1-based). */
static uint32_t percentile(const uint64_t *hist, uint64_t n, unsigned int p)
{
	uint64_t rank = (p * n + 99) / 100, seen = 0;

	if (!rank)
		rank = 1;
	for (uint32_t s = 0; s <= CODEC_BOUND; s++) {
		seen += hist[s];
		if (seen >= rank)
			return s;
	}
	return CODEC_BOUND;
}

struct stats_pass {
	struct corpus_stats *st;
	struct codec_ctx **cx;
	uint64_t **hist; /* per codec: pages of each compressed size 0..CODEC_BOUND */
	const char *path;
	char *err;
	size_t errlen;
};

/* One buffer of pages, every codec. */
static int stats_pages(void *arg, uint64_t first, const uint8_t *pages, uint64_t n)
{
	struct stats_pass *sp = arg;
	struct corpus_stats *st = sp->st;
	uint8_t out[CODEC_BOUND];

	for (uint64_t k = 0; k < n; k++) {
		const uint8_t *pg = pages + k * CODEC_PAGE;
		uint64_t w, t0;
		bool same = page_same_filled(pg, &w);

		if (same) {
			st->same_filled++;
			st->zero += w == 0;
		}
		for (int c = 0; c < st->ncodecs; c++) {
			struct codec_stats *cs = &st->codecs[c];
			int len;

			t0 = now_ns();
			len = codec_compress(sp->cx[c], pg, out);
			cs->seconds += (now_ns() - t0) / 1e9;
			if (len <= 0 || len > CODEC_BOUND) {
				snprintf(sp->err, sp->errlen, "%s: %s failed on page %llu", sp->path,
					 cs->codec.name, (unsigned long long)(first + k));
				return -1;
			}
			if (!codec_verify(sp->cx[c], out, len, pg))
				cs->verify_failures++;
			sp->hist[c][len]++;
			cs->total_bytes += len;
			if (same)
				;
			else if (len >= ZS_HUGE_CHAIN8)
				cs->zram_bytes += CODEC_PAGE;
			else
				cs->zram_bytes += len;
			cs->over_70pct += len * 10 > CODEC_PAGE * 7;
			cs->over_2990 += len > 2990;
			cs->huge += len >= ZS_HUGE_CHAIN8;
			cs->expanded += len > CODEC_PAGE;
		}
	}
	return 0;
}

static void finish_codec(struct codec_stats *cs, const uint64_t *hist, uint64_t pages)
{
	cs->pages = pages;
	for (cs->min = 0; cs->min < CODEC_BOUND && !hist[cs->min]; cs->min++)
		;
	for (cs->max = CODEC_BOUND; cs->max > 0 && !hist[cs->max]; cs->max--)
		;
	cs->p10 = percentile(hist, pages, 10);
	cs->p50 = percentile(hist, pages, 50);
	cs->p90 = percentile(hist, pages, 90);
	cs->mean = (double)cs->total_bytes / pages;
	cs->ratio = (double)pages * CODEC_PAGE / cs->total_bytes;
	/* all pages same-filled: zram stores no bytes at all */
	cs->zram_ratio = cs->zram_bytes ? (double)pages * CODEC_PAGE / cs->zram_bytes : INFINITY;
}

/*
 * One pass over the corpus (streamed: memory does not grow with it), every
 * codec on every page.
 */
int corpus_stats_compute(const struct corpus *c, const struct codec *codecs, int ncodecs,
			 struct corpus_stats *st, char *err, size_t errlen)
{
	struct stats_pass sp = { .st = st, .path = c->path, .err = err, .errlen = errlen };
	int ret = -1;

	memset(st, 0, sizeof(*st));
	st->codecs = calloc(ncodecs, sizeof(*st->codecs));
	sp.cx = calloc(ncodecs, sizeof(*sp.cx));
	sp.hist = calloc(ncodecs, sizeof(*sp.hist));
	if (!st->codecs || !sp.cx || !sp.hist)
		goto oom;
	st->pages = c->pages;
	st->ncodecs = ncodecs;
	for (int k = 0; k < ncodecs; k++) {
		st->codecs[k].codec = codecs[k];
		sp.cx[k] = codec_ctx_new(&codecs[k]);
		sp.hist[k] = calloc(CODEC_BOUND + 1, sizeof(*sp.hist[k]));
		if (!sp.cx[k] || !sp.hist[k])
			goto oom;
	}
	if (corpus_for_each(c, stats_pages, &sp, err, errlen))
		goto out;
	for (int k = 0; k < ncodecs; k++)
		finish_codec(&st->codecs[k], sp.hist[k], c->pages);
	ret = 0;
	goto out;
oom:
	snprintf(err, errlen, "%s: out of memory", c->path);
out:
	for (int k = 0; sp.cx && k < ncodecs; k++)
		if (sp.cx[k])
			codec_ctx_free(sp.cx[k]);
	for (int k = 0; sp.hist && k < ncodecs; k++)
		free(sp.hist[k]);
	free(sp.cx);
	free(sp.hist);
	if (ret)
		corpus_stats_free(st);
	return ret;
}

void corpus_stats_free(struct corpus_stats *st)
{
	free(st->codecs);
	memset(st, 0, sizeof(*st));
}
