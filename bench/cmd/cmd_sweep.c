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

static int sweep_main(int argc, char **argv)
{
	static struct runcli c;
	struct run_results res;
	struct provenance prov;
	struct results_meta meta = { &prov, &c.o };
	struct sweep sw;
	struct sweep_md md = { &sw, &c };
	const char *figs[4] = { NULL };
	struct report_skip skipped[4] = { { NULL, "" } };
	int plot_failed = 0;
	const char *baseline;
	char err[1024];
	int ret;

	ret = runcli_parse(&c, argc, argv, true);
	if (ret)
		return ret == 1 ? 0 : ret;
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
			zpb_err("--baseline %s is not one of the swept settings", c.baseline);
			return 2;
		}
	}
	ret = runcli_setup(&c, argc, argv, &prov);
	if (ret)
		return ret;

	if (run_execute(&c.o, &res, err, sizeof(err))) {
		zpb_err("sweep failed, no results written: %s", err);
		run_results_free(&res);
		runcli_drop_out(&c);
		return 1;
	}
	results_tradeoff(&res);
	if (sweep_evaluate(&res, baseline, c.prefer, c.max_ns_p99, &sw)) {
		zpb_err("out of memory");
		run_results_free(&res);
		return 1;
	}
	ret = 1;
	if (results_write(c.out, &res, &meta) || write_sweep_csv(c.out, &sw))
		goto out;
	if (!c.no_plots) {
		static const char *const names[] = { "sweep", "tradeoff", NULL };

		plot_failed = report_draw(c.out, names, figs, skipped, 4);
	}
	if (report_markdown(c.out, &res, &meta, figs, skipped, sweep_section, &md))
		goto out;
	if (!c.quiet) {
		report_table(stdout, &res, false);
		sweep_print(stdout, &sw, c.prefer, c.max_ns_p99, false);
		printf("results: %s (%.1f s)\n", c.out, res.wall_ns / 1e9);
	}
	ret = plot_failed ? 1 : 0;
out:
	sweep_free(&sw);
	run_results_free(&res);
	return ret;
}

static const struct zpb_cmd sweep_cmd = {
	.name = "sweep",
	.usage = "--corpus FILE... --alloc 'SPEC{a,b},key={1..6}' [--prefer ...] [--max-ns-p99 N] "
		 "--out DIR",
	.summary = "sweep a grid of allocator settings: Pareto set and a recommendation",
	.run = sweep_main,
	.order = 11,
};

ZPB_COMMAND(sweep_cmd)
