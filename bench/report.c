// SPDX-License-Identifier: GPL-2.0-only
/*
 * report.c - see report.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"
#include "tradeoff.h"
#include "util.h"

extern char **environ;

/* The first row of each corpus x codec x allocator group (the fill row if any). */
static bool group_head(const struct run_results *res, int i)
{
	const struct run_row *r = &res->rows[i];

	for (int j = 0; j < i; j++) {
		const struct run_row *o = &res->rows[j];

		if (!strcmp(r->corpus, o->corpus) && !strcmp(r->codec, o->codec) &&
		    !strcmp(r->alloc, o->alloc))
			return false;
	}
	return true;
}

/* The first pool-workload row of each corpus x codec pair. */
static bool pair_head(const struct run_results *res, int i)
{
	const struct run_row *r = &res->rows[i];

	if (r->wl == WL_REPLAY)
		return false;
	for (int j = 0; j < i; j++) {
		const struct run_row *o = &res->rows[j];

		if (o->wl != WL_REPLAY && !strcmp(r->corpus, o->corpus) && !strcmp(r->codec, o->codec))
			return false;
	}
	return true;
}

static double get(const struct run_row *r, const char *col)
{
	return r ? results_get(r, col) : NAN;
}

/* A column of @r as a figure over repeats. */
static struct figure col_fig(const struct run_row *r, const char *name)
{
	struct figure f = { NAN, NAN, NAN, 0 };
	int c = results_col_find(name);

	if (!r || c < 0)
		return f;
	f.med = results_value(r, c, COL_MEDIAN);
	f.min = results_value(r, c, COL_MIN);
	f.max = results_value(r, c, COL_MAX);
	f.n = r->nrep;
	return f;
}

static void cell(FILE *f, bool md, int width, const char *fmt, double v)
{
	char buf[64];

	if (isnan(v))
		snprintf(buf, sizeof(buf), "-");
	else
		snprintf(buf, sizeof(buf), fmt, v);
	if (md)
		fprintf(f, " %s |", buf);
	else
		fprintf(f, " %*s", width, buf);
}

/* "12.34" or, over several repeats, "12.34 (11.90-12.80)" */
static void fig_str(char *buf, size_t len, const char *fmt, const struct figure *x)
{
	char a[32], b[32], c[32];

	if (isnan(x->med)) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(a, sizeof(a), fmt, x->med);
	if (x->n < 2) {
		snprintf(buf, len, "%s", a);
		return;
	}
	snprintf(b, sizeof(b), fmt, x->min);
	snprintf(c, sizeof(c), fmt, x->max);
	if (!strcmp(b, c))
		snprintf(buf, len, "%s", a); /* no spread at this precision */
	else
		snprintf(buf, len, "%s (%s-%s)", a, b, c);
}

static void cell_fig(FILE *f, bool md, int width, const char *fmt, const struct figure *x)
{
	char buf[128];

	fig_str(buf, sizeof(buf), fmt, x);
	if (md)
		fprintf(f, " %s |", buf);
	else
		fprintf(f, " %*s", width, buf);
}

/* The number of repeats of the run (every row has the same). */
static int run_repeats(const struct run_results *res)
{
	return res->nrows ? res->rows[0].nrep : 0;
}

/* (pool + metadata bytes) over the packing bound, in percent. */
static double vs_ideal(const struct run_row *r)
{
	double pool = get(r, "pool_pages") * METRICS_PAGE + get(r, "metadata_bytes");
	double ideal = get(r, "ideal_pages") * METRICS_PAGE;

	return ideal > 0 ? (pool - ideal) * 100 / ideal : NAN;
}

