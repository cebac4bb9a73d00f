// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_malloc.c - the malloc reference allocator through the zpool
 * interface: every size 1..4096 stored and read back, the footprint equal to
 * the chunks glibc reports, limits, and the heap footprint mode.
 */
#include <errno.h>
#include <stdbool.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "util.h"
#include "zpool.h"

static struct zpool *mk(const char *spec)
{
	char err[256];
	struct zpool *zp = zpool_create(spec, NULL, err, sizeof(err));

	if (!zp)
		fprintf(stdout, "  zpool_create(%s): %s\n", spec, err);
	return zp;
}

TEST(malloc_limits)
{
	struct zpool *zp = mk("malloc");
	unsigned long h;

	CHECK(zp);
	CHECK_EQ(zpool_malloc(zp, 0, &h), -EINVAL);
	/* objects up to 64 KiB at any page size (multi-page units), not more */
	CHECK_EQ(zpool_max_size(zp), 65536);
	CHECK_EQ(zpool_malloc(zp, 65537, &h), -ENOSPC);
	CHECK_EQ(zpool_total_pages(zp), 0);
	CHECK_EQ(zpool_malloc(zp, 65536, &h), 0);
	CHECK_EQ(zpool_total_pages(zp), 17); /* a chunk of 64 KiB + 8 */
	zpool_free(zp, h);
	CHECK_EQ(zpool_malloc(zp, 4096, &h), 0);
	CHECK(h != 0);
	/* the handle is the object: map hands it back in every mode */
	CHECK(zpool_map(zp, h, ZPOOL_MM_RO) == (void *)h);
	zpool_unmap(zp, h);
	CHECK(zpool_map(zp, h, ZPOOL_MM_WO) == (void *)h);
	zpool_unmap(zp, h);
	CHECK_EQ(zpool_total_pages(zp), 2); /* 4096 + 8 bytes of chunk */
	zpool_free(zp, h);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);
}

TEST(malloc_every_size_verified_and_stats_consistent)
{
	struct zpool *zp = mk("malloc");
	unsigned long *h = calloc(4097, sizeof(*h));
	uint64_t chunks = 0, req = 0;
	struct zpool_stats st;

	CHECK(zp);
	CHECK(h);
	for (size_t s = 1; s <= 4096; s++) {
		void *dst;

		CHECK_EQ(zpool_malloc(zp, s, &h[s]), 0);
		dst = zpool_map(zp, h[s], ZPOOL_MM_WO);
		pattern_fill(dst, s, s);
		zpool_unmap(zp, h[s]);
		chunks += malloc_usable_size((void *)h[s]) + 8;
		req += s;
	}
	zpool_get_stats(zp, &st);
	CHECK_EQ(st.objects, 4096);
	CHECK_EQ(st.alloc_bytes, chunks);
	CHECK(st.alloc_bytes >= req + 8 * 4096); /* never less than the data + headers */
	CHECK_EQ(st.pool_pages, (chunks + 4095) / 4096);
	CHECK_EQ(st.pool_pages, zpool_total_pages(zp));
	CHECK_EQ(st.peak_pages, st.pool_pages);
	CHECK_EQ(st.metadata_bytes, 0);
	for (size_t s = 1; s <= 4096; s++) {
		const void *src = zpool_map(zp, h[s], ZPOOL_MM_RO);

		CHECK(pattern_check(src, s, s));
		zpool_unmap(zp, h[s]);
	}
	/* free the odd sizes: the figures follow exactly */
	for (size_t s = 1; s <= 4096; s += 2) {
		chunks -= malloc_usable_size((void *)h[s]) + 8;
		zpool_free(zp, h[s]);
	}
	zpool_get_stats(zp, &st);
	CHECK_EQ(st.objects, 2048);
	CHECK_EQ(st.alloc_bytes, chunks);
	CHECK_EQ(st.pool_pages, (chunks + 4095) / 4096);
	CHECK(st.peak_pages > st.pool_pages);
	for (size_t s = 2; s <= 4096; s += 2) {
		const void *src = zpool_map(zp, h[s], ZPOOL_MM_RO);

		CHECK(pattern_check(src, s, s));
		zpool_free(zp, h[s]);
	}
	zpool_get_stats(zp, &st);
	CHECK_EQ(st.objects, 0);
	CHECK_EQ(st.alloc_bytes, 0);
	CHECK_EQ(st.pool_pages, 0);
	free(h);
	zpool_destroy(zp);
}

/* glibc on x86-64 (not a sanitizer's malloc): a 1-byte request gets 24 usable bytes */
static bool glibc_malloc(void)
{
	void *probe = malloc(1);
	size_t u = malloc_usable_size(probe);

	free(probe);
	return u == 24;
}

