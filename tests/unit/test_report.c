// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_report.c - what the report says about hand-made results: ties named
 * as ties, density winners after fill and after churn, one trade-off basis
 * for the table's Pareto column and the sweep, spreads over repeats and
 * differences within them called not significant, the throughput label of
 * a fill-only run, the meaning of "balanced".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "output/report.h"
#include "output/results.h"
#include "output/sweep.h"
#include "output/tradeoff.h"

/* Rates as Mop/s: n_trim operations of @ns each. */
static void set_rate(struct lat_pct *l, double mops_v)
{
	l->n = l->n_trim = 1000;
	l->sum_ns = l->sum_trim_ns = (uint64_t)(1000 * 1e3 / mops_v);
	l->p50 = l->p99 = 1e3 / mops_v;
}

struct spec_fig {
	const char *alloc;
	uint64_t fill_pages, churn_pages; /* pool pages after fill / churn */
	double mops[3];			  /* per repeat, every rate */
};

/* Rows fill, load (and churn) per allocator, @nrep repeats, 4,000,000 compressed bytes. */
static void make(struct run_results *res, const struct spec_fig *s, int n, int nrep, bool churn)
{
	memset(res, 0, sizeof(*res));
	res->caprows = n * 3;
	res->rows = calloc(res->caprows, sizeof(*res->rows));
	for (int i = 0; i < n; i++) {
		for (int w = 0; w < (churn ? 3 : 2); w++) {
			struct run_row *r = &res->rows[res->nrows++];

			snprintf(r->corpus, sizeof(r->corpus), "c");
			snprintf(r->codec, sizeof(r->codec), "lz4:1");
			snprintf(r->alloc, sizeof(r->alloc), "%s", s[i].alloc);
			r->wl = w == 0 ? WL_FILL : w == 1 ? WL_LOAD : WL_CHURN;
			r->nrep = nrep;
			r->rep = calloc(nrep, sizeof(*r->rep));
			for (int k = 0; k < nrep; k++) {
				struct raw_counts *c = &r->rep[k];

				c->stored = 1000;
				c->compressed_bytes = 4000000;
				c->pool_pages = w == 2 ? s[i].churn_pages : s[i].fill_pages;
				if (w == 0)
					set_rate(&c->lat[LAT_STORE], s[i].mops[k]);
				if (w == 1)
					set_rate(&c->lat[LAT_LOAD], s[i].mops[k]);
				if (w == 2) {
					set_rate(&c->lat[LAT_STORE], s[i].mops[k]);
					set_rate(&c->lat[LAT_FREE], s[i].mops[k]);
				}
			}
		}
	}
}

static char *capture(const struct run_results *res, bool table)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (table)
		report_table(f, res, false);
	else
		report_winners(f, res, false);
	fclose(f);
	return buf;
}

TEST(report_ties_and_churn_winner)
{
	/* three z3fold levels equal after fill; after churn 'extra' is densest */
	static const struct spec_fig s[] = {
		{ "z3fold:compaction=none", 1000, 1100, { 2, 2, 2 } },
		{ "z3fold:compaction=middle", 1000, 1050, { 2, 2, 2 } },
		{ "z3fold:compaction=extra", 1000, 990, { 1, 1, 1 } },
		{ "zbud", 1400, 1400, { 4, 4, 4 } },
	};
	struct run_results res;
	char *out;

	make(&res, s, 4, 1, true);
	results_tradeoff(&res);
	out = capture(&res, false);
	CHECK(strstr(out, "densest after fill:   tie: z3fold:compaction=none, "
			  "z3fold:compaction=middle, z3fold:compaction=extra"));
	CHECK(strstr(out, "densest after churn:  z3fold:compaction=extra"));
	CHECK(strstr(out, "fastest:              zbud"));
	CHECK(strstr(out, "harmonic mean of churn store, churn free and load Mop/s"));
	/* the Pareto set is on density after churn: 'none' is dominated by 'middle' */
	CHECK(strstr(out, "Pareto set:           z3fold:compaction=middle, z3fold:compaction=extra, "
			  "zbud (density after churn vs throughput)"));
	free(out);
	run_results_free(&res);
}

