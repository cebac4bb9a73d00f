/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * merge.h - many results folders into one (`zpoolbench report DIR...`):
 * the shards of a split run, or runs from several hosts and corpora.
 *
 *  - rows are copied with every repeat (raw counts and latency histograms:
 *    every figure is recomputed, percentiles of pooled repeats from their
 *    summed buckets, never averaged);
 *  - the same setting in two folders that are not shards of one run is
 *    pooled: its repeats are put together (the report says which), so
 *    that runs made one after another on a busy machine give a spread that
 *    holds the drift between runs; the ideal bound, which every run adds,
 *    is pooled alike: one ideal row per corpus, codec, front end, objects
 *    and workload;
 *  - the shards of one run (same plan, results.h) go back into the run's
 *    order, so that ties break as in the whole run; a shard given twice is
 *    refused, a missing one is named;
 *  - corpora, size histograms, class boundaries and churn curves once each;
 *    two corpora of one name with different contents are refused;
 *  - the provenance of every folder is kept (sources), merged folders'
 *    sources included.
 * The Pareto sets, a sweep's baseline and recommendation, the figures and
 * report.md are recomputed by the caller from the merged rows.
 */
#ifndef ZPB_MERGE_H
#define ZPB_MERGE_H

#include "output/results.h"

struct merge {
	struct run_results res;
	struct provenance *sources;
	int nsources;
	char (*notes)[512]; /* what the merge did that a reader must know */
	int nnotes;
	bool sweep; /* some folder is a sweep's */
	/* the sweep's settings, when every sweep folder agrees on them ("" / 0 when not) */
	char prefer[16], baseline[256];
	uint64_t max_ns_p99;
	bool sweep_agree;
};

/*
 * Merge @docs[0..n).  0, or -1 with one line in @err (exit status 2: a usage
 * error; nothing is left to free).
 */
int merge_docs(const struct results_doc *docs, int n, struct merge *m, char *err, size_t errlen);
void merge_free(struct merge *m);

#endif /* ZPB_MERGE_H */
