// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_z3fold.c - the z3fold port: geometry of both designs, the free-space
 * index, every compaction level (table-driven, page states before and after),
 * the three defects of the 2016 review, reclaim, inter-page moves and
 * migrate, density sanity, a multi-threaded async stress and randomized runs
 * that check every byte and the allocator's invariants.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "page.h"
#include "util.h"
#include "z3fold.h"
#include "zpool.h"

static const char *const presets[] = { "z3fold:kernel=4.7", "z3fold:kernel=6.1" };

static struct zpool *mk(const char *spec, const struct zpool_evict_ops *ops)
{
	char err[256];
	struct zpool *zp = zpool_create(spec, ops, err, sizeof(err));

	if (!zp)
		fprintf(stdout, "  zpool_create(%s): %s\n", spec, err);
	return zp;
}

/* malloc + fill; 0 on failure */
static unsigned long put(struct zpool *zp, size_t size, uint64_t seed)
{
	unsigned long h;

	if (zpool_malloc(zp, size, &h))
		return 0;
	pattern_fill(zpool_map(zp, h, ZPOOL_MM_WO), size, seed);
	zpool_unmap(zp, h);
	return h;
}

static bool intact(struct zpool *zp, unsigned long h, size_t size, uint64_t seed)
{
	bool ok = pattern_check(zpool_map(zp, h, ZPOOL_MM_RO), size, seed);

	zpool_unmap(zp, h);
	return ok;
}

static struct z3fold_page_state state_of(struct zpool *zp, unsigned long h, int *bud)
{
	struct z3fold_page_state st;
	void *page;
	int b;

	memset(&st, 0, sizeof(st));
	if (z3fold_debug_locate(zp, h, &page, &b) == 0)
		z3fold_debug_page(zp, page, &st);
	if (bud)
		*bud = b;
	return st;
}

static void *page_of(struct zpool *zp, unsigned long h)
{
	void *page = NULL;
	int b;

	z3fold_debug_locate(zp, h, &page, &b);
	return page;
}

static bool invariants_ok(struct zpool *zp)
{
	char err[256];

	if (z3fold_debug_check(zp, err, sizeof(err))) {
		fprintf(stdout, "  invariant: %s\n", err);
		return false;
	}
	return true;
}

/* ---- geometry ---- */

TEST(z3fold_size_limits_and_headless)
{
	for (int k = 0; k < 2; k++) {
		struct zpool *zp = mk(presets[k], NULL);
		/* largest object that still shares: PAGE - header - one chunk */
		size_t shared = k ? 4096 - 128 - 64 : 4096 - 64 - 64;
		unsigned long a, b;
		int bud;

		CHECK(zp);
		CHECK_EQ(zpool_malloc(zp, 0, &a), -EINVAL);
		CHECK_EQ(zpool_malloc(zp, 4097, &a), -ENOSPC);
		CHECK_EQ(zpool_total_pages(zp), 0);
		a = put(zp, shared, 1);
		b = put(zp, shared + 1, 2);
		CHECK(a && b);
		state_of(zp, a, &bud);
		CHECK_EQ(bud, Z3_FIRST);
		CHECK(state_of(zp, b, &bud).headless);
		CHECK_EQ(bud, Z3_HEADLESS);
		CHECK_EQ(zpool_total_pages(zp), 2);
		/* a 4096-byte object takes a page of its own, all of it */
		CHECK((a = put(zp, 4096, 3)));
		CHECK_EQ(page_offset_of(zpool_map(zp, a, ZPOOL_MM_RO)), 0);
		zpool_unmap(zp, a);
		CHECK_EQ(zpool_total_pages(zp), 3);
		CHECK(intact(zp, a, 4096, 3) && intact(zp, b, shared + 1, 2));
		zpool_free(zp, a);
		zpool_free(zp, b);
		CHECK_EQ(zpool_total_pages(zp), 1);
		CHECK(invariants_ok(zp));
		zpool_destroy(zp);
	}
}

TEST(z3fold_three_buddies_per_page_positions)
{
	for (int k = 0; k < 2; k++) {
		struct zpool *zp = mk(presets[k], NULL);
		unsigned int H = k ? 2 : 1;
		unsigned long h[4];
		struct z3fold_page_state st;
		int bud;

		CHECK(zp);
		for (int i = 0; i < 4; i++)
			CHECK((h[i] = put(zp, 1000, 10 + i))); /* 16 chunks each */
		/* first FIRST, then LAST, then MIDDLE right after FIRST; a 4th needs a page */
		CHECK_EQ(zpool_total_pages(zp), 2);
		CHECK(page_of(zp, h[0]) == page_of(zp, h[2]));
		CHECK(page_of(zp, h[3]) != page_of(zp, h[0]));
		state_of(zp, h[0], &bud);
		CHECK_EQ(bud, Z3_FIRST);
		state_of(zp, h[1], &bud);
		CHECK_EQ(bud, Z3_LAST);
		st = state_of(zp, h[2], &bud);
		CHECK_EQ(bud, Z3_MIDDLE);
		CHECK_EQ(st.start_middle, 16 + H);
		CHECK_EQ(page_offset_of(zpool_map(zp, h[0], ZPOOL_MM_RO)), 64 * H);
		zpool_unmap(zp, h[0]);
		CHECK_EQ(page_offset_of(zpool_map(zp, h[1], ZPOOL_MM_RO)), 4096 - 16 * 64);
		zpool_unmap(zp, h[1]);
		CHECK_EQ(page_offset_of(zpool_map(zp, h[2], ZPOOL_MM_RO)), (16 + H) * 64);
		zpool_unmap(zp, h[2]);
		/* full pages: buddied in 4.7, no list at all in 6.1 */
		CHECK_EQ(st.list, k ? -1 : -2);
		for (int i = 0; i < 4; i++)
			CHECK(intact(zp, h[i], 1000, 10 + i));
		CHECK(invariants_ok(zp));
		zpool_destroy(zp);
	}
}

