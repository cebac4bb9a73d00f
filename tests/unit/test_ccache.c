// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_ccache.c - the compression cache: a built cache is reused with the
 * same records and bytes; a truncated, corrupt or foreign file is detected
 * and rebuilt; no cache ("off") still streams through a temporary file.
 * Also the latency histograms that replaced the sample arrays (exact below
 * 65.5 us, 1.6 % buckets above, merging by counts).
 */
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../harness.h"
#include "driver/ccache.h"
#include "driver/metrics.h"
#include "driver/pageset.h"
#include "util.h"

/* 300 pages: text of varying length, zero pages, random pages. */
static int make_corpus(const char *path)
{
	uint8_t page[4096];
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (int i = 0; i < 300; i++) {
		if (i % 10 == 0)
			memset(page, 0, sizeof(page));
		else if (i % 10 == 1)
			pattern_fill(page, sizeof(page), i);
		else
			for (int k = 0; k < 4096; k++)
				page[k] = "compressed pages of a cache "[(k * (i % 7 + 1) / 5) % 28] +
					  (k % (i + 13) == 0);
		fwrite(page, 1, sizeof(page), f);
	}
	return fclose(f);
}

struct fixture {
	char dir[64], corpus_path[128], cdir[128];
	struct corpus corpus;
	struct codec codec;
};

static int setup(struct fixture *x)
{
	char err[512];

	snprintf(x->dir, sizeof(x->dir), "/tmp/zpb-test-ccache-XXXXXX");
	if (!mkdtemp(x->dir))
		return -1;
	snprintf(x->corpus_path, sizeof(x->corpus_path), "%s/c.pages", x->dir);
	snprintf(x->cdir, sizeof(x->cdir), "%s/cache/sub", x->dir);
	if (make_corpus(x->corpus_path) || corpus_open(&x->corpus, x->corpus_path, err, sizeof(err)))
		return -1;
	return codec_parse("lz4", &x->codec, err, sizeof(err));
}

static void teardown(struct fixture *x)
{
	char cmd[256];

	corpus_close(&x->corpus);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", x->dir);
	if (system(cmd))
		return;
}

/* Every record and every page's bytes equal in two page sets. */
static bool same_sets(const struct pageset *a, const struct pageset *b)
{
	uint8_t x[CODEC_BOUND], y[CODEC_BOUND];

	if (a->n != b->n || a->same_pages != b->same_pages ||
	    a->compressed_bytes != b->compressed_bytes)
		return false;
	for (uint64_t i = 0; i < a->n; i++) {
		if (a->pg[i].len != b->pg[i].len || a->pg[i].same != b->pg[i].same)
			return false;
		if (pageset_data(a, i, x) || pageset_data(b, i, y) || memcmp(x, y, a->pg[i].len))
			return false;
	}
	return true;
}

/* Decompressing every cached page gives the corpus page back. */
static bool round_trip(const struct pageset *ps)
{
	struct codec_ctx *cx = codec_ctx_new(&ps->codec);
	uint8_t in[CODEC_BOUND], out[CODEC_PAGE], buf[CODEC_PAGE];
	bool ok = cx != NULL;

	struct corpus_stream st;
	char err[512];

	ok = ok && !corpus_stream_open(&st, ps->corpus, err, sizeof(err));
	for (uint64_t i = 0; ok && i < ps->n; i++) {
		ok = corpus_stream_read(&st, buf, 1, err, sizeof(err)) == 1 &&
		     !pageset_data(ps, i, in) && !codec_decompress(cx, in, ps->pg[i].len, out) &&
		     !memcmp(out, buf, CODEC_PAGE) && pageset_is_page(ps, i, buf) &&
		     !pageset_page(ps, i, NULL, out) && !memcmp(out, buf, CODEC_PAGE);
	}
	if (ok)
		ok = !corpus_stream_finish(&st, err, sizeof(err));
	corpus_stream_close(&st);
	if (cx)
		codec_ctx_free(cx);
	return ok;
}

static int file_size(const char *path, off_t *size)
{
	struct stat st;

	if (stat(path, &st))
		return -1;
	*size = st.st_size;
	return 0;
}

static void flip_byte(const char *path, off_t at)
{
	int fd = open(path, O_RDWR);
	uint8_t b;

	if (fd < 0)
		return;
	if (pread(fd, &b, 1, at) == 1) {
		b ^= 0x5a;
		if (pwrite(fd, &b, 1, at) != 1)
			b = 0;
	}
	close(fd);
}

