// SPDX-License-Identifier: GPL-2.0-only
/*
 * sweep.c - see sweep.h.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "output/sweep.h"

static const char *const prefer_name[] = {
	[PREFER_BALANCED] = "balanced",
	[PREFER_DENSITY] = "density",
	[PREFER_SPEED] = "speed",
};

int sweep_prefer_of(const char *name)
{
	for (int i = 0; i < (int)(sizeof(prefer_name) / sizeof(prefer_name[0])); i++)
		if (!strcmp(prefer_name[i], name))
			return i;
	return -1;
}

const char *sweep_prefer_name(enum prefer prefer)
{
	return prefer_name[prefer];
}

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
		if (tradeoff_same_pair(sw->g[i].head, r))
			return i;
	n = realloc(sw->g, (sw->ng + 1) * sizeof(*n));
	if (!n)
		return -1;
	sw->g = n;
	memset(&sw->g[sw->ng], 0, sizeof(sw->g[0]));
	sw->g[sw->ng].head = r;
	snprintf(sw->g[sw->ng].corpus, sizeof(sw->g[0].corpus), "%s", r->corpus);
	snprintf(sw->g[sw->ng].codec, sizeof(sw->g[0].codec), "%s", r->codec);
	sw->g[sw->ng].page_size = r->page_size;
	return sw->ng++;
}

const char *sweep_goal_text(enum prefer prefer)
{
	switch (prefer) {
	case PREFER_DENSITY:
		return "density: the densest setting (ties: the faster)";
	case PREFER_SPEED:
		return "speed: the setting of most throughput (ties: the denser)";
	default:
		return "balanced: the densest setting among those whose throughput is within "
		       "10% of the fastest (ties: the faster)";
	}
}

static bool better(const struct sweep_point *a, const struct sweep_point *b, bool dens_first)
{
	if (!b)
		return true;
	if (dens_first)
		return a->density > b->density ||
		       (figure_ties(a->density, b->density) && a->tput > b->tput);
	return a->tput > b->tput || (figure_ties(a->tput, b->tput) && a->density > b->density);
}

static void choose(struct sweep_group *g, enum prefer prefer)
{
	const struct sweep_point *best = NULL, *fast = NULL;

	g->best = g->fastest = -1;
	for (int i = 0; i < g->n; i++) {
		if (g->pt[i].feasible && better(&g->pt[i], fast, false)) {
			fast = &g->pt[i];
			g->fastest = i;
		}
	}
	if (!fast)
		return;
	for (int i = 0; i < g->n; i++) {
		const struct sweep_point *p = &g->pt[i];

		if (!p->feasible)
			continue;
		if (prefer == PREFER_BALANCED &&
		    p->tput < fast->tput * (100 - SWEEP_BALANCED_PCT) / 100)
			continue;
		if (better(p, best, prefer != PREFER_SPEED)) {
			best = p;
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
		const struct run_row *r = &res->rows[i];
		struct sweep_group *g;
		struct sweep_point *p, *n;
		bool head = true;
		int gi;

		if (r->wl == WL_REPLAY || run_is_ideal(r->alloc))
			continue;
		for (int j = 0; j < i && head; j++)
			head = !tradeoff_same_setting(&res->rows[j], r);
		if (!head)
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
		tradeoff_point_of(res, r, &p->tp);
		p->fill = r;
		p->density = p->tp.dens.med;
		p->bytes = p->tp.bytes.med;
		p->tput = p->tp.tput.med;
		p->store_p99 = p->tp.fill ? results_get(p->tp.fill, "store_ns_p99") : 0;
		p->load_p99 = p->tp.load ? results_get(p->tp.load, "load_ns_p99") : 0;
		p->feasible = !max_ns_p99 ||
			      (p->store_p99 <= max_ns_p99 && p->load_p99 <= max_ns_p99);
		p->baseline = !strcmp(r->alloc, baseline);
		if (!p->baseline) { /* the baseline spec at this row's page size */
			char spec[ZPOOL_SPEC_MAX], err[256];

			p->baseline = !run_spec_for_page(baseline, run_row_page(r), spec,
							 sizeof(spec), err, sizeof(err)) &&
				      !strcmp(r->alloc, spec);
		}
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

			p->space_gain_pct = b->bytes > 0 ? (b->bytes - p->bytes) * 100 / b->bytes
							 : NAN;
			p->tput_loss_pct = b->tput > 0 ? (b->tput - p->tput) * 100 / b->tput : NAN;
			/* the ranges over repeats, against the baseline's median */
			p->space_gain_min = b->bytes > 0
						    ? (b->bytes - p->tp.bytes.max) * 100 / b->bytes
						    : NAN;
			p->space_gain_max = b->bytes > 0
						    ? (b->bytes - p->tp.bytes.min) * 100 / b->bytes
						    : NAN;
			p->tput_loss_min = b->tput > 0 ? (b->tput - p->tp.tput.max) * 100 / b->tput
						       : NAN;
			p->tput_loss_max = b->tput > 0 ? (b->tput - p->tp.tput.min) * 100 / b->tput
						       : NAN;
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

