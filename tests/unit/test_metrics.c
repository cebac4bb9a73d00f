// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_metrics.c - the driver's arithmetic on hand-computed cases
 * (percentiles, density, effective ratio, packing bound, Mop/s, medians,
 * Pareto sets), the results schema, grids, option lists, and the front
 * ends' rules on a small corpus written by the test.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness.h"
#include "driver/frontend.h"
#include "cmd/grid.h"
#include "driver/metrics.h"
#include "driver/pageset.h"
#include "output/results.h"
#include "output/tradeoff.h"
#include "driver/run.h"
#include "util.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

TEST(metrics_percentiles_nearest_rank)
{
	struct lat_samples s = { 0 };
	struct lat_pct p;

	/*
	 * 1..1000 shuffled.  Below 256 ns a bucket is one value; 256..511 are
	 * 2 ns wide, 512..1023 4 ns: nearest rank 500 falls in [500, 501]
	 * (mean 500.5), 900 in [900, 903] (901.5), 990 in [988, 991] (989.5),
	 * 999 in [996, 999] (997.5).
	 */
	for (int i = 0; i < 1000; i++)
		CHECK(!lat_add(&s, (uint64_t)((i * 7919) % 1000) + 1));
	lat_percentiles(&s, &p);
	CHECK_EQ(p.n, 1000);
	CHECK(NEAR(p.p50, 500.5) && NEAR(p.p90, 901.5) && NEAR(p.p99, 989.5) && NEAR(p.p999, 997.5));
	CHECK_EQ(p.sum_ns, 500500);
	/* the trimmed series keeps the buckets up to p99.9's: all but the 1000 */
	CHECK_EQ(p.n_trim, 999);
	CHECK_EQ(p.sum_trim_ns, 500500 - 1000);
	lat_release(&s);

	/* four samples: p50 is the 2nd, p90/p99 the 4th */
	CHECK(!lat_add(&s, 40) && !lat_add(&s, 10) && !lat_add(&s, 30) && !lat_add(&s, 20));
	lat_percentiles(&s, &p);
	CHECK(NEAR(p.p50, 20) && NEAR(p.p90, 40) && NEAR(p.p99, 40));
	CHECK(NEAR(p.max, 40));
	lat_release(&s);

	/* the maximum is exact where the log buckets are not, and survives a merge */
	{
		struct lat_samples a = { 0 }, b = { 0 };

		CHECK(!lat_add(&a, 100) && !lat_add(&a, 1234567));
		CHECK(!lat_add(&b, 7654321) && !lat_add(&b, 5));
		CHECK(!lat_append(&a, &b));
		lat_percentiles(&a, &p);
		CHECK_EQ(p.n, 4);
		CHECK(NEAR(p.max, 7654321));
		lat_reset(&a);
		CHECK(!lat_add(&a, 9));
		lat_percentiles(&a, &p);
		CHECK(NEAR(p.max, 9));
		lat_release(&a);
		lat_release(&b);
	}

	lat_percentiles(&s, &p);
	CHECK_EQ(p.n, 0);
	CHECK(NEAR(p.p99, 0));
}

TEST(metrics_histogram_buckets)
{
	/* one bucket per ns below 256, then 128 per power of two */
	CHECK_EQ(lat_bucket(0), 0);
	CHECK_EQ(lat_bucket(255), 255);
	CHECK_EQ(lat_bucket(256), 256);
	CHECK_EQ(lat_bucket(257), 256);
	CHECK_EQ(lat_bucket(258), 257);
	CHECK_EQ(lat_bucket(511), 383);
	CHECK_EQ(lat_bucket(512), 384);
	CHECK_EQ(lat_bucket(4096), 256 + 4 * 128);
	CHECK_EQ(lat_bucket(UINT32_MAX), LAT_NBUCKETS - 1);
	CHECK_EQ(lat_bucket(1ULL << 40), LAT_NBUCKETS - 1);
	/* every bucket's low end maps back to it, and the one below to the bucket below */
	for (unsigned int b = 1; b < LAT_NBUCKETS; b++) {
		CHECK_EQ(lat_bucket(lat_bucket_low(b)), b);
		CHECK_EQ(lat_bucket(lat_bucket_low(b) - 1), b - 1);
	}
	/* at most 1/128 of its values wide */
	for (unsigned int b = LAT_LINEAR; b + 1 < LAT_NBUCKETS; b++)
		CHECK((lat_bucket_low(b + 1) - lat_bucket_low(b)) * 128 <= lat_bucket_low(b));
}