/*
 * FIRST 10, LAST 10, MIDDLE 10; LAST freed.  The true gap after the middle
 * object is 64 - (H + 10) - 10 chunks; 4.7 indexes it one short.
 */
TEST(z3fold_free_chunks_index_47_off_by_one_and_61)
{
	for (int k = 0; k < 2; k++) {
		struct zpool *zp = mk(presets[k], NULL);
		unsigned int H = k ? 2 : 1, gap = 64 - (H + 10) - 10;
		unsigned long f, l, m, x;
		struct z3fold_page_state st;

		CHECK(zp);
		CHECK((f = put(zp, 640, 1)) && (l = put(zp, 640, 2)) && (m = put(zp, 640, 3)));
		zpool_free(zp, l);
		st = state_of(zp, m, NULL);
		CHECK_EQ(st.list, k ? (int)gap : (int)gap - 1);
		/* an object of exactly the true gap: 6.1 puts it in, 4.7 takes a new page */
		CHECK((x = put(zp, gap * 64, 4)));
		CHECK_EQ(zpool_total_pages(zp), k ? 1 : 2);
		CHECK(intact(zp, f, 640, 1) && intact(zp, m, 640, 3) && intact(zp, x, gap * 64, 4));
		CHECK(invariants_ok(zp));
		zpool_destroy(zp);
	}
}

TEST(z3fold_search_takes_smallest_sufficient_gap)
{
	for (int k = 0; k < 2; k++) {
		struct zpool *zp = mk(presets[k], NULL);
		unsigned long a, b, x;

		CHECK(zp);
		CHECK((a = put(zp, 30 * 64, 1)));
		CHECK((b = put(zp, 50 * 64, 2)));
		/* b's page keeps fewer free chunks: 10 chunks go there */
		CHECK_EQ(zpool_total_pages(zp), 1 + (30 + 50 > (k ? 62 : 63)));
		CHECK((x = put(zp, 10 * 64, 3)));
		CHECK(page_of(zp, x) == page_of(zp, b));
		CHECK(invariants_ok(zp));
		zpool_destroy(zp);
	}
}

/* ---- compaction levels, table-driven ---- */

enum setup { LONE_MIDDLE, FIRST_MIDDLE, MIDDLE_LAST };

struct ccase {
	enum setup setup;
	unsigned int gap; /* chunks of hole next to the middle object */
	const char *level;
	bool moves;
};

static const struct ccase ccases[] = {
	{ LONE_MIDDLE, 0, "none", false },
	{ LONE_MIDDLE, 0, "middle", true },
	{ LONE_MIDDLE, 0, "extra", true },
	{ LONE_MIDDLE, 0, "gated", true },
	{ FIRST_MIDDLE, 2, "none", false },
	{ FIRST_MIDDLE, 2, "middle", false },
	{ FIRST_MIDDLE, 2, "extra", true },
	{ FIRST_MIDDLE, 2, "gated", false },
	{ FIRST_MIDDLE, 3, "gated", true },
	{ FIRST_MIDDLE, 7, "gated", true },
	{ FIRST_MIDDLE, 7, "middle", false },
	{ MIDDLE_LAST, 1, "none", false },
	{ MIDDLE_LAST, 1, "middle", false },
	{ MIDDLE_LAST, 1, "extra", true },
	{ MIDDLE_LAST, 2, "gated", false },
	{ MIDDLE_LAST, 3, "gated", true },
	{ MIDDLE_LAST, 9, "extra", true },
	{ MIDDLE_LAST, 9, "middle", false },
	/* the gap parameter: a hole of gap-1 stays, a hole of gap is closed */
	{ FIRST_MIDDLE, 7, "gated,gap=8", false },
	{ FIRST_MIDDLE, 8, "gated,gap=8", true },
	{ MIDDLE_LAST, 7, "gated,gap=8", false },
	{ MIDDLE_LAST, 8, "gated,gap=8", true },
	{ MIDDLE_LAST, 1, "gated,gap=1", true },
};

/*
 * Build the "before" state with the middle object mapped (so no compaction
 * can happen while setting up), check it, then unmap with
 * compact_on_unmap=1: the unmap runs the compaction the level allows.
 */
