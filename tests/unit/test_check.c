// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_check.c - the overlap and integrity checker: it passes every
 * registered allocator and preset through random operations, and it catches
 * each kind of bug it claims to catch, planted in a toy allocator.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness.h"
#include "check.h"
#include "page.h"
#include "driver/replay.h"
#include "util.h"

/*
 * The toy: a bump allocator over pages of its own provider.  Objects go
 * back to back; with straddling on, an object that does not fit the rest of
 * the current page continues at the start of a new one and map() returns a
 * copy, as zsmalloc does.  Pages are only given back by compact() of an
 * empty pool.  toy_bug plants one bug.
 */
enum toy_bug {
	BUG_NONE,
	BUG_OVERLAP,	/* the third object is placed over the first */
	BUG_CORRUPT,	/* compact() flips a byte of the first object */
	BUG_NO_COPYOUT, /* unmap of a straddling object drops the writes */
	BUG_STATS,	/* objects counter off by one */
	BUG_REFUSE,	/* refuses 100 bytes after taking 200 */
	BUG_FREED_PAGE, /* frees the first page while an object lives in it */
	BUG_ENOMEM,	/* -ENOMEM with no limit */
};

static enum toy_bug toy_bug;
static bool toy_straddle;

#define TOY_MAX 256

struct toy {
	struct page_provider *pp;
	char *page[TOY_MAX];
	int npages;
	size_t off; /* in page[npages - 1] */
	uint64_t objects, total;
	struct toy_obj {
		char *a, *b;
		size_t la, lb;
		bool live;
	} obj[TOY_MAX];
	int nobj;
	char buf[ZPOOL_PAGE_SIZE];
	int mapped;
	enum zpool_mapmode mm;
};

static void *toy_create(const struct zpool_config *cfg, const struct zpool_evict_ops *ops,
			char *err, size_t errlen)
{
	struct toy *t = calloc(1, sizeof(*t));

	(void)cfg;
	(void)ops;
	(void)err;
	(void)errlen;
	t->pp = pp_create(1024);
	t->off = ZPOOL_PAGE_SIZE;
	return t;
}

static void toy_destroy(void *p)
{
	struct toy *t = p;

	pp_destroy(t->pp);
	free(t);
}

static char *toy_page(struct toy *t)
{
	t->page[t->npages++] = pp_alloc(t->pp);
	t->total++;
	t->off = 0;
	return t->page[t->npages - 1];
}

static int toy_malloc(void *p, size_t size, unsigned long *handle)
{
	struct toy *t = p;
	struct toy_obj *o;

	if (!size)
		return -EINVAL;
	if (size > ZPOOL_PAGE_SIZE || t->nobj == TOY_MAX || t->npages >= TOY_MAX - 2)
		return -ENOSPC;
	if (toy_bug == BUG_REFUSE && size == 100)
		return -ENOSPC;
	if (toy_bug == BUG_ENOMEM && t->nobj == 3)
		return -ENOMEM;
	o = &t->obj[t->nobj];
	memset(o, 0, sizeof(*o));
	if (toy_bug == BUG_OVERLAP && t->nobj == 2) {
		o->a = t->page[0];
		o->la = size;
	} else if (t->off + size <= ZPOOL_PAGE_SIZE) {
		o->a = t->page[t->npages - 1] + t->off;
		o->la = size;
		t->off += size;
	} else if (toy_straddle && t->off < ZPOOL_PAGE_SIZE) {
		o->a = t->page[t->npages - 1] + t->off;
		o->la = ZPOOL_PAGE_SIZE - t->off;
		o->b = toy_page(t);
		o->lb = size - o->la;
		t->off = o->lb;
	} else {
		o->a = toy_page(t);
		o->la = size;
		t->off = size;
	}
	o->live = true;
	*handle = ++t->nobj;
	t->objects++;
	return 0;
}

static void toy_free(void *p, unsigned long handle)
{
	struct toy *t = p;

	t->obj[handle - 1].live = false;
	t->objects--;
	if (toy_bug == BUG_FREED_PAGE && handle == 1) {
		pp_free(t->pp, t->page[0]);
		t->total--;
	}
}

