// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_compare.c - compare's verdicts and gate on hand-made results: the
 * same figures are "same", a density change is exact, a rate change of one
 * setting among many is found with enough repeats (after the adjustment
 * over the comparison) and called noise with too few, and the gate fails
 * only on what fell.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "output/compare.h"

#define NSET 10

/* A fill row per setting, @nrep repeats, store rate @mops[set] (+ a little jitter). */
static void make(struct results_doc *d, int nrep, const double *mops, const uint64_t *pages)
{
	memset(d, 0, sizeof(*d));
	for (int s = 0; s < NSET; s++) {
		char spec[32];
		struct run_row *r;

		snprintf(spec, sizeof(spec), "zsmalloc:chain=%d", s + 1);
		r = run_add_row(&d->res, "c", "lz4:1", spec, WL_FILL, nrep);
		snprintf(r->frontend, sizeof(r->frontend), "zram");
		r->objects = 1000;
		for (int k = 0; k < nrep; k++) {
			struct raw_counts *c = &r->rep[k];
			/* repeat k: 1000 stores at 1e3 / mops ns each, +-1 % spread over repeats */
			double ns = 1e3 / (mops[s] * (1 + 0.01 * ((k % 5) - 2)));

			c->stored = 1000;
			c->compressed_bytes = 2000000;
			c->pool_pages = pages[s];
			c->lat[LAT_STORE].n = c->lat[LAT_STORE].n_trim = 1000;
			c->lat[LAT_STORE].sum_ns = c->lat[LAT_STORE].sum_trim_ns = (uint64_t)(1000 *
											      ns);
			c->lat[LAT_STORE].p50 = c->lat[LAT_STORE].p99 = ns;
		}
	}
}

static int count(const struct comparison *c, const char *figure, enum cmp_verdict v, int set)
{
	char spec[32];
	int n = 0;

	snprintf(spec, sizeof(spec), "zsmalloc:chain=%d", set + 1);
	for (int i = 0; i < c->n; i++)
		n += !strcmp(c->l[i].figure, figure) && c->l[i].verdict == v &&
		     (set < 0 || !strcmp(c->l[i].a->alloc, spec));
	return n;
}

TEST(compare_same_figures_are_same)
{
	double mops[NSET];
	uint64_t pages[NSET];
	struct results_doc a, b;
	struct cmp_opts o = {
		.alpha = 0.05, .min_effect = 5, .max_density_drop = 0, .max_tput_drop = 0
	};
	struct comparison c;

	for (int s = 0; s < NSET; s++) {
		mops[s] = 2 + s;
		pages[s] = 600 + s;
	}
	make(&a, 5, mops, pages);
	make(&b, 5, mops, pages);
	CHECK(!compare_docs(&a, &b, &o, &c));
	CHECK_EQ(count(&c, "density", CMP_SAME, -1), 2 * NSET); /* the row and the setting */
	CHECK_EQ(count(&c, "pool_pages", CMP_SAME, -1), NSET);
	CHECK_EQ(count(&c, "mops", CMP_SAME, -1), NSET);
	CHECK_EQ(c.gate_failures, 0);
	CHECK_EQ(c.nonly_base + c.nonly_new, 0);
	compare_free(&c);
	run_results_free(&a.res);
	run_results_free(&b.res);
}

TEST(compare_one_setting_slower)
{
	double mops[NSET], slow[NSET];
	uint64_t pages[NSET];
	struct results_doc a, b;
	struct cmp_opts o = {
		.alpha = 0.05, .min_effect = 5, .max_density_drop = -1, .max_tput_drop = 10
	};
	struct comparison c;

	for (int s = 0; s < NSET; s++) {
		mops[s] = slow[s] = 2 + s;
		pages[s] = 600;
	}
	slow[3] = mops[3] * 0.8; /* 20 % slower, every repeat */

	/* 15 repeats a side: the smallest p is 1.3e-8, it survives the adjustment */
	make(&a, 15, mops, pages);
	make(&b, 15, slow, pages);
	CHECK(!compare_docs(&a, &b, &o, &c));
	CHECK_EQ(count(&c, "mops", CMP_WORSE, 3), 1);
	CHECK_EQ(count(&c, "mops", CMP_WORSE, -1), 1);
	CHECK_EQ(count(&c, "tput", CMP_WORSE, 3), 1);
	CHECK_EQ(count(&c, "mops", CMP_SAME, -1), NSET - 1);
	CHECK_EQ(c.gate_failures, 2); /* its mops and its trade-off tput */
	for (int i = 0; i < c.n; i++)
		if (c.l[i].gate_failed)
			CHECK_STR(c.l[i].a->alloc, "zsmalloc:chain=4");
	compare_free(&c);
	run_results_free(&a.res);
	run_results_free(&b.res);

	/* 5 repeats a side: p >= 0.008, times 20 tested lines: noise, and no gate */
	make(&a, 5, mops, pages);
	make(&b, 5, slow, pages);
	CHECK(!compare_docs(&a, &b, &o, &c));
	CHECK_EQ(count(&c, "mops", CMP_NOISE, 3), 1);
	CHECK_EQ(c.gate_failures, 0);
	compare_free(&c);
	run_results_free(&a.res);
	run_results_free(&b.res);
}

TEST(compare_density_is_exact)
{
	double mops[NSET];
	uint64_t pages[NSET], more[NSET];
	struct results_doc a, b;
	struct cmp_opts o = {
		.alpha = 0.05, .min_effect = 5, .max_density_drop = 1, .max_tput_drop = -1
	};
	struct comparison c;

	for (int s = 0; s < NSET; s++) {
		mops[s] = 3;
		pages[s] = more[s] = 600;
	}
	more[7] = 606; /* 1 % more pages: density falls by 0.99 %, under the gate of 1 % */
	more[8] = 700; /* density falls by 14 % */
	make(&a, 1, mops, pages);
	make(&b, 1, mops, more);
	CHECK(!compare_docs(&a, &b, &o, &c));
	CHECK_EQ(count(&c, "density", CMP_WORSE, 7), 2); /* exact: no test, no minimum effect */
	CHECK_EQ(count(&c, "pool_pages", CMP_WORSE, 8), 1);
	CHECK_EQ(count(&c, "density", CMP_SAME, -1), 2 * (NSET - 2));
	CHECK_EQ(c.gate_failures, 2); /* chain=9's row and setting density */
	for (int i = 0; i < c.n; i++)
		if (c.l[i].gate_failed)
			CHECK_STR(c.l[i].a->alloc, "zsmalloc:chain=9");
	/* one repeat a side and equal rates: "same", not significant anything */
	CHECK_EQ(count(&c, "mops", CMP_SAME, -1), NSET);
	compare_free(&c);
	run_results_free(&a.res);
	run_results_free(&b.res);
}
