// SPDX-License-Identifier: GPL-2.0-only
/*
 * compare.c - see compare.h.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "output/compare.h"
#include "output/stats.h"
#include "output/tradeoff.h"

const char *const cmp_verdict_name[] = {
	[CMP_SAME] = "same",
	[CMP_BETTER] = "better",
	[CMP_WORSE] = "worse",
	[CMP_NOISE] = "noise",
};

#define BOOTSTRAP 2000
#define MAX_REP 1000

/* ---- matching ------------------------------------------------------------- */

/*
 * One corpus: the same sha256 where both rows have one (a corpus renamed is
 * still the corpus), else the same name.  With @exact, the name and the
 * sha256 (or its absence) must both agree: a document may hold one corpus
 * under two names, or a row with the sha256 and one without.
 */
static bool same_corpus(const struct run_row *a, const struct run_row *b, bool exact)
{
	if (exact)
		return !strcmp(a->sha256, b->sha256) && !strcmp(a->corpus, b->corpus);
	if (a->sha256[0] && b->sha256[0])
		return !strcmp(a->sha256, b->sha256);
	return !strcmp(a->corpus, b->corpus);
}

static bool same_key(const struct run_row *a, const struct run_row *b, bool any_alloc, bool exact)
{
	return same_corpus(a, b, exact) && !strcmp(a->codec, b->codec) &&
	       (any_alloc || !strcmp(a->alloc, b->alloc)) && a->wl == b->wl &&
	       !strcmp(a->frontend, b->frontend) && a->objects == b->objects;
}

/* Is @r one of the rows compared (of the one setting on its side, if one is named)? */
static bool wanted(const struct cmp_opts *o, const struct run_row *r, bool base)
{
	const char *s = base ? o->alloc_base : o->alloc_new;

	return !s || !strcmp(r->alloc, s);
}

/* @r's counterpart in @res (whose rows are of side @base): the same corpus exactly first. */
static const struct run_row *find(const struct cmp_opts *o, const struct run_results *res,
				  const struct run_row *r, bool base)
{
	for (int exact = 1; exact >= 0; exact--)
		for (int i = 0; i < res->nrows; i++)
			if (wanted(o, &res->rows[i], base) &&
			    same_key(&res->rows[i], r, o->alloc_base, exact))
				return &res->rows[i];
	return NULL;
}

/* The first row of @r's setting in @res. */
static bool setting_head(const struct run_results *res, const struct run_row *r)
{
	for (const struct run_row *o = res->rows; o < r; o++)
		if (tradeoff_same_setting(o, r))
			return false;
	return true;
}

/* ---- figures per repeat ------------------------------------------------------ */

static double col(const struct run_row *r, const char *name, int rep)
{
	return results_rep_value(r, results_col_find(name), rep);
}

/* The row's operation rate in repeat @rep (compare.h: mops). */
static double rep_mops(const struct run_row *r, int rep)
{
	double s, f;

	switch (r->wl) {
	case WL_FILL:
		return col(r, "store_mops", rep);
	case WL_LOAD:
		return col(r, "load_mops", rep);
	case WL_CHURN:
		s = col(r, "store_mops", rep);
		f = col(r, "free_mops", rep);
		return s > 0 && f > 0 ? 2 / (1 / s + 1 / f) : NAN;
	default:
		return NAN;
	}
}

static double rep_p99(const struct run_row *r, int rep)
{
	return col(r, r->wl == WL_LOAD ? "load_ns_p99" : "store_ns_p99", rep);
}

/* ---- one line ------------------------------------------------------------- */

static double change_of(double a, double b)
{
	return a != 0 && !isnan(a) && !isnan(b) ? (b / a - 1) * 100 : NAN;
}

static void verdict(struct cmp_line *l, const struct cmp_opts *o)
{
	bool up = l->higher_better ? l->change > 0 : l->change < 0;

	if (isnan(l->change))
		l->verdict = l->base == l->new_ ? CMP_SAME : CMP_NOISE;
	else if (l->exact)
		l->verdict = l->change == 0 ? CMP_SAME : up ? CMP_BETTER : CMP_WORSE;
	else if (fabs(l->change) < o->min_effect)
		l->verdict = CMP_SAME;
	else if (!isnan(l->q) && l->q < o->alpha)
		l->verdict = up ? CMP_BETTER : CMP_WORSE;
	else
		l->verdict = CMP_NOISE;
}

