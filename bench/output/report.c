// SPDX-License-Identifier: GPL-2.0-only
/*
 * report.c - see report.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output/pagesizes.h"
#include "output/report.h"
#include "output/slack.h"
#include "output/tradeoff.h"
#include "util.h"

extern char **environ;

#define SMALL_POOL_PCT 5 /* partly filled units above this share of the pool: a caveat */

/* The first row of each corpus x codec x allocator group (the fill row if any). */
static bool group_head(const struct run_results *res, int i)
{
	for (int j = 0; j < i; j++)
		if (tradeoff_same_setting(&res->rows[i], &res->rows[j]))
			return false;
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

		if (o->wl != WL_REPLAY && tradeoff_same_pair(r, o))
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
	struct figure f = { NAN, NAN, NAN, NAN, 0 };
	int c = results_col_find(name);

	if (!r || c < 0)
		return f;
	f.med = results_value(r, c, COL_MEDIAN);
	f.min = results_value(r, c, COL_MIN);
	f.max = results_value(r, c, COL_MAX);
	f.n = r->nrep;
	return f;
}

void report_cell(FILE *f, bool md, int width, const char *fmt, double v)
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
	double page = r ? run_row_page(r) : METRICS_PAGE;
	double pool = get(r, "pool_pages") * page + get(r, "metadata_bytes");
	double ideal = get(r, "ideal_pages") * page;

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
		{ "stored", 7 },    { "pool pg", 8 },  { "dens fill", 9 }, { "dens churn", 10 },
		{ "eff.ratio", 9 }, { "vs ideal", 8 }, { "st p50", 7 },	   { "st p99", 7 },
		{ "ld p50", 7 },    { "ld p99", 7 },   { "st Mop/s", fw }, { "ld Mop/s", fw },
		{ "tput", fw },	    { "churn pg", 8 }, { "cmp freed", 9 },
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
			fprintf(f, "%-*.*s %-8.8s %-*.*s", cw, cw, g->corpus, g->codec, aw, aw,
				g->alloc);
		report_cell(f, md, 7, "%.0f", get(st, "stored"));
		report_cell(f, md, 8, "%.0f", get(st, "pool_pages"));
		report_cell(f, md, 9, "%.4f",
			    tp.fill || tp.load ? tp.dens_fill.med : get(g, "density"));
		report_cell(f, md, 10, "%.4f", tp.dens_churn.med);
		report_cell(f, md, 9, "%.2f", get(st, "effective_ratio"));
		report_cell(f, md, 8, "%+.1f%%", vs_ideal(st));
		report_cell(f, md, 7, "%.0f", get(tp.fill, "store_ns_p50"));
		report_cell(f, md, 7, "%.0f", get(tp.fill, "store_ns_p99"));
		report_cell(f, md, 7, "%.0f", get(tp.load, "load_ns_p50"));
		report_cell(f, md, 7, "%.0f", get(tp.load, "load_ns_p99"));
		sm = col_fig(tp.fill, "store_mops");
		lm = col_fig(tp.load, "load_mops");
		cell_fig(f, md, fw, "%.2f", &sm);
		cell_fig(f, md, fw, "%.2f", &lm);
		if (g->wl == WL_REPLAY)
			tp.tput.med = NAN;
		cell_fig(f, md, fw, "%.2f", &tp.tput);
		report_cell(f, md, 8, "%.0f", get(tp.churn, "pool_pages"));
		report_cell(f, md, 9, "%.0f", get(tp.churn, "compact_pages_freed"));
		if (md)
			fprintf(f, " %s |\n", g->pareto ? "★" : "");
		else
			fprintf(f, " %s\n", g->pareto ? "*" : "");
	}
	if (!md)
		fprintf(f,
			"(latencies in ns, allocator path; Mop/s of allocator time%s; dens = "
			"compressed bytes / (pool + metadata bytes) after fill and after churn; vs "
			"ideal = pool + metadata bytes over ceil(compressed bytes / page size) pages; tput = "
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

		if (o->wl == WL_REPLAY || !group_head(res, j) || run_is_ideal(o->alloc) ||
		    !tradeoff_same_pair(o, head))
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
			const char *fmt, const char *unit, bool noisy)
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
		if (best->n < 2 || next->n < 2) {
			if (noisy) /* a density from one run is exact; a rate is not */
				fprintf(f, ", significance unknown from 1 run");
		} else if (!figure_differs(best, next)) {
			fprintf(f, ", not significant: within the run-to-run spread");
		}
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
		fprintf(f, "%s%s, %s%s (%s)\n", md ? "\n**" : "", r->corpus, r->codec,
			md ? "**" : "", figure_basis_n(r->nrep, nb, sizeof(nb)));
		if (md)
			fputc('\n', f);
		winner_line(f, md, "densest after fill:", &ps, pick_dens_fill, "%.4f", "", false);
		if (ps.pt[0].churn)
			winner_line(f, md, "densest after churn:", &ps, pick_dens_churn, "%.4f", "",
				    false);
		tradeoff_tput_label(&ps.pt[0], label, sizeof(label));
		winner_line(f, md, "fastest:", &ps, pick_tput, "%.2f", " Mop/s", true);
		fprintf(f, "%s %-22s%s\n", md ? "-" : " ", "throughput:", label);
		fprintf(f, "%s %-22s", md ? "-" : " ", "Pareto set:");
		for (int j = 0; j < res->nrows; j++) {
			const struct run_row *o = &res->rows[j];

			if (o->pareto && group_head(res, j) && o->wl != WL_REPLAY &&
			    tradeoff_same_pair(o, r))
				fprintf(f, "%s%s", k++ ? ", " : "", o->alloc);
		}
		fprintf(f, " (density %s vs throughput)\n",
			ps.pt[0].churn ? "after churn" : "after fill");
		free(ps.pt);
	}
}

