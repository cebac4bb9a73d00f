// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_regroup.c - corpora of other page sizes: a manifest's page size,
 * views (a 16 KiB corpus read as 4 KiB pages), address extents (parsed,
 * checked, refused in exact words), `corpus regroup` building 16 KiB pages
 * from the complete aligned groups of a 4 KiB corpus that kept addresses
 * (duplicates, incomplete and unaligned groups, two address spaces, input
 * order), splitting them again, and a sample keeping addresses per source.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../harness.h"
#include "corpus/corpus.h"
#include "corpus/corpus_sample.h"
#include "corpus/extents.h"
#include "corpus/regroup.h"
#include "sha256.h"
#include "util.h"

#define P4 4096
#define P16 16384

static char dir[128];

static void rm_dir(void *arg)
{
	char cmd[256];

	(void)arg;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd)) {
	}
}

static const char *tpath(const char *name)
{
	static char buf[8][256];
	static int k;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/zpb-test-regroup.%d", (int)getpid());
		rm_dir(NULL);
		mkdir(dir, 0700);
		zpb_cleanup_push(rm_dir, NULL);
	}
	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

/* A corpus NAME.pages of @n pages of @page bytes (page i: pattern @seed + i) and its manifest. */
static uint8_t *make_corpus(const char *name, uint32_t page, uint64_t n, uint64_t seed,
			    const char *extents_json)
{
	uint8_t *p = malloc(n * page);
	char sha[65], path[64], *m;
	size_t mlen;

	for (uint64_t i = 0; i < n; i++)
		pattern_fill(p + i * page, page, seed + i);
	sha256_buf_hex(p, n * page, sha);
	snprintf(path, sizeof(path), "%s.pages", name);
	write_file(tpath(path), p, n * page);
	mlen = 512 + (extents_json ? strlen(extents_json) : 0);
	m = malloc(mlen);
	snprintf(m, mlen,
		 "{\"format\": \"zpoolbench-corpus\", \"format_version\": 1, \"page_size\": %u,\n"
		 " \"pages\": %llu, \"sha256\": \"%s\", \"source\": \"process\", \"workload\": \"%s\",\n"
		 " \"selection\": \"synthetic\"%s%s}\n",
		 page, (unsigned long long)n, sha, name,
		 extents_json ? ",\n \"address_extents\": " : "", extents_json ? extents_json : "");
	snprintf(path, sizeof(path), "%s.json", name);
	write_file(tpath(path), m, strlen(m));
	free(m);
	return p;
}

static int open_c(struct corpus *c, const char *name, char *err, size_t errlen)
{
	char path[64];

	snprintf(path, sizeof(path), "%s.pages", name);
	return corpus_open(c, tpath(path), err, errlen);
}

/* Regroup @name to @page into OUT.pages: the bytes (caller frees) and *res. */
static uint8_t *regroup(const char *name, uint32_t page, struct regroup_result *res, char *err,
			size_t errlen)
{
	struct corpus c;
	uint8_t *buf = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	if (open_c(&c, name, err, errlen))
		return NULL;
	f = open_memstream((char **)&buf, &len);
	r = corpus_regroup(&c, page, f, res, err, errlen);
	fclose(f);
	corpus_close(&c);
	if (r) {
		free(buf);
		return NULL;
	}
	return buf;
}

