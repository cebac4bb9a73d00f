/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compare.h - two results folders side by side (`zpoolbench compare BASE
 * NEW`): is NEW better than BASE, row by row, and by how much.
 *
 * Rows match when they have the same corpus (sha256; the name when a row
 * has none), codec, allocator setting, workload, front end and object
 * count (or, with alloc_base and alloc_new, the one setting of BASE and
 * the other of NEW).  Rows on one side only are listed.  For every matched row:
 *
 *	density, pool_pages   deterministic: compared exactly (any difference
 *	                      is real); when the repeats of a side differ
 *	                      (threads > 1) they are tested like time figures
 *	mops                  the row's operation rate, per repeat: store
 *	                      (fill), load (load), the harmonic mean of store
 *	                      and free (churn)
 *	p99_ns                the 99th percentile latency of those operations
 *
 * and for every matched allocator setting, on the one trade-off basis of
 * tradeoff.h (workload "setting"): density and tput.
 *
 * A time figure uses every repeat of both sides: the change of the
 * medians, a bootstrap 95 % interval of that change, and the
 * Mann-Whitney U test (stats.h).  A comparison tests a hundred figures and
 * more, so a change is significant when its p, adjusted over every tested
 * line of the comparison (Benjamini-Hochberg: the false discovery rate),
 * is below alpha.  Verdicts: "same" when the change is below the minimum
 * effect (or none, for an exact figure); otherwise "better" or "worse" when
 * the change is exact or significant, else "noise".
 *
 * The gate: a density that falls by more than --max-density-drop percent
 * (exactly, or significantly where repeats differ), or a rate (mops,
 * tput) that falls by more than --max-tput-drop percent significantly,
 * fails the comparison (exit status 1).
 */
#ifndef ZPB_COMPARE_H
#define ZPB_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include "output/results.h"

enum cmp_verdict { CMP_SAME, CMP_BETTER, CMP_WORSE, CMP_NOISE };
extern const char *const cmp_verdict_name[];

struct cmp_opts {
	double alpha;		 /* significance level, 0.05 */
	double min_effect;	 /* percent below which a change is "same" */
	double max_density_drop; /* percent; < 0: no gate */
	double max_tput_drop;	 /* percent; < 0: no gate */
	/*
	 * Both or neither: compare the rows of setting @alloc_base in BASE with
	 * those of @alloc_new in NEW (the other keys matching), and nothing else:
	 * two settings of one run, or a setting before and after a change of it.
	 */
	const char *alloc_base, *alloc_new;
};

struct cmp_line {
	const struct run_row *a, *b; /* the rows of BASE and NEW (a setting's first rows) */
	const char *workload;	     /* workload_name[], or "setting" */
	const char *figure;	     /* "density", "pool_pages", "mops", "p99_ns", "tput" */
	bool higher_better;
	bool exact;	     /* compared exactly: no test */
	double base, new_;   /* medians */
	double change;	     /* (new / base - 1) * 100 */
	double ci_lo, ci_hi; /* bootstrap 95 % interval of the change (NAN: none) */
	double p;	     /* Mann-Whitney U two-sided p (NAN: exact) */
	double q;	     /* p adjusted over the comparison's tested lines (BH) */
	int n1, n2;	     /* repeats */
	enum cmp_verdict verdict;
	bool gate_failed;
};

struct comparison {
	struct cmp_line *l;
	int n;
	const struct run_row **only_base, **only_new; /* one row per setting and workload */
	int nonly_base, nonly_new;
	char (*prov)[640]; /* provenance differences, one line each */
	int nprov;
	int gate_failures;
	double min_p;	   /* the smallest p the repeat counts of the tested lines allow */
	bool medians_only; /* a side came from a results.csv: no tests */
	struct cmp_opts o;
};

/* Compare @base with @new.  0, or -1 (out of memory). */
int compare_docs(const struct results_doc *base, const struct results_doc *new_,
		 const struct cmp_opts *o, struct comparison *c);
void compare_free(struct comparison *c);

/* The table a person reads; provenance differences first. */
void compare_table(FILE *f, const struct comparison *c, const char *base, const char *new_);
/* Every line as CSV (the long form), or the whole comparison as JSON. */
void compare_csv(FILE *f, const struct comparison *c);
void compare_json(FILE *f, const struct comparison *c, const char *base, const char *new_);
/* One row per matched setting: its density and throughput change (the figure's data). */
void compare_settings_csv(FILE *f, const struct comparison *c);

#endif /* ZPB_COMPARE_H */
