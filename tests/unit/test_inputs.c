// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_inputs.c - hostile input (issue 12): IDs chosen to collide in the ID
 * map, brace ranges at the ends of the 64-bit range, a cache entry whose
 * checksums are all right but whose pages are another corpus's.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../harness.h"
#include "cmd/grid.h"
#include "driver/ccache.h"
#include "driver/idmap.h"
#include "driver/pageset.h"
#include "util.h"

/*
 * The inverse of the ID map's former fixed hash (x ^= x >> 33; x *= C;
 * x ^= x >> 33): IDs whose hash is k << 20 all land in slot 0 of any map of
 * up to 2^20 slots.  Against that hash, n such IDs cost n^2 / 2 probes.
 */
static uint64_t unhash(uint64_t h)
{
	const uint64_t inv = 0x4f74430c22a54005ULL; /* 0xff51afd7ed558ccd^-1 mod 2^64 */

	h ^= h >> 33;
	h *= inv;
	h ^= h >> 33;
	return h;
}

TEST(idmap_colliding_ids_stay_linear)
{
	const uint64_t n = 20000;
	struct idmap m, m2;
	uint64_t ops = 0;

	CHECK_EQ(0xff51afd7ed558ccdULL * 0x4f74430c22a54005ULL, 1);
	CHECK(!idmap_init(&m, 16));
	for (uint64_t k = 1; k <= n; k++, ops++) {
		struct idmap_entry *e = idmap_put(&m, unhash(k << 20));

		CHECK(e);
		e->size = (uint32_t)k;
	}
	for (uint64_t k = 1; k <= n; k++, ops++) {
		struct idmap_entry *e = idmap_get(&m, unhash(k << 20));

		CHECK(e && e->size == k);
	}
	for (uint64_t k = 1; k <= n; k += 2, ops++)
		idmap_del(&m, idmap_get(&m, unhash(k << 20)));
	for (uint64_t k = 1; k <= n; k++, ops++)
		CHECK((idmap_get(&m, unhash(k << 20)) != NULL) == !(k & 1));
	CHECK_EQ(m.count, n / 2);
	/* about 1.5 probes per operation at a load under 0.7; quadratic would be ~5000 */
	if (m.probes > 8 * ops)
		zt_fail(__FILE__, __LINE__, "%llu probes for %llu operations",
			(unsigned long long)m.probes, (unsigned long long)ops);
	/* a seed per map: another map hashes differently */
	CHECK(!idmap_init(&m2, 16));
	CHECK(m.seed != m2.seed);
	idmap_free(&m2);
	idmap_free(&m);
}

TEST(grid_ranges_overflow_checked)
{
	static char out[8][GRID_LINE_MAX];
	char err[256], big[GRID_LINE_MAX + 10];

	CHECK_EQ(grid_expand("a{9223372036854775806..9223372036854775807}", out, 8, err, sizeof(err)),
		 2);
	CHECK_STR(out[1], "a9223372036854775807");
	CHECK_EQ(grid_expand("a{-9223372036854775808..-9223372036854775807}", out, 8, err,
			     sizeof(err)),
		 2);
	CHECK_STR(out[0], "a-9223372036854775808");
	CHECK_EQ(grid_expand("a{-9223372036854775808..9223372036854775807}", out, 8, err,
			     sizeof(err)),
		 -1);
	CHECK(strstr(err, "more than 10001 values"));
	CHECK_EQ(grid_expand("a{1..9223372036854775808}", out, 8, err, sizeof(err)), -1);
	CHECK(strstr(err, "bad range"));
	CHECK_EQ(grid_expand("a{1..10001}", out, 8, err, sizeof(err)), -1);
	CHECK(strstr(err, "more than 8 specs"));
	CHECK_EQ(grid_expand("a{1..10002}", out, 8, err, sizeof(err)), -1);
	CHECK(strstr(err, "more than 10001 values"));
	/* a long list is one string; only the whole length is bounded */
	memset(big, 'z', sizeof(big));
	big[300] = '\0';
	CHECK_EQ(grid_expand(big, out, 8, err, sizeof(err)), 1);
	big[300] = 'z';
	big[GRID_LINE_MAX] = '\0';
	CHECK_EQ(grid_expand(big, out, 8, err, sizeof(err)), -1);
	CHECK(strstr(err, "longer than 4095"));
}

