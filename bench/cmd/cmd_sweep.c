// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_sweep.c - `zpoolbench sweep`: a grid of allocator settings (brace
 * lists and ranges), fill + load on each, the Pareto set, each setting
 * against a baseline, and a recommendation for the stated goal.  Exit
 * status 1 when a constraint (--max-ns-p99) leaves no setting to
 * recommend for some corpus and codec: the results are written all the
 * same.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "output/report.h"
#include "output/results.h"
#include "driver/run.h"
#include "cmd/runcli.h"
#include "output/sweep.h"
#include "util.h"

/* Check --baseline against the settings and settle the default: 0 or 2. */
static int baseline(struct runcli *c)
{
	bool found = false;

	if (!c->baseline[0]) {
		snprintf(c->baseline, sizeof(c->baseline), "%s", sweep_default_baseline(&c->o));
		return 0;
	}
	for (int i = 0; i < c->o.nallocs; i++)
		found |= !strcmp(c->o.allocs[i], c->baseline) && strcmp(c->baseline, "ideal");
	if (!found) {
		opt_err("sweep", "--baseline", "%s is not one of the swept settings", c->baseline);
		return 2;
	}
	return 0;
}

/* Each corpus and codec without a setting within the bound: one line each. */
static bool unsatisfied(const struct runcli *c, const struct sweep *sw)
{
	for (int gi = 0; gi < sw->ng; gi++)
		if (sw->g[gi].best < 0)
			zpb_err("sweep: %s, %s: no setting has store and load p99 within "
				"--max-ns-p99 %" PRIu64 " ns",
				sw->g[gi].corpus, sw->g[gi].codec, c->max_ns_p99);
	return sweep_unsatisfied(sw);
}

static int sweep_main(void *opts, int argc, char **argv)
{
	static struct runcli c;
	struct run_results res;
	struct provenance prov;
	struct results_meta meta = { .prov = &prov };
	struct sweep sw;
	char err[1024];
	int ret;

	ret = runcli_parse(&c, opts, true);
	if (ret)
		return ret;
	if (c.o.workloads & (1u << WL_REPLAY)) {
		zpb_err("sweep: the replay workload is not swept (use fill, load, churn)");
		return 2;
	}
	c.o.workloads |= (1u << WL_FILL) | (1u << WL_LOAD);
	ret = baseline(&c);
	if (ret)
		return ret;
	ret = runcli_setup(&c, argc, argv, &prov);
	if (ret)
		return ret;

	if (run_execute(&c.o, &res, err, sizeof(err))) {
		zpb_err("sweep failed, no results written: %s", err);
		run_results_free(&res);
		runcli_abort(&c);
		return 1;
	}
	provenance_finish(&prov);
	results_tradeoff(&res);
	if (sweep_evaluate(&res, c.baseline, c.prefer, c.max_ns_p99, &sw)) {
		zpb_err("out of memory");
		run_results_free(&res);
		runcli_abort(&c);
		return 1;
	}
	ret = runcli_write(&c, &res, &meta, &sw);
	if (ret < 0) {
		ret = 1;
		goto out;
	}
	if (c.format == FMT_CSV) {
		results_csv(stdout, &res, &meta);
	} else if (c.format == FMT_JSON) {
		struct report_folder rf = { .res = &res,
					    .meta = &meta,
					    .sw = &sw,
					    .prefer = c.prefer,
					    .max_ns_p99 = c.max_ns_p99 };
		struct results_meta with_sweep;

		report_folder_meta(&rf, &with_sweep);
		results_json(stdout, &res, &with_sweep);
	} else if (!c.quiet) {
		report_table(stdout, &res, false);
		sweep_print(stdout, &sw, c.prefer, c.max_ns_p99, false);
		printf("results: %s (%.1f s)\n", c.out, res.wall_ns / 1e9);
	}
	if (unsatisfied(&c, &sw))
		ret = 1;
	ret = ret ? 1 : 0;
out:
	sweep_free(&sw);
	run_results_free(&res);
	return ret;
}

static const struct zpb_cmd sweep_cmd = {
	.name = "sweep",
	.summary = "sweep a grid of allocator settings: Pareto set and a recommendation",
	.about = "Expands a grid of allocator settings (brace lists {a,b} and ranges {1..6}),\n"
		 "runs fill + load + churn on each, marks the Pareto set of density vs throughput\n"
		 "and recommends a setting for the stated goal.  Exit status 1 when --max-ns-p99\n"
		 "leaves no setting for some corpus and codec (the results are still written).\n",
	.opts = runcli_sweep_opts,
	.operand = &runcli_operand,
	.help_extra = runcli_help_extra,
	.size = sizeof(struct runcli_args),
	.run = sweep_main,
	.order = 11,
};

ZPB_COMMAND(sweep_cmd)
