// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_zsmalloc.c - the zsmalloc port: class tables against the spec's
 * Appendix A, huge thresholds, straddling objects in all map modes,
 * compaction against its own prediction, and long randomized runs with
 * data verification and full invariant checks (both kernel presets).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "util.h"
#include "zpool.h"
#include "zsmalloc.h"

/* the class tables computed from the documented rules (index:size/pages p/objs o) */
static const char appendix_classic[] =
	"0:32/1p/128o 1:48/3p/256o 2:64/1p/64o 3:80/1p/51o 4:96/3p/128o 5:112/2p/73o 6:128/1p/32o "
	"7:144/3p/85o 8:160/2p/51o 9:176/4p/93o 10:192/3p/64o 11:208/2p/39o 12:224/4p/73o "
	"13:240/1p/17o 14:256/1p/16o 15:272/1p/15o 16:288/1p/14o 17:304/3p/40o 18:320/4p/51o "
	"19:336/1p/12o 20:352/2p/23o 21:368/1p/11o 22:384/3p/32o 23:400/1p/10o 24:416/4p/39o "
	"25:432/3p/28o 26:448/1p/9o 27:464/4p/35o 28:480/2p/17o 29:496/4p/33o 30:512/1p/8o "
	"31:528/4p/31o 32:544/2p/15o 33:560/4p/29o 34:576/1p/7o 35:592/4p/27o 36:608/3p/20o "
	"37:624/2p/13o 38:640/3p/19o 40:672/1p/6o 42:704/4p/23o 43:720/3p/17o 44:736/2p/11o "
	"46:768/3p/16o 49:816/1p/5o 51:848/4p/19o 52:864/3p/14o 54:896/2p/9o 57:944/3p/13o "
	"58:960/4p/17o 62:1024/1p/4o 66:1088/4p/15o 67:1104/3p/11o 71:1168/2p/7o 74:1216/3p/10o "
	"76:1248/4p/13o 83:1360/1p/3o 91:1488/4p/11o 94:1536/3p/8o 100:1632/2p/5o 107:1744/3p/7o "
	"111:1808/4p/9o 126:2048/1p/2o 144:2336/4p/7o 151:2448/3p/5o 168:2720/2p/3o "
	"190:3072/3p/4o 202:3264/4p/5o 254:4096/1p/1o";

static const char appendix_chain8[] =
	"0:32/1p/128o 1:48/3p/256o 2:64/1p/64o 3:80/5p/256o 4:96/3p/128o 5:112/7p/256o "
	"6:128/1p/32o 7:144/7p/199o 8:160/5p/128o 9:176/4p/93o 10:192/3p/64o 11:208/3p/59o "
	"12:224/7p/128o 13:240/1p/17o 14:256/1p/16o 15:272/1p/15o 16:288/5p/71o 17:304/7p/94o "
	"18:320/5p/64o 19:336/6p/73o 20:352/8p/93o 21:368/8p/89o 22:384/3p/32o 23:400/5p/51o "
	"24:416/6p/59o 25:432/7p/66o 26:448/7p/64o 27:464/5p/44o 28:480/2p/17o 29:496/4p/33o "
	"30:512/1p/8o 31:528/4p/31o 32:544/2p/15o 33:560/7p/51o 34:576/1p/7o 35:592/8p/55o "
	"36:608/7p/47o 37:624/2p/13o 38:640/5p/32o 39:656/5p/31o 40:672/1p/6o 41:688/8p/47o "
	"42:704/5p/29o 43:720/3p/17o 44:736/2p/11o 45:752/7p/38o 46:768/3p/16o 47:784/5p/26o "
	"49:816/1p/5o 50:832/8p/39o 51:848/5p/24o 52:864/7p/33o 53:880/8p/37o 54:896/7p/32o "
	"55:912/7p/31o 56:928/5p/22o 57:944/3p/13o 58:960/4p/17o 59:976/6p/25o 60:992/8p/33o "
	"62:1024/1p/4o 64:1056/8p/31o 65:1072/5p/19o 66:1088/4p/15o 67:1104/3p/11o "
	"68:1120/8p/29o 69:1136/5p/18o 71:1168/2p/7o 72:1184/7p/24o 73:1200/5p/17o "
	"74:1216/3p/10o 75:1232/7p/23o 76:1248/4p/13o 78:1280/5p/16o 79:1296/7p/22o "
	"83:1360/1p/3o 87:1424/8p/23o 88:1440/6p/17o 89:1456/5p/14o 91:1488/4p/11o "
	"92:1504/7p/19o 94:1536/3p/8o 95:1552/8p/21o 96:1568/5p/13o 97:1584/7p/18o "
	"100:1632/2p/5o 103:1680/7p/17o 104:1696/5p/12o 105:1712/8p/19o 107:1744/3p/7o "
	"110:1792/7p/16o 111:1808/4p/9o 114:1856/5p/11o 116:1888/6p/13o 117:1904/7p/15o "
	"118:1920/8p/17o 126:2048/1p/2o 134:2176/8p/15o 135:2192/7p/13o 137:2224/6p/11o "
	"140:2272/5p/9o 144:2336/4p/7o 147:2384/7p/12o 151:2448/3p/5o 155:2512/8p/13o "
	"158:2560/5p/8o 160:2592/7p/11o 168:2720/2p/3o 177:2864/7p/10o 180:2912/5p/7o "
	"184:2976/8p/11o 190:3072/3p/4o 197:3184/7p/9o 202:3264/4p/5o 211:3408/5p/6o "
	"217:3504/6p/7o 222:3584/7p/8o 225:3632/8p/9o 254:4096/1p/1o";

