// SPDX-License-Identifier: GPL-2.0-only
/*
 * timer.c - see timer.h.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timer.h"

bool timer_use_tsc;
static struct timer_info ti;
/* the hot path's copies: overhead and resolution in ticks, ns per tick */
static double ti_overhead, ti_quantum, ti_ns_per_tick = 1;
static pthread_once_t ti_once = PTHREAD_ONCE_INIT;

/* The flags of the first CPU in /proc/cpuinfo have every word of @want. */
static bool cpu_has(const char *const *want, int n, char *missing, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[8192];
	bool found = false;

	*missing = '\0';
	if (!f) {
		snprintf(missing, len, "no /proc/cpuinfo");
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		found = true;
		for (int i = 0; i < n; i++) {
			char w[64];

			snprintf(w, sizeof(w), " %s", want[i]);
			/* a word: followed by a blank or the end of the line */
			char *p = strstr(line, w);

			if (!p || (p[strlen(w)] != ' ' && p[strlen(w)] != '\n' && p[strlen(w)])) {
				snprintf(missing + strlen(missing), len - strlen(missing), "%s%s",
					 *missing ? ", " : "", want[i]);
			}
		}
		break;
	}
	fclose(f);
	if (!found)
		snprintf(missing, len, "no CPU flags in /proc/cpuinfo");
	return !*missing;
}

/*
 * A (clock, ticks) pair taken as close together as this machine allows:
 * the ticks read between two clock reads, the narrowest of several tries,
 * the clock at the middle.
 */
static void pair(uint64_t *ns, uint64_t *ticks)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 16; i++) {
		uint64_t a = timer_clock_ns(), t = timer_ticks(), b = timer_clock_ns();

		if (b - a < best) {
			best = b - a;
			*ns = a + (b - a) / 2;
			*ticks = t;
		}
	}
}

