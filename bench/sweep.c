// SPDX-License-Identifier: GPL-2.0-only
/*
 * sweep.c - see sweep.h.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"

static const char *const prefer_name[] = {
	[PREFER_BALANCED] = "balanced", [PREFER_DENSITY] = "density", [PREFER_SPEED] = "speed",
};

const char *sweep_default_baseline(const struct run_opts *o)
{
	for (int i = 0; i < o->nallocs; i++) {
		const char *m = strstr(o->allocs[i], "compaction=middle");

		if (m && (m[17] == '\0' || m[17] == ','))
			return o->allocs[i];
	}
	return o->nallocs ? o->allocs[0] : "";
}

static int group_of(struct sweep *sw, const struct run_row *r)
{
	struct sweep_group *n;

	for (int i = 0; i < sw->ng; i++)
		if (!strcmp(sw->g[i].corpus, r->corpus) && !strcmp(sw->g[i].codec, r->codec))
			return i;
	n = realloc(sw->g, (sw->ng + 1) * sizeof(*n));
	if (!n)
		return -1;
	sw->g = n;
	memset(&sw->g[sw->ng], 0, sizeof(sw->g[0]));
	snprintf(sw->g[sw->ng].corpus, sizeof(sw->g[0].corpus), "%s", r->corpus);
	snprintf(sw->g[sw->ng].codec, sizeof(sw->g[0].codec), "%s", r->codec);
	return sw->ng++;
}

static const struct run_row *wl_row(const struct run_results *res, const struct run_row *f,
				    enum workload_kind wl)
{
	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *r = &res->rows[i];

		if (r->wl == wl && !strcmp(r->corpus, f->corpus) &&
		    !strcmp(r->codec, f->codec) && !strcmp(r->alloc, f->alloc))
			return r;
	}
	return NULL;
}

static void choose(struct sweep_group *g, enum prefer prefer)
{
	double dmax = 0, tmax = 0, best = -INFINITY;

	g->best = -1;
	for (int i = 0; i < g->n; i++) {
		if (!g->pt[i].feasible)
			continue;
		dmax = fmax(dmax, g->pt[i].density);
		tmax = fmax(tmax, g->pt[i].tput);
	}
	for (int i = 0; i < g->n; i++) {
		const struct sweep_point *p = &g->pt[i];
		double score;

		if (!p->feasible)
			continue;
		if (prefer == PREFER_DENSITY)
			score = p->density + 1e-9 * p->tput;	/* ties: the faster */
		else if (prefer == PREFER_SPEED)
			score = p->tput + 1e-9 * p->density;	/* ties: the denser */
		else
			score = (dmax > 0 ? p->density / dmax : 0) + (tmax > 0 ? p->tput / tmax : 0);
		if (score > best) {
			best = score;
			g->best = i;
		}
	}
	if (g->best >= 0)
		g->pt[g->best].recommended = true;
}

int sweep_evaluate(const struct run_results *res, const char *baseline, enum prefer prefer,
		   uint64_t max_ns_p99, struct sweep *sw)
{
	memset(sw, 0, sizeof(*sw));
	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *r = &res->rows[i], *l, *c;
		struct sweep_group *g;
		struct sweep_point *p, *n;
		int gi;

		if (r->wl != WL_FILL || !strcmp(r->alloc, "ideal"))
			continue;
		gi = group_of(sw, r);
		if (gi < 0)
			return -1;
		g = &sw->g[gi];
		n = realloc(g->pt, (g->n + 1) * sizeof(*n));
		if (!n)
			return -1;
		g->pt = n;
		p = &g->pt[g->n++];
		memset(p, 0, sizeof(*p));
		l = wl_row(res, r, WL_LOAD);
		c = wl_row(res, r, WL_CHURN);
		p->fill = r;
		p->density = results_get(c ? c : r, "density");
		p->bytes = results_get(c ? c : r, "pool_pages") * 4096 +
			   results_get(c ? c : r, "metadata_bytes");
		p->tput = r->tput_mops;
		if (c && l) {
			double st = results_get(c, "store_mops"), fr = results_get(c, "free_mops");
			double ld = results_get(l, "load_mops");

			p->tput = st > 0 && fr > 0 && ld > 0 ? 3 / (1 / st + 1 / fr + 1 / ld) : 0;
		}
		p->store_p99 = results_get(r, "store_ns_p99");
		p->load_p99 = l ? results_get(l, "load_ns_p99") : 0;
		p->feasible = !max_ns_p99 || (p->store_p99 <= max_ns_p99 && p->load_p99 <= max_ns_p99);
		p->baseline = !strcmp(r->alloc, baseline);
	}
	for (int gi = 0; gi < sw->ng; gi++) {
		struct sweep_group *g = &sw->g[gi];
		const struct sweep_point *b;

		g->base = 0;
		for (int i = 0; i < g->n; i++)
			if (g->pt[i].baseline)
				g->base = i;
		g->pt[g->base].baseline = true;
		b = &g->pt[g->base];
		for (int i = 0; i < g->n; i++) {
			struct sweep_point *p = &g->pt[i];

			p->space_gain_pct = b->bytes > 0 ? (b->bytes - p->bytes) * 100 / b->bytes : 0;
			p->tput_loss_pct = b->tput > 0 ? (b->tput - p->tput) * 100 / b->tput : 0;
		}
		{
			double *x = calloc(g->n, sizeof(*x)), *y = calloc(g->n, sizeof(*y));
			bool *par = calloc(g->n, sizeof(*par));

			if (!x || !y || !par) {
				free(x);
				free(y);
				free(par);
				return -1;
			}
			for (int i = 0; i < g->n; i++) {
				x[i] = g->pt[i].tput;
				y[i] = g->pt[i].density;
			}
			pareto_mark(x, y, g->n, par);
			for (int i = 0; i < g->n; i++)
				g->pt[i].pareto = par[i];
			free(x);
			free(y);
			free(par);
		}
		choose(g, prefer);
	}
	return 0;
}