void sweep_csv(FILE *f, const struct run_results *res, const struct sweep *sw)
{
	char label[ZPOOL_SPEC_MAX], point[ZPOOL_SPEC_MAX];

	fprintf(f,
		"# sweep: each setting against the baseline; space_gain_pct = (base bytes - bytes) / "
		"base bytes * 100, bytes = pool + metadata bytes where the density is taken;\n"
		"# tput_loss_pct = (base tput - tput) / base tput * 100\n# %s\n# %s\n"
		"# values are medians over repeats, *_min/*_max their spread\n",
		tradeoff_density_basis, tradeoff_tput_basis);
	fputs("corpus,codec,allocator,label,density,bytes,tput_mops,store_ns_p99,load_ns_p99,"
	      "space_gain_pct,tput_loss_pct,pareto,feasible,tput_min,tput_max,baseline,recommended,"
	      "point_label,space_gain_min,space_gain_max,tput_loss_min,tput_loss_max\n",
	      f);
	for (int gi = 0; gi < sw->ng; gi++) {
		const struct sweep_group *g = &sw->g[gi];

		for (int i = 0; i < g->n; i++) {
			const struct sweep_point *p = &g->pt[i];

			csv_field(f, g->corpus);
			fputc(',', f);
			csv_field(f, g->codec);
			fputc(',', f);
			csv_field(f, p->fill->alloc);
			results_label(p->fill->alloc, label, sizeof(label));
			fputc(',', f);
			csv_field(f, label);
			fputc(',', f);
			csv_num(f, p->density, 4);
			fputc(',', f);
			csv_num(f, p->bytes, 0);
			fputc(',', f);
			csv_num(f, p->tput, 3);
			fputc(',', f);
			csv_num(f, p->store_p99, 0);
			fputc(',', f);
			csv_num(f, p->load_p99, 0);
			fputc(',', f);
			csv_num(f, p->space_gain_pct, 2);
			fputc(',', f);
			csv_num(f, p->tput_loss_pct, 2);
			fprintf(f, ",%d,%d,", p->pareto, p->feasible);
			csv_num(f, p->tp.tput.min, 3);
			fputc(',', f);
			csv_num(f, p->tp.tput.max, 3);
			fprintf(f, ",%d,%d,", p->baseline, p->recommended);
			results_point_label(res, p->fill->alloc, point, sizeof(point));
			csv_field(f, point);
			fputc(',', f);
			csv_num(f, p->space_gain_min, 2);
			fputc(',', f);
			csv_num(f, p->space_gain_max, 2);
			fputc(',', f);
			csv_num(f, p->tput_loss_min, 2);
			fputc(',', f);
			csv_num(f, p->tput_loss_max, 2);
			fputc('\n', f);
		}
	}
}

bool sweep_unsatisfied(const struct sweep *sw)
{
	for (int gi = 0; gi < sw->ng; gi++)
		if (sw->g[gi].best < 0)
			return true;
	return false;
}

/* "" if @p's throughput differs from @q's, else why it cannot be told apart */
static const char *tput_verdict(const struct sweep_point *p, const struct sweep_point *q)
{
	if (p == q)
		return "";
	if (p->tp.tput.n < 2 || q->tp.tput.n < 2)
		return "";
	return figure_differs(&p->tp.tput, &q->tp.tput) ? "" : "  (n.s.)";
}

