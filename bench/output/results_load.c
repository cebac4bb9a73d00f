// SPDX-License-Identifier: GPL-2.0-only
/*
 * results_load.c - reading a results folder back (results.h): results.json
 * with jansson, every repeat's raw counts and latency histograms restored
 * so that every figure is recomputed exactly as the run computed it; or a
 * results.csv, which holds medians only.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus/corpus.h"
#include "output/results.h"
#include "util.h"

/* Where the reader is, for messages: "FILE: rows[3].repeats[1]: ..." */
struct ctx {
	const char *path;
	char *err;
	size_t errlen;
	char where[128];
};

static int bad(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct ctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* what the file holds, quoted, stays on one line */
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	snprintf(c->err, c->errlen, "%s: %s%s%s", c->path, c->where, c->where[0] ? ": " : "", msg);
	return -1;
}

static int get_str(struct ctx *c, const json_t *o, const char *key, char *out, size_t len, bool need)
{
	const json_t *v = json_object_get(o, key);

	if (!v && !need) {
		out[0] = '\0';
		return 0;
	}
	if (!json_is_string(v))
		return bad(c, "'%s' is missing or not a string", key);
	if (json_string_length(v) >= len)
		return bad(c, "'%s' is longer than %zu bytes", key, len - 1);
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

static int get_u64(struct ctx *c, const json_t *o, const char *key, uint64_t *out, bool need)
{
	const json_t *v = json_object_get(o, key);

	if (!v && !need) {
		*out = 0;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return bad(c, "'%s' is missing or not a whole number >= 0", key);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int get_int(struct ctx *c, const json_t *o, const char *key, int *out, int max)
{
	uint64_t v = 0;

	if (get_u64(c, o, key, &v, false))
		return -1;
	if (v > (uint64_t)max)
		return bad(c, "'%s' is larger than %d", key, max);
	*out = (int)v;
	return 0;
}

static void get_load(const json_t *o, const char *key, double *load)
{
	const json_t *a = json_object_get(o, key);

	for (int i = 0; i < PROV_NLOAD; i++) {
		const json_t *v = json_array_get(a, i);

		load[i] = json_is_number(v) ? json_number_value(v) : NAN;
	}
}

static double num(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : 0;
}

/* The timer (timer.h); older folders have only timer_ns, a pair of clock reads. */
static void read_timer(struct ctx *c, const json_t *o, struct provenance *p)
{
	const json_t *t = json_object_get(o, "timer");

	if (json_is_object(t)) {
		get_str(c, t, "source", p->timer_source, sizeof(p->timer_source), false);
		get_str(c, t, "description", p->timer, sizeof(p->timer), false);
		p->timer_ghz = num(t, "ghz");
		p->timer_resolution_ns = num(t, "resolution_ns");
		p->timer_overhead_ns = num(t, "overhead_ns");
	} else if (num(o, "timer_ns") > 0) {
		p->timer_overhead_ns = num(o, "timer_ns");
		snprintf(p->timer_source, sizeof(p->timer_source), "CLOCK_MONOTONIC");
		snprintf(p->timer, sizeof(p->timer),
			 "CLOCK_MONOTONIC; a pair of reads took %.0f ns, "
			 "not subtracted (a folder of an older zpoolbench)",
			 p->timer_overhead_ns);
	}
}

static int read_prov(struct ctx *c, const json_t *o, struct provenance *p)
{
	const json_t *sh = json_object_get(o, "shard");
	uint64_t u;

	memset(p, 0, sizeof(*p));
	if (!json_is_object(o))
		return bad(c, "the provenance is not an object");
	if (get_str(c, o, "source", p->source, sizeof(p->source), false) ||
	    get_str(c, o, "zpoolbench", p->version, sizeof(p->version), true) ||
	    get_str(c, o, "git", p->git, sizeof(p->git), true) ||
	    get_str(c, o, "compiler", p->compiler, sizeof(p->compiler), false) ||
	    get_str(c, o, "cpu", p->cpu, sizeof(p->cpu), false) ||
	    get_int(c, o, "cores", &p->cores, 1 << 20) ||
	    get_str(c, o, "kernel", p->kernel, sizeof(p->kernel), false) ||
	    get_str(c, o, "codecs", p->codecs, sizeof(p->codecs), false) ||
	    get_str(c, o, "host", p->host, sizeof(p->host), false) ||
	    get_str(c, o, "date", p->date, sizeof(p->date), false) ||
	    get_str(c, o, "command", p->command, sizeof(p->command), false))
		return -1;
	get_load(o, "load_start", p->load_start);
	get_load(o, "load_end", p->load_end);
	read_timer(c, o, p);
	if (!json_object_get(o, "kind"))
		return 0;
	p->has_run = true;
	if (get_str(c, o, "kind", p->kind, sizeof(p->kind), true) ||
	    get_str(c, o, "frontend", p->frontend, sizeof(p->frontend), false) ||
	    get_int(c, o, "threads", &p->threads, 1 << 20) ||
	    get_int(c, o, "repeat", &p->repeat, 1 << 20) ||
	    get_u64(c, o, "seed", &p->seed, false) || get_u64(c, o, "objects", &p->objects, false) ||
	    get_str(c, o, "plan", p->plan, sizeof(p->plan), false) ||
	    get_int(c, o, "cells", &p->cells, 1 << 30) ||
	    get_str(c, o, "prefer", p->prefer, sizeof(p->prefer), false) ||
	    get_u64(c, o, "max_ns_p99", &p->max_ns_p99, false) ||
	    get_str(c, o, "baseline", p->baseline, sizeof(p->baseline), false))
		return -1;
	if (get_u64(c, o, "churn_rounds", &u, false))
		return -1;
	p->churn_rounds = (unsigned int)u;
	if (get_u64(c, o, "churn_percent", &u, false))
		return -1;
	p->churn_percent = (unsigned int)u;
	if (get_u64(c, o, "compact_every", &u, false))
		return -1;
	p->compact_every = (unsigned int)u;
	if (sh && (get_int(c, sh, "index", &p->shard, 1 << 20) ||
		   get_int(c, sh, "count", &p->nshards, 1 << 20)))
		return -1;
	if (p->nshards && p->shard >= p->nshards)
		return bad(c, "shard %d of %d is out of range", p->shard, p->nshards);
	return 0;
}

/* An array of whole numbers, @n of them, into @out (allocated). */
static int u64_array(struct ctx *c, const json_t *a, const char *key, size_t n, uint64_t **out)
{
	const json_t *v = json_object_get(a, key);

	*out = NULL;
	if (!json_is_array(v) || json_array_size(v) != n)
		return bad(c, "'%s' is not an array of %zu numbers", key, n);
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out)
		return bad(c, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const json_t *x = json_array_get(v, i);

		if (!json_is_integer(x) || json_integer_value(x) < 0) {
			free(*out);
			*out = NULL;
			return bad(c, "'%s'[%zu] is not a whole number >= 0", key, i);
		}
		(*out)[i] = (uint64_t)json_integer_value(x);
	}
	return 0;
}

static int read_hist(struct ctx *c, const json_t *o, struct lat_hist *h)
{
	const json_t *b = json_object_get(o, "bucket");
	uint64_t *idx = NULL, *cnt = NULL, *sum = NULL, n, total = 0;
	size_t nb = json_array_size(b);
	char why[256];
	int ret = -1;

	if (!json_is_object(o) || !json_is_array(b) || nb > LAT_NBUCKETS)
		return bad(c, "a latency histogram needs 'bucket', 'count' and 'sum' arrays");
	if (get_u64(c, o, "n", &n, true) || u64_array(c, o, "bucket", nb, &idx) ||
	    u64_array(c, o, "count", nb, &cnt) || u64_array(c, o, "sum", nb, &sum))
		goto out;
	for (size_t k = 0; k < nb; k++)
		total += cnt[k];
	if (total != n) {
		bad(c, "the bucket counts add up to %llu, not n = %llu", (unsigned long long)total,
		    (unsigned long long)n);
		goto out;
	}
	if (lat_hist_set(h, (uint32_t)nb, idx, cnt, sum, why, sizeof(why))) {
		bad(c, "%s", why);
		goto out;
	}
	ret = 0;
out:
	free(idx);
	free(cnt);
	free(sum);
	return ret;
}

/* A row's or a repeat's page_size: 0 (not given) or one a pool can have. */
static int check_page(struct ctx *c, uint64_t page)
{
	if (page && !corpus_page_size_valid(page))
		return bad(c, "page_size %llu is not 4096, 16384 or 65536",
			   (unsigned long long)page);
	return 0;
}

static int read_repeat(struct ctx *c, const json_t *o, struct raw_counts *r)
{
	const json_t *lat = json_object_get(o, "latency_ns");

	if (!json_is_object(o))
		return bad(c, "a repeat is not an object");
	/* a counter added after the document was written reads as 0 */
	for (int i = 0; i < raw_ncounters; i++)
		if (get_u64(c, o, raw_counter_name[i], raw_counter_ptr(r, i), false))
			return -1;
	/* the row's page size when the row does not give one (run_row_page()) */
	if (check_page(c, r->page_size))
		return -1;
	if (lat && !json_is_object(lat))
		return bad(c, "'latency_ns' is not an object");
	for (int k = 0; k < LAT_NKINDS; k++) {
		const json_t *h = json_object_get(lat, lat_kind_name[k]);

		if (h && read_hist(c, h, &r->hist[k]))
			return -1;
		lat_hist_pct(&r->hist[k], &r->lat[k]);
	}
	return 0;
}

static int workload_of(const char *name)
{
	for (int w = 0; w < WL_NKINDS; w++)
		if (!strcmp(workload_name[w], name))
			return w;
	return -1;
}

static int read_row(struct ctx *c, const json_t *o, struct run_results *res, int i)
{
	char corpus[256], codec[32], alloc[ZPOOL_SPEC_MAX], wl[16];
	const json_t *reps = json_object_get(o, "repeats");
	struct run_row *r;
	uint64_t cell, page;
	int w;

	snprintf(c->where, sizeof(c->where), "rows[%d]", i);
	if (!json_is_object(o))
		return bad(c, "not an object");
	if (get_str(c, o, "corpus", corpus, sizeof(corpus), true) ||
	    get_str(c, o, "codec", codec, sizeof(codec), true) ||
	    get_str(c, o, "allocator", alloc, sizeof(alloc), true) ||
	    get_str(c, o, "workload", wl, sizeof(wl), true))
		return -1;
	w = workload_of(wl);
	if (w < 0)
		return bad(c, "unknown workload '%.40s'", wl);
	if (!json_is_array(reps) || !json_array_size(reps) || json_array_size(reps) > 100000)
		return bad(c, "'repeats' is not a non-empty array");
	r = run_add_row(res, corpus, codec, alloc, w, (int)json_array_size(reps));
	if (!r)
		return bad(c, "out of memory");
	if (get_str(c, o, "corpus_sha256", r->sha256, sizeof(r->sha256), false) ||
	    get_str(c, o, "frontend", r->frontend, sizeof(r->frontend), false) ||
	    get_u64(c, o, "objects", &r->objects, false) || get_u64(c, o, "cell", &cell, false) ||
	    get_u64(c, o, "page_size", &page, false))
		return -1;
	if (check_page(c, page))
		return -1;
	r->page_size = (uint32_t)page;
	r->cell = cell > 1u << 30 ? 1 << 30 : (int)cell;
	for (int k = 0; k < r->nrep; k++) {
		snprintf(c->where, sizeof(c->where), "rows[%d].repeats[%d]", i, k);
		if (read_repeat(c, json_array_get(reps, k), &r->rep[k]))
			return -1;
	}
	return 0;
}

static const char *bound_kind(const char *s)
{
	static const char *const kinds[] = { "class", "huge", "max" };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i], s))
			return kinds[i];
	return NULL;
}