/* 64 pages of text that differ from corpus to corpus (@salt). */
static int make_corpus(const char *path, int salt)
{
	uint8_t page[4096];
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (int i = 0; i < 64; i++) {
		for (int k = 0; k < 4096; k++)
			page[k] = "poisoned cache entries "[(k * (i % 5 + 1) / 3 + salt) % 23];
		fwrite(page, 1, sizeof(page), f);
	}
	return fclose(f);
}

static int quiet_open(struct pageset *ps, const struct corpus *c, const struct codec *k,
		      const char *dir, char *err, size_t errlen)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY), ret;

	fflush(stderr);
	dup2(null, 2);
	ret = pageset_open(ps, c, k, 2, dir, err, errlen);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(null);
	return ret;
}

/*
 * An entry of corpus B put under corpus A's key, with A's sha256 in its
 * header and every checksum right (what a poisoned cache of the past held):
 * the page set checks it against A's pages, refuses it and rebuilds.
 */
TEST(ccache_poisoned_entry_is_checked_against_the_corpus)
{
	char dir[64] = "/tmp/zpb-test-poison-XXXXXX", a[128], b[128], cdir[128], err[512];
	char pa[4096], cmd[256];
	struct corpus ca, cb;
	struct codec codec;
	struct pageset ps, ref;
	struct ccache_header h;
	int fd;

	CHECK(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.pages", dir);
	snprintf(b, sizeof(b), "%s/b.pages", dir);
	snprintf(cdir, sizeof(cdir), "%s/cc", dir);
	CHECK(!make_corpus(a, 0) && !make_corpus(b, 7));
	CHECK(!corpus_open(&ca, a, err, sizeof(err)) && !corpus_open(&cb, b, err, sizeof(err)));
	CHECK(strcmp(ca.sha256, cb.sha256));
	CHECK(!codec_parse("lz4", &codec, err, sizeof(err)));
	CHECK(!pageset_open(&ps, &cb, &codec, 2, cdir, err, sizeof(err)));
	CHECK(!ps.cached);
	CHECK(!ccache_path(cdir, ca.sha256, codec.name, 4096, pa, sizeof(pa)));
	CHECK(!rename(ps.cache_path, pa));
	pageset_free(&ps);
	/* A's key in the header, the header checksum made right again */
	fd = open(pa, O_RDWR);
	CHECK(fd >= 0);
	CHECK(pread(fd, &h, sizeof(h), 0) == sizeof(h));
	snprintf(h.sha256, sizeof(h.sha256), "%s", ca.sha256);
	h.header_sum = ccache_sum(&h, offsetof(struct ccache_header, header_sum), 0x68656164);
	CHECK(pwrite(fd, &h, sizeof(h), 0) == sizeof(h));
	close(fd);
	{
		struct cpage *idx = calloc(64, sizeof(*idx));
		char why[256];

		/* the file itself checks out ... */
		fd = ccache_open(pa, ca.sha256, codec.name, 4096, 64, &h, idx, 2, why, sizeof(why));
		free(idx);
		CHECK(fd >= 0);
		close(fd);
	}
	/* ... but not against A's pages */
	CHECK(!quiet_open(&ps, &ca, &codec, cdir, err, sizeof(err)));
	CHECK(!ps.cached);
	CHECK(!pageset_open(&ref, &ca, &codec, 2, "off", err, sizeof(err)));
	CHECK_EQ(ps.compressed_bytes, ref.compressed_bytes);
	for (uint64_t i = 0; i < 64; i++)
		CHECK(ps.pg[i].len == ref.pg[i].len && ps.pg[i].sum == ref.pg[i].sum);
	pageset_free(&ref);
	pageset_free(&ps);
	/* and the rebuilt entry is A's */
	CHECK(!pageset_open(&ps, &ca, &codec, 2, cdir, err, sizeof(err)));
	CHECK(ps.cached);
	pageset_free(&ps);
	corpus_close(&ca);
	corpus_close(&cb);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_EQ(system(cmd), 0);
}
