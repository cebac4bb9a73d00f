// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_report.c - `zpoolbench report DIR... --out DIR`: merge results
 * folders (the shards of a split run, or runs from several hosts and
 * corpora) into one, and recompute what depends on all rows: the Pareto
 * sets, a sweep's baseline and recommendation, the figures and report.md
 * (output/merge.h).  One folder alone is regenerated from its
 * results.json.
 *
 * Exit status: 0; 1 when a figure failed, an output cannot be written or
 * a sweep's --max-ns-p99 leaves no setting; 2 on a usage error or a folder
 * that cannot be merged.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "output/merge.h"
#include "output/outdir.h"
#include "output/report.h"
#include "output/results.h"
#include "output/sweep.h"
#include "util.h"
#include "zpool.h"

#define MAX_DOCS OPT_MAXN

enum { FMT_TABLE, FMT_CSV, FMT_JSON };

struct report_args {
	struct opt_strv dirs;
	const char *out, *baseline;
	uint64_t max_ns_p99;
	int format, force, no_plots, quiet, prefer;
};

#define O(f) offsetof(struct report_args, f)

/* clang-format off */
static const struct zpb_opt report_opts[] = {
	{ .name = "out", .type = OPT_STRING, .arg = "DIR", .off = O(out),
	  .flags = OPT_USAGE | OPT_OUTDIR,
	  .help = "the merged results folder, written whole or not at all; needed with --format "
		  "table" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force),
	  .help = "replace an existing results folder (as a whole, once the new one is complete)" },
	{ .name = "format", .type = OPT_ENUM, .values = "table|csv|json", .def = "table",
	  .off = O(format),
	  .help = "stdout: the summary table, or the merged results.csv or results.json (then "
		  "--out is optional)" },
	{ .name = "no-plots", .type = OPT_FLAG, .off = O(no_plots), .help = "skip gnuplot" },
	{ .name = "quiet", .type = OPT_FLAG, .off = O(quiet), .help = "no summary table on stdout" },
	{ .name = "prefer", .type = OPT_ENUM, .arg = "GOAL", .values = "balanced|density|speed",
	  .off = O(prefer),
	  .help = "a sweep's goal (default: the sweep folders' own, when they agree)" },
	{ .name = "max-ns-p99", .type = OPT_INT, .min = 1, .max = UINT64_MAX, .off = O(max_ns_p99),
	  .help = "a sweep's latency bound (default: the sweep folders' own)" },
	{ .name = "baseline", .type = OPT_STRING, .arg = "SPEC", .off = O(baseline),
	  .help = "a sweep's reference setting (default: the sweep folders' own)" },
	{ .name = NULL },
};
/* clang-format on */

static const struct zpb_operand report_operand = {
	.arg = "DIR",
	.min = 1,
	.max = MAX_DOCS,
	.off = O(dirs),
	.help = "results folders (or their results.json) of run, sweep or report",
};

/* A sweep's goal, bound and baseline: the options, else the folders' own.  0 or 2. */
static int sweep_goal(const struct report_args *a, const struct merge *m, enum prefer *prefer,
		      uint64_t *bound, char *baseline, size_t len)
{
	char err[512];

	if (!m->sweep_agree &&
	    !(opt_given(report_opts, "prefer") && opt_given(report_opts, "baseline"))) {
		zpb_err("report: the sweep folders differ in goal, bound or baseline; give --prefer "
			"and --baseline (and --max-ns-p99 if one is wanted)");
		return 2;
	}
	*prefer = a->prefer == 1 ? PREFER_DENSITY : a->prefer == 2 ? PREFER_SPEED : PREFER_BALANCED;
	if (!opt_given(report_opts, "prefer") && sweep_prefer_of(m->prefer) >= 0)
		*prefer = (enum prefer)sweep_prefer_of(m->prefer);
	*bound = opt_given(report_opts, "max-ns-p99") ? a->max_ns_p99 : m->max_ns_p99;
	snprintf(baseline, len, "%s", m->baseline);
	if (a->baseline) {
		struct zpool_config cfg;

		if (zpool_parse_spec(a->baseline, &cfg, err, sizeof(err))) {
			opt_err("report", "--baseline", "%s", err);
			return 2;
		}
		snprintf(baseline, len, "%s", cfg.spec);
	}
	for (int i = 0; i < m->res.nrows; i++)
		if (!strcmp(m->res.rows[i].alloc, baseline))
			return 0;
	if (a->baseline) {
		opt_err("report", "--baseline", "%s is not one of the merged settings", baseline);
		return 2;
	}
	return 0; /* the baseline's shard is missing: the first setting stands in */
}

/* The merged folder, in the temporary sibling @d begun before any work.  0, 1, -1. */
static int write_out(struct outdir *d, const struct report_folder *tmpl)
{
	struct report_folder rf = *tmpl;
	int ret;

	rf.dir = d->tmp;
	ret = report_folder(&rf);
	if (ret < 0 || outdir_commit(d)) {
		outdir_abort(d);
		return -1;
	}
	return ret;
}