void report_table(FILE *f, const struct run_results *res, bool md)
{
	bool spread = run_repeats(res) > 1;
	int fw = spread ? 19 : 8; /* Mop/s cells */
	const struct {
		const char *title;
		int width;
	} head[] = {
		{ "stored", 7 },      { "pool pg", 8 },	       { "dens fill", 9 },
		{ "dens churn", 10 }, { "eff.ratio", 9 },      { "vs ideal", 8 },
		{ "st p50", 7 },      { "st p99", 7 },	       { "ld p50", 7 },
		{ "ld p99", 7 },      { "st Mop/s", fw },      { "ld Mop/s", fw },
		{ "tput", fw },	      { "churn pg", 8 },       { "cmp freed", 9 },
	};
	const int nh = sizeof(head) / sizeof(head[0]);
	int cw = 10, aw = 24;

	for (int i = 0; i < res->nrows; i++) {
		int lc = (int)strlen(res->rows[i].corpus), la = (int)strlen(res->rows[i].alloc);

		cw = lc > cw ? (lc < 32 ? lc : 32) : cw;
		aw = la > aw ? (la < 44 ? la : 44) : aw;
	}
	if (md) {
		fprintf(f, "| corpus | codec | allocator |");
		for (int h = 0; h < nh; h++)
			fprintf(f, " %s |", head[h].title);
		fprintf(f, " Pareto |\n|---|---|---|");
		for (int h = 0; h < nh; h++)
			fprintf(f, "---:|");
		fprintf(f, ":-:|\n");
	} else {
		fprintf(f, "%-*s %-8s %-*s", cw, "corpus", "codec", aw, "allocator");
		for (int h = 0; h < nh; h++)
			fprintf(f, " %*s", head[h].width, head[h].title);
		fprintf(f, " P\n");
	}
	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *g = &res->rows[i], *st;
		struct tradeoff_point tp;
		struct figure sm, lm;

		if (!group_head(res, i))
			continue;
		tradeoff_point_of(res, g, &tp);
		st = tp.fill ? tp.fill : tp.load ? tp.load : g; /* replay rows stand alone */
		if (md)
			fprintf(f, "| %s | %s | `%s` |", g->corpus, g->codec, g->alloc);
		else
			fprintf(f, "%-*.*s %-8.8s %-*.*s", cw, cw, g->corpus, g->codec, aw, aw, g->alloc);
		cell(f, md, 7, "%.0f", get(st, "stored"));
		cell(f, md, 8, "%.0f", get(st, "pool_pages"));
		cell(f, md, 9, "%.4f", tp.fill || tp.load ? tp.dens_fill.med : get(g, "density"));
		cell(f, md, 10, "%.4f", tp.dens_churn.med);
		cell(f, md, 9, "%.2f", get(st, "effective_ratio"));
		cell(f, md, 8, "%+.1f%%", vs_ideal(st));
		cell(f, md, 7, "%.0f", get(tp.fill, "store_ns_p50"));
		cell(f, md, 7, "%.0f", get(tp.fill, "store_ns_p99"));
		cell(f, md, 7, "%.0f", get(tp.load, "load_ns_p50"));
		cell(f, md, 7, "%.0f", get(tp.load, "load_ns_p99"));
		sm = col_fig(tp.fill, "store_mops");
		lm = col_fig(tp.load, "load_mops");
		cell_fig(f, md, fw, "%.2f", &sm);
		cell_fig(f, md, fw, "%.2f", &lm);
		if (g->wl == WL_REPLAY)
			tp.tput.med = NAN;
		cell_fig(f, md, fw, "%.2f", &tp.tput);
		cell(f, md, 8, "%.0f", get(tp.churn, "pool_pages"));
		cell(f, md, 9, "%.0f", get(tp.churn, "compact_pages_freed"));
		if (md)
			fprintf(f, " %s |\n", g->pareto ? "★" : "");
		else
			fprintf(f, " %s\n", g->pareto ? "*" : "");
	}
	if (!md)
		fprintf(f, "(latencies in ns, allocator path; Mop/s of allocator time%s; dens = "
			   "compressed bytes / (pool + metadata bytes) after fill and after churn; vs "
			   "ideal = pool + metadata bytes over ceil(compressed bytes/4096) pages; tput = "
			   "the trade-off throughput; churn pg = pool pages after churn and compaction; "
			   "P = Pareto set of dens churn (dens fill without churn) vs tput)\n",
			spread ? ", median (min-max) of the repeats" : "");
}

