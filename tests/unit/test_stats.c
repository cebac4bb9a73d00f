// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_stats.c - the Mann-Whitney U test and the bootstrap interval of
 * `zpoolbench compare` against published values and against a brute-force
 * count of every split of the ranks.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "output/stats.h"
#include "util.h"

#define NEARP(a, b) (fabs((a) - (b)) < 5e-7)

TEST(stats_mwu_exact_published)
{
	/*
	 * R's ?wilcox.test (Hollander & Wolfe, permeability constants):
	 * wilcox.test(x, y, alternative = "greater") gives W = 35,
	 * p = 0.1272; two-sided exact p = 0.2544 (0.254412254412...).
	 */
	double x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
	double y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
	/* scipy's mannwhitneyu docs: U = 17, exact p = 0.1111 */
	double m[] = { 19, 22, 16, 29, 24 }, f[] = { 20, 11, 17, 12 };
	struct mwu r;

	CHECK(!mwu_test(x, 10, y, 5, &r));
	CHECK(r.exact && r.u == 35 && NEARP(r.p, 0.2544122544));
	CHECK(!mwu_test(y, 5, x, 10, &r)); /* the other way round: U' = n1 n2 - U, same p */
	CHECK(r.u == 15 && NEARP(r.p, 0.2544122544));
	CHECK(!mwu_test(m, 5, f, 4, &r));
	CHECK(r.exact && r.u == 17 && NEARP(r.p, 1.0 / 9));
}

/* Every split of the pooled values, counted: the exact p the hard way. */
static double brute_p(const double *x, int n1, const double *y, int n2)
{
	int n = n1 + n2;
	double v[16], rank[16], w = 0, le = 0, ge = 0, tot = 0;

	for (int i = 0; i < n; i++)
		v[i] = i < n1 ? x[i] : y[i - n1];
	for (int i = 0; i < n; i++) {
		int below = 0, same = 0;

		for (int j = 0; j < n; j++) {
			below += v[j] < v[i];
			same += v[j] == v[i];
		}
		rank[i] = below + (same + 1) / 2.0;
	}
	for (int i = 0; i < n1; i++)
		w += rank[i];
	for (unsigned int mask = 0; mask < 1u << n; mask++) {
		double s = 0;

		if (__builtin_popcount(mask) != n1)
			continue;
		for (int i = 0; i < n; i++)
			if (mask & (1u << i))
				s += rank[i];
		tot++;
		le += s <= w + 1e-9;
		ge += s >= w - 1e-9;
	}
	return fmin(1, 2 * fmin(le, ge) / tot);
}

TEST(stats_mwu_exact_with_ties_is_the_permutation_test)
{
	double a[] = { 1, 2, 2, 3, 5 }, b[] = { 2, 3, 3, 4, 6, 7 };
	double c[] = { 5, 5, 5, 5 }, d[] = { 5, 5, 5 };
	uint64_t rng = 11;
	struct mwu r;

	CHECK(!mwu_test(a, 5, b, 6, &r));
	CHECK(r.exact && r.u == 7 && NEARP(r.p, 0.1731601732));
	CHECK(NEARP(r.p, brute_p(a, 5, b, 6)));
	/* all tied: no evidence of anything */
	CHECK(!mwu_test(c, 4, d, 3, &r));
	CHECK(r.p == 1 && r.u == 6);
	/* random small samples with many ties: the counting DP agrees with brute force */
	for (int t = 0; t < 200; t++) {
		double x[8], y[8];
		int n1 = 1 + (int)rng_below(&rng, 7), n2 = 1 + (int)rng_below(&rng, 7);

		for (int i = 0; i < n1; i++)
			x[i] = (double)rng_below(&rng, 5);
		for (int i = 0; i < n2; i++)
			y[i] = (double)rng_below(&rng, 5);
		CHECK(!mwu_test(x, n1, y, n2, &r));
		CHECK(NEARP(r.p, brute_p(x, n1, y, n2)));
	}
}