static void *toy_map(void *p, unsigned long handle, enum zpool_mapmode mm)
{
	struct toy *t = p;
	struct toy_obj *o = &t->obj[handle - 1];

	if (!o->b)
		return o->a;
	t->mapped = (int)handle;
	t->mm = mm;
	if (mm != ZPOOL_MM_WO) {
		memcpy(t->buf, o->a, o->la);
		memcpy(t->buf + o->la, o->b, o->lb);
	}
	return t->buf;
}

static void toy_unmap(void *p, unsigned long handle)
{
	struct toy *t = p;
	struct toy_obj *o = &t->obj[handle - 1];

	if (!o->b || t->mm == ZPOOL_MM_RO || toy_bug == BUG_NO_COPYOUT)
		return;
	memcpy(o->a, t->buf, o->la);
	memcpy(o->b, t->buf + o->la, o->lb);
}

static unsigned long toy_compact(void *p)
{
	struct toy *t = p;
	unsigned long freed = 0;

	if (toy_bug == BUG_CORRUPT && t->obj[0].live)
		t->obj[0].a[0] ^= 1;
	if (t->objects)
		return 0;
	for (int i = 0; i < t->npages; i++) {
		if (toy_bug == BUG_FREED_PAGE && i == 0)
			continue;
		pp_free(t->pp, t->page[i]);
		freed++;
	}
	t->total -= freed;
	t->npages = 0;
	t->off = ZPOOL_PAGE_SIZE;
	return freed;
}

static uint64_t toy_total_pages(void *p)
{
	return ((struct toy *)p)->total;
}

static void toy_stats(void *p, struct zpool_stats *st)
{
	struct toy *t = p;

	st->objects = t->objects + (toy_bug == BUG_STATS && t->objects >= 5);
	st->pool_pages = t->total;
}

static struct page_provider *toy_provider(void *p)
{
	return ((struct toy *)p)->pp;
}

static int toy_locate(void *p, unsigned long handle, struct zpool_extent *ext, int max)
{
	struct toy *t = p;
	struct toy_obj *o = &t->obj[handle - 1];

	if (max < 2)
		return -1;
	ext[0].addr = o->a;
	ext[0].len = o->la;
	if (!o->b)
		return 1;
	ext[1].addr = o->b;
	ext[1].len = o->lb;
	return 2;
}

static const struct zpool_driver toy_driver = {
	.name = "toy",
	.create = toy_create,
	.destroy = toy_destroy,
	.malloc = toy_malloc,
	.free = toy_free,
	.map = toy_map,
	.unmap = toy_unmap,
	.compact = toy_compact,
	.total_pages = toy_total_pages,
	.stats = toy_stats,
	.provider = toy_provider,
	.locate = toy_locate,
};

/* The same toy without locate(): a copy buffer looks like foreign memory. */
static const struct zpool_driver toy_nolocate_driver = {
	.name = "toy-nolocate",
	.create = toy_create,
	.destroy = toy_destroy,
	.malloc = toy_malloc,
	.free = toy_free,
	.map = toy_map,
	.unmap = toy_unmap,
	.compact = toy_compact,
	.total_pages = toy_total_pages,
	.stats = toy_stats,
	.provider = toy_provider,
};

static struct zcheck *toy(enum toy_bug bug, bool straddle, const struct zpool_driver *drv)
{
	char err[256];
	struct zcheck *zc;

	toy_bug = bug;
	toy_straddle = straddle;
	zc = zcheck_create_driver(drv, 0, err, sizeof(err));
	if (zc)
		zcheck_set_fatal(zc, false);
	return zc;
}

/* Store @n objects of 1000 bytes (straddling pages from the fifth on). */
static void store_n(struct zcheck *zc, int n)
{
	unsigned long h;

	for (int i = 0; i < n && !zcheck_failed(zc); i++)
		zcheck_malloc(zc, 1000, &h);
}

