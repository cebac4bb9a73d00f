// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_unit.c - multi-page compression units (run --unit): a page set of
 * 16 KiB units stored whole in pools of 4 KiB pages by the allocators that
 * hold them (zsmalloc:mp=2, malloc, ideal), refused by those that do not;
 * zram's rules on whole units (same-filled units, raw units at the
 * multi-page huge threshold); a load reads one 4 KiB page of its unit and
 * checks the whole unit (a corrupted object is caught); original bytes are
 * counted in units.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness.h"
#include "fixture.h"
#include "corpus/corpus.h"
#include "driver/frontend.h"
#include "driver/metrics.h"
#include "driver/pageset.h"
#include "util.h"

#define U16 16384

/* Five 16 KiB units: zero; same-filled; random; text; text whose first 4 KiB are same-filled. */
static int make_units(char *path, size_t len)
{
	static uint8_t p[5 * U16];

	for (int i = 0; i < 5; i++) {
		uint8_t *pg = p + i * U16;

		if (i == 0)
			memset(pg, 0, U16);
		else if (i == 1)
			memset(pg, 0x5a, U16);
		else if (i == 2)
			pattern_fill(pg, U16, 91);
		else
			for (int k = 0; k < U16; k++)
				pg[k] = "units of four pages compress better than one page "[(k * 7 + i) %
											     51];
		if (i == 4)
			memset(pg, 0x22, 4096);
	}
	return fixture_corpus("unit", p, 5, U16, path, len);
}

static void open_units(struct corpus *c, struct pageset *ps, const char *codec_spec)
{
	char path[80], err[512];
	struct codec codec;

	CHECK(!make_units(path, sizeof(path)));
	CHECK(!corpus_open(c, path, err, sizeof(err)));
	fixture_corpus_remove(path);
	CHECK(!codec_parse(codec_spec, &codec, err, sizeof(err)));
	CHECK(!pageset_open(ps, c, &codec, 1, "off", err, sizeof(err)));
}

/* Store the five units of @ps in @spec behind @fe_spec with --unit 16K; check counts and loads. */
static void one(const struct pageset *ps, const char *fe_spec, const char *spec, uint64_t same,
		uint64_t stored, uint64_t huge)
{
	struct codec_ctx *cx = codec_ctx_new(&ps->codec);
	uint8_t *buf = malloc(codec_bound(U16));
	struct fe_config cfg;
	struct frontend *fe;
	struct raw_counts r;
	struct derived d;
	struct fe_lat l;
	char err[512];

	CHECK(!fe_parse(fe_spec, &cfg, err, sizeof(err)));
	cfg.unit = U16;
	fe = fe_create(&cfg, spec, ps, ps->n, err, sizeof(err));
	if (!fe)
		zt_fail(__FILE__, __LINE__, "%s: %s", spec, err);
	CHECK(fe);
	CHECK_EQ(fe->page, U16);
	CHECK_EQ(fe->pool_page, 4096);
	for (uint32_t i = 0; i < 5; i++)
		fe_store(fe, i, i, &l);
	memset(&r, 0, sizeof(r));
	fe_snapshot(fe, &r);
	CHECK_EQ(r.page_size, 4096);
	CHECK_EQ(r.unit_bytes, U16);
	if (r.same_filled != same || r.stored != stored || r.huge != huge || r.rejected)
		zt_fail(__FILE__, __LINE__,
			"%s behind %s: same %llu stored %llu huge %llu rejected %llu", spec,
			fe_spec, (unsigned long long)r.same_filled, (unsigned long long)r.stored,
			(unsigned long long)r.huge, (unsigned long long)r.rejected);
	CHECK_OK();
	/* original bytes in units, pool bytes in 4 KiB pages */
	metrics_derive(&r, &d);
	CHECK(d.effective_ratio > 0.99 * (double)(same + stored) * U16 /
					  ((double)r.pool_pages * 4096 + (double)r.metadata_bytes));
	CHECK(d.effective_ratio < 1.01 * (double)(same + stored) * U16 /
					  ((double)r.pool_pages * 4096 + (double)r.metadata_bytes));
	/* every slot reads back (a 4 KiB page of the unit at slot mod 4; the whole unit checked) */
	for (uint32_t i = 0; i < 5; i++) {
		CHECK(!fe_load(fe, i, cx, buf, &l));
		if (fe_slot_state(&fe->slots[i]) == SLOT_OBJ) {
			CHECK(pageset_is_page(ps, i, buf));
			CHECK(l.e2e_ns > 0);
		}
	}
	/* a corrupted object is caught: in the page read and in a page not read (slot 3: page 3) */
	CHECK(fe_slot_state(&fe->slots[3]) == SLOT_OBJ);
	((uint8_t *)zpool_map(fe->zp, fe->slots[3].handle, ZPOOL_MM_RW))[fe->hlen + 5] ^= 0x10;
	zpool_unmap(fe->zp, fe->slots[3].handle);
	CHECK(fe_load(fe, 3, cx, buf, &l) == -1);
	CHECK(strstr(fe->err, "data mismatch: slot 3"));
	fe_destroy(fe);
	codec_ctx_free(cx);
	free(buf);
}

