/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * metrics.h - what a benchmark run measures, as raw counts, and everything
 * derived from them.
 *
 * A workload phase on one pool ends in a struct raw_counts: front-end
 * counters (what was offered, held, refused), the allocator's own figures
 * and one latency histogram per kind of operation.  Every figure reported
 * (density, effective ratio, distance to the packing bound, Mops/s,
 * percentiles, medians over repeats) is recomputed from these counts by the
 * functions below; nothing derived is ever stored and copied along.
 *
 *	density          = compressed bytes / (pool bytes + metadata bytes), the
 *	                   compressed bytes being the codec's output for the stored
 *	                   pages (the same for every allocator storing the same
 *	                   pages; raw storage and headers lower the density)
 *	effective ratio  = original bytes   / (pool bytes + metadata bytes)
 *	ideal pages      = ceil(compressed bytes / page size)  (the packing bound)
 *	Mops/s           = operations / allocator-path time (1e3 / mean ns, the
 *	                   mean over the samples up to p99.9)
 *
 * "Original bytes" are the pages the front end holds: (stored objects +
 * same-filled pages) * page size (* the unit's bytes with --unit).  The page size is the pool's
 * (raw_counts.page_size): 4096, or 16384 for page=16384, where pool pages,
 * the ideal bound and the pages offered are all 16 KiB pages.  A figure
 * that does not apply (the store latency of a load phase, the density of
 * an empty pool) is NAN, written as an empty CSV field and JSON null.
 */
#ifndef ZPB_METRICS_H
#define ZPB_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define METRICS_PAGE 4096 /* the page size of counts that do not give one */

/* Latency series kept per phase. */
enum lat_kind {
	LAT_STORE,     /* allocator path: malloc + map WO + memcpy + unmap */
	LAT_STORE_E2E, /* + compression (timed once per page, cached) and the front end */
	LAT_LOAD,      /* allocator path: map RO + copy out + unmap */
	LAT_LOAD_E2E,  /* + decompression */
	LAT_FREE,      /* zpool_free */
	LAT_NKINDS
};

extern const char *const lat_kind_name[LAT_NKINDS]; /* "store", "store_e2e", ... */

/*
 * Latencies as a log-linear histogram (in the manner of HdrHistogram):
 * one bucket per nanosecond below LAT_LINEAR, above that LAT_SUB buckets
 * per power of two, so a bucket is at most 1/128 (0.8 %) of its values
 * wide, up to 2^32 ns (a sample above 4 s is a stall and is clamped).  Each
 * bucket keeps its count and the exact sum of its samples; a percentile
 * that falls in a bucket is the mean of that bucket's samples.  Merging two
 * histograms is adding counts and sums, so the percentiles of merged
 * threads, repeats or results folders are those of all their samples, not
 * averages of percentiles.
 *
 * struct lat_samples is the dense form a thread fills while it runs
 * (fixed size, touched only where samples fall); struct lat_hist the
 * sparse form a phase keeps (the non-empty buckets), which results.json
 * stores bucket for bucket.
 */
#define LAT_SUB_BITS 7
#define LAT_SUB (1u << LAT_SUB_BITS) /* 128 buckets per power of two */
#define LAT_LINEAR (2 * LAT_SUB)     /* 0..255 ns: one bucket each */
#define LAT_NBUCKETS (LAT_LINEAR + (32 - LAT_SUB_BITS - 1) * LAT_SUB) /* 3328 */

struct lat_samples {
	uint32_t *cnt; /* LAT_NBUCKETS counts */
	uint64_t *sum; /* LAT_NBUCKETS sums of the samples */
	uint64_t n;
};

int lat_add(struct lat_samples *s, uint64_t ns); /* 0, or -1 if out of memory */
int lat_append(struct lat_samples *dst, const struct lat_samples *src);
void lat_reset(struct lat_samples *s);
void lat_release(struct lat_samples *s);
/* The bucket of @ns and the smallest value of bucket @b. */
unsigned int lat_bucket(uint64_t ns);
uint64_t lat_bucket_low(unsigned int b);

struct lat_hist {
	uint32_t nb;   /* non-empty buckets */
	uint16_t *idx; /* their indexes, ascending */
	uint64_t *cnt; /* their counts */
	uint64_t *sum; /* the sums of their samples */
};

/* The non-empty buckets of @s into @h (allocated; empty: nothing allocated).  0 or -1. */
int lat_hist_of(struct lat_hist *h, const struct lat_samples *s);
/* @dst += @src.  0 or -1 (out of memory; @dst unchanged). */
int lat_hist_merge(struct lat_hist *dst, const struct lat_hist *src);
/* A copy of @src into @dst.  0 or -1. */
int lat_hist_copy(struct lat_hist *dst, const struct lat_hist *src);
/*
 * Build @h from arrays (results.json): @nb buckets, indexes strictly
 * ascending and < LAT_NBUCKETS, counts > 0, sums within the bucket's range.
 * 0, or -1 with the reason in @err.
 */
int lat_hist_set(struct lat_hist *h, uint32_t nb, const uint64_t *idx, const uint64_t *cnt,
		 const uint64_t *sum, char *err, size_t errlen);
void lat_hist_free(struct lat_hist *h);

/*
 * Percentiles (nearest rank) of a series: the mean of the bucket the rank
 * falls in (exact below LAT_LINEAR ns).
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
	/*
	 * The largest sample: the mean of the highest non-empty bucket, so
	 * exact when one sample falls in it (a stall usually stands alone),
	 * else within the bucket's 0.8 %.
	 */
	double max;
};
void lat_hist_pct(const struct lat_hist *h, struct lat_pct *out);
/* The same from the dense form. */
void lat_percentiles(const struct lat_samples *s, struct lat_pct *out);