TEST(corpus_page_sizes_and_views)
{
	uint8_t *p = make_corpus("v16", P16, 5, 100, NULL), *all;
	struct corpus_stream st;
	struct corpus c;
	char err[512], want[512];
	int64_t n, got = 0;

	CHECK_EQ(open_c(&c, "v16", err, sizeof(err)), 0);
	CHECK_EQ(c.page_size, P16);
	CHECK_EQ(c.pages, 5);
	CHECK_EQ(corpus_view_pages(&c, P4), 20);
	/* read as 4 KiB pages: the same bytes, 20 pages, the same sha256 */
	all = malloc(20 * P4);
	CHECK_EQ(corpus_stream_open_view(&st, &c, P4, err, sizeof(err)), 0);
	while ((n = corpus_stream_read(&st, all + got * P4, 3, err, sizeof(err))) > 0)
		got += n;
	CHECK_EQ(n, 0);
	CHECK_EQ(got, 20);
	CHECK_EQ(corpus_stream_finish(&st, err, sizeof(err)), 0);
	corpus_stream_close(&st);
	CHECK(!memcmp(all, p, 20 * P4));
	/* larger pages than its own: refused, naming what would work */
	CHECK_EQ(corpus_check_view(&c, 65536, err, sizeof(err)), -1);
	snprintf(want, sizeof(want),
		 "%s: has 16384-byte pages, not 65536; larger pages are address-contiguous "
		 "groups of its pages: build them with 'zpoolbench corpus regroup --page 65536' "
		 "from a snapshot that kept addresses",
		 tpath("v16.pages"));
	CHECK_STR(err, want);
	CHECK_EQ(corpus_check_view(&c, 8192, err, sizeof(err)), -1);
	CHECK(strstr(err, "8192-byte pages: a page size is 4096, 16384 or 65536"));
	corpus_close(&c);
	/* a file that is not a whole number of its manifest's pages */
	write_file(tpath("v16.pages"), p, 4 * P16 + P4);
	CHECK_EQ(open_c(&c, "v16", err, sizeof(err)), -1);
	snprintf(want, sizeof(want),
		 "%s: 69632 bytes is not a whole number of 16384-byte pages (4 pages + 4096 "
		 "bytes); truncated, or not a page file",
		 tpath("v16.pages"));
	CHECK_STR(err, want);
	free(all);
	free(p);
}

