// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_timer.c - the per-operation timer: calibration and overhead
 * accounting checked by relations that hold on any machine, however loaded
 * (no timing thresholds): conversions agree both ways and keep order,
 * nothing is ever negative, a timed region nested in another is not
 * longer than it, a longer busy loop is not measured shorter than one a
 * thousand times shorter, and a batch's mean times its count is its total.
 */
#include <string.h>
#include <time.h>

#include "../harness.h"
#include "timer.h"

static volatile uint64_t sink;

static void busy(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		sink += i;
}

TEST(timer_calibrated_and_described)
{
	const struct timer_info *t = timer_info();
	char line[512];

	CHECK(t->ghz > 0);
	CHECK(t->mult > 0);
	CHECK(t->resolution_ns > 0);
	CHECK(t->overhead_ns >= 0);
	CHECK(t->tsc || t->note[0]); /* the fallback says why */
	timer_describe(line, sizeof(line));
	CHECK(strstr(line, t->source) && strstr(line, "resolution") && strstr(line, "overhead"));
}

TEST(timer_conversions_agree_and_keep_order)
{
	uint64_t prev = 0;

	timer_init();
	for (uint64_t ns = 0; ns < 5000000000ULL; ns = ns * 3 + 7) {
		uint64_t ticks = timer_ns_to_ticks(ns), back = timer_ticks_to_ns(ticks);

		/* there and back within one tick's worth of nanoseconds */
		CHECK(back + 1 + (uint64_t)(1 / timer_info()->ghz) >= ns);
		CHECK(back <= ns + 1 + (uint64_t)(1 / timer_info()->ghz));
		CHECK(timer_ticks_to_ns(ticks) >= prev);
		prev = timer_ticks_to_ns(ticks);
	}
}

TEST(timer_overhead_subtraction_never_negative)
{
	uint64_t t = timer_ticks();

	CHECK_EQ(timer_net_ns(t, t), 0);
	CHECK_EQ(timer_net_ns(t + 1000, t), 0); /* backwards: zero, not a wrapped huge value */
	CHECK(timer_sample_ns(t + 1000, t) == 0);
	for (int i = 0; i < 10000; i++) {
		uint64_t a = timer_ticks(), b = timer_ticks();
		uint64_t raw = timer_ticks_to_ns(b - a), net = timer_net_ns(a, b);

		/* taking the overhead off never adds, and never goes below zero */
		CHECK(net <= raw);
		CHECK(timer_sample_ns(a, b) <= raw + (uint64_t)timer_info()->resolution_ns);
	}
	CHECK(timer_measure_overhead(1000) >= 0);
}

TEST(timer_nested_region_not_longer)
{
	const struct timer_info *ti = timer_info();

	for (int i = 0; i < 20; i++) {
		struct timespec a, d;
		uint64_t b, c, outer, inner;

		clock_gettime(CLOCK_MONOTONIC, &a);
		b = timer_ticks();
		busy(100000 * (uint64_t)(i + 1));
		c = timer_ticks();
		clock_gettime(CLOCK_MONOTONIC, &d);
		outer = (uint64_t)(d.tv_sec - a.tv_sec) * 1000000000ULL + (uint64_t)d.tv_nsec -
			(uint64_t)a.tv_nsec;
		inner = timer_ticks_to_ns(c - b);
		/* calibrated against that clock: the inner region fits in the outer one */
		CHECK(inner <= outer + outer / 500 + 2 * (uint64_t)ti->resolution_ns + 1);
	}
}

TEST(timer_longer_busy_loop_not_shorter)
{
	for (int i = 0; i < 5; i++) {
		uint64_t t0 = timer_ticks(), t1, t2, t3;

		busy(1000);
		t1 = timer_ticks();
		t2 = timer_ticks();
		busy(1000000);
		t3 = timer_ticks();
		CHECK(timer_net_ns(t2, t3) >= timer_net_ns(t0, t1));
	}
}

TEST(timer_batch_is_the_total_over_the_count)
{
	uint64_t t0 = timer_ticks(), t1;
	double mean;

	busy(100000);
	t1 = timer_ticks();
	mean = timer_batch_ns(t0, t1, 1000);
	CHECK(mean >= 0);
	/* the same subtraction as a single sample, to within rounding */
	CHECK(mean * 1000 <= (double)timer_net_ns(t0, t1) + 1);
	CHECK(mean * 1000 + 1 >= (double)timer_net_ns(t0, t1));
	CHECK(timer_batch_ns(t0, t1, 0) == 0);
	CHECK(timer_batch_ns(t1, t0, 10) == 0);
}