static void run_ccase(const char *kernel, const struct ccase *c)
{
	char spec[128];
	bool k61 = !strcmp(kernel, "6.1");
	unsigned int H = k61 ? 2 : 1;
	struct zpool *zp;
	unsigned long f = 0, l = 0, m;
	unsigned int fs = 0, ls = 0, ms = 10, sm;
	struct z3fold_page_state st;
	int bud;

	snprintf(spec, sizeof(spec),
		 "z3fold:kernel=%s,compaction=%s,compact_on_unmap=1,interpage=0", kernel, c->level);
	zp = mk(spec, NULL);
	CHECK(zp);
	switch (c->setup) {
	case LONE_MIDDLE:
		CHECK((f = put(zp, 20 * 64, 1)) && (l = put(zp, 10 * 64, 2)));
		CHECK((m = put(zp, ms * 64, 3)));
		zpool_map(zp, m, ZPOOL_MM_RW);
		zpool_free(zp, f);
		zpool_free(zp, l);
		f = l = 0;
		sm = 20 + H;
		break;
	case FIRST_MIDDLE:
		/* FIRST 20, LAST 10, MIDDLE at 20+H; FIRST replaced by a smaller one, LAST freed */
		CHECK((f = put(zp, 20 * 64, 1)) && (l = put(zp, 10 * 64, 2)));
		CHECK((m = put(zp, ms * 64, 3)));
		zpool_map(zp, m, ZPOOL_MM_RW);
		zpool_free(zp, f);
		fs = 20 - c->gap;
		CHECK((f = put(zp, fs * 64, 4)));
		zpool_free(zp, l);
		l = 0;
		sm = 20 + H;
		break;
	case MIDDLE_LAST:
	default:
		/* FIRST 10, LAST 20, MIDDLE at 10+H; LAST replaced so that gap chunks remain */
		CHECK((f = put(zp, 10 * 64, 1)) && (l = put(zp, 20 * 64, 2)));
		CHECK((m = put(zp, ms * 64, 3)));
		zpool_map(zp, m, ZPOOL_MM_RW);
		zpool_free(zp, l);
		ls = 64 - (10 + H) - ms - c->gap;
		CHECK((l = put(zp, ls * 64, 5)));
		zpool_free(zp, f);
		f = 0;
		sm = 10 + H;
		break;
	}
	CHECK_EQ(zpool_total_pages(zp), 1);
	/* before */
	st = state_of(zp, m, &bud);
	CHECK_EQ(bud, Z3_MIDDLE);
	CHECK_EQ(st.first, fs);
	CHECK_EQ(st.middle, ms);
	CHECK_EQ(st.last, ls);
	CHECK_EQ(st.start_middle, sm);
	if (f)
		CHECK(page_of(zp, f) == page_of(zp, m));
	if (l)
		CHECK(page_of(zp, l) == page_of(zp, m));

	zpool_unmap(zp, m); /* compaction happens here, if the level allows */

	st = state_of(zp, m, &bud);
	if (!c->moves) {
		CHECK_EQ(bud, Z3_MIDDLE);
		CHECK_EQ(st.start_middle, sm);
	} else if (c->setup == LONE_MIDDLE) {
		/* the MIDDLE handle now names FIRST (first_num trick) */
		CHECK_EQ(bud, Z3_FIRST);
		CHECK_EQ(st.first, ms);
		CHECK_EQ(st.middle, 0);
		CHECK_EQ(st.first_num, 1);
	} else if (c->setup == FIRST_MIDDLE) {
		CHECK_EQ(bud, Z3_MIDDLE);
		CHECK_EQ(st.start_middle, fs + H);
	} else {
		CHECK_EQ(bud, Z3_MIDDLE);
		CHECK_EQ(st.start_middle, 64 - ls - ms);
	}
	CHECK(intact(zp, m, ms * 64, 3));
	if (f)
		CHECK(intact(zp, f, fs * 64, c->setup == FIRST_MIDDLE ? 4 : 1));
	if (l)
		CHECK(intact(zp, l, ls * 64, c->setup == MIDDLE_LAST ? 5 : 2));
	CHECK(invariants_ok(zp));
	/* at most 3 per page, and a freed page goes */
	zpool_free(zp, m);
	if (f)
		zpool_free(zp, f);
	if (l)
		zpool_free(zp, l);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);
}

TEST(z3fold_compaction_levels_table)
{
	static const char *const kernels[] = { "4.7", "6.1" };

	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < sizeof(ccases) / sizeof(ccases[0]); i++) {
			run_ccase(kernels[k], &ccases[i]);
			if (zt_failed()) {
				fprintf(stdout, "  case: kernel=%s setup=%d gap=%u level=%s\n",
					kernels[k], ccases[i].setup, ccases[i].gap, ccases[i].level);
				return;
			}
		}
	}
}

/* ---- the three defects of the 2016 review ---- */

/* A MIDDLE handle whose object became FIRST must free FIRST, not a new MIDDLE. */
TEST(z3fold_regress_free_decodes_moved_middle_handle)
{
	for (int k = 0; k < 2; k++) {
		char spec[64];
		struct zpool *zp;
		unsigned long f, l, m, x, y;
		int bud;

		snprintf(spec, sizeof(spec), "%s,interpage=0", presets[k]);
		CHECK((zp = mk(spec, NULL)));
		CHECK((f = put(zp, 700, 1)) && (l = put(zp, 800, 2)) && (m = put(zp, 900, 3)));
		state_of(zp, m, &bud);
		CHECK_EQ(bud, Z3_MIDDLE);
		zpool_free(zp, f);
		zpool_free(zp, l); /* lone middle -> FIRST */
		state_of(zp, m, &bud);
		CHECK_EQ(bud, Z3_FIRST);
		/* fill the page again: LAST then MIDDLE, right after m's new place */
		CHECK((x = put(zp, 500, 4)) && (y = put(zp, 600, 5)));
		CHECK_EQ(zpool_total_pages(zp), 1);
		state_of(zp, y, &bud);
		CHECK_EQ(bud, Z3_MIDDLE);
		CHECK(intact(zp, m, 900, 3));
		zpool_free(zp, m); /* must clear FIRST */
		{
			struct z3fold_page_state st = state_of(zp, x, NULL);

			CHECK_EQ(st.first, 0);
			CHECK(st.last == 8 && (st.middle == 10 || st.first == 10));
		}
		CHECK(intact(zp, x, 500, 4) && intact(zp, y, 600, 5));
		CHECK(invariants_ok(zp));
		zpool_free(zp, x);
		zpool_free(zp, y);
		CHECK_EQ(zpool_total_pages(zp), 0);
		zpool_destroy(zp);
	}
}

struct evict_ctx {
	struct zpool *zp;
	unsigned long order[16];
	int n;
	int fail_after; /* evictions allowed before failing; -1: never */
};

static int evict_cb(void *ctx, unsigned long handle)
{
	struct evict_ctx *e = ctx;

	if (e->fail_after >= 0 && e->n >= e->fail_after)
		return -EBUSY;
	if (e->n < 16)
		e->order[e->n] = handle;
	e->n++;
	zpool_free(e->zp, handle);
	return 0;
}

/*
 * The 4.7 code decided whether to free a headless page after a failed
 * eviction by reading "header" fields, which on a headless page are object
 * data: all-zero data made it free a live page.  The fix never looks there.
 */
