// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_corpus.c - the corpus reader: raw and zstd corpora with and without
 * manifests, and the exact one-line message for each kind of bad input.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "../harness.h"
#include "corpus/corpus.h"
#include "sha256.h"
#include "util.h"

#define PG CORPUS_PAGE_SIZE

static char dir[128];

static void rm_dir(void *arg)
{
	char cmd[256];

	(void)arg;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd)) {
	}
}

/* A fresh fixed directory per process (no mktemp names in corpora anyway). */
static const char *tdir(void)
{
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/zpb-test-corpus.%d", (int)getpid());
		rm_dir(NULL);
		mkdir(dir, 0700);
		zpb_cleanup_push(rm_dir, NULL);
	}
	return dir;
}

static const char *tpath(const char *name)
{
	static char buf[8][256];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tdir(), name);
	return buf[k];
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		if (len)
			fwrite(data, 1, len, f);
		fclose(f);
	}
}

/* All pages of an open corpus, read through a stream (the caller frees). */
static uint8_t *read_all(const struct corpus *c)
{
	struct corpus_stream st;
	uint8_t *buf = malloc(c->pages * PG + PG);
	char err[512];
	int64_t got = 0, n;

	if (!buf || corpus_stream_open(&st, c, err, sizeof(err))) {
		free(buf);
		return NULL;
	}
	while ((n = corpus_stream_read(&st, buf + got * PG, 7, err, sizeof(err))) > 0)
		got += n;
	if (n < 0 || (uint64_t)got != c->pages || corpus_stream_finish(&st, err, sizeof(err))) {
		free(buf);
		buf = NULL;
	}
	corpus_stream_close(&st);
	return buf;
}

static void write_str(const char *path, const char *s)
{
	write_file(path, s, strlen(s));
}

/* n pages: page i is pattern i, with a zero page every 5th */
static uint8_t *make_pages(size_t n)
{
	uint8_t *p = malloc(n * PG);

	for (size_t i = 0; i < n; i++) {
		if (i % 5 == 4)
			memset(p + i * PG, 0, PG);
		else
			pattern_fill(p + i * PG, PG, i);
	}
	return p;
}

static size_t zcompress(const void *src, size_t len, void **out, bool content_size)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	size_t cap = ZSTD_compressBound(len), n;

	*out = malloc(cap);
	ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 3);
	ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, content_size);
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1); /* as the zstd program writes */
	if (content_size) {
		n = ZSTD_compress2(c, *out, cap, src, len);
	} else {
		/* a streamed frame: the header does not carry the size */
		ZSTD_inBuffer in = { src, len, 0 };
		ZSTD_outBuffer o = { *out, cap, 0 };

		while (ZSTD_compressStream2(c, &o, &in, ZSTD_e_end) != 0)
			;
		n = o.pos;
	}
	ZSTD_freeCCtx(c);
	return n;
}

static void manifest(const char *path, long long pages, int page_size, const char *sha)
{
	char buf[1024];

	snprintf(buf, sizeof(buf),
		 "{\"format\": \"zpoolbench-corpus\", \"format_version\": 1,\n"
		 " \"page_size\": %d, \"pages\": %lld, \"sha256\": \"%s\",\n"
		 " \"source\": \"synthetic\", \"workload\": \"patterns\"}\n",
		 page_size, pages, sha);
	write_str(path, buf);
}

static void expect_err(const char *path, const char *want)
{
	struct corpus c;
	char err[1024];

	err[0] = 0;
	if (corpus_open(&c, path, err, sizeof(err)) == 0) {
		corpus_close(&c);
		zt_fail(__FILE__, __LINE__, "%s opened, expected \"%s\"", path, want);
		return;
	}
	if (strcmp(err, want))
		zt_fail(__FILE__, __LINE__, "error \"%s\", expected \"%s\"", err, want);
	if (strchr(err, '\n'))
		zt_fail(__FILE__, __LINE__, "error spans lines: \"%s\"", err);
}

