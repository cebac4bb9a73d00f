// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_zblock.c - the zblock port: the four published tables (any/pow2 x
 * 4/16 KiB pages) slot by slot, the type selection where it surprises (a
 * size equal to a slot size, the largest slot of table=any), pages for N
 * objects, list order on alloc and free, handles, and a randomized run that
 * checks every byte, the lists and the page accounting.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "page.h"
#include "util.h"
#include "zblock.h"
#include "zpool.h"

static struct zpool *mk(const char *spec)
{
	char err[256];
	struct zpool *zp = zpool_create(spec, NULL, err, sizeof(err));

	if (!zp)
		fprintf(stdout, "  zpool_create(%s): %s\n", spec, err);
	return zp;
}

/* round_down((pages * PAGE - H) / slots, 8), computed by hand from the postings' tables */
static const unsigned int any_4k[] = {
	144,  224,  336,  400,	472,  536,  624,  672,	736,  808,  856,  904,	960,
	1008, 1064, 1112, 1160, 1224, 1288, 1352, 1456, 1528, 1624, 1696, 1808, 1904,
	2024, 2176, 2264, 2384, 2512, 2720, 2968, 3176, 3400, 3632, 4080,
};
static const unsigned int any_16k[] = {
	88,   144,  184,  224,	280,  328,   384,   440,   488,	  552,	600,  648,  704,
	776,  832,  880,  928,	984,  1048,  1120,  1208,  1304,  1352, 1480, 1552, 1624,
	1720, 1808, 1920, 2032, 2176, 2328,  2424,  2512,  2616,  2720, 2840, 2968, 3112,
	3264, 3440, 3632, 3848, 4072, 4264,  4456,  4664,  4904,  5112, 5448, 5944, 6128,
	6536, 7008, 7440, 8168, 9088, 10224, 10896, 14032, 16360,
};
static const unsigned int pow2_4k[] = {
	120,  184,  232,  312,	368,  448,  504,  576,	680,  736,  816,  904,	1016, 1088, 1168,
	1256, 1360, 1480, 1632, 1816, 2040, 2176, 2336, 2512, 2728, 2976, 3272, 3632, 4672,
};
static const unsigned int pow2_16k[] = {
	88,   104,  136,  168,	224,  296,  384,   504,	  736,	 960,	1256,  1480,
	1808, 2040, 2336, 2720, 2968, 3264, 3632,  4088,  4360,	 4672,	5032,  5456,
	5952, 6544, 7272, 8184, 8728, 9352, 10072, 10912, 11904, 13096, 14552, 18712,
};

static void check_table(const char *spec, const unsigned int *want, int n)
{
	struct zblock_type_info t[64];
	struct zpool *zp = mk(spec);

	CHECK(zp);
	CHECK_EQ(zblock_debug_types(zp, t, 64), n);
	for (int i = 0; i < n; i++) {
		if (t[i].slot_size != want[i])
			zt_fail(__FILE__, __LINE__, "%s type %d: slot %u, want %u", spec, i,
				t[i].slot_size, want[i]);
		CHECK_OK();
	}
	zpool_destroy(zp);
}

TEST(zblock_tables_match_the_postings)
{
	check_table("zblock", any_4k, 37);
	CHECK_OK();
	check_table("zblock:page=16384", any_16k, 61);
	CHECK_OK();
	check_table("zblock:table=pow2", pow2_4k, 29);
	CHECK_OK();
	check_table("zblock:table=pow2,page=16384", pow2_16k, 36);
}

TEST(zblock_table_shapes)
{
	struct zblock_type_info t[64];
	struct zpool *zp = mk("zblock");

	CHECK(zp);
	zblock_debug_types(zp, t, 64);
	/* (28, 1) first, (4, 4) last; 1 to 8 pages per block */
	CHECK_EQ(t[0].slots, 28);
	CHECK_EQ(t[0].pages, 1);
	CHECK_EQ(t[36].slots, 4);
	CHECK_EQ(t[36].pages, 4);
	CHECK_EQ(t[14].pages, 6); /* (23, 6): not a power of two */
	zpool_destroy(zp);

	zp = mk("zblock:table=pow2,page=16384");
	CHECK(zp);
	zblock_debug_types(zp, t, 64);
	/* seven one-page types before the 4 KiB list, which starts with 32 slots */
	CHECK_EQ(t[0].slots, 181);
	CHECK_EQ(t[6].slots, 42);
	CHECK_EQ(t[7].slots, 32);
	CHECK_EQ(t[35].slots, 7);
	CHECK_EQ(t[35].pages, 8);
	zpool_destroy(zp);
}

