/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stats.h - the tests `zpoolbench compare` puts time figures through: the
 * Mann-Whitney U test (Wilcoxon rank-sum) of two samples of per-repeat
 * figures, and a bootstrap interval of the ratio of their medians.
 *
 * Mann-Whitney U.  U counts the pairs (x, y) with x > y, ties as 1/2;
 * the two-sided p-value is the chance, if both samples came from one
 * distribution, of a U at least as far from n1 n2 / 2.
 *  - exact, for n1 + n2 <= MWU_EXACT_MAX: the permutation distribution
 *    of the rank sum, counted over every way to split the pooled ranks
 *    (tied values take their mid-rank, so ties are exact too: the
 *    conditional test); p = min(1, 2 min(P(W <= w), P(W >= w)));
 *  - otherwise the normal approximation with the tie correction of the
 *    variance, n1 n2 / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1))), and a
 *    continuity correction of 1/2.
 * With no ties these are the p-values of R's wilcox.test(exact = TRUE)
 * and of the normal approximation with correct = TRUE.  Two samples of 3
 * cannot give a p under 0.1: mwu_min_p() says what a sample size allows.
 *
 * Bootstrap.  The percentile interval of median(y*) / median(x*) over
 * @b resamples with replacement of each sample, from a fixed seed, so
 * that the same figures give the same interval.
 */
#ifndef ZPB_STATS_H
#define ZPB_STATS_H

#include <stdbool.h>
#include <stdint.h>

#define MWU_EXACT_MAX 60

struct mwu {
	double u;   /* U of the first sample */
	double p;   /* two-sided */
	bool exact; /* from the exact distribution, not the approximation */
	double z;   /* the approximation's z (0 when exact) */
};

/* 0, or -1 (a sample is empty, NAN values, out of memory). */
int mwu_test(const double *x, int n1, const double *y, int n2, struct mwu *out);
/* The smallest two-sided p two samples of these sizes can give (no ties). */
double mwu_min_p(int n1, int n2);

/*
 * The bootstrap interval of median(@y) / median(@x) at @level (0.95):
 * [*lo, *hi].  0, or -1 (an empty sample, a median of 0).
 */
int bootstrap_ratio_ci(const double *x, int n1, const double *y, int n2, int b, double level,
		       uint64_t seed, double *lo, double *hi);

#endif /* ZPB_STATS_H */
