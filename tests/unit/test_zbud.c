// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_zbud.c - the zbud port: limits, buddy placement, page release, reclaim,
 * and a randomized run that checks every byte and the page accounting.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "page.h"
#include "util.h"
#include "zpool.h"

static struct zpool *mk(const char *spec, const struct zpool_evict_ops *ops)
{
	char err[256];
	struct zpool *zp = zpool_create(spec, ops, err, sizeof(err));

	if (!zp)
		fprintf(stdout, "  zpool_create(%s): %s\n", spec, err);
	return zp;
}

TEST(zbud_size_limits)
{
	struct zpool *zp = mk("zbud", NULL);
	unsigned long h;

	CHECK(zp);
	CHECK_EQ(zpool_malloc(zp, 0, &h), -EINVAL);
	CHECK_EQ(zpool_malloc(zp, 3969, &h), -ENOSPC);
	CHECK_EQ(zpool_malloc(zp, 4096, &h), -ENOSPC);
	CHECK_EQ(zpool_total_pages(zp), 0);
	CHECK_EQ(zpool_malloc(zp, 1, &h), 0);
	CHECK_EQ(zpool_total_pages(zp), 1);
	/* FIRST starts right after the one-chunk header */
	CHECK_EQ(page_offset_of((void *)h), 64);
	/* 1 + 62 chunks = 63: the largest object still joins as LAST */
	CHECK_EQ(zpool_malloc(zp, 3968, &h), 0);
	CHECK_EQ(zpool_total_pages(zp), 1);
	CHECK_EQ(page_offset_of((void *)h), 4096 - 62 * 64);
	/* 2 + 62 chunks do not fit in 63: a second page */
	CHECK_EQ(zpool_malloc(zp, 65, &h), 0);
	CHECK_EQ(zpool_malloc(zp, 3968, &h), 0);
	CHECK_EQ(zpool_total_pages(zp), 3);
	CHECK_EQ(page_offset_of((void *)h), 64);
	zpool_destroy(zp);
}

TEST(zbud_two_objects_per_page_at_most)
{
	struct zpool *zp = mk("zbud", NULL);
	unsigned long h[3];

	CHECK(zp);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(zpool_malloc(zp, 1, &h[i]), 0);
	/* three 1-byte objects: FIRST + LAST in page one, a second page for the third */
	CHECK_EQ(zpool_total_pages(zp), 2);
	CHECK(page_base((void *)h[0]) == page_base((void *)h[1]));
	CHECK(page_base((void *)h[2]) != page_base((void *)h[0]));
	/* LAST is right-justified: one chunk at the end of the page */
	CHECK_EQ(page_offset_of((void *)h[1]), 4096 - 64);
	zpool_destroy(zp);
}

TEST(zbud_page_released_when_both_buddies_go)
{
	struct zpool *zp = mk("zbud", NULL);
	unsigned long a, b;

	CHECK(zp);
	CHECK_EQ(zpool_malloc(zp, 1000, &a), 0);
	CHECK_EQ(zpool_malloc(zp, 2000, &b), 0);
	CHECK_EQ(zpool_total_pages(zp), 1);
	zpool_free(zp, a);
	CHECK_EQ(zpool_total_pages(zp), 1);
	zpool_free(zp, b);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);
}

TEST(zbud_exact_fit_of_two_buddies)
{
	struct zpool *zp = mk("zbud", NULL);
	unsigned long a, b, c;

	CHECK(zp);
	/* 31 + 32 chunks = 63: they share a page exactly */
	CHECK_EQ(zpool_malloc(zp, 31 * 64, &a), 0);
	CHECK_EQ(zpool_malloc(zp, 32 * 64, &b), 0);
	CHECK_EQ(zpool_total_pages(zp), 1);
	CHECK_EQ(page_offset_of((void *)b), 4096 - 32 * 64);
	/* one byte more and it cannot */
	zpool_free(zp, b);
	CHECK_EQ(zpool_malloc(zp, 32 * 64 + 1, &c), 0);
	CHECK_EQ(zpool_total_pages(zp), 2);
	zpool_destroy(zp);
}