static int read_extras(struct ctx *c, const json_t *root, struct run_results *res)
{
	const json_t *a, *o;
	size_t i;

	snprintf(c->where, sizeof(c->where), "sizes");
	json_array_foreach(json_object_get(root, "sizes"), i, o)
	{
		struct run_sizes *s = run_add_sizes(res);
		const json_t *cnt = json_object_get(o, "count");
		uint64_t b, page;

		if (!s)
			return bad(c, "out of memory");
		if (get_str(c, o, "corpus", s->corpus, sizeof(s->corpus), true) ||
		    get_str(c, o, "codec", s->codec, sizeof(s->codec), true) ||
		    get_u64(c, o, "pages", &s->pages, false) ||
		    get_u64(c, o, "same_filled", &s->same, false) ||
		    get_u64(c, o, "compressed_bytes", &s->compressed_bytes, false) ||
		    get_u64(c, o, "compress_ns", &s->compress_ns, false) ||
		    get_str(c, o, "cache_path", s->cache_path, sizeof(s->cache_path), false) ||
		    get_u64(c, o, "page_size", &page, false))
			return -1;
		if (!page)
			page = 4096; /* results from before page sizes */
		s->cached = json_is_true(json_object_get(o, "cached"));
		if (!corpus_page_size_valid(page) || get_u64(c, o, "bucket_bytes", &b, true) ||
		    b != page / SIZE_BUCKETS_PER_PAGE || json_array_size(cnt) != SIZE_NBUCKETS)
			return bad(c,
				   "a size histogram needs %d buckets of a 128th of a page of "
				   "4096, 16384 or 65536 bytes",
				   SIZE_NBUCKETS);
		s->page_size = (uint32_t)page;
		s->bucket = (uint32_t)b;
		for (int k = 0; k < SIZE_NBUCKETS; k++)
			s->count[k] = (uint64_t)json_integer_value(json_array_get(cnt, k));
	}
	snprintf(c->where, sizeof(c->where), "bounds");
	json_array_foreach(json_object_get(root, "bounds"), i, o)
	{
		char alloc[ZPOOL_SPEC_MAX], kind[16];
		const char *k;
		uint64_t size, page;

		if (get_str(c, o, "allocator", alloc, sizeof(alloc), true) ||
		    get_str(c, o, "kind", kind, sizeof(kind), true) ||
		    get_u64(c, o, "size", &size, true) || get_u64(c, o, "page_size", &page, false))
			return -1;
		k = bound_kind(kind);
		if (!k || size > UINT32_MAX || page > UINT32_MAX)
			return bad(c, "unknown kind '%.40s' or size", kind);
		if (run_add_bound(res, alloc, k, (uint32_t)size))
			return bad(c, "out of memory");
		res->bounds[res->nbounds - 1].page_size = (uint32_t)page;
	}
	snprintf(c->where, sizeof(c->where), "churn");
	json_array_foreach(json_object_get(root, "churn"), i, o)
	{
		char corpus[256], codec[32], alloc[ZPOOL_SPEC_MAX];
		uint64_t *op = NULL, *pp = NULL, page = 0;
		struct curve *cv;
		size_t n;

		a = json_object_get(o, "op");
		n = json_array_size(a);
		if (get_str(c, o, "corpus", corpus, sizeof(corpus), true) ||
		    get_str(c, o, "codec", codec, sizeof(codec), true) ||
		    get_str(c, o, "allocator", alloc, sizeof(alloc), true) ||
		    get_u64(c, o, "page_size", &page, false) || page > UINT32_MAX ||
		    u64_array(c, o, "op", n, &op) || u64_array(c, o, "pool_pages", n, &pp)) {
			free(op);
			return page > UINT32_MAX ? bad(c, "page_size") : -1;
		}
		cv = run_add_curve(res, corpus, codec, alloc);
		if (cv)
			res->curves[res->ncurves - 1].page_size = (uint32_t)page;
		if (cv && n) {
			cv->p = calloc(n, sizeof(*cv->p));
			cv->n = cv->cap = cv->p ? n : 0;
		}
		for (size_t k = 0; cv && k < cv->n; k++) {
			cv->p[k].op = op[k];
			cv->p[k].pool_pages = pp[k];
		}
		free(op);
		free(pp);
		if (!cv || (n && !cv->p))
			return bad(c, "out of memory");
	}
	c->where[0] = '\0';
	return 0;
}