TEST(corpus_raw_without_manifest)
{
	uint8_t *p = make_pages(10);
	char sha[65], err[512];
	struct corpus c;

	sha256_buf_hex(p, 10 * PG, sha);
	write_file(tpath("user.pages"), p, 10 * PG);
	CHECK_EQ(corpus_open(&c, tpath("user.pages"), err, sizeof(err)), 0);
	CHECK_EQ(c.pages, 10);
	CHECK_STR(c.sha256, sha);
	CHECK_STR(c.name, "user");
	CHECK_STR(c.manifest_path, "");
	CHECK(c.manifest == NULL);
	CHECK_STR(c.source, "unknown");
	CHECK_STR(c.workload, "user");
	CHECK(!c.compressed);
	{
		uint8_t *all = read_all(&c);

		CHECK(all && !memcmp(all, p, 10 * PG));
		free(all);
	}
	corpus_close(&c);
	free(p);
}

TEST(corpus_raw_with_manifest)
{
	uint8_t *p = make_pages(7);
	char sha[65], err[512];
	struct corpus c;

	sha256_buf_hex(p, 7 * PG, sha);
	write_file(tpath("m.pages"), p, 7 * PG);
	manifest(tpath("m.json"), 7, PG, sha);
	CHECK_EQ(corpus_open(&c, tpath("m.pages"), err, sizeof(err)), 0);
	CHECK_EQ(c.pages, 7);
	CHECK_STR(c.manifest_path, tpath("m.json"));
	CHECK_STR(c.source, "synthetic");
	CHECK_STR(c.workload, "patterns");
	corpus_close(&c);
	free(p);
}

TEST(corpus_zstd_with_and_without_content_size)
{
	uint8_t *p = make_pages(33);
	char sha[65], err[512];
	struct corpus c;
	void *z;
	size_t zn;

	sha256_buf_hex(p, 33 * PG, sha);
	for (int cs = 0; cs <= 1; cs++) {
		zn = zcompress(p, 33 * PG, &z, cs);
		write_file(tpath("z.pages.zst"), z, zn);
		free(z);
		manifest(tpath("z.json"), 33, PG, sha);
		CHECK_EQ(corpus_open(&c, tpath("z.pages.zst"), err, sizeof(err)), 0);
		CHECK(c.compressed);
		CHECK_EQ(c.pages, 33);
		CHECK_STR(c.sha256, sha);
		CHECK_STR(c.name, "z");
		{
			uint8_t *all = read_all(&c);

			CHECK(all && !memcmp(all, p, 33 * PG));
			free(all);
		}
		corpus_close(&c);
	}
	free(p);
}

TEST(corpus_zstd_multiple_frames)
{
	uint8_t *p = make_pages(12);
	char sha[65], err[512];
	struct corpus c;
	void *a, *b;
	size_t na = zcompress(p, 5 * PG, &a, true), nb = zcompress(p + 5 * PG, 7 * PG, &b, false);
	uint8_t *both = malloc(na + nb);

	memcpy(both, a, na);
	memcpy(both + na, b, nb);
	write_file(tpath("two.pages.zst"), both, na + nb);
	sha256_buf_hex(p, 12 * PG, sha);
	CHECK_EQ(corpus_open(&c, tpath("two.pages.zst"), err, sizeof(err)), 0);
	CHECK_EQ(c.pages, 12);
	CHECK_STR(c.sha256, sha);
	corpus_close(&c);
	free(a), free(b), free(both), free(p);
}

TEST(corpus_large_zstd_streamed)
{
	/* 8192 zero pages, streamed (no size in the header): 32 MiB through small buffers */
	size_t n = 8192;
	uint8_t *p = calloc(n, PG);
	char err[512];
	struct corpus c;
	void *z;
	size_t zn = zcompress(p, n * PG, &z, false);

	write_file(tpath("big.pages.zst"), z, zn);
	CHECK_EQ(corpus_open(&c, tpath("big.pages.zst"), err, sizeof(err)), 0);
	CHECK_EQ(c.pages, n);
	{
		uint8_t *all = read_all(&c);

		CHECK(all && all[n * PG - 1] == 0);
		free(all);
	}
	corpus_close(&c);
	free(z), free(p);
}

