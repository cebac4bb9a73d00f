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
#include "zpool.h"

/*
 * zram's huge threshold at @page: that of zsmalloc with its default chain
 * (8) at that page size, asked of the allocator itself.
 */
static uint32_t zram_huge(uint32_t page)
{
	char spec[64], err[256];
	struct zpool *zp;
	size_t huge = 0;

	if (page == 4096)
		return ZS_HUGE_CHAIN8;
	snprintf(spec, sizeof(spec), "zsmalloc:page=%u", page);
	zp = zpool_create(spec, NULL, err, sizeof(err));
	if (zp) {
		huge = zpool_huge_size(zp);
		zpool_destroy(zp);
	}
	return huge && huge <= page ? (uint32_t)huge : page;
}

/* Nearest rank from a histogram of sizes: the ceil(p/100 * n)-th smallest (1-based). */
static uint32_t percentile(const uint64_t *hist, uint32_t bound, uint64_t n, unsigned int p)
{
	uint64_t rank = (p * n + 99) / 100, seen = 0;

	if (!rank)
		rank = 1;
	for (uint32_t s = 0; s <= bound; s++) {
		seen += hist[s];
		if (seen >= rank)
			return s;
	}
	return bound;
}

struct stats_pass {
	struct corpus_stats *st;
	struct codec_ctx **cx;
	uint64_t **hist; /* per codec: pages of each compressed size 0..bound */
	uint32_t page, bound;
	uint8_t *out; /* a compressed page */
	const char *path;
	char *err;
	size_t errlen;
};

/* One buffer of pages, every codec. */
static int stats_pages(void *arg, uint64_t first, const uint8_t *pages, uint64_t n)
{
	struct stats_pass *sp = arg;
	struct corpus_stats *st = sp->st;
	uint32_t page = sp->page;
	uint8_t *out = sp->out;

	for (uint64_t k = 0; k < n; k++) {
		const uint8_t *pg = pages + k * page;
		uint64_t w, t0;
		bool same = same_filled(pg, page, &w);

		if (same) {
			st->same_filled++;
			st->zero += w == 0;
		}
		for (int c = 0; c < st->ncodecs; c++) {
			struct codec_stats *cs = &st->codecs[c];
			int len;

			t0 = now_ns();
			len = codec_compress_buf(sp->cx[c], pg, page, out, sp->bound);
			cs->seconds += (now_ns() - t0) / 1e9;
			if (len <= 0 || (uint32_t)len > sp->bound) {
				snprintf(sp->err, sp->errlen, "%s: %s failed on page %llu",
					 sp->path, cs->codec.name, (unsigned long long)(first + k));
				return -1;
			}
			if (!codec_verify_buf(sp->cx[c], out, len, pg, page))
				cs->verify_failures++;
			sp->hist[c][len]++;
			cs->total_bytes += len;
			if (same)
				;
			else if ((uint32_t)len >= st->cut_huge)
				cs->zram_bytes += page;
			else
				cs->zram_bytes += len;
			cs->over_70pct += (uint64_t)len * 10 > (uint64_t)page * 7;
			cs->over_2990 += (uint32_t)len > st->cut_2990;
			cs->huge += (uint32_t)len >= st->cut_huge;
			cs->expanded += (uint32_t)len > page;
		}
	}
	return 0;
}

static void finish_codec(struct codec_stats *cs, const uint64_t *hist, uint32_t page,
			 uint32_t bound, uint64_t pages)
{
	cs->pages = pages;
	for (cs->min = 0; cs->min < bound && !hist[cs->min]; cs->min++)
		;
	for (cs->max = bound; cs->max > 0 && !hist[cs->max]; cs->max--)
		;
	cs->p10 = percentile(hist, bound, pages, 10);
	cs->p50 = percentile(hist, bound, pages, 50);
	cs->p90 = percentile(hist, bound, pages, 90);
	cs->mean = (double)cs->total_bytes / pages;
	cs->ratio = (double)pages * page / cs->total_bytes;
	/* all pages same-filled: zram stores no bytes at all */
	cs->zram_ratio = cs->zram_bytes ? (double)pages * page / cs->zram_bytes : INFINITY;
}

/*
 * One pass over the corpus (streamed: memory does not grow with it), every
 * codec on every page.
 */
int corpus_stats_compute(const struct corpus *c, const struct codec *codecs, int ncodecs,
			 struct corpus_stats *st, char *err, size_t errlen)
{
	return corpus_stats_compute_view(c, c->page_size, codecs, ncodecs, st, err, errlen);
}

int corpus_stats_compute_view(const struct corpus *c, uint32_t page, const struct codec *codecs,
			      int ncodecs, struct corpus_stats *st, char *err, size_t errlen)
{
	struct stats_pass sp = { .st = st,
				 .path = c->path,
				 .err = err,
				 .errlen = errlen,
				 .page = page,
				 .bound = (uint32_t)codec_bound(page) };
	int ret = -1;

	memset(st, 0, sizeof(*st));
	if (corpus_check_view(c, page, err, errlen))
		return -1;
	st->codecs = calloc(ncodecs, sizeof(*st->codecs));
	sp.cx = calloc(ncodecs, sizeof(*sp.cx));
	sp.hist = calloc(ncodecs, sizeof(*sp.hist));
	sp.out = malloc(sp.bound);
	if (!st->codecs || !sp.cx || !sp.hist || !sp.out)
		goto oom;
	st->page_size = page;
	st->cut_2990 = (uint32_t)((uint64_t)page * 2990 / 4096);
	st->cut_huge = zram_huge(page);
	st->pages = corpus_view_pages(c, page);
	st->ncodecs = ncodecs;
	for (int k = 0; k < ncodecs; k++) {
		st->codecs[k].codec = codecs[k];
		sp.cx[k] = codec_ctx_new(&codecs[k]);
		sp.hist[k] = calloc(sp.bound + 1, sizeof(*sp.hist[k]));
		if (!sp.cx[k] || !sp.hist[k])
			goto oom;
	}
	if (corpus_for_each_view(c, page, stats_pages, &sp, err, errlen))
		goto out;
	for (int k = 0; k < ncodecs; k++)
		finish_codec(&st->codecs[k], sp.hist[k], page, sp.bound, st->pages);
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
	free(sp.out);
	if (ret)
		corpus_stats_free(st);
	return ret;
}

void corpus_stats_free(struct corpus_stats *st)
{
	free(st->codecs);
	memset(st, 0, sizeof(*st));
}