/* glibc's x86-64 chunk rule: max(32, round_up(size + 8, 16)) */
TEST(malloc_chunk_bytes_follow_glibc)
{
	struct zpool *zp;
	unsigned long h;
	struct zpool_stats st;

	if (!glibc_malloc())
		SKIP("malloc is not glibc's x86-64 allocator (sanitizer build?)");
	zp = mk("malloc");
	CHECK(zp);
	static const size_t sz[][2] = { { 1, 32 },  { 24, 32 },	    { 25, 48 },	   { 40, 48 },
					{ 41, 64 }, { 1000, 1008 }, { 4096, 4112 } };
	for (size_t i = 0; i < sizeof(sz) / sizeof(sz[0]); i++) {
		CHECK_EQ(zpool_malloc(zp, sz[i][0], &h), 0);
		zpool_get_stats(zp, &st);
		/*
		 * A chunk reused from a bin may be up to 31 bytes bigger (glibc
		 * does not split off a remainder below its 32-byte minimum): that
		 * depends on what earlier tests left in the heap.
		 */
		CHECK(st.alloc_bytes >= sz[i][1] && st.alloc_bytes < sz[i][1] + 32);
		zpool_free(zp, h);
	}
	zpool_destroy(zp);
}

TEST(malloc_heap_footprint_grows_with_the_pool)
{
	struct zpool *zp;
	unsigned long h[2048];
	struct zpool_stats st;
	size_t free_before;

	if (!glibc_malloc())
		SKIP("malloc is not glibc's allocator: mallinfo2 does not see it (sanitizer build?)");
	/* earlier tests left free chunks in the heap, which the pool may reuse */
	free_before = mallinfo2().fordblks;
	zp = mk("malloc:footprint=heap");
	CHECK(zp);
	CHECK_STR(zp->cfg.spec, "malloc:footprint=heap");
	/* 2048 chunks of 2016 B: what the heap did not have free must have been added */
	for (int i = 0; i < 2048; i++)
		CHECK_EQ(zpool_malloc(zp, 2000, &h[i]), 0);
	zpool_get_stats(zp, &st);
	CHECK_EQ(st.objects, 2048);
	/* no growth is right only if the heap already had the room free */
	CHECK(st.pool_pages > 0 || free_before >= 2048 * 2016);
	CHECK(st.pool_pages * 4096 + free_before >= 2048 * 2016);
	CHECK(st.peak_pages >= st.pool_pages);
	for (int i = 0; i < 2048; i++)
		zpool_free(zp, h[i]);
	zpool_destroy(zp);
}

TEST(malloc_spec_errors)
{
	struct zpool_config cfg;
	char err[256];

	CHECK_EQ(zpool_parse_spec("malloc:footprint=rss", &cfg, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "malloc: bad value 'rss' for footprint (valid: chunks|heap)");
}

TEST(malloc_and_ideal_count_16k_pages)
{
	struct zpool *ideal = mk("ideal:page=16384"), *m = mk("malloc:page=16384");
	unsigned long h[3], g;

	CHECK(ideal && m);
	/* ideal: ceil(live bytes / 16384) */
	CHECK_EQ(zpool_malloc(ideal, 16384, &h[0]), 0);
	CHECK_EQ(zpool_total_pages(ideal), 1);
	CHECK_EQ(zpool_malloc(ideal, 1, &h[1]), 0);
	CHECK_EQ(zpool_total_pages(ideal), 2);
	CHECK_EQ(zpool_malloc(ideal, 16383, &h[2]), 0);
	CHECK_EQ(zpool_total_pages(ideal), 2);
	CHECK_EQ(zpool_malloc(ideal, 65537, &g), -ENOSPC);
	for (int i = 0; i < 3; i++)
		zpool_free(ideal, h[i]);
	CHECK_EQ(zpool_total_pages(ideal), 0);
	/* a 64 KiB unit: 4 pages of 16 KiB, in every mode */
	CHECK_EQ(zpool_max_size(ideal), 65536);
	CHECK_EQ(zpool_malloc(ideal, 65536, &g), 0);
	CHECK_EQ(zpool_total_pages(ideal), 4);
	zpool_free(ideal, g);
	/* malloc: a 16 KiB object is a chunk of 16 KiB + 8 (+ rounding): 2 pages of 16 KiB */
	CHECK_EQ(zpool_malloc(m, 16384, &g), 0);
	CHECK_EQ(zpool_total_pages(m), 2);
	zpool_free(m, g);
	CHECK_EQ(zpool_malloc(m, 8000, &g), 0);
	CHECK_EQ(zpool_total_pages(m), 1);
	zpool_free(m, g);
	zpool_destroy(ideal);
	zpool_destroy(m);
}
