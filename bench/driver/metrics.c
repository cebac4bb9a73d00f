// SPDX-License-Identifier: GPL-2.0-only
/*
 * metrics.c - see metrics.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "driver/metrics.h"

const char *const lat_kind_name[LAT_NKINDS] = {
	[LAT_STORE] = "store",	     [LAT_STORE_E2E] = "store_e2e", [LAT_LOAD] = "load",
	[LAT_LOAD_E2E] = "load_e2e", [LAT_FREE] = "free",
};

#define RAW_NAME(f, doc) #f,
const char *const raw_counter_name[] = { RAW_COUNTERS(RAW_NAME) };
#undef RAW_NAME
const int raw_ncounters = sizeof(raw_counter_name) / sizeof(raw_counter_name[0]);

#define RAW_OFF(f, doc) offsetof(struct raw_counts, f),
static const size_t raw_off[] = { RAW_COUNTERS(RAW_OFF) };
#undef RAW_OFF

uint64_t raw_counter_at(const struct raw_counts *r, int i)
{
	return *(const uint64_t *)((const char *)r + raw_off[i]);
}

uint64_t *raw_counter_ptr(struct raw_counts *r, int i)
{
	return (uint64_t *)((char *)r + raw_off[i]);
}

/* ---- the dense histogram a thread fills ---------------------------------- */

unsigned int lat_bucket(uint64_t ns)
{
	uint32_t v = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
	int e;

	if (v < LAT_LINEAR)
		return v;
	e = 31 - __builtin_clz(v); /* LAT_SUB_BITS + 1 .. 31 */
	return LAT_LINEAR + (e - LAT_SUB_BITS - 1) * LAT_SUB +
	       ((v >> (e - LAT_SUB_BITS)) & (LAT_SUB - 1));
}

uint64_t lat_bucket_low(unsigned int b)
{
	unsigned int e;

	if (b < LAT_LINEAR)
		return b;
	e = (b - LAT_LINEAR) / LAT_SUB + LAT_SUB_BITS + 1;
	return (uint64_t)(LAT_SUB + (b - LAT_LINEAR) % LAT_SUB) << (e - LAT_SUB_BITS);
}

#define LAT_BYTES (LAT_NBUCKETS * (sizeof(uint32_t) + sizeof(uint64_t)))

/*
 * One anonymous mapping for both arrays: untouched buckets cost no memory,
 * and the heap is left alone (malloc:footprint=heap measures the heap).
 */