TEST(metrics_histogram_merge_is_exact)
{
	struct lat_samples a = { 0 }, b = { 0 }, all = { 0 };
	struct lat_hist ha, hb, hall;
	struct lat_pct pm, pa;
	uint64_t rng = 7;

	/* two series with different ranges; merged sparse == sparse of all samples */
	for (int i = 0; i < 5000; i++) {
		uint64_t x = 100 + rng_below(&rng, 3000), y = 2000 + rng_below(&rng, 90000);

		CHECK(!lat_add(&a, x) && !lat_add(&all, x));
		CHECK(!lat_add(&b, y) && !lat_add(&all, y));
	}
	CHECK(!lat_hist_of(&ha, &a) && !lat_hist_of(&hb, &b) && !lat_hist_of(&hall, &all));
	CHECK(!lat_hist_merge(&ha, &hb));
	CHECK_EQ(ha.nb, hall.nb);
	for (uint32_t k = 0; k < ha.nb; k++)
		CHECK(ha.idx[k] == hall.idx[k] && ha.cnt[k] == hall.cnt[k] &&
		      ha.sum[k] == hall.sum[k]);
	lat_hist_pct(&ha, &pm);
	lat_hist_pct(&hall, &pa);
	CHECK(pm.p50 == pa.p50 && pm.p99 == pa.p99 && pm.p999 == pa.p999);
	CHECK(pm.sum_trim_ns == pa.sum_trim_ns && pm.n == 10000);
	lat_hist_free(&ha);
	lat_hist_free(&hb);
	lat_hist_free(&hall);
	lat_release(&a);
	lat_release(&b);
	lat_release(&all);
}

TEST(metrics_histogram_set_refuses_nonsense)
{
	uint64_t idx[] = { 10, 300 }, cnt[] = { 2, 1 }, sum[] = { 20, 345 };
	struct lat_hist h;
	struct lat_pct p;
	char err[256];

	CHECK(!lat_hist_set(&h, 2, idx, cnt, sum, err, sizeof(err)));
	lat_hist_pct(&h, &p);
	CHECK(p.n == 3 && NEAR(p.p50, 10) && NEAR(p.p999, 345));
	lat_hist_free(&h);
	sum[1] = 400; /* bucket 300 holds 344..345 ns */
	CHECK(lat_hist_set(&h, 2, idx, cnt, sum, err, sizeof(err)) < 0);
	CHECK(strstr(err, "outside"));
	sum[1] = 344;
	idx[1] = 10; /* not ascending */
	CHECK(lat_hist_set(&h, 2, idx, cnt, sum, err, sizeof(err)) < 0);
	idx[1] = LAT_NBUCKETS;
	CHECK(lat_hist_set(&h, 2, idx, cnt, sum, err, sizeof(err)) < 0);
}