/* Store one object of @size; its type (or -errno). */
static int type_of(struct zpool *zp, size_t size)
{
	unsigned long h;
	unsigned int type, slot;
	void *block;
	int ret = zpool_malloc(zp, size, &h);

	if (ret)
		return ret;
	zblock_debug_locate(zp, h, &block, &type, &slot);
	zpool_free(zp, h);
	return (int)type;
}

TEST(zblock_size_equal_to_a_slot_size_takes_the_next_type)
{
	struct zpool *zp = mk("zblock");

	CHECK(zp);
	CHECK_EQ(type_of(zp, 1), 0);
	CHECK_EQ(type_of(zp, 143), 0);
	CHECK_EQ(type_of(zp, 144), 1); /* 144 is type 0's slot size, yet it goes to 224 */
	CHECK_EQ(type_of(zp, 223), 1);
	CHECK_EQ(type_of(zp, 224), 2);
	CHECK_EQ(type_of(zp, 3631), 35);
	CHECK_EQ(type_of(zp, 3632), 36);
	zpool_destroy(zp);

	zp = mk("zblock:table=pow2");
	CHECK(zp);
	CHECK_EQ(type_of(zp, 119), 0);
	CHECK_EQ(type_of(zp, 120), 1);
	CHECK_EQ(type_of(zp, 3631), 27);
	CHECK_EQ(type_of(zp, 3632), 28);
	CHECK_EQ(type_of(zp, 4096), 28); /* 7 slots of 4672 in 8 pages */
	zpool_destroy(zp);

	zp = mk("zblock:page=16384");
	CHECK(zp);
	CHECK_EQ(type_of(zp, 87), 0);
	CHECK_EQ(type_of(zp, 88), 1);
	CHECK_EQ(type_of(zp, 14031), 59);
	CHECK_EQ(type_of(zp, 14032), 60);
	zpool_destroy(zp);

	zp = mk("zblock:table=pow2,page=16384");
	CHECK(zp);
	CHECK_EQ(type_of(zp, 103), 1);
	CHECK_EQ(type_of(zp, 104), 2);
	CHECK_EQ(type_of(zp, 16384), 35);
	zpool_destroy(zp);
}

TEST(zblock_largest_slot_of_table_any_is_refused)
{
	struct zpool *zp = mk("zblock");
	unsigned long h;

	CHECK(zp);
	CHECK_EQ(zpool_malloc(zp, 0, &h), -EINVAL);
	CHECK_EQ(type_of(zp, 4079), 36);
	/* equal to the largest slot: one past the end of the published table */
	CHECK_EQ(zpool_malloc(zp, 4080, &h), -ENOSPC);
	CHECK_EQ(zpool_malloc(zp, 4081, &h), -ENOSPC);
	CHECK_EQ(zpool_malloc(zp, 4096, &h), -ENOSPC);
	CHECK_EQ(zpool_malloc(zp, 4097, &h), -ENOSPC);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);

	zp = mk("zblock:page=16384");
	CHECK(zp);
	CHECK_EQ(type_of(zp, 16359), 60);
	CHECK_EQ(zpool_malloc(zp, 16360, &h), -ENOSPC);
	CHECK_EQ(zpool_malloc(zp, 16384, &h), -ENOSPC);
	zpool_destroy(zp);

	/* pow2's largest slot is above a page: everything up to a page is stored */
	zp = mk("zblock:table=pow2");
	CHECK(zp);
	CHECK_EQ(zpool_malloc(zp, 4096, &h), 0);
	CHECK_EQ(zpool_malloc(zp, 4097, &h), -ENOSPC);
	zpool_destroy(zp);
}

TEST(zblock_page_65536_is_refused)
{
	char err[256];
	struct zpool *zp = zpool_create("zblock:page=65536", NULL, err, sizeof(err));

	CHECK(zp == NULL);
	CHECK_STR(err, "zblock: bad value '65536' for page (valid: 4096|16384)");
}

