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
	case 0:
		return 1 + rng_below(rng, 64 * k);
	case 1:
		return 3500 * k + rng_below(rng, 596 * k + 1);
	default:
		return 200 * k + rng_below(rng, 3000 * k);
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

/*
 * Compaction frees exactly the pages zs_can_compact predicts, both
 * compaction rules; the objects its three compactions moved in @moves (if
 * not NULL).
 */
static void compaction_prediction_moves(const char *spec, uint32_t page, uint64_t *moves)
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
	if (moves) {
		struct zpool_stats st;

		zpool_get_stats(zp, &st);
		*moves = st.moves;
	}
	for (int i = 0; i < N; i++)
		if (o[i].handle)
			zpool_free(zp, o[i].handle);
	CHECK_EQ(zpool_total_pages(zp), 0);
	free(o);
	zpool_destroy(zp);
}

static void compaction_prediction_page(const char *spec, uint32_t page)
{
	compaction_prediction_moves(spec, page, NULL);
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

/*
 * compact=classic|current picks the compaction loop on any preset.  Both
 * free what zs_can_compact predicts.  With the four legacy groups the
 * classic loop moves objects back and forth (a destination put back at the
 * head of a group is the next source: the 2023 rework's "avalanche"), so it
 * moves more objects.
 */
TEST(zsmalloc_compact_key)
{
	uint64_t classic = 0, current = 0;

	compaction_prediction_moves("zsmalloc:fullness=legacy,compact=classic", 4096, &classic);
	CHECK_OK();
	compaction_prediction_moves("zsmalloc:fullness=legacy", 4096, &current);
	CHECK_OK();
	fprintf(stdout, "  legacy groups: %llu moves classic, %llu current\n",
		(unsigned long long)classic, (unsigned long long)current);
	CHECK(current > 0);
	CHECK(classic > current);
	CHECK_OK();
	compaction_prediction("zsmalloc:compact=classic");
	CHECK_OK();
	compaction_prediction("zsmalloc:kernel=6.1,compact=current");
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

/*
 * merge=0: the pool before Joonsoo Kim's class merging (3.18), every slot
 * its own class with the geometry its merged class has.  Filled with the
 * same objects, it never holds fewer pages than the merged pool: a merged
 * class needs ceil(sum n / objs) zspages where the separate slots need the
 * sum of ceil(n / objs).
 */
static void merge_off_page(const char *merged_spec, const char *spec, uint32_t page, uint64_t seed)
{
	static struct zs_class_desc t0[ZS_SIZE_CLASSES_MAX], t1[ZS_SIZE_CLASSES_MAX];
	static struct obj o[20000];
	struct zpool *zm = mk(merged_spec), *z0 = mk(spec);
	struct zs_geometry g0;
	unsigned long h;
	uint64_t rng = seed;
	int n0, n1, c = 0, n = (int)(sizeof(o) / sizeof(o[0]));
	bool above = false;
	char err[256];

	CHECK(zm && z0);
	zs_pool_geometry(z0->pool, &g0);
	n0 = zs_pool_classes(z0->pool, t0, ZS_SIZE_CLASSES_MAX);
	n1 = zs_pool_classes(zm->pool, t1, ZS_SIZE_CLASSES_MAX);
	CHECK_EQ((unsigned int)n0, zs_geo_slots(&g0));
	CHECK(n1 < n0);
	CHECK_EQ(zpool_huge_size(z0), zpool_huge_size(zm));
	for (int j = 0; j < n0; j++) {
		CHECK_EQ(t0[j].index, (unsigned int)j);
		while (c < n1 && t1[c].index < (unsigned int)j)
			c++;
		CHECK(c < n1);
		CHECK_EQ(t0[j].pages, t1[c].pages);
		CHECK_EQ(t0[j].objs, t1[c].objs);
	}
	for (int i = 0; i < n; i++) {
		uint32_t size = pick_size_page(&rng, page);

		CHECK(store(z0, &o[i], size, seed + (uint64_t)i));
		CHECK_EQ(zpool_malloc(zm, size, &h), 0);
		CHECK(zpool_total_pages(z0) >= zpool_total_pages(zm));
		above |= zpool_total_pages(z0) > zpool_total_pages(zm);
	}
	CHECK(above);
	for (int i = 0; i < n; i++)
		CHECK(verify(z0, &o[i]));
	CHECK_EQ(zs_pool_check(z0->pool, err, sizeof(err)), 0);
	for (int i = 0; i < n; i++)
		zpool_free(z0, o[i].handle);
	CHECK_EQ(zpool_total_pages(z0), 0);
	zpool_destroy(z0);
	zpool_destroy(zm);
}

TEST(zsmalloc_merge_off)
{
	merge_off_page("zsmalloc", "zsmalloc:merge=0", 4096, 11);
	CHECK_OK();
	merge_off_page("zsmalloc:kernel=6.1", "zsmalloc:kernel=6.1,merge=0", 4096, 12);
	CHECK_OK();
	merge_off_page("zsmalloc:page=16384", "zsmalloc:page=16384,merge=0", 16384, 13);
	CHECK_OK();
	randomized("zsmalloc:kernel=6.1,merge=0", 200000, 14);
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

/* ---- the 2026 class-step RFC (kernel=rfc2026) and the multi-page RFC (mp=N) ---- */

/*
 * Independent tables: computed by a colleague's script from the postings'
 * rules (no kernel code), /work/scratch/research-units/class_tables.txt,
 * format index:size/pages p/objects o (for mp classes, pages are blocks).
 */
/* page=4096 preset=rfc12 delta=16 chain_max=8 slots=255 distinct=128 huge_class_size=3625 */
static const char table_rfc2026_4k[] =
	"0:32/1p/128o 1:48/1p/85o 2:64/1p/64o 3:80/1p/51o 4:96/1p/42o 5:112/1p/36o 6:128/1p/32o "
	"7:144/1p/28o 8:160/2p/51o 9:176/1p/23o 10:192/1p/21o 11:208/2p/39o 12:224/1p/18o "
	"13:240/1p/17o 14:256/1p/16o 15:272/1p/15o 16:288/1p/14o 17:304/7p/94o 18:320/3p/38o "
	"19:336/1p/12o 20:352/2p/23o 21:368/1p/11o 22:384/2p/21o 23:400/1p/10o 24:416/4p/39o "
	"26:448/1p/9o 27:464/4p/35o 28:480/2p/17o 29:496/4p/33o 30:512/1p/8o 31:528/3p/23o "
	"32:544/2p/15o 33:560/7p/51o 34:576/1p/7o 35:592/7p/48o 36:608/3p/20o 37:624/2p/13o "
	"38:640/3p/19o 40:672/1p/6o 41:688/7p/41o 42:704/4p/23o 43:720/3p/17o 44:736/2p/11o "
	"45:752/5p/27o 46:768/3p/16o 47:784/5p/26o 49:816/1p/5o 50:832/8p/39o 51:848/5p/24o "
	"52:864/3p/14o 54:896/2p/9o 55:912/3p/13o 56:928/5p/22o 57:944/3p/13o 58:960/4p/17o "
	"59:976/1p/4o 60:992/8p/33o 62:1024/1p/4o 63:1040/7p/27o 64:1056/6p/23o 65:1072/5p/19o "
	"66:1088/4p/15o 67:1104/3p/11o 68:1120/2p/7o 69:1136/5p/18o 71:1168/2p/7o 72:1184/7p/24o "
	"73:1200/5p/17o 74:1216/3p/10o 75:1232/1p/3o 76:1248/4p/13o 77:1264/1p/3o 78:1280/5p/16o "
	"83:1360/1p/3o 84:1376/4p/11o 85:1392/7p/20o 86:1408/8p/23o 87:1424/6p/17o 89:1456/5p/14o "
	"91:1488/4p/11o 92:1504/7p/19o 94:1536/3p/8o 96:1568/5p/13o 97:1584/7p/18o 100:1632/2p/5o "
	"101:1648/3p/7o 102:1664/7p/17o 104:1696/5p/12o 107:1744/3p/7o 108:1760/4p/9o "
	"109:1776/7p/16o 111:1808/4p/9o 114:1856/5p/11o 116:1888/6p/13o 117:1904/7p/15o "
	"118:1920/8p/17o 126:2048/1p/2o 129:2096/5p/9o 130:2112/8p/15o 131:2128/7p/13o "
	"133:2160/8p/15o 135:2192/7p/13o 137:2224/6p/11o 140:2272/5p/9o 144:2336/4p/7o "
	"145:2352/3p/5o 147:2384/7p/12o 151:2448/3p/5o 152:2464/2p/3o 155:2512/8p/13o "
	"158:2560/5p/8o 160:2592/7p/11o 168:2720/2p/3o 170:2752/5p/7o 171:2768/3p/4o "
	"177:2864/7p/10o 180:2912/5p/7o 182:2944/3p/4o 184:2976/8p/11o 190:3072/3p/4o "
	"193:3120/4p/5o 197:3184/7p/9o 202:3264/4p/5o 211:3408/5p/6o 217:3504/6p/7o 222:3584/7p/8o "
	"225:3632/8p/9o 254:4096/1p/1o";

/* page=16384 preset=rfc12 delta=16 chain_max=8 slots=1023 distinct=279 huge_class_size=14553 */
static const char table_rfc2026_16k[] =
	"0:32/1p/512o 1:48/1p/341o 2:64/1p/256o 3:80/1p/204o 4:96/1p/170o 5:112/1p/146o "
	"6:128/1p/128o 7:144/1p/113o 8:160/1p/102o 9:176/1p/93o 10:192/1p/85o 11:208/1p/78o "
	"12:224/1p/73o 13:240/1p/68o 14:256/1p/64o 15:272/1p/60o 16:288/1p/56o 17:304/4p/215o "
	"18:320/1p/51o 19:336/1p/48o 20:352/1p/46o 21:368/1p/44o 22:384/1p/42o 23:400/8p/327o "
	"24:416/1p/39o 25:432/5p/189o 26:448/1p/36o 27:464/1p/35o 28:480/1p/34o 29:496/1p/33o "
	"30:512/1p/32o 31:528/1p/31o 32:544/1p/30o 33:560/1p/29o 34:576/1p/28o 35:592/2p/55o "
	"36:608/6p/161o 37:624/1p/26o 38:640/2p/51o 40:672/1p/24o 41:688/3p/71o 42:704/1p/23o "
	"43:720/2p/45o 44:736/1p/22o 45:752/2p/43o 46:768/1p/21o 47:784/4p/83o 49:816/1p/20o "
	"50:832/2p/39o 51:848/1p/19o 52:864/8p/151o 53:880/2p/37o 54:896/1p/18o 55:912/8p/143o "
	"56:928/2p/35o 57:944/3p/52o 58:960/1p/17o 59:976/3p/50o 60:992/2p/33o 62:1024/1p/16o "
	"63:1040/3p/47o 64:1056/2p/31o 65:1072/4p/61o 66:1088/1p/15o 67:1104/3p/44o 68:1120/2p/29o "
	"69:1136/3p/43o 71:1168/1p/14o 72:1184/3p/41o 73:1200/2p/27o 74:1216/7p/94o 75:1232/4p/53o "
	"76:1248/1p/13o 77:1264/8p/103o 78:1280/3p/38o 79:1296/2p/25o 80:1312/1p/12o "
	"81:1328/3p/37o 83:1360/1p/12o 84:1376/4p/47o 85:1392/3p/35o 87:1424/2p/23o 88:1440/3p/34o "
	"89:1456/4p/45o 91:1488/1p/11o 92:1504/4p/43o 93:1520/3p/32o 95:1552/2p/21o 96:1568/5p/52o "
	"97:1584/3p/31o 100:1632/1p/10o 101:1648/6p/59o 102:1664/4p/39o 103:1680/3p/29o "
	"105:1712/2p/19o 106:1728/1p/9o 107:1744/3p/28o 108:1760/7p/65o 109:1776/5p/46o "
	"111:1808/1p/9o 112:1824/2p/17o 113:1840/5p/44o 114:1856/4p/35o 116:1888/3p/26o "
	"118:1920/2p/17o 119:1936/5p/42o 120:1952/3p/25o 121:1968/1p/8o 122:1984/4p/33o "
	"126:2048/1p/8o 128:2080/6p/47o 129:2096/4p/31o 131:2128/3p/23o 132:2144/5p/38o "
	"134:2176/2p/15o 135:2192/7p/52o 137:2224/3p/22o 138:2240/7p/51o 139:2256/4p/29o "
	"140:2272/5p/36o 144:2336/1p/7o 145:2352/2p/13o 146:2368/7p/48o 147:2384/5p/34o "
	"149:2416/4p/27o 151:2448/3p/20o 152:2464/8p/53o 153:2480/5p/33o 155:2512/2p/13o "
	"156:2528/1p/6o 157:2544/5p/32o 159:2576/3p/19o 160:2592/1p/6o 161:2608/4p/25o "
	"162:2624/1p/6o 163:2640/5p/31o 164:2656/6p/37o 165:2672/8p/49o 168:2720/1p/6o "
	"169:2736/2p/11o 171:2768/7p/41o 172:2784/6p/35o 173:2800/5p/29o 175:2832/4p/23o "
	"178:2880/3p/17o 179:2896/2p/11o 180:2912/5p/28o 184:2976/2p/11o 185:2992/7p/38o "
	"186:3008/5p/27o 190:3072/3p/16o 193:3120/4p/21o 194:3136/5p/26o 195:3152/1p/5o "
	"196:3168/6p/31o 197:3184/7p/36o 202:3264/1p/5o 204:3296/2p/9o 205:3312/7p/34o "
	"206:3328/8p/39o 208:3360/6p/29o 210:3392/5p/24o 213:3440/4p/19o 217:3504/3p/14o "
	"218:3520/2p/9o 220:3552/5p/23o 225:3632/2p/9o 226:3648/3p/13o 227:3664/7p/31o "
	"230:3712/5p/22o 234:3776/3p/13o 235:3792/1p/4o 238:3840/4p/17o 239:3856/1p/4o "
	"241:3888/5p/21o 242:3904/1p/4o 243:3920/6p/25o 244:3936/1p/4o 245:3952/7p/29o "
	"246:3968/8p/33o 254:4096/1p/4o 256:4128/3p/11o 257:4144/8p/31o 258:4160/7p/27o "
	"259:4176/8p/31o 261:4208/7p/27o 263:4240/6p/23o 266:4288/5p/19o 271:4368/4p/15o "
	"277:4464/3p/11o 278:4480/2p/7o 279:4496/8p/29o 282:4544/5p/18o 283:4560/2p/7o "
	"284:4576/7p/25o 290:4672/2p/7o 292:4704/3p/10o 294:4736/7p/24o 299:4816/5p/17o "
	"300:4832/8p/27o 305:4912/3p/10o 306:4928/1p/3o 308:4960/7p/23o 313:5040/4p/13o "
	"314:5056/1p/3o 318:5120/5p/16o 321:5168/6p/19o 322:5184/1p/3o 323:5200/7p/22o "
	"324:5216/1p/3o 325:5232/8p/25o 339:5456/1p/3o 343:5520/4p/11o 344:5536/3p/8o "
	"345:5552/8p/23o 347:5584/7p/20o 350:5632/8p/23o 353:5680/7p/20o 357:5744/6p/17o "
	"363:5840/5p/14o 370:5952/4p/11o 372:5984/3p/8o 375:6032/7p/19o 382:6144/3p/8o "
	"383:6160/2p/5o 385:6192/8p/21o 391:6288/5p/13o 393:6320/2p/5o 396:6368/7p/18o "
	"407:6544/2p/5o 411:6608/3p/7o 417:6704/7p/17o 424:6816/5p/12o 426:6848/3p/7o "
	"429:6896/8p/19o 436:7008/3p/7o 440:7072/4p/9o 445:7152/7p/16o 453:7280/4p/9o "
	"463:7440/5p/11o 465:7472/1p/2o 470:7552/6p/13o 472:7584/1p/2o 475:7632/7p/15o "
	"476:7648/1p/2o 479:7696/8p/17o 510:8192/1p/2o 524:8416/5p/9o 526:8448/8p/15o "
	"532:8544/7p/13o 540:8672/8p/15o 547:8784/7p/13o 556:8928/6p/11o 566:9088/5p/9o "
	"583:9360/4p/7o 587:9424/3p/5o 595:9552/7p/12o 612:9824/3p/5o 617:9904/2p/3o "
	"627:10064/8p/13o 638:10240/5p/8o 641:10288/2p/3o 649:10416/7p/11o 680:10912/2p/3o "
	"689:11056/5p/7o 692:11104/3p/4o 714:11456/7p/10o 729:11696/5p/7o 734:11776/3p/4o "
	"742:11904/8p/11o 766:12288/3p/4o 778:12480/4p/5o 794:12736/7p/9o 817:13104/4p/5o "
	"851:13648/5p/6o 875:14032/6p/7o 894:14336/7p/8o 908:14560/8p/9o 1022:16384/1p/1o";

/* multipage-RFCv3 page=4096 order=2 slots=255+193 distinct=177 huge_base=3625 huge_mp=14521 */
static const char table_mp2_multi[] =
	"257:4224/8p/31o 258:4288/5p/19o 259:4352/4p/15o 260:4416/3p/11o 261:4480/8p/29o "
	"262:4544/5p/18o 264:4672/2p/7o 265:4736/7p/24o 266:4800/5p/17o 267:4864/3p/10o "
	"268:4928/7p/23o 269:4992/4p/13o 271:5120/5p/16o 272:5184/7p/22o 276:5440/1p/3o "
	"280:5696/8p/23o 281:5760/6p/17o 282:5824/5p/14o 284:5952/4p/11o 285:6016/7p/19o "
	"287:6144/3p/8o 288:6208/8p/21o 289:6272/5p/13o 290:6336/7p/18o 293:6528/2p/5o "
	"296:6720/7p/17o 297:6784/5p/12o 298:6848/8p/19o 300:6976/3p/7o 303:7168/7p/16o "
	"304:7232/4p/9o 307:7424/5p/11o 309:7552/6p/13o 310:7616/7p/15o 311:7680/8p/17o "
	"319:8192/1p/2o 327:8704/8p/15o 328:8768/7p/13o 330:8896/6p/11o 333:9088/5p/9o "
	"337:9344/4p/7o 340:9536/7p/12o 344:9792/3p/5o 348:10048/8p/13o 351:10240/5p/8o "
	"353:10368/7p/11o 361:10880/2p/3o 370:11456/7p/10o 373:11648/5p/7o 377:11904/8p/11o "
	"383:12288/3p/4o 390:12736/7p/9o 395:13056/4p/5o 404:13632/5p/6o 410:14016/6p/7o "
	"415:14336/7p/8o 418:14528/8p/9o 447:16384/1p/1o";

/* Compare @list with the classes of @t from position @from on, entry by entry. */
static void check_list(const struct zs_class_desc *t, int n, int from, const char *list)
{
	const char *s = list;
	int i = from;

	while (*s) {
		unsigned int idx, size, pages, objs;
		int used;

		CHECK(sscanf(s, "%u:%u/%up/%uo%n", &idx, &size, &pages, &objs, &used) == 4);
		CHECK(i < n);
		if (t[i].index != idx || t[i].size != size || t[i].pages != pages ||
		    t[i].objs != objs)
			zt_fail(__FILE__, __LINE__,
				"class %d: %u:%u/%up/%uo, expected %u:%u/%up/%uo", i, t[i].index,
				t[i].size, t[i].pages, t[i].objs, idx, size, pages, objs);
		CHECK_OK();
		s += used;
		while (*s == ' ')
			s++;
		i++;
	}
	CHECK_EQ(i, n);
}

static struct zs_geometry geo(size_t page, unsigned int chain, enum zs_chain_rule rule,
			      unsigned int delta, unsigned int mp)
{
	return (struct zs_geometry){
		.page = page, .chain = chain, .rule = rule, .delta = delta, .mp_order = mp
	};
}

TEST(zsmalloc_rfc2026_tables_match_the_computed_ones)
{
	static struct zs_class_desc t[ZS_SIZE_CLASSES_MAX];
	struct zs_geometry g = geo(4096, 8, ZS_CHAIN_RFC2026, 16, 0);
	size_t huge[2];
	int n;

	n = zs_build_table(&g, t, NULL, huge);
	CHECK_EQ(n, 128);
	check_list(t, n, 0, table_rfc2026_4k);
	CHECK_EQ(huge[0], 3625);
	CHECK_EQ(huge[1], 0);
	g = geo(16384, 8, ZS_CHAIN_RFC2026, 16, 0);
	CHECK_EQ(zs_geo_slots(&g), 1023);
	n = zs_build_table(&g, t, NULL, huge);
	CHECK_EQ(n, 279);
	check_list(t, n, 0, table_rfc2026_16k);
	CHECK_EQ(huge[0], 14553);
}

/*
 * The class counts the RFC's change gives (chain 8), and its mean chain
 * length over the 255 slots on 4 KiB pages: 3.71 pages instead of 4.57
 * (allocators.md 4.2).
 */
TEST(zsmalloc_rfc2026_class_counts)
{
	static const struct {
		size_t page;
		enum zs_chain_rule rule;
		unsigned int delta;
		int classes;
		size_t huge;
		unsigned int mean_x100; /* mean pages per zspage over the slots */
	} cases[] = {
		{ 4096, ZS_CHAIN_MIN_WASTE, 16, 119, 3625, 457 },  /* merged (= 1/2 at 4 KiB) */
		{ 4096, ZS_CHAIN_RFC2026, 16, 128, 3625, 371 },	   /* 1/2 + 2/2 */
		{ 16384, ZS_CHAIN_MIN_WASTE, 64, 121, 14553, 0 },  /* merged */
		{ 16384, ZS_CHAIN_MIN_WASTE, 16, 264, 14553, 0 },  /* 1/2 alone */
		{ 16384, ZS_CHAIN_RFC2026, 16, 279, 14553, 0 },	   /* 1/2 + 2/2 */
		{ 65536, ZS_CHAIN_MIN_WASTE, 256, 123, 58137, 0 }, /* merged */
	};
	static struct zs_class_desc t[ZS_SIZE_CLASSES_MAX];
	static unsigned int map[ZS_SIZE_CLASSES_MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zs_geometry g = geo(cases[i].page, 8, cases[i].rule, cases[i].delta, 0);
		size_t huge[2];
		int n = zs_build_table(&g, t, map, huge);
		unsigned int sum = 0;

		CHECK_EQ(n, cases[i].classes);
		CHECK_EQ(huge[0], cases[i].huge);
		for (unsigned int s = 0; s < zs_geo_slots(&g); s++)
			sum += t[map[s]].pages;
		if (cases[i].mean_x100)
			CHECK_EQ((sum * 100 + zs_geo_slots(&g) / 2) / zs_geo_slots(&g),
				 cases[i].mean_x100);
	}
}

/*
 * The RFC's example (cover letter of 1/2): 16 KiB pages, chain 8, lookup
 * size ("Log", the object plus its 8-byte handle) 1,072 B.  Merged table:
 * the 1,120-byte class, 8 pages, 117 objects, 32 B of tail, and (1120 -
 * 1072) x 117 = 5,616 B lost to the class step per zspage.  Patch 1/2
 * (step 16, the old chain rule): its own class, 4 pages, 61 objects, 144 B
 * of tail, nothing lost; the other rows of the example too.  With 2/2 as
 * well, 1,104 and 1,120 get shorter chains.
 */
TEST(zsmalloc_rfc2026_example)
{
	static const struct {
		const char *spec;
		unsigned int lookup, size, pages, objs, tail, merge_waste;
	} rows[] = {
		{ "zsmalloc:page=16384", 1072, 1120, 8, 117, 32, 5616 },
		{ "zsmalloc:page=16384", 1088, 1120, 8, 117, 32, 3744 },
		{ "zsmalloc:page=16384", 1104, 1120, 8, 117, 32, 1872 },
		{ "zsmalloc:kernel=rfc2026-p1,page=16384", 1072, 1072, 4, 61, 144, 0 },
		{ "zsmalloc:kernel=rfc2026-p1,page=16384", 1088, 1088, 1, 15, 64, 0 },
		{ "zsmalloc:kernel=rfc2026-p1,page=16384", 1104, 1104, 6, 89, 48, 0 },
		{ "zsmalloc:kernel=rfc2026-p1,page=16384", 1120, 1120, 8, 117, 32, 0 },
		{ "zsmalloc:kernel=rfc2026,page=16384", 1072, 1072, 4, 61, 144, 0 },
		{ "zsmalloc:kernel=rfc2026,page=16384", 1088, 1088, 1, 15, 64, 0 },
		{ "zsmalloc:kernel=rfc2026,page=16384", 1104, 1104, 3, 44, 576, 0 },
		{ "zsmalloc:kernel=rfc2026,page=16384", 1120, 1120, 2, 29, 288, 0 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct zpool *zp = mk(rows[i].spec);
		static struct zs_class_desc t[ZS_SIZE_CLASSES_MAX];
		unsigned long h[200];
		struct zs_geometry g;
		const struct zs_class_desc *c = NULL;
		struct zpool_stats st;
		int n;

		CHECK(zp);
		zs_pool_geometry(zp->pool, &g);
		n = zs_pool_classes(zp->pool, t, ZS_SIZE_CLASSES_MAX);
		/* a slot maps to the next distinct class at or above it */
		for (int j = 0; j < n && !c; j++)
			if (t[j].index >= zs_geo_index(&g, rows[i].lookup))
				c = &t[j];
		CHECK(c);
		CHECK_EQ(c->size, rows[i].size);
		CHECK_EQ(c->pages, rows[i].pages);
		CHECK_EQ(c->objs, rows[i].objs);
		CHECK_EQ(c->pages * 16384 - c->objs * c->size, rows[i].tail);
		CHECK_EQ((c->size - rows[i].lookup) * c->objs, rows[i].merge_waste);
		/* and the pool does it: objs objects of lookup - 8 bytes fill one zspage */
		for (unsigned int k = 0; k < c->objs; k++)
			CHECK_EQ(zpool_malloc(zp, rows[i].lookup - 8, &h[k]), 0);
		CHECK_EQ(zpool_total_pages(zp), rows[i].pages);
		zpool_get_stats(zp, &st);
		CHECK_EQ(st.alloc_bytes, (uint64_t)c->objs * c->size);
		CHECK_EQ(zpool_malloc(zp, rows[i].lookup - 8, &h[c->objs]), 0);
		CHECK_EQ(zpool_total_pages(zp), 2 * rows[i].pages);
		for (unsigned int k = 0; k <= c->objs; k++)
			zpool_free(zp, h[k]);
		CHECK_EQ(zpool_total_pages(zp), 0);
		zpool_destroy(zp);
	}
}

/*
 * 2/2's rule, written out: k = 1 is always taken (the posted code's INT_MAX
 * start overflows in its first comparisons; every reading of it takes
 * k = 1), a zero waste returns at once, a wasteful best (> 10 %) takes any
 * improvement, an efficient one only a > 25 % one, and <= 1/64 stops.
 */
TEST(zsmalloc_rfc2026_chain_rule)
{
	/* 4080 at 4 KiB: k = 1 wastes 16 B <= 4096 / 64: taken, and the loop stops */
	CHECK_EQ(zs_chain_size(ZS_CHAIN_RFC2026, 4096, 4080, 8), 1);
	CHECK_EQ(zs_chain_size(ZS_CHAIN_MIN_WASTE, 4096, 4080, 8), 1);
	/* 3072: 3 pages waste nothing */
	CHECK_EQ(zs_chain_size(ZS_CHAIN_RFC2026, 4096, 3072, 8), 3);
	/* a power of two: 1 */
	CHECK_EQ(zs_chain_size(ZS_CHAIN_RFC2026, 16384, 2048, 8), 1);
	/*
	 * 1120 at 16 KiB: k = 1 wastes 704 (4.3 %, efficient); k = 2 wastes
	 * 288, a 59 % cut: taken; 288 * 64 <= 2 * 16384: stop.  Min-waste goes
	 * on to k = 8 (32 B).
	 */
	CHECK_EQ(zs_chain_size(ZS_CHAIN_RFC2026, 16384, 1120, 8), 2);
	CHECK_EQ(zs_chain_size(ZS_CHAIN_MIN_WASTE, 16384, 1120, 8), 8);
	/*
	 * 1104 at 16 KiB: wastes 928, 752, 576 for k = 1..3.  928 is 5.7 % of a
	 * page (efficient), so only a cut by more than a quarter counts: 752 * 4
	 * = 3008 is not below 928 * 3 = 2784, 576 * 4 = 2304 is; then 576 * 64
	 * <= 3 * 16384 stops the loop: 3 pages, 44 objects (min-waste: 6).
	 */
	CHECK_EQ(zs_chain_size(ZS_CHAIN_RFC2026, 16384, 1104, 8), 3);
	CHECK_EQ(zs_chain_size(ZS_CHAIN_MIN_WASTE, 16384, 1104, 8), 6);
	/*
	 * 4 KiB, 304 B: wastes 144 (3.5 %), 288, 128, 272, 112, 256, 96 for
	 * k = 1..7: 128 and 112 are no 25 % cut of 144, 96 * 4 = 384 < 432 is
	 * (k = 7, 94 objects), as in the computed table
	 */
	CHECK_EQ(zs_chain_size(ZS_CHAIN_RFC2026, 4096, 304, 8), 7);
	/* 4 KiB, 48 B: k = 1 wastes 16 B, efficient at once: 1 page (min-waste: 3) */
	CHECK_EQ(zs_chain_size(ZS_CHAIN_RFC2026, 4096, 48, 8), 1);
	CHECK_EQ(zs_chain_size(ZS_CHAIN_MIN_WASTE, 4096, 48, 8), 3);
}

TEST(zsmalloc_rfc2026_presets)
{
	static const struct {
		const char *spec;
		size_t huge;
		int classes;
	} cases[] = {
		{ "zsmalloc:kernel=rfc2026", 3625, 128 },
		{ "zsmalloc:kernel=rfc2026-p1", 3625, 119 },
		{ "zsmalloc:kernel=rfc2026,page=16384", 14553, 279 },
		{ "zsmalloc:kernel=rfc2026-p1,page=16384", 14553, 264 },
		{ "zsmalloc:kernel=rfc2026,page=65536", 0, 0 },
	};
	static struct zs_class_desc t[ZS_SIZE_CLASSES_MAX];
	struct zs_geometry g;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zpool *zp = mk(cases[i].spec);

		CHECK(zp);
		zs_pool_geometry(zp->pool, &g);
		CHECK_EQ(g.delta, 16);
		CHECK_EQ(g.chain, 8);
		CHECK_EQ(zpool_max_size(zp), zpool_page_size(zp));
		if (cases[i].huge) {
			CHECK_EQ(zpool_huge_size(zp), cases[i].huge);
			CHECK_EQ(zs_pool_classes(zp->pool, t, ZS_SIZE_CLASSES_MAX),
				 cases[i].classes);
		}
		zpool_destroy(zp);
	}
	/* 64 KiB: 4095 slots (CLASS_BITS 12: "up to 4096 classes on 64K") */
	g = geo(65536, 8, ZS_CHAIN_RFC2026, 16, 0);
	CHECK_EQ(zs_geo_slots(&g), 4095);
	CHECK_EQ(zs_geo_index(&g, 65536 + 8), 4094);
}

/* The multi-page RFC v3: slots, classes, huge thresholds (FINDINGS 1.3). */
TEST(zsmalloc_mp_tables)
{
	static struct zs_class_desc t[ZS_SIZE_CLASSES_MAX];
	static unsigned int map[ZS_SIZE_CLASSES_MAX];
	struct zs_geometry g = geo(4096, 8, ZS_CHAIN_MIN_WASTE, 16, 2);
	size_t huge[2];
	int n, first_mp = -1;

	CHECK_EQ(zs_geo_base_slots(&g), 255);
	CHECK_EQ(zs_geo_slots(&g), 255 + 193);
	CHECK_EQ(zs_geo_max_size(&g), 16384);
	n = zs_build_table(&g, t, map, huge);
	CHECK_EQ(n, 177);
	CHECK_EQ(huge[0], 3625);
	CHECK_EQ(huge[1], 14521);
	/* the page range is the merged chain-8 table, up to the 4096 class (slot 255 merged in) */
	for (int i = 0; i < n && first_mp < 0; i++)
		if (t[i].order)
			first_mp = i;
	CHECK_EQ(first_mp, 119);
	CHECK_EQ(t[118].size, 4096);
	CHECK_EQ(t[118].index, 255);
	CHECK(t[118].huge);
	CHECK_EQ(t[118].order, 0);
	check_list(t, n, first_mp, table_mp2_multi);
	for (int i = first_mp; i < n; i++)
		CHECK_EQ(t[i].order, 2);
	/* lookups: handle included; up to PAGE_SIZE + 8 the page range */
	CHECK_EQ(zs_geo_index(&g, 4096 + 8), 254);
	CHECK_EQ(t[map[254]].size, 4096);
	CHECK_EQ(zs_geo_index(&g, 4097 + 8), 256);
	CHECK_EQ(t[map[256]].size, 4224);
	CHECK_EQ(zs_geo_index(&g, 14520 + 8), 418);
	CHECK_EQ(t[map[418]].size, 14528);
	CHECK_EQ(zs_geo_index(&g, 14521 + 8), 419);
	CHECK(t[map[419]].huge);
	CHECK_EQ(t[map[419]].size, 16384);
	CHECK_EQ(zs_geo_index(&g, 16384 + 8), 447);

	g = geo(4096, 8, ZS_CHAIN_MIN_WASTE, 16, 4);
	CHECK_EQ(zs_geo_slots(&g), 255 + 241);
	n = zs_build_table(&g, t, NULL, huge);
	CHECK_EQ(n, 223);
	CHECK_EQ(huge[0], 3625);
	CHECK_EQ(huge[1], 58105);
	CHECK_EQ(t[n - 2].size, 58112);
	CHECK_EQ(t[n - 2].pages, 8);
	CHECK_EQ(t[n - 2].objs, 9);
	CHECK_EQ(t[n - 1].size, 65536);
	CHECK(t[n - 1].huge);
}

/*
 * For every kernel-legal chain (4..16), page size and rule: no slot merges
 * into a class of another order (the RFC compares pages and objects only),
 * and the port's huge rule (the first class from the top that is not
 * 1 page / 1 object) is the kernel's (pages != 1 && objs != 1).
 */
TEST(zsmalloc_mp_and_rfc2026_table_invariants)
{
	static const size_t pages[] = { 4096, 16384, 65536 };
	static struct zs_class_desc t[ZS_SIZE_CLASSES_MAX];
	static unsigned int map[ZS_SIZE_CLASSES_MAX];

	for (int p = 0; p < 3; p++)
		for (unsigned int chain = 4; chain <= 16; chain++)
			for (int v = 0; v < 5; v++) {
				struct zs_geometry g = geo(pages[p], chain, ZS_CHAIN_MIN_WASTE,
							   (unsigned int)(pages[p] >> 8), 0);
				size_t huge[2];
				int n;

				if (v == 1)
					g.rule = ZS_CHAIN_RFC2026, g.delta = 16;
				if (v == 2)
					g.delta = 16;
				if (v >= 3)
					g.mp_order = v == 3 ? 1 : 2;
				if (v == 4 && pages[p] == 4096)
					g.mp_order = 4;
				if ((pages[p] << g.mp_order) > 65536)
					continue;
				n = zs_build_table(&g, t, map, huge);
				for (unsigned int s = 0; s < zs_geo_slots(&g); s++) {
					const struct zs_class_desc *c = &t[map[s]];
					size_t size =
						s < zs_geo_base_slots(&g)
							? 32 + (size_t)s * g.delta
							: pages[p] + (size_t)(s - zs_geo_base_slots(
											  &g)) *
									     ((pages[p]
									       << g.mp_order) >>
									      8);

					if (size > zs_geo_max_size(&g))
						size = zs_geo_max_size(&g);
					/* a slot maps to a class at least its size, of its own order */
					CHECK(c->size >= size);
					CHECK_EQ(c->order,
						 g.mp_order && size > pages[p] ? g.mp_order : 0);
				}
				for (int type = 0; type < (g.mp_order ? 2 : 1); type++) {
					const struct zs_class_desc *c = NULL;

					for (int i = n - 1; i >= 0 && !c; i--)
						if ((t[i].order != 0) == type && !t[i].huge)
							c = &t[i];
					CHECK(c);
					CHECK(c->pages != 1 && c->objs != 1);
					CHECK_EQ(huge[type], c->size - 7);
				}
				CHECK_OK();
			}
}

TEST(zsmalloc_mp_pool)
{
	struct zpool *zp = mk("zsmalloc:mp=2");
	unsigned long h[40];
	struct zpool_stats st;
	char err[256];

	CHECK(zp);
	CHECK_EQ(zpool_max_size(zp), 16384);
	CHECK_EQ(zpool_huge_size(zp), 3625);
	CHECK_EQ(zpool_huge_size_unit(zp, 16384), 14521);
	CHECK_EQ(zpool_huge_size_unit(zp, 4096), 3625);
	CHECK_EQ(zpool_huge_size_unit(zp, 65536), 0);
	CHECK_EQ(zpool_malloc(zp, 16385, &h[0]), -ENOSPC);
	/* a raw 4 KiB page (and 4089..4096) stays in the page range: one page */
	CHECK_EQ(zpool_malloc(zp, 4096, &h[0]), 0);
	CHECK_EQ(zpool_malloc(zp, 4089, &h[1]), 0);
	CHECK_EQ(zpool_total_pages(zp), 2);
	zpool_free(zp, h[0]);
	zpool_free(zp, h[1]);
	/* 4097 B: the 4224 class, 8 blocks of 4 pages for 31 objects */
	for (int i = 0; i < 31; i++)
		CHECK_EQ(zpool_malloc(zp, 4097, &h[i]), 0);
	CHECK_EQ(zpool_total_pages(zp), 32);
	zpool_get_stats(zp, &st);
	CHECK_EQ(st.peak_pages, 32);
	CHECK_EQ(zpool_malloc(zp, 4097, &h[31]), 0);
	CHECK_EQ(zpool_total_pages(zp), 64);
	CHECK(zs_pool_check(zp->pool, err, sizeof(err)) == 0);
	for (int i = 0; i < 32; i++)
		zpool_free(zp, h[i]);
	CHECK_EQ(zpool_total_pages(zp), 0);
	/* the unit raw, and a compressed unit at the multi-page huge threshold: a block each */
	CHECK_EQ(zpool_malloc(zp, 16384, &h[0]), 0);
	CHECK_EQ(zpool_malloc(zp, 14521, &h[1]), 0);
	CHECK_EQ(zpool_total_pages(zp), 8);
	/* one byte less: the 14528 class, 8 blocks, 9 objects */
	CHECK_EQ(zpool_malloc(zp, 14520, &h[2]), 0);
	CHECK_EQ(zpool_total_pages(zp), 40);
	CHECK(zs_pool_check(zp->pool, err, sizeof(err)) == 0);
	for (int i = 0; i < 3; i++)
		zpool_free(zp, h[i]);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);

	/*
	 * 16 KiB pages: the page range's last slot, 32 + 256 * 64 = 16,416 B,
	 * is not clamped to the page (ZS_MAX_ALLOC_SIZE is the unit) and is a
	 * multi-page class: 8 blocks of 4 pages, 31 objects.  A raw page lands
	 * there; the page range's huge class is 16,352 B.
	 */
	zp = mk("zsmalloc:mp=2,page=16384");
	CHECK(zp);
	CHECK_EQ(zpool_huge_size(zp), 14553);
	CHECK_EQ(zpool_malloc(zp, 14553, &h[0]), 0);
	CHECK_EQ(zpool_malloc(zp, 16344, &h[1]), 0);
	CHECK_EQ(zpool_total_pages(zp), 2);
	CHECK_EQ(zpool_malloc(zp, 16345, &h[2]), 0);
	CHECK_EQ(zpool_malloc(zp, 16384, &h[3]), 0);
	CHECK_EQ(zpool_total_pages(zp), 2 + 32);
	zpool_get_stats(zp, &st);
	CHECK_EQ(st.alloc_bytes, 2 * 16352 + 2 * 16416);
	for (int i = 0; i < 4; i++)
		zpool_free(zp, h[i]);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);

	/* 64 KiB units */
	zp = mk("zsmalloc:mp=4");
	CHECK(zp);
	CHECK_EQ(zpool_max_size(zp), 65536);
	CHECK_EQ(zpool_huge_size_unit(zp, 65536), 58105);
	CHECK_EQ(zpool_malloc(zp, 65536, &h[0]), 0);
	CHECK_EQ(zpool_total_pages(zp), 16);
	CHECK_EQ(zpool_malloc(zp, 65537, &h[1]), -ENOSPC);
	zpool_free(zp, h[0]);
	zpool_destroy(zp);
}

/* Objects straddling two blocks: every map mode, the copy-back, locate()'s pieces. */
TEST(zsmalloc_mp_straddling_objects)
{
	struct zpool *zp = mk("zsmalloc:mp=2");
	struct obj o[31];
	struct zpool_stats st;
	struct zpool_extent ext[ZS_MAX_CHAIN + 4];
	char err[256];

	CHECK(zp);
	/* 14520 B is the 14528 class: 9 objects over 8 blocks, 7 of them straddle */
	for (int i = 0; i < 9; i++)
		CHECK(store(zp, &o[i], 14520, 500 + i));
	zpool_get_stats(zp, &st);
	CHECK_EQ(st.straddling, 7);
	CHECK_EQ(st.copy_bytes, 7 * (14528 - 8));
	for (int i = 0; i < 9; i++) {
		unsigned char *p = zpool_map(zp, o[i].handle, ZPOOL_MM_RW);

		CHECK(pattern_check(p, 14520, 500 + i));
		pattern_fill(p, 14520, 600 + i);
		zpool_unmap(zp, o[i].handle);
		o[i].seed = 600 + i;
	}
	for (int i = 0; i < 9; i++) {
		int n = zp->drv->locate(zp->pool, o[i].handle, ext, ZS_MAX_CHAIN + 4);
		size_t total = 0;

		/* 14,520 payload bytes cut at 4 KiB page boundaries: 4 or 5 pieces */
		CHECK(n >= 4 && n <= 5);
		for (int k = 0; k < n; k++) {
			total += ext[k].len;
			CHECK(ext[k].len <= 4096);
		}
		CHECK_EQ(total, 14520);
		CHECK(verify(zp, &o[i]));
	}
	CHECK(zs_pool_check(zp->pool, err, sizeof(err)) == 0);
	for (int i = 0; i < 9; i++)
		zpool_free(zp, o[i].handle);
	CHECK_EQ(zpool_total_pages(zp), 0);
	zpool_destroy(zp);
}

TEST(zsmalloc_mp_compaction_frees_predicted)
{
	compaction_prediction_page("zsmalloc:mp=2", 16384);
	CHECK_OK();
	compaction_prediction_page("zsmalloc:mp=4", 65536);
	CHECK_OK();
	compaction_prediction_page("zsmalloc:mp=2,page=16384", 65536);
}

TEST(zsmalloc_mp_and_rfc2026_random_ops)
{
	randomized_page("zsmalloc:mp=2", 200000, 11, 16384);
	CHECK_OK();
	randomized_page("zsmalloc:mp=4,chain=16", 100000, 12, 65536);
	CHECK_OK();
	randomized_page("zsmalloc:mp=2,page=16384", 100000, 13, 65536);
	CHECK_OK();
	randomized_page("zsmalloc:kernel=rfc2026", 200000, 14, 4096);
	CHECK_OK();
	randomized_page("zsmalloc:kernel=rfc2026,page=16384", 100000, 15, 16384);
	CHECK_OK();
	randomized_page("zsmalloc:kernel=rfc2026-p1,page=65536", 50000, 16, 65536);
}

/* Combinations no posting has are refused, one line naming the reason. */
TEST(zsmalloc_mp_and_rfc2026_refusals)
{
	char err[256];

	CHECK(!zpool_create("zsmalloc:kernel=rfc2026,mp=2", NULL, err, sizeof(err)));
	CHECK(strstr(err, "never posted together"));
	CHECK(!strchr(err, '\n'));
	CHECK(!zpool_create("zsmalloc:kernel=rfc2026-p1,mp=1", NULL, err, sizeof(err)));
	CHECK(strstr(err, "never posted together"));
	CHECK(!zpool_create("zsmalloc:kernel=6.1,mp=2", NULL, err, sizeof(err)));
	CHECK(strstr(err, "kernel=6.1"));
	CHECK(!zpool_create("zsmalloc:mp=3,page=16384", NULL, err, sizeof(err)));
	CHECK(strstr(err, "128 KiB units"));
	CHECK(!zpool_create("zsmalloc:mp=1,page=65536", NULL, err, sizeof(err)));
	CHECK(!zpool_create("zsmalloc:mp=5", NULL, err, sizeof(err)));
	CHECK(strstr(err, "0..4"));
}
