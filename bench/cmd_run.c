// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_run.c - `zpoolbench run`: corpora x codecs x allocators x workloads
 * through a front end; results, figures and report into one folder.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "report.h"
#include "results.h"
#include "run.h"
#include "runcli.h"
#include "util.h"

static int run_main(int argc, char **argv)
{
	static struct runcli c;
	struct run_results res;
	struct provenance prov;
	struct results_meta meta = { &prov, &c.o };
	const char *figs[8] = { NULL };
	char err[1024];
	char *pargv[256];
	int ret, pargc = 0;

	ret = runcli_parse(&c, argc, argv, false);
	if (ret)
		return ret == 1 ? 0 : ret;
	if (runcli_check_corpora(&c) || runcli_prepare_out(&c))
		return 1;
	pargv[pargc++] = "zpoolbench";
	for (int i = 0; i < argc && pargc < 255; i++)
		pargv[pargc++] = argv[i];
	provenance_collect(&prov, pargc, pargv);

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

		names[n++] = "tradeoff";
		if (res.nsizes)
			names[n++] = "sizes";
		if (res.ncurves)
			names[n++] = "churn";
		names[n++] = "latency";
		names[n] = NULL;
		report_draw(c.out, names, figs);
	}
	if (report_markdown(c.out, &res, &meta, figs, NULL, NULL)) {
		run_results_free(&res);
		return 1;
	}
	if (!c.quiet) {
		report_table(stdout, &res, false);
		report_winners(stdout, &res, false);
		printf("results: %s (%.1f s)\n", c.out, res.wall_ns / 1e9);
	}
	run_results_free(&res);
	return 0;
}

static const struct zpb_cmd run_cmd = {
	.name = "run",
	.usage = "--corpus FILE... --alloc SPEC,... [--codec ...] [--workload ...] --out DIR",
	.summary = "benchmark allocators on page corpora through a front end (results + report)",
	.run = run_main,
	.order = 10,
};

ZPB_COMMAND(run_cmd)
