// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_compare.c - `zpoolbench compare BASE NEW`: two results folders (or
 * their results.json / results.csv) row by row, with a test over the
 * repeats for time figures, and a regression gate (output/compare.h).
 *
 * Exit status: 0, or 1 when a gate (--max-density-drop, --max-tput-drop)
 * fails or an output cannot be written, 2 on a usage error or an input
 * that is not a results folder.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "output/compare.h"
#include "output/outdir.h"
#include "output/report.h"
#include "output/results.h"
#include "util.h"
#include "zpool.h"

enum { FMT_TABLE, FMT_CSV, FMT_JSON };

struct compare_args {
	struct opt_strv docs;
	double alpha, min_effect, max_density_drop, max_tput_drop;
	const char *out, *base_alloc, *new_alloc;
	int format, force, no_plots;
};

#define O(f) offsetof(struct compare_args, f)

/* clang-format off */
static const struct zpb_opt compare_opts[] = {
	{ .name = "max-density-drop", .type = OPT_REAL, .arg = "PCT", .rmin = 0, .rmax = 100,
	  .off = O(max_density_drop),
	  .help = "fail (exit status 1) if a matched row's density falls by more than PCT percent "
		  "(densities are exact: no test)" },
	{ .name = "max-tput-drop", .type = OPT_REAL, .arg = "PCT", .rmin = 0, .rmax = 100,
	  .off = O(max_tput_drop),
	  .help = "fail (exit status 1) if a matched row's throughput falls by more than PCT "
		  "percent significantly (q, its p adjusted over the comparison, < --alpha)" },
	{ .name = "alpha", .type = OPT_REAL, .rmin = 0.0001, .rmax = 0.5, .def = "0.05",
	  .off = O(alpha),
	  .help = "significance level of the Mann-Whitney U test, its p-values adjusted over "
		  "every tested figure of the comparison (Benjamini-Hochberg)" },
	{ .name = "min-effect", .type = OPT_REAL, .arg = "PCT", .rmin = 0, .rmax = 1000,
	  .def = "5", .off = O(min_effect),
	  .help = "a time figure that changes by less than PCT percent is 'same', whatever p" },
	{ .name = "base-alloc", .type = OPT_STRING, .arg = "SPEC", .off = O(base_alloc),
	  .help = "with --new-alloc: compare setting SPEC of BASE with setting --new-alloc of NEW "
		  "(BASE and NEW may be one folder), and no other rows" },
	{ .name = "new-alloc", .type = OPT_STRING, .arg = "SPEC", .off = O(new_alloc),
	  .help = "the setting of NEW compared with --base-alloc" },
	{ .name = "format", .type = OPT_ENUM, .values = "table|csv|json", .def = "table",
	  .off = O(format), .help = "stdout: the table, or every line as CSV or JSON" },
	{ .name = "out", .type = OPT_STRING, .arg = "DIR", .off = O(out), .flags = OPT_OUTDIR,
	  .help = "also write compare.csv, compare.json, compare_settings.csv and the "
		  "before/after figure (compare.png, compare.svg) into DIR, written whole or not "
		  "at all" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force),
	  .help = "replace an existing --out folder (one that holds nothing but results files)" },
	{ .name = "no-plots", .type = OPT_FLAG, .off = O(no_plots), .help = "skip gnuplot" },
	{ .name = NULL },
};
/* clang-format on */

static const struct zpb_operand compare_operand = {
	.arg = "BASE NEW",
	.min = 2,
	.max = 2,
	.off = O(docs),
	.help = "two results folders (or their results.json, or results.csv: medians only)",
};

static int write_file(const char *dir, const char *name, const struct comparison *c,
		      const char *base, const char *new_)
{
	char path[4200];
	struct afile af;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (afile_open(&af, path))
		return -1;
	if (!strcmp(name, "compare.csv"))
		compare_csv(af.f, c);
	else if (!strcmp(name, "compare.json"))
		compare_json(af.f, c, base, new_);
	else
		compare_settings_csv(af.f, c);
	return afile_commit(&af);
}

/* --out (begun before any work): the files and the figure, in place whole.  0, 1, -1. */
static int write_folder(const struct compare_args *a, struct outdir *d, const struct comparison *c)
{
	static const char *const names[] = { "compare", NULL };
	const char *figs[2] = { NULL };
	struct report_skip skipped[2] = { { NULL, "" } };
	const char *base = a->docs.v[0], *new_ = a->docs.v[1];
	int plot_failed = 0;

	if (write_file(d->tmp, "compare.csv", c, base, new_) ||
	    write_file(d->tmp, "compare.json", c, base, new_) ||
	    write_file(d->tmp, "compare_settings.csv", c, base, new_))
		goto fail;
	if (!a->no_plots) {
		plot_failed = report_draw(d->tmp, a->out, names, figs, skipped, 2);
		if (skipped[0].name)
			fprintf(stderr, "zpoolbench: compare: figure not drawn: %s\n",
				skipped[0].why);
	}
	if (outdir_commit(d))
		return -1;
	return plot_failed ? 1 : 0;
fail:
	outdir_abort(d);
	return -1;
}