/* Store @n objects of @size; the pool's pages after each of the last two. */
static void pages_for(const char *spec, size_t size, int n, uint64_t want_before,
		      uint64_t want_after)
{
	struct zpool *zp = mk(spec);
	unsigned long *h = calloc(n, sizeof(*h));
	uint64_t before = 0;

	CHECK(zp && h);
	for (int i = 0; i < n; i++) {
		CHECK_EQ(zpool_malloc(zp, size, &h[i]), 0);
		if (i == n - 2)
			before = zpool_total_pages(zp);
	}
	if (before != want_before || zpool_total_pages(zp) != want_after)
		zt_fail(__FILE__, __LINE__, "%s: %d x %zu B: %llu then %llu pages, want %llu, %llu",
			spec, n, size, (unsigned long long)before,
			(unsigned long long)zpool_total_pages(zp), (unsigned long long)want_before,
			(unsigned long long)want_after);
	for (int i = 0; i < n; i++)
		zpool_free(zp, h[i]);
	if (zpool_total_pages(zp) != 0)
		zt_fail(__FILE__, __LINE__, "%s: pages left after all frees", spec);
	free(h);
	zpool_destroy(zp);
}

TEST(zblock_pages_for_n_objects)
{
	/* any, 4 KiB: 100 B -> (28 slots, 1 page): 28 fill a page, the 29th opens another */
	pages_for("zblock", 100, 29, 1, 2);
	CHECK_OK();
	/* 3632 B -> the last type (4 slots, 4 pages) */
	pages_for("zblock", 3632, 5, 4, 8);
	CHECK_OK();
	/* 1008 B -> (23 slots, 6 pages) */
	pages_for("zblock", 1008, 24, 6, 12);
	CHECK_OK();
	/* pow2, 4 KiB: a whole page -> (7 slots of 4672 B, 8 pages) */
	pages_for("zblock:table=pow2", 4096, 8, 8, 16);
	CHECK_OK();
	/* pow2, 4 KiB: 1000 B -> (8 slots of 1016 B, 2 pages) */
	pages_for("zblock:table=pow2", 1000, 9, 2, 4);
	CHECK_OK();
	/* any, 16 KiB: 16,000 B -> (4 slots, 4 pages of 16 KiB) */
	pages_for("zblock:page=16384", 16000, 5, 4, 8);
	CHECK_OK();
	/* any, 16 KiB: 50 B -> (185 slots of 88 B, 1 page) */
	pages_for("zblock:page=16384", 50, 186, 1, 2);
	CHECK_OK();
	/* pow2, 16 KiB: a whole page -> (7 slots of 18,712 B, 8 pages) */
	pages_for("zblock:table=pow2,page=16384", 16384, 8, 8, 16);
}

TEST(zblock_handles_and_addresses)
{
	struct zpool *zp = mk("zblock:page=16384");
	unsigned long h[4];
	unsigned int type, slot;
	void *block;

	CHECK(zp);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(zpool_malloc(zp, 16000, &h[i]), 0);
	/* handle = block | type << SLOT_BITS (8) | slot: type 60, slots 0..3 */
	for (unsigned int i = 0; i < 4; i++) {
		CHECK_EQ(page_offset_sized((void *)h[i], 16384), 60 << 8 | i);
		CHECK_EQ(zblock_debug_locate(zp, h[i], &block, &type, &slot), 0);
		CHECK_EQ(type, 60);
		CHECK_EQ(slot, i);
		/* the block header (72 B) first, then slots of 16,360 B */
		CHECK((char *)zpool_map(zp, h[i], ZPOOL_MM_RO) ==
		      (char *)block + 72 + (size_t)i * 16360);
		zpool_unmap(zp, h[i]);
	}
	/* four 16 KiB pages, aligned to the page size */
	CHECK_EQ(page_offset_sized(block, 16384), 0);
	CHECK_EQ(zpool_total_pages(zp), 4);
	for (int i = 0; i < 4; i++)
		zpool_free(zp, h[i]);
	zpool_destroy(zp);

	zp = mk("zblock:table=pow2");
	CHECK(zp);
	CHECK_EQ(zpool_malloc(zp, 1, &h[0]), 0);
	CHECK_EQ(zpool_malloc(zp, 1, &h[1]), 0);
	/* SLOT_BITS 5: type 0, slots 0 and 1; the header is 32 B, slots 120 B */
	CHECK_EQ(page_offset_sized((void *)h[1], 4096), 1);
	CHECK_EQ(page_offset_of(zpool_map(zp, h[1], ZPOOL_MM_RO)), 32 + 120);
	zpool_unmap(zp, h[1]);
	zpool_free(zp, h[0]);
	zpool_free(zp, h[1]);
	zpool_destroy(zp);
}

