// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_frontend16k.c - the driver at 16 KiB pages: a page set of 16 KiB
 * pages (and the same corpus read as 4 KiB pages), the front ends' rules on
 * whole 16 KiB pages (same-filled over 16 KiB, zram's huge threshold from
 * the allocator at that page size, raw pages of 16 KiB, zswap refusing
 * output over a page), every allocator storing and giving back every page
 * (a corrupted object caught on load), and a pool of the wrong page size
 * refused.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness.h"
#include "fixture.h"
#include "corpus/corpus.h"
#include "driver/frontend.h"
#include "driver/pageset.h"
#include "driver/workload.h"
#include "util.h"

#define P16 16384

/*
 * Six 16 KiB pages: zero; same-filled (0xab); random (incompressible);
 * text; a page whose first 4 KiB are same-filled and the rest text (not
 * same-filled as a 16 KiB page); text again.  With a manifest.
 */
static int make_corpus16(char *path, size_t len)
{
	static uint8_t p[6 * P16];

	for (int i = 0; i < 6; i++) {
		uint8_t *pg = p + i * P16;

		if (i == 0)
			memset(pg, 0, P16);
		else if (i == 1)
			memset(pg, 0xab, P16);
		else if (i == 2)
			pattern_fill(pg, P16, 77);
		else
			for (int k = 0; k < P16; k++)
				pg[k] = "zpoolbench stores compressed pages of sixteen KiB "[(k + i) %
											     50];
		if (i == 4)
			memset(pg, 0x11, 4096);
	}
	return fixture_corpus("fe16", p, 6, P16, path, len);
}

TEST(fe16k_page_sets_and_views)
{
	char path[80], err[512];
	struct corpus c;
	struct codec codec;
	struct pageset ps, ps4;

	CHECK(!make_corpus16(path, sizeof(path)));
	CHECK(!corpus_open(&c, path, err, sizeof(err)));
	fixture_corpus_remove(path);
	CHECK(!codec_parse("lz4", &codec, err, sizeof(err)));
	CHECK(!pageset_open(&ps, &c, &codec, 2, "off", err, sizeof(err)));
	CHECK_EQ(ps.page, P16);
	CHECK_EQ(ps.n, 6);
	CHECK_EQ(ps.same_pages, 2); /* page 4 is not same-filled as a whole */
	CHECK(ps.pg[2].len > P16);  /* random data grows */
	CHECK(ps.pg[3].len < 1000);
	/* read as 4 KiB pages: 24 pages, 4 + 4 + 1 of them same-filled */
	CHECK(!pageset_open_view(&ps4, &c, 4096, &codec, 2, "off", err, sizeof(err)));
	CHECK_EQ(ps4.page, 4096);
	CHECK_EQ(ps4.n, 24);
	CHECK_EQ(ps4.same_pages, 9);
	pageset_free(&ps4);
	/* larger than the corpus's pages: refused */
	CHECK(pageset_open_view(&ps4, &c, 65536, &codec, 2, "off", err, sizeof(err)));
	CHECK(strstr(err, "has 16384-byte pages, not 65536"));
	pageset_free(&ps);
	corpus_close(&c);
}

/* Store the six pages in @spec behind @fe_spec; check what the front end did and every load. */
static void one(const struct pageset *ps, const char *fe_spec, const char *spec, uint64_t stored,
		uint64_t huge, uint64_t rejected)
{
	struct codec_ctx *cx = codec_ctx_new(&ps->codec);
	uint8_t *buf = malloc(codec_bound(P16));
	struct fe_config cfg;
	struct frontend *fe;
	struct raw_counts r;
	struct fe_lat l;
	char err[512];

	CHECK(!fe_parse(fe_spec, &cfg, err, sizeof(err)));
	fe = fe_create(&cfg, spec, ps, ps->n, err, sizeof(err));
	if (!fe)
		zt_fail(__FILE__, __LINE__, "%s: %s", spec, err);
	CHECK(fe);
	CHECK_EQ(fe->page, P16);
	for (uint32_t i = 0; i < 6; i++)
		fe_store(fe, i, i, &l);
	fe_snapshot(fe, &r);
	CHECK_EQ(r.page_size, P16);
	if (r.stored != stored || r.huge != huge || r.rejected != rejected)
		zt_fail(__FILE__, __LINE__, "%s behind %s: stored %llu huge %llu rejected %llu",
			spec, fe_spec, (unsigned long long)r.stored, (unsigned long long)r.huge,
			(unsigned long long)r.rejected);
	CHECK_OK();
	for (uint32_t i = 0; i < 6; i++)
		CHECK(!fe_load(fe, i, cx, buf, &l));
	/* a corrupted object is caught on load (the text page 5, stored compressed) */
	CHECK(fe_slot_state(&fe->slots[5]) == SLOT_OBJ);
	((uint8_t *)zpool_map(fe->zp, fe->slots[5].handle, ZPOOL_MM_RW))[fe->hlen + 7] ^= 0x40;
	zpool_unmap(fe->zp, fe->slots[5].handle);
	CHECK(fe_load(fe, 5, cx, buf, &l) == -1);
	CHECK(strstr(fe->err, "data mismatch: slot 5"));
	fe_destroy(fe);
	codec_ctx_free(cx);
	free(buf);
}

