// SPDX-License-Identifier: GPL-2.0-only
/*
 * run.c - see run.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "corpus/corpus.h"
#include "driver/pageset.h"
#include "driver/replay.h"
#include "driver/run.h"
#include "progress.h"
#include "util.h"

int run_parse_workloads(const char *list, unsigned int *mask, char *err, size_t errlen)
{
	const char *s = list;

	*mask = 0;
	if (!list || !*list)
		goto bad;
	while (*s) {
		size_t len = strcspn(s, ",");
		int k;

		for (k = 0; k < WL_NKINDS; k++)
			if (strlen(workload_name[k]) == len && !strncmp(workload_name[k], s, len))
				break;
		if (k == WL_NKINDS) {
			snprintf(err, errlen,
				 "unknown workload '%.*s' (valid: fill, load, churn, replay)",
				 (int)len, s);
			return -1;
		}
		*mask |= 1u << k;
		s += len;
		if (*s == ',' && !*++s)
			goto bad;
	}
	return 0;
bad:
	snprintf(err, errlen, "bad workload list '%s' (valid: fill, load, churn, replay)",
		 list ? list : "");
	return -1;
}

bool run_is_ideal(const char *spec)
{
	return !strncmp(spec, "ideal", 5) && (spec[5] == '\0' || spec[5] == ':');
}

int run_add_ideal(struct run_opts *o)
{
	for (int i = 0; i < o->nallocs; i++)
		if (run_is_ideal(o->allocs[i]))
			return 0;
	if (o->nallocs == RUN_MAX_ALLOCS)
		return -1;
	strcpy(o->allocs[o->nallocs++], "ideal");
	return 0;
}

/* The page sizes every corpus is read at: 1 (each at its own) or --page's. */
static int nviews(const struct run_opts *o)
{
	return o->npage_sizes ? o->npage_sizes : 1;
}

/* The cell of corpus @ci read at its page size @v, codec @k, setting @a. */
static int cell_of(const struct run_opts *o, int ci, int v, int k, int a)
{
	return ((ci * nviews(o) + v) * o->ncodecs + k) * o->nallocs + a;
}

int run_cells(const struct run_opts *o)
{
	const unsigned int pool_wl = (1u << WL_FILL) | (1u << WL_LOAD) | (1u << WL_CHURN);
	int n = 0;

	if (o->workloads & pool_wl)
		n += o->ncorpora * nviews(o) * o->ncodecs * o->nallocs;
	if (o->workloads & (1u << WL_REPLAY))
		n += o->nallocs;
	return n;
}

bool run_cell_mine(const struct run_opts *o, int cell)
{
	long total = run_cells(o);

	if (o->nshards <= 1)
		return true;
	return cell >= total * o->shard / o->nshards && cell < total * (o->shard + 1) / o->nshards;
}

/* ---- progress ---- */

/* Operations of one pool: warm-up (fill, empty), fill, load, churn (frees, stores, a check). */
static uint64_t pool_ops(const struct run_opts *o, uint64_t slots)
{
	uint64_t n = slots;

	if (o->wl.warmup)
		n += 2 * slots;
	if (o->workloads & (1u << WL_LOAD))
		n += slots;
	if (o->workloads & (1u << WL_CHURN))
		n += 2 * (uint64_t)o->wl.churn_rounds * (slots * o->wl.churn_percent / 100) + slots;
	return n;
}

/*
 * A test seam: $ZPB_TEST_BETWEEN_CODECS, if set, is run by the shell after
 * each codec of a corpus but the last, so that a test can change the corpus
 * file at a known point of a multi-codec run (tests/sh/ccache_trust.sh).
 */
static void between_codecs(bool more)
{
	const char *cmd = getenv("ZPB_TEST_BETWEEN_CODECS");

	if (more && cmd && *cmd && system(cmd) != 0)
		zpb_err("ZPB_TEST_BETWEEN_CODECS: '%s' failed", cmd);
}

/* ---- results storage ---- */

struct run_row *run_add_row(struct run_results *res, const char *corpus, const char *codec,
			    const char *alloc, enum workload_kind wl, int nrep)
{
	struct run_row *r;

	if (res->nrows == res->caprows) {
		int cap = res->caprows ? res->caprows * 2 : 64;
		struct run_row *n = realloc(res->rows, cap * sizeof(*n));

		if (!n)
			return NULL;
		res->rows = n;
		res->caprows = cap;
	}
	r = &res->rows[res->nrows];
	memset(r, 0, sizeof(*r));
	r->rep = calloc(nrep ? nrep : 1, sizeof(*r->rep));
	if (!r->rep)
		return NULL;
	snprintf(r->corpus, sizeof(r->corpus), "%s", corpus);
	snprintf(r->codec, sizeof(r->codec), "%s", codec);
	snprintf(r->alloc, sizeof(r->alloc), "%s", alloc);
	r->wl = wl;
	r->nrep = nrep;
	res->nrows++;
	return r;
}