TEST(z3fold_regress_headless_reclaim_failure_reads_no_header)
{
	for (int k = 0; k < 2; k++) {
		struct evict_ctx ctx = { .fail_after = 0 };
		struct zpool_evict_ops ops = { evict_cb, &ctx };
		struct zpool *zp = mk(presets[k], &ops);
		unsigned long h;
		unsigned char *p;
		unsigned int got = 9;

		CHECK(zp);
		ctx.zp = zp;
		CHECK_EQ(zpool_malloc(zp, 4000, &h), 0);
		p = zpool_map(zp, h, ZPOOL_MM_WO);
		memset(p, 0, 4000); /* where a header would be: all sizes "0" */
		zpool_unmap(zp, h);
		CHECK_EQ(zpool_shrink(zp, 1, &got), -EAGAIN);
		CHECK_EQ(got, 0);
		CHECK_EQ(zpool_total_pages(zp), 1);
		p = zpool_map(zp, h, ZPOOL_MM_RO);
		for (int i = 0; i < 4000; i++)
			CHECK(p[i] == 0);
		zpool_unmap(zp, h);
		CHECK(invariants_ok(zp));
		/* and when eviction works, the page goes */
		ctx.fail_after = -1;
		CHECK_EQ(zpool_shrink(zp, 1, &got), 0);
		CHECK_EQ(got, 1);
		CHECK_EQ(ctx.n, 1);
		CHECK_EQ(ctx.order[0], h);
		CHECK_EQ(zpool_total_pages(zp), 0);
		zpool_destroy(zp);
	}
}

/* While MIDDLE is mapped nothing moves it; unmap compacts iff compact_on_unmap=1. */
TEST(z3fold_regress_mapped_middle_not_moved_and_unmap)
{
	for (int k = 0; k < 2; k++) {
		for (int cou = 0; cou <= 1; cou++) {
			char spec[96];
			struct zpool *zp;
			unsigned long f, l, m;
			unsigned char *p;
			int bud;

			snprintf(spec, sizeof(spec), "%s,compact_on_unmap=%d", presets[k], cou);
			CHECK((zp = mk(spec, NULL)));
			CHECK((f = put(zp, 1000, 1)) && (l = put(zp, 1000, 2)) &&
			      (m = put(zp, 1000, 3)));
			p = zpool_map(zp, m, ZPOOL_MM_RW);
			zpool_free(zp, f);
			zpool_free(zp, l);
			/* still where it was, and the mapping still shows it */
			state_of(zp, m, &bud);
			CHECK_EQ(bud, Z3_MIDDLE);
			CHECK(pattern_check(p, 1000, 3));
			CHECK_EQ(zpool_total_pages(zp), 1);
			zpool_unmap(zp, m);
			state_of(zp, m, &bud);
			CHECK_EQ(bud, cou ? Z3_FIRST : Z3_MIDDLE);
			CHECK(intact(zp, m, 1000, 3));
			CHECK(invariants_ok(zp));
			zpool_free(zp, m);
			CHECK_EQ(zpool_total_pages(zp), 0);
			zpool_destroy(zp);
		}
	}
}

/* ---- reclaim ---- */

TEST(z3fold_reclaim_lru_tail_order_middle_first_last)
{
	for (int k = 0; k < 2; k++) {
		struct evict_ctx ctx = { .fail_after = -1 };
		struct zpool_evict_ops ops = { evict_cb, &ctx };
		struct zpool *zp = mk(presets[k], &ops);
		unsigned long a1, a2, a3, b1;
		unsigned int got = 0;

		CHECK(zp);
		ctx.zp = zp;
		CHECK((a1 = put(zp, 1000, 1)) && (a2 = put(zp, 1000, 2)) && (a3 = put(zp, 1000, 3)));
		CHECK((b1 = put(zp, 3000, 4))); /* page B: most recent */
		CHECK_EQ(zpool_total_pages(zp), 2);
		CHECK_EQ(zpool_shrink(zp, 1, &got), 0);
		CHECK_EQ(got, 1);
		CHECK_EQ(ctx.n, 3);
		CHECK_EQ(ctx.order[0], a3); /* MIDDLE */
		CHECK_EQ(ctx.order[1], a1); /* FIRST */
		CHECK_EQ(ctx.order[2], a2); /* LAST */
		CHECK_EQ(zpool_total_pages(zp), 1);
		CHECK(intact(zp, b1, 3000, 4));
		CHECK(invariants_ok(zp));
		zpool_free(zp, b1);
		CHECK_EQ(zpool_shrink(zp, 1, &got), -EINVAL); /* nothing left */
		zpool_destroy(zp);
	}
}

TEST(z3fold_reclaim_failure_retries_and_puts_back)
{
	for (int k = 0; k < 2; k++) {
		struct evict_ctx ctx = { .fail_after = 1 };
		struct zpool_evict_ops ops = { evict_cb, &ctx };
		struct zpool *zp = mk(presets[k], &ops);
		unsigned long a[10], b[10], x;
		unsigned int got = 5;

		CHECK(zp);
		ctx.zp = zp;
		/* 10 pages of two objects (33 + 24 chunks; a third 24 never fits) */
		for (int i = 0; i < 10; i++)
			CHECK((a[i] = put(zp, 2100, i + 1)));
		for (int i = 0; i < 10; i++)
			CHECK((b[i] = put(zp, 1500, 100 + i)));
		CHECK_EQ(zpool_total_pages(zp), 10);
		/* one eviction allowed in total: 8 pages tried, none emptied */
		CHECK_EQ(zpool_shrink(zp, 1, &got), -EAGAIN);
		CHECK_EQ(got, 0);
		CHECK_EQ(ctx.n, 1);
		/* b[0] joined a[9]'s page first (LIFO lists), so that page is the LRU tail */
		CHECK_EQ(ctx.order[0], a[9]);
		CHECK_EQ(zpool_total_pages(zp), 10);
		for (int i = 0; i < 9; i++)
			CHECK(intact(zp, a[i], 2100, i + 1));
		for (int i = 0; i < 10; i++)
			CHECK(intact(zp, b[i], 1500, 100 + i));
		CHECK(invariants_ok(zp));
		zpool_destroy(zp);
		/* no callback: -EINVAL */
		CHECK((zp = mk(presets[k], NULL)));
		CHECK((x = put(zp, 100, 1)));
		CHECK_EQ(zpool_shrink(zp, 1, &got), -EINVAL);
		zpool_destroy(zp);
	}
}

