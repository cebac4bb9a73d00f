// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_run.c - `zpoolbench run`: corpora x codecs x allocators x workloads
 * through a front end; results, figures and report into one folder.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "output/report.h"
#include "output/results.h"
#include "driver/run.h"
#include "cmd/runcli.h"
#include "util.h"

static int run_main(int argc, char **argv)
{
	static struct runcli c;
	struct run_results res;
	struct provenance prov;
	struct results_meta meta = { &prov, &c.o };
	const char *figs[8] = { NULL };
	struct report_skip skipped[8] = { { NULL, "" } };
	bool pool_rows = false;
	int plot_failed = 0;
	char err[1024];
	int ret;

	ret = runcli_parse(&c, argc, argv, false);
	if (ret)
		return ret == 1 ? 0 : ret;
	ret = runcli_setup(&c, argc, argv, &prov);
	if (ret)
		return ret;

	if (run_execute(&c.o, &res, err, sizeof(err))) {
		zpb_err("run failed, no results written: %s", err);
		run_results_free(&res);
		runcli_drop_out(&c);
		return 1;
	}
	results_tradeoff(&res);
	if (results_write(c.out, &res, &meta)) {
		run_results_free(&res);
		return 1;
	}
	if (!c.no_plots) {
		const char *names[5];
		int n = 0;

		for (int i = 0; i < res.nrows; i++)
			pool_rows |= res.rows[i].wl != WL_REPLAY;
		if (pool_rows)
			names[n++] = "tradeoff";
		if (res.nsizes)
			names[n++] = "sizes";
		if (res.ncurves)
			names[n++] = "churn";
		if (pool_rows)
			names[n++] = "latency";
		names[n] = NULL;
		plot_failed = report_draw(c.out, names, figs, skipped, 8);
	}
	if (report_markdown(c.out, &res, &meta, figs, skipped, NULL, NULL)) {
		run_results_free(&res);
		return 1;
	}
	if (!c.quiet) {
		report_table(stdout, &res, false);
		report_winners(stdout, &res, false);
		printf("results: %s (%.1f s)\n", c.out, res.wall_ns / 1e9);
	}
	run_results_free(&res);
	return plot_failed ? 1 : 0;
}

static const struct zpb_cmd run_cmd = {
	.name = "run",
	.usage = "--corpus FILE... --alloc SPEC,... [--codec ...] [--workload ...] --out DIR",
	.summary = "benchmark allocators on page corpora through a front end (results + report)",
	.run = run_main,
	.order = 10,
};

ZPB_COMMAND(run_cmd)
