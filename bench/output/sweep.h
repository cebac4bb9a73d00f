/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sweep.h - a parameter sweep's verdict: every setting relative to a
 * baseline setting (space gained, throughput lost), the Pareto set, and
 * the recommendation for a stated goal under an optional latency bound.
 *
 *	space gained %     = (base bytes - bytes) / base bytes * 100,
 *	                     bytes = pool bytes + metadata where the density
 *	                     of the trade-off basis is taken (tradeoff.h:
 *	                     after churn when churn ran, else after fill)
 *	throughput lost %  = (base tput - tput) / base tput * 100, tput the
 *	                     throughput of the trade-off basis (tradeoff.h)
 *
 * Goals: density (most density; ties: the faster), speed (most
 * throughput; ties: the denser), balanced (the densest setting among
 * those whose throughput is within SWEEP_BALANCED_PCT % of the fastest;
 * ties: the faster).  With a bound, only settings whose store and load
 * p99 are within it compete.  The ideal bound never competes.  Throughput
 * figures are medians over repeats with their min..max; a difference whose
 * ranges overlap is reported as not significant.
 */
#ifndef ZPB_SWEEP_H
#define ZPB_SWEEP_H

#include <stdio.h>

#include "output/results.h"
#include "driver/run.h"
#include "output/tradeoff.h"

#define SWEEP_BALANCED_PCT 10

/* What a sweep recommends for (--prefer). */
enum prefer { PREFER_BALANCED, PREFER_DENSITY, PREFER_SPEED };

struct sweep_point {
	const struct run_row *fill; /* the group's first row (fill, or load) */
	struct tradeoff_point tp;
	double density, bytes, tput, store_p99, load_p99; /* medians on the trade-off basis */
	double space_gain_pct, tput_loss_pct;
	double space_gain_min, space_gain_max, tput_loss_min, tput_loss_max; /* over repeats */
	bool pareto; /* over (tput, density) of the sweep's own figures */
	bool feasible, recommended, baseline;
};

struct sweep_group {
	const struct run_row *head; /* its first row: the corpus, codec, front end, objects */
	char corpus[256];
	char codec[32];
	uint32_t page_size;
	struct sweep_point *pt;
	int n;
	int best;    /* recommended point, -1 if none is feasible */
	int fastest; /* fastest feasible point, -1 if none */
	int base;    /* baseline point */
};

struct sweep {
	struct sweep_group *g;
	int ng;
};

/* Evaluate @res (after results_tradeoff); 0 or -1 (out of memory). */
int sweep_evaluate(const struct run_results *res, const char *baseline, enum prefer prefer,
		   uint64_t max_ns_p99, struct sweep *sw);
void sweep_free(struct sweep *sw);

/* The default baseline: the first spec with "compaction=middle", else the first. */
const char *sweep_default_baseline(const struct run_opts *o);

void sweep_csv(FILE *f, const struct run_results *res, const struct sweep *sw);
/* True if some corpus and codec has no setting that meets the bound (none recommended). */
bool sweep_unsatisfied(const struct sweep *sw);
/* PREFER_* of "balanced", "density", "speed"; -1 if none; and the name of one. */
int sweep_prefer_of(const char *name);
const char *sweep_prefer_name(enum prefer prefer);
struct jw;
/* The verdict as a member "sweep" of a JSON object (results.json of a sweep). */
void sweep_json(struct jw *w, const struct sweep *sw, enum prefer prefer, uint64_t max_ns_p99);

/* What the goal means, one line: "balanced: the densest setting ..." */
const char *sweep_goal_text(enum prefer prefer);
/* The recommendation, one paragraph per corpus and codec. */
void sweep_print(FILE *f, const struct sweep *sw, enum prefer prefer, uint64_t max_ns_p99, bool md);

#endif /* ZPB_SWEEP_H */
