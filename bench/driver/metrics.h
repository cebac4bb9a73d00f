/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * metrics.h - what a benchmark run measures, as raw counts, and everything
 * derived from them.
 *
 * A workload phase on one pool ends in a struct raw_counts: front-end
 * counters (what was offered, held, refused), the allocator's own figures
 * and per-operation latency samples.  Every figure reported (density,
 * effective ratio, distance to the packing bound, Mops/s, medians over
 * repeats) is recomputed from these counts by the functions below; nothing
 * derived is ever stored and copied along.
 *
 *	density          = compressed bytes / (pool bytes + metadata bytes), the
 *	                   compressed bytes being the codec's output for the stored
 *	                   pages (the same for every allocator storing the same
 *	                   pages; raw storage and headers lower the density)
 *	effective ratio  = original bytes   / (pool bytes + metadata bytes)
 *	ideal pages      = ceil(compressed bytes / 4096)  (the packing bound)
 *	Mops/s           = operations / allocator-path time (1e3 / mean ns, the
 *	                   mean over the samples up to p99.9)
 *
 * "Original bytes" are the pages the front end holds: (stored objects +
 * same-filled pages) * 4096.
 */
#ifndef ZPB_METRICS_H
#define ZPB_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define METRICS_PAGE 4096

/* Latency series kept per phase. */
enum lat_kind {
	LAT_STORE,     /* allocator path: malloc + map WO + memcpy + unmap */
	LAT_STORE_E2E, /* + compression (timed once per page, cached) and the front end */
	LAT_LOAD,      /* allocator path: map RO + unmap */
	LAT_LOAD_E2E,  /* + decompression */
	LAT_FREE,      /* zpool_free */
	LAT_NKINDS
};

extern const char *const lat_kind_name[LAT_NKINDS]; /* "store", "store_e2e", ... */

/*
 * A latency series as a histogram of nanosecond values: exact counts for
 * 0..LAT_EXACT-1 ns (every operation the driver times, short of a stall),
 * above that 64 buckets per power of two (1.6 % wide) with their sums.
 * Its size is fixed whatever the number of samples (a 1,000,000-page churn
 * adds millions), merging two is adding counts, and the memory is only
 * touched where samples fall.  Allocated on the first sample.
 */
#define LAT_EXACT 65536
#define LAT_SUB_BITS 6
#define LAT_NOVER ((32 - 16) << LAT_SUB_BITS) /* 2^16 .. 2^32 ns */

struct lat_samples {
	uint32_t *cnt;	     /* LAT_EXACT exact buckets, then LAT_NOVER log buckets */
	uint64_t *over_sum;  /* sum of the samples in each log bucket */
	uint64_t n;
	uint64_t max;	     /* the largest sample (clamped to 2^32 - 1 ns, as all are) */
};

int lat_add(struct lat_samples *s, uint64_t ns); /* 0, or -1 if out of memory */
int lat_append(struct lat_samples *dst, const struct lat_samples *src);
void lat_reset(struct lat_samples *s);
void lat_release(struct lat_samples *s);

/*
 * Percentiles (nearest rank) of a series: exact below LAT_EXACT ns; a rank
 * that falls in a log bucket reports the mean of that bucket's samples.
 */
struct lat_pct {
	uint64_t n;
	uint64_t sum_ns;
	/*
	 * Samples up to p99.9 and their sum: throughput is computed from
	 * these, so that a handful of scheduler stalls (a preempted vCPU
	 * costs milliseconds) does not decide a comparison of nanosecond
	 * operations.  The tail itself stays visible in p99.9.
	 */
	uint64_t n_trim, sum_trim_ns;
	double p50, p90, p99, p999;
	double max; /* exact: the largest sample */
};
void lat_percentiles(struct lat_samples *s, struct lat_pct *out);
/* The nearest-rank percentile @q (0 < q <= 1) of @n sorted values. */
double pct_sorted(const uint32_t *sorted, uint64_t n, double q);

/* Everything one phase on one pool produced. */
struct raw_counts {
	/* front end, cumulative since the pool was created */
	uint64_t pages;		  /* pages offered to the front end */
	uint64_t rejected;	  /* stores refused ... */
	uint64_t rej_poor;	  /* ... because the object was too big (compress_poor, -ENOSPC) */
	uint64_t rej_limit;	  /* ... because of the pool limit (mem_limit, max_pool_percent) */
	uint64_t rej_alloc;	  /* ... because the allocator failed otherwise (-ENOMEM) */
	uint64_t written_back;	  /* objects evicted through the writeback callback */
	uint64_t pool_limit_hit;  /* times the front end found the pool full */
	/* front end, held now */
	uint64_t same_filled;	  /* same-filled pages (no allocation) */
	uint64_t stored;	  /* objects in the allocator */
	uint64_t huge;		  /* of those, pages stored raw at 4096 bytes */
	uint64_t compressed_bytes; /* the codec's output bytes of those objects, each at most
				    * 4096: a page stored raw and zswap's header are the
				    * allocator's overhead, not counted here */
	/* allocator (zpool stats) now */
	uint64_t pool_pages, peak_pages;
	uint64_t metadata_bytes;
	uint64_t straddling;
	uint64_t copy_bytes;	  /* cumulative since the pool was created */
	uint64_t compact_pages_freed; /* by the explicit compaction of this phase */
	uint64_t compact_ns;
	/* this phase */
	uint64_t phase_ns;	  /* wall clock, first thread's start to last thread's end */
	uint64_t cpu_ns;	  /* CPU time of the workload threads over the phase */
	uint64_t threads;
	/* the process's peak resident memory from the pool's creation to the end of this phase */
	uint64_t peak_rss_bytes;
	/* with threads > 1: the stores timed while every thread's peer ran too */
	struct lat_pct store_overlap;
	struct lat_pct lat[LAT_NKINDS];
};

struct derived {
	double density;
	double effective_ratio;
	uint64_t ideal_pages;
	int64_t ideal_gap_pages;  /* pool_pages - ideal_pages */
	double ideal_fraction;	  /* ideal_pages / pool_pages (1 = perfect packing) */
	double store_mops, load_mops, free_mops;
	double e2e_store_mops, e2e_load_mops;
	double wall_mops;	  /* all operations of the phase / wall clock */
};

void metrics_derive(const struct raw_counts *r, struct derived *d);

/* Million operations per second for @n operations taking @ns in total; 0 if none. */
double mops(uint64_t n, uint64_t ns);

/* Median, minimum and maximum of @n values (the array is sorted in place). */
struct spread {
	double median, min, max;
};
struct spread spread_of(double *v, int n);

/*
 * Pareto set of points (x, y), both to be maximised: out[i] is true unless
 * some point is at least as good in both and better in one.  Equal points
 * are all kept.
 */
void pareto_mark(const double *x, const double *y, int n, bool *out);

#endif /* ZPB_METRICS_H */