TEST(check_toy_without_bugs_passes_straddling_and_all)
{
	struct zcheck *zc = toy(BUG_NONE, true, &toy_driver);
	unsigned long h;

	CHECK(zc);
	store_n(zc, 12);
	CHECK(!zcheck_failed(zc));
	for (size_t i = 0; i < zcheck_live(zc); i++) {
		zcheck_access(zc, zcheck_handle(zc, i), ZPOOL_MM_RW);
		zcheck_access(zc, zcheck_handle(zc, i), ZPOOL_MM_WO);
		zcheck_access(zc, zcheck_handle(zc, i), ZPOOL_MM_RO);
	}
	CHECK_EQ(zcheck_malloc(zc, 0, &h), -EINVAL);
	CHECK_EQ(zcheck_malloc(zc, 5000, &h), -ENOSPC);
	zcheck_compact(zc);
	CHECK(!zcheck_failed(zc));
	CHECK_EQ(zcheck_ops(zc), 12 + 36 + 2 + 1);
	CHECK_EQ(zcheck_destroy(zc), 0);
}

static void expect_error(struct zcheck *zc, const char *what)
{
	CHECK(zcheck_failed(zc));
	if (!strstr(zcheck_error(zc), what))
		zt_fail(__FILE__, __LINE__, "error '%s' lacks '%s'", zcheck_error(zc), what);
	CHECK_OK();
	CHECK_EQ(zcheck_destroy(zc), -1);
}

TEST(check_catches_overlap)
{
	struct zcheck *zc = toy(BUG_OVERLAP, false, &toy_driver);

	CHECK(zc);
	store_n(zc, 3);
	expect_error(zc, "overlaps live object 0x1");
}

TEST(check_catches_corruption_by_compaction)
{
	struct zcheck *zc = toy(BUG_CORRUPT, false, &toy_driver);

	CHECK(zc);
	store_n(zc, 2);
	CHECK(!zcheck_failed(zc));
	zcheck_compact(zc);
	expect_error(zc, "object 0x1 (1000 bytes) reads back wrong through map() after compaction");
}

TEST(check_catches_lost_writes_of_straddling_objects)
{
	struct zcheck *zc = toy(BUG_NO_COPYOUT, true, &toy_driver);

	CHECK(zc);
	store_n(zc, 5); /* the fifth straddles pages one and two */
	expect_error(zc, "object 0x5 (1000 bytes) reads back wrong");
}

TEST(check_catches_copy_buffer_without_locate)
{
	struct zcheck *zc = toy(BUG_NONE, true, &toy_nolocate_driver);

	CHECK(zc);
	store_n(zc, 5);
	expect_error(zc, "not in a page the pool holds");
}

TEST(check_catches_wrong_object_count)
{
	struct zcheck *zc = toy(BUG_STATS, false, &toy_driver);

	CHECK(zc);
	store_n(zc, 5);
	expect_error(zc, "stats report 6 live objects after malloc, the front end holds 5");
}

TEST(check_catches_inconsistent_refusal)
{
	struct zcheck *zc = toy(BUG_REFUSE, false, &toy_driver);
	unsigned long h;

	CHECK(zc);
	CHECK_EQ(zcheck_malloc(zc, 200, &h), 0);
	zcheck_malloc(zc, 100, &h);
	expect_error(zc, "refusal by size must be final");
}

TEST(check_catches_object_in_freed_page)
{
	struct zcheck *zc = toy(BUG_FREED_PAGE, false, &toy_driver);

	CHECK(zc);
	store_n(zc, 3); /* objects 1..3 share page one */
	zcheck_free(zc, 1);
	zcheck_verify(zc);
	expect_error(zc, "not in a page the pool holds");
}

TEST(check_catches_enomem_without_limit)
{
	struct zcheck *zc = toy(BUG_ENOMEM, false, &toy_driver);

	CHECK(zc);
	store_n(zc, 4);
	expect_error(zc, "-ENOMEM with no page limit set");
}

TEST(check_specs_cover_every_driver_and_value)
{
	const struct zpool_driver *drv[32];
	char specs[ZCHECK_SPECS_MAX][ZPOOL_SPEC_MAX];
	int nd = zpool_drivers(drv, 32), n = zcheck_specs(specs, ZCHECK_SPECS_MAX);
	bool found;

	CHECK(n >= nd);
	for (int d = 0; d < nd; d++) {
		if (!drv[d]->create)
			continue; /* parser-only test driver */
		found = false;
		for (int i = 0; i < n; i++)
			found |= !strcmp(specs[i], drv[d]->name);
		CHECK(found);
	}
	found = false;
	for (int i = 0; i < n; i++) {
		struct zpool_config cfg;
		char err[256];

		CHECK_EQ(zpool_parse_spec(specs[i], &cfg, err, sizeof(err)), 0);
		found |= !strcmp(specs[i], "zbud:lru=0");
	}
	CHECK(found);
}