TEST(zbud_search_takes_smallest_sufficient_gap)
{
	struct zpool *zp = mk("zbud", NULL);
	unsigned long big_gap, small_gap, x;

	CHECK(zp);
	/* page A keeps 23 free chunks, page B keeps 13 */
	CHECK_EQ(zpool_malloc(zp, 40 * 64, &big_gap), 0);
	CHECK_EQ(zpool_malloc(zp, 50 * 64, &small_gap), 0);
	CHECK_EQ(zpool_total_pages(zp), 2);
	/* 10 chunks fit both; the kernel scans unbuddied[10..62] upwards: page B */
	CHECK_EQ(zpool_malloc(zp, 10 * 64, &x), 0);
	CHECK(page_base((void *)x) == page_base((void *)small_gap));
	/* 20 chunks fit only page A */
	CHECK_EQ(zpool_malloc(zp, 20 * 64, &x), 0);
	CHECK(page_base((void *)x) == page_base((void *)big_gap));
	CHECK_EQ(zpool_total_pages(zp), 2);
	zpool_destroy(zp);
}

TEST(zbud_freed_first_slot_is_reused)
{
	struct zpool *zp = mk("zbud", NULL);
	unsigned long a, b, c;

	CHECK(zp);
	CHECK_EQ(zpool_malloc(zp, 100, &a), 0);
	CHECK_EQ(zpool_malloc(zp, 100, &b), 0);
	zpool_free(zp, a);
	/* the page has LAST only: the next object becomes FIRST again */
	CHECK_EQ(zpool_malloc(zp, 100, &c), 0);
	CHECK_EQ(c, a);
	CHECK_EQ(zpool_total_pages(zp), 1);
	zpool_destroy(zp);
}

/* ---- reclaim (lru=1) ---- */

struct evict_ctx {
	struct zpool *zp;
	unsigned long order[16];
	int n;
	int fail_after; /* evictions allowed before failing; -1: never fail */
};

static int evict_cb(void *ctx, unsigned long handle)
{
	struct evict_ctx *e = ctx;

	if (e->fail_after >= 0 && e->n >= e->fail_after)
		return -EBUSY;
	e->order[e->n++] = handle;
	zpool_free(e->zp, handle);
	return 0;
}

TEST(zbud_reclaim_evicts_lru_tail_first_then_last)
{
	struct evict_ctx ctx = { .fail_after = -1 };
	struct zpool_evict_ops ops = { evict_cb, &ctx };
	struct zpool *zp = mk("zbud", &ops);
	unsigned long a1, a2, b1;
	unsigned int got = 0;

	CHECK(zp);
	ctx.zp = zp;
	CHECK_EQ(zpool_malloc(zp, 2000, &a1), 0); /* page A */
	CHECK_EQ(zpool_malloc(zp, 1900, &a2), 0); /* page A, LAST */
	CHECK_EQ(zpool_malloc(zp, 3000, &b1), 0); /* page B: most recent */
	CHECK_EQ(zpool_total_pages(zp), 2);
	CHECK_EQ(zpool_shrink(zp, 1, &got), 0);
	CHECK_EQ(got, 1);
	/* page A is the LRU tail: FIRST then LAST evicted, page freed */
	CHECK_EQ(ctx.n, 2);
	CHECK_EQ(ctx.order[0], a1);
	CHECK_EQ(ctx.order[1], a2);
	CHECK_EQ(zpool_total_pages(zp), 1);
	zpool_free(zp, b1);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);
}

