// SPDX-License-Identifier: GPL-2.0-only
/*
 * stats.c - see stats.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output/stats.h"
#include "util.h"

struct ranked {
	double v;
	int from; /* 0: the first sample, 1: the second */
};

static int cmp_ranked(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->v, y = ((const struct ranked *)b)->v;

	return (x > y) - (x < y);
}

/*
 * Doubled mid-ranks of the pooled values (integers: a run of ties over
 * ranks a..b gets a + b) into @r2, the tie term sum(t^3 - t) into *ties.
 */
static void midranks(struct ranked *all, int n, int *r2, double *ties)
{
	*ties = 0;
	qsort(all, n, sizeof(*all), cmp_ranked);
	for (int i = 0; i < n;) {
		int j = i;

		while (j + 1 < n && all[j + 1].v == all[i].v)
			j++;
		for (int k = i; k <= j; k++)
			r2[k] = (i + 1) + (j + 1);
		if (j > i)
			*ties += (double)(j - i + 1) * (j - i + 1) * (j - i + 1) - (j - i + 1);
		i = j + 1;
	}
}

/*
 * The exact distribution of the doubled rank sum of @n1 items drawn from
 * the @n pooled doubled ranks: the two tails at the observed @w2.
 */
static int exact_tails(const int *r2, int n, int n1, long w2, double *le, double *ge)
{
	long smax = 0;
	double *ways, total = 0;

	for (int i = 0; i < n; i++)
		smax += r2[i];
	/* ways[k * (smax + 1) + s]: subsets of k of the ranks seen so far summing to s */
	ways = calloc((size_t)(n1 + 1) * (smax + 1), sizeof(*ways));
	if (!ways)
		return -1;
	ways[0] = 1;
	for (int i = 0; i < n; i++)
		for (int k = (i + 1 < n1 ? i + 1 : n1); k >= 1; k--)
			for (long s = smax; s >= r2[i]; s--)
				ways[k * (smax + 1) + s] += ways[(k - 1) * (smax + 1) + s - r2[i]];
	*le = *ge = 0;
	for (long s = 0; s <= smax; s++) {
		double c = ways[n1 * (smax + 1) + s];

		total += c;
		if (s <= w2)
			*le += c;
		if (s >= w2)
			*ge += c;
	}
	*le /= total;
	*ge /= total;
	free(ways);
	return 0;
}

int mwu_test(const double *x, int n1, const double *y, int n2, struct mwu *out)
{
	int n = n1 + n2, *r2;
	struct ranked *all;
	double ties, mean, var;
	long w2 = 0;

	memset(out, 0, sizeof(*out));
	if (n1 < 1 || n2 < 1)
		return -1;
	for (int i = 0; i < n1; i++)
		if (isnan(x[i]))
			return -1;
	for (int i = 0; i < n2; i++)
		if (isnan(y[i]))
			return -1;
	all = malloc(n * sizeof(*all));
	r2 = malloc(n * sizeof(*r2));
	if (!all || !r2) {
		free(all);
		free(r2);
		return -1;
	}
	for (int i = 0; i < n1; i++)
		all[i] = (struct ranked){ x[i], 0 };
	for (int i = 0; i < n2; i++)
		all[n1 + i] = (struct ranked){ y[i], 1 };
	midranks(all, n, r2, &ties);
	for (int i = 0; i < n; i++)
		if (all[i].from == 0)
			w2 += r2[i];
	out->u = w2 / 2.0 - (double)n1 * (n1 + 1) / 2;
	mean = (double)n1 * n2 / 2;
	if (n <= MWU_EXACT_MAX) {
		double le, ge;

		if (exact_tails(r2, n, n1, w2, &le, &ge) == 0) {
			out->exact = true;
			out->p = fmin(1, 2 * fmin(le, ge));
			free(all);
			free(r2);
			return 0;
		}
	}
	var = (double)n1 * n2 / 12 * ((n + 1) - ties / ((double)n * (n - 1)));
	if (var <= 0) {
		out->p = 1; /* every value tied */
	} else {
		out->z = (fabs(out->u - mean) - 0.5) / sqrt(var);
		if (out->z < 0)
			out->z = 0;
		out->p = fmin(1, erfc(out->z / sqrt(2)));
	}
	free(all);
	free(r2);
	return 0;
}

double mwu_min_p(int n1, int n2)
{
	/* the most extreme split is one of C(n1 + n2, n1), on either side */
	double c = 1;

	for (int i = 1; i <= n1; i++)
		c = c * (n2 + i) / i;
	return fmin(1, 2 / c);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median_sorted(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int bootstrap_ratio_ci(const double *x, int n1, const double *y, int n2, int b, double level,
		       uint64_t seed, double *lo, double *hi)
{
	double *rs = malloc(b * sizeof(*rs)), *tx = malloc(n1 * sizeof(*tx)),
	       *ty = malloc(n2 * sizeof(*ty));
	uint64_t rng = seed;
	int k = 0, ret = -1;

	if (n1 < 1 || n2 < 1 || b < 1 || !rs || !tx || !ty)
		goto out;
	for (int i = 0; i < b; i++) {
		double mx, my;

		for (int j = 0; j < n1; j++)
			tx[j] = x[rng_below(&rng, n1)];
		for (int j = 0; j < n2; j++)
			ty[j] = y[rng_below(&rng, n2)];
		mx = median_sorted(tx, n1);
		my = median_sorted(ty, n2);
		if (mx != 0 && !isnan(mx) && !isnan(my))
			rs[k++] = my / mx;
	}
	if (!k)
		goto out;
	qsort(rs, k, sizeof(*rs), cmp_double);
	*lo = rs[(int)floor((1 - level) / 2 * (k - 1))];
	*hi = rs[(int)ceil((1 + level) / 2 * (k - 1))];
	ret = 0;
out:
	free(rs);
	free(tx);
	free(ty);
	return ret;
}