static void gate(struct cmp_line *l, const struct cmp_opts *o)
{
	bool sig = l->exact || (!isnan(l->q) && l->q < o->alpha);

	if (!strcmp(l->figure, "density") && o->max_density_drop >= 0 && sig &&
	    -l->change > o->max_density_drop)
		l->gate_failed = true;
	if ((!strcmp(l->figure, "mops") || !strcmp(l->figure, "tput")) && o->max_tput_drop >= 0 &&
	    !l->exact && sig && -l->change > o->max_tput_drop)
		l->gate_failed = true;
}

/*
 * A line from the per-repeat values of both sides.  @exact_if_fixed: a
 * deterministic figure, compared exactly when each side's repeats agree.
 */
static int add_line(struct comparison *c, const struct run_row *a, const struct run_row *b,
		    const char *wl, const char *figure, bool higher, bool exact_if_fixed,
		    const double *x, int n1, const double *y, int n2)
{
	struct figure fa = figure_of(x, n1), fb = figure_of(y, n2);
	struct cmp_line *l, *n;

	if (fa.n == 0 && fb.n == 0)
		return 0; /* does not apply to this row */
	n = realloc(c->l, (c->n + 1) * sizeof(*n));
	if (!n)
		return -1;
	c->l = n;
	l = &c->l[c->n++];
	memset(l, 0, sizeof(*l));
	l->a = a;
	l->b = b;
	l->workload = wl;
	l->figure = figure;
	l->higher_better = higher;
	l->base = fa.med;
	l->new_ = fb.med;
	l->n1 = fa.n;
	l->n2 = fb.n;
	l->change = change_of(fa.med, fb.med);
	l->p = l->q = l->ci_lo = l->ci_hi = NAN;
	l->exact = exact_if_fixed && fa.min == fa.max && fb.min == fb.max;
	if (!l->exact && fa.n && fb.n && !c->medians_only) {
		double xs[MAX_REP], ys[MAX_REP], lo, hi;
		int k1 = 0, k2 = 0;
		struct mwu t;

		for (int i = 0; i < n1 && k1 < MAX_REP; i++)
			if (!isnan(x[i]))
				xs[k1++] = x[i];
		for (int i = 0; i < n2 && k2 < MAX_REP; i++)
			if (!isnan(y[i]))
				ys[k2++] = y[i];
		if (!mwu_test(xs, k1, ys, k2, &t))
			l->p = t.p;
		if (!bootstrap_ratio_ci(xs, k1, ys, k2, BOOTSTRAP, 0.95, 0x5eed, &lo, &hi)) {
			l->ci_lo = (lo - 1) * 100;
			l->ci_hi = (hi - 1) * 100;
		}
		if (k1 && k2)
			c->min_p = fmin(c->min_p, mwu_min_p(k1, k2));
	}
	return 0;
}

static int cmp_pline(const void *a, const void *b)
{
	double x = (*(struct cmp_line *const *)a)->p, y = (*(struct cmp_line *const *)b)->p;

	return (x > y) - (x < y);
}

/*
 * Benjamini-Hochberg over every tested line: q = min over the lines of p
 * at least as large of p * m / rank.  A comparison tests a hundred figures
 * or more; at alpha 0.05 raw p-values would call about 5 % of the
 * unchanged ones better or worse.  Then the verdicts and the gate.
 */
static int finish(struct comparison *c)
{
	struct cmp_line **t = malloc((c->n + 1) * sizeof(*t));
	int m = 0;

	if (!t)
		return -1;
	for (int i = 0; i < c->n; i++)
		if (!isnan(c->l[i].p))
			t[m++] = &c->l[i];
	qsort(t, m, sizeof(*t), cmp_pline);
	for (int k = m - 1; k >= 0; k--) {
		double q = fmin(1, t[k]->p * m / (k + 1));

		t[k]->q = k + 1 < m ? fmin(q, t[k + 1]->q) : q;
	}
	free(t);
	for (int i = 0; i < c->n; i++) {
		verdict(&c->l[i], &c->o);
		gate(&c->l[i], &c->o);
		c->gate_failures += c->l[i].gate_failed;
	}
	return 0;
}