TEST(fe16k_every_allocator_through_zram_and_zswap)
{
	char path[80], err[512];
	struct corpus c;
	struct codec codec;
	struct pageset ps;

	CHECK(!make_corpus16(path, sizeof(path)));
	CHECK(!corpus_open(&c, path, err, sizeof(err)));
	fixture_corpus_remove(path);
	CHECK(!codec_parse("lz4", &codec, err, sizeof(err)));
	CHECK(!pageset_open(&ps, &c, &codec, 2, "off", err, sizeof(err)));
	/*
	 * zram: 2 same-filled pages take nothing; the random page goes raw, a
	 * whole 16 KiB page, where the allocator takes one (z3fold's headless
	 * pages, zblock's April 2025 table), and is refused by zbud (at most
	 * 15872 B) and zblock's later table (a size equal to its largest slot
	 * falls off the table), as at 4 KiB.
	 */
	one(&ps, "zram", "zsmalloc:page=16384", 4, 1, 0);
	one(&ps, "zram", "zsmalloc:kernel=6.1,page=16384", 4, 1, 0);
	one(&ps, "zram", "zbud:page=16384", 3, 0, 1);
	one(&ps, "zram", "z3fold:page=16384", 4, 1, 0);
	one(&ps, "zram", "z3fold:kernel=6.1,page=16384", 4, 1, 0);
	one(&ps, "zram", "zblock:page=16384", 3, 0, 1);
	one(&ps, "zram", "zblock:table=pow2,page=16384", 4, 1, 0);
	one(&ps, "zram", "malloc:page=16384", 4, 1, 0);
	one(&ps, "zram", "ideal:page=16384", 4, 1, 0);
	/* zswap: output over a page refused (compress_poor); zbud gets its header */
	one(&ps, "zswap", "zsmalloc:page=16384", 3, 0, 1);
	one(&ps, "zswap", "zbud:page=16384", 3, 0, 1);
	one(&ps, "zswap", "zblock:page=16384", 3, 0, 1);
	/* none: every page to the allocator, the one over a page refused */
	one(&ps, "none", "zsmalloc:page=16384", 5, 0, 1);
	pageset_free(&ps);
	corpus_close(&c);
}

TEST(fe16k_huge_threshold_and_refusal)
{
	char path[80], err[512];
	struct corpus c;
	struct codec codec;
	struct pageset ps;
	struct fe_config cfg;
	struct frontend *fe;

	CHECK(!make_corpus16(path, sizeof(path)));
	CHECK(!corpus_open(&c, path, err, sizeof(err)));
	fixture_corpus_remove(path);
	CHECK(!codec_parse("zstd:3", &codec, err, sizeof(err)));
	CHECK(!pageset_open(&ps, &c, &codec, 1, "off", err, sizeof(err)));
	CHECK(!fe_parse("zram", &cfg, err, sizeof(err)));
	/* zsmalloc at 16 KiB, chain 8: huge_class_size 14553 (4 KiB: 3625) */
	fe = fe_create(&cfg, "zsmalloc:page=16384", &ps, ps.n, err, sizeof(err));
	CHECK(fe);
	CHECK_EQ(fe->huge, 14553);
	fe_destroy(fe);
	/* an allocator without a huge size: the page */
	fe = fe_create(&cfg, "ideal:page=16384", &ps, ps.n, err, sizeof(err));
	CHECK(fe);
	CHECK_EQ(fe->huge, P16);
	fe_destroy(fe);
	/* a pool of 4 KiB pages cannot take 16 KiB pages */
	fe = fe_create(&cfg, "zsmalloc", &ps, ps.n, err, sizeof(err));
	CHECK(fe == NULL);
	CHECK(strstr(err, "zsmalloc: a pool of 4096-byte pages, but the pages of zpb-test-fe16."));
	CHECK(strstr(err, " are 16384 bytes"));
	pageset_free(&ps);
	corpus_close(&c);
}

TEST(fe16k_workloads_verify)
{
	char path[80], err[512];
	struct corpus c;
	struct codec codec;
	struct pageset ps;
	struct fe_config cfg;
	struct frontend *fe;
	struct raw_counts r;
	struct curve curve = { 0 };
	struct wl_params p = { .seed = 3, .threads = 2, .churn_rounds = 4, .churn_percent = 40 };

	CHECK(!make_corpus16(path, sizeof(path)));
	CHECK(!corpus_open(&c, path, err, sizeof(err)));
	fixture_corpus_remove(path);
	CHECK(!codec_parse("zstd:1", &codec, err, sizeof(err)));
	CHECK(!pageset_open(&ps, &c, &codec, 2, "off", err, sizeof(err)));
	CHECK(!fe_parse("zram", &cfg, err, sizeof(err)));
	fe = fe_create(&cfg, "zsmalloc:chain=4,page=16384", &ps, 600, err, sizeof(err));
	CHECK(fe);
	CHECK(!wl_fill(fe, &p, &r, err, sizeof(err)));
	raw_counts_release(&r); /* the counts own their latency histograms */
	CHECK_EQ(r.stored + r.same_filled, 600);
	CHECK(!wl_load(fe, &p, &r, err, sizeof(err)));
	raw_counts_release(&r);
	CHECK(!wl_churn(fe, &p, &r, &curve, err, sizeof(err)));
	raw_counts_release(&r);
	CHECK(curve.n > 2);
	CHECK(r.pool_pages > 0 && r.page_size == P16);
	curve_release(&curve);
	fe_destroy(fe);
	pageset_free(&ps);
	corpus_close(&c);
}