TEST(metrics_derive_hand_case)
{
	struct raw_counts r;
	struct derived d;

	memset(&r, 0, sizeof(r));
	/* 10 objects of 1000 bytes + 2 same-filled pages, in 4 pool pages + 384 B metadata */
	r.stored = 10;
	r.same_filled = 2;
	r.compressed_bytes = 10000;
	r.pool_pages = 4;
	r.metadata_bytes = 384;
	r.lat[LAT_STORE].n_trim = 10;
	r.lat[LAT_STORE].sum_trim_ns = 5000; /* 500 ns each: 2 Mop/s */
	r.lat[LAT_STORE].n = 10;
	r.lat[LAT_LOAD].n_trim = 4;
	r.lat[LAT_LOAD].sum_trim_ns = 400; /* 100 ns each: 10 Mop/s */
	r.lat[LAT_LOAD].n = 4;
	r.phase_ns = 14000; /* 14 ops in 14 us: 1 Mop/s */
	metrics_derive(&r, &d);
	CHECK(NEAR(d.density, 10000.0 / (4 * 4096 + 384)));
	CHECK(NEAR(d.effective_ratio, 12.0 * 4096 / (4 * 4096 + 384)));
	CHECK_EQ(d.ideal_pages, 3); /* ceil(10000 / 4096) */
	CHECK_EQ(d.ideal_gap_pages, 1);
	CHECK(NEAR(d.ideal_fraction, 0.75));
	CHECK(NEAR(d.store_mops, 2.0));
	CHECK(NEAR(d.load_mops, 10.0));
	CHECK(NEAR(d.wall_mops, 1.0));
	CHECK(isnan(d.free_mops)); /* no frees: does not apply */

	/* exactly one page of bytes: the bound is one page */
	r.compressed_bytes = 4096;
	metrics_derive(&r, &d);
	CHECK_EQ(d.ideal_pages, 1);
	r.compressed_bytes = 4097;
	metrics_derive(&r, &d);
	CHECK_EQ(d.ideal_pages, 2);

	/* an empty pool: no division by zero */
	memset(&r, 0, sizeof(r));
	metrics_derive(&r, &d);
	CHECK(isnan(d.density) && isnan(d.effective_ratio) && isnan(d.store_mops));
}

TEST(metrics_figure_of_and_mops)
{
	double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 }, na[] = { NAN, 2, NAN, 4 };
	struct figure f = figure_of(odd, 3);

	CHECK(NEAR(f.med, 3) && NEAR(f.min, 1) && NEAR(f.max, 5) && f.n == 3);
	CHECK(odd[0] == 5); /* the input is left as it was */
	f = figure_of(even, 4);
	CHECK(NEAR(f.med, 2.5) && NEAR(f.lower, 2) && NEAR(f.min, 1) && NEAR(f.max, 4));
	/* values that do not apply are left out; none at all is NAN */
	f = figure_of(na, 4);
	CHECK(f.n == 2 && NEAR(f.med, 3) && NEAR(f.min, 2));
	f = figure_of(na, 1);
	CHECK(f.n == 0 && isnan(f.med) && isnan(f.min) && isnan(f.max));
	CHECK(NEAR(mops(1000, 1000000), 1.0)); /* 1000 ops in 1 ms */
	CHECK(NEAR(mops(5, 0), 0.0));
}

TEST(metrics_pareto)
{
	/* (throughput, density) */
	double x[] = { 1, 2, 3, 2, 0.5, 3 };
	double y[] = { 0.9, 0.8, 0.5, 0.7, 0.95, 0.5 };
	bool p[6];

	pareto_mark(x, y, 6, p);
	CHECK(p[0] && p[1] && p[4]);
	CHECK(!p[3]);	     /* dominated by (2, 0.8) */
	CHECK(p[2] && p[5]); /* equal points are both kept */
	pareto_mark(x, y, 1, p);
	CHECK(p[0]);
}

TEST(metrics_results_schema)
{
	static const char *const stable[] = {
		"pages",
		"same_filled",
		"stored",
		"rejected",
		"compressed_bytes",
		"pool_pages",
		"metadata_bytes",
		"density",
		"effective_ratio",
		"ideal_pages",
		"store_ns_p50",
		"store_ns_p99",
		"load_ns_p50",
		"load_ns_p99",
		"store_mops",
		"load_mops",
		"compact_pages_freed",
	};
	int n = sizeof(stable) / sizeof(stable[0]);

	CHECK(results_ncols() > n);
	for (int i = 0; i < n; i++)
		CHECK_STR(results_col_name(i), stable[i]);
	CHECK(results_col_find("free_ns_p999") > 0);
	CHECK_EQ(results_col_find("no_such_column"), -1);
}

