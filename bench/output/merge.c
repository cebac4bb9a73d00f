// SPDX-License-Identifier: GPL-2.0-only
/*
 * merge.c - see merge.h.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "output/merge.h"
#include "output/tradeoff.h"

static int note(struct merge *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int note(struct merge *m, const char *fmt, ...)
{
	char(*n)[512] = realloc(m->notes, (m->nnotes + 1) * sizeof(*n));
	va_list ap;

	if (!n)
		return -1;
	m->notes = n;
	va_start(ap, fmt);
	vsnprintf(m->notes[m->nnotes++], sizeof(m->notes[0]), fmt, ap);
	va_end(ap);
	return 0;
}

/* ---- sources and shards ------------------------------------------------------ */

static int add_source(struct merge *m, const struct provenance *p, const char *path)
{
	struct provenance *n = realloc(m->sources, (m->nsources + 1) * sizeof(*n));

	if (!n)
		return -1;
	m->sources = n;
	n[m->nsources] = *p;
	if (!n[m->nsources].source[0])
		snprintf(n[m->nsources].source, sizeof(n->source), "%s", path);
	m->nsources++;
	return 0;
}

/* Every folder merged, a merged folder's own sources in its place. */
static int collect_sources(struct merge *m, const struct results_doc *docs, int n)
{
	for (int i = 0; i < n; i++) {
		if (!docs[i].nsources && add_source(m, &docs[i].prov, docs[i].path))
			return -1;
		for (int k = 0; k < docs[i].nsources; k++)
			if (add_source(m, &docs[i].sources[k], docs[i].path))
				return -1;
	}
	return 0;
}

/*
 * Shards of one plan: each at most once; the missing ones noted.  True in
 * *one_plan if every folder is a shard of the same plan.
 */
static int check_shards(struct merge *m, bool *one_plan, char *err, size_t errlen)
{
	*one_plan = m->nsources > 0;
	for (int i = 0; i < m->nsources; i++) {
		const struct provenance *p = &m->sources[i];
		bool first = true;

		if (p->nshards < 2 || strcmp(p->plan, m->sources[0].plan)) {
			*one_plan = false;
		}
		if (p->nshards < 2)
			continue;
		for (int j = 0; j < i; j++) {
			const struct provenance *q = &m->sources[j];

			if (q->nshards > 1 && !strcmp(q->plan, p->plan)) {
				first = false;
				if (q->shard == p->shard) {
					snprintf(err, errlen,
						 "shard %d of %d of plan %s is given twice (%s "
						 "and %s)",
						 p->shard, p->nshards, p->plan, q->source,
						 p->source);
					return -1;
				}
			}
		}
		if (!first)
			continue;
		/* the first folder of this plan: which shards are there */
		for (int s = 0; s < p->nshards; s++) {
			bool found = false;

			for (int j = i; j < m->nsources && !found; j++)
				found = m->sources[j].nshards == p->nshards &&
					!strcmp(m->sources[j].plan, p->plan) &&
					m->sources[j].shard == s;
			if (!found && note(m,
					   "shard %d of %d of plan %s is missing: its cells are "
					   "not in this report",
					   s, p->nshards, p->plan))
				return -1;
		}
	}
	return 0;
}

static void sweep_settings(struct merge *m)
{
	bool first = true;

	m->sweep_agree = true;
	for (int i = 0; i < m->nsources; i++) {
		const struct provenance *p = &m->sources[i];

		if (!p->has_run || strcmp(p->kind, "sweep"))
			continue;
		m->sweep = true;
		if (first) {
			snprintf(m->prefer, sizeof(m->prefer), "%s", p->prefer);
			snprintf(m->baseline, sizeof(m->baseline), "%s", p->baseline);
			m->max_ns_p99 = p->max_ns_p99;
			first = false;
		} else if (strcmp(m->prefer, p->prefer) || strcmp(m->baseline, p->baseline) ||
			   m->max_ns_p99 != p->max_ns_p99) {
			m->sweep_agree = false;
		}
	}
}

/* ---- rows ---------------------------------------------------------------------- */

static int find_row(const struct run_results *res, const struct run_row *r)
{
	for (int i = 0; i < res->nrows; i++)
		if (res->rows[i].wl == r->wl && tradeoff_same_setting(&res->rows[i], r))
			return i;
	return -1;
}

static int copy_reps(struct run_row *dst, int at, const struct run_row *src)
{
	for (int k = 0; k < src->nrep; k++)
		if (raw_counts_copy(&dst->rep[at + k], &src->rep[k]))
			return -1;
	return 0;
}

static int add_row(struct run_results *res, const struct run_row *r)
{
	struct run_row *n = run_add_row(res, r->corpus, r->codec, r->alloc, r->wl, r->nrep);

	if (!n)
		return -1;
	memcpy(n->sha256, r->sha256, sizeof(n->sha256));
	memcpy(n->frontend, r->frontend, sizeof(n->frontend));
	n->objects = r->objects;
	n->page_size = r->page_size;
	n->cell = r->cell;
	return copy_reps(n, 0, r);
}

/* The repeats of @src after those of @dst. */
static int pool_row(struct run_row *dst, const struct run_row *src)
{
	struct raw_counts *n = realloc(dst->rep, (dst->nrep + src->nrep) * sizeof(*n));

	if (!n)
		return -1;
	dst->rep = n;
	memset(&n[dst->nrep], 0, src->nrep * sizeof(*n));
	if (copy_reps(dst, dst->nrep, src))
		return -1;
	dst->nrep += src->nrep;
	return 0;
}

