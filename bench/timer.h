/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * timer.h - the clock every per-operation latency is read from.
 *
 * An allocator operation takes tens of nanoseconds; two clock_gettime()
 * calls cost about as much, so timing must know and remove its own cost:
 *
 *  - the source is the invariant TSC, read with rdtscp when the CPU has it:
 *    /proc/cpuinfo lists rdtscp, constant_tsc and nonstop_tsc.  An mfence
 *    goes first, so that the stores of the code timed (a 1.5 KB memcpy
 *    fits in the store buffer) are in memory before the region ends, and
 *    those of the code before it before the region starts; an lfence
 *    follows, so that the code timed does not start before the read.  Its
 *    rate is calibrated against CLOCK_MONOTONIC over TIMER_CALIB_MS
 *    (each end taken between two clock reads, the closest pair of several).
 *    Otherwise, or with ZPB_TIMER=clock in the environment, the source is
 *    CLOCK_MONOTONIC itself, and timer_info()->note says why;
 *  - the overhead, what an empty timed region measures, is taken as the
 *    mean of TIMER_OVERHEAD_N back-to-back pairs (trimmed at p99) and
 *    subtracted from every sample, never below zero;
 *  - the resolution is the smallest step the source was seen to take
 *    (on AMD Zen the TSC advances in steps of 10 ns at 2.6 GHz: 26 ticks);
 *  - a sample below the resolution cannot be told apart: each sample is
 *    dithered by a uniform amount in [-resolution/2, +resolution/2), which
 *    leaves means unchanged and turns the counter's steps into the
 *    distribution they sample (percentiles, latency plots);
 *  - a mean below the resolution is measured by timing K operations as one
 *    batch and dividing (timer_batch_ns()).
 *
 * timer_init() runs once (about 30 ms); call it before the first
 * timer_ticks() (fe_create(), the microbenchmark and the provenance do),
 * since until then timer_ticks() reads the clock.  The figures go into the
 * provenance of every result.
 */
#ifndef ZPB_TIMER_H
#define ZPB_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TIMER_CALIB_MS 25
#define TIMER_OVERHEAD_N 20000

struct timer_info {
	bool tsc;	      /* the TSC; false: CLOCK_MONOTONIC */
	char source[64];      /* "invariant TSC (rdtscp)" or "CLOCK_MONOTONIC" */
	char note[160];	      /* why not the TSC, or "" */
	double ghz;	      /* ticks per ns (1 for the clock) */
	uint64_t mult;	      /* ns = ticks * mult >> TIMER_SHIFT */
	double resolution_ns; /* smallest step seen */
	double overhead_ns;   /* subtracted from every sample */
	uint64_t overhead_ticks;
	double calib_error; /* |rate from the first half - rate from the whole| / rate */
};

#define TIMER_SHIFT 24

void timer_init(void);
const struct timer_info *timer_info(void);

/* One line for provenance: "invariant TSC (rdtscp), 2.596 GHz calibrated ...". */
void timer_describe(char *buf, size_t len);

extern bool timer_use_tsc;

static inline uint64_t timer_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* A timestamp in ticks of the source. */
static inline uint64_t timer_ticks(void)
{
#if defined(__x86_64__) || defined(__i386__)
	if (timer_use_tsc) {
		uint32_t lo, hi, aux;

		__asm__ volatile("mfence\n\trdtscp\n\tlfence"
				 : "=a"(lo), "=d"(hi), "=c"(aux)
				 :
				 : "memory");
		return (uint64_t)hi << 32 | lo;
	}
#endif
	return timer_clock_ns();
}

/* Ticks to nanoseconds (exact for the clock, mult/shift for the TSC). */
uint64_t timer_ticks_to_ns(uint64_t ticks);
uint64_t timer_ns_to_ticks(uint64_t ns);

/*
 * The time between two timestamps with the overhead taken off (never
 * below zero), dithered within the resolution: a sample in nanoseconds.
 */
uint64_t timer_sample_ns(uint64_t t0, uint64_t t1);
/* The same without the dither (for tests and batches). */
uint64_t timer_net_ns(uint64_t t0, uint64_t t1);

/*
 * A batch: @n operations between two timestamps; the mean in ns (as a
 * double, below the resolution too), the overhead of the one pair taken off.
 */
double timer_batch_ns(uint64_t t0, uint64_t t1, uint64_t n);

/*
 * The calibration and the overhead measurement, for tests: re-measure the
 * overhead with @n pairs (it is what timer_init() does).
 */
double timer_measure_overhead(int n);

#endif /* ZPB_TIMER_H */