/* Compare the computed table with one Appendix A list, entry by entry. */
static void check_appendix(const char *list, unsigned int chain, bool classic, int expect)
{
	struct zs_class_desc t[ZS_SIZE_CLASSES];
	int n = zs_build_class_table(chain, classic, t, NULL, NULL), i = 0;
	const char *s = list;

	CHECK_EQ(n, expect);
	while (*s) {
		unsigned int idx, size, pages, objs;
		int used;

		CHECK(sscanf(s, "%u:%u/%up/%uo%n", &idx, &size, &pages, &objs, &used) == 4);
		CHECK(i < n);
		CHECK_EQ(t[i].index, idx);
		CHECK_EQ(t[i].size, size);
		CHECK_EQ(t[i].pages, pages);
		CHECK_EQ(t[i].objs, objs);
		s += used;
		while (*s == ' ')
			s++;
		i++;
	}
	CHECK_EQ(i, n);
}

TEST(zsmalloc_class_table_chain8_matches_appendix)
{
	check_appendix(appendix_chain8, 8, false, 119);
}

TEST(zsmalloc_class_table_classic_matches_appendix)
{
	check_appendix(appendix_classic, 4, true, 69);
}

TEST(zsmalloc_class_table_examples)
{
	struct zs_class_desc t[ZS_SIZE_CLASSES];
	unsigned int map[ZS_SIZE_CLASSES];
	size_t huge;
	int n;

	n = zs_build_class_table(8, false, t, map, &huge);
	/* the doc's examples: 1568 B -> 5 pages / 13 objects, and the watermark classes */
	CHECK_EQ(t[map[96]].size, 1568);
	CHECK_EQ(t[map[96]].pages, 5);
	CHECK_EQ(t[map[96]].objs, 13);
	CHECK_EQ(t[map[225]].size, 3632);
	CHECK_EQ(t[map[225]].pages, 8);
	CHECK(!t[map[225]].huge);
	CHECK(t[map[226]].huge);
	CHECK_EQ(t[map[226]].size, 4096);
	CHECK_EQ(t[n - 1].size, 4096);
	CHECK_EQ(huge, 3625);
	/* merged slots point to the next larger distinct class */
	CHECK_EQ(t[map[48]].size, 816);
	CHECK_EQ(t[map[48]].index, 49);

	n = zs_build_class_table(4, true, t, NULL, &huge);
	CHECK_EQ(huge, 3257);
	n = zs_build_class_table(4, false, t, NULL, &huge);
	CHECK_EQ(huge, 3257);
	CHECK_EQ(n, 69);
	n = zs_build_class_table(16, false, t, NULL, &huge);
	CHECK_EQ(huge, 3833);
	CHECK_EQ(n, 192);
	CHECK_EQ(t[n - 2].size, 3840);
	n = zs_build_class_table(1, false, t, NULL, &huge);
	/* one page per zspage: the largest multi-object class is 2048 */
	CHECK_EQ(huge, 2048 - 7);
}

