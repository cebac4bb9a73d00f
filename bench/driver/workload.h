/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload.h - what the driver does to a pool through a front end.
 *
 *  fill   store every corpus page (slot i <- page i): malloc + map WO +
 *         memcpy + unmap, timed per operation;
 *  load   read every slot back in a seeded random order: map RO +
 *         decompress + unmap, and compare with the original page (a
 *         mismatch fails the run);
 *  churn  @rounds times: free a seeded-random @percent of the slots, then
 *         store fresh random corpus pages into them, as a long-running
 *         swap device sees; the pool-page curve is sampled as it goes;
 *         with @compact_every, thread 0 compacts the pool after every that
 *         many of its rounds (as zsmalloc's shrinker or zram's compact knob
 *         would, while the other threads go on), a curve point after each;
 *         then one compaction (timed) and a full verification pass.
 *
 * With @threads > 1 the slots are split into contiguous ranges, one per
 * thread, all on the same pool (allocators do their own locking).  What is
 * stored where does not depend on the thread count: fill stores page i in
 * slot i, and churn's choices are drawn per (seed, round, slot); only the
 * order of the operations differs.  The threads start together and each
 * keeps its own latencies and counters (no shared cache line per operation).
 */
#ifndef ZPB_WORKLOAD_H
#define ZPB_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "driver/frontend.h"
#include "driver/metrics.h"

enum workload_kind { WL_FILL, WL_LOAD, WL_CHURN, WL_REPLAY, WL_NKINDS };
extern const char *const workload_name[WL_NKINDS];

struct wl_params {
	uint64_t seed;
	bool warmup; /* fill and empty the pool once before measuring */
	int threads;
	unsigned int churn_rounds;  /* default 8 */
	unsigned int churn_percent; /* default 30 */
	unsigned int compact_every; /* churn rounds between compactions; 0: only at the end */
};

/* One sample of the churn curve. */
struct curve_point {
	uint64_t op; /* operations since churn began (all threads) */
	uint64_t pool_pages;
};

struct curve {
	struct curve_point *p;
	uint64_t n, cap;
};
void curve_release(struct curve *c);

/*
 * Run one phase; @r gets the front-end snapshot after it, the phase's
 * latencies and wall time.  0, or -1 with one line in @err (data mismatch,
 * out of memory, interrupted).
 */
/*
 * Fill the pool and empty it again, unmeasured, then zero the front end's
 * counters: the measured fill then finds pages that have been touched before,
 * as the kernel's allocators get already-mapped pages from the page
 * allocator, instead of timing first-touch page faults.
 */
int wl_warmup(struct frontend *fe, const struct wl_params *p, char *err, size_t errlen);
int wl_fill(struct frontend *fe, const struct wl_params *p, struct raw_counts *r, char *err,
	    size_t errlen);
int wl_load(struct frontend *fe, const struct wl_params *p, struct raw_counts *r, char *err,
	    size_t errlen);
int wl_churn(struct frontend *fe, const struct wl_params *p, struct raw_counts *r,
	     struct curve *curve, char *err, size_t errlen);

#endif /* ZPB_WORKLOAD_H */