TEST(zbud_reclaim_failure_puts_page_back)
{
	struct evict_ctx ctx = { .fail_after = 0 };
	struct zpool_evict_ops ops = { evict_cb, &ctx };
	struct zpool *zp = mk("zbud", &ops);
	unsigned long a, b;
	unsigned int got = 7;

	CHECK(zp);
	ctx.zp = zp;
	CHECK_EQ(zpool_malloc(zp, 2000, &a), 0);
	CHECK_EQ(zpool_malloc(zp, 3000, &b), 0); /* second page: 32 + 47 > 63 chunks */
	CHECK_EQ(zpool_shrink(zp, 1, &got), -EAGAIN);
	CHECK_EQ(got, 0);
	CHECK_EQ(zpool_total_pages(zp), 2);
	/* the pages are back on their lists: a small object still joins page A or B */
	{
		unsigned long c;

		CHECK_EQ(zpool_malloc(zp, 100, &c), 0);
		CHECK_EQ(zpool_total_pages(zp), 2);
		zpool_free(zp, c);
	}
	zpool_free(zp, a);
	zpool_free(zp, b);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);
}

TEST(zbud_lru0_has_no_reclaim)
{
	struct zpool *zp = mk("zbud:lru=0", NULL);
	unsigned long a;
	unsigned int got = 5;

	CHECK(zp);
	CHECK_EQ(zpool_malloc(zp, 500, &a), 0);
	CHECK_EQ(zpool_shrink(zp, 1, &got), -EINVAL);
	CHECK_EQ(got, 0);
	zpool_free(zp, a);
	zpool_destroy(zp);
}

/* ---- randomized: every byte of every live object, page accounting ---- */

struct live_obj {
	unsigned long handle;
	uint32_t size;
	uint64_t seed;
};

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* zbud invariant: pool pages = distinct pages holding live objects, <= 2 each */
static void check_zbud_accounting(struct zpool *zp, struct live_obj *objs, size_t n)
{
	unsigned long *pages = malloc((n + 1) * sizeof(*pages));
	size_t distinct = 0, run = 0;

	CHECK(pages);
	for (size_t i = 0; i < n; i++)
		pages[i] = (unsigned long)page_base((void *)objs[i].handle);
	qsort(pages, n, sizeof(*pages), cmp_ul);
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || pages[i] != pages[i - 1]) {
			distinct++;
			run = 1;
		} else if (++run > 2) {
			free(pages);
			CHECK(!"more than two objects in a zbud page");
		}
	}
	free(pages);
	CHECK_EQ(zpool_total_pages(zp), distinct);
}

static void verify_all(struct zpool *zp, struct live_obj *objs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		void *p = zpool_map(zp, objs[i].handle, ZPOOL_MM_RO);
		bool ok = pattern_check(p, objs[i].size, objs[i].seed);

		zpool_unmap(zp, objs[i].handle);
		CHECK(ok);
	}
}

TEST(zbud_random_million_ops_verified)
{
	struct zpool *zp = mk("zbud", NULL);
	size_t cap = 60000, n = 0;
	struct live_obj *objs = calloc(cap, sizeof(*objs));
	uint64_t rng = 12345, seedctr = 1;
	long ops = 0;

	CHECK(zp && objs);
	/* phases: grow towards cap, shrink towards 0, grow again, ... */
	for (int phase = 0; phase < 6; phase++) {
		unsigned grow_pct = (phase % 2 == 0) ? 70 : 30;

		for (int i = 0; i < 170000; i++, ops++) {
			uint64_t r = rng_below(&rng, 100);

			if ((r < grow_pct && n < cap) || n == 0) {
				uint32_t size = 1 + rng_below(&rng, 3968);
				unsigned long h;

				if (rng_below(&rng, 20) == 0)
					size = 3969 + rng_below(&rng, 128); /* never fits */
				int ret = zpool_malloc(zp, size, &h);

				if (size > 3968) {
					CHECK_EQ(ret, -ENOSPC);
					continue;
				}
				CHECK_EQ(ret, 0);
				objs[n].handle = h;
				objs[n].size = size;
				objs[n].seed = seedctr++;
				pattern_fill(zpool_map(zp, h, ZPOOL_MM_WO), size, objs[n].seed);
				zpool_unmap(zp, h);
				n++;
			} else {
				size_t k = rng_below(&rng, n);
				void *p = zpool_map(zp, objs[k].handle, ZPOOL_MM_RW);

				CHECK(pattern_check(p, objs[k].size, objs[k].seed));
				zpool_unmap(zp, objs[k].handle);
				zpool_free(zp, objs[k].handle);
				objs[k] = objs[--n];
			}
		}
		verify_all(zp, objs, n);
		CHECK_OK();
		check_zbud_accounting(zp, objs, n);
		CHECK_OK();
	}
	CHECK(ops >= 1000000);
	for (size_t i = 0; i < n; i++)
		zpool_free(zp, objs[i].handle);
	CHECK_EQ(zpool_total_pages(zp), 0);
	free(objs);
	zpool_destroy(zp);
}