/* The figures of one matched row. */
static int row_lines(struct comparison *c, const struct run_row *a, const struct run_row *b)
{
	double x[MAX_REP], y[MAX_REP];
	int n1 = a->nrep < MAX_REP ? a->nrep : MAX_REP, n2 = b->nrep < MAX_REP ? b->nrep : MAX_REP;
	const char *wl = workload_name[a->wl];

#define FILL(fn)                             \
	do {                                 \
		for (int i = 0; i < n1; i++) \
			x[i] = fn(a, i);     \
		for (int i = 0; i < n2; i++) \
			y[i] = fn(b, i);     \
	} while (0)
#define DENSITY(r, i) col(r, "density", i)
#define POOL(r, i) col(r, "pool_pages", i)
	FILL(DENSITY);
	if (add_line(c, a, b, wl, "density", true, true, x, n1, y, n2))
		return -1;
	FILL(POOL);
	if (add_line(c, a, b, wl, "pool_pages", false, true, x, n1, y, n2))
		return -1;
	FILL(rep_mops);
	if (add_line(c, a, b, wl, "mops", true, false, x, n1, y, n2))
		return -1;
	FILL(rep_p99);
	if (add_line(c, a, b, wl, "p99_ns", false, false, x, n1, y, n2))
		return -1;
#undef DENSITY
#undef POOL
#undef FILL
	return 0;
}

/* The trade-off figures of one matched setting. */
static int setting_lines(struct comparison *c, const struct results_doc *da, const struct run_row *a,
			 const struct results_doc *db, const struct run_row *b)
{
	struct tradeoff_point pa, pb;
	double x[MAX_REP], y[MAX_REP];
	int n1 = a->nrep < MAX_REP ? a->nrep : MAX_REP, n2 = b->nrep < MAX_REP ? b->nrep : MAX_REP;

	if (a->wl == WL_REPLAY || da->medians_only || db->medians_only)
		return 0;
	tradeoff_point_of(&da->res, a, &pa);
	tradeoff_point_of(&db->res, b, &pb);
	for (int i = 0; i < n1; i++)
		x[i] = tradeoff_rep_density(&pa, i);
	for (int i = 0; i < n2; i++)
		y[i] = tradeoff_rep_density(&pb, i);
	if (add_line(c, a, b, "setting", "density", true, true, x, n1, y, n2))
		return -1;
	for (int i = 0; i < n1; i++)
		x[i] = tradeoff_rep_tput(&pa, i);
	for (int i = 0; i < n2; i++)
		y[i] = tradeoff_rep_tput(&pb, i);
	return add_line(c, a, b, "setting", "tput", true, false, x, n1, y, n2);
}

/* ---- provenance ------------------------------------------------------------ */

/* The provenance that describes the measurements: a merged folder's first source. */
static const struct provenance *measured(const struct results_doc *d)
{
	return d->nsources ? &d->sources[0] : &d->prov;
}

static int prov_line(struct comparison *c, const char *what, const char *a, const char *b)
{
	char(*n)[640];

	if (!strcmp(a, b))
		return 0;
	n = realloc(c->prov, (c->nprov + 1) * sizeof(*n));
	if (!n)
		return -1;
	c->prov = n;
	snprintf(c->prov[c->nprov++], sizeof(c->prov[0]), "%s differs: '%.280s' vs '%.280s'", what,
		 a, b);
	return 0;
}