TEST(zsmalloc_size_lookup)
{
	/* size + 8 handle word: slot 0 up to 24 bytes, then 16-byte steps, capped at 254 */
	CHECK_EQ(zs_size_class_index(1 + 8), 0);
	CHECK_EQ(zs_size_class_index(24 + 8), 0);
	CHECK_EQ(zs_size_class_index(25 + 8), 1);
	CHECK_EQ(zs_size_class_index(1560 + 8), 96);
	CHECK_EQ(zs_size_class_index(1561 + 8), 97);
	CHECK_EQ(zs_size_class_index(3624 + 8), 225);
	CHECK_EQ(zs_size_class_index(3625 + 8), 226);
	CHECK_EQ(zs_size_class_index(4096 + 8), 254);
}

static struct zpool *mk(const char *spec)
{
	char err[256];
	struct zpool *zp = zpool_create(spec, NULL, err, sizeof(err));

	if (!zp)
		fprintf(stdout, "  %s: %s\n", spec, err);
	return zp;
}

TEST(zsmalloc_presets_and_params)
{
	static const struct {
		const char *spec;
		size_t huge;
		int classes;
	} cases[] = {
		{ "zsmalloc", 3625, 119 },
		{ "zsmalloc:kernel=6.18", 3625, 119 },
		{ "zsmalloc:kernel=6.1", 3257, 69 },
		{ "zsmalloc:chain=4", 3257, 69 },
		{ "zsmalloc:chain=16", 3833, 192 },
		{ "zsmalloc:kernel=6.1,chain=8", 0, 0 }, /* classic rule, 8 pages: just valid */
		{ "zsmalloc:fullness=legacy", 3625, 119 },
	};
	struct zs_class_desc t[ZS_SIZE_CLASSES];
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zpool *zp = mk(cases[i].spec);

		CHECK(zp);
		if (cases[i].huge) {
			CHECK_EQ(zpool_huge_size(zp), cases[i].huge);
			CHECK_EQ(zs_pool_classes(zp->pool, t, ZS_SIZE_CLASSES), cases[i].classes);
		}
		zpool_destroy(zp);
	}
	CHECK(!zpool_create("zsmalloc:chain=17", NULL, err, sizeof(err)));
	CHECK(strstr(err, "1..16"));
	CHECK(!zpool_create("zsmalloc:kernel=5.4", NULL, err, sizeof(err)));
	CHECK(strstr(err, "6.18|6.1"));
	CHECK(!zpool_create("zsmalloc:fullness=x", NULL, err, sizeof(err)));
}

TEST(zsmalloc_malloc_errors)
{
	struct zpool *zp = mk("zsmalloc");
	unsigned long h;

	CHECK(zp);
	CHECK_EQ(zpool_malloc(zp, 0, &h), -EINVAL);
	CHECK_EQ(zpool_malloc(zp, 4097, &h), -ENOSPC);
	CHECK_EQ(zpool_malloc(zp, 4096, &h), 0);
	CHECK_EQ(zpool_total_pages(zp), 1);
	zpool_free(zp, h);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);
}