TEST(metrics_results_median_of_repeats)
{
	struct raw_counts rep[3];
	struct run_row row;

	memset(rep, 0, sizeof(rep));
	memset(&row, 0, sizeof(row));
	for (int i = 0; i < 3; i++) {
		rep[i].compressed_bytes = 8192;
		rep[i].pool_pages = 3 + i; /* densities 2/3, 1/2, 2/5 */
		rep[i].lat[LAT_STORE].n = rep[i].lat[LAT_STORE].n_trim = 100;
		rep[i].lat[LAT_STORE].sum_trim_ns = 100 * (100 + 100 * i);
	}
	row.rep = rep;
	row.nrep = 3;
	CHECK(NEAR(results_get(&row, "density"), 0.5));
	CHECK(NEAR(results_value(&row, results_col_find("density"), COL_MIN), 0.4));
	CHECK(NEAR(results_value(&row, results_col_find("density"), COL_MAX), 2.0 / 3));
	CHECK(NEAR(results_get(&row, "store_mops"), 5.0)); /* 200 ns */
	CHECK(NEAR(results_get(&row, "pool_pages"), 4));
	/* an even count takes the lower median of a count */
	row.nrep = 2;
	CHECK(NEAR(results_get(&row, "pool_pages"), 3));
}

TEST(metrics_csv_quoting)
{
	char buf[256];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	CHECK(f);
	csv_field(f, "zbud");
	fputc('|', f);
	csv_field(f, "z3fold:compaction=extra,gap=2");
	fputc('|', f);
	csv_field(f, "a\"b");
	fclose(f);
	CHECK_STR(buf, "zbud|\"z3fold:compaction=extra,gap=2\"|\"a\"\"b\"");
}

TEST(metrics_grid_expand)
{
	static char out[64][GRID_LINE_MAX];
	char err[256];
	int n;

	n = grid_expand("z3fold:compaction={none,middle},gap={1..3}", out, 64, err, sizeof(err));
	CHECK_EQ(n, 6);
	CHECK_STR(out[0], "z3fold:compaction=none,gap=1");
	CHECK_STR(out[2], "z3fold:compaction=none,gap=3");
	CHECK_STR(out[5], "z3fold:compaction=middle,gap=3");
	CHECK_EQ(grid_expand("zbud", out, 64, err, sizeof(err)), 1);
	CHECK_STR(out[0], "zbud");
	CHECK_EQ(grid_expand("a{1,2", out, 64, err, sizeof(err)), -1);
	CHECK(strstr(err, "unbalanced"));
	CHECK_EQ(grid_expand("a{3..1}", out, 64, err, sizeof(err)), -1);
	CHECK(strstr(err, "bad range"));
	CHECK_EQ(grid_expand("a{x,,y}", out, 64, err, sizeof(err)), -1);
	CHECK_EQ(grid_expand("a{{1}}", out, 64, err, sizeof(err)), -1);
	CHECK_EQ(grid_expand("a{1..10}{1..10}", out, 64, err, sizeof(err)), -1);
	CHECK(strstr(err, "more than 64"));
}

TEST(metrics_frontend_and_workload_specs)
{
	struct fe_config c;
	unsigned int mask;
	char err[256];

	CHECK(!fe_parse("zram", &c, err, sizeof(err)) && c.kind == FE_ZRAM && !c.mem_limit_pages);
	CHECK(!fe_parse("zram:mem_limit=1M", &c, err, sizeof(err)) && c.mem_limit_pages == 256);
	CHECK(!fe_parse("zswap:ram=64M,max_pool_percent=25", &c, err, sizeof(err)));
	CHECK(c.kind == FE_ZSWAP && c.ram_pages == 16384 && c.max_pool_percent == 25 &&
	      c.accept_threshold_percent == 90);
	CHECK(!fe_parse("none", &c, err, sizeof(err)) && c.kind == FE_NONE);
	CHECK(fe_parse("zcache", &c, err, sizeof(err)));
	CHECK(strstr(err, "unknown front end 'zcache'"));
	CHECK(fe_parse("zram:ram=1M", &c, err, sizeof(err))); /* a zswap key */
	CHECK(fe_parse("zswap:max_pool_percent=0", &c, err, sizeof(err)));
	CHECK(fe_parse("zram:mem_limit", &c, err, sizeof(err)));
	CHECK(!run_parse_workloads("fill,churn", &mask, err, sizeof(err)));
	CHECK_EQ(mask, (1u << WL_FILL) | (1u << WL_CHURN));
	CHECK(run_parse_workloads("fill,", &mask, err, sizeof(err)));
	CHECK(run_parse_workloads("fill,sleep", &mask, err, sizeof(err)));
	CHECK(strstr(err, "'sleep'"));
}