static int prov_diff(struct comparison *c, const struct results_doc *da,
		     const struct results_doc *db)
{
	const struct provenance *a = measured(da), *b = measured(db);
	char x[64], y[64];

	snprintf(x, sizeof(x), "%d", a->cores);
	snprintf(y, sizeof(y), "%d", b->cores);
	if (prov_line(c, "zpoolbench commit", a->git, b->git) ||
	    prov_line(c, "compiler", a->compiler, b->compiler) ||
	    prov_line(c, "cpu", a->cpu, b->cpu) || prov_line(c, "cores", x, y) ||
	    prov_line(c, "kernel", a->kernel, b->kernel) ||
	    prov_line(c, "codec versions", a->codecs, b->codecs) ||
	    prov_line(c, "host", a->host, b->host))
		return -1;
	/* other work on the machine moves time figures: a load average apart by half a CPU or more */
	if (!isnan(a->load_start[0]) && !isnan(b->load_start[0]) &&
	    (fabs(a->load_start[0] - b->load_start[0]) >= 0.5 ||
	     fabs(a->load_end[0] - b->load_end[0]) >= 0.5)) {
		char la[64], lb[64];

		snprintf(la, sizeof(la), "%.2f..%.2f", a->load_start[0], a->load_end[0]);
		snprintf(lb, sizeof(lb), "%.2f..%.2f", b->load_start[0], b->load_end[0]);
		if (prov_line(c, "load average (1 min, start..end; time figures follow it)", la, lb))
			return -1;
	}
	if (!a->has_run || !b->has_run)
		return 0;
	snprintf(x, sizeof(x), "%d", a->threads);
	snprintf(y, sizeof(y), "%d", b->threads);
	if (prov_line(c, "threads", x, y))
		return -1;
	snprintf(x, sizeof(x), "%u rounds of %u%%", a->churn_rounds, a->churn_percent);
	snprintf(y, sizeof(y), "%u rounds of %u%%", b->churn_rounds, b->churn_percent);
	if (a->compact_every || b->compact_every) {
		snprintf(x + strlen(x), sizeof(x) - strlen(x), ", compacted every %u",
			 a->compact_every);
		snprintf(y + strlen(y), sizeof(y) - strlen(y), ", compacted every %u",
			 b->compact_every);
	}
	if (prov_line(c, "churn", x, y))
		return -1;
	snprintf(x, sizeof(x), "%" PRIu64, a->seed);
	snprintf(y, sizeof(y), "%" PRIu64, b->seed);
	return prov_line(c, "seed", x, y);
}

/* ---- the comparison ----------------------------------------------------------- */

static int only(const struct run_row ***list, int *n, const struct run_row *r)
{
	const struct run_row **l = realloc(*list, (*n + 1) * sizeof(*l));

	if (!l)
		return -1;
	*list = l;
	l[(*n)++] = r;
	return 0;
}

int compare_docs(const struct results_doc *base, const struct results_doc *new_,
		 const struct cmp_opts *o, struct comparison *c)
{
	memset(c, 0, sizeof(*c));
	c->o = *o;
	c->min_p = 1;
	c->medians_only = base->medians_only || new_->medians_only;
	if (prov_diff(c, base, new_))
		return -1;
	for (int i = 0; i < base->res.nrows; i++) {
		const struct run_row *a = &base->res.rows[i], *b;

		if (!wanted(o, a, true))
			continue;
		b = find(o, &new_->res, a, false);
		if (!b) {
			if (only(&c->only_base, &c->nonly_base, a))
				return -1;
			continue;
		}
		if (setting_head(&base->res, a) && setting_lines(c, base, a, new_, b))
			return -1;
		if (row_lines(c, a, b))
			return -1;
	}
	for (int i = 0; i < new_->res.nrows; i++)
		if (wanted(o, &new_->res.rows[i], false) &&
		    !find(o, &base->res, &new_->res.rows[i], true) &&
		    only(&c->only_new, &c->nonly_new, &new_->res.rows[i]))
			return -1;
	return finish(c);
}

void compare_free(struct comparison *c)
{
	free(c->l);
	free(c->only_base);
	free(c->only_new);
	free(c->prov);
	memset(c, 0, sizeof(*c));
}

/* ---- output ------------------------------------------------------------------ */

/* "0.8612", "3105", "2.810": the figure's precision. */
static void num(char *buf, size_t len, const char *figure, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (!strcmp(figure, "density"))
		snprintf(buf, len, "%.4f", v);
	else if (!strcmp(figure, "mops") || !strcmp(figure, "tput"))
		snprintf(buf, len, "%.3f", v);
	else
		snprintf(buf, len, "%.0f", v);
}

static void pct(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%+.1f%%", v);
}

static void key_text(char *buf, size_t len, const struct run_row *r)
{
	snprintf(buf, len, "%s %s %s", r->corpus, r->codec, r->alloc);
}

/* "corpus codec a" or, for two settings, "corpus codec a -> b" */
static void pair_text(char *buf, size_t len, const struct cmp_line *l)
{
	if (!strcmp(l->a->alloc, l->b->alloc))
		key_text(buf, len, l->a);
	else
		snprintf(buf, len, "%.200s %.31s %.120s -> %.120s", l->a->corpus, l->a->codec,
			 l->a->alloc, l->b->alloc);
}