static int report_main(void *opts, int argc, char **argv)
{
	const struct report_args *a = opts;
	static struct results_doc docs[MAX_DOCS];
	struct provenance prov;
	struct merge m;
	struct sweep sw;
	struct report_folder rf = { .shown = a->out, .no_plots = a->no_plots };
	struct results_meta meta = { .prov = &prov };
	char err[2048], baseline[ZPOOL_SPEC_MAX], *pargv[256];
	int ndocs = 0, ret = 2, pargc = 0;
	struct outdir d;
	bool began = false;

	if (!a->out && a->format == FMT_TABLE) {
		zpb_err("report: --out DIR is required (or --format csv|json for the results on "
			"stdout); see 'zpoolbench report --help'");
		return 2;
	}
	for (int i = 0; a->out && i < a->dirs.n; i++)
		if (outdir_not_input("report: --out", a->out, "DIR", a->dirs.v[i]))
			return 1;
	if (a->out) {
		if (outdir_begin(&d, "report: --out", a->out, a->force))
			return 1;
		began = true;
	}
	for (int i = 0; i < a->dirs.n; i++, ndocs++) {
		if (results_load(a->dirs.v[i], &docs[i], err, sizeof(err))) {
			zpb_err("report: %s", err);
			goto out_docs;
		}
	}
	if (merge_docs(docs, ndocs, &m, err, sizeof(err))) {
		zpb_err("report: %s", err);
		goto out_docs;
	}
	pargv[pargc++] = "zpoolbench";
	for (int i = 0; i < argc && pargc < 255; i++)
		pargv[pargc++] = argv[i];
	provenance_collect(&prov, pargc, pargv);
	meta.sources = m.sources;
	meta.nsources = m.nsources;
	meta.notes = m.notes;
	meta.nnotes = m.nnotes;
	results_tradeoff(&m.res);
	rf.res = &m.res;
	rf.meta = &meta;
	memset(&sw, 0, sizeof(sw));
	if (m.sweep) {
		if ((ret = sweep_goal(a, &m, &rf.prefer, &rf.max_ns_p99, baseline, sizeof(baseline))))
			goto out_merge;
		if (sweep_evaluate(&m.res, baseline, rf.prefer, rf.max_ns_p99, &sw)) {
			zpb_err("report: out of memory");
			ret = 1;
			goto out_merge;
		}
		rf.sw = &sw;
	}
	for (int i = 0; i < m.nnotes; i++)
		fprintf(stderr, "zpoolbench: report: note: %s\n", m.notes[i]);
	ret = 0;
	if (a->out) {
		began = false; /* committed or aborted by write_out */
		ret = write_out(&d, &rf);
		if (ret < 0) {
			ret = 1;
			goto out_sweep;
		}
	}
	if (a->format == FMT_CSV) {
		results_csv(stdout, &m.res, &meta);
	} else if (a->format == FMT_JSON) {
		struct results_meta with_sweep;

		report_folder_meta(&rf, &with_sweep);
		results_json(stdout, &m.res, &with_sweep);
	} else if (!a->quiet) {
		report_table(stdout, &m.res, false);
		if (rf.sw)
			sweep_print(stdout, &sw, rf.prefer, rf.max_ns_p99, false);
		else
			report_winners(stdout, &m.res, false);
		printf("results: %s (%d folders merged)\n", a->out, m.nsources);
	}
	if (rf.sw && sweep_unsatisfied(&sw)) {
		for (int g = 0; g < sw.ng; g++)
			if (sw.g[g].best < 0)
				zpb_err("report: %s, %s: no setting has store and load p99 within "
					"--max-ns-p99 %" PRIu64 " ns",
					sw.g[g].corpus, sw.g[g].codec, rf.max_ns_p99);
		ret = 1;
	}
	ret = ret ? 1 : 0;
out_sweep:
	sweep_free(&sw);
out_merge:
	merge_free(&m);
out_docs:
	for (int i = 0; i < ndocs; i++)
		results_doc_free(&docs[i]);
	if (began)
		outdir_abort(&d);
	return ret;
}

static const struct zpb_cmd report_cmd = {
	.name = "report",
	.summary = "merge results folders (shards, hosts, corpora) into one; figures and report",
	.about = "Merges any number of results folders into one results folder: every repeat of\n"
		 "every row, one ideal row per corpus and codec, the shards of a split run back in\n"
		 "the run's order; the Pareto sets, a sweep's baseline and recommendation, the\n"
		 "figures and report.md are recomputed, and each folder's provenance is kept.\n",
	.opts = report_opts,
	.operand = &report_operand,
	.size = sizeof(struct report_args),
	.run = report_main,
	.order = 14,
};

ZPB_COMMAND(report_cmd)