/* The settings of one corpus and codec, with their figures. */
struct pair_set {
	struct tradeoff_point *pt;
	int n;
};

static int pair_collect(const struct run_results *res, const struct run_row *head,
			struct pair_set *ps)
{
	ps->n = 0;
	ps->pt = calloc(res->nrows + 1, sizeof(*ps->pt));
	if (!ps->pt)
		return -1;
	for (int j = 0; j < res->nrows; j++) {
		const struct run_row *o = &res->rows[j];

		if (o->wl == WL_REPLAY || !group_head(res, j) || !strcmp(o->alloc, "ideal") ||
		    strcmp(o->corpus, head->corpus) || strcmp(o->codec, head->codec))
			continue;
		tradeoff_point_of(res, o, &ps->pt[ps->n++]);
	}
	return 0;
}

static const char *point_alloc(const struct tradeoff_point *p)
{
	return p->fill ? p->fill->alloc : p->load ? p->load->alloc : p->churn->alloc;
}

/*
 * One winner line: the best of @ps on the figure @which picks (larger is
 * better), ties named as such, and the runner-up with a verdict on the
 * difference.
 */
static void winner_line(FILE *f, bool md, const char *title, const struct pair_set *ps,
			const struct figure *(*which)(const struct tradeoff_point *),
			const char *fmt, const char *unit)
{
	const struct figure *best = NULL, *next = NULL;
	int bi = -1, ni = -1, ntie = 0;
	char a[128], b[128];

	for (int i = 0; i < ps->n; i++) {
		const struct figure *x = which(&ps->pt[i]);

		if (isnan(x->med))
			continue;
		if (!best || x->med > best->med) {
			best = x;
			bi = i;
		}
	}
	if (!best)
		return;
	for (int i = 0; i < ps->n; i++) {
		const struct figure *x = which(&ps->pt[i]);

		if (isnan(x->med))
			continue;
		if (figure_ties(x->med, best->med))
			ntie++;
		else if (!next || x->med > next->med) {
			next = x;
			ni = i;
		}
	}
	fprintf(f, "%s %-22s", md ? "-" : " ", title);
	fig_str(a, sizeof(a), fmt, best);
	if (ntie > 1) {
		fprintf(f, "tie: ");
		for (int i = 0, k = 0; i < ps->n; i++)
			if (!isnan(which(&ps->pt[i])->med) &&
			    figure_ties(which(&ps->pt[i])->med, best->med))
				fprintf(f, "%s%s", k++ ? ", " : "", point_alloc(&ps->pt[i]));
		fprintf(f, " (%s%s each)", a, unit);
	} else {
		fprintf(f, "%s (%s%s)", point_alloc(&ps->pt[bi]), a, unit);
	}
	if (next) {
		fig_str(b, sizeof(b), fmt, next);
		fprintf(f, "; next %s (%s%s, %+.1f%%)", point_alloc(&ps->pt[ni]), b, unit,
			(next->med - best->med) * 100 / best->med);
		if (best->n < 2 || next->n < 2)
			fprintf(f, ", significance unknown from 1 run");
		else if (!figure_differs(best, next))
			fprintf(f, ", not significant: within the run-to-run spread");
	}
	fputc('\n', f);
}

static const struct figure *pick_dens_fill(const struct tradeoff_point *p)
{
	return &p->dens_fill;
}

static const struct figure *pick_dens_churn(const struct tradeoff_point *p)
{
	return &p->dens_churn;
}

static const struct figure *pick_tput(const struct tradeoff_point *p)
{
	return &p->tput;
}