static int lat_alloc(struct lat_samples *s)
{
	void *p;

	if (s->cnt)
		return 0;
	p = mmap(NULL, LAT_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	s->sum = p;
	s->cnt = (uint32_t *)(s->sum + LAT_NBUCKETS);
	return 0;
}

int lat_add(struct lat_samples *s, uint64_t ns)
{
	unsigned int b;

	if (!s->cnt && lat_alloc(s))
		return -1;
	/* a sample above 4 s is a stall, not an allocator figure: clamp */
	if (ns > UINT32_MAX)
		ns = UINT32_MAX;
	b = lat_bucket(ns);
	s->cnt[b]++;
	s->sum[b] += ns;
	s->n++;
	return 0;
}

int lat_append(struct lat_samples *dst, const struct lat_samples *src)
{
	if (!src->n)
		return 0;
	if (lat_alloc(dst))
		return -1;
	for (unsigned int i = 0; i < LAT_NBUCKETS; i++) {
		dst->cnt[i] += src->cnt[i];
		dst->sum[i] += src->sum[i];
	}
	dst->n += src->n;
	return 0;
}

void lat_reset(struct lat_samples *s)
{
	if (s->cnt && s->n)
		memset(s->sum, 0, LAT_BYTES);
	s->n = 0;
}

void lat_release(struct lat_samples *s)
{
	if (s->cnt)
		munmap(s->sum, LAT_BYTES);
	memset(s, 0, sizeof(*s));
}

/* ---- the sparse histogram a phase keeps ---------------------------------- */

static int hist_alloc(struct lat_hist *h, uint32_t nb)
{
	memset(h, 0, sizeof(*h));
	if (!nb)
		return 0;
	h->cnt = malloc(nb * (2 * sizeof(uint64_t) + sizeof(uint16_t)));
	if (!h->cnt)
		return -1;
	h->sum = h->cnt + nb;
	h->idx = (uint16_t *)(h->sum + nb);
	h->nb = nb;
	return 0;
}

void lat_hist_free(struct lat_hist *h)
{
	free(h->cnt);
	memset(h, 0, sizeof(*h));
}

int lat_hist_of(struct lat_hist *h, const struct lat_samples *s)
{
	uint32_t nb = 0, k = 0;

	if (!s->n)
		return hist_alloc(h, 0);
	for (unsigned int b = 0; b < LAT_NBUCKETS; b++)
		nb += s->cnt[b] != 0;
	if (hist_alloc(h, nb))
		return -1;
	for (unsigned int b = 0; b < LAT_NBUCKETS; b++) {
		if (!s->cnt[b])
			continue;
		h->idx[k] = (uint16_t)b;
		h->cnt[k] = s->cnt[b];
		h->sum[k] = s->sum[b];
		k++;
	}
	return 0;
}

int lat_hist_copy(struct lat_hist *dst, const struct lat_hist *src)
{
	if (hist_alloc(dst, src->nb))
		return -1;
	if (src->nb) {
		memcpy(dst->cnt, src->cnt, src->nb * sizeof(uint64_t));
		memcpy(dst->sum, src->sum, src->nb * sizeof(uint64_t));
		memcpy(dst->idx, src->idx, src->nb * sizeof(uint16_t));
	}
	return 0;
}

int lat_hist_merge(struct lat_hist *dst, const struct lat_hist *src)
{
	struct lat_hist m;
	uint32_t i = 0, j = 0, k = 0, nb = 0;

	/* the union of the two index lists */
	while (i < dst->nb || j < src->nb) {
		if (j == src->nb || (i < dst->nb && dst->idx[i] < src->idx[j]))
			i++;
		else if (i == dst->nb || src->idx[j] < dst->idx[i])
			j++;
		else
			i++, j++;
		nb++;
	}
	if (hist_alloc(&m, nb))
		return -1;
	for (i = j = 0; i < dst->nb || j < src->nb; k++) {
		if (j == src->nb || (i < dst->nb && dst->idx[i] < src->idx[j])) {
			m.idx[k] = dst->idx[i];
			m.cnt[k] = dst->cnt[i];
			m.sum[k] = dst->sum[i++];
		} else if (i == dst->nb || src->idx[j] < dst->idx[i]) {
			m.idx[k] = src->idx[j];
			m.cnt[k] = src->cnt[j];
			m.sum[k] = src->sum[j++];
		} else {
			m.idx[k] = dst->idx[i];
			m.cnt[k] = dst->cnt[i] + src->cnt[j];
			m.sum[k] = dst->sum[i++] + src->sum[j++];
		}
	}
	lat_hist_free(dst);
	*dst = m;
	return 0;
}

int lat_hist_set(struct lat_hist *h, uint32_t nb, const uint64_t *idx, const uint64_t *cnt,
		 const uint64_t *sum, char *err, size_t errlen)
{
	for (uint32_t k = 0; k < nb; k++) {
		uint64_t lo, hi;

		if (idx[k] >= LAT_NBUCKETS || (k && idx[k] <= idx[k - 1]) || !cnt[k]) {
			snprintf(err, errlen,
				 "latency bucket %u: index %llu or count %llu out of order "
				 "or range",
				 k, (unsigned long long)idx[k], (unsigned long long)cnt[k]);
			return -1;
		}
		lo = lat_bucket_low((unsigned int)idx[k]);
		hi = idx[k] + 1 < LAT_NBUCKETS ? lat_bucket_low((unsigned int)idx[k] + 1) - 1
					       : UINT32_MAX;
		if (cnt[k] > UINT64_MAX / (hi + 1) || sum[k] < cnt[k] * lo || sum[k] > cnt[k] * hi) {
			snprintf(err, errlen,
				 "latency bucket %llu: the sum %llu of %llu samples is "
				 "outside %llu..%llu ns each",
				 (unsigned long long)idx[k], (unsigned long long)sum[k],
				 (unsigned long long)cnt[k], (unsigned long long)lo,
				 (unsigned long long)hi);
			return -1;
		}
	}
	if (hist_alloc(h, nb)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (uint32_t k = 0; k < nb; k++) {
		h->idx[k] = (uint16_t)idx[k];
		h->cnt[k] = cnt[k];
		h->sum[k] = sum[k];
	}
	return 0;
}

/* The position in @h of the bucket holding the nearest-rank percentile @q. */
static uint32_t rank_pos(const struct lat_hist *h, uint64_t n, double q)
{
	uint64_t rank = (uint64_t)ceil(q * (double)n - 1e-9), seen = 0;

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	for (uint32_t k = 0; k < h->nb; k++) {
		seen += h->cnt[k];
		if (seen >= rank)
			return k;
	}
	return h->nb - 1;
}

void lat_hist_pct(const struct lat_hist *h, struct lat_pct *out)
{
	uint64_t n = 0;
	uint32_t k999;

	memset(out, 0, sizeof(*out));
	for (uint32_t k = 0; k < h->nb; k++)
		n += h->cnt[k];
	out->n = n;
	if (!n)
		return;
#define MEAN(k) ((double)h->sum[k] / (double)h->cnt[k])
	out->p50 = MEAN(rank_pos(h, n, 0.50));
	out->p90 = MEAN(rank_pos(h, n, 0.90));
	out->p99 = MEAN(rank_pos(h, n, 0.99));
	k999 = rank_pos(h, n, 0.999);
	out->p999 = MEAN(k999);
	out->max = MEAN(h->nb - 1);
#undef MEAN
	for (uint32_t k = 0; k < h->nb; k++) {
		out->sum_ns += h->sum[k];
		if (k <= k999) {
			out->n_trim += h->cnt[k];
			out->sum_trim_ns += h->sum[k];
		}
	}
}

void lat_percentiles(const struct lat_samples *s, struct lat_pct *out)
{
	struct lat_hist h;

	memset(out, 0, sizeof(*out));
	if (lat_hist_of(&h, s))
		return;
	lat_hist_pct(&h, out);
	lat_hist_free(&h);
}

/* ---- raw counts ------------------------------------------------------------ */

void raw_counts_release(struct raw_counts *r)
{
	for (int k = 0; k < LAT_NKINDS; k++)
		lat_hist_free(&r->hist[k]);
}

int raw_counts_copy(struct raw_counts *dst, const struct raw_counts *src)
{
	*dst = *src;
	for (int k = 0; k < LAT_NKINDS; k++) {
		if (lat_hist_copy(&dst->hist[k], &src->hist[k])) {
			while (--k >= 0)
				lat_hist_free(&dst->hist[k]);
			return -1;
		}
	}
	return 0;
}

double mops(uint64_t n, uint64_t ns)
{
	return ns ? (double)n * 1e3 / (double)ns : 0.0;
}

/* The trimmed rate of a latency series, NAN without samples. */
static double rate(const struct lat_pct *p)
{
	return p->n ? mops(p->n_trim, p->sum_trim_ns) : NAN;
}

void metrics_derive(const struct raw_counts *r, struct derived *d)
{
	uint64_t page = metrics_page(r);
	double denom = (double)r->pool_pages * page + (double)r->metadata_bytes;
	double orig = (double)(r->stored + r->same_filled) * (r->unit_bytes ? r->unit_bytes : page);
	uint64_t ops = r->lat[LAT_STORE].n + r->lat[LAT_LOAD].n + r->lat[LAT_FREE].n;

	memset(d, 0, sizeof(*d));
	d->density = denom > 0 ? (double)r->compressed_bytes / denom : NAN;
	d->effective_ratio = denom > 0 ? orig / denom : NAN;
	d->ideal_pages = (r->compressed_bytes + page - 1) / page;
	d->ideal_gap_pages = (int64_t)r->pool_pages - (int64_t)d->ideal_pages;
	d->ideal_fraction = r->pool_pages ? (double)d->ideal_pages / (double)r->pool_pages : NAN;
	d->store_mops = rate(&r->lat[LAT_STORE]);
	d->load_mops = rate(&r->lat[LAT_LOAD]);
	d->free_mops = rate(&r->lat[LAT_FREE]);
	d->e2e_store_mops = rate(&r->lat[LAT_STORE_E2E]);
	d->e2e_load_mops = rate(&r->lat[LAT_LOAD_E2E]);
	d->wall_mops = ops && r->phase_ns ? mops(ops, r->phase_ns) : NAN;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct figure figure_of(const double *v, int n)
{
	struct figure f = { NAN, NAN, NAN, NAN, 0 };
	double buf[64], *w = n <= 64 ? buf : malloc(n * sizeof(*w));
	int k = 0;

	if (n <= 0 || !w)
		return f;
	for (int i = 0; i < n; i++)
		if (!isnan(v[i]))
			w[k++] = v[i];
	if (k) {
		qsort(w, k, sizeof(*w), cmp_double);
		f.n = k;
		f.min = w[0];
		f.max = w[k - 1];
		f.lower = w[(k - 1) / 2];
		f.med = k % 2 ? w[k / 2] : (w[k / 2 - 1] + w[k / 2]) / 2;
	}
	if (w != buf)
		free(w);
	return f;
}