/* Fill one zspage of class 1568 (5 pages, 13 objects): objects 2, 5, 7, 10 straddle. */
TEST(zsmalloc_straddling_objects_all_modes)
{
	struct zpool *zp = mk("zsmalloc");
	unsigned long h[13];
	struct zpool_stats st;
	char err[256];
	const size_t len = 1560;
	uint64_t copied;

	CHECK(zp);
	for (int i = 0; i < 13; i++) {
		CHECK_EQ(zpool_malloc(zp, len, &h[i]), 0);
		/* WO: no copy in, the whole payload is written and must land in two pages */
		pattern_fill(zpool_map(zp, h[i], ZPOOL_MM_WO), len, 100 + i);
		zpool_unmap(zp, h[i]);
	}
	CHECK_EQ(zpool_total_pages(zp), 5);
	zpool_get_stats(zp, &st);
	CHECK_EQ(st.straddling, 4);
	CHECK_EQ(st.objects, 13);
	/* 4 straddlers copied out (without the handle word) */
	CHECK_EQ(st.copy_bytes, 4 * (1568 - 8));
	copied = st.copy_bytes;
	CHECK(zs_pool_check(zp->pool, err, sizeof(err)) == 0);

	for (int i = 0; i < 13; i++) {
		unsigned char *p = zpool_map(zp, h[i], ZPOOL_MM_RO);

		CHECK(pattern_check(p, len, 100 + i));
		/* RO: a write through the mapping must not reach a straddling object */
		p[0] ^= 0xff;
		p[len - 1] ^= 0xff;
		zpool_unmap(zp, h[i]);
	}
	zpool_get_stats(zp, &st);
	CHECK_EQ(st.copy_bytes, copied + 4 * 1568);
	copied = st.copy_bytes;
	for (int i = 0; i < 13; i++) {
		unsigned char *p = zpool_map(zp, h[i], ZPOOL_MM_RO);
		bool straddles = i == 2 || i == 5 || i == 7 || i == 10;

		if (straddles) {
			CHECK(pattern_check(p, len, 100 + i));
		} else {
			/* direct mappings are the object itself */
			CHECK(!pattern_check(p, len, 100 + i));
			p[0] ^= 0xff;
			p[len - 1] ^= 0xff;
			CHECK(pattern_check(p, len, 100 + i));
		}
		zpool_unmap(zp, h[i]);
	}
	/* RW: copied in, modified in place, copied back */
	for (int i = 0; i < 13; i++) {
		unsigned char *p = zpool_map(zp, h[i], ZPOOL_MM_RW);
		unsigned char *tmp = malloc(len);

		CHECK(pattern_check(p, len, 100 + i));
		pattern_fill(tmp, len, 100 + i);
		for (size_t j = 0; j < len; j++)
			p[j] = tmp[j] ^ 0x5a;
		zpool_unmap(zp, h[i]);
		p = zpool_map(zp, h[i], ZPOOL_MM_RO);
		for (size_t j = 0; j < len; j++)
			if (p[j] != (tmp[j] ^ 0x5a)) {
				free(tmp);
				zpool_unmap(zp, h[i]);
				CHECK(!"RW mapping lost a write");
			}
		zpool_unmap(zp, h[i]);
		free(tmp);
	}
	/* handle words survived every copy-back */
	CHECK(zs_pool_check(zp->pool, err, sizeof(err)) == 0);
	for (int i = 0; i < 13; i++)
		zpool_free(zp, h[i]);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);
}

/* A huge object (one page) is mapped directly, with no handle word. */
TEST(zsmalloc_huge_objects)
{
	struct zpool *zp = mk("zsmalloc");
	unsigned long a, b;
	unsigned char *p;
	char err[256];

	CHECK(zp);
	CHECK_EQ(zpool_malloc(zp, 3625, &a), 0);
	CHECK_EQ(zpool_malloc(zp, 4096, &b), 0);
	CHECK_EQ(zpool_total_pages(zp), 2);
	p = zpool_map(zp, b, ZPOOL_MM_WO);
	CHECK_EQ((uintptr_t)p & 4095, 0);
	pattern_fill(p, 4096, 7);
	zpool_unmap(zp, b);
	pattern_fill(zpool_map(zp, a, ZPOOL_MM_WO), 3625, 8);
	zpool_unmap(zp, a);
	CHECK(zs_pool_check(zp->pool, err, sizeof(err)) == 0);
	CHECK(pattern_check(zpool_map(zp, b, ZPOOL_MM_RO), 4096, 7));
	zpool_unmap(zp, b);
	zpool_free(zp, a);
	zpool_free(zp, b);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);
}

struct obj {
	unsigned long handle;
	uint32_t size;
	uint64_t seed;
};

/* mostly compressed-page-like sizes, some tiny, some huge; @page / 4096 times larger */
static uint32_t pick_size_page(uint64_t *rng, uint32_t page)
{
	uint32_t k = page / 4096;

	switch (rng_below(rng, 8)) {
	case 0: return 1 + rng_below(rng, 64 * k);
	case 1: return 3500 * k + rng_below(rng, 596 * k + 1);
	default: return 200 * k + rng_below(rng, 3000 * k);
	}
}

static uint32_t pick_size(uint64_t *rng)
{
	return pick_size_page(rng, 4096);
}