static int read_corpora(struct ctx *c, const json_t *prov, struct run_results *res)
{
	const json_t *o;
	size_t i;

	snprintf(c->where, sizeof(c->where), "provenance.corpora");
	json_array_foreach(json_object_get(prov, "corpora"), i, o)
	{
		struct run_corpus_info *ci = &res->corpora[res->ncorpora];

		if (res->ncorpora == RUN_MAX_CORPORA)
			return bad(c, "more than %d corpora", RUN_MAX_CORPORA);
		uint64_t page;

		if (get_str(c, o, "name", ci->name, sizeof(ci->name), true) ||
		    get_str(c, o, "path", ci->path, sizeof(ci->path), false) ||
		    get_str(c, o, "sha256", ci->sha256, sizeof(ci->sha256), true) ||
		    get_u64(c, o, "pages", &ci->pages, true) ||
		    get_u64(c, o, "page_size", &page, false))
			return -1;
		ci->page_size = page <= UINT32_MAX ? (uint32_t)page : 0;
		res->ncorpora++;
	}
	c->where[0] = '\0';
	return 0;
}

static int load_json(struct ctx *c, struct results_doc *doc)
{
	const json_t *rows, *srcs, *o, *prov;
	json_error_t je;
	json_t *root = json_load_file(c->path, JSON_REJECT_DUPLICATES, &je);
	const char *fmt;
	size_t i;
	int ret = -1;

	if (!root)
		return bad(c, "not valid JSON (line %d: %s)", je.line, je.text);
	fmt = json_string_value(json_object_get(root, "format"));
	if (!fmt || strcmp(fmt, RESULTS_FORMAT)) {
		bad(c, "not a zpoolbench results document (no \"format\": \"%s\")", RESULTS_FORMAT);
		goto out;
	}
	if (json_integer_value(json_object_get(root, "format_version")) != RESULTS_FORMAT_VERSION) {
		bad(c,
		    "results format version %lld; this zpoolbench reads version %d (per-repeat "
		    "latency histograms): run it again with this version",
		    (long long)json_integer_value(json_object_get(root, "format_version")),
		    RESULTS_FORMAT_VERSION);
		goto out;
	}
	prov = json_object_get(root, "provenance");
	snprintf(c->where, sizeof(c->where), "provenance");
	if (read_prov(c, prov, &doc->prov) || read_corpora(c, prov, &doc->res))
		goto out;
	srcs = json_object_get(root, "sources");
	if (json_array_size(srcs)) {
		doc->sources = calloc(json_array_size(srcs), sizeof(*doc->sources));
		if (!doc->sources) {
			bad(c, "out of memory");
			goto out;
		}
		json_array_foreach(srcs, i, o)
		{
			snprintf(c->where, sizeof(c->where), "sources[%zu]", i);
			if (read_prov(c, o, &doc->sources[doc->nsources]))
				goto out;
			doc->nsources++;
		}
	}
	rows = json_object_get(root, "rows");
	c->where[0] = '\0';
	if (!json_is_array(rows)) {
		bad(c, "'rows' is not an array");
		goto out;
	}
	json_array_foreach(rows, i, o) if (read_row(c, o, &doc->res, (int)i)) goto out;
	ret = read_extras(c, root, &doc->res);
out:
	json_decref(root);
	return ret;
}