static void counts(FILE *f, const struct comparison *c)
{
	static const char *const figs[] = { "density", "pool_pages", "mops", "p99_ns", "tput" };

	for (size_t k = 0; k < sizeof(figs) / sizeof(figs[0]); k++) {
		int v[4] = { 0 }, n = 0;

		for (int i = 0; i < c->n; i++)
			if (!strcmp(c->l[i].figure, figs[k])) {
				v[c->l[i].verdict]++;
				n++;
			}
		if (!n)
			continue;
		fprintf(f, "  %-11s %3d compared: %d same, %d better, %d worse, %d noise\n",
			figs[k], n, v[CMP_SAME], v[CMP_BETTER], v[CMP_WORSE], v[CMP_NOISE]);
	}
}

static int tested(const struct comparison *c)
{
	int m = 0;

	for (int i = 0; i < c->n; i++)
		m += !isnan(c->l[i].p);
	return m;
}

void compare_table(FILE *f, const struct comparison *c, const char *base, const char *new_)
{
	char key[600], ka[32], kb[32], ch[32], ci[64], p[32], q[32];
	int kw = 20, nrow = 0;

	for (int i = 0; i < c->nprov; i++)
		fprintf(f, "warning: provenance: %s\n", c->prov[i]);
	for (int i = 0; i < c->n; i++) {
		pair_text(key, sizeof(key), &c->l[i]);
		kw = (int)strlen(key) > kw ? ((int)strlen(key) < 70 ? (int)strlen(key) : 70) : kw;
		nrow += strcmp(c->l[i].workload, "setting") && !strcmp(c->l[i].figure, "density");
	}
	fprintf(f,
		"compare %s (BASE) with %s (NEW): %d rows matched, %d only in BASE, %d only "
		"in NEW\n",
		base, new_, nrow, c->nonly_base, c->nonly_new);
	fprintf(f,
		"alpha %.3g, minimum effect %.1f%%; change = NEW / BASE - 1 of the medians; "
		"interval: bootstrap 95%%;\np: Mann-Whitney U over the repeats; q: p adjusted "
		"over the %d tested lines (Benjamini-Hochberg), which the verdict uses\n\n",
		c->o.alpha, c->o.min_effect, tested(c));
	fprintf(f, "%-*s %-8s %-10s %10s %10s %8s %-17s %6s %6s  %s\n", kw, "corpus codec allocator",
		"workload", "figure", "base", "new", "change", "interval", "p", "q", "verdict");
	for (int i = 0; i < c->n; i++) {
		const struct cmp_line *l = &c->l[i];

		pair_text(key, sizeof(key), l);
		num(ka, sizeof(ka), l->figure, l->base);
		num(kb, sizeof(kb), l->figure, l->new_);
		pct(ch, sizeof(ch), l->change);
		if (isnan(l->ci_lo))
			snprintf(ci, sizeof(ci), "%s", "");
		else
			snprintf(ci, sizeof(ci), "%+.1f..%+.1f%%", l->ci_lo, l->ci_hi);
		if (l->exact) {
			snprintf(p, sizeof(p), "exact");
			snprintf(q, sizeof(q), "exact");
		} else if (isnan(l->p)) {
			snprintf(p, sizeof(p), "-");
			snprintf(q, sizeof(q), "-");
		} else {
			snprintf(p, sizeof(p), "%.3f", l->p);
			snprintf(q, sizeof(q), "%.3f", l->q);
		}
		fprintf(f, "%-*.*s %-8s %-10s %10s %10s %8s %-17s %6s %6s  %s%s\n", kw, kw, key,
			l->workload, l->figure, ka, kb, ch, ci, p, q, cmp_verdict_name[l->verdict],
			l->gate_failed ? "  GATE" : "");
	}
	for (int i = 0; i < c->nonly_base; i++) {
		key_text(key, sizeof(key), c->only_base[i]);
		fprintf(f, "only in BASE: %s %s (front end %s, %" PRIu64 " objects)\n", key,
			workload_name[c->only_base[i]->wl], c->only_base[i]->frontend,
			c->only_base[i]->objects);
	}
	for (int i = 0; i < c->nonly_new; i++) {
		key_text(key, sizeof(key), c->only_new[i]);
		fprintf(f, "only in NEW:  %s %s (front end %s, %" PRIu64 " objects)\n", key,
			workload_name[c->only_new[i]->wl], c->only_new[i]->frontend,
			c->only_new[i]->objects);
	}
	fprintf(f, "\nverdicts:\n");
	counts(f, c);
	if (c->medians_only)
		fprintf(f, "note: a side is a results.csv (medians only): time figures are not "
			   "tested (give the results folders or their results.json)\n");
	else if (c->min_p >= c->o.alpha && c->n)
		fprintf(f,
			"note: with these repeat counts the smallest possible p is %.3f, not "
			"below alpha %.3g: no time difference can be called significant; use "
			"--repeat 5 or more on both sides\n",
			c->min_p, c->o.alpha);
	else if (tested(c) && c->min_p * tested(c) >= c->o.alpha)
		fprintf(f,
			"note: the smallest possible p, %.4f, times the %d tested lines is %.2f: a "
			"change of a few figures alone cannot be significant, only one most figures "
			"share; for more, use more repeats or pool runs made in turn (report)\n",
			c->min_p, tested(c), c->min_p * tested(c));
}

