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
 * more follow (label, rejection reasons, all percentiles, spreads over
 * repeats ...).  Values are the median over repeats; columns ending in _min
 * and _max give the spread.  Each value is recomputed from the raw counts
 * of every repeat (results.json carries those counts too).
 */
#ifndef ZPB_RESULTS_H
#define ZPB_RESULTS_H

#include <stdbool.h>
#include <stdio.h>

#include "output/provenance.h"
#include "driver/run.h"

enum col_stat { COL_MEDIAN, COL_MIN, COL_MAX };

/* Number of numeric columns and their names (in CSV order, after the keys). */
int results_ncols(void);
const char *results_col_name(int col);
int results_col_find(const char *name); /* index, or -1 */
/* A numeric column of a row, recomputed from the repeats' raw counts. */
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

struct results_meta {
	const struct provenance *prov;
	const struct run_opts *opts;
};

/* The whole CSV (with the provenance header) to @f. */
void results_csv(FILE *f, const struct run_results *res, const struct results_meta *m);
void results_json(FILE *f, const struct run_results *res, const struct results_meta *m);

/* Write every results file into @dir (which exists).  0, or -1 with a message printed. */
int results_write(const char *dir, const struct run_results *res, const struct results_meta *m);

/* CSV field, quoted when it holds a comma or a quote. */
void csv_field(FILE *f, const char *s);

#endif /* ZPB_RESULTS_H */