static bool store(struct zpool *zp, struct obj *o, uint32_t size, uint64_t seed)
{
	if (zpool_malloc(zp, size, &o->handle))
		return false;
	o->size = size;
	o->seed = seed;
	pattern_fill(zpool_map(zp, o->handle, ZPOOL_MM_WO), size, seed);
	zpool_unmap(zp, o->handle);
	return true;
}

static bool verify(struct zpool *zp, const struct obj *o)
{
	bool ok = pattern_check(zpool_map(zp, o->handle, ZPOOL_MM_RO), o->size, o->seed);

	zpool_unmap(zp, o->handle);
	return ok;
}

/* Compaction frees exactly the pages zs_can_compact predicts, both compaction rules. */
static void compaction_prediction_page(const char *spec, uint32_t page)
{
	struct zpool *zp = mk(spec);
	enum { N = 30000 };
	struct obj *o = calloc(N, sizeof(*o));
	uint64_t rng = 42, before, predicted, freed;
	char err[256];

	CHECK(zp && o);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++)
			if (!o[i].handle)
				CHECK(store(zp, &o[i], pick_size_page(&rng, page), rng_next(&rng)));
		for (int i = 0; i < N; i++) {
			if (rng_below(&rng, 3) != 0) {
				CHECK(verify(zp, &o[i]));
				zpool_free(zp, o[i].handle);
				o[i].handle = 0;
			}
		}
		before = zpool_total_pages(zp);
		predicted = zs_pool_can_compact(zp->pool);
		CHECK(predicted > 0);
		freed = zpool_compact(zp);
		CHECK_EQ(freed, predicted);
		CHECK_EQ(zpool_total_pages(zp), before - freed);
		CHECK_EQ(zs_pool_can_compact(zp->pool), 0);
		CHECK(zs_pool_check(zp->pool, err, sizeof(err)) == 0);
		for (int i = 0; i < N; i++)
			if (o[i].handle)
				CHECK(verify(zp, &o[i]));
	}
	for (int i = 0; i < N; i++)
		if (o[i].handle)
			zpool_free(zp, o[i].handle);
	CHECK_EQ(zpool_total_pages(zp), 0);
	free(o);
	zpool_destroy(zp);
}

static void compaction_prediction(const char *spec)
{
	compaction_prediction_page(spec, 4096);
}

TEST(zsmalloc_compaction_frees_predicted_6_18)
{
	compaction_prediction("zsmalloc:kernel=6.18");
}

TEST(zsmalloc_compaction_frees_predicted_6_1)
{
	compaction_prediction("zsmalloc:kernel=6.1");
}

TEST(zsmalloc_compaction_frees_predicted_chain16_legacy)
{
	compaction_prediction("zsmalloc:chain=16,fullness=legacy");
}

/* A hand-checked compaction: two half-used zspages of class 1568 become one. */
TEST(zsmalloc_compaction_small_case)
{
	struct zpool *zp = mk("zsmalloc");
	struct obj o[26];
	struct zpool_stats st;
	char err[256];

	CHECK(zp);
	for (int i = 0; i < 26; i++)
		CHECK(store(zp, &o[i], 1560, i));
	CHECK_EQ(zpool_total_pages(zp), 10);
	/* free 7 of the first zspage and 7 of the second: 12 live, 14 free slots */
	for (int i = 0; i < 26; i++)
		if ((i % 13) < 7) {
			zpool_free(zp, o[i].handle);
			o[i].handle = 0;
		}
	CHECK_EQ(zs_pool_can_compact(zp->pool), 5);
	CHECK_EQ(zpool_compact(zp), 5);
	CHECK_EQ(zpool_total_pages(zp), 5);
	zpool_get_stats(zp, &st);
	CHECK_EQ(st.moves, 6);
	CHECK_EQ(st.move_bytes, 6 * 1568);
	CHECK_EQ(st.compact_pages_freed, 5);
	CHECK(zs_pool_check(zp->pool, err, sizeof(err)) == 0);
	for (int i = 0; i < 26; i++)
		if (o[i].handle) {
			CHECK(verify(zp, &o[i]));
			zpool_free(zp, o[i].handle);
		}
	zpool_destroy(zp);
}