/*
 * The raw counters of a phase, listed once: X(field, "what it counts").
 * The list makes the fields of struct raw_counts, the JSON writer and
 * reader of a repeat (output/results.c), and raw_counter_at() for the
 * results columns; a new counter is one line here, its entry in cols[]
 * (output/results.c), and the code that produces it.
 */
#define RAW_COUNTERS(X)                                                                           \
	/* front end, cumulative since the pool was created (after the warm-up) */                \
	X(pages, "pages offered to the front end")                                                \
	X(rejected, "stores refused ...")                                                         \
	X(rej_poor, "... because the object was too big (compress_poor, -ENOSPC)")                \
	X(rej_limit, "... because of the pool limit (mem_limit, max_pool_percent)")               \
	X(rej_alloc, "... because the allocator failed otherwise (-ENOMEM)")                      \
	X(written_back, "objects evicted through the writeback callback")                         \
	X(pool_limit_hit, "times the front end found the pool full")                              \
	/* front end, held now */                                                                 \
	X(same_filled, "same-filled pages (no allocation)")                                       \
	X(stored, "objects in the allocator")                                                     \
	X(huge, "of those, pages stored raw (a whole page each)")                                 \
	X(compressed_bytes, "the codec's output bytes of the stored objects, each at most a "     \
			    "page (raw storage and zswap's header are the allocator's overhead)") \
	/* allocator (zpool stats) now */                                                         \
	X(pool_pages, "pages the pool holds")                                                     \
	X(page_size, "bytes of one of the pool's pages, and of the pages offered (0: 4096, "      \
		     "results before it was kept)")                                               \
	X(peak_pages, "most pages it held")                                                       \
	X(metadata_bytes, "memory outside pool pages")                                            \
	X(straddling, "live objects crossing a page boundary")                                    \
	X(copy_bytes, "bytes copied by map/unmap of straddling objects, since the warm-up")       \
	X(moves, "objects the allocator moved (compaction), since the warm-up")                   \
	/* this phase */                                                                          \
	X(compactions, "explicit compactions (zpool_compact) of this phase")                      \
	X(compact_pages_freed, "pages they freed")                                                \
	X(compact_ns, "their wall time")                                                          \
	X(phase_ns, "wall clock, first thread's start to last thread's end")                      \
	X(cpu_ns, "CPU time of the workload threads over the phase")                              \
	X(threads, "threads sharing the pool")                                                    \
	X(peak_rss_bytes, "the process's peak resident memory from the pool's creation to "       \
			  "the end of this phase (0: not measured)")                              \
	X(unit_bytes, "bytes of one object's original data with --unit (a multi-page unit; "      \
		      "0: a page of page_size)")

/* Everything one phase on one pool produced. */
struct raw_counts {
#define RAW_FIELD(f, doc) uint64_t f;
	RAW_COUNTERS(RAW_FIELD)
#undef RAW_FIELD
	/* the latencies, and their percentiles (what lat_hist_pct() gives for hist[]) */
	struct lat_hist hist[LAT_NKINDS];
	struct lat_pct lat[LAT_NKINDS];
	/* with threads > 1: the stores timed while every thread's peer ran too */
	struct lat_pct store_overlap;
};

/* The counters by name, in list order: their number, names and the value of one. */
extern const char *const raw_counter_name[];
extern const int raw_ncounters;
uint64_t raw_counter_at(const struct raw_counts *r, int i);
uint64_t *raw_counter_ptr(struct raw_counts *r, int i);

/* Free the histograms @r owns (raw counts are moved by struct copy: one owner). */
void raw_counts_release(struct raw_counts *r);
/* A deep copy of @src into @dst.  0 or -1. */
int raw_counts_copy(struct raw_counts *dst, const struct raw_counts *src);

struct derived {
	double density;
	double effective_ratio;
	uint64_t ideal_pages;
	int64_t ideal_gap_pages; /* pool_pages - ideal_pages */
	double ideal_fraction;	 /* ideal_pages / pool_pages (1 = perfect packing) */
	double store_mops, load_mops, free_mops; /* NAN without such operations */
	double e2e_store_mops, e2e_load_mops;
	double wall_mops; /* all operations of the phase / wall clock */
};

void metrics_derive(const struct raw_counts *r, struct derived *d);
/* Bytes per page of @r (4096 when it does not say). */
static inline uint64_t metrics_page(const struct raw_counts *r)
{
	return r->page_size ? r->page_size : METRICS_PAGE;
}

/* Million operations per second for @n operations taking @ns in total; 0 if none. */
double mops(uint64_t n, uint64_t ns);

/*
 * A figure over repeats: the median, the lower median (an observed value,
 * for counts), min and max of the values that apply (NAN ones are left
 * out; all NAN or none: everything NAN, n = 0).  The one such routine.
 */
struct figure {
	double med, lower, min, max;
	int n;
};
struct figure figure_of(const double *v, int n);

#endif /* ZPB_METRICS_H */
