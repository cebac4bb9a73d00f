/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * report.h - what a person reads: the summary table (stdout and
 * report.md), the winners on density and on speed, the Pareto set, and the
 * figures, drawn by gnuplot from the CSV files with the scripts in plots/.
 */
#ifndef ZPB_REPORT_H
#define ZPB_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "results.h"
#include "run.h"

/*
 * One line per corpus x codec x allocator: pool pages, density, effective
 * ratio, distance to the packing bound, latencies and throughput, pages
 * after churn, Pareto mark.  @md: as a Markdown table.
 */
void report_table(FILE *f, const struct run_results *res, bool md);

/* Winners per corpus and codec (density, speed, Pareto set) as text lines. */
void report_winners(FILE *f, const struct run_results *res, bool md);

/* The folder holding the gnuplot scripts: $ZPB_PLOTS, <binary>/../../plots, ./plots. */
int report_plots_dir(char *out, size_t len);

/*
 * Run plots/@name.gp on @dir (it reads the CSV files in DIR, writes DIR/@name.png and
 * .svg).  0, or -1 (gnuplot missing or failed; a note on stderr).
 */
int report_plot(const char *dir, const char *name);

/*
 * Draw the figures @names (NULL-terminated) into @dir; those drawn go to
 * @out (NULL-terminated).  Stops at the first failure (gnuplot missing).
 */
void report_draw(const char *dir, const char *const *names, const char **out);

/* report.md in @dir; @figures lists the figure names that exist (NULL-terminated). */
int report_markdown(const char *dir, const struct run_results *res, const struct results_meta *m,
		    const char *const *figures, void (*extra)(FILE *f, void *arg), void *arg);

#endif /* ZPB_REPORT_H */