int run_add_bound(struct run_results *res, const char *alloc, const char *kind, uint32_t size)
{
	struct run_bound *b;

	if (res->nbounds == res->capbounds) {
		int cap = res->capbounds ? res->capbounds * 2 : 256;
		struct run_bound *n = realloc(res->bounds, cap * sizeof(*n));

		if (!n)
			return -1;
		res->bounds = n;
		res->capbounds = cap;
	}
	b = &res->bounds[res->nbounds++];
	snprintf(b->alloc, sizeof(b->alloc), "%s", alloc);
	b->kind = kind;
	b->size = size;
	b->page_size = 0; /* probe_bounds() sets it */
	return 0;
}

struct run_sizes *run_add_sizes(struct run_results *res)
{
	struct run_sizes *n = realloc(res->sizes, (res->nsizes + 1) * sizeof(*n)), *s;

	if (!n)
		return NULL;
	res->sizes = n;
	s = &res->sizes[res->nsizes++];
	memset(s, 0, sizeof(*s));
	return s;
}

struct curve *run_add_curve(struct run_results *res, const char *corpus, const char *codec,
			    const char *alloc)
{
	struct run_curve *n = realloc(res->curves, (res->ncurves + 1) * sizeof(*n)), *c;

	if (!n)
		return NULL;
	res->curves = n;
	c = &res->curves[res->ncurves++];
	memset(c, 0, sizeof(*c));
	snprintf(c->corpus, sizeof(c->corpus), "%s", corpus);
	snprintf(c->codec, sizeof(c->codec), "%s", codec);
	snprintf(c->alloc, sizeof(c->alloc), "%s", alloc);
	return &c->c;
}

/*
 * The sizes at which an allocator's reservation changes, learnt through
 * the interface alone: allocate each size once in an empty pool and read
 * how many bytes the allocator reserved for it (zpool_stats.alloc_bytes).
 */
static int probe_bounds(const char *spec, struct run_results *res, char *err, size_t errlen)
{
	struct zpool *zp = zpool_create(spec, NULL, err, errlen);
	uint64_t prev = 0;
	int first = res->nbounds;
	size_t huge, page;
	uint32_t s;

	if (!zp)
		return -1;
	huge = zpool_huge_size(zp);
	page = zpool_page_size(zp);
	for (s = 1; s <= page; s++) {
		struct zpool_stats st;
		unsigned long h;

		if (zpool_malloc(zp, s, &h))
			break;
		zpool_get_stats(zp, &st);
		zpool_free(zp, h);
		if (prev && st.alloc_bytes != prev &&
		    run_add_bound(res, zp->cfg.spec, "class", s - 1))
			goto oom;
		prev = st.alloc_bytes;
	}
	if (prev && run_add_bound(res, zp->cfg.spec, "class", s - 1))
		goto oom;
	/* no classes worth drawing: a granule under 8 bytes (the ideal bound) */
	if (res->nbounds - first > 512)
		res->nbounds = first;
	if (s <= page && run_add_bound(res, zp->cfg.spec, "max", s - 1))
		goto oom;
	if (huge && run_add_bound(res, zp->cfg.spec, "huge", (uint32_t)huge))
		goto oom;
	for (int i = first; i < res->nbounds; i++)
		res->bounds[i].page_size = (uint32_t)page;
	zpool_destroy(zp);
	return 0;
oom:
	zpool_destroy(zp);
	snprintf(err, errlen, "out of memory");
	return -1;
}

static int record_sizes(struct run_results *res, const struct pageset *ps)
{
	struct run_sizes *s = run_add_sizes(res);

	if (!s)
		return -1;
	snprintf(s->corpus, sizeof(s->corpus), "%s", ps->corpus->name);
	snprintf(s->codec, sizeof(s->codec), "%s", ps->codec.name);
	s->page_size = ps->page;
	s->bucket = ps->page / SIZE_BUCKETS_PER_PAGE;
	s->compress_ns = ps->wall_ns;
	s->cached = ps->cached;
	snprintf(s->cache_path, sizeof(s->cache_path), "%s", ps->cache_path);
	s->pages = ps->n;
	s->compressed_bytes = ps->compressed_bytes;
	for (uint64_t i = 0; i < ps->n; i++) {
		uint32_t b;

		if (ps->pg[i].same) {
			s->same++;
			continue;
		}
		b = ps->pg[i].len / s->bucket;
		s->count[b < SIZE_NBUCKETS ? b : SIZE_NBUCKETS - 1]++;
	}
	return 0;
}