/* ---- inter-page moves (6.1 after free) and migrate=1 (compact) ---- */

TEST(z3fold_61_lone_object_moves_to_another_page)
{
	struct zpool *zp = mk("z3fold:kernel=6.1", NULL);
	unsigned long a, b, c;
	struct z3fold_page_state st;

	CHECK(zp);
	CHECK((a = put(zp, 2500, 1)) && (b = put(zp, 2500, 2))); /* 40 chunks: a page each */
	CHECK((c = put(zp, 600, 3)));				 /* joins b's page (LIFO) */
	CHECK_EQ(zpool_total_pages(zp), 2);
	CHECK(page_of(zp, c) == page_of(zp, b));
	zpool_free(zp, b);
	/* c was alone: moved into a's page, its page released, handle still good */
	CHECK_EQ(zpool_total_pages(zp), 1);
	CHECK(page_of(zp, c) == page_of(zp, a));
	st = state_of(zp, c, NULL);
	CHECK_EQ(st.foreign, 1);
	CHECK(intact(zp, c, 600, 3) && intact(zp, a, 2500, 1));
	CHECK(invariants_ok(zp));
	zpool_free(zp, c);
	CHECK_EQ(state_of(zp, a, NULL).foreign, 0);
	zpool_free(zp, a);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);
}

TEST(z3fold_migrate_compaction_frees_pages_data_survives)
{
	static const char *const specs[] = { "z3fold:migrate=1", "z3fold:kernel=6.1,migrate=1",
					     "z3fold:kernel=6.1,migrate=1,interpage=0" };

	for (int k = 0; k < 3; k++) {
		struct zpool *zp = mk(specs[k], NULL);
		enum { N = 30000 };
		unsigned long *h = calloc(N, sizeof(*h));
		uint32_t *sz = calloc(N, sizeof(*sz));
		uint64_t rng = 77 + k, before, freed;
		struct zpool_stats st;

		CHECK(zp && h && sz);
		for (int i = 0; i < N; i++) {
			sz[i] = 64 + rng_below(&rng, 1400);
			CHECK((h[i] = put(zp, sz[i], i + 1)));
		}
		/* free 2/3 at random */
		for (int i = 0; i < N; i++) {
			if (rng_below(&rng, 3)) {
				zpool_free(zp, h[i]);
				h[i] = 0;
			}
		}
		before = zpool_total_pages(zp);
		freed = zpool_compact(zp);
		/* 6.1 with interpage already moved lone objects at each free */
		if (k != 1)
			CHECK(freed > before / 10);
		CHECK_EQ(zpool_total_pages(zp), before - freed);
		zpool_get_stats(zp, &st);
		CHECK(st.moves >= freed);
		CHECK(invariants_ok(zp));
		for (int i = 0; i < N; i++)
			if (h[i])
				CHECK(intact(zp, h[i], sz[i], i + 1));
		for (int i = 0; i < N; i++)
			if (h[i])
				zpool_free(zp, h[i]);
		CHECK_EQ(zpool_total_pages(zp), 0);
		free(h);
		free(sz);
		zpool_destroy(zp);
	}
}

/* ---- density sanity ---- */

static const char *const density_specs[] = {
	"z3fold:kernel=4.7",
	"z3fold:kernel=6.1",
	"z3fold:compaction=none",
	"z3fold:compaction=extra",
	"z3fold:compaction=gated",
	"z3fold:kernel=6.1,compaction=middle",
	"z3fold:kernel=6.1,compaction=none",
	"z3fold:migrate=1,compact_on_unmap=1",
};

TEST(z3fold_density_three_per_page_and_one_per_page)
{
	for (size_t k = 0; k < sizeof(density_specs) / sizeof(density_specs[0]); k++) {
		struct zpool *zp = mk(density_specs[k], NULL);
		struct zpool *big = mk(density_specs[k], NULL);
		unsigned long h;

		CHECK(zp && big);
		for (int i = 0; i < 20000; i++) {
			CHECK((h = put(zp, 1000, i)));
			CHECK((h = put(big, 3000, i)));
		}
		CHECK_EQ(zpool_total_pages(zp), 6667);
		CHECK_EQ(zpool_total_pages(big), 20000);
		zpool_compact(zp);
		CHECK_EQ(zpool_total_pages(zp), 6667);
		CHECK(invariants_ok(zp) && invariants_ok(big));
		zpool_destroy(zp);
		zpool_destroy(big);
	}
}

TEST(z3fold_headless_survive_compaction_and_reclaim)
{
	for (int k = 0; k < 2; k++) {
		char spec[64];
		struct evict_ctx ctx = { .fail_after = -1 };
		struct zpool_evict_ops ops = { evict_cb, &ctx };
		struct zpool *zp;
		unsigned long hl[5], small[6];
		unsigned int got;

		snprintf(spec, sizeof(spec), "%s,migrate=1", presets[k]);
		CHECK((zp = mk(spec, &ops)));
		ctx.zp = zp;
		for (int i = 0; i < 5; i++)
			CHECK((hl[i] = put(zp, 3990 + i, 50 + i)));
		CHECK_EQ(zpool_total_pages(zp), 5);
		for (int i = 0; i < 6; i++)
			CHECK((small[i] = put(zp, 300 + 200 * i, 60 + i)));
		for (int i = 0; i < 6; i += 2)
			zpool_free(zp, small[i]);
		zpool_compact(zp);
		for (int i = 0; i < 5; i++)
			CHECK(intact(zp, hl[i], 3990 + i, 50 + i));
		for (int i = 1; i < 6; i += 2)
			CHECK(intact(zp, small[i], 300 + 200 * i, 60 + i));
		/* the oldest page, the LRU tail, is a headless one */
		ctx.n = 0;
		CHECK_EQ(zpool_shrink(zp, 1, &got), 0);
		CHECK_EQ(ctx.n, 1);
		CHECK_EQ(ctx.order[0], hl[0]);
		for (int i = 1; i < 5; i++)
			CHECK(intact(zp, hl[i], 3990 + i, 50 + i));
		for (int i = 1; i < 6; i += 2)
			CHECK(intact(zp, small[i], 300 + 200 * i, 60 + i));
		CHECK(invariants_ok(zp));
		zpool_destroy(zp);
	}
}