/*
 * A 6-page corpus: zero page, a same-filled page, random (incompressible),
 * text, random again, text.
 */
static int make_corpus(char *path, size_t len)
{
	uint8_t page[4096];
	FILE *f;
	int fd;

	snprintf(path, len, "/tmp/zpb-test-metrics-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	for (int i = 0; i < 6; i++) {
		if (i == 0)
			memset(page, 0, sizeof(page));
		else if (i == 1)
			memset(page, 0xab, sizeof(page));
		else if (i == 2 || i == 4)
			pattern_fill(page, sizeof(page), 1000 + i);
		else
			for (int k = 0; k < 4096; k++)
				page[k] = "zpoolbench stores compressed pages "[k % 35];
		fwrite(page, 1, sizeof(page), f);
	}
	return fclose(f);
}

TEST(metrics_frontend_rules)
{
	char path[64], err[512];
	struct corpus corpus;
	struct codec codec;
	struct pageset ps;
	struct fe_config cfg;
	struct frontend *fe;
	struct raw_counts r;
	struct fe_lat l;
	struct codec_ctx *cx;
	uint8_t buf[CODEC_BOUND];

	CHECK(!make_corpus(path, sizeof(path)));
	CHECK(!corpus_open(&corpus, path, err, sizeof(err)));
	unlink(path);
	CHECK(!codec_parse("lz4", &codec, err, sizeof(err)));
	CHECK(!pageset_build(&ps, &corpus, &codec, 2, err, sizeof(err)));
	CHECK_EQ(ps.same_pages, 2);
	CHECK(ps.pg[2].len > 4096); /* random data grows */
	cx = codec_ctx_new(&codec);

	/* zram + zbud: same-filled take nothing, the random pages go raw and zbud refuses 4096 */
	CHECK(!fe_parse("zram", &cfg, err, sizeof(err)));
	fe = fe_create(&cfg, "zbud", &ps, ps.n, err, sizeof(err));
	CHECK(fe);
	for (uint32_t i = 0; i < 6; i++)
		fe_store(fe, i, i, &l);
	fe_snapshot(fe, &r);
	CHECK_EQ(r.pages, 6);
	CHECK_EQ(r.same_filled, 2);
	CHECK_EQ(r.stored, 2);
	CHECK_EQ(r.rejected, 2);
	CHECK_EQ(r.rej_poor, 2);
	CHECK_EQ(r.compressed_bytes, ps.pg[3].len + ps.pg[5].len);
	for (uint32_t i = 0; i < 6; i++)
		CHECK(!fe_load(fe, i, cx, buf, &l));
	/* corrupt one stored object: the load must fail, naming the slot */
	((uint8_t *)zpool_map(fe->zp, fe->slots[3].handle, ZPOOL_MM_RW))[0] ^= 0xff;
	zpool_unmap(fe->zp, fe->slots[3].handle);
	CHECK(fe_load(fe, 3, cx, buf, &l) == -1);
	CHECK(strstr(fe->err, "data mismatch: slot 3"));
	fe_free(fe, 3, &l);
	fe_free(fe, 0, &l);
	fe_snapshot(fe, &r);
	CHECK_EQ(r.stored, 1);
	CHECK_EQ(r.same_filled, 1);
	fe_destroy(fe);

	/* zram + ideal (no huge size): raw pages of 4096 bytes are stored */
	fe = fe_create(&cfg, "ideal", &ps, ps.n, err, sizeof(err));
	CHECK(fe);
	for (uint32_t i = 0; i < 6; i++)
		fe_store(fe, i, i, &l);
	fe_snapshot(fe, &r);
	CHECK_EQ(r.stored, 4);
	CHECK_EQ(r.huge, 2);
	CHECK_EQ(r.compressed_bytes, 2 * 4096 + ps.pg[3].len + ps.pg[5].len);
	for (uint32_t i = 0; i < 6; i++)
		CHECK(!fe_load(fe, i, cx, buf, &l));
	fe_destroy(fe);

	/* zswap + zbud (has reclaim): 8-byte header, the incompressible pages refused */
	CHECK(!fe_parse("zswap", &cfg, err, sizeof(err)));
	fe = fe_create(&cfg, "zbud", &ps, ps.n, err, sizeof(err));
	CHECK(fe);
	CHECK_EQ(fe->hlen, 8);
	for (uint32_t i = 0; i < 6; i++)
		fe_store(fe, i, i, &l);
	fe_snapshot(fe, &r);
	CHECK_EQ(r.stored, 2);
	CHECK_EQ(r.rej_poor, 2);
	/* the codec's bytes: the 8-byte headers are the allocator's overhead */
	CHECK_EQ(r.compressed_bytes, ps.pg[3].len + ps.pg[5].len);
	for (uint32_t i = 0; i < 6; i++)
		CHECK(!fe_load(fe, i, cx, buf, &l));
	fe_destroy(fe);

	/* none: every page to the allocator, > 4096 refused; ideal has no reclaim: no header */
	CHECK(!fe_parse("none", &cfg, err, sizeof(err)));
	fe = fe_create(&cfg, "ideal", &ps, ps.n, err, sizeof(err));
	CHECK(fe);
	CHECK_EQ(fe->hlen, 0);
	for (uint32_t i = 0; i < 6; i++)
		fe_store(fe, i, i, &l);
	fe_snapshot(fe, &r);
	CHECK_EQ(r.same_filled, 0);
	CHECK_EQ(r.stored, 4);
	CHECK_EQ(r.rejected, 2);
	for (uint32_t i = 0; i < 6; i++)
		CHECK(!fe_load(fe, i, cx, buf, &l));
	fe_destroy(fe);

	codec_ctx_free(cx);
	pageset_free(&ps);
	corpus_close(&corpus);
}