void sweep_free(struct sweep *sw)
{
	for (int i = 0; i < sw->ng; i++)
		free(sw->g[i].pt);
	free(sw->g);
	memset(sw, 0, sizeof(*sw));
}

void sweep_csv(FILE *f, const struct sweep *sw)
{
	char label[ZPOOL_SPEC_MAX];

	fputs("# sweep: each setting against the baseline; space_gain_pct = (base bytes - bytes) / "
	      "base bytes * 100 (pool + metadata after churn);\n"
	      "# tput_loss_pct = (base tput - tput) / base tput * 100 (tput: harmonic mean of "
	      "churn store, churn free and load Mop/s)\n", f);
	fputs("corpus,codec,allocator,label,density,bytes,tput_mops,store_ns_p99,load_ns_p99,"
	      "space_gain_pct,tput_loss_pct,pareto,feasible,baseline,recommended\n", f);
	for (int gi = 0; gi < sw->ng; gi++) {
		const struct sweep_group *g = &sw->g[gi];

		for (int i = 0; i < g->n; i++) {
			const struct sweep_point *p = &g->pt[i];

			csv_field(f, g->corpus);
			fputc(',', f);
			csv_field(f, g->codec);
			fputc(',', f);
			csv_field(f, p->fill->alloc);
			run_label(p->fill->alloc, label, sizeof(label));
			fputc(',', f);
			csv_field(f, label);
			fprintf(f, ",%.4f,%.0f,%.3f,%.0f,%.0f,%.2f,%.2f,%d,%d,%d,%d\n", p->density,
				p->bytes, p->tput, p->store_p99, p->load_p99, p->space_gain_pct,
				p->tput_loss_pct, p->pareto, p->feasible, p->baseline,
				p->recommended);
		}
	}
}

void sweep_print(FILE *f, const struct sweep *sw, enum prefer prefer, uint64_t max_ns_p99,
		 bool md)
{
	for (int gi = 0; gi < sw->ng; gi++) {
		const struct sweep_group *g = &sw->g[gi];
		const struct sweep_point *b = &g->pt[g->base];

		fprintf(f, "%s%s, %s: baseline %s (density %.4f, %.2f Mop/s)%s\n", md ? "\n**" : "",
			g->corpus, g->codec, b->fill->alloc, b->density, b->tput, md ? "**\n" : "");
		for (int i = 0; i < g->n; i++) {
			const struct sweep_point *p = &g->pt[i];

			fprintf(f, "%s %-44s density %.4f  %6.2f Mop/s  space %+6.1f%%  throughput "
				   "%+6.1f%%%s%s\n",
				md ? "-" : " ", p->fill->alloc, p->density, p->tput, p->space_gain_pct,
				-p->tput_loss_pct, p->pareto ? "  [Pareto]" : "",
				p->feasible ? "" : "  [over the p99 bound]");
		}
		if (g->best < 0) {
			fprintf(f, "%s no setting has store and load p99 within %" PRIu64 " ns\n",
				md ? "-" : " ", max_ns_p99);
			continue;
		}
		fprintf(f, "%s recommended for %s%s: %s\n", md ? "-" : " ", prefer_name[prefer],
			max_ns_p99 ? " within the p99 bound" : "", g->pt[g->best].fill->alloc);
	}
}