/* Random operations with data verification and periodic invariant checks. */
static void randomized_page(const char *spec, long ops, uint64_t seed, uint32_t page)
{
	enum { N = 20000 };
	struct zpool *zp = mk(spec);
	struct obj *o = calloc(N, sizeof(*o));
	uint64_t rng = seed, live = 0;
	char err[256];

	CHECK(zp && o);
	for (long op = 0; op < ops; op++) {
		uint64_t i = rng_below(&rng, N);
		uint64_t r = rng_below(&rng, 1000);

		if (r == 0) {
			zpool_compact(zp);
		} else if (!o[i].handle) {
			CHECK(store(zp, &o[i], pick_size_page(&rng, page), op));
			live++;
		} else if (r < 500) {
			if (!verify(zp, &o[i])) {
				fprintf(stdout, "  op %ld: object %lu (%u bytes) corrupted\n", op,
					(unsigned long)i, o[i].size);
				CHECK(0);
			}
			zpool_free(zp, o[i].handle);
			o[i].handle = 0;
			live--;
		} else {
			CHECK(verify(zp, &o[i]));
		}
		if (op % 100000 == 99999) {
			if (zs_pool_check(zp->pool, err, sizeof(err))) {
				fprintf(stdout, "  op %ld: %s\n", op, err);
				CHECK(0);
			}
		}
	}
	CHECK(zs_pool_check(zp->pool, err, sizeof(err)) == 0);
	for (int i = 0; i < N; i++)
		if (o[i].handle) {
			CHECK(verify(zp, &o[i]));
			zpool_free(zp, o[i].handle);
		}
	CHECK_EQ(zpool_total_pages(zp), 0);
	CHECK(zs_pool_check(zp->pool, err, sizeof(err)) == 0);
	free(o);
	zpool_destroy(zp);
}

static void randomized(const char *spec, long ops, uint64_t seed)
{
	randomized_page(spec, ops, seed, 4096);
}

TEST(zsmalloc_random_1m_ops_6_18)
{
	randomized("zsmalloc", 1000000, 1);
}

TEST(zsmalloc_random_200k_ops_6_1)
{
	randomized("zsmalloc:kernel=6.1", 200000, 2);
}

TEST(zsmalloc_random_200k_ops_chain1_and_16)
{
	randomized("zsmalloc:chain=1", 200000, 3);
	CHECK_OK();
	randomized("zsmalloc:chain=16", 200000, 4);
}

/* Threads allocate, map, verify and free while another compacts. */
struct mt_arg {
	struct zpool *zp;
	uint64_t seed;
	int bad;
	int *stop;
};

static void *mt_worker(void *p)
{
	struct mt_arg *a = p;
	enum { N = 2000 };
	struct obj *o = calloc(N, sizeof(*o));
	uint64_t rng = a->seed;

	for (long op = 0; op < 150000 && o; op++) {
		uint64_t i = rng_below(&rng, N);

		if (!o[i].handle) {
			if (!store(a->zp, &o[i], pick_size(&rng), op * 64 + a->seed))
				a->bad++;
		} else {
			if (!verify(a->zp, &o[i]))
				a->bad++;
			if (rng_below(&rng, 2)) {
				zpool_free(a->zp, o[i].handle);
				o[i].handle = 0;
			}
		}
	}
	for (int i = 0; o && i < N; i++)
		if (o[i].handle) {
			if (!verify(a->zp, &o[i]))
				a->bad++;
			zpool_free(a->zp, o[i].handle);
		}
	free(o);
	return NULL;
}

static void *mt_compactor(void *p)
{
	struct mt_arg *a = p;

	while (!__atomic_load_n(a->stop, __ATOMIC_ACQUIRE))
		zpool_compact(a->zp);
	return NULL;
}

