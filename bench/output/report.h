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

#include "output/results.h"
#include "output/sweep.h"
#include "driver/run.h"

/*
 * One line per corpus x codec x allocator: pool pages, density, effective
 * ratio, distance to the packing bound, latencies and throughput, pages
 * after churn, Pareto mark.  @md: as a Markdown table.
 */
void report_table(FILE *f, const struct run_results *res, bool md);
/* One cell of a table: " v |" in markdown, else right-aligned in @width; NAN is "-". */
void report_cell(FILE *f, bool md, int width, const char *fmt, double v);

/* Winners per corpus and codec (density, speed, Pareto set) as text lines. */
void report_winners(FILE *f, const struct run_results *res, bool md);

/*
 * The folder holding the gnuplot scripts: $ZPB_PLOTS if set, else
 * PREFIX/share/zpoolbench/plots beside an installed binary, or TOP/plots
 * beside TOP/build/zpoolbench (util.h: zpb_data_dir).  0, or -1 with the
 * places looked in, in @out.
 */
int report_plots_dir(char *out, size_t len);

/* A figure that was not drawn, and why. */
struct report_skip {
	const char *name;
	char why[256];
};

/*
 * Draw the figures @names (NULL-terminated) with plots/NAME.gp into @dir:
 * each is drawn into a temporary folder and renamed when complete.  Those
 * drawn go to @out, those a script skipped (no data for it) to @skipped
 * (both NULL-terminated).  Figures that cannot be drawn (no gnuplot, no
 * scripts, a folder name gnuplot cannot take): -1 with the reason and the
 * fix (--no-plots).  A gnuplot failure: -1, with a message and
 * DIR/gnuplot.log kept.  Messages
 * name @shown for @dir (the results folder a run writes in a temporary
 * sibling, see outdir.h).
 */
int report_draw(const char *dir, const char *shown, const char *const *names, const char **out,
		struct report_skip *skipped, int maxskip);

/*
 * report.md in @dir; @figures lists the figure names that exist, @skipped
 * those not drawn and why (both NULL-terminated; @skipped may be NULL).
 */
int report_markdown(const char *dir, const struct run_results *res, const struct results_meta *m,
		    const char *const *figures, const struct report_skip *skipped,
		    void (*extra)(FILE *f, void *arg), void *arg);

/* What a results folder holds: what report_folder() writes. */
struct report_folder {
	const char *dir;   /* where the files go (the temporary sibling, outdir.h) */
	const char *shown; /* the folder's name in messages */
	const struct run_results *res;
	const struct results_meta *meta;
	const struct sweep *sw; /* a sweep's verdict, or NULL */
	enum prefer prefer;
	uint64_t max_ns_p99;
	bool no_plots;
};

/*
 * Every file of a results folder into @f->dir: the results files, a
 * sweep's sweep.csv, the figures (unless no_plots) and report.md.  0, 1 if
 * a figure failed (the rest is written), -1 with a message.
 */
int report_folder(const struct report_folder *f);
/* @f's results metadata with what the folder adds (a sweep's verdict), for stdout too. */
void report_folder_meta(const struct report_folder *f, struct results_meta *m);

#endif /* ZPB_REPORT_H */