TEST(metrics_zswap_writeback)
{
	char path[64], err[512];
	struct corpus corpus;
	struct codec codec;
	struct pageset ps;
	struct fe_config cfg;
	struct frontend *fe;
	struct raw_counts r;
	struct wl_params p = { .seed = 1, .threads = 1 };

	CHECK(!make_corpus(path, sizeof(path)));
	CHECK(!corpus_open(&corpus, path, err, sizeof(err)));
	unlink(path);
	CHECK(!codec_parse("lz4", &codec, err, sizeof(err)));
	CHECK(!pageset_build(&ps, &corpus, &codec, 1, err, sizeof(err)));
	/*
	 * 100 pages of RAM at 2 %: the pool may hold 2 pages.  The two text
	 * pages are small, so give the pool many slots cycling over them.
	 */
	CHECK(!fe_parse("zswap:ram=400K,max_pool_percent=2,accept_threshold_percent=50", &cfg, err,
			sizeof(err)));
	fe = fe_create(&cfg, "zbud", &ps, 64, err, sizeof(err));
	CHECK(fe);
	for (uint32_t i = 0; i < 64; i++) {
		struct fe_lat l;

		fe_store(fe, i, (i % 2) ? 3 : 5, &l);
	}
	fe_snapshot(fe, &r);
	CHECK(r.pool_limit_hit > 0);
	CHECK(r.written_back > 0);
	CHECK(r.pool_pages <= 3);
	CHECK_EQ(r.stored + r.written_back + r.rejected, 64);
	/* the written-back and the live objects all verified on the way */
	CHECK_EQ(fe->failed, 0);
	CHECK(!wl_load(fe, &p, &r, err, sizeof(err)));
	raw_counts_release(&r);
	fe_destroy(fe);

	/* ideal has no reclaim: a pool limit of 0 pages lets one page in, then refuses */
	CHECK(!fe_parse("zswap:ram=4K", &cfg, err, sizeof(err)));
	fe = fe_create(&cfg, "ideal", &ps, 64, err, sizeof(err));
	CHECK(fe);
	for (uint32_t i = 0; i < 64; i++) {
		struct fe_lat l;

		fe_store(fe, i, (i % 2) ? 3 : 5, &l);
	}
	fe_snapshot(fe, &r);
	CHECK_EQ(r.written_back, 0);
	CHECK(r.rej_limit > 0);
	CHECK_EQ(r.pool_pages, 1);
	fe_destroy(fe);
	pageset_free(&ps);
	corpus_close(&corpus);
}