TEST(ccache_built_then_reused)
{
	struct fixture x;
	struct pageset a, b;
	char err[512];
	off_t size;

	CHECK(!setup(&x));
	CHECK(!pageset_open(&a, &x.corpus, &x.codec, 2, x.cdir, err, sizeof(err)));
	CHECK(!a.cached);
	CHECK(strstr(a.cache_path, x.cdir) == a.cache_path);
	CHECK(strstr(a.cache_path, x.corpus.sha256));
	CHECK(strstr(a.cache_path, "lz4_1.zpbcc"));
	CHECK_EQ(a.n, 300);
	CHECK_EQ(a.same_pages, 30);
	CHECK(round_trip(&a));
	CHECK(!file_size(a.cache_path, &size));
	CHECK_EQ((uint64_t)size, ccache_data_off(300) + a.compressed_bytes + 30 * a.pg[0].len);

	CHECK(!pageset_open(&b, &x.corpus, &x.codec, 1, x.cdir, err, sizeof(err)));
	CHECK(b.cached);
	CHECK_EQ(b.wall_ns, a.wall_ns);
	CHECK(same_sets(&a, &b));
	for (uint64_t i = 0; i < a.n; i++)
		CHECK_EQ(a.pg[i].comp_ns, b.pg[i].comp_ns);
	pageset_free(&b);

	/* another codec is another file */
	{
		struct codec z;

		CHECK(!codec_parse("zstd:1", &z, err, sizeof(err)));
		CHECK(!pageset_open(&b, &x.corpus, &z, 2, x.cdir, err, sizeof(err)));
		CHECK(!b.cached);
		CHECK(strcmp(a.cache_path, b.cache_path));
		CHECK(round_trip(&b));
		pageset_free(&b);
	}
	pageset_free(&a);
	teardown(&x);
}

/* pageset_open() with stderr silenced: the "rebuilding it" line is expected here. */
static int open_quietly(struct pageset *ps, struct fixture *x, char *err, size_t errlen)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	int ret;

	fflush(stderr);
	if (null >= 0)
		dup2(null, 2);
	ret = pageset_open(ps, &x->corpus, &x->codec, 2, x->cdir, err, errlen);
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, 2);
		close(saved);
	}
	if (null >= 0)
		close(null);
	return ret;
}

/* Damage the cache file with @damage, then reopen: detected, rebuilt, equal again. */
static void check_rebuilt(void (*damage)(const char *path, off_t size))
{
	struct fixture x;
	struct pageset a, b, c, ref;
	char err[512];
	off_t size;

	CHECK(!setup(&x));
	CHECK(!pageset_open(&ref, &x.corpus, &x.codec, 2, "off", err, sizeof(err)));
	CHECK(!pageset_open(&a, &x.corpus, &x.codec, 2, x.cdir, err, sizeof(err)));
	CHECK(!file_size(a.cache_path, &size));
	damage(a.cache_path, size);
	CHECK(!open_quietly(&b, &x, err, sizeof(err)));
	CHECK(!b.cached); /* detected: compressed again */
	CHECK(same_sets(&ref, &b));
	CHECK(round_trip(&b));
	CHECK(!pageset_open(&c, &x.corpus, &x.codec, 2, x.cdir, err, sizeof(err)));
	CHECK(c.cached); /* and the rebuilt file is good */
	pageset_free(&c);
	pageset_free(&b);
	pageset_free(&a);
	pageset_free(&ref);
	teardown(&x);
}

static void truncate_file(const char *path, off_t size)
{
	if (truncate(path, size - 100))
		return;
}

static void truncate_header(const char *path, off_t size)
{
	(void)size;
	if (truncate(path, 100))
		return;
}

static void corrupt_data(const char *path, off_t size)
{
	flip_byte(path, size - 7);
}

static void corrupt_index(const char *path, off_t size)
{
	(void)size;
	flip_byte(path, ccache_data_off(0) + sizeof(struct cpage) * 5 + 3);
}

static void corrupt_header(const char *path, off_t size)
{
	(void)size;
	flip_byte(path, offsetof(struct ccache_header, pages));
}

static void other_version(const char *path, off_t size)
{
	(void)size;
	flip_byte(path, offsetof(struct ccache_header, version));
}

static void trailing_bytes(const char *path, off_t size)
{
	if (truncate(path, size + 4096))
		return;
}

TEST(ccache_truncated_is_rebuilt)
{
	check_rebuilt(truncate_file);
	check_rebuilt(truncate_header);
	check_rebuilt(trailing_bytes);
}

TEST(ccache_corrupt_is_rebuilt)
{
	check_rebuilt(corrupt_data);
	check_rebuilt(corrupt_index);
	check_rebuilt(corrupt_header);
	check_rebuilt(other_version);
}

