// SPDX-License-Identifier: GPL-2.0-only
/*
 * metrics.c - see metrics.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

const char *const lat_kind_name[LAT_NKINDS] = {
	[LAT_STORE] = "store",	   [LAT_STORE_E2E] = "store_e2e", [LAT_LOAD] = "load",
	[LAT_LOAD_E2E] = "load_e2e", [LAT_FREE] = "free",
};

int lat_add(struct lat_samples *s, uint64_t ns)
{
	if (s->n == s->cap) {
		uint64_t cap = s->cap ? s->cap * 2 : 4096;
		uint32_t *p = realloc(s->ns, cap * sizeof(*p));

		if (!p)
			return -1;
		s->ns = p;
		s->cap = cap;
	}
	/* a sample above 4 s is a stall, not an allocator figure: clamp */
	s->ns[s->n++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
	return 0;
}

int lat_append(struct lat_samples *dst, const struct lat_samples *src)
{
	for (uint64_t i = 0; i < src->n; i++)
		if (lat_add(dst, src->ns[i]))
			return -1;
	return 0;
}

void lat_reset(struct lat_samples *s)
{
	s->n = 0;
}

void lat_release(struct lat_samples *s)
{
	free(s->ns);
	memset(s, 0, sizeof(*s));
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

double pct_sorted(const uint32_t *sorted, uint64_t n, double q)
{
	uint64_t rank;

	if (!n)
		return 0;
	/* nearest rank: the smallest value with at least q*n values <= it */
	rank = (uint64_t)ceil(q * (double)n - 1e-9);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

void lat_percentiles(struct lat_samples *s, struct lat_pct *out)
{
	memset(out, 0, sizeof(*out));
	out->n = s->n;
	if (!s->n)
		return;
	qsort(s->ns, s->n, sizeof(*s->ns), cmp_u32);
	out->p50 = pct_sorted(s->ns, s->n, 0.50);
	out->p90 = pct_sorted(s->ns, s->n, 0.90);
	out->p99 = pct_sorted(s->ns, s->n, 0.99);
	out->p999 = pct_sorted(s->ns, s->n, 0.999);
	for (uint64_t i = 0; i < s->n; i++) {
		out->sum_ns += s->ns[i];
		if (s->ns[i] <= out->p999) {
			out->n_trim++;
			out->sum_trim_ns += s->ns[i];
		}
	}
}

double mops(uint64_t n, uint64_t ns)
{
	return ns ? (double)n * 1e3 / (double)ns : 0.0;
}

void metrics_derive(const struct raw_counts *r, struct derived *d)
{
	double denom = (double)r->pool_pages * METRICS_PAGE + (double)r->metadata_bytes;
	double orig = (double)(r->stored + r->same_filled) * METRICS_PAGE;
	uint64_t ops = r->lat[LAT_STORE].n + r->lat[LAT_LOAD].n + r->lat[LAT_FREE].n;

	memset(d, 0, sizeof(*d));
	d->density = denom > 0 ? (double)r->compressed_bytes / denom : 0.0;
	d->effective_ratio = denom > 0 ? orig / denom : 0.0;
	d->ideal_pages = (r->compressed_bytes + METRICS_PAGE - 1) / METRICS_PAGE;
	d->ideal_gap_pages = (int64_t)r->pool_pages - (int64_t)d->ideal_pages;
	d->ideal_fraction = r->pool_pages ? (double)d->ideal_pages / (double)r->pool_pages : 0.0;
	d->store_mops = mops(r->lat[LAT_STORE].n_trim, r->lat[LAT_STORE].sum_trim_ns);
	d->load_mops = mops(r->lat[LAT_LOAD].n_trim, r->lat[LAT_LOAD].sum_trim_ns);
	d->free_mops = mops(r->lat[LAT_FREE].n_trim, r->lat[LAT_FREE].sum_trim_ns);
	d->e2e_store_mops = mops(r->lat[LAT_STORE_E2E].n_trim, r->lat[LAT_STORE_E2E].sum_trim_ns);
	d->e2e_load_mops = mops(r->lat[LAT_LOAD_E2E].n_trim, r->lat[LAT_LOAD_E2E].sum_trim_ns);
	d->wall_mops = mops(ops, r->phase_ns);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct spread spread_of(double *v, int n)
{
	struct spread s = { 0, 0, 0 };

	if (n <= 0)
		return s;
	qsort(v, n, sizeof(*v), cmp_double);
	s.min = v[0];
	s.max = v[n - 1];
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}

void pareto_mark(const double *x, const double *y, int n, bool *out)
{
	for (int i = 0; i < n; i++) {
		out[i] = true;
		for (int j = 0; j < n && out[i]; j++) {
			if (j == i)
				continue;
			if (x[j] >= x[i] && y[j] >= y[i] && (x[j] > x[i] || y[j] > y[i]))
				out[i] = false;
		}
	}
}