TEST(corpus_extents_checked)
{
	static const struct {
		const char *ext, *msg;
	} bad[] = {
		{ "[[0, 4096, 2], [0, 16384, 1]]",
		  "address_extents cover 3 pages, the corpus holds 4" },
		{ "[[0, 4096, 5]]",
		  "address_extents: more than the 4 pages of the corpus, or past the "
		  "end of the address space" },
		{ "[[0, 4097, 4]]", "address_extents[0]: address 4097 is not a multiple of the page "
				    "size 4096" },
		{ "[[0, 4096, 0], [0, 0, 4]]", "address_extents[0]: not [space, address, pages] with "
					       "pages > 0" },
		{ "[[0, 4096]]", "address_extents[0]: not [space, address, pages] with pages > 0" },
		{ "[[-1, 4096, 4]]",
		  "address_extents[0]: not [space, address, pages] with pages > 0" },
		{ "{\"a\": 1}", "address_extents: not an array of [space, address, pages]" },
	};
	char err[512], want[512];
	struct corpus c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		free(make_corpus("e", P4, 4, 1, bad[i].ext));
		CHECK_EQ(open_c(&c, "e", err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s: %s", tpath("e.json"), bad[i].msg);
		CHECK_STR(err, want);
	}
	free(make_corpus("e", P4, 4, 1, "[[0, 4096, 2], [1, 8192, 1], [0, 4096, 1]]"));
	CHECK_EQ(open_c(&c, "e", err, sizeof(err)), 0);
	corpus_close(&c);
}

TEST(extents_merge_and_walk)
{
	struct corpus_extents e;
	struct extents_cursor cur;
	uint32_t sp;
	uint64_t a;

	extents_init(&e, P4);
	CHECK_EQ(extents_add(&e, 0, 0x10000, 2), 0);
	CHECK_EQ(extents_add(&e, 0, 0x12000, 1), 0); /* continues: merged */
	CHECK_EQ(extents_add(&e, 1, 0x13000, 1), 0); /* another space: not merged */
	CHECK_EQ(extents_add(&e, 1, 0x20000, 1), 0);
	CHECK_EQ(e.n, 3);
	CHECK_EQ(e.pages, 5);
	extents_cursor_init(&cur, &e);
	CHECK(extents_next(&cur, &sp, &a) && sp == 0 && a == 0x10000);
	CHECK(extents_next(&cur, &sp, &a) && sp == 0 && a == 0x11000);
	CHECK(extents_next(&cur, &sp, &a) && sp == 0 && a == 0x12000);
	CHECK(extents_next(&cur, &sp, &a) && sp == 1 && a == 0x13000);
	CHECK(extents_next(&cur, &sp, &a) && sp == 1 && a == 0x20000);
	CHECK(!extents_next(&cur, &sp, &a));
	extents_free(&e);
}

/*
 * 20 pages in file order (page i = pattern 1000 + i):
 *   0..3   space 0 at 0x10000..0x13000: a complete aligned group
 *   4..6   space 0 at 0x24000..0x26000: 3 of 4, left out
 *   7      space 0 at 0x11000: seen before (page 1), ignored
 *   8..11  space 1 at 0x10000..0x13000: the same addresses in another space, a group
 *   12     space 0 at 0x3c000: 1 of 4, left out
 *   13..15 space 0 at 0x38000..0x3a000: 3 of 4, left out
 *   16..19 space 0 at 0x3000, 0x2000, 0x1000, 0: a group, its pages in address order
 * The groups come out in the order of their first page: 0, 8, 16.
 */
TEST(regroup_builds_complete_aligned_groups)
{
	const char *ext = "[[0, 65536, 4], [0, 147456, 3], [0, 69632, 1], [1, 65536, 4],"
			  " [0, 245760, 1], [0, 229376, 3],"
			  " [0, 12288, 1], [0, 8192, 1], [0, 4096, 1], [0, 0, 1]]";
	uint8_t *in = make_corpus("g", P4, 20, 1000, ext), *out;
	struct regroup_result r;
	char err[512], sha[65];

	out = regroup("g", P16, &r, err, sizeof(err));
	CHECK(out != NULL);
	CHECK_EQ(r.pages, 3);
	CHECK_EQ(r.grouped, 12);
	CHECK_EQ(r.duplicates, 1);
	CHECK_EQ(r.partial, 7); /* 3 at 0x24000, 3 at 0x38000, 1 at 0x3c000 */
	CHECK_EQ(r.partial_groups, 3);
	/* in the order of their first page: pages 0-3, 8-11, then 19,18,17,16 by address */
	CHECK(!memcmp(out, in, P16));
	CHECK(!memcmp(out + P16, in + 8 * P4, P16));
	CHECK(!memcmp(out + 2 * P16 + 0 * P4, in + 19 * P4, P4));
	CHECK(!memcmp(out + 2 * P16 + 1 * P4, in + 18 * P4, P4));
	CHECK(!memcmp(out + 2 * P16 + 2 * P4, in + 17 * P4, P4));
	CHECK(!memcmp(out + 2 * P16 + 3 * P4, in + 16 * P4, P4));
	sha256_buf_hex(out, 3 * P16, sha);
	CHECK_STR(r.sha256, sha);
	/* their addresses */
	CHECK_EQ(r.ext.n, 3);
	CHECK(r.ext.v[0].space == 0 && r.ext.v[0].addr == 0x10000 && r.ext.v[0].pages == 1);
	CHECK(r.ext.v[1].space == 1 && r.ext.v[1].addr == 0x10000 && r.ext.v[1].pages == 1);
	CHECK(r.ext.v[2].space == 0 && r.ext.v[2].addr == 0 && r.ext.v[2].pages == 1);
	extents_free(&r.ext);
	free(out);
	free(in);
}

TEST(regroup_round_trip_and_refusals)
{
	uint8_t *in = make_corpus("s", P4, 8, 7, "[[0, 0, 8]]"), *out, *back;
	struct regroup_result r, r2;
	struct afile af;
	char err[512], want[512];

	/* 4 KiB -> 16 KiB, written as a corpus with its manifest, then split again */
	out = regroup("s", P16, &r, err, sizeof(err));
	CHECK(out && r.pages == 2 && !memcmp(out, in, 8 * P4));
	CHECK_EQ(afile_open(&af, tpath("s16.pages")), 0);
	fwrite(out, 1, 2 * P16, af.f);
	CHECK_EQ(afile_commit(&af), 0);
	{
		FILE *m = fopen(tpath("s16.json"), "w");

		fprintf(m,
			"{\"format\": \"zpoolbench-corpus\", \"format_version\": 1, "
			"\"page_size\": 16384, \"pages\": 2, \"sha256\": \"%s\", "
			"\"address_extents\": [[0, 0, 2]]}\n",
			r.sha256);
		fclose(m);
	}
	back = regroup("s16", P4, &r2, err, sizeof(err));
	CHECK(back && r2.pages == 8 && !memcmp(back, in, 8 * P4));
	CHECK_STR(r2.sha256, r.sha256); /* the same bytes */
	CHECK(r2.ext.n == 1 && r2.ext.v[0].addr == 0 && r2.ext.v[0].pages == 8);
	extents_free(&r.ext);
	extents_free(&r2.ext);
	free(out);
	free(back);
	/* no addresses, nothing to group by */
	free(make_corpus("na", P4, 8, 7, NULL));
	CHECK(regroup("na", P16, &r, err, sizeof(err)) == NULL);
	snprintf(want, sizeof(want),
		 "%s: its manifest has no address_extents: where its pages were is not known, so "
		 "no 16384-byte page can be built from them (snapshot the process with "
		 "'zpoolbench corpus snapshot', which records the addresses)",
		 tpath("na.pages"));
	CHECK_STR(err, want);
	/* no complete group */
	free(make_corpus("ng", P4, 3, 7, "[[0, 0, 3]]"));
	CHECK(regroup("ng", P16, &r, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "no complete group of 4 pages at a 16384-byte aligned address"));
	/* the same page size */
	CHECK(regroup("s", P4, &r, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "has 4096-byte pages already"));
	free(in);
}

TEST(sample_keeps_addresses_per_source)
{
	struct corpus a, b;
	struct corpus_extents ea, eb, out;
	struct sha256 s;
	uint64_t idx[3] = { 1, 4, 5 };
	char err[512];
	FILE *f = fopen("/dev/null", "w");

	free(make_corpus("sa", P4, 6, 1, "[[0, 0, 3], [0, 40960, 3]]"));
	free(make_corpus("sb", P4, 6, 2, "[[0, 8192, 6]]"));
	CHECK_EQ(open_c(&a, "sa", err, sizeof(err)), 0);
	CHECK_EQ(open_c(&b, "sb", err, sizeof(err)), 0);
	CHECK_EQ(extents_from_manifest(a.manifest, a.manifest_path, P4, 6, &ea, err, sizeof(err)),
		 0);
	CHECK_EQ(extents_from_manifest(b.manifest, b.manifest_path, P4, 6, &eb, err, sizeof(err)),
		 0);
	extents_init(&out, P4);
	sha256_init(&s);
	CHECK_EQ(corpus_sample_write(&a, idx, 3, f, &s, &ea, 0, &out, err, sizeof(err)), 0);
	CHECK_EQ(corpus_sample_write(&b, idx, 3, f, &s, &eb, 1, &out, err, sizeof(err)), 0);
	sha256_abort(&s);
	/* a: 4096; 45056, 49152 (merged); b (space 1): 12288; 24576, 28672 (merged) */
	CHECK_EQ(out.n, 4);
	CHECK(out.v[0].space == 0 && out.v[0].addr == 4096 && out.v[0].pages == 1);
	CHECK(out.v[1].space == 0 && out.v[1].addr == 45056 && out.v[1].pages == 2);
	CHECK(out.v[2].space == 1 && out.v[2].addr == 12288 && out.v[2].pages == 1);
	CHECK(out.v[3].space == 1 && out.v[3].addr == 24576 && out.v[3].pages == 2);
	extents_free(&out);
	extents_free(&ea);
	extents_free(&eb);
	corpus_close(&a);
	corpus_close(&b);
	fclose(f);
}

/* Extents in a file beside the manifest: written by extents_save(), read back, checked. */
TEST(extents_in_a_file_beside_the_manifest)
{
	struct corpus_extents e, back;
	struct corpus c;
	char err[512], want[512], mj[1024];
	json_t *m;
	json_error_t je;
	FILE *f;

	/* more than fit in a manifest: descending addresses, one extent each */
	extents_init(&e, P4);
	for (int i = 0; i < EXTENTS_INLINE_MAX + 1; i++)
		CHECK_EQ(extents_add(&e, i % 3, (uint64_t)(EXTENTS_INLINE_MAX + 1 - i) * P4, 1), 0);
	CHECK_EQ(e.n, EXTENTS_INLINE_MAX + 1);
	CHECK_EQ(extents_save(&e, tpath("big.json")), 0);
	CHECK_STR(e.file, "big.extents");
	CHECK(access(tpath("big.extents"), R_OK) == 0);
	snprintf(mj, sizeof(mj),
		 "{\"address_extents_file\": \"big.extents\", "
		 "\"address_extents_sha256\": \"%s\"}",
		 e.file_sha256);
	m = json_loads(mj, 0, &je);
	CHECK(m);
	CHECK_EQ(extents_from_manifest(m, tpath("big.json"), P4, e.pages, &back, err, sizeof(err)),
		 0);
	CHECK_EQ(back.n, e.n);
	for (size_t i = 0; i < e.n; i++)
		CHECK(back.v[i].space == e.v[i].space && back.v[i].addr == e.v[i].addr &&
		      back.v[i].pages == e.v[i].pages);
	extents_free(&back);
	json_decref(m);
	extents_free(&e);
	/* a small corpus naming its file; a file changed since is refused */
	free(make_corpus("f", P4, 4, 3, NULL));
	f = fopen(tpath("f.extents"), "w");
	fprintf(f, "# zpoolbench address extents v1\n0 16384 2\n1 0 2\n");
	fclose(f);
	{
		char sha[65], *json = NULL;
		size_t len = 0;
		FILE *mf;
		uint8_t *p = malloc(4 * P4);
		const char *text = "# zpoolbench address extents v1\n0 16384 2\n1 0 2\n";

		for (int i = 0; i < 4; i++)
			pattern_fill(p + i * P4, P4, 3 + i);
		sha256_buf_hex(p, 4 * P4, sha);
		mf = open_memstream(&json, &len);
		fprintf(mf,
			"{\"format\": \"zpoolbench-corpus\", \"format_version\": 1, "
			"\"page_size\": 4096, \"pages\": 4, \"sha256\": \"%s\", ",
			sha);
		sha256_buf_hex(text, strlen(text), sha);
		fprintf(mf,
			"\"address_extents_file\": \"f.extents\", \"address_extents_sha256\": "
			"\"%s\"}\n",
			sha);
		fclose(mf);
		f = fopen(tpath("f.json"), "w");
		fputs(json, f);
		fclose(f);
		free(json);
		free(p);
	}
	CHECK_EQ(open_c(&c, "f", err, sizeof(err)), 0);
	CHECK(extents_present(c.manifest));
	corpus_close(&c);
	f = fopen(tpath("f.extents"), "w");
	fprintf(f, "# zpoolbench address extents v1\n0 16384 2\n1 4096 2\n");
	fclose(f);
	CHECK_EQ(open_c(&c, "f", err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: %s has sha256 ", tpath("f.json"), tpath("f.extents"));
	CHECK(!strncmp(err, want, strlen(want)));
	CHECK(strstr(err, "the file or the manifest was changed"));
}