/* ---- results.csv: the medians ------------------------------------------------ */

/* The known '# ' lines of the provenance header. */
static void csv_prov(FILE *in, struct provenance *p)
{
	char line[8192];

	memset(p, 0, sizeof(*p));
	for (int i = 0; i < PROV_NLOAD; i++)
		p->load_start[i] = p->load_end[i] = NAN;
	while (fgets(line, sizeof(line), in) && line[0] == '#') {
		char *v = line + 2;

		v[strcspn(v, "\n")] = '\0';
#define TAKE(prefix, field)                                                             \
	if (!strncmp(v, prefix, strlen(prefix)))                                        \
		snprintf(p->field, sizeof(p->field), "%.*s", (int)sizeof(p->field) - 1, \
			 v + strlen(prefix));
		TAKE("compiler: ", compiler)
		TAKE("kernel: ", kernel)
		TAKE("codecs: ", codecs)
		TAKE("date: ", date)
		TAKE("command: ", command)
		TAKE("cpu: ", cpu)
#undef TAKE
		if (sscanf(v, "zpoolbench %31[^,], git %63s", p->version, p->git) == 2)
			continue;
		if (!strncmp(v, "host: ", 6))
			snprintf(p->host, sizeof(p->host), "%.*s", (int)strcspn(v + 6, ";"), v + 6);
	}
}

