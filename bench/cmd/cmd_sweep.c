// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_sweep.c - `zpoolbench sweep`: a grid of allocator settings (brace
 * lists and ranges), fill + load on each, the Pareto set, each setting
 * against a baseline, and a recommendation for the stated goal.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "output/report.h"
#include "output/results.h"
#include "driver/run.h"
#include "cmd/runcli.h"
#include "output/sweep.h"
#include "util.h"

struct sweep_md {
	const struct sweep *sw;
	const struct runcli *c;
};

static void sweep_section(FILE *f, void *arg)
{
	const struct sweep_md *m = arg;

	fprintf(f, "\n## Sweep\n\nGoal %s.\n", sweep_goal_text(m->c->prefer));
	sweep_print(f, m->sw, m->c->prefer, m->c->max_ns_p99, true);
}

static int write_sweep_csv(const char *dir, const struct sweep *sw)
{
	char path[4200];
	struct afile af;

	snprintf(path, sizeof(path), "%s/sweep.csv", dir);
	if (afile_open(&af, path))
		return -1;
	sweep_csv(af.f, sw);
	return afile_commit(&af);
}

/* Every file into the temporary folder, then in place: 0, 1 a plot failure, -1. */
static int write_folder(struct runcli *c, const struct run_results *res,
			const struct results_meta *meta, const struct sweep *sw,
			struct sweep_md *md)
{
	static const char *const names[] = { "sweep", "tradeoff", NULL };
	const char *dir = runcli_dir(c), *figs[4] = { NULL };
	struct report_skip skipped[4] = { { NULL, "" } };
	int plot_failed = 0;

	if (results_write(dir, res, meta) || write_sweep_csv(dir, sw))
		return -1;
	if (!c->no_plots)
		plot_failed = report_draw(dir, c->out, names, figs, skipped, 4);
	if (report_markdown(dir, res, meta, figs, skipped, sweep_section, md) ||
	    runcli_commit(c))
		return -1;
	return plot_failed ? 1 : 0;
}

static int sweep_main(void *opts, int argc, char **argv)
{
	static struct runcli c;
	struct run_results res;
	struct provenance prov;
	struct results_meta meta = { &prov, &c.o };
	struct sweep sw;
	struct sweep_md md = { &sw, &c };
	const char *baseline;
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
	baseline = c.baseline[0] ? c.baseline : sweep_default_baseline(&c.o);
	if (c.baseline[0]) {
		bool found = false;

		for (int i = 0; i < c.o.nallocs; i++)
			found |= !strcmp(c.o.allocs[i], c.baseline) && strcmp(c.baseline, "ideal");
		if (!found) {
			opt_err("sweep", "--baseline", "%s is not one of the swept settings",
				c.baseline);
			return 2;
		}
	}
	ret = runcli_setup(&c, argc, argv, &prov);
	if (ret)
		return ret;

	if (run_execute(&c.o, &res, err, sizeof(err))) {
		zpb_err("sweep failed, no results written: %s", err);
		run_results_free(&res);
		runcli_abort(&c);
		return 1;
	}
	results_tradeoff(&res);
	if (sweep_evaluate(&res, baseline, c.prefer, c.max_ns_p99, &sw)) {
		zpb_err("out of memory");
		run_results_free(&res);
		runcli_abort(&c);
		return 1;
	}
	ret = 0;
	if (c.out) {
		ret = write_folder(&c, &res, &meta, &sw, &md);
		if (ret < 0) {
			runcli_abort(&c);
			ret = 1;
			goto out;
		}
	} else {
		fprintf(stderr, "zpoolbench: sweep: no --out: the results are on stdout only; no "
				"folder, no plots, no report\n");
	}
	if (c.format == FMT_CSV) {
		results_csv(stdout, &res, &meta);
	} else if (c.format == FMT_JSON) {
		results_json(stdout, &res, &meta);
	} else if (!c.quiet) {
		report_table(stdout, &res, false);
		sweep_print(stdout, &sw, c.prefer, c.max_ns_p99, false);
		printf("results: %s (%.1f s)\n", c.out, res.wall_ns / 1e9);
	}
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
		 "and recommends a setting for the stated goal.\n",
	.opts = runcli_sweep_opts,
	.operand = &runcli_operand,
	.help_extra = runcli_help_extra,
	.size = sizeof(struct runcli_args),
	.run = sweep_main,
	.order = 11,
};

ZPB_COMMAND(sweep_cmd)