int report_plots_dir(char *out, size_t len)
{
	const char *env = getenv("ZPB_PLOTS");

	if (env && *env) {
		char p[PATH_MAX + 32];

		snprintf(out, len, "%s", env);
		snprintf(p, sizeof(p), "%s/tradeoff.gp", env);
		if (!access(p, R_OK))
			return 0;
		snprintf(out, len, "%s (from $ZPB_PLOTS)", env);
		return -1;
	}
	return zpb_data_dir("plots", "plots", "tradeoff.gp", out, len);
}

/*
 * The figures are drawn into a temporary folder inside DIR and renamed to
 * their final names only when gnuplot finished them; an interruption
 * kills gnuplot and removes the folder (everything here is prepared before
 * the hook can run, which only uses kill, waitpid, unlink and rmdir).
 * gnuplot runs in a process group of its own, and the hook ends the whole
 * group: a helper it started (or a wrapper script's children) must not
 * outlive the run.
 */
#define PLOT_FILES 3 /* NAME.png, NAME.svg, gnuplot.log */

static struct {
	char tmp[PATH_MAX];
	char file[PLOT_FILES][PATH_MAX + 32];
	volatile pid_t child;
	int hook;
} plot;

static void plot_hook(void *arg)
{
	(void)arg;
	if (plot.child > 0) {
		kill(-plot.child, SIGTERM);
		waitpid(plot.child, NULL, 0);
		plot.child = 0;
	}
	for (int i = 0; i < PLOT_FILES; i++)
		if (plot.file[i][0])
			unlink(plot.file[i]);
	if (plot.tmp[0])
		rmdir(plot.tmp);
}

static void plot_files(const char *name)
{
	snprintf(plot.file[0], sizeof(plot.file[0]), "%s/%s.png", plot.tmp, name);
	snprintf(plot.file[1], sizeof(plot.file[1]), "%s/%s.svg", plot.tmp, name);
	snprintf(plot.file[2], sizeof(plot.file[2]), "%s/gnuplot.log", plot.tmp);
}

/* The reason a script gave for drawing nothing: its "skip: ..." line in the log. */
static void skip_reason(char *why, size_t len)
{
	FILE *f = fopen(plot.file[2], "r");
	char line[512];

	snprintf(why, len, "no data for it");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "skip: ", 6)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(why, len, "%s", line + 6);
			break;
		}
	}
	fclose(f);
}