static int col_of(const struct csv_line *h, const char *name)
{
	for (int i = 0; i < h->n; i++)
		if (!strcmp(h->f[i], name))
			return i;
	return -1;
}

static int load_csv(struct ctx *c, struct results_doc *doc)
{
	FILE *in = fopen(c->path, "r");
	struct csv_line h = { 0 }, l = { 0 };
	int key[8], map[512], line = 1, r, ret = -1;
	static const char *const keys[] = { "corpus",	"codec",	 "allocator", "workload",
					    "frontend", "corpus_sha256", "objects",   "page_size" };

	if (!in)
		return bad(c, "cannot read it: %s", strerror(errno));
	csv_prov(in, &doc->prov);
	rewind(in);
	if (csv_read_line(in, &h, c->err, c->errlen) <= 0) {
		bad(c, "no header line");
		goto out;
	}
	for (int k = 0; k < 8; k++) {
		key[k] = col_of(&h, keys[k]);
		if (k < 4 && key[k] < 0) {
			bad(c, "no '%s' column: not a zpoolbench results.csv", keys[k]);
			goto out;
		}
	}
	for (int i = 0; i < results_ncols(); i++)
		map[i] = col_of(&h, results_col_name(i));
	while ((r = csv_read_line(in, &l, c->err, c->errlen)) > 0) {
		struct run_row *row;
		char *end;
		int w;

		line++;
		if (l.n != h.n) {
			bad(c, "line %d has %d fields, the header %d", line, l.n, h.n);
			goto out;
		}
		w = workload_of(l.f[key[3]]);
		if (w < 0) {
			bad(c, "line %d: unknown workload '%.40s'", line, l.f[key[3]]);
			goto out;
		}
		row = run_add_row(&doc->res, l.f[key[0]], l.f[key[1]], l.f[key[2]], w, 1);
		if (!row || !(row->values = calloc(results_ncols(), sizeof(double)))) {
			bad(c, "out of memory");
			goto out;
		}
		if (key[4] >= 0)
			snprintf(row->frontend, sizeof(row->frontend), "%s", l.f[key[4]]);
		if (key[5] >= 0)
			snprintf(row->sha256, sizeof(row->sha256), "%s", l.f[key[5]]);
		if (key[6] >= 0)
			row->objects = strtoull(l.f[key[6]], NULL, 10);
		if (key[7] >= 0 && *l.f[key[7]]) {
			unsigned long long page = strtoull(l.f[key[7]], &end, 10);

			if (*end || !corpus_page_size_valid(page)) {
				bad(c, "line %d: page_size '%.20s' is not 4096, 16384 or 65536",
				    line, l.f[key[7]]);
				goto out;
			}
			row->page_size = (uint32_t)page;
		}
		row->cell = doc->res.nrows - 1;
		for (int i = 0; i < results_ncols(); i++) {
			const char *v = map[i] >= 0 ? l.f[map[i]] : "";

			row->values[i] = NAN;
			if (!*v || !strcmp(v, "nan"))
				continue;
			row->values[i] = strtod(v, &end);
			if (*end) {
				bad(c, "line %d: %s '%.40s' is not a number", line,
				    results_col_name(i), v);
				goto out;
			}
		}
		csv_line_free(&l);
	}
	if (r < 0) {
		char m[512];

		snprintf(m, sizeof(m), "%s", c->err);
		ret = bad(c, "line %d: %s", line + 1, m);
		goto out;
	}
	ret = 0;
	doc->medians_only = true;
out:
	csv_line_free(&h);
	csv_line_free(&l);
	fclose(in);
	return ret;
}