/* ---- randomized ---- */

struct live_obj {
	unsigned long handle;
	uint32_t size;
	uint64_t seed;
};

static void verify_all(struct zpool *zp, struct live_obj *objs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		CHECK(intact(zp, objs[i].handle, objs[i].size, objs[i].seed));
}

static bool tsan(void)
{
	const char *t = getenv("ZPB_TSAN");

	return t && *t && strcmp(t, "0");
}

/*
 * Grow/shrink phases of malloc/map/write/free; now and then an object stays
 * mapped across the next operation and must neither move nor change, and a
 * compaction runs.  Every byte is checked at every free and phase end.
 */
static void random_run(const char *spec, long total_ops, uint64_t seed)
{
	struct zpool *zp = mk(spec, NULL);
	size_t cap = 40000, n = 0;
	struct live_obj *objs = calloc(cap, sizeof(*objs));
	uint64_t rng = seed, seedctr = 1;
	long ops = 0;
	int phases = 6;

	CHECK(zp && objs);
	for (int phase = 0; phase < phases; phase++) {
		unsigned grow_pct = (phase % 2 == 0) ? 70 : 30;

		for (long i = 0; i < total_ops / phases; i++, ops++) {
			uint64_t r = rng_below(&rng, 100);
			struct live_obj *held = NULL;
			unsigned char *hp = NULL;

			if (n && rng_below(&rng, 16) == 0) {
				held = &objs[rng_below(&rng, n)];
				hp = zpool_map(zp, held->handle, ZPOOL_MM_RO);
			}
			if ((r < grow_pct && n < cap) || n == 0) {
				uint32_t size = 1 + rng_below(&rng, 3000);
				unsigned long h;

				if (rng_below(&rng, 25) == 0)
					size = 3800 + rng_below(&rng, 297); /* near or headless */
				CHECK_EQ(zpool_malloc(zp, size, &h), 0);
				objs[n].handle = h;
				objs[n].size = size;
				objs[n].seed = seedctr++;
				pattern_fill(zpool_map(zp, h, ZPOOL_MM_WO), size, objs[n].seed);
				zpool_unmap(zp, h);
				n++;
			} else if (r < 99) {
				size_t k = rng_below(&rng, n);

				if (held == &objs[k])
					goto skip; /* never free what is mapped */
				CHECK(intact(zp, objs[k].handle, objs[k].size, objs[k].seed));
				zpool_free(zp, objs[k].handle);
				if (held == &objs[n - 1])
					held = &objs[k];
				objs[k] = objs[--n];
			} else {
				zpool_compact(zp);
			}
skip:
			if (held) {
				void *now = zpool_map(zp, held->handle, ZPOOL_MM_RO);

				CHECK(now == hp); /* it did not move while mapped */
				CHECK(pattern_check(hp, held->size, held->seed));
				zpool_unmap(zp, held->handle);
				zpool_unmap(zp, held->handle);
			}
		}
		verify_all(zp, objs, n);
		CHECK_OK();
		CHECK(invariants_ok(zp));
	}
	CHECK(ops >= total_ops - phases);
	for (size_t i = 0; i < n; i++)
		zpool_free(zp, objs[i].handle);
	z3fold_debug_flush(zp); /* async: emptied pages go when the worker gets to them */
	CHECK_EQ(zpool_total_pages(zp), 0);
	CHECK(invariants_ok(zp));
	free(objs);
	zpool_destroy(zp);
}

TEST(z3fold_random_million_ops_47)
{
	random_run("z3fold:kernel=4.7", tsan() ? 200000 : 1000002, 1);
}

TEST(z3fold_random_million_ops_61)
{
	random_run("z3fold:kernel=6.1", tsan() ? 200000 : 1000002, 2);
}

TEST(z3fold_random_variants)
{
	static const char *const specs[] = {
		"z3fold:compaction=none",
		"z3fold:compaction=extra,compact_on_unmap=1",
		"z3fold:compaction=gated,gap=5,migrate=1",
		"z3fold:kernel=6.1,compaction=extra,compact_on_unmap=1,migrate=1",
		"z3fold:kernel=6.1,compaction=none",
		"z3fold:interpage=1,compaction=middle",
		"z3fold:async=1,compact_on_unmap=1",
		"z3fold:kernel=6.1,async=1,migrate=1",
	};

	for (size_t k = 0; k < sizeof(specs) / sizeof(specs[0]); k++) {
		random_run(specs[k], tsan() ? 30000 : 200004, 100 + k);
		if (zt_failed()) {
			fprintf(stdout, "  spec: %s\n", specs[k]);
			return;
		}
	}
}

/* Reclaim mixed into a random run: evicted objects read back right, the rest too. */
struct rr_ctx {
	struct zpool *zp;
	struct live_obj *objs;
	size_t n;
	long evicted;
	int bad;
};

static int rr_evict(void *ctx, unsigned long handle)
{
	struct rr_ctx *c = ctx;

	for (size_t j = 0; j < c->n; j++) {
		if (c->objs[j].handle != handle)
			continue;
		if (!intact(c->zp, handle, c->objs[j].size, c->objs[j].seed))
			c->bad++;
		zpool_free(c->zp, handle);
		c->objs[j] = c->objs[--c->n];
		c->evicted++;
		return 0;
	}
	c->bad++; /* a handle we never got */
	return -ENOENT;
}