TEST(ccache_open_reports_why)
{
	struct fixture x;
	struct pageset a;
	struct ccache_header h;
	struct cpage *idx = calloc(300, sizeof(*idx));
	char err[512], why[256];
	off_t size;
	int fd;

	CHECK(idx);
	CHECK(!setup(&x));
	CHECK(!pageset_open(&a, &x.corpus, &x.codec, 2, x.cdir, err, sizeof(err)));
	fd = ccache_open(a.cache_path, x.corpus.sha256, "lz4:1", 4096, 300, &h, idx, 2, why,
			 sizeof(why));
	CHECK(fd >= 0);
	close(fd);
	/* the wrong codec, the wrong corpus, the wrong page count */
	CHECK_EQ(ccache_open(a.cache_path, x.corpus.sha256, "lz4:2", 4096, 300, &h, idx, 2, why,
			     sizeof(why)),
		 -1);
	CHECK(strstr(why, "codec"));
	CHECK_EQ(ccache_open(a.cache_path, "00", "lz4:1", 4096, 300, &h, idx, 2, why, sizeof(why)),
		 -1);
	CHECK(strstr(why, "another corpus"));
	CHECK_EQ(ccache_open(a.cache_path, x.corpus.sha256, "lz4:1", 4096, 299, &h, idx, 2, why,
			     sizeof(why)),
		 -1);
	CHECK(strstr(why, "299") || strstr(why, "inconsistent"));
	CHECK(!file_size(a.cache_path, &size));
	corrupt_data(a.cache_path, size);
	CHECK_EQ(ccache_open(a.cache_path, x.corpus.sha256, "lz4:1", 4096, 300, &h, idx, 2, why,
			     sizeof(why)),
		 -1);
	CHECK(strstr(why, "corrupt data"));
	CHECK(!truncate(a.cache_path, size - 1));
	CHECK_EQ(ccache_open(a.cache_path, x.corpus.sha256, "lz4:1", 4096, 300, &h, idx, 2, why,
			     sizeof(why)),
		 -1);
	CHECK(strstr(why, "truncated"));
	/* missing: no reason */
	CHECK_EQ(ccache_open("/nonexistent/x.zpbcc", x.corpus.sha256, "lz4:1", 4096, 300, &h, idx,
			     2, why, sizeof(why)),
		 -1);
	CHECK_STR(why, "");
	pageset_free(&a);
	free(idx);
	teardown(&x);
}

TEST(ccache_off_streams_through_a_temporary_file)
{
	struct fixture x;
	struct pageset a;
	char err[512], cmd[256];

	CHECK(!setup(&x));
	CHECK(!pageset_open(&a, &x.corpus, &x.codec, 2, "off", err, sizeof(err)));
	CHECK(!a.cached);
	CHECK_STR(a.cache_path, "");
	CHECK(a.fd >= 0);
	CHECK(round_trip(&a));
	pageset_free(&a);
	snprintf(cmd, sizeof(cmd), "test ! -e '%s/cache'", x.dir);
	CHECK_EQ(system(cmd), 0); /* nothing written */
	teardown(&x);
}

TEST(metrics_histogram_linear_and_log_buckets)
{
	struct lat_samples a = { 0 }, b = { 0 };
	struct lat_pct p;

	/* 1000 samples: 990 of 100 ns, 9 of 200 ns, one stall of 1 ms */
	for (int i = 0; i < 990; i++)
		CHECK(!lat_add(&a, 100));
	for (int i = 0; i < 9; i++)
		CHECK(!lat_add(&b, 200));
	CHECK(!lat_add(&b, 1000000));
	CHECK(!lat_append(&a, &b));
	lat_percentiles(&a, &p);
	CHECK_EQ(p.n, 1000);
	CHECK(p.p50 == 100 && p.p99 == 100 && p.p999 == 200);
	CHECK_EQ(p.sum_ns, 990 * 100 + 9 * 200 + 1000000);
	CHECK_EQ(p.n_trim, 999); /* the stall is above p99.9 */
	CHECK_EQ(p.sum_trim_ns, 990 * 100 + 9 * 200);
	/* above 256 ns a percentile is the mean of its bucket (at most 0.8 % wide) */
	lat_reset(&a);
	CHECK(!lat_add(&a, 100000));
	CHECK(!lat_add(&a, 100200)); /* the same bucket: 99840..100351 */
	lat_percentiles(&a, &p);
	CHECK(fabs(p.p50 - 100100) < 1);
	CHECK_EQ(p.sum_ns, 200200);
	/* clamped at 4 s */
	CHECK(!lat_add(&a, 1ULL << 40));
	lat_percentiles(&a, &p);
	CHECK(p.p999 <= 4294967295.0 && p.p999 > 4.2e9);
	lat_release(&a);
	lat_release(&b);
}