/* Two rows of one key would be one experiment twice: a document has none (merge pools them). */
static int unique_rows(struct ctx *c, const struct run_results *res)
{
	c->where[0] = '\0';
	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *a = &res->rows[i];

		for (int j = 0; j < i; j++) {
			const struct run_row *b = &res->rows[j];

			if (a->wl == b->wl && !strcmp(a->corpus, b->corpus) &&
			    !strcmp(a->sha256, b->sha256) && !strcmp(a->codec, b->codec) &&
			    !strcmp(a->alloc, b->alloc) && !strcmp(a->frontend, b->frontend) &&
			    a->objects == b->objects)
				return bad(
					c,
					"row %d repeats row %d (%.60s, %.31s, %.60s, %s): one row per "
					"corpus, codec, allocator, workload, front end and objects",
					i + 1, j + 1, a->corpus, a->codec, a->alloc,
					workload_name[a->wl]);
		}
	}
	return 0;
}

int results_load(const char *path, struct results_doc *doc, char *err, size_t errlen)
{
	struct ctx c = { .err = err, .errlen = errlen };
	size_t len = strlen(path);
	struct stat st;
	int ret;

	memset(doc, 0, sizeof(*doc));
	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		snprintf(doc->path, sizeof(doc->path), "%.4080s/results.json", path);
	else
		snprintf(doc->path, sizeof(doc->path), "%s", path);
	c.path = doc->path;
	if (S_ISDIR(st.st_mode) && stat(doc->path, &st)) {
		snprintf(err, errlen, "%s: not a results folder (no results.json in it)", path);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file or a results folder", path);
		return -1;
	}
	if (len > 4 && !strcmp(path + len - 4, ".csv"))
		ret = load_csv(&c, doc);
	else
		ret = load_json(&c, doc);
	if (!ret)
		ret = unique_rows(&c, &doc->res);
	if (ret)
		results_doc_free(doc);
	return ret;
}

void results_doc_free(struct results_doc *doc)
{
	run_results_free(&doc->res);
	free(doc->sources);
	doc->sources = NULL;
	doc->nsources = 0;
}