void sweep_print(FILE *f, const struct sweep *sw, enum prefer prefer, uint64_t max_ns_p99, bool md)
{
	for (int gi = 0; gi < sw->ng; gi++) {
		const struct sweep_group *g = &sw->g[gi];
		const struct sweep_point *b = &g->pt[g->base];
		int nrep = b->tp.tput.n;
		char nb[48], label[160], t[64];

		fprintf(f, "%s%s, %s: baseline %s (density %.4f, %.2f Mop/s)%s\n", md ? "\n**" : "",
			g->corpus, g->codec, b->fill->alloc, b->density, b->tput, md ? "**\n" : "");
		tradeoff_tput_label(&b->tp, label, sizeof(label));
		fprintf(f, "%s density %s; throughput: %s; %s%s\n", md ? "-" : " ",
			b->tp.churn ? "after churn" : "after fill", label,
			figure_basis_n(nrep, nb, sizeof(nb)),
			nrep > 1 ? ", (n.s.) = throughput within the baseline's run-to-run spread"
				 : " (the spread is unknown: nothing is marked significant; use "
				   "--repeat 3 or more)");
		for (int i = 0; i < g->n; i++) {
			const struct sweep_point *p = &g->pt[i];

			if (nrep > 1)
				snprintf(t, sizeof(t), "%6.2f (%.2f-%.2f)", p->tput, p->tp.tput.min,
					 p->tp.tput.max);
			else
				snprintf(t, sizeof(t), "%6.2f", p->tput);
			fprintf(f,
				"%s %-44s density %.4f  %s Mop/s  space %+6.1f%%  throughput "
				"%+6.1f%%%s%s%s\n",
				md ? "-" : " ", p->fill->alloc, p->density, t, p->space_gain_pct,
				-p->tput_loss_pct, tput_verdict(p, b), p->pareto ? "  [Pareto]" : "",
				p->feasible ? "" : "  [over the p99 bound]");
		}
		if (g->best < 0) {
			fprintf(f, "%s no setting has store and load p99 within %" PRIu64 " ns\n",
				md ? "-" : " ", max_ns_p99);
			continue;
		}
		fprintf(f, "%s recommended for %s%s: %s\n", md ? "-" : " ", prefer_name[prefer],
			max_ns_p99 ? " within the p99 bound" : "", g->pt[g->best].fill->alloc);
		fprintf(f, "%s   (%s)\n", md ? "" : " ", sweep_goal_text(prefer));
		{
			const struct sweep_point *r = &g->pt[g->best];
			int k = 0;

			for (int i = 0; i < g->n; i++) {
				const struct sweep_point *p = &g->pt[i];
				bool same;

				if (p == r || !p->feasible)
					continue;
				if (prefer == PREFER_SPEED)
					same = nrep > 1 && !figure_differs(&p->tp.tput, &r->tp.tput);
				else
					same = figure_ties(p->density, r->density) &&
					       (nrep < 2 ||
						!figure_differs(&p->tp.tput, &r->tp.tput));
				if (!same)
					continue;
				fprintf(f, "%s%s",
					k++ ? ", "
					    : (md ? "- as good within the spread: "
						  : "  as good within the spread: "),
					p->fill->alloc);
			}
			if (k)
				fprintf(f, "%s\n",
					nrep < 2 ? " (equal density; 1 run: throughput "
						   "spread unknown)"
						 : "");
			else if (nrep < 2 && prefer != PREFER_DENSITY)
				fprintf(f,
					"%s 1 run: whether the others are slower beyond the "
					"run-to-run noise is unknown (use --repeat 3 or more)\n",
					md ? "-" : " ");
		}
	}
}

void sweep_json(struct jw *w, const struct sweep *sw, enum prefer prefer, uint64_t max_ns_p99)
{
	jw_key(w, "sweep");
	jw_obj(w);
	jw_key(w, "prefer");
	jw_str(w, prefer_name[prefer]);
	jw_key(w, "max_ns_p99");
	jw_u64(w, max_ns_p99);
	jw_key(w, "groups");
	jw_arr(w);
	for (int gi = 0; gi < sw->ng; gi++) {
		const struct sweep_group *g = &sw->g[gi];

		jw_obj(w);
		jw_key(w, "corpus");
		jw_str(w, g->corpus);
		jw_key(w, "codec");
		jw_str(w, g->codec);
		jw_key(w, "baseline");
		jw_str(w, g->pt[g->base].fill->alloc);
		jw_key(w, "recommended");
		if (g->best >= 0)
			jw_str(w, g->pt[g->best].fill->alloc);
		else
			jw_null(w);
		jw_key(w, "settings");
		jw_arr(w);
		for (int i = 0; i < g->n; i++) {
			const struct sweep_point *p = &g->pt[i];

			jw_obj(w);
			jw_key(w, "allocator");
			jw_str(w, p->fill->alloc);
			jw_key(w, "density");
			jw_fixed(w, p->density, 4);
			jw_key(w, "tput_mops");
			jw_fixed(w, p->tput, 3);
			jw_key(w, "space_gain_pct");
			jw_fixed(w, p->space_gain_pct, 2);
			jw_key(w, "tput_loss_pct");
			jw_fixed(w, p->tput_loss_pct, 2);
			jw_key(w, "pareto");
			jw_bool(w, p->pareto);
			jw_key(w, "feasible");
			jw_bool(w, p->feasible);
			jw_end(w);
		}
		jw_end(w);
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
}
