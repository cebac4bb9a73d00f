/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tradeoff.h - the one basis on which settings are compared: the table's
 * Pareto column, the winners, the trade-off figure and a sweep's verdict
 * all use these figures.
 *
 *	density     after churn when churn ran (the pool's steady state:
 *	            compaction only acts on frees), else after fill
 *	throughput  harmonic mean of the allocator-path Mop/s of the
 *	            operations a steady-state pool performs: store (during
 *	            churn when churn ran, else the fill), load, and free
 *	            (during churn)
 *
 * Each figure is computed per repeat (the rows of one pool share a repeat
 * index) and reported as the median with its min and max over repeats.
 * Two figures differ significantly only when both come from more than one
 * repeat and their min..max ranges do not overlap; from single runs the
 * spread is unknown and nothing is called significant.
 */
#ifndef ZPB_TRADEOFF_H
#define ZPB_TRADEOFF_H

#include <stdbool.h>
#include <stddef.h>

#include "driver/run.h"

struct tradeoff_point {
	const struct run_row *fill, *load, *churn;
	struct figure dens_fill;  /* density after fill (NAN without a fill row) */
	struct figure dens_churn; /* density after churn (NAN without churn) */
	struct figure dens;	  /* the basis: dens_churn if churn ran, else dens_fill */
	struct figure tput;	  /* Mop/s on the basis above */
	struct figure bytes;	  /* pool + metadata bytes where dens is taken */
};

/*
 * Rows compared with each other: the same corpus (name and sha256), codec,
 * front end and object count (a "pair" of a corpus and a codec, the panel
 * of a figure); with the same allocator setting too, the rows of one pool.
 */
bool tradeoff_same_pair(const struct run_row *a, const struct run_row *b);
bool tradeoff_same_setting(const struct run_row *a, const struct run_row *b);

/*
 * Pareto set of points (x, y), both to be maximised: out[i] is true unless
 * some point is at least as good in both and better in one.  Equal points
 * are all kept; a point with a NAN coordinate is never in the set.
 */
void pareto_mark(const double *x, const double *y, int n, bool *out);

/* The rows of @row's corpus x codec x allocator group and their figures. */
void tradeoff_point_of(const struct run_results *res, const struct run_row *row,
		       struct tradeoff_point *p);

/* The figures of one repeat of @p's setting on the basis above (NAN: none). */
double tradeoff_rep_density(const struct tradeoff_point *p, int rep);
double tradeoff_rep_tput(const struct tradeoff_point *p, int rep);

/* True if @a and @b are significantly different (see above). */
bool figure_differs(const struct figure *a, const struct figure *b);

/* Equal to the printed precision (relative 1e-9): a tie. */
bool figure_ties(double a, double b);

/* "median of 3 repeats" / "1 run" */
const char *figure_basis_n(int n, char *buf, size_t len);

/* Which rates the throughput of @p combines: "harmonic mean of fill store and load Mop/s". */
const char *tradeoff_tput_label(const struct tradeoff_point *p, char *buf, size_t len);

/* One-line statements of the basis, for reports and CSV comments. */
extern const char tradeoff_density_basis[];
extern const char tradeoff_tput_basis[];

#endif /* ZPB_TRADEOFF_H */