TEST(report_pareto_same_basis_as_sweep)
{
	static const struct spec_fig s[] = {
		{ "a", 1000, 1200, { 3, 3, 3 } },
		{ "b", 1100, 1000, { 2, 2, 2 } },
		{ "c", 1050, 1300, { 2.5, 2.5, 2.5 } },
	};
	struct run_results res;
	struct sweep sw;

	make(&res, s, 3, 1, true);
	results_tradeoff(&res);
	CHECK(!sweep_evaluate(&res, "a", PREFER_DENSITY, 0, &sw));
	CHECK_EQ(sw.ng, 1);
	for (int i = 0; i < sw.g[0].n; i++) {
		const struct sweep_point *p = &sw.g[0].pt[i];

		/* the table's Pareto mark and throughput are the sweep's */
		CHECK_EQ(p->pareto, p->fill->pareto);
		CHECK(fabs(p->tput - p->fill->tput_mops) < 1e-9);
		CHECK(fabs(p->density - p->fill->tradeoff_density) < 1e-9);
	}
	/* c: less dense after churn than a and slower: dominated on the churn basis */
	CHECK(!sw.g[0].pt[2].pareto);
	CHECK(sw.g[0].pt[0].pareto && sw.g[0].pt[1].pareto);
	sweep_free(&sw);
	run_results_free(&res);
}

TEST(report_spread_and_significance)
{
	/* overlapping throughput ranges over three repeats */
	static const struct spec_fig s[] = {
		{ "fast", 1000, 1000, { 3.0, 2.4, 2.8 } },
		{ "slow", 1000, 1010, { 2.5, 2.6, 2.2 } },
	};
	struct run_results res;
	char *out, *tab;

	make(&res, s, 2, 3, true);
	results_tradeoff(&res);
	out = capture(&res, false);
	tab = capture(&res, true);
	CHECK(strstr(out, "(median of 3 repeats)"));
	CHECK(strstr(out, "fastest:              fast (2.80 (2.40-3.00) Mop/s)"));
	CHECK(strstr(out, "not significant: within the run-to-run spread"));
	CHECK(strstr(tab, "2.80 (2.40-3.00)"));
	free(out);
	free(tab);
	run_results_free(&res);

	/* one run: nothing is called significant, and the label says 1 run */
	make(&res, s, 2, 1, true);
	results_tradeoff(&res);
	out = capture(&res, false);
	CHECK(strstr(out, "(1 run)"));
	CHECK(strstr(out, "significance unknown from 1 run"));
	/* a density from one run is exact: no verdict on its difference */
	CHECK(!strstr(out, "not significant"));
	CHECK(!strstr(out, "median of"));
	free(out);
	run_results_free(&res);
}

TEST(report_fill_only_label)
{
	static const struct spec_fig s[] = { { "a", 1000, 0, { 3, 3, 3 } } };
	struct run_results res;
	char *out;

	make(&res, s, 1, 1, false);
	/* drop the load row: --workload fill */
	free(res.rows[1].rep);
	res.nrows = 1;
	results_tradeoff(&res);
	out = capture(&res, false);
	CHECK(strstr(out, "fill store Mop/s only"));
	CHECK(!strstr(out, "harmonic mean"));
	CHECK(!strstr(out, "densest after churn"));
	free(out);
	run_results_free(&res);
}

TEST(report_vs_ideal_counts_metadata)
{
	static const struct spec_fig s[] = { { "a", 1000, 0, { 3, 3, 3 } } };
	struct run_results res;
	char *tab;

	make(&res, s, 1, 1, false);
	/* 4,000,000 bytes = 977 ideal pages; 1000 pool pages + 4096 * 23 bytes of metadata */
	res.rows[0].rep[0].metadata_bytes = 4096 * 23;
	results_tradeoff(&res);
	tab = capture(&res, true);
	CHECK(strstr(tab, "+4.7%")); /* (1023 - 977) / 977, not (1000 - 977) / 977 = +2.4% */
	free(tab);
	run_results_free(&res);
}

TEST(report_sweep_balanced)
{
	/* a: fastest; b: 5 % slower and denser; c: 20 % slower and densest */
	static const struct spec_fig s[] = {
		{ "a", 1000, 1100, { 10, 10, 10 } },
		{ "b", 1000, 1050, { 9.5, 9.5, 9.5 } },
		{ "c", 1000, 1000, { 8, 8, 8 } },
	};
	struct run_results res;
	struct sweep sw;

	make(&res, s, 3, 1, true);
	results_tradeoff(&res);
	CHECK(!sweep_evaluate(&res, "a", PREFER_BALANCED, 0, &sw));
	CHECK_STR(sw.g[0].pt[sw.g[0].best].fill->alloc, "b");
	sweep_free(&sw);
	CHECK(!sweep_evaluate(&res, "a", PREFER_DENSITY, 0, &sw));
	CHECK_STR(sw.g[0].pt[sw.g[0].best].fill->alloc, "c");
	sweep_free(&sw);
	CHECK(!sweep_evaluate(&res, "a", PREFER_SPEED, 0, &sw));
	CHECK_STR(sw.g[0].pt[sw.g[0].best].fill->alloc, "a");
	sweep_free(&sw);
	CHECK(strstr(sweep_goal_text(PREFER_BALANCED), "within 10% of the fastest"));
	run_results_free(&res);
}
