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
#include "util.h"

extern char **environ;

static const struct run_row *find_row(const struct run_results *res, const struct run_row *g,
				      enum workload_kind wl)
{
	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *r = &res->rows[i];

		if (r->wl == wl && !strcmp(r->corpus, g->corpus) && !strcmp(r->codec, g->codec) &&
		    !strcmp(r->alloc, g->alloc))
			return r;
	}
	return NULL;
}

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

static double get(const struct run_row *r, const char *col)
{
	return r ? results_get(r, col) : NAN;
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

void report_table(FILE *f, const struct run_results *res, bool md)
{
	static const struct {
		const char *title;
		int width;
	} head[] = {
		{ "stored", 7 },      { "pool pg", 8 },	      { "density", 7 },
		{ "eff.ratio", 9 },   { "vs ideal", 8 },      { "st p50", 7 },
		{ "st p99", 7 },      { "ld p50", 7 },	      { "ld p99", 7 },
		{ "st Mop/s", 8 },    { "ld Mop/s", 8 },      { "churn pg", 8 },
		{ "cmp freed", 9 },
	};
	const int nh = sizeof(head) / sizeof(head[0]);

	if (md) {
		fprintf(f, "| corpus | codec | allocator |");
		for (int h = 0; h < nh; h++)
			fprintf(f, " %s |", head[h].title);
		fprintf(f, " Pareto |\n|---|---|---|");
		for (int h = 0; h < nh; h++)
			fprintf(f, "---:|");
		fprintf(f, ":-:|\n");
	} else {
		fprintf(f, "%-10s %-8s %-32s", "corpus", "codec", "allocator");
		for (int h = 0; h < nh; h++)
			fprintf(f, " %*s", head[h].width, head[h].title);
		fprintf(f, " P\n");
	}
	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *g = &res->rows[i], *fill, *load, *churn, *st;
		double pool, ideal;

		if (!group_head(res, i))
			continue;
		fill = find_row(res, g, WL_FILL);
		load = find_row(res, g, WL_LOAD);
		churn = find_row(res, g, WL_CHURN);
		st = fill ? fill : g; /* replay rows stand alone */
		pool = get(st, "pool_pages");
		ideal = get(st, "ideal_pages");
		if (md)
			fprintf(f, "| %s | %s | `%s` |", g->corpus, g->codec, g->alloc);
		else
			fprintf(f, "%-10.10s %-8.8s %-32.32s", g->corpus, g->codec, g->alloc);
		cell(f, md, 7, "%.0f", get(st, "stored"));
		cell(f, md, 8, "%.0f", pool);
		cell(f, md, 7, "%.3f", get(st, "density"));
		cell(f, md, 9, "%.2f", get(st, "effective_ratio"));
		cell(f, md, 8, "%+.1f%%", ideal > 0 ? (pool - ideal) * 100 / ideal : NAN);
		cell(f, md, 7, "%.0f", fill ? get(fill, "store_ns_p50") : NAN);
		cell(f, md, 7, "%.0f", fill ? get(fill, "store_ns_p99") : NAN);
		cell(f, md, 7, "%.0f", load ? get(load, "load_ns_p50") : NAN);
		cell(f, md, 7, "%.0f", load ? get(load, "load_ns_p99") : NAN);
		cell(f, md, 8, "%.2f", fill ? get(fill, "store_mops") : NAN);
		cell(f, md, 8, "%.2f", load ? get(load, "load_mops") : NAN);
		cell(f, md, 8, "%.0f", churn ? get(churn, "pool_pages") : NAN);
		cell(f, md, 9, "%.0f", churn ? get(churn, "compact_pages_freed") : NAN);
		if (md)
			fprintf(f, " %s |\n", g->pareto ? "★" : "");
		else
			fprintf(f, " %s\n", g->pareto ? "*" : "");
	}
	if (!md)
		fprintf(f, "(latencies in ns, allocator path; Mop/s of allocator time; vs ideal = pool "
			   "pages over ceil(compressed bytes/4096); churn pg = pool pages after churn "
			   "and compaction; P = Pareto set)\n");
}

void report_winners(FILE *f, const struct run_results *res, bool md)
{
	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *r = &res->rows[i];
		const struct run_row *dens = NULL, *fast = NULL;
		double best_d = -1, best_t = -1;
		bool seen = false;

		if (r->wl != WL_FILL)
			continue;
		for (int j = 0; j < i; j++)
			if (res->rows[j].wl == WL_FILL && !strcmp(res->rows[j].corpus, r->corpus) &&
			    !strcmp(res->rows[j].codec, r->codec))
				seen = true;
		if (seen)
			continue;
		for (int j = 0; j < res->nrows; j++) {
			const struct run_row *o = &res->rows[j];
			double d;

			if (o->wl != WL_FILL || strcmp(o->corpus, r->corpus) ||
			    strcmp(o->codec, r->codec) || !strcmp(o->alloc, "ideal"))
				continue;
			d = results_get(o, "density");
			if (d > best_d) {
				best_d = d;
				dens = o;
			}
			if (o->tput_mops > best_t) {
				best_t = o->tput_mops;
				fast = o;
			}
		}
		if (!dens)
			continue;
		fprintf(f, "%s%s, %s:%s\n", md ? "\n**" : "", r->corpus, r->codec, md ? "**\n" : "");
		fprintf(f, "%s winner on density:  %s (%.4f)\n", md ? "-" : " ", dens->alloc, best_d);
		fprintf(f, "%s winner on speed:    %s (%.2f Mop/s, harmonic mean of store and load)\n",
			md ? "-" : " ", fast->alloc, best_t);
		fprintf(f, "%s Pareto set:        ", md ? "-" : " ");
		for (int j = 0, k = 0; j < res->nrows; j++) {
			const struct run_row *o = &res->rows[j];

			if (o->wl == WL_FILL && o->pareto && !strcmp(o->corpus, r->corpus) &&
			    !strcmp(o->codec, r->codec))
				fprintf(f, "%s%s", k++ ? ", " : "", o->alloc);
		}
		fputc('\n', f);
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
		fprintf(f, "Front end `%s`, %d thread(s), %d repeat(s) (medians shown), seed %" PRIu64
			   ", churn %u rounds of %u%%.\n\n",
			m->opts->fe.spec, m->opts->wl.threads, m->opts->repeat, m->opts->wl.seed,
			m->opts->wl.churn_rounds, m->opts->wl.churn_percent);
	for (int i = 0; i < res->ncorpora; i++)
		fprintf(f, "- corpus `%s`: %" PRIu64 " pages, sha256 `%s`\n", res->corpora[i].name,
			res->corpora[i].pages, res->corpora[i].sha256);
	fprintf(f, "\n## Results\n\n");
	report_table(f, res, true);
	fprintf(f, "\nLatencies are nanoseconds on the allocator path (store: malloc + map + copy + "
		   "unmap; load: map + unmap), Mop/s is operations per second of allocator time. "
		   "*vs ideal* is the pool's distance to the packing bound ceil(compressed bytes / "
		   "4096); the `ideal` row is that bound as an allocator. All figures: "
		   "`results.csv` / `results.json`.\n");
	fprintf(f, "\n## Winners\n");
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