TEST(corpus_errors_files)
{
	uint8_t *p = make_pages(3);
	char want[1024];

	snprintf(want, sizeof(want), "%s: no such corpus file", tpath("nope.pages"));
	expect_err(tpath("nope.pages"), want);
	CHECK_OK();

	snprintf(want, sizeof(want),
		 "%s: is a directory; give a page file (NAME.pages or NAME.pages.zst)", tdir());
	expect_err(tdir(), want);
	CHECK_OK();

	write_file(tpath("empty.pages"), "", 0);
	snprintf(want, sizeof(want), "%s: empty file; a corpus holds at least one 4096-byte page",
		 tpath("empty.pages"));
	expect_err(tpath("empty.pages"), want);
	CHECK_OK();

	write_file(tpath("odd.pages"), p, 2 * PG + 100);
	snprintf(want, sizeof(want),
		 "%s: 8292 bytes is not a whole number of 4096-byte pages (2 pages + 100 bytes); "
		 "truncated, or not a page file",
		 tpath("odd.pages"));
	expect_err(tpath("odd.pages"), want);
	CHECK_OK();
	free(p);
}

TEST(corpus_errors_zstd)
{
	uint8_t *p = make_pages(20);
	char want[1024];
	void *z;
	size_t zn = zcompress(p, 20 * PG, &z, true);

	write_file(tpath("cut.pages.zst"), z, zn / 2);
	snprintf(want, sizeof(want),
		 "%s: truncated zstd data (the last frame is incomplete after %zu bytes); "
		 "the file was cut short, rebuild or re-fetch it",
		 tpath("cut.pages.zst"), zn / 2);
	expect_err(tpath("cut.pages.zst"), want);
	CHECK_OK();

	/* a single flipped byte inside the compressed blocks */
	((uint8_t *)z)[zn / 2] ^= 0x55;
	write_file(tpath("bad.pages.zst"), z, zn);
	{
		struct corpus c;
		char err[1024];

		CHECK_EQ(corpus_open(&c, tpath("bad.pages.zst"), err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s: ", tpath("bad.pages.zst"));
		CHECK(!strncmp(err, want, strlen(want)));
		/* the frame checksum catches damage even inside stored blocks */
		CHECK(strstr(err, ": corrupt zstd data ("));
	}

	write_file(tpath("notzstd.pages.zst"), p, 2 * PG);
	snprintf(want, sizeof(want),
		 "%s: corrupt zstd data (Unknown frame descriptor) after 0 compressed bytes; "
		 "rebuild or re-fetch the file",
		 tpath("notzstd.pages.zst"));
	expect_err(tpath("notzstd.pages.zst"), want);
	CHECK_OK();
	free(z);

	zn = zcompress(p, PG + 10, &z, true);
	write_file(tpath("short.pages.zst"), z, zn);
	snprintf(want, sizeof(want),
		 "%s: decompresses to 4106 bytes, not a whole number of 4096-byte pages "
		 "(1 pages + 10 bytes); not a page file",
		 tpath("short.pages.zst"));
	expect_err(tpath("short.pages.zst"), want);
	CHECK_OK();
	free(z);

	zn = zcompress(p, 0, &z, true);
	write_file(tpath("nothing.pages.zst"), z, zn);
	snprintf(want, sizeof(want), "%s: empty corpus (decompresses to 0 bytes)",
		 tpath("nothing.pages.zst"));
	expect_err(tpath("nothing.pages.zst"), want);
	CHECK_OK();
	free(z);

	/* raw zstd data named .pages gets a hint */
	zn = zcompress(p, 20 * PG, &z, true);
	write_file(tpath("hint.pages"), z, zn);
	{
		struct corpus c;
		char err[1024];

		CHECK_EQ(corpus_open(&c, tpath("hint.pages"), err, sizeof(err)), -1);
		CHECK(strstr(err, "(it looks like zstd: name it NAME.pages.zst)"));
	}
	free(z);
	free(p);
}

TEST(corpus_errors_manifest)
{
	uint8_t *p = make_pages(4);
	char sha[65], want[1024], other[65];

	sha256_buf_hex(p, 4 * PG, sha);
	sha256_buf_hex("x", 1, other);
	write_file(tpath("c.pages"), p, 4 * PG);

	manifest(tpath("c.json"), 4, PG, other);
	snprintf(want, sizeof(want),
		 "%s: sha256 %.12s... does not match the pages (%.12s...); "
		 "the corpus or its manifest was changed",
		 tpath("c.json"), other, sha);
	expect_err(tpath("c.pages"), want);
	CHECK_OK();

	manifest(tpath("c.json"), 5, PG, sha);
	snprintf(want, sizeof(want),
		 "%s: says 5 pages but the corpus holds 4; the manifest belongs to another file",
		 tpath("c.json"));
	expect_err(tpath("c.pages"), want);
	CHECK_OK();

	manifest(tpath("c.json"), 4, 8192, sha);
	snprintf(want, sizeof(want),
		 "%s: page_size is 8192, but corpora have pages of 4096, 16384 or 65536 bytes",
		 tpath("c.json"));
	expect_err(tpath("c.pages"), want);
	CHECK_OK();

	manifest(tpath("c.json"), 4, PG, "abc");
	snprintf(want, sizeof(want), "%s: no \"sha256\" of 64 lower-case hex digits",
		 tpath("c.json"));
	expect_err(tpath("c.pages"), want);
	CHECK_OK();

	write_str(tpath("c.json"), "{\"format_version\": 2, \"page_size\": 4096}");
	snprintf(want, sizeof(want),
		 "%s: format_version 2 is not supported (this zpoolbench reads 1)", tpath("c.json"));
	expect_err(tpath("c.pages"), want);
	CHECK_OK();

	write_str(tpath("c.json"), "{\"format_version\": 1,\n \"pages\": 4,,}");
	snprintf(want, sizeof(want),
		 "%s: line 2, column 13: string or '}' expected near ',' (the manifest of %s)",
		 tpath("c.json"), tpath("c.pages"));
	expect_err(tpath("c.pages"), want);
	CHECK_OK();

	write_str(tpath("c.json"), "[1]");
	snprintf(want, sizeof(want), "%s: the manifest is a JSON array, not an object",
		 tpath("c.json"));
	expect_err(tpath("c.pages"), want);
	CHECK_OK();

	/* the right manifest opens */
	manifest(tpath("c.json"), 4, PG, sha);
	{
		struct corpus c;
		char err[512];

		CHECK_EQ(corpus_open(&c, tpath("c.pages"), err, sizeof(err)), 0);
		corpus_close(&c);
	}
	free(p);
}

TEST(corpus_manifest_writer_round_trip)
{
	uint8_t *p = make_pages(3);
	char sha[65], err[512];
	struct corpus c;

	sha256_buf_hex(p, 3 * PG, sha);
	write_file(tpath("w.pages"), p, 3 * PG);
	CHECK_EQ(corpus_write_manifest(tpath("w.json"), PG, 3, sha, true, NULL, NULL), 0);
	CHECK_EQ(corpus_open(&c, tpath("w.pages"), err, sizeof(err)), 0);
	CHECK(json_string_value(json_object_get(c.manifest, "kernel")) != NULL);
	CHECK(json_string_value(json_object_get(c.manifest, "arch")) != NULL);
	CHECK(json_string_value(json_object_get(c.manifest, "date")) != NULL);
	corpus_close(&c);
	free(p);
}

TEST(corpus_manifest_paths)
{
	char out[256];

	corpus_manifest_path("a/b/x.pages.zst", out, sizeof(out));
	CHECK_STR(out, "a/b/x.json");
	corpus_manifest_path("x.pages", out, sizeof(out));
	CHECK_STR(out, "x.json");
	corpus_manifest_path("dump.bin", out, sizeof(out));
	CHECK_STR(out, "dump.bin.json");
	corpus_manifest_path("dump.zst", out, sizeof(out));
	CHECK_STR(out, "dump.json");
}