/* Run plots/@name.gp: 0 drawn, 1 skipped by the script (@why), -1 gnuplot failed, -2 no gnuplot. */
static int plot_one(const char *dir, const char *plots, const char *name, char *why, size_t len)
{
	char script[PATH_MAX + 64], def[2 * PATH_MAX + 32], final[PATH_MAX + 32];
	char *argv[] = { "gnuplot", "-e", def, script, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int status, ret;
	pid_t pid;

	why[0] = '\0';
	plot_files(name);
	snprintf(script, sizeof(script), "%s/%s.gp", plots, name);
	snprintf(def, sizeof(def), "dir='%s'; out='%s'", dir, plot.tmp);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, plot.file[2], O_WRONLY | O_CREAT | O_TRUNC, 0666);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&attr, 0);
	ret = posix_spawnp(&pid, "gnuplot", &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (ret) {
		snprintf(why, len,
			 "cannot run gnuplot (%s); install it (Debian: apt-get install "
			 "gnuplot-nox), or give --no-plots",
			 strerror(ret));
		return -2;
	}
	plot.child = pid;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	plot.child = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	if (access(plot.file[0], F_OK) && access(plot.file[1], F_OK)) {
		skip_reason(why, len);
		return 1;
	}
	for (int i = 0; i < 2; i++) {
		snprintf(final, sizeof(final), "%s/%s.%s", dir, name, i ? "svg" : "png");
		if (rename(plot.file[i], final)) {
			snprintf(why, len, "cannot rename %.200s to %.200s: %.60s", plot.file[i],
				 final, strerror(errno));
			return -1;
		}
	}
	return 0;
}

int report_draw(const char *dir, const char *shown, const char *const *names, const char **out,
		struct report_skip *skipped, int maxskip)
{
	char plots[PATH_MAX], why[512], log[PATH_MAX + 32];
	int n = 0, ns = 0, ret = 0;

	out[0] = NULL;
	if (maxskip > 0)
		skipped[0].name = NULL;
	if (strchr(dir, '\'')) {
		zpb_err("plots not drawn: the folder name %s holds a quote, which gnuplot cannot "
			"take; choose another --out, or give --no-plots",
			shown);
		return -1;
	}
	if (report_plots_dir(plots, sizeof(plots))) {
		zpb_err("plots not drawn: the gnuplot scripts (tradeoff.gp ...) are not in %s; "
			"reinstall zpoolbench, or give --no-plots",
			plots);
		return -1;
	}
	snprintf(plot.tmp, sizeof(plot.tmp), "%s/.plots.XXXXXX", dir);
	if (!mkdtemp(plot.tmp)) {
		zpb_err("plots skipped: cannot create a temporary folder in %s: %s", shown,
			strerror(errno));
		return -1;
	}
	memset(plot.file, 0, sizeof(plot.file));
	plot.hook = zpb_cleanup_push(plot_hook, NULL);
	for (int i = 0; names[i]; i++) {
		int r = plot_one(dir, plots, names[i], why, sizeof(why));

		if (r == 0) {
			out[n++] = names[i];
		} else if (r == 1) {
			if (ns + 1 < maxskip) {
				skipped[ns].name = names[i];
				snprintf(skipped[ns].why, sizeof(skipped[ns].why), "%.200s", why);
				ns++;
			}
		} else if (r == -2) {
			zpb_err("plots not drawn: %s", why);
			ret = -1;
			break;
		} else if (why[0]) {
			zpb_err("figure %s: %s", names[i], why);
			ret = -1;
			break;
		} else {
			/* keep the log where the message points */
			snprintf(log, sizeof(log), "%s/gnuplot.log", dir);
			if (rename(plot.file[2], log))
				snprintf(log, sizeof(log), "%s", plot.file[2]);
			else
				snprintf(log, sizeof(log), "%s/gnuplot.log", shown);
			zpb_err("gnuplot failed on %s/%s.gp; its output is in %s", plots, names[i],
				log);
			ret = -1;
			break;
		}
	}
	out[n] = NULL;
	if (maxskip > 0)
		skipped[ns].name = NULL;
	zpb_cleanup_pop(true);
	memset(&plot, 0, sizeof(plot));
	return ret;
}