TEST(unit16k_allocators_that_hold_units)
{
	struct corpus c;
	struct pageset ps;

	open_units(&c, &ps, "lz4");
	CHECK_EQ(ps.page, U16);
	CHECK(ps.pg[2].len > U16); /* random: grows */
	/*
	 * zram: the zero and the 0x5a unit take nothing (unit 4 is not same-filled
	 * as a whole); the random unit is stored raw, 16 KiB (at or above
	 * zsmalloc:mp=2's multi-page huge_class_size, 14521 B; the unit for
	 * malloc and ideal, which have none)
	 */
	one(&ps, "zram", "zsmalloc:mp=2", 2, 3, 1);
	one(&ps, "zram", "zsmalloc:mp=2,chain=4", 2, 3, 1);
	one(&ps, "zram", "malloc", 2, 3, 1);
	one(&ps, "zram", "ideal", 2, 3, 1);
	pageset_free(&ps);
	corpus_close(&c);
}

TEST(unit16k_zram_huge_threshold_is_the_multi_page_one)
{
	struct corpus c;
	struct pageset ps;
	struct fe_config cfg;
	struct frontend *fe;
	char err[512];

	open_units(&c, &ps, "zstd:3");
	CHECK(!fe_parse("zram", &cfg, err, sizeof(err)));
	cfg.unit = U16;
	fe = fe_create(&cfg, "zsmalloc:mp=2", &ps, ps.n, err, sizeof(err));
	CHECK(fe);
	CHECK_EQ(fe->huge, 14521); /* chain 8, 16 KiB units (RFC v3), not the page's 3625 */
	fe_destroy(fe);
	fe = fe_create(&cfg, "ideal", &ps, ps.n, err, sizeof(err));
	CHECK(fe);
	CHECK_EQ(fe->huge, U16);
	fe_destroy(fe);
	pageset_free(&ps);
	corpus_close(&c);
}

TEST(unit16k_refused_by_allocators_that_cannot_hold_it)
{
	static const char *const no[] = { "zsmalloc",
					  "zbud",
					  "z3fold",
					  "zblock",
					  "zblock:table=pow2",
					  "zsmalloc:kernel=rfc2026" };
	struct corpus c;
	struct pageset ps;
	struct fe_config cfg;
	char err[512];

	open_units(&c, &ps, "lz4");
	CHECK(!fe_parse("zram", &cfg, err, sizeof(err)));
	cfg.unit = U16;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		err[0] = '\0';
		CHECK(!fe_create(&cfg, no[i], &ps, ps.n, err, sizeof(err)));
		if (!strstr(err, "--unit of 16384 B needs one that holds 16384 B"))
			zt_fail(__FILE__, __LINE__, "%s: '%s'", no[i], err);
	}
	/* without --unit a pool of 4 KiB pages does not take 16 KiB pages */
	cfg.unit = 0;
	CHECK(!fe_create(&cfg, "ideal", &ps, ps.n, err, sizeof(err)));
	CHECK(strstr(err, "a pool of 4096-byte pages"));
	pageset_free(&ps);
	corpus_close(&c);
}