TEST(zsmalloc_threads_with_concurrent_compaction)
{
	struct zpool *zp = mk("zsmalloc");
	pthread_t t[4], c;
	struct mt_arg a[4], ca;
	int stop = 0;
	char err[256];

	CHECK(zp);
	ca = (struct mt_arg){ zp, 0, 0, &stop };
	pthread_create(&c, NULL, mt_compactor, &ca);
	for (int i = 0; i < 4; i++) {
		a[i] = (struct mt_arg){ zp, 1000 + i, 0, &stop };
		pthread_create(&t[i], NULL, mt_worker, &a[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(c, NULL);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(a[i].bad, 0);
	CHECK_EQ(zpool_total_pages(zp), 0);
	CHECK(zs_pool_check(zp->pool, err, sizeof(err)) == 0);
	zpool_destroy(zp);
}

TEST(zsmalloc_class_stats_table)
{
	struct zpool *zp = mk("zsmalloc");
	struct obj o[13];
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	CHECK(zp);
	for (int i = 0; i < 13; i++)
		CHECK(store(zp, &o[i], 1560, i));
	zpool_free(zp, o[0].handle);
	f = open_memstream(&buf, &len);
	zp->drv->class_stats(zp->pool, f);
	fclose(f);
	/* class 96 (1568 B): one zspage at 12/13 = 92% -> the 99% column */
	CHECK(strstr(buf, "    96  1568         0         0         0         0         0         0"
			  "         0         0         0         1         0            13         12"
			  "          5                5        0"));
	CHECK(strstr(buf, " Total"));
	free(buf);
	for (int i = 1; i < 13; i++)
		zpool_free(zp, o[i].handle);
	zpool_destroy(zp);
}

/* ---- other page sizes ---- */

TEST(zsmalloc_16k_class_table)
{
	struct zs_class_desc t[ZS_SIZE_CLASSES_MAX];
	unsigned int map[ZS_SIZE_CLASSES_MAX];
	size_t huge;
	int n;

	/* step 16384 >> 8 = 64: slots 32, 96, ... 16,352 and 16,384 (clamped): 257 */
	CHECK_EQ(zs_size_classes(4096), 255);
	CHECK_EQ(zs_size_classes(16384), 257);
	CHECK_EQ(zs_size_classes(65536), 257);
	n = zs_build_class_table_page(16384, 8, false, t, map, &huge);
	CHECK_EQ(n, 121);
	/* 32 B: a power of two, 1 page, 512 objects */
	CHECK_EQ(t[0].size, 32);
	CHECK_EQ(t[0].pages, 1);
	CHECK_EQ(t[0].objs, 512);
	/* 96 B: 3 * 16384 is 512 objects exactly */
	CHECK_EQ(t[map[1]].size, 96);
	CHECK_EQ(t[map[1]].pages, 3);
	CHECK_EQ(t[map[1]].objs, 512);
	/* 1568 B (slot 24): least waste at 7 pages (224 B), 73 objects */
	CHECK_EQ(t[map[24]].size, 1568);
	CHECK_EQ(t[map[24]].index, 24);
	CHECK_EQ(t[map[24]].pages, 7);
	CHECK_EQ(t[map[24]].objs, 73);
	/* the largest multi-object class: 14,560 B, 8 pages, 9 objects (32 B waste) */
	CHECK_EQ(t[map[227]].size, 14560);
	CHECK_EQ(t[map[227]].pages, 8);
	CHECK_EQ(t[map[227]].objs, 9);
	CHECK(!t[map[227]].huge);
	CHECK(t[map[228]].huge);
	CHECK_EQ(t[map[228]].size, 16384);
	CHECK_EQ(t[n - 1].size, 16384);
	CHECK_EQ(t[n - 1].index, 256);
	CHECK_EQ(huge, 14560 - 7);
	/* 6.1 (max-used rule, 4 pages): 13,088 B in 4 pages / 5 objects is the last */
	n = zs_build_class_table_page(16384, 4, true, t, map, &huge);
	CHECK_EQ(n, 70);
	CHECK_EQ(huge, 13088 - 7);
	CHECK_EQ(t[map[204]].size, 13088);
	CHECK_EQ(t[map[204]].pages, 4);
	/* 64 KiB, chain 8: step 256, the last multi-object class 58,144 B */
	n = zs_build_class_table_page(65536, 8, false, t, map, &huge);
	CHECK_EQ(n, 123);
	CHECK_EQ(huge, 58144 - 7);
}

TEST(zsmalloc_16k_size_lookup)
{
	/* size + 8: slot 0 up to 24 B, then 64-byte steps, capped at 256 */
	CHECK_EQ(zs_size_class_index_page(16384, 24 + 8), 0);
	CHECK_EQ(zs_size_class_index_page(16384, 25 + 8), 1);
	CHECK_EQ(zs_size_class_index_page(16384, 88 + 8), 1);
	CHECK_EQ(zs_size_class_index_page(16384, 89 + 8), 2);
	CHECK_EQ(zs_size_class_index_page(16384, 14552 + 8), 227);
	CHECK_EQ(zs_size_class_index_page(16384, 14553 + 8), 228);
	CHECK_EQ(zs_size_class_index_page(16384, 16384 + 8), 256);
	CHECK_EQ(zs_size_class_index_page(65536, 65536 + 8), 256);
	CHECK_EQ(zs_size_class_index_page(4096, 4096 + 8), 254);
}

TEST(zsmalloc_16k_pool)
{
	static const struct {
		const char *spec;
		size_t huge;
		int classes;
	} cases[] = {
		{ "zsmalloc:page=16384", 14553, 121 },
		{ "zsmalloc:kernel=6.12,page=16384", 14553, 121 },
		{ "zsmalloc:kernel=6.12", 3625, 119 },
		{ "zsmalloc:kernel=6.1,page=16384", 13081, 70 },
		{ "zsmalloc:page=65536", 58137, 123 },
	};
	struct zs_class_desc t[ZS_SIZE_CLASSES_MAX];
	unsigned long h[600];
	struct zpool *zp;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		zp = mk(cases[i].spec);
		CHECK(zp);
		CHECK_EQ(zpool_huge_size(zp), cases[i].huge);
		CHECK_EQ(zs_pool_classes(zp->pool, t, ZS_SIZE_CLASSES_MAX), cases[i].classes);
		zpool_destroy(zp);
	}

	zp = mk("zsmalloc:page=16384");
	CHECK(zp);
	CHECK_EQ(zpool_page_size(zp), 16384);
	CHECK_EQ(zpool_malloc(zp, 16385, &h[0]), -ENOSPC);
	/* 14,552 B (+8) is the 14,560 class: a zspage of 8 pages for 9 objects */
	for (int i = 0; i < 10; i++)
		CHECK_EQ(zpool_malloc(zp, 14552, &h[i]), 0);
	CHECK_EQ(zpool_total_pages(zp), 16);
	/* one byte more is huge: a page each */
	CHECK_EQ(zpool_malloc(zp, 14553, &h[10]), 0);
	CHECK_EQ(zpool_malloc(zp, 16384, &h[11]), 0);
	CHECK_EQ(zpool_total_pages(zp), 18);
	for (int i = 0; i < 12; i++)
		zpool_free(zp, h[i]);
	CHECK_EQ(zpool_total_pages(zp), 0);
	/* 24 B (+8) is the 32 B class: 512 objects in one page, the 513th opens another */
	for (int i = 0; i < 513 && i < 600; i++)
		CHECK_EQ(zpool_malloc(zp, 24, &h[i]), 0);
	CHECK_EQ(zpool_total_pages(zp), 2);
	CHECK(zs_pool_check(zp->pool, err, sizeof(err)) == 0);
	for (int i = 0; i < 513; i++)
		zpool_free(zp, h[i]);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);
}

TEST(zsmalloc_16k_straddling_and_compaction)
{
	struct zpool *zp = mk("zsmalloc:page=16384");
	struct obj o[64];
	char err[256];

	CHECK(zp);
	/* 1560 B (+8) is the 1568 class, 73 objects over 7 pages: some straddle */
	for (int i = 0; i < 64; i++)
		CHECK(store(zp, &o[i], 1560, 100 + i));
	for (int i = 0; i < 64; i++)
		CHECK(verify(zp, &o[i]));
	CHECK_EQ(zpool_total_pages(zp), 7);
	CHECK(zs_pool_check(zp->pool, err, sizeof(err)) == 0);
	zpool_destroy(zp);
	compaction_prediction_page("zsmalloc:page=16384", 16384);
	CHECK_OK();
	compaction_prediction_page("zsmalloc:kernel=6.1,page=16384", 16384);
}

TEST(zsmalloc_random_200k_ops_16k_and_64k)
{
	randomized_page("zsmalloc:page=16384", 200000, 5, 16384);
	CHECK_OK();
	randomized_page("zsmalloc:kernel=6.1,page=16384", 100000, 6, 16384);
	CHECK_OK();
	randomized_page("zsmalloc:page=65536", 50000, 7, 65536);
}