/* Curves of one corpus and codec that are identical point for point: "a = b = c; d = e". */
static void identical_curves(FILE *f, const struct run_results *res)
{
	bool *done = calloc(res->ncurves + 1, sizeof(bool));
	int groups = 0;

	if (!done)
		return;
	for (int i = 0; i < res->ncurves; i++) {
		const struct run_curve *a = &res->curves[i];
		int k = 0;

		if (done[i])
			continue;
		for (int j = i + 1; j < res->ncurves; j++) {
			const struct run_curve *b = &res->curves[j];

			if (done[j] || strcmp(a->corpus, b->corpus) || strcmp(a->codec, b->codec) ||
			    a->page_size != b->page_size || a->c.n != b->c.n ||
			    memcmp(a->c.p, b->c.p, a->c.n * sizeof(*a->c.p)))
				continue;
			if (!k++)
				fprintf(f, "%s%s, %s: `%s`",
					groups++ ? "; "
						 : " Identical curves "
						   "(drawn on top of each other): ",
					a->corpus, a->codec, a->alloc);
			fprintf(f, " = `%s`", b->alloc);
			done[j] = true;
		}
	}
	if (groups)
		fputc('.', f);
	free(done);
}

/* The rows where the front end refused pages: what density and ratio leave out. */
static void rejected_note(FILE *f, const struct run_results *res)
{
	int said = 0;

	for (int j = 0; j < res->nrows; j++) {
		const struct run_row *r = &res->rows[j];
		double rej, pages;

		if (r->wl == WL_REPLAY || !group_head(res, j))
			continue;
		rej = get(r, "rejected");
		pages = get(r, "pages");
		if (!(rej > 0))
			continue;
		if (!said++)
			fprintf(f,
				"\n**Refused pages.** Density and effective ratio describe only "
				"what the pool holds (same-filled pages count in the effective ratio "
				"without taking space, as zram counts them); the front end refused:\n\n");
		fprintf(f,
			"- %s, %s, `%s`: %.0f of %.0f pages (too big %.0f, pool limit %.0f after "
			"%.0f limit hits, allocator %.0f)\n",
			r->corpus, r->codec, r->alloc, rej, pages, get(r, "rejected_poor"),
			get(r, "rejected_limit"), get(r, "pool_limit_hit"),
			get(r, "rejected_alloc"));
	}
}

/* The caveat of a pool small against the allocators' partly filled units. */
static void small_pool_caveat(FILE *f, const struct run_results *res)
{
	int said = 0;

	for (int i = 0; i < res->nsizes; i++) {
		const struct run_sizes *sz = &res->sizes[i];

		for (int j = 0; j < res->nrows; j++) {
			const struct run_row *r = &res->rows[j];
			struct slack sl;
			double pool;

			bool zram = !strncmp(r->frontend, "zram", 4);

			if (r->wl == WL_REPLAY || !group_head(res, j) ||
			    strcmp(r->corpus, sz->corpus) || strcmp(r->codec, sz->codec) ||
			    run_row_page(r) != (sz->page_size ? sz->page_size : 4096))
				continue;
			pool = get(r, "pool_pages");
			if (!(pool > 0) || slack_estimate(r->alloc, sz, zram, &sl) ||
			    sl.pages < pool * SMALL_POOL_PCT / 100)
				continue;
			if (!said++)
				fprintf(f,
					"\n**Caveat: small pool.** A freshly filled pool holds up to "
					"one partly filled unit (a zspage of up to `chain` pages) per "
					"size class in use; where that is more than %d%% of the pool, "
					"density rankings can reverse on a larger pool (6,000 pages: "
					"zsmalloc chain 4 > 8 > 16; 81,000 pages: 8 > 16 > 4). Store "
					"more objects (`--objects N` cycles through the corpus) or use a "
					"larger corpus.\n\n",
					SMALL_POOL_PCT);
			fprintf(f,
				"- %s, %s, `%s`: %d classes in use, up to %" PRIu64
				" pages in partly filled units = %.0f%% of its %.0f pool pages\n",
				r->corpus, r->codec, r->alloc, sl.classes, sl.pages,
				sl.pages * 100 / pool, pool);
		}
	}
}