static void csv_line(FILE *f, const struct cmp_line *l)
{
	char label[ZPOOL_SPEC_MAX];

	csv_field(f, l->a->corpus);
	fputc(',', f);
	csv_field(f, l->a->codec);
	fputc(',', f);
	csv_field(f, l->a->alloc);
	fprintf(f, ",%s,", l->workload);
	csv_field(f, l->a->frontend);
	fprintf(f, ",%" PRIu64 ",%s,%d,", l->a->objects, l->figure, l->exact);
	csv_num(f, l->base, 6);
	fputc(',', f);
	csv_num(f, l->new_, 6);
	fputc(',', f);
	csv_num(f, l->change, 3);
	fputc(',', f);
	csv_num(f, l->ci_lo, 3);
	fputc(',', f);
	csv_num(f, l->ci_hi, 3);
	fputc(',', f);
	csv_num(f, l->p, 6);
	fputc(',', f);
	csv_num(f, l->q, 6);
	fprintf(f, ",%d,%d,%s,%d,", l->n1, l->n2, cmp_verdict_name[l->verdict], l->gate_failed);
	results_label(l->a->alloc, label, sizeof(label));
	csv_field(f, label);
	fputc(',', f);
	csv_field(f, l->b->alloc);
	fputc('\n', f);
}

void compare_csv(FILE *f, const struct comparison *c)
{
	for (int i = 0; i < c->nprov; i++)
		csv_comment(f, "warning: provenance: %s", c->prov[i]);
	fputs("corpus,codec,allocator,workload,frontend,objects,figure,exact,base,new,change_pct,"
	      "ci_lo_pct,ci_hi_pct,p_value,q_value,n_base,n_new,verdict,gate_failed,label,"
	      "new_allocator\n",
	      f);
	for (int i = 0; i < c->n; i++)
		csv_line(f, &c->l[i]);
}

/* The setting-level lines of one setting: its density and throughput. */
static const struct cmp_line *setting_fig(const struct comparison *c, int i, const char *fig)
{
	for (int j = i; j < c->n && c->l[j].a == c->l[i].a; j++)
		if (!strcmp(c->l[j].workload, "setting") && !strcmp(c->l[j].figure, fig))
			return &c->l[j];
	return NULL;
}

