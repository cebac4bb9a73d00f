/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * results.h - the results folder: results.csv and results.json (one row per
 * corpus x codec x allocator x workload), sizes.csv (compressed-size
 * histogram), bounds.csv (allocator class boundaries), churn.csv (pool pages
 * during churn).  Every file is written to a temporary name and renamed.
 *
 * results.csv opens with '#' comment lines (the provenance), then the
 * header.  The first columns are a stable interface:
 *
 *	corpus,codec,allocator,workload,pages,same_filled,stored,rejected,
 *	compressed_bytes,pool_pages,metadata_bytes,density,effective_ratio,
 *	ideal_pages,store_ns_p50,store_ns_p99,load_ns_p50,load_ns_p99,
 *	store_mops,load_mops,compact_pages_freed
 *
 * more follow (rejection reasons, all percentiles, ...; cols[] in
 * results.c is the one place that fixes their order and decimals), then
 * the trade-off figures, the spreads over repeats (NAME_min, NAME_max), and
 * the row's identity: label, frontend, corpus_sha256, objects, point_label.
 * Values are the median over repeats, each recomputed from the raw counts
 * of every repeat; a value that does not apply to a row (the store latency
 * of a load row) is an empty field, null in JSON.
 *
 * results.json (format "zpoolbench-results", version 2) holds the
 * provenance, the same rows with the raw counts of every repeat, latency
 * histograms included (metrics.h), and the size, boundary and churn data;
 * results_load() reads it back into the same structures, so a results
 * folder can be compared (`zpoolbench compare`) and merged (`zpoolbench
 * report`) with nothing lost.
 */
#ifndef ZPB_RESULTS_H
#define ZPB_RESULTS_H

#include <stdbool.h>
#include <stdio.h>

#include "csv.h"
#include "driver/run.h"
#include "output/provenance.h"

#define RESULTS_FORMAT "zpoolbench-results"
#define RESULTS_FORMAT_VERSION 2

enum col_stat { COL_MEDIAN, COL_MIN, COL_MAX };

/* Number of numeric columns and their names (in CSV order, after the keys). */
int results_ncols(void);
const char *results_col_name(int col);
int results_col_find(const char *name); /* index, or -1 */
int results_col_decimals(int col);
/* A numeric column of one repeat (NAN: does not apply). */
double results_rep_value(const struct run_row *row, int col, int rep);
/* A numeric column of a row over its repeats (NAN: applies to none). */
double results_value(const struct run_row *row, int col, enum col_stat stat);
/* Shortcut by name (median); NAN if no such column. */
double results_get(const struct run_row *row, const char *name);

/*
 * The trade-off on the one basis of tradeoff.h: per corpus x codec x
 * allocator, row->tput_mops and row->tradeoff_density (medians over
 * repeats), and the Pareto set over them among the allocators of the same
 * corpus and codec, the ideal bound left out.  Sets them on every row.
 */
void results_tradeoff(struct run_results *res);

/* Human name of an allocator spec without commas or spaces (plot labels): "z3fold:compaction=extra;gap=2". */
void results_label(const char *spec, char *out, size_t len);
/*
 * The short name of @spec among the settings of its run, for points in a
 * figure: the keys in which the settings differ ("chain=16"), the name of
 * the allocator when they differ in it ("zbud"), "ideal" for the bound.
 */
void results_point_label(const struct run_results *res, const char *spec, char *out, size_t len);

struct results_meta {
	const struct provenance *prov;	  /* of this run, or of the merge */
	const struct provenance *sources; /* a merge: the provenance of every folder merged */
	int nsources;
	char (*notes)[512]; /* a merge: what it did that a reader must know */
	int nnotes;
	void (*json_extra)(struct jw *w, void *arg); /* more members of the document, or NULL */
	void *arg;
};

/* The whole CSV (with the provenance header) to @f. */
void results_csv(FILE *f, const struct run_results *res, const struct results_meta *m);
void results_json(FILE *f, const struct run_results *res, const struct results_meta *m);
/* The keys that name a row (corpus ... objects), @wl its workload: results.json and compare's. */
struct jw;
void results_json_rowkey(struct jw *w, const struct run_row *r, const char *wl);

/* Write every results file into @dir (which exists).  0, or -1 with a message printed. */
int results_write(const char *dir, const struct run_results *res, const struct results_meta *m);

/*
 * What a results document read back holds besides the results: its own
 * provenance, and for a merged folder those of the folders it merged.
 */
struct results_doc {
	struct run_results res;
	struct provenance prov;
	struct provenance *sources;
	int nsources;
	char path[4096];   /* the file read */
	bool medians_only; /* read from a results.csv: one "repeat" holding the medians */
};

/*
 * Read a results folder (its results.json), a results.json, or a
 * results.csv (medians only: enough for exact figures, not for tests over
 * repeats).  0, or -1 with one line in @err naming the file.
 */
int results_load(const char *path, struct results_doc *doc, char *err, size_t errlen);
void results_doc_free(struct results_doc *doc);

#endif /* ZPB_RESULTS_H */
