/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * runcli.h - the command line shared by `zpoolbench run` and `zpoolbench
 * sweep` (and the allocator list `scale` shares): their option tables,
 * checking every option before any work starts, and the results folder,
 * which a run writes in a temporary sibling and puts in place whole when
 * complete (output/outdir.h).
 */
#ifndef ZPB_RUNCLI_H
#define ZPB_RUNCLI_H

#include <stdbool.h>
#include <stdio.h>

#include "driver/run.h"
#include "opt.h"
#include "output/outdir.h"
#include "output/sweep.h"

enum runcli_format { FMT_TABLE, FMT_CSV, FMT_JSON };

/* What the option parser fills in (the tables below). */
struct runcli_args {
	struct opt_strv corpus, alloc;
	const char *codec, *workload, *trace, *frontend, *out, *ccache, *baseline, *page, *shard,
		*unit;
	struct opt_intv threads;
	uint64_t repeat, objects, seed, churn_rounds, churn_percent, compact_every, max_ns_p99;
	int force, no_plots, quiet, no_warmup, prefer, format, progress;
};

extern const struct zpb_opt runcli_run_opts[], runcli_sweep_opts[];
extern const struct zpb_operand runcli_operand;
/* The codecs and front ends there are, after the options in --help. */
void runcli_help_extra(FILE *f);

struct runcli {
	struct run_opts o;
	const char *cmd;
	const char *out; /* NULL: the results go to stdout only (--format csv|json) */
	bool force, no_plots, quiet;
	enum runcli_format format;
	struct outdir dir; /* with out: dir.tmp is where this run writes */
	/* sweep */
	bool sweep;
	enum prefer prefer;
	uint64_t max_ns_p99; /* 0 = no constraint */
	char baseline[ZPOOL_SPEC_MAX];
};

/*
 * Turn the parsed options into run options (grids expanded, codecs, front
 * end, workloads).  0, or 2 after one line on stderr.
 */
int runcli_parse(struct runcli *c, const struct runcli_args *a, bool sweep);

struct provenance;
/*
 * What run and sweep do between parsing and work: check every spec and the
 * corpus names (exit 2), open the corpora and begin the results folder
 * (exit 1), check that every corpus can be read at the run's page sizes and
 * that no spec asks for pages of another size (exit 2), and collect the
 * provenance.  0, or the exit status with the
 * message printed.
 */
int runcli_setup(struct runcli *c, int argc, char **argv, struct provenance *prov);

/* "I/N" into the shard and their number: 0, or -1 with the reason (an option check). */
int runcli_parse_shard(const char *val, int *shard, int *nshards, char *why, size_t len);

struct run_results;
struct results_meta;
/*
 * Write the results folder (with --out; the sweep's verdict with @sw) and
 * put it in place, or say on stderr that there is none: 0, 1 when a figure
 * failed (the folder is complete), -1 after a message (nothing is left).
 */
int runcli_write(struct runcli *c, const struct run_results *res, const struct results_meta *meta,
		 const struct sweep *sw);

/* Where the results files go while the run writes them (NULL without --out). */
const char *runcli_dir(const struct runcli *c);
/* Put the complete results folder in place: 0, or 1 after one line. */
int runcli_commit(struct runcli *c);
/* After a failure: nothing of this run is left. */
void runcli_abort(struct runcli *c);

/*
 * Add a --alloc argument (a list of specs, brace grids expanded) to
 * @allocs, each normalised setting once.  0, or 2 after one line naming
 * @cmd.
 */
int alloc_list_add(const char *cmd, char (*allocs)[ZPOOL_SPEC_MAX], int *n, int max,
		   const char *arg);

#endif /* ZPB_RUNCLI_H */
