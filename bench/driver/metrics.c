// SPDX-License-Identifier: GPL-2.0-only
/*
 * metrics.c - see metrics.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "driver/metrics.h"

const char *const lat_kind_name[LAT_NKINDS] = {
	[LAT_STORE] = "store",	   [LAT_STORE_E2E] = "store_e2e", [LAT_LOAD] = "load",
	[LAT_LOAD_E2E] = "load_e2e", [LAT_FREE] = "free",
};

#define LAT_NBUCKETS (LAT_EXACT + LAT_NOVER)

/* Log bucket of a value >= LAT_EXACT: 64 per power of two. */
static unsigned int over_bucket(uint32_t v)
{
	int e = 31 - __builtin_clz(v); /* 16..31 */

	return ((e - 16) << LAT_SUB_BITS) | ((v >> (e - LAT_SUB_BITS)) & ((1u << LAT_SUB_BITS) - 1));
}

#define LAT_BYTES (LAT_NBUCKETS * sizeof(uint32_t) + LAT_NOVER * sizeof(uint64_t))

/*
 * One anonymous mapping for both arrays: untouched buckets cost no memory,
 * and the heap is left alone (glibc would raise its mmap threshold after
 * freeing a mapped chunk of this size and serve later ones from the heap).
 */
static int lat_alloc(struct lat_samples *s)
{
	void *p;

	if (s->cnt)
		return 0;
	p = mmap(NULL, LAT_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	s->over_sum = p;
	s->cnt = (uint32_t *)((uint64_t *)p + LAT_NOVER);
	return 0;
}

int lat_add(struct lat_samples *s, uint64_t ns)
{
	uint32_t v;

	if (!s->cnt && lat_alloc(s))
		return -1;
	/* a sample above 4 s is a stall, not an allocator figure: clamp */
	v = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
	if (v > s->max)
		s->max = v;
	if (v < LAT_EXACT) {
		s->cnt[v]++;
	} else {
		unsigned int b = over_bucket(v);

		s->cnt[LAT_EXACT + b]++;
		s->over_sum[b] += v;
	}
	s->n++;
	return 0;
}

int lat_append(struct lat_samples *dst, const struct lat_samples *src)
{
	if (!src->n)
		return 0;
	if (lat_alloc(dst))
		return -1;
	for (uint64_t i = 0; i < LAT_NBUCKETS; i++)
		dst->cnt[i] += src->cnt[i];
	for (uint64_t i = 0; i < LAT_NOVER; i++)
		dst->over_sum[i] += src->over_sum[i];
	dst->n += src->n;
	if (src->max > dst->max)
		dst->max = src->max;
	return 0;
}

void lat_reset(struct lat_samples *s)
{
	if (s->cnt && s->n) {
		memset(s->cnt, 0, LAT_NBUCKETS * sizeof(*s->cnt));
		memset(s->over_sum, 0, LAT_NOVER * sizeof(*s->over_sum));
	}
	s->n = 0;
	s->max = 0;
}

void lat_release(struct lat_samples *s)
{
	if (s->cnt)
		munmap(s->over_sum, LAT_BYTES);
	memset(s, 0, sizeof(*s));
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

/* Value of bucket @b: the exact value, or the mean of a log bucket. */
static double bucket_value(const struct lat_samples *s, uint64_t b)
{
	if (b < LAT_EXACT)
		return (double)b;
	return (double)s->over_sum[b - LAT_EXACT] / s->cnt[b];
}

/* Sum of the samples in bucket @b. */
static uint64_t bucket_sum(const struct lat_samples *s, uint64_t b)
{
	return b < LAT_EXACT ? b * s->cnt[b] : s->over_sum[b - LAT_EXACT];
}

/* The nearest-rank percentile @q: its bucket. */
static uint64_t rank_bucket(const struct lat_samples *s, double q)
{
	uint64_t rank = (uint64_t)ceil(q * (double)s->n - 1e-9), seen = 0;

	if (rank < 1)
		rank = 1;
	if (rank > s->n)
		rank = s->n;
	for (uint64_t b = 0; b < LAT_NBUCKETS; b++) {
		seen += s->cnt[b];
		if (seen >= rank)
			return b;
	}
	return LAT_NBUCKETS - 1;
}

void lat_percentiles(struct lat_samples *s, struct lat_pct *out)
{
	uint64_t b999;

	memset(out, 0, sizeof(*out));
	out->n = s->n;
	if (!s->n)
		return;
	out->p50 = bucket_value(s, rank_bucket(s, 0.50));
	out->p90 = bucket_value(s, rank_bucket(s, 0.90));
	out->p99 = bucket_value(s, rank_bucket(s, 0.99));
	b999 = rank_bucket(s, 0.999);
	out->p999 = bucket_value(s, b999);
	out->max = (double)s->max;
	for (uint64_t b = 0; b < LAT_NBUCKETS; b++) {
		if (!s->cnt[b])
			continue;
		out->sum_ns += bucket_sum(s, b);
		if (b <= b999) {
			out->n_trim += s->cnt[b];
			out->sum_trim_ns += bucket_sum(s, b);
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