static int compare_main(void *opts, int argc, char **argv)
{
	const struct compare_args *a = opts;
	struct results_doc base, new_;
	struct cmp_opts co = {
		.alpha = a->alpha,
		.min_effect = a->min_effect,
		.max_density_drop = opt_given(compare_opts, "max-density-drop") ? a->max_density_drop
										: -1,
		.max_tput_drop = opt_given(compare_opts, "max-tput-drop") ? a->max_tput_drop : -1,
	};
	struct comparison c;
	struct zpool_config ca, cb;
	struct outdir d;
	char err[1024];
	int ret = 0;

	(void)argc;
	(void)argv;
	if (!a->base_alloc != !a->new_alloc) {
		zpb_err("compare: --base-alloc and --new-alloc go together; see 'zpoolbench compare "
			"--help'");
		return 2;
	}
	if (a->base_alloc) {
		if (zpool_parse_spec(a->base_alloc, &ca, err, sizeof(err))) {
			opt_err("compare", "--base-alloc", "%s", err);
			return 2;
		}
		if (zpool_parse_spec(a->new_alloc, &cb, err, sizeof(err))) {
			opt_err("compare", "--new-alloc", "%s", err);
			return 2;
		}
		co.alloc_base = ca.spec;
		co.alloc_new = cb.spec;
	}
	if (a->out && (outdir_not_input("compare: --out", a->out, "BASE", a->docs.v[0]) ||
		       outdir_not_input("compare: --out", a->out, "NEW", a->docs.v[1])))
		return 1;
	if (a->out && outdir_begin(&d, "compare: --out", a->out, a->force))
		return 1;
	if (results_load(a->docs.v[0], &base, err, sizeof(err))) {
		zpb_err("compare: BASE: %s", err);
		goto usage;
	}
	if (results_load(a->docs.v[1], &new_, err, sizeof(err))) {
		zpb_err("compare: NEW: %s", err);
		results_doc_free(&base);
		goto usage;
	}
	if (compare_docs(&base, &new_, &co, &c)) {
		zpb_err("compare: out of memory");
		if (a->out)
			outdir_abort(&d);
		ret = 1;
		goto out;
	}
	if (a->format == FMT_CSV)
		compare_csv(stdout, &c);
	else if (a->format == FMT_JSON)
		compare_json(stdout, &c, a->docs.v[0], a->docs.v[1]);
	else
		compare_table(stdout, &c, a->docs.v[0], a->docs.v[1]);
	if (a->format != FMT_TABLE)
		for (int i = 0; i < c.nprov; i++)
			fprintf(stderr, "zpoolbench: compare: warning: provenance: %s\n", c.prov[i]);
	if (a->out && write_folder(a, &d, &c))
		ret = 1;
	for (int i = 0; i < c.n; i++) {
		const struct cmp_line *l = &c.l[i];

		if (!l->gate_failed)
			continue;
		zpb_err("compare: gate: %s %s %s%s%s %s: %s %s by %.2f%% (limit %.2f%%)%s",
			l->a->corpus, l->a->codec, l->a->alloc, co.alloc_base ? " -> " : "",
			co.alloc_base ? l->b->alloc : "", l->workload, l->figure,
			l->change < 0 ? "fell" : "rose", fabs(l->change),
			strcmp(l->figure, "density") ? co.max_tput_drop : co.max_density_drop,
			l->exact ? "" : ", significant");
		ret = 1;
	}
	compare_free(&c);
out:
	results_doc_free(&base);
	results_doc_free(&new_);
	return ret;
usage:
	if (a->out)
		outdir_abort(&d);
	return 2;
}

static const struct zpb_cmd compare_cmd = {
	.name = "compare",
	.summary = "compare two results folders row by row; a regression gate for CI",
	.about = "Matches the rows of BASE and NEW (corpus sha256, codec, allocator, workload,\n"
		 "front end, objects).  Density and pool pages are compared exactly; rates and\n"
		 "latencies over every repeat of both, with the Mann-Whitney U test and a\n"
		 "bootstrap interval of the change.  Verdicts: better, worse, same (a change\n"
		 "under --min-effect), noise (not significant).  Exit status 1 when a gate\n"
		 "fails, 2 on a usage error or an input that is not a results folder.\n",
	.opts = compare_opts,
	.operand = &compare_operand,
	.size = sizeof(struct compare_args),
	.run = compare_main,
	.order = 13,
};

ZPB_COMMAND(compare_cmd)