/* ---- other page sizes and the 6.12 preset ---- */

TEST(zbud_16k_chunks_and_limits)
{
	struct zpool *zp = mk("zbud:page=16384", NULL);
	unsigned long a, b, c;

	CHECK(zp);
	CHECK_EQ(zpool_page_size(zp), 16384);
	/* chunks of 16384 >> 6 = 256 B; the largest object is 16384 - 2 * 256 = 15,872 */
	CHECK_EQ(zpool_malloc(zp, 15873, &a), -ENOSPC);
	CHECK_EQ(zpool_malloc(zp, 16384, &a), -ENOSPC);
	CHECK_EQ(zpool_malloc(zp, 1, &a), 0);
	CHECK_EQ(page_offset_sized((void *)a, 16384), 256); /* after the one-chunk header */
	/* 1 + 62 chunks = 63: the largest object still joins as LAST */
	CHECK_EQ(zpool_malloc(zp, 15872, &b), 0);
	CHECK_EQ(zpool_total_pages(zp), 1);
	CHECK_EQ(page_offset_sized((void *)b, 16384), 16384 - 62 * 256);
	CHECK(page_base_sized((void *)a, 16384) == page_base_sized((void *)b, 16384));
	/* 31 + 32 chunks share a page exactly; one byte more does not */
	CHECK_EQ(zpool_malloc(zp, 31 * 256, &c), 0);
	CHECK_EQ(zpool_malloc(zp, 32 * 256, &a), 0);
	CHECK_EQ(zpool_total_pages(zp), 2);
	CHECK_EQ(zpool_malloc(zp, 31 * 256 + 1, &c), 0);
	CHECK_EQ(zpool_malloc(zp, 32 * 256, &a), 0);
	CHECK_EQ(zpool_total_pages(zp), 4);
	zpool_destroy(zp);
}

/* Pages after storing @n objects of @size in a fresh pool of @spec; 0 if one is refused. */
static uint64_t pages_for(const char *spec, size_t size, int n)
{
	struct zpool *zp = mk(spec, NULL);
	uint64_t pages = 0;
	bool refused = false;
	unsigned long h;

	for (int i = 0; zp && i < n && !refused; i++)
		refused = zpool_malloc(zp, size, &h) != 0;
	if (zp && !refused)
		pages = zpool_total_pages(zp);
	zpool_destroy(zp);
	return pages;
}

TEST(zbud_16k_and_64k_pages_for_n_objects)
{
	/* 5000 B = 20 chunks of 256: two per page (40 <= 63) */
	CHECK_EQ(pages_for("zbud:page=16384", 5000, 10), 5);
	/* 7936 B = 31 chunks: two per page (62 <= 63) */
	CHECK_EQ(pages_for("zbud:page=16384", 7936, 10), 5);
	/* 8000 B = 32 chunks: 64 > 63, one per page */
	CHECK_EQ(pages_for("zbud:page=16384", 8000, 10), 10);
	/* the same objects on 4 KiB pages: 5000 B does not fit at all */
	CHECK_EQ(pages_for("zbud", 5000, 1), 0);
	/* 64 KiB: chunks of 1 KiB, objects up to 63,488 B; 30 KiB + 32 KiB share a page */
	CHECK_EQ(pages_for("zbud:page=65536", 63488, 3), 3);
	CHECK_EQ(pages_for("zbud:page=65536", 63489, 1), 0);
	CHECK_EQ(pages_for("zbud:page=65536", 31 * 1024, 4), 2);
}