void compare_settings_csv(FILE *f, const struct comparison *c)
{
	char label[ZPOOL_SPEC_MAX];

	fputs("# one row per allocator setting in both: the change of its density and of its "
	      "throughput\n# on the trade-off basis (tradeoff.h), with the bootstrap 95% "
	      "interval of the throughput change\n",
	      f);
	fputs("corpus,codec,allocator,label,density_base,density_new,density_change_pct,"
	      "density_verdict,tput_base,tput_new,tput_change_pct,tput_ci_lo_pct,tput_ci_hi_pct,"
	      "tput_q_value,tput_verdict\n",
	      f);
	for (int i = 0; i < c->n; i++) {
		const struct cmp_line *d = setting_fig(c, i, "density"),
				      *t = setting_fig(c, i, "tput");

		if (&c->l[i] != d || !t)
			continue;
		csv_field(f, d->a->corpus);
		fputc(',', f);
		csv_field(f, d->a->codec);
		fputc(',', f);
		csv_field(f, d->a->alloc);
		fputc(',', f);
		if (strcmp(d->a->alloc, d->b->alloc)) {
			char a[ZPOOL_SPEC_MAX], b[ZPOOL_SPEC_MAX];

			results_label(d->a->alloc, a, sizeof(a));
			results_label(d->b->alloc, b, sizeof(b));
			snprintf(label, sizeof(label), "%.120s->%.120s", a, b);
		} else {
			results_label(d->a->alloc, label, sizeof(label));
		}
		csv_field(f, label);
		fputc(',', f);
		csv_num(f, d->base, 6);
		fputc(',', f);
		csv_num(f, d->new_, 6);
		fputc(',', f);
		csv_num(f, d->change, 3);
		fprintf(f, ",%s,", cmp_verdict_name[d->verdict]);
		csv_num(f, t->base, 6);
		fputc(',', f);
		csv_num(f, t->new_, 6);
		fputc(',', f);
		csv_num(f, t->change, 3);
		fputc(',', f);
		csv_num(f, t->ci_lo, 3);
		fputc(',', f);
		csv_num(f, t->ci_hi, 3);
		fputc(',', f);
		csv_num(f, t->q, 6);
		fprintf(f, ",%s\n", cmp_verdict_name[t->verdict]);
	}
}

void compare_json(FILE *f, const struct comparison *c, const char *base, const char *new_)
{
	struct jw w;

	jw_init(&w, f, true);
	jw_obj(&w);
	jw_key(&w, "format");
	jw_str(&w, "zpoolbench-compare");
	jw_key(&w, "format_version");
	jw_u64(&w, 1);
	jw_key(&w, "base");
	jw_str(&w, base);
	jw_key(&w, "new");
	jw_str(&w, new_);
	jw_key(&w, "alpha");
	jw_double(&w, c->o.alpha);
	jw_key(&w, "min_effect_pct");
	jw_double(&w, c->o.min_effect);
	jw_key(&w, "provenance_differences");
	jw_arr(&w);
	for (int i = 0; i < c->nprov; i++)
		jw_str(&w, c->prov[i]);
	jw_end(&w);
	jw_key(&w, "lines");
	jw_arr(&w);
	for (int i = 0; i < c->n; i++) {
		const struct cmp_line *l = &c->l[i];

		jw_obj(&w);
		results_json_rowkey(&w, l->a, l->workload);
		jw_key(&w, "new_allocator");
		jw_str(&w, l->b->alloc);
		jw_key(&w, "figure");
		jw_str(&w, l->figure);
		jw_key(&w, "exact");
		jw_bool(&w, l->exact);
		jw_key(&w, "base");
		jw_double(&w, l->base);
		jw_key(&w, "new");
		jw_double(&w, l->new_);
		jw_key(&w, "change_pct");
		jw_double(&w, l->change);
		jw_key(&w, "ci_lo_pct");
		jw_double(&w, l->ci_lo);
		jw_key(&w, "ci_hi_pct");
		jw_double(&w, l->ci_hi);
		jw_key(&w, "p_value");
		jw_double(&w, l->p);
		jw_key(&w, "q_value");
		jw_double(&w, l->q);
		jw_key(&w, "n_base");
		jw_u64(&w, (uint64_t)l->n1);
		jw_key(&w, "n_new");
		jw_u64(&w, (uint64_t)l->n2);
		jw_key(&w, "verdict");
		jw_str(&w, cmp_verdict_name[l->verdict]);
		jw_key(&w, "gate_failed");
		jw_bool(&w, l->gate_failed);
		jw_end(&w);
	}
	jw_end(&w);
	jw_key(&w, "only_base");
	jw_arr(&w);
	for (int i = 0; i < c->nonly_base; i++) {
		jw_obj(&w);
		results_json_rowkey(&w, c->only_base[i], workload_name[c->only_base[i]->wl]);
		jw_end(&w);
	}
	jw_end(&w);
	jw_key(&w, "only_new");
	jw_arr(&w);
	for (int i = 0; i < c->nonly_new; i++) {
		jw_obj(&w);
		results_json_rowkey(&w, c->only_new[i], workload_name[c->only_new[i]->wl]);
		jw_end(&w);
	}
	jw_end(&w);
	jw_key(&w, "gate_failures");
	jw_u64(&w, (uint64_t)c->gate_failures);
	jw_end(&w);
	jw_finish(&w);
}