void report_winners(FILE *f, const struct run_results *res, bool md)
{
	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *r = &res->rows[i];
		struct pair_set ps;
		char nb[48], label[160];
		int k = 0;

		if (!pair_head(res, i))
			continue;
		if (pair_collect(res, r, &ps))
			return;
		if (!ps.n) {
			free(ps.pt);
			continue;
		}
		fprintf(f, "%s%s, %s%s (%s)\n", md ? "\n**" : "", r->corpus, r->codec, md ? "**" : "",
			figure_basis_n(r->nrep, nb, sizeof(nb)));
		if (md)
			fputc('\n', f);
		winner_line(f, md, "densest after fill:", &ps, pick_dens_fill, "%.4f", "");
		if (ps.pt[0].churn)
			winner_line(f, md, "densest after churn:", &ps, pick_dens_churn, "%.4f", "");
		tradeoff_tput_label(&ps.pt[0], label, sizeof(label));
		winner_line(f, md, "fastest:", &ps, pick_tput, "%.2f", " Mop/s");
		fprintf(f, "%s %-22s%s\n", md ? "-" : " ", "throughput:", label);
		fprintf(f, "%s %-22s", md ? "-" : " ", "Pareto set:");
		for (int j = 0; j < res->nrows; j++) {
			const struct run_row *o = &res->rows[j];

			if (o->pareto && group_head(res, j) && o->wl != WL_REPLAY &&
			    !strcmp(o->corpus, r->corpus) && !strcmp(o->codec, r->codec))
				fprintf(f, "%s%s", k++ ? ", " : "", o->alloc);
		}
		fprintf(f, " (density %s vs throughput)\n",
			ps.pt[0].churn ? "after churn" : "after fill");
		free(ps.pt);
	}
}

static bool has_script(const char *dir)
{
	char p[PATH_MAX + 32];

	snprintf(p, sizeof(p), "%s/tradeoff.gp", dir);
	return !access(p, R_OK);
}

int report_plots_dir(char *out, size_t len)
{
	const char *env = getenv("ZPB_PLOTS");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && has_script(env)) {
		snprintf(out, len, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(out, len, "%s/../plots", exe);
			if (has_script(out))
				return 0;
		}
	}
	snprintf(out, len, "plots");
	return has_script(out) ? 0 : -1;
}

int report_plot(const char *dir, const char *name)
{
	char plots[PATH_MAX], script[PATH_MAX + 64], def[PATH_MAX + 16], log[PATH_MAX + 32];
	char *argv[] = { "gnuplot", "-e", def, script, NULL };
	posix_spawn_file_actions_t fa;
	int status, ret;
	pid_t pid;

	if (strchr(dir, '\'')) {
		zpb_err("plots skipped: the folder name holds a quote");
		return -1;
	}
	if (report_plots_dir(plots, sizeof(plots))) {
		zpb_err("plots skipped: plots/*.gp not found (set ZPB_PLOTS)");
		return -1;
	}
	snprintf(script, sizeof(script), "%s/%s.gp", plots, name);
	snprintf(def, sizeof(def), "dir='%s'", dir);
	snprintf(log, sizeof(log), "%s/gnuplot.log", dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0666);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	ret = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret) {
		zpb_err("plots skipped: cannot run gnuplot (%s); install it with scripts/deps.sh plot",
			strerror(ret));
		unlink(log);
		return -1;
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		zpb_err("gnuplot failed on %s (see %s)", script, log);
		return -1;
	}
	return 0;
}

void report_draw(const char *dir, const char *const *names, const char **out)
{
	int n = 0;

	for (int i = 0; names[i]; i++) {
		if (report_plot(dir, names[i]))
			break;
		out[n++] = names[i];
	}
	out[n] = NULL;
	if (n) {
		char log[4200];

		snprintf(log, sizeof(log), "%s/gnuplot.log", dir);
		unlink(log);
	}
}

