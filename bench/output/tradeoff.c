// SPDX-License-Identifier: GPL-2.0-only
/*
 * tradeoff.c - see tradeoff.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/tradeoff.h"

const char tradeoff_density_basis[] =
	"density = compressed bytes / (pool + metadata bytes), after churn when churn ran "
	"(compaction only acts on frees), else after fill";
const char tradeoff_tput_basis[] =
	"throughput = harmonic mean of the allocator-path Mop/s of store (during churn when "
	"churn ran, else the fill), load (when run) and free (during churn)";

bool tradeoff_same_pair(const struct run_row *a, const struct run_row *b)
{
	return !strcmp(a->corpus, b->corpus) && !strcmp(a->sha256, b->sha256) &&
	       !strcmp(a->codec, b->codec) && !strcmp(a->frontend, b->frontend) &&
	       a->objects == b->objects && run_row_page(a) == run_row_page(b);
}

bool tradeoff_same_setting(const struct run_row *a, const struct run_row *b)
{
	return tradeoff_same_pair(a, b) && !strcmp(a->alloc, b->alloc);
}

void pareto_mark(const double *x, const double *y, int n, bool *out)
{
	for (int i = 0; i < n; i++) {
		out[i] = !isnan(x[i]) && !isnan(y[i]);
		for (int j = 0; j < n && out[i]; j++) {
			if (j == i || isnan(x[j]) || isnan(y[j]))
				continue;
			if (x[j] >= x[i] && y[j] >= y[i] && (x[j] > x[i] || y[j] > y[i]))
				out[i] = false;
		}
	}
}

static const struct run_row *group_row(const struct run_results *res, const struct run_row *g,
				       enum workload_kind wl)
{
	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *r = &res->rows[i];

		if (r->wl == wl && tradeoff_same_setting(r, g))
			return r;
	}
	return NULL;
}

static double rep_density(const struct run_row *r, int rep, double *bytes)
{
	struct derived d;

	if (!r || rep >= r->nrep)
		return NAN;
	metrics_derive(&r->rep[rep], &d);
	if (bytes)
		*bytes = (double)r->rep[rep].pool_pages * metrics_page(&r->rep[rep]) +
			 r->rep[rep].metadata_bytes;
	return d.density;
}

/* Harmonic mean of the positive rates among @v[0..n). */
static double harmonic(const double *v, int n)
{
	double inv = 0;
	int k = 0;

	for (int i = 0; i < n; i++) {
		if (v[i] > 0) {
			inv += 1 / v[i];
			k++;
		}
	}
	return k ? k / inv : NAN;
}

static double rep_tput(const struct tradeoff_point *p, int rep)
{
	double rate[3];
	int n = 0;
	struct derived d;

	if (p->churn && rep < p->churn->nrep) {
		metrics_derive(&p->churn->rep[rep], &d);
		rate[n++] = d.store_mops;
		rate[n++] = d.free_mops;
	} else if (p->fill && rep < p->fill->nrep && p->fill->rep[rep].lat[LAT_STORE].n) {
		metrics_derive(&p->fill->rep[rep], &d);
		rate[n++] = d.store_mops;
	}
	if (p->load && rep < p->load->nrep) {
		metrics_derive(&p->load->rep[rep], &d);
		rate[n++] = d.load_mops;
	}
	return harmonic(rate, n);
}

void tradeoff_point_of(const struct run_results *res, const struct run_row *row,
		       struct tradeoff_point *p)
{
	int nrep = row->nrep;
	double *df = calloc(nrep + 1, sizeof(double)), *dc = calloc(nrep + 1, sizeof(double));
	double *t = calloc(nrep + 1, sizeof(double)), *b = calloc(nrep + 1, sizeof(double));
	const struct run_row *basis, *after_fill;

	memset(p, 0, sizeof(*p));
	p->fill = group_row(res, row, WL_FILL);
	p->load = group_row(res, row, WL_LOAD);
	p->churn = group_row(res, row, WL_CHURN);
	/* without a fill row (--workload load) the load row holds the pool after fill */
	after_fill = p->fill ? p->fill : p->load;
	basis = p->churn ? p->churn : after_fill ? after_fill : row;
	if (!df || !dc || !t || !b) {
		p->dens_fill = p->dens_churn = p->dens = p->tput = p->bytes =
			(struct figure){ NAN, NAN, NAN, NAN, 0 };
		goto out;
	}
	for (int r = 0; r < nrep; r++) {
		df[r] = rep_density(after_fill, r, NULL);
		dc[r] = rep_density(p->churn, r, NULL);
		rep_density(basis, r, &b[r]);
		t[r] = rep_tput(p, r);
	}
	p->dens_fill = figure_of(df, nrep);
	p->dens_churn = figure_of(dc, nrep);
	p->dens = p->churn ? p->dens_churn : p->dens_fill;
	if (!p->churn && !after_fill) {
		for (int r = 0; r < nrep; r++)
			df[r] = rep_density(row, r, NULL);
		p->dens = figure_of(df, nrep);
	}
	p->tput = figure_of(t, nrep);
	p->bytes = figure_of(b, nrep);
out:
	free(df);
	free(dc);
	free(t);
	free(b);
}

bool figure_differs(const struct figure *a, const struct figure *b)
{
	if (a->n < 2 || b->n < 2)
		return false;
	return a->max < b->min || b->max < a->min;
}

bool figure_ties(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

const char *figure_basis_n(int n, char *buf, size_t len)
{
	if (n > 1)
		snprintf(buf, len, "median of %d repeats", n);
	else
		snprintf(buf, len, "1 run");
	return buf;
}

const char *tradeoff_tput_label(const struct tradeoff_point *p, char *buf, size_t len)
{
	if (p->churn)
		snprintf(buf, len, "harmonic mean of churn store, churn free%s Mop/s",
			 p->load ? " and load" : "");
	else if (p->fill && p->load)
		snprintf(buf, len, "harmonic mean of fill store and load Mop/s");
	else if (p->fill)
		snprintf(buf, len, "fill store Mop/s only (no load run)");
	else if (p->load)
		snprintf(buf, len, "load Mop/s only");
	else
		snprintf(buf, len, "no timed operations");
	return buf;
}

double tradeoff_rep_density(const struct tradeoff_point *p, int rep)
{
	const struct run_row *basis = p->churn ? p->churn : p->fill ? p->fill : p->load;

	return rep_density(basis, rep, NULL);
}

double tradeoff_rep_tput(const struct tradeoff_point *p, int rep)
{
	return rep_tput(p, rep);
}