/* ---- peak resident memory per pool ---- */

/*
 * Reset the process's peak RSS to its current RSS (writing 5 to
 * /proc/self/clear_refs, Linux 4.0+), so that VmHWM then tells the peak
 * of one pool's life.  False if the kernel refused: VmHWM is then the
 * peak since the process started.
 *
 * The heap the previous pool freed (zsmalloc's handles and zspages, the
 * front end's slots) is given back to the kernel first: glibc keeps freed
 * memory resident, and it would count in the next pool's peak (110 MiB of
 * zsmalloc's metadata in zblock's peak at 10 million objects, before).
 */
static bool rss_reset(void)
{
	int fd;
	bool ok;

#ifdef __GLIBC__
	malloc_trim(0);
#endif
	fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ok = write(fd, "5", 1) == 1;
	close(fd);
	return ok;
}

/* VmHWM in bytes (ru_maxrss if /proc is not there). */
static uint64_t rss_peak(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	unsigned long long kb = 0;
	struct rusage ru;

	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "VmHWM: %llu kB", &kb) == 1)
				break;
		fclose(f);
	}
	if (!kb && !getrusage(RUSAGE_SELF, &ru))
		kb = ru.ru_maxrss;
	return kb * 1024;
}

/*
 * One pool: fill, then load and churn as asked; the rows with indexes
 * @rows[wl] (-1: none) get repeat @rep.  Indexes, not pointers: res->rows
 * moves when it grows (new_curve() and later add_row() calls).
 */
/* Objects per pool: --objects counts pages of the corpus's size, a view of smaller ones stores the same bytes. */
static uint64_t view_objects(const struct run_opts *o, const struct corpus *c, uint32_t page)
{
	return o->objects ? o->objects * (c->page_size / page) : corpus_view_pages(c, page);
}

static uint64_t pool_objects(const struct run_opts *o, const struct pageset *ps)
{
	return view_objects(o, ps->corpus, ps->page);
}

/* "c lz4:1 zbud fill", "c lz4:1 zbud churn (repeat 2 of 3)" */
static void pool_step(const struct run_opts *o, const struct pageset *ps, const char *spec, int rep,
		      const char *phase)
{
	char r[48] = "";

	if (o->repeat > 1)
		snprintf(r, sizeof(r), " (repeat %d of %d)", rep + 1, o->repeat);
	progress_what("%.40s %.20s %.60s %s%s", ps->corpus->name, ps->codec.name, spec, phase, r);
}

static int run_pool(const struct run_opts *o, struct run_results *res, const struct pageset *ps,
		    const char *spec, const int *rows, int rep, char *err, size_t errlen)
{
	struct frontend *fe;
	struct raw_counts rc;
	int ret = -1;

	rss_reset();
	fe = fe_create(&o->fe, spec, ps, pool_objects(o, ps), err, errlen);
	if (!fe)
		return -1;
	if (o->wl.warmup) {
		pool_step(o, ps, fe->zp->cfg.spec, rep, "warm-up");
		if (wl_warmup(fe, &o->wl, err, errlen))
			goto out;
	}
	pool_step(o, ps, fe->zp->cfg.spec, rep, "fill");
	if (wl_fill(fe, &o->wl, &rc, err, errlen))
		goto out;
	rc.peak_rss_bytes = rss_peak();
	/* the row owns the counts (and their histograms) from here */
	if (rows[WL_FILL] >= 0)
		res->rows[rows[WL_FILL]].rep[rep] = rc;
	else
		raw_counts_release(&rc);
	if (o->workloads & (1u << WL_LOAD)) {
		pool_step(o, ps, fe->zp->cfg.spec, rep, "load");
		if (wl_load(fe, &o->wl, &rc, err, errlen))
			goto out;
		rc.peak_rss_bytes = rss_peak();
		res->rows[rows[WL_LOAD]].rep[rep] = rc;
	}
	if (o->workloads & (1u << WL_CHURN)) {
		struct curve scratch = { 0 }, *c = &scratch;

		if (rep == 0) {
			c = run_add_curve(res, ps->corpus->name, ps->codec.name, fe->zp->cfg.spec);
			if (!c) {
				snprintf(err, errlen, "out of memory");
				goto out;
			}
			res->curves[res->ncurves - 1].page_size = ps->page;
		}
		pool_step(o, ps, fe->zp->cfg.spec, rep, "churn");
		ret = wl_churn(fe, &o->wl, &rc, c, err, errlen);
		curve_release(&scratch);
		if (ret)
			goto out;
		ret = -1;
		rc.peak_rss_bytes = rss_peak();
		res->rows[rows[WL_CHURN]].rep[rep] = rc;
	}
	ret = 0;
out:
	fe_destroy(fe);
	return ret;
}

