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
	struct results_meta meta = { .prov = &prov };
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
	provenance_finish(&prov);
	results_tradeoff(&res);
	ret = runcli_write(&c, &res, &meta, NULL);
	if (ret < 0) {
		run_results_free(&res);
		return 1;
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
