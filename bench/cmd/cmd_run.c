// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_run.c - `zpoolbench run`: corpora x codecs x allocators x workloads
 * through a front end; results, figures and report into one folder (written
 * whole or not at all), or the results document on stdout.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd/runcli.h"
#include "driver/run.h"
#include "output/pagesizes.h"
#include "output/report.h"
#include "output/results.h"
#include "util.h"

/* The figures that have data, into @names (NULL-terminated). */
static void figure_names(const struct run_results *res, const char **names)
{
	bool pool_rows = false;
	int n = 0;

	for (int i = 0; i < res->nrows; i++)
		pool_rows |= res->rows[i].wl != WL_REPLAY;
	if (pool_rows)
		names[n++] = "tradeoff";
	if (res->nsizes)
		names[n++] = "sizes";
	if (res->ncurves)
		names[n++] = "churn";
	if (pool_rows)
		names[n++] = "latency";
	names[n] = NULL;
}

/* Results, figures and report into the temporary folder, then in place: 0, 1 plot failure, -1. */
static int write_folder(struct runcli *c, const struct run_results *res,
			const struct results_meta *meta)
{
	const char *dir = runcli_dir(c), *figs[8] = { NULL }, *names[5];
	struct report_skip skipped[8] = { { NULL, "" } };
	int plot_failed = 0;

	if (results_write(dir, res, meta))
		return -1;
	if (!c->no_plots) {
		figure_names(res, names);
		plot_failed = report_draw(dir, c->out, names, figs, skipped, 8);
	}
	if (report_markdown(dir, res, meta, figs, skipped, NULL, NULL) || runcli_commit(c))
		return -1;
	return plot_failed ? 1 : 0;
}

static void print_stdout(const struct runcli *c, const struct run_results *res,
			 const struct results_meta *meta)
{
	if (c->format == FMT_CSV) {
		results_csv(stdout, res, meta);
	} else if (c->format == FMT_JSON) {
		results_json(stdout, res, meta);
	} else if (!c->quiet) {
		report_table(stdout, res, false);
		report_winners(stdout, res, false);
		report_pagesizes(stdout, res, false);
		printf("results: %s (%.1f s)\n", c->out, res->wall_ns / 1e9);
	}
}

static int run_main(void *opts, int argc, char **argv)
{
	static struct runcli c;
	struct run_results res;
	struct provenance prov;
	struct results_meta meta = { &prov, &c.o };
	char err[1024];
	int ret;

	ret = runcli_parse(&c, opts, false);
	if (ret)
		return ret;
	ret = runcli_setup(&c, argc, argv, &prov);
	if (ret)
		return ret;
	if (run_execute(&c.o, &res, err, sizeof(err))) {
		zpb_err("run failed, no results written: %s", err);
		run_results_free(&res);
		runcli_abort(&c);
		return 1;
	}
	results_tradeoff(&res);
	ret = 0;
	if (c.out) {
		ret = write_folder(&c, &res, &meta);
		if (ret < 0) {
			runcli_abort(&c);
			run_results_free(&res);
			return 1;
		}
	} else {
		fprintf(stderr, "zpoolbench: run: no --out: the results are on stdout only; no "
				"folder, no plots, no report\n");
	}
	print_stdout(&c, &res, &meta);
	run_results_free(&res);
	return ret ? 1 : 0;
}

static const struct zpb_cmd run_cmd = {
	.name = "run",
	.summary = "benchmark allocators on page corpora through a front end (results + report)",
	.about = "Compresses every page of the corpora once per codec, stores the compressed\n"
		 "pages through a kernel front end into each allocator, and measures space\n"
		 "and time.  Every load is checked against the original page.\n",
	.opts = runcli_run_opts,
	.operand = &runcli_operand,
	.help_extra = runcli_help_extra,
	.size = sizeof(struct runcli_args),
	.run = run_main,
	.order = 10,
};

ZPB_COMMAND(run_cmd)