static void *block_of(struct zpool *zp, unsigned long h)
{
	unsigned int type, slot;
	void *block = NULL;

	zblock_debug_locate(zp, h, &block, &type, &slot);
	return block;
}

static unsigned int slot_of(struct zpool *zp, unsigned long h)
{
	unsigned int type, slot = ~0u;
	void *block;

	zblock_debug_locate(zp, h, &block, &type, &slot);
	return slot;
}

static void list_order(const char *spec)
{
	struct zpool *zp = mk(spec);
	unsigned long a[28], b[28], x;
	void *act[4];
	char err[256];

	CHECK(zp);
	/* block A: 28 objects of type 0 fill it; it leaves the active list */
	for (int i = 0; i < 28; i++)
		CHECK_EQ(zpool_malloc(zp, 100, &a[i]), 0);
	CHECK_EQ(zblock_debug_active(zp, 0, act, 4), 0);
	/* the 29th opens block B, at the head, slot 0 taken */
	CHECK_EQ(zpool_malloc(zp, 100, &b[0]), 0);
	CHECK(block_of(zp, b[0]) != block_of(zp, a[0]));
	CHECK_EQ(slot_of(zp, b[0]), 0);
	CHECK_EQ(zblock_debug_active(zp, 0, act, 4), 1);
	/* a full block that gets a free slot goes to the TAIL: active = B, A */
	zpool_free(zp, a[5]);
	CHECK_EQ(zblock_debug_active(zp, 0, act, 4), 2);
	CHECK(act[0] == block_of(zp, b[0]));
	CHECK(act[1] == block_of(zp, a[0]));
	/* a second free in A leaves it where it is */
	zpool_free(zp, a[3]);
	CHECK_EQ(zblock_debug_active(zp, 0, act, 4), 2);
	CHECK(act[1] == block_of(zp, a[0]));
	/* allocations take the head (B) until it is full, though A has room */
	for (int i = 1; i < 28; i++) {
		CHECK_EQ(zpool_malloc(zp, 100, &b[i]), 0);
		CHECK(block_of(zp, b[i]) == block_of(zp, b[0]));
		CHECK_EQ(slot_of(zp, b[i]), (unsigned int)i);
	}
	CHECK_EQ(zpool_total_pages(zp), 2);
	/* then A, at its lowest free slot */
	CHECK_EQ(zpool_malloc(zp, 100, &x), 0);
	CHECK(block_of(zp, x) == block_of(zp, a[0]));
	CHECK_EQ(slot_of(zp, x), 3);
	CHECK_EQ(zblock_debug_check(zp, err, sizeof(err)), 0);
	/* a block that empties is freed at once */
	for (int i = 0; i < 28; i++)
		zpool_free(zp, b[i]);
	CHECK_EQ(zpool_total_pages(zp), 1);
	CHECK_EQ(zblock_debug_check(zp, err, sizeof(err)), 0);
	zpool_free(zp, x);
	for (int i = 0; i < 28; i++)
		if (i != 3 && i != 5)
			zpool_free(zp, a[i]);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);
}

TEST(zblock_list_order_on_alloc_and_free)
{
	/* type 0 has 28 slots in table=any; in table=pow2 it has 32, so use 28 of 32 there */
	list_order("zblock");
}