int report_markdown(const char *dir, const struct run_results *res, const struct results_meta *m,
		    const char *const *figures, void (*extra)(FILE *f, void *arg), void *arg)
{
	static const struct {
		const char *name, *caption;
	} fig_caption[] = {
		{ "tradeoff", "Density vs throughput, one point per allocator setting; the line is "
			      "the Pareto front (one panel per codec)." },
		{ "sizes", "Compressed page sizes of the corpus, with the allocators' class "
			   "boundaries, the largest object each takes and the zram huge threshold." },
		{ "churn", "Pool pages during churn (free a random fraction, store new pages), "
			   "ending with one compaction." },
		{ "latency", "Allocator-path latency percentiles per allocator (store and load)." },
		{ "sweep", "Space gained vs throughput lost relative to the baseline setting." },
	};
	const struct provenance *p = m->prov;
	char path[4096];
	struct afile af;
	FILE *f;

	snprintf(path, sizeof(path), "%s/report.md", dir);
	if (afile_open(&af, path))
		return -1;
	f = af.f;
	fprintf(f, "# zpoolbench report\n\n");
	fprintf(f, "`%s`\n\n", p->command);
	fprintf(f, "zpoolbench %s (git %s), %s; %s, %d cores; %s; %s; %s.\n\n", p->version, p->git,
		p->compiler, p->cpu, p->cores, p->kernel, p->codecs, p->date);
	if (m->opts)
		fprintf(f, "Front end `%s`, %d thread(s), %s, seed %" PRIu64
			   ", churn %u rounds of %u%%.\n\n",
			m->opts->fe.spec, m->opts->wl.threads,
			m->opts->repeat > 1 ? "figures are the median (min-max) of the repeats"
					    : "1 run per setting (no spread known)",
			m->opts->wl.seed, m->opts->wl.churn_rounds, m->opts->wl.churn_percent);
	for (int i = 0; i < res->ncorpora; i++)
		fprintf(f, "- corpus `%s`: %" PRIu64 " pages, sha256 `%s`\n", res->corpora[i].name,
			res->corpora[i].pages, res->corpora[i].sha256);
	fprintf(f, "\n## Results\n\n");
	report_table(f, res, true);
	fprintf(f, "\nLatencies are nanoseconds on the allocator path (store: malloc + map + copy + "
		   "unmap; load: map + unmap, the decompression is not included), Mop/s is "
		   "operations per second of allocator time. *dens fill* and *dens churn* are "
		   "compressed bytes / (pool + metadata bytes) after the fill and after churn and "
		   "compaction. *vs ideal* is pool + metadata bytes over the packing bound "
		   "ceil(compressed bytes / 4096) pages; the `ideal` row is that bound as an "
		   "allocator. *tput* and the Pareto column use the trade-off basis below. All "
		   "figures: `results.csv` / `results.json`.\n");
	fprintf(f, "\n## Winners\n\nOne basis for the Pareto column, the winners, the trade-off "
		   "figure and a sweep: %s; %s. ",
		tradeoff_density_basis, tradeoff_tput_basis);
	if (run_repeats(res) > 1)
		fprintf(f, "A difference is called *not significant* when the min-max ranges over "
			   "the repeats overlap.\n");
	else
		fprintf(f, "From a single run the run-to-run spread is unknown, so no difference in "
			   "throughput is called significant; use `--repeat 3` or more.\n");
	report_winners(f, res, true);
	if (extra)
		extra(f, arg);
	if (figures && figures[0]) {
		fprintf(f, "\n## Figures\n");
		for (int i = 0; figures[i]; i++) {
			const char *cap = "";

			for (size_t k = 0; k < sizeof(fig_caption) / sizeof(fig_caption[0]); k++)
				if (!strcmp(fig_caption[k].name, figures[i]))
					cap = fig_caption[k].caption;
			fprintf(f, "\n![%s](%s.png)\n\n%s ([SVG](%s.svg))\n", figures[i], figures[i],
				cap, figures[i]);
		}
	}
	return afile_commit(&af);
}