int report_markdown(const char *dir, const struct run_results *res, const struct results_meta *m,
		    const char *const *figures, const struct report_skip *skipped,
		    void (*extra)(FILE *f, void *arg), void *arg)
{
	static const struct {
		const char *name, *caption;
	} fig_caption[] = {
		{ "tradeoff", "Density vs throughput on the trade-off basis (see Winners), one point "
			      "per allocator setting; the line is the Pareto front (one panel per "
			      "corpus and codec)." },
		{ "sizes", "Compressed page sizes of the corpus (top), and below it, in its own "
			   "panel, one row per allocator: its class boundaries, the largest object "
			   "it takes and, with the zram front end, the huge threshold." },
		{ "churn", "Pool pages during churn (free a random fraction, store new pages), "
			   "ending with one compaction; each setting has its own colour, dash type "
			   "and marker." },
		{ "latency", "Allocator-path latency percentiles per allocator, store (fill) and "
			     "load, one row of panels per corpus and codec." },
		{ "latency_cdf", "Allocator-path latency distributions (the fraction of operations "
				 "at or below each latency, repeats merged), store (fill) and "
				 "load, one line per allocator; the timer's overhead is taken off "
				 "and samples are dithered within its resolution (see Timer)." },
		{ "sweep", "Space gained vs throughput lost relative to the baseline setting, one "
			   "marker per setting (named in the key)." },
	};
	const struct provenance *p = m->prov;
	char path[4096];
	struct afile af;

	if (m->nsources)
		p = &m->sources[0]; /* the timer of the first folder merged */
	FILE *f;

	snprintf(path, sizeof(path), "%s/report.md", dir);
	if (afile_open(&af, path))
		return -1;
	f = af.f;
	fprintf(f, "# zpoolbench report\n\n");
	provenance_md(f, m->prov);
	if (m->nsources) {
		fprintf(f, "Merged from %d results folders:\n\n", m->nsources);
		for (int i = 0; i < m->nsources; i++) {
			fprintf(f, "%d. ", i + 1);
			provenance_md(f, &m->sources[i]);
		}
	}
	for (int i = 0; i < m->nnotes; i++)
		fprintf(f, "%s- %s\n%s", i ? "" : "**Merge notes.**\n\n", m->notes[i],
			i + 1 == m->nnotes ? "\n" : "");
	for (int i = 0; i < res->ncorpora; i++)
		fprintf(f, "- corpus `%s`: %" PRIu64 " pages, sha256 `%s`\n", res->corpora[i].name,
			res->corpora[i].pages, res->corpora[i].sha256);
	fprintf(f, "\n## Results\n\n");
	report_table(f, res, true);
	fprintf(f, "\nLatencies are nanoseconds on the allocator path (store: malloc + map + copy + "
		   "unmap; load: map + copy out + unmap, the decompression is not included), Mop/s "
		   "is operations per second of allocator time. ");
	if (p->timer[0])
		fprintf(f, "Timer: %s. ", p->timer);
	fprintf(f,
		"*dens fill* and *dens churn* are compressed bytes / (pool + metadata bytes) "
		"after the fill and after churn and compaction. *vs ideal* is pool + metadata "
		"bytes over the packing bound ceil(compressed bytes / page size) pages (4096 "
		"bytes, or the pool's page size: page=16384 pools count 16 KiB pages); the `ideal` "
		"row is that bound as an allocator. *tput* and the Pareto column use the "
		"trade-off basis below. All figures: `results.csv` / `results.json`.\n");
	small_pool_caveat(f, res);
	rejected_note(f, res);
	fprintf(f,
		"\n## Winners\n\nOne basis for the Pareto column, the winners, the trade-off "
		"figure and a sweep: %s; %s. ",
		tradeoff_density_basis, tradeoff_tput_basis);
	if (run_repeats(res) > 1)
		fprintf(f, "A difference is called *not significant* when the min-max ranges over "
			   "the repeats overlap.\n");
	else
		fprintf(f, "From a single run the run-to-run spread is unknown, so no difference in "
			   "throughput is called significant; use `--repeat 3` or more.\n");
	report_winners(f, res, true);
	if (pagesizes_present(res)) {
		fprintf(f,
			"\n## 4 KiB against 16 KiB pages\n\nThe same bytes at both page sizes: "
			"each larger page is address-contiguous smaller pages of one process "
			"(`corpus regroup`). *dens* is compressed bytes / (pool + metadata bytes), "
			"how well the allocator packs what the codec gives it; *eff.ratio* is "
			"original bytes / (pool + metadata bytes) after fill, the codec's gain "
			"included; *tput* the trade-off throughput; *change* the larger pages "
			"against the smaller.\n");
		report_pagesizes(f, res, true);
	}
	if (extra)
		extra(f, arg);
	if ((figures && figures[0]) || (skipped && skipped[0].name)) {
		fprintf(f, "\n## Figures\n");
		for (int i = 0; figures && figures[i]; i++) {
			const char *cap = "";

			for (size_t k = 0; k < sizeof(fig_caption) / sizeof(fig_caption[0]); k++)
				if (!strcmp(fig_caption[k].name, figures[i]))
					cap = fig_caption[k].caption;
			fprintf(f, "\n![%s](%s.png)\n\n%s", figures[i], figures[i], cap);
			if (!strcmp(figures[i], "churn"))
				identical_curves(f, res);
			fprintf(f, " ([SVG](%s.svg))\n", figures[i]);
		}
		for (int i = 0; skipped && skipped[i].name; i++)
			fprintf(f, "\n*%s: not drawn (%s).*\n", skipped[i].name, skipped[i].why);
	}
	return afile_commit(&af);
}