TEST(stats_mwu_normal_approximation)
{
	/*
	 * 40 and 35 values with ties (more than MWU_EXACT_MAX together):
	 * U = 526.5, tie-corrected z = 1.8378283882, two-sided p =
	 * 0.0660876971 (computed independently from the formulas in stats.h).
	 */
	double x[] = { 10.2, 12.5, 8.1,	 12.0, 9.5, 9.5,  13.8, 10.3, 9.9,  11.5,
		       12.3, 9.9,  11.2, 8.1,  9.3, 9.1,  7.3,	7.0,  6.7,  9.5,
		       9.7,  9.4,  10.1, 7.3,  9.8, 10.5, 11.5, 8.3,  9.2,  6.0,
		       9.0,  5.6,  7.2,	 12.2, 5.6, 11.6, 10.7, 9.4,  10.9, 11.1 };
	double y[] = { 13.1, 10.5, 9.8,	 9.8, 9.0,  10.9, 9.4,	13.1, 7.3,  8.8,  9.1,	6.8,
		       14.8, 6.2,  10.4, 9.9, 14.3, 7.0,  13.1, 9.5,  10.7, 9.7,  12.3, 8.7,
		       10.8, 11.7, 14.7, 6.2, 14.1, 12.9, 10.0, 11.6, 10.1, 14.3, 11.4 };
	struct mwu r;

	CHECK(!mwu_test(x, 40, y, 35, &r));
	CHECK(!r.exact && r.u == 526.5);
	CHECK(fabs(r.z - 1.8378283882) < 1e-8 && NEARP(r.p, 0.0660876971));
	/* 60 values are still counted exactly */
	CHECK(!mwu_test(x, 30, y, 30, &r));
	CHECK(r.exact);
}

TEST(stats_mwu_min_p_and_refusals)
{
	double x[] = { 1, 2, 3 }, y[] = { 4, 5, 6 }, na[] = { 1, NAN };
	struct mwu r;

	CHECK(NEARP(mwu_min_p(3, 3), 0.1));	  /* 2 / C(6, 3) */
	CHECK(NEARP(mwu_min_p(5, 5), 2.0 / 252)); /* 0.0079 */
	CHECK(NEARP(mwu_min_p(1, 1), 1));
	CHECK(!mwu_test(x, 3, y, 3, &r));
	CHECK(NEARP(r.p, 0.1) && r.u == 0);
	CHECK(mwu_test(x, 0, y, 3, &r) < 0);
	CHECK(mwu_test(na, 2, y, 3, &r) < 0);
}

TEST(stats_bootstrap_interval)
{
	double base[] = { 10, 10.5, 9.5, 10.2, 9.8 }, same[] = { 10, 10.5, 9.5, 10.2, 9.8 };
	double faster[] = { 12, 12.6, 11.4, 12.2, 11.8 };
	double lo, hi, lo2, hi2;

	CHECK(!bootstrap_ratio_ci(base, 5, same, 5, 2000, 0.95, 1, &lo, &hi));
	CHECK(lo <= 1 && hi >= 1 && lo > 0.9 && hi < 1.1);
	/* 20 % faster: the interval holds 1.2 and not 1 */
	CHECK(!bootstrap_ratio_ci(base, 5, faster, 5, 2000, 0.95, 1, &lo, &hi));
	CHECK(lo > 1 && lo <= 1.2 && hi >= 1.2);
	/* the same seed, the same interval */
	CHECK(!bootstrap_ratio_ci(base, 5, faster, 5, 2000, 0.95, 1, &lo2, &hi2));
	CHECK(lo == lo2 && hi == hi2);
	/* one value each: the ratio itself */
	CHECK(!bootstrap_ratio_ci(base, 1, faster, 1, 100, 0.95, 1, &lo, &hi));
	CHECK(lo == 1.2 && hi == 1.2);
	CHECK(bootstrap_ratio_ci(base, 0, faster, 1, 100, 0.95, 1, &lo, &hi) < 0);
}