TEST(zblock_list_order_pow2_full_list)
{
	struct zpool *zp = mk("zblock:table=pow2");
	unsigned long a[32], b;
	void *act[4];
	char err[256];

	CHECK(zp);
	for (int i = 0; i < 32; i++)
		CHECK_EQ(zpool_malloc(zp, 100, &a[i]), 0);
	CHECK_EQ(zblock_debug_active(zp, 0, act, 4), 0); /* on the full list */
	CHECK_EQ(zblock_debug_check(zp, err, sizeof(err)), 0);
	CHECK_EQ(zpool_malloc(zp, 100, &b), 0);
	zpool_free(zp, a[31]);
	CHECK_EQ(zblock_debug_active(zp, 0, act, 4), 2);
	CHECK(act[1] == block_of(zp, a[0])); /* at the tail */
	CHECK_EQ(zblock_debug_check(zp, err, sizeof(err)), 0);
	zpool_free(zp, b);
	for (int i = 0; i < 31; i++)
		zpool_free(zp, a[i]);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);
}

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

/* Pool pages = the pages of the distinct blocks holding live objects. */
static void check_pages(struct zpool *zp, struct live_obj *objs, size_t n)
{
	struct zblock_type_info t[64];
	unsigned long *key = malloc((n + 1) * sizeof(*key));
	uint64_t pages = 0;

	CHECK(key);
	zblock_debug_types(zp, t, 64);
	for (size_t i = 0; i < n; i++) {
		unsigned int type, slot;
		void *block;

		zblock_debug_locate(zp, objs[i].handle, &block, &type, &slot);
		key[i] = (unsigned long)block | type; /* block addresses are page aligned */
	}
	qsort(key, n, sizeof(*key), cmp_ul);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || key[i] != key[i - 1])
			pages += t[key[i] & 63].pages;
	free(key);
	CHECK_EQ(zpool_total_pages(zp), pages);
}

static void random_ops(const char *spec, size_t page, uint64_t seed)
{
	struct zpool *zp = mk(spec);
	size_t cap = 20000, n = 0;
	struct live_obj *objs = calloc(cap, sizeof(*objs));
	uint64_t rng = seed, seedctr = 1;
	char err[256];

	CHECK(zp && objs);
	for (int phase = 0; phase < 4; phase++) {
		unsigned int grow = phase % 2 ? 30 : 70;

		for (int i = 0; i < 60000; i++) {
			if ((rng_below(&rng, 100) < grow && n < cap) || !n) {
				uint32_t size = 1 + rng_below(&rng, page);
				unsigned long h;
				int ret = zpool_malloc(zp, size, &h);

				if (ret == -ENOSPC)
					continue; /* table=any: the top of the page */
				CHECK_EQ(ret, 0);
				objs[n] = (struct live_obj){ h, size, seedctr++ };
				pattern_fill(zpool_map(zp, h, ZPOOL_MM_WO), size, objs[n].seed);
				zpool_unmap(zp, h);
				n++;
			} else {
				size_t k = rng_below(&rng, n);
				void *p = zpool_map(zp, objs[k].handle, ZPOOL_MM_RO);

				CHECK(pattern_check(p, objs[k].size, objs[k].seed));
				zpool_unmap(zp, objs[k].handle);
				zpool_free(zp, objs[k].handle);
				objs[k] = objs[--n];
			}
		}
		for (size_t i = 0; i < n; i++) {
			void *p = zpool_map(zp, objs[i].handle, ZPOOL_MM_RO);

			CHECK(pattern_check(p, objs[i].size, objs[i].seed));
			zpool_unmap(zp, objs[i].handle);
		}
		if (zblock_debug_check(zp, err, sizeof(err)))
			zt_fail(__FILE__, __LINE__, "%s: %s", spec, err);
		CHECK_OK();
		check_pages(zp, objs, n);
		CHECK_OK();
	}
	for (size_t i = 0; i < n; i++)
		zpool_free(zp, objs[i].handle);
	CHECK_EQ(zpool_total_pages(zp), 0);
	free(objs);
	zpool_destroy(zp);
}

TEST(zblock_random_ops_verified)
{
	random_ops("zblock", 4096, 1);
	CHECK_OK();
	random_ops("zblock:table=pow2", 4096, 2);
	CHECK_OK();
	random_ops("zblock:page=16384", 16384, 3);
	CHECK_OK();
	random_ops("zblock:table=pow2,page=16384", 16384, 4);
}