/* ---- a whole results folder ------------------------------------------------ */

/* The figures of a run that have data, into @names (NULL-terminated). */
static void run_figures(const struct run_results *res, const char **names)
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
	if (pool_rows)
		names[n++] = "latency_cdf";
	names[n] = NULL;
}

static void sweep_section(FILE *f, void *arg)
{
	const struct report_folder *rf = arg;

	fprintf(f, "\n## Sweep\n\nGoal %s.\n", sweep_goal_text(rf->prefer));
	sweep_print(f, rf->sw, rf->prefer, rf->max_ns_p99, true);
}

static int write_sweep_csv(const struct report_folder *rf)
{
	char path[4200];
	struct afile af;

	snprintf(path, sizeof(path), "%s/sweep.csv", rf->dir);
	if (afile_open(&af, path))
		return -1;
	sweep_csv(af.f, rf->res, rf->sw);
	return afile_commit(&af);
}

static void sweep_json_extra(struct jw *w, void *arg)
{
	const struct report_folder *rf = arg;

	sweep_json(w, rf->sw, rf->prefer, rf->max_ns_p99);
}

/* The results metadata, with the sweep's verdict in results.json. */
void report_folder_meta(const struct report_folder *rf, struct results_meta *m)
{
	*m = *rf->meta;
	if (rf->sw) {
		m->json_extra = sweep_json_extra;
		m->arg = (void *)rf;
	}
}

int report_folder(const struct report_folder *rf)
{
	static const char *const sweep_names[] = { "sweep", "tradeoff", NULL };
	const char *figs[8] = { NULL }, *names[8];
	struct report_skip skipped[8] = { { NULL, "" } };
	int plot_failed = 0;

	struct results_meta meta;

	report_folder_meta(rf, &meta);
	if (results_write(rf->dir, rf->res, &meta))
		return -1;
	if (rf->sw && write_sweep_csv(rf))
		return -1;
	if (!rf->no_plots) {
		if (rf->sw)
			memcpy(names, sweep_names, sizeof(sweep_names));
		else
			run_figures(rf->res, names);
		plot_failed = report_draw(rf->dir, rf->shown, names, figs, skipped, 8);
	}
	if (report_markdown(rf->dir, rf->res, rf->meta, figs, skipped,
			    rf->sw ? sweep_section : NULL, (void *)rf))
		return -1;
	return plot_failed ? 1 : 0;
}