int run_spec_for_page(const char *spec, uint32_t page, char *out, size_t outlen, char *err,
		      size_t errlen)
{
	struct zpool_config cfg;
	char buf[ZPOOL_SPEC_MAX + 32];

	if (zpool_parse_spec(spec, &cfg, err, errlen))
		return -2;
	if (zpool_cfg_page_set(&cfg) || page == ZPOOL_PAGE_SIZE) {
		if (zpool_cfg_page_size(&cfg) != page) {
			snprintf(err, errlen,
				 "%s is a pool of %zu-byte pages, not %u (give the spec without "
				 "page= to run it at every page size)",
				 cfg.spec, zpool_cfg_page_size(&cfg), page);
			return -2;
		}
		snprintf(out, outlen, "%s", cfg.spec);
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s%cpage=%u", cfg.spec, strchr(cfg.spec, ':') ? ',' : ':', page);
	if (zpool_parse_spec(buf, &cfg, err, errlen))
		return -2;
	if ((size_t)snprintf(out, outlen, "%s", cfg.spec) >= outlen) {
		snprintf(err, errlen, "%s: allocator spec too long to add page=%u", spec, page);
		return -2;
	}
	return 0;
}

void run_spec_without_page(const char *spec, char *out, size_t len)
{
	const char *colon = strchr(spec, ':');
	size_t n = 0;
	char sep = ':';

	if (!len)
		return;
	out[0] = '\0';
	n = snprintf(out, len, "%.*s", colon ? (int)(colon - spec) : (int)strlen(spec), spec);
	for (const char *p = colon; p && *p && n < len;) {
		const char *key = p + 1, *end = strchr(key, ',');
		size_t klen = end ? (size_t)(end - key) : strlen(key);

		if (strncmp(key, "page=", 5)) {
			n += snprintf(out + n, len - n, "%c%.*s", sep, (int)klen, key);
			sep = ',';
		}
		p = end;
	}
}

/* Probe @spec's boundaries once per run (the first time a cell of this shard uses it). */
static int probe_once(const struct run_opts *o, struct run_results *res, const char *spec,
		      char *err, size_t errlen)
{
	if (!o->boundaries)
		return 0;
	for (int i = 0; i < res->nbounds; i++)
		if (!strcmp(res->bounds[i].alloc, spec))
			return 0;
	return probe_bounds(spec, res, err, errlen);
}

static int run_replay(const struct run_opts *o, struct run_results *res, int cell0, char *err,
		      size_t errlen)
{
	const char *base = strrchr(o->trace, '/');
	char sha[65];

	base = base ? base + 1 : o->trace;
	replay_trace_sha256(o->trace, sha);
	for (int a = 0; a < o->nallocs; a++) {
		char spec[ZPOOL_SPEC_MAX];
		struct run_row *row;
		struct zpool_config cfg;

		if (!run_cell_mine(o, cell0 + a))
			continue;
		/* the trace's page size decides the pool's, as in `replay` */
		if (replay_spec_for_trace(o->trace, o->allocs[a], spec, sizeof(spec), err, errlen) ||
		    zpool_parse_spec(spec, &cfg, err, errlen) ||
		    probe_once(o, res, cfg.spec, err, errlen))
			return -1;
		row = run_add_row(res, base, "trace", cfg.spec, WL_REPLAY, o->repeat);
		if (!row)
			goto oom;
		snprintf(row->sha256, sizeof(row->sha256), "%s", sha);
		snprintf(row->frontend, sizeof(row->frontend), "none");
		row->cell = cell0 + a;
		row->page_size = (uint32_t)zpool_cfg_page_size(&cfg);
		for (int rep = 0; rep < o->repeat; rep++) {
			struct zpool *zp = zpool_create(spec, NULL, err, errlen);
			struct replay_result rr;
			struct raw_counts *rc = &row->rep[rep];
			uint64_t t0;

			if (!zp)
				return -1;
			progress_what("%s replay %s", base, cfg.spec);
			t0 = now_ns();
			if (replay_trace(o->trace, zp, NULL, &rr, err, errlen)) {
				zpool_destroy(zp);
				return -1;
			}
			replay_counts(&rr, rc);
			rc->phase_ns = now_ns() - t0;
			zpool_destroy(zp);
		}
	}
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}

/* Does this shard run any cell of corpus @ci (at page size @v and codec @k; -1: any)? */
static bool pair_mine(const struct run_opts *o, int ci, int v, int k)
{
	for (int vv = v < 0 ? 0 : v; vv < (v < 0 ? nviews(o) : v + 1); vv++)
		for (int kk = k < 0 ? 0 : k; kk < (k < 0 ? o->ncodecs : k + 1); kk++)
			for (int a = 0; a < o->nallocs; a++)
				if (run_cell_mine(o, cell_of(o, ci, vv, kk, a)))
					return true;
	return false;
}

/* The rows of one cell (one per pool workload asked for) into @rows. */
static int cell_rows(const struct run_opts *o, struct run_results *res, const struct corpus *c,
		     const struct pageset *ps, const char *spec, int cell, int *rows)
{
	for (int w = 0; w < WL_NKINDS; w++) {
		struct run_row *r;

		rows[w] = -1;
		if (w == WL_REPLAY || !(o->workloads & (1u << w)))
			continue;
		r = run_add_row(res, c->name, ps->codec.name, spec, w, o->repeat);
		if (!r)
			return -1;
		snprintf(r->sha256, sizeof(r->sha256), "%s", c->sha256);
		snprintf(r->frontend, sizeof(r->frontend), "%s", o->fe.spec);
		r->objects = pool_objects(o, ps);
		r->page_size = ps->page;
		r->cell = cell;
		rows[w] = res->nrows - 1;
	}
	return 0;
}

/* The page sizes corpus @c is read at: its own, or the run's. */
static int views_of(const struct run_opts *o, const struct corpus *c, uint32_t *v)
{
	if (!o->npage_sizes) {
		v[0] = c->page_size;
		return 1;
	}
	memcpy(v, o->page_sizes, o->npage_sizes * sizeof(*v));
	return o->npage_sizes;
}

/*
 * The operations of this shard of the run, compressing included, as far
 * as they are known before it (a corpus's pages, a trace's lines).
 */
static uint64_t run_ops(const struct run_opts *o, int replay0)
{
	const unsigned int pool_wl = (1u << WL_FILL) | (1u << WL_LOAD) | (1u << WL_CHURN);
	uint64_t n = 0, lines = 0;

	for (int ci = 0; ci < o->ncorpora && (o->workloads & pool_wl); ci++) {
		const struct corpus *c = o->opened[ci];
		uint32_t views[RUN_MAX_PAGE_SIZES];
		int nv;

		if (!c)
			continue;
		nv = views_of(o, c, views);
		for (int v = 0; v < nv; v++) {
			uint64_t pages = corpus_view_pages(c, views[v]);
			uint64_t pool = (uint64_t)o->repeat *
					pool_ops(o, view_objects(o, c, views[v]));

			for (int k = 0; k < o->ncodecs; k++) {
				if (!pair_mine(o, ci, v, k))
					continue;
				n += pages;
				for (int a = 0; a < o->nallocs; a++)
					if (run_cell_mine(o, cell_of(o, ci, v, k, a)))
						n += pool;
			}
		}
	}
	if (o->workloads & (1u << WL_REPLAY))
		lines = replay_estimate(o->trace);
	for (int a = 0; lines && a < o->nallocs; a++)
		if (run_cell_mine(o, replay0 + a))
			n += (uint64_t)o->repeat * lines;
	return n;
}

/*
 * Corpus @ci read as pages of @page bytes (its view @v), compressed with
 * codec @k, through every setting of this shard: the rows of every setting
 * first, then the repeats round robin.
 */
static int run_codec(const struct run_opts *o, struct run_results *res, const struct corpus *c,
		     int ci, int v, uint32_t page, int k, int cthreads, char *err, size_t errlen)
{
	static int rowsof[RUN_MAX_ALLOCS][WL_NKINDS];
	static char specs[RUN_MAX_ALLOCS][ZPOOL_SPEC_MAX];
	struct pageset ps;
	int ret = -1;

	progress_what("compressing %.60s with %.30s", c->name, o->codecs[k].name);
	if (pageset_open_view(&ps, c, page, &o->codecs[k], cthreads, o->ccache, err, errlen))
		return -1;
	if (record_sizes(res, &ps))
		goto oom;
	for (int a = 0; a < o->nallocs; a++) {
		int cell = cell_of(o, ci, v, k, a);

		rowsof[a][WL_FILL] = -2; /* not this shard's */
		if (!run_cell_mine(o, cell))
			continue;
		if (run_spec_for_page(o->allocs[a], run_pool_page(o, page), specs[a],
				      sizeof(specs[a]), err, errlen) ||
		    probe_once(o, res, specs[a], err, errlen))
			goto out;
		if (cell_rows(o, res, c, &ps, specs[a], cell, rowsof[a]))
			goto oom;
	}
	/*
	 * Repeat after repeat over all settings, each starting one further:
	 * the drift of a shared machine spreads over the repeats of every
	 * setting alike, and the spread over repeats shows it.
	 */
	for (int rep = 0; rep < o->repeat; rep++) {
		for (int j = 0; j < o->nallocs; j++) {
			int a = (j + rep) % o->nallocs;

			if (rowsof[a][WL_FILL] == -2)
				continue;
			if (run_pool(o, res, &ps, specs[a], rowsof[a], rep, err, errlen))
				goto out;
		}
	}
	ret = 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	pageset_free(&ps);
	return ret;
}

int run_execute(const struct run_opts *o, struct run_results *res, char *err, size_t errlen)
{
	const unsigned int pool_wl = (1u << WL_FILL) | (1u << WL_LOAD) | (1u << WL_CHURN);
	int cthreads = o->compress_threads > 0 ? o->compress_threads : online_cpus();
	int replay0 = (o->workloads & pool_wl) ? o->ncorpora * nviews(o) * o->ncodecs * o->nallocs
					       : 0;
	uint64_t t0 = now_ns();
	int ret = -1;

	memset(res, 0, sizeof(*res));
	progress_start(run_ops(o, replay0));

	for (int ci = 0; ci < o->ncorpora && (o->workloads & pool_wl); ci++) {
		struct corpus corpus;
		struct run_corpus_info *info = &res->corpora[res->ncorpora];
		uint32_t views[RUN_MAX_PAGE_SIZES];
		int nv;

		if (o->opened[ci]) {
			corpus = *o->opened[ci]; /* ours now: closed below */
			memset(o->opened[ci], 0, sizeof(corpus));
		} else if (corpus_open(&corpus, o->corpora[ci], err, errlen)) {
			goto out;
		}
		if (!pair_mine(o, ci, -1, -1)) {
			corpus_close(&corpus);
			continue;
		}
		snprintf(info->name, sizeof(info->name), "%s", corpus.name);
		snprintf(info->path, sizeof(info->path), "%s", corpus.path);
		snprintf(info->sha256, sizeof(info->sha256), "%s", corpus.sha256);
		info->pages = corpus.pages;
		info->page_size = corpus.page_size;
		res->ncorpora++;

		nv = views_of(o, &corpus, views);
		for (int v = 0; v < nv; v++) {
			for (int k = 0; k < o->ncodecs; k++) {
				if (!pair_mine(o, ci, v, k))
					continue;
				if (run_codec(o, res, &corpus, ci, v, views[v], k, cthreads, err,
					      errlen)) {
					corpus_close(&corpus);
					goto out;
				}
				between_codecs(k + 1 < o->ncodecs || v + 1 < nv);
			}
		}
		corpus_close(&corpus);
	}
	if ((o->workloads & (1u << WL_REPLAY)) && run_replay(o, res, replay0, err, errlen))
		goto out;
	ret = 0;
out:
	progress_stop();
	res->wall_ns = now_ns() - t0;
	return ret;
}

void run_results_free(struct run_results *res)
{
	for (int i = 0; i < res->nrows; i++) {
		for (int k = 0; res->rows[i].rep && k < res->rows[i].nrep; k++)
			raw_counts_release(&res->rows[i].rep[k]);
		free(res->rows[i].rep);
		free(res->rows[i].values);
	}
	free(res->rows);
	for (int i = 0; i < res->ncurves; i++)
		curve_release(&res->curves[i].c);
	free(res->curves);
	free(res->sizes);
	free(res->bounds);
	memset(res, 0, sizeof(*res));
}