TEST(z3fold_random_with_reclaim)
{
	for (int k = 0; k < 2; k++) {
		enum { N = 20000 };
		struct rr_ctx c = { 0 };
		struct zpool_evict_ops ops = { rr_evict, &c };
		uint64_t rng = 9 + k;
		unsigned int got;

		c.objs = calloc(N, sizeof(*c.objs));
		CHECK(c.objs && (c.zp = mk(presets[k], &ops)));
		for (int round = 0; round < 40; round++) {
			for (int i = 0; i < 500 && c.n < N; i++) {
				struct live_obj *o = &c.objs[c.n];

				o->size = 1 + rng_below(&rng, 4096);
				o->seed = round * 1000 + i + 1;
				CHECK((o->handle = put(c.zp, o->size, o->seed)));
				c.n++;
			}
			for (int i = 0; i < 200 && c.n; i++) {
				size_t j = rng_below(&rng, c.n);

				zpool_free(c.zp, c.objs[j].handle);
				c.objs[j] = c.objs[--c.n];
			}
			CHECK_EQ(zpool_shrink(c.zp, 20, &got), 0);
			CHECK_EQ(got, 20);
			CHECK_EQ(c.bad, 0);
			CHECK(invariants_ok(c.zp));
		}
		CHECK(c.evicted >= 800);
		verify_all(c.zp, c.objs, c.n);
		CHECK_OK();
		zpool_destroy(c.zp);
		free(c.objs);
	}
}

/* ---- async: multi-threaded stress ---- */

struct stress_arg {
	struct zpool *zp;
	long ops;
	uint64_t seed;
	int failed;
};

static void *stress_thread(void *p)
{
	struct stress_arg *a = p;
	enum { CAP = 4000 };
	struct live_obj *objs = calloc(CAP, sizeof(*objs));
	uint64_t rng = a->seed, seedctr = a->seed << 32;
	size_t n = 0;

	if (!objs) {
		a->failed = 1;
		return NULL;
	}
	for (long i = 0; i < a->ops && !a->failed; i++) {
		uint64_t r = rng_below(&rng, 100);

		if ((r < 55 && n < CAP) || n == 0) {
			uint32_t size = 1 + rng_below(&rng, 2500);
			unsigned long h;

			if (rng_below(&rng, 40) == 0)
				size = 3900 + rng_below(&rng, 197);
			if (zpool_malloc(a->zp, size, &h)) {
				a->failed = 2;
				break;
			}
			objs[n].handle = h;
			objs[n].size = size;
			objs[n].seed = seedctr++;
			pattern_fill(zpool_map(a->zp, h, ZPOOL_MM_WO), size, objs[n].seed);
			zpool_unmap(a->zp, h);
			n++;
		} else if (r < 80) {
			struct live_obj *o = &objs[rng_below(&rng, n)];

			if (!pattern_check(zpool_map(a->zp, o->handle, ZPOOL_MM_RO), o->size,
					   o->seed))
				a->failed = 3;
			zpool_unmap(a->zp, o->handle);
		} else {
			size_t k = rng_below(&rng, n);

			if (!pattern_check(zpool_map(a->zp, objs[k].handle, ZPOOL_MM_RO),
					   objs[k].size, objs[k].seed))
				a->failed = 4;
			zpool_unmap(a->zp, objs[k].handle);
			zpool_free(a->zp, objs[k].handle);
			objs[k] = objs[--n];
		}
		if (rng_below(&rng, 5000) == 0)
			zpool_compact(a->zp);
	}
	for (size_t i = 0; i < n; i++) {
		if (!pattern_check(zpool_map(a->zp, objs[i].handle, ZPOOL_MM_RO), objs[i].size,
				   objs[i].seed))
			a->failed = 5;
		zpool_unmap(a->zp, objs[i].handle);
		zpool_free(a->zp, objs[i].handle);
	}
	free(objs);
	return NULL;
}

TEST(z3fold_async_multithreaded_stress)
{
	static const char *const specs[] = {
		"z3fold:kernel=4.7,async=1,compact_on_unmap=1",
		"z3fold:kernel=6.1,async=1,compaction=extra,compact_on_unmap=1,migrate=1",
	};
	enum { THREADS = 4 };
	long per = (tsan() ? 60000 : 500000) / THREADS;

	for (int k = 0; k < 2; k++) {
		struct zpool *zp = mk(specs[k], NULL);
		pthread_t t[THREADS];
		struct stress_arg a[THREADS];

		CHECK(zp);
		for (int i = 0; i < THREADS; i++) {
			a[i] = (struct stress_arg){ zp, per, (uint64_t)(k * 100 + i + 1), 0 };
			CHECK(pthread_create(&t[i], NULL, stress_thread, &a[i]) == 0);
		}
		for (int i = 0; i < THREADS; i++)
			pthread_join(t[i], NULL);
		for (int i = 0; i < THREADS; i++)
			CHECK_EQ(a[i].failed, 0);
		CHECK(per * THREADS >= (tsan() ? 60000 : 500000));
		z3fold_debug_flush(zp);
		CHECK_EQ(zpool_total_pages(zp), 0);
		CHECK(invariants_ok(zp));
		zpool_destroy(zp);
	}
}

/* ---- spec parsing ---- */

TEST(z3fold_spec_validation)
{
	static const char *const bad[] = {
		"z3fold:kernel=5.4",
		"z3fold:compaction=full",
		"z3fold:gap=0",
		"z3fold:gap=63",
		"z3fold:async=2",
		"z3fold:migrate=yes",
		"z3fold:compaction=middle,gap=3",
		"z3fold:color=blue",
	};
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct zpool *zp = zpool_create(bad[i], NULL, err, sizeof(err));

		CHECK(!zp);
		CHECK(strstr(err, "z3fold") != NULL);
	}
	{
		struct zpool *zp = zpool_create("z3fold:compaction=full", NULL, err, sizeof(err));

		CHECK(!zp);
		CHECK(strstr(err, "none|middle|extra|gated") != NULL);
	}
	{
		struct zpool *zp = zpool_create(
			"z3fold:kernel=6.1,compaction=gated,gap=62,async=0,compact_on_unmap=1,migrate=1,interpage=0",
			NULL, err, sizeof(err));

		CHECK(zp);
		zpool_destroy(zp);
	}
}