static void calibrate(void)
{
	uint64_t n0, t0, n1, t1, n2, t2;
	struct timespec half = { 0, TIMER_CALIB_MS * 500000L };
	double rate, first;

	pair(&n0, &t0);
	nanosleep(&half, NULL);
	pair(&n1, &t1);
	nanosleep(&half, NULL);
	pair(&n2, &t2);
	rate = (double)(t2 - t0) / (double)(n2 - n0);
	first = (double)(t1 - t0) / (double)(n1 - n0);
	ti.ghz = rate;
	ti.calib_error = rate > 0 ? (first > rate ? first - rate : rate - first) / rate : 0;
	ti.mult = (uint64_t)((double)(1ULL << TIMER_SHIFT) / rate + 0.5);
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * The step of the source, in ns: the greatest common divisor of the
 * differences between successive reads.  (The smallest difference would be
 * the cost of a read, not the step: a read takes longer than a step here.)
 */
static double resolution(void)
{
	uint64_t g = 0;

	for (int i = 0; i < 4000; i++) {
		uint64_t a = timer_ticks(), b = timer_ticks();

		if (b > a)
			g = gcd(g, b - a);
	}
	return (double)(g ? g : 1) / ti.ghz;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Mean ticks of an empty timed region over @n pairs, trimmed at p99. */
static double overhead_ticks(int n)
{
	uint64_t *d = malloc((size_t)n * sizeof(*d)), sum = 0;
	int keep = n - n / 100;

	if (!d)
		return 0;
	for (int i = 0; i < n; i++) {
		uint64_t a = timer_ticks(), b = timer_ticks();

		d[i] = b - a;
	}
	qsort(d, n, sizeof(*d), cmp_u64);
	for (int i = 0; i < keep; i++)
		sum += d[i];
	free(d);
	return keep ? (double)sum / keep : 0;
}

double timer_measure_overhead(int n)
{
	timer_init();
	return overhead_ticks(n) * ti_ns_per_tick;
}

static void init_once(void)
{
	static const char *const need[] = { "rdtscp", "constant_tsc", "nonstop_tsc" };
	const char *env = getenv("ZPB_TIMER");
	char missing[128];
	double ot;

	timer_use_tsc = false;
#if defined(__x86_64__) || defined(__i386__)
	if (env && !strcmp(env, "clock"))
		snprintf(ti.note, sizeof(ti.note), "ZPB_TIMER=clock");
	else if (!cpu_has(need, 3, missing, sizeof(missing)))
		snprintf(ti.note, sizeof(ti.note), "no invariant TSC (missing: %s)", missing);
	else
		timer_use_tsc = true;
#else
	(void)need;
	(void)env;
	(void)missing;
	snprintf(ti.note, sizeof(ti.note), "not an x86 CPU");
#endif
	ti.tsc = timer_use_tsc;
	if (ti.tsc) {
		snprintf(ti.source, sizeof(ti.source), "invariant TSC (rdtscp)");
		calibrate();
	} else {
		snprintf(ti.source, sizeof(ti.source), "CLOCK_MONOTONIC");
		ti.ghz = 1;
		ti.mult = 1ULL << TIMER_SHIFT;
	}
	ti_ns_per_tick = 1.0 / ti.ghz;
	ti.resolution_ns = resolution();
	ti_quantum = ti.resolution_ns * ti.ghz;
	ot = overhead_ticks(TIMER_OVERHEAD_N);
	ti.overhead_ticks = (uint64_t)(ot + 0.5);
	ti.overhead_ns = ot * ti_ns_per_tick;
	ti_overhead = ot;
}

void timer_init(void)
{
	pthread_once(&ti_once, init_once);
}

const struct timer_info *timer_info(void)
{
	timer_init();
	return &ti;
}

void timer_describe(char *buf, size_t len)
{
	const struct timer_info *t = timer_info();

	if (t->tsc)
		snprintf(buf, len,
			 "%s at %.4f GHz (calibrated against CLOCK_MONOTONIC over %d ms, "
			 "halves agree to %.1e); resolution %.1f ns; overhead %.1f ns per timed "
			 "region, subtracted; samples dithered within the resolution",
			 t->source, t->ghz, TIMER_CALIB_MS, t->calib_error, t->resolution_ns,
			 t->overhead_ns);
	else
		snprintf(buf, len,
			 "%s (%s); resolution %.1f ns; overhead %.1f ns per timed "
			 "region, subtracted; samples dithered within the resolution",
			 t->source, t->note, t->resolution_ns, t->overhead_ns);
}

uint64_t timer_ticks_to_ns(uint64_t ticks)
{
	if (!ti.mult)
		timer_init();
	return (uint64_t)(((unsigned __int128)ticks * ti.mult) >> TIMER_SHIFT);
}

uint64_t timer_ns_to_ticks(uint64_t ns)
{
	if (!ti.mult)
		timer_init();
	return (uint64_t)((((unsigned __int128)ns << TIMER_SHIFT) + ti.mult / 2) / ti.mult);
}

uint64_t timer_net_ns(uint64_t t0, uint64_t t1)
{
	double net = (t1 > t0 ? (double)(t1 - t0) : 0) - ti_overhead;

	return net > 0 ? (uint64_t)(net * ti_ns_per_tick + 0.5) : 0;
}

/* xorshift64*, per thread: the dither needs no quality beyond uniformity */
static __thread uint64_t dither_state;

static inline double uniform(void)
{
	uint64_t x = dither_state;

	if (!x)
		x = (uint64_t)(uintptr_t)&dither_state ^ 0x9e3779b97f4a7c15ULL;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	dither_state = x;
	return (double)((x * 0x2545f4914f6cdd1dULL) >> 11) / (double)(1ULL << 53);
}

uint64_t timer_sample_ns(uint64_t t0, uint64_t t1)
{
	double net = (t1 > t0 ? (double)(t1 - t0) : 0) - ti_overhead +
		     (uniform() - 0.5) * ti_quantum;

	return net > 0 ? (uint64_t)(net * ti_ns_per_tick + 0.5) : 0;
}

double timer_batch_ns(uint64_t t0, uint64_t t1, uint64_t n)
{
	double net = (t1 > t0 ? (double)(t1 - t0) : 0) - ti_overhead;

	return n && net > 0 ? net * ti_ns_per_tick / (double)n : 0;
}