TEST(zbud_kernel_6_12_preset)
{
	struct zpool *zp = mk("zbud:kernel=6.12", NULL);
	struct zpool *lru = mk("zbud:kernel=6.12,lru=1", NULL);
	struct evict_ctx ctx = { .fail_after = -1 };
	unsigned long a;
	unsigned int got = 5;

	CHECK(zp && lru);
	/* post-6.5 zbud: no LRU, no reclaim; the same allocation rules */
	CHECK_EQ(zpool_malloc(zp, 500, &a), 0);
	CHECK_EQ(zpool_shrink(zp, 1, &got), -EINVAL);
	CHECK_EQ(got, 0);
	CHECK_EQ(zpool_malloc(zp, 3969, &a), -ENOSPC);
	CHECK_EQ(zpool_malloc(zp, 55 * 64, &a), 0); /* 8 + 55 chunks = 63: the same page */
	CHECK_EQ(zpool_total_pages(zp), 1);
	zpool_destroy(zp);
	zpool_destroy(lru);
	/* lru=1 given explicitly overrides the preset */
	ctx.zp = lru = mk("zbud:kernel=6.12,lru=1", &(struct zpool_evict_ops){ evict_cb, &ctx });
	CHECK(lru);
	CHECK_EQ(zpool_malloc(lru, 500, &a), 0);
	CHECK_EQ(zpool_shrink(lru, 1, &got), 0);
	CHECK_EQ(got, 1);
	CHECK_EQ(zpool_total_pages(lru), 0);
	zpool_destroy(lru);
}

TEST(zbud_random_ops_16k_verified)
{
	struct zpool *zp = mk("zbud:page=16384", NULL);
	size_t cap = 8000, n = 0;
	struct live_obj *objs = calloc(cap, sizeof(*objs));
	uint64_t rng = 99, seedctr = 1;

	CHECK(zp && objs);
	for (int i = 0; i < 100000; i++) {
		if ((rng_below(&rng, 100) < (i < 50000 ? 65u : 35u) && n < cap) || !n) {
			uint32_t size = 1 + rng_below(&rng, 16384);
			unsigned long h;
			int ret = zpool_malloc(zp, size, &h);

			CHECK_EQ(ret, size > 15872 ? -ENOSPC : 0);
			if (ret)
				continue;
			objs[n] = (struct live_obj){ h, size, seedctr++ };
			pattern_fill(zpool_map(zp, h, ZPOOL_MM_WO), size, objs[n].seed);
			zpool_unmap(zp, h);
			n++;
		} else {
			size_t k = rng_below(&rng, n);

			CHECK(pattern_check(zpool_map(zp, objs[k].handle, ZPOOL_MM_RO),
					    objs[k].size, objs[k].seed));
			zpool_unmap(zp, objs[k].handle);
			zpool_free(zp, objs[k].handle);
			objs[k] = objs[--n];
		}
	}
	/* pool pages = distinct 16 KiB pages holding live objects, at most two each */
	{
		unsigned long *pages = malloc((n + 1) * sizeof(*pages));
		size_t distinct = 0;

		CHECK(pages);
		for (size_t i = 0; i < n; i++)
			pages[i] = (unsigned long)page_base_sized((void *)objs[i].handle, 16384);
		qsort(pages, n, sizeof(*pages), cmp_ul);
		for (size_t i = 0; i < n; i++)
			distinct += i == 0 || pages[i] != pages[i - 1];
		free(pages);
		CHECK_EQ(zpool_total_pages(zp), distinct);
	}
	for (size_t i = 0; i < n; i++)
		zpool_free(zp, objs[i].handle);
	CHECK_EQ(zpool_total_pages(zp), 0);
	free(objs);
	zpool_destroy(zp);
}