/* ---- other page sizes ---- */

TEST(z3fold_16k_geometry_both_presets)
{
	static const char *const specs[] = { "z3fold:kernel=4.7,page=16384",
					     "z3fold:kernel=6.1,page=16384" };

	for (int k = 0; k < 2; k++) {
		struct zpool *zp = mk(specs[k], NULL);
		unsigned long h[4], big, huge;
		struct z3fold_page_state st;
		int bud;

		CHECK(zp);
		CHECK_EQ(zpool_page_size(zp), 16384);
		CHECK_EQ(zpool_malloc(zp, 16385, &h[0]), -ENOSPC);
		/*
		 * chunks of 256 B; the 88-byte 6.1 header rounds up to ONE chunk here
		 * (two on 4 KiB pages), so both presets share up to 16384 - 256 - 256
		 */
		CHECK((big = put(zp, 15872, 1)));
		CHECK((huge = put(zp, 15873, 2)));
		state_of(zp, big, &bud);
		CHECK_EQ(bud, Z3_FIRST);
		CHECK_EQ(page_offset_sized(zpool_map(zp, big, ZPOOL_MM_RO), 16384), 256);
		zpool_unmap(zp, big);
		CHECK(state_of(zp, huge, &bud).headless);
		CHECK((h[3] = put(zp, 16384, 3))); /* a whole page, headless */
		CHECK_EQ(page_offset_sized(zpool_map(zp, h[3], ZPOOL_MM_RO), 16384), 0);
		zpool_unmap(zp, h[3]);
		CHECK_EQ(zpool_total_pages(zp), 3);
		CHECK(intact(zp, big, 15872, 1) && intact(zp, huge, 15873, 2));
		zpool_free(zp, big);
		zpool_free(zp, huge);
		zpool_free(zp, h[3]);
		CHECK_EQ(zpool_total_pages(zp), 0);

		/* 5000 B = 20 chunks: three per page (1 + 60 <= 64), FIRST, LAST, MIDDLE */
		for (int i = 0; i < 4; i++)
			CHECK((h[i] = put(zp, 5000, 10 + i)));
		CHECK_EQ(zpool_total_pages(zp), 2);
		CHECK(page_of(zp, h[0]) == page_of(zp, h[2]));
		state_of(zp, h[1], &bud);
		CHECK_EQ(bud, Z3_LAST);
		CHECK_EQ(page_offset_sized(zpool_map(zp, h[1], ZPOOL_MM_RO), 16384),
			 16384 - 20 * 256);
		zpool_unmap(zp, h[1]);
		st = state_of(zp, h[2], &bud);
		CHECK_EQ(bud, Z3_MIDDLE);
		CHECK_EQ(st.start_middle, 20 + 1);
		CHECK_EQ(page_offset_sized(zpool_map(zp, h[2], ZPOOL_MM_RO), 16384), 21 * 256);
		zpool_unmap(zp, h[2]);
		for (int i = 0; i < 4; i++)
			CHECK(intact(zp, h[i], 5000, 10 + i));
		CHECK(invariants_ok(zp));
		/*
		 * a lone MIDDLE: 4.7 makes it FIRST at chunk 1; 6.1 moves it into the
		 * other page (inter-page), where it becomes LAST, and frees its page
		 */
		zpool_free(zp, h[0]);
		zpool_free(zp, h[1]);
		st = state_of(zp, h[2], &bud);
		CHECK_EQ(bud, k ? Z3_LAST : Z3_FIRST);
		CHECK_EQ(page_offset_sized(zpool_map(zp, h[2], ZPOOL_MM_RO), 16384),
			 k ? 16384 - 20 * 256 : 256);
		zpool_unmap(zp, h[2]);
		CHECK_EQ(zpool_total_pages(zp), k ? 1 : 2);
		CHECK(intact(zp, h[2], 5000, 12));
		CHECK(invariants_ok(zp));
		zpool_destroy(zp);
	}
}

TEST(z3fold_16k_free_chunks_index)
{
	/* 6.1 on 16 KiB pages: NCHUNKS 63 (header 1 chunk), not 62 as on 4 KiB */
	struct zpool *zp = mk("z3fold:kernel=6.1,page=16384", NULL);
	struct z3fold_page_state st;
	unsigned long a;

	CHECK(zp);
	CHECK((a = put(zp, 10 * 256, 1)));
	st = state_of(zp, a, NULL);
	CHECK_EQ(st.first, 10);
	CHECK_EQ(st.list, 63 - 10);
	zpool_destroy(zp);
	zp = mk("z3fold:kernel=6.1", NULL);
	CHECK(zp);
	CHECK((a = put(zp, 10 * 64, 1)));
	CHECK_EQ(state_of(zp, a, NULL).list, 62 - 10);
	zpool_destroy(zp);
}

TEST(z3fold_64k_limits)
{
	struct zpool *zp = mk("z3fold:kernel=6.1,page=65536", NULL);
	unsigned long a;
	int bud;

	CHECK(zp);
	/* chunks of 1 KiB: shared up to 65536 - 1024 - 1024, headless above */
	CHECK((a = put(zp, 63488, 1)));
	state_of(zp, a, &bud);
	CHECK_EQ(bud, Z3_FIRST);
	CHECK((a = put(zp, 63489, 2)));
	CHECK(state_of(zp, a, &bud).headless);
	CHECK_EQ(zpool_malloc(zp, 65537, &a), -ENOSPC);
	CHECK_EQ(zpool_total_pages(zp), 2);
	CHECK(invariants_ok(zp));
	zpool_destroy(zp);
}