static int merge_rows(struct merge *m, const struct results_doc *d)
{
	int pooled = 0;

	for (int i = 0; i < d->res.nrows; i++) {
		const struct run_row *r = &d->res.rows[i];
		int at = find_row(&m->res, r);

		if (at < 0) {
			if (add_row(&m->res, r))
				return -1;
		} else {
			if (pool_row(&m->res.rows[at], r))
				return -1;
			pooled++;
		}
	}
	if (pooled && note(m,
			   "%s: %d rows are settings (or the ideal bound) already merged from "
			   "another folder: their repeats are pooled with those",
			   d->path, pooled))
		return -1;
	return 0;
}

static int cmp_cell(const void *a, const void *b)
{
	const struct run_row *x = a, *y = b;

	if (x->cell != y->cell)
		return x->cell < y->cell ? -1 : 1;
	return (x->wl > y->wl) - (x->wl < y->wl);
}

/* ---- the rest --------------------------------------------------------------- */

static int merge_corpora(struct merge *m, const struct results_doc *d, char *err, size_t errlen)
{
	for (int i = 0; i < d->res.ncorpora; i++) {
		const struct run_corpus_info *c = &d->res.corpora[i];
		bool have = false;

		for (int j = 0; j < m->res.ncorpora; j++) {
			const struct run_corpus_info *o = &m->res.corpora[j];

			if (!strcmp(o->name, c->name) && strcmp(o->sha256, c->sha256)) {
				snprintf(err, errlen,
					 "%s: corpus '%s' (sha256 %.12s...) is another "
					 "corpus than the '%s' (sha256 %.12s...) of an earlier folder; "
					 "rows are keyed by the name: rename one",
					 d->path, c->name, c->sha256, o->name, o->sha256);
				return -1;
			}
			have |= !strcmp(o->sha256, c->sha256) && !strcmp(o->name, c->name);
		}
		if (have)
			continue;
		if (m->res.ncorpora == RUN_MAX_CORPORA) {
			snprintf(err, errlen, "more than %d corpora", RUN_MAX_CORPORA);
			return -1;
		}
		m->res.corpora[m->res.ncorpora++] = *c;
	}
	return 0;
}

static int merge_extras(struct merge *m, const struct results_doc *d)
{
	struct run_results *res = &m->res;

	for (int i = 0; i < d->res.nsizes; i++) {
		const struct run_sizes *s = &d->res.sizes[i];
		struct run_sizes *n;
		bool have = false;

		for (int j = 0; j < res->nsizes; j++)
			have |= !strcmp(res->sizes[j].corpus, s->corpus) &&
				!strcmp(res->sizes[j].codec, s->codec) &&
				res->sizes[j].page_size == s->page_size;
		if (have)
			continue;
		n = run_add_sizes(res);
		if (!n)
			return -1;
		*n = *s;
	}
	for (int i = 0; i < d->res.ncurves; i++) {
		const struct run_curve *c = &d->res.curves[i];
		struct curve *n;
		bool have = false;

		for (int j = 0; j < res->ncurves; j++)
			have |= !strcmp(res->curves[j].corpus, c->corpus) &&
				!strcmp(res->curves[j].codec, c->codec) &&
				!strcmp(res->curves[j].alloc, c->alloc);
		if (have)
			continue;
		n = run_add_curve(res, c->corpus, c->codec, c->alloc);
		if (!n)
			return -1;
		res->curves[res->ncurves - 1].page_size = c->page_size;
		if (c->c.n) {
			n->p = malloc(c->c.n * sizeof(*n->p));
			if (!n->p)
				return -1;
			memcpy(n->p, c->c.p, c->c.n * sizeof(*n->p));
			n->n = n->cap = c->c.n;
		}
	}
	/* an allocator's boundaries come from the first folder that has them */
	for (int i = 0, nb0 = res->nbounds; i < d->res.nbounds; i++) {
		const struct run_bound *b = &d->res.bounds[i];
		bool have = false;

		for (int j = 0; j < nb0 && !have; j++)
			have = !strcmp(res->bounds[j].alloc, b->alloc);
		if (!have && run_add_bound(res, b->alloc, b->kind, b->size))
			return -1;
		if (!have)
			res->bounds[res->nbounds - 1].page_size = b->page_size;
	}
	return 0;
}

int merge_docs(const struct results_doc *docs, int n, struct merge *m, char *err, size_t errlen)
{
	bool one_plan;

	memset(m, 0, sizeof(*m));
	if (collect_sources(m, docs, n))
		goto oom;
	if (check_shards(m, &one_plan, err, errlen))
		goto fail;
	sweep_settings(m);
	for (int i = 0; i < n; i++) {
		if (docs[i].medians_only) {
			snprintf(err, errlen,
				 "%s: a results.csv holds medians only; give the results "
				 "folder (its results.json holds every repeat)",
				 docs[i].path);
			goto fail;
		}
		if (merge_corpora(m, &docs[i], err, errlen))
			goto fail;
		if (merge_rows(m, &docs[i]) || merge_extras(m, &docs[i]))
			goto oom;
	}
	/* the shards of one run: back into the run's order */
	if (one_plan && n > 1)
		qsort(m->res.rows, m->res.nrows, sizeof(*m->res.rows), cmp_cell);
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	merge_free(m);
	return -1;
}

void merge_free(struct merge *m)
{
	run_results_free(&m->res);
	free(m->sources);
	free(m->notes);
	memset(m, 0, sizeof(*m));
}
