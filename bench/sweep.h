/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sweep.h - a parameter sweep's verdict: every setting relative to a
 * baseline setting (space gained, throughput lost), the Pareto set, and
 * the recommendation for a stated goal under an optional latency bound.
 *
 *	space gained %     = (base bytes - bytes) / base bytes * 100,
 *	                     bytes = pool bytes + metadata after churn (the
 *	                     frees are where compaction acts; after fill
 *	                     when churn was not run)
 *	throughput lost %  = (base tput - tput) / base tput * 100,
 *	                     tput = harmonic mean of the churn's store and
 *	                     free Mop/s and the load Mop/s (without churn:
 *	                     of fill store and load)
 *
 * Goals: density (most density), speed (most throughput), balanced (the
 * largest sum of density and throughput, each divided by its best value
 * among the settings).  With a bound, only settings whose store and load
 * p99 are within it compete.  The ideal bound never competes.
 */
#ifndef ZPB_SWEEP_H
#define ZPB_SWEEP_H

#include <stdio.h>

#include "results.h"
#include "run.h"
#include "runcli.h"

struct sweep_point {
	const struct run_row *fill;
	double density, bytes, tput, store_p99, load_p99; /* density, bytes: after churn */
	double space_gain_pct, tput_loss_pct;
	bool pareto;	/* over (tput, density) of the sweep's own figures */
	bool feasible, recommended, baseline;
};

struct sweep_group {
	char corpus[256];
	char codec[32];
	struct sweep_point *pt;
	int n;
	int best;	/* recommended point, -1 if none is feasible */
	int base;	/* baseline point */
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

void sweep_csv(FILE *f, const struct sweep *sw);
/* The recommendation, one paragraph per corpus and codec. */
void sweep_print(FILE *f, const struct sweep *sw, enum prefer prefer, uint64_t max_ns_p99,
		 bool md);

#endif /* ZPB_SWEEP_H */