/* Every registered allocator and preset, random operations, all checks on. */
TEST(check_every_allocator_random_ops)
{
	char specs[ZCHECK_SPECS_MAX][ZPOOL_SPEC_MAX];
	int n = zcheck_specs(specs, ZCHECK_SPECS_MAX);

	for (int s = 0; s < n; s++) {
		char err[256];
		struct zcheck *zc = zcheck_create(specs[s], ZCHECK_GUARD, err, sizeof(err));
		uint64_t rng = 42 + s;
		unsigned int got;

		if (!zc)
			zt_fail(__FILE__, __LINE__, "%s: %s", specs[s], err);
		CHECK(zc);
		zcheck_set_fatal(zc, false);
		zcheck_set_evict_fail(zc, 3);
		for (int i = 0; i < 30000 && !zcheck_failed(zc); i++) {
			uint64_t r = rng_below(&rng, 1000);
			size_t live = zcheck_live(zc);
			unsigned long h;

			if (r < 520 && live < 3000) {
				zcheck_malloc(zc, rng_below(&rng, 4100), &h);
			} else if (r < 960 && live) {
				zcheck_free(zc, zcheck_handle(zc, rng_below(&rng, live)));
			} else if (r < 990 && live) {
				zcheck_access(zc, zcheck_handle(zc, rng_below(&rng, live)),
					      (enum zpool_mapmode)rng_below(&rng, 3));
			} else if (r < 995) {
				zcheck_compact(zc);
			} else {
				zcheck_shrink(zc, 1 + rng_below(&rng, 4), &got);
			}
		}
		if (zcheck_failed(zc))
			zt_fail(__FILE__, __LINE__, "%s", zcheck_error(zc));
		CHECK(!zcheck_failed(zc));
		if (zcheck_destroy(zc))
			zt_fail(__FILE__, __LINE__, "%s: destroy found a violation", specs[s]);
		CHECK_OK();
	}
}

/* ---- replay --verify: the checked replay path ---- */

/* A seeded random trace (stores of 1..@page bytes, frees, compactions) in @path. */
static void write_trace(char *path, size_t len, uint64_t seed, int ops, unsigned int page)
{
	unsigned long ids[4096];
	unsigned long next = 1;
	int nlive = 0, fd;
	FILE *f;

	snprintf(path, len, "/tmp/zpb-test-check-XXXXXX");
	fd = mkstemp(path);
	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	CHECK(f);
	fprintf(f, "# zpoolbench-trace v1\n");
	if (page != 4096)
		fprintf(f, "# page_size %u\n", page);
	for (int i = 0; i < ops; i++) {
		uint64_t r = rng_below(&seed, 100);

		if (r < 55 && nlive < 4096) {
			ids[nlive++] = next;
			fprintf(f, "a %lu %u\n", next++, 1 + (unsigned int)rng_below(&seed, page));
		} else if (r < 98 && nlive) {
			int k = (int)rng_below(&seed, (uint64_t)nlive);

			fprintf(f, "f %lu\n", ids[k]);
			ids[k] = ids[--nlive];
		} else {
			fprintf(f, "c\n");
		}
	}
	fclose(f);
}

static char *slurp_stream(FILE *f)
{
	long n = ftell(f);
	char *s = malloc((size_t)n + 1);

	rewind(f);
	if (s && fread(s, 1, (size_t)n, f) == (size_t)n)
		s[n] = 0;
	return s;
}

/* Checked or not, every allocator and preset takes the same pages at every step. */
TEST(check_replay_checked_matches_plain_replay)
{
	static const unsigned int pages[3] = { 4096, 16384, 65536 };
	char specs[ZCHECK_SPECS_MAX][ZPOOL_SPEC_MAX], paths[3][64], err[512];
	int n = zcheck_specs(specs, ZCHECK_SPECS_MAX);

	/* one trace per page size, with sizes up to a page (shorter for large pages) */
	for (int i = 0; i < 3; i++)
		write_trace(paths[i], sizeof(paths[i]), 7, i ? 4000 : 12000, pages[i]);
	CHECK_OK();
	for (int s = 0; s < n; s++) {
		struct replay_result plain, checked;
		FILE *t1 = tmpfile(), *t2 = tmpfile();
		struct zpool *zp = zpool_create(specs[s], NULL, err, sizeof(err));
		struct zcheck *zc = zcheck_create(specs[s], ZCHECK_GUARD, err, sizeof(err));
		const char *path = paths[0];
		char *a, *b;

		CHECK(t1 && t2 && zp && zc);
		for (int i = 0; i < 3; i++)
			if (zpool_page_size(zp) == pages[i])
				path = paths[i];
		zcheck_set_fatal(zc, false);
		CHECK_EQ(replay_trace(path, zp, t1, &plain, err, sizeof(err)), 0);
		if (replay_trace_checked(path, zc, t2, &checked, err, sizeof(err)))
			zt_fail(__FILE__, __LINE__, "%s: %s", specs[s], err);
		CHECK_OK();
		/*
		 * an async worker compacts on its own time, and glibc's malloc
		 * shares its heap with the replay's own tables (a reused chunk
		 * may be a few bytes larger): their pages differ run to run
		 */
		if (strstr(specs[s], "async=1") || !strncmp(specs[s], "malloc", 6))
			goto done;
		if (checked.pool_pages != plain.pool_pages || checked.peak_pages != plain.peak_pages)
			zt_fail(__FILE__, __LINE__,
				"%s: pool pages %llu (peak %llu) checked, %llu (peak %llu) plain",
				specs[s], (unsigned long long)checked.pool_pages,
				(unsigned long long)checked.peak_pages,
				(unsigned long long)plain.pool_pages,
				(unsigned long long)plain.peak_pages);
		CHECK_OK();
		CHECK_EQ(checked.objects, plain.objects);
		CHECK_EQ(checked.bytes, plain.bytes);
		CHECK(plain.compactions > 0 && plain.frees > 0);
		a = slurp_stream(t1);
		b = slurp_stream(t2);
		CHECK(a && b);
		if (strcmp(a, b)) {
			size_t k = 0;

			while (a[k] == b[k])
				k++;
			while (k && a[k - 1] != '\n')
				k--;
			zt_fail(__FILE__, __LINE__, "%s: trajectories differ from op %.*s",
				specs[s], (int)strcspn(a + k, " "), a + k);
		}
		free(a);
		free(b);
done:
		fclose(t1);
		fclose(t2);
		zpool_destroy(zp);
		CHECK_EQ(zcheck_drain(zc), 0);
		CHECK_EQ(zpool_total_pages(zcheck_pool(zc)), 0);
		CHECK_EQ(zcheck_destroy(zc), 0);
		CHECK_OK();
	}
	for (int i = 0; i < 3; i++)
		unlink(paths[i]);
}

/* A violation ends the checked replay with the trace line that exposed it. */
TEST(check_replay_checked_reports_the_line)
{
	char path[64], err[512];
	struct replay_result res;
	struct zcheck *zc = toy(BUG_CORRUPT, false, &toy_driver);
	FILE *f;
	int fd;

	CHECK(zc);
	snprintf(path, sizeof(path), "/tmp/zpb-test-check-XXXXXX");
	fd = mkstemp(path);
	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	CHECK(f);
	fprintf(f, "# zpoolbench-trace v1\na 1 1000\na 2 1000\nc\na 3 10\n");
	fclose(f);
	CHECK_EQ(replay_trace_checked(path, zc, NULL, &res, err, sizeof(err)), -1);
	if (!strstr(err, ":4: toy: data corruption: object 0x1 (1000 bytes) reads back wrong") ||
	    strncmp(err, "verify: ", 8))
		zt_fail(__FILE__, __LINE__, "error: %s", err);
	CHECK_EQ(res.ops, 2);
	CHECK_EQ(zcheck_destroy(zc), -1);
	unlink(path);

	/* the same trace through the toy without the bug passes */
	zc = toy(BUG_NONE, false, &toy_driver);
	CHECK(zc);
	write_trace(path, sizeof(path), 3, 300, 4096);
	if (replay_trace_checked(path, zc, NULL, &res, err, sizeof(err)))
		zt_fail(__FILE__, __LINE__, "toy without bugs: %s", err);
	CHECK_OK();
	CHECK_EQ(zcheck_destroy(zc), 0);
	unlink(path);
}
