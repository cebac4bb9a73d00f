// SPDX-License-Identifier: GPL-2.0-only
/*
 * microbench.c - see microbench.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#include "driver/microbench.h"
#include "driver/metrics.h"
#include "driver/trace.h"
#include "progress.h"
#include "timer.h"
#include "util.h"

const char *const mb_phase_names[MB_NPHASES] = { "store", "load", "free", "cstore", "cload" };

/* ---- object sets ---- */

static void shuffle(uint32_t *v, uint32_t n, uint64_t *rng)
{
	for (uint32_t i = 0; i < n; i++)
		v[i] = i;
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j = (uint32_t)rng_below(rng, i), t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

static int set_alloc(struct mb_set *s, uint32_t n, char *err, size_t errlen)
{
	s->page = calloc(n, sizeof(*s->page));
	s->coff = calloc(n, sizeof(*s->coff));
	s->clen = calloc(n, sizeof(*s->clen));
	for (int k = 0; k < 3; k++)
		s->order[k] = calloc(n, sizeof(uint32_t));
	if (!s->page || !s->coff || !s->clen || !s->order[0] || !s->order[1] || !s->order[2]) {
		snprintf(err, errlen, "out of memory for %u objects", n);
		return -1;
	}
	return 0;
}

/* Append the compressed bytes of object s->n (its page set), growing cdata. */
static int set_add(struct mb_set *s, uint64_t *cap, const void *cbuf, uint32_t len, char *err,
		   size_t errlen)
{
	if (s->cbytes + len > *cap) {
		uint64_t ncap = *cap ? *cap * 2 : 1 << 20;
		uint8_t *nd = realloc(s->cdata, ncap);

		if (!nd) {
			snprintf(err, errlen, "out of memory for the compressed objects");
			return -1;
		}
		s->cdata = nd;
		*cap = ncap;
	}
	memcpy(s->cdata + s->cbytes, cbuf, len);
	s->coff[s->n] = s->cbytes;
	s->clen[s->n] = len;
	s->cbytes += len;
	s->n++;
	return 0;
}

/*
 * Stores go in the objects' own order (a corpus's pages as the corpus has
 * them, a trace's stores as the trace does), as `run` fills slot i with
 * page i: the sequence of sizes an allocator sees decides how it packs
 * (z3fold's and zbud's pairing, zsmalloc's classes), and `run` and
 * `bench` must time the same thing.  Loads and frees go in random orders.
 */
static void set_orders(struct mb_set *s, uint64_t seed)
{
	uint64_t rng = seed ^ 0x6a09e667f3bcc909ULL;

	for (int k = 0; k < 3; k++)
		shuffle(s->order[k], s->n, &rng);
	for (uint32_t i = 0; i < s->n; i++)
		s->order[0][i] = i;
}

/* A page of @k random bytes (the first one non-zero) followed by zeros. */
static void synth_page(uint8_t *page, uint32_t k, uint64_t seed)
{
	pattern_fill(page, k, seed);
	memset(page + k, 0, MB_PAGE - k);
	page[0] |= 1;
}

/* The largest random prefix whose page compresses to at most @target bytes (at least 1). */
static uint32_t synth_prefix(struct codec_ctx *cx, uint32_t target, uint8_t *page, uint8_t *cbuf)
{
	uint32_t lo = 1, hi = MB_PAGE;

	while (lo < hi) {
		uint32_t mid = (lo + hi + 1) / 2;
		int c;

		synth_page(page, mid, target);
		c = codec_compress(cx, page, cbuf);
		if (c >= 0 && (uint32_t)c <= target)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

int mb_set_from_trace(struct mb_set *s, const char *path, struct codec_ctx *cx, uint32_t n,
		      uint32_t cap, uint64_t seed, char *err, size_t errlen)
{
	struct trace_reader r;
	struct trace_op op;
	uint32_t *sizes = NULL, nsizes = 0, sizecap = 0, *prefix = NULL;
	uint64_t cdcap = 0;
	uint8_t *cbuf = NULL;
	int ret = -1, rc;

	memset(s, 0, sizeof(*s));
	if (trace_open(&r, path, err, errlen))
		return -1;
	while ((rc = trace_next(&r, &op, err, errlen)) == 1) {
		if (op.op != 'a')
			continue;
		if (op.size > cap) {
			s->skipped_large++;
			continue;
		}
		if (nsizes == sizecap) {
			uint32_t nc = sizecap ? sizecap * 2 : 4096;
			uint32_t *ns = realloc(sizes, nc * sizeof(*ns));

			if (!ns) {
				snprintf(err, errlen, "out of memory");
				goto out;
			}
			sizes = ns;
			sizecap = nc;
		}
		sizes[nsizes++] = op.size;
	}
	if (rc < 0)
		goto out;
	if (!nsizes) {
		snprintf(err, errlen, "%s: no store ('a ID SIZE') of at most %u bytes in the trace",
			 path, cap);
		goto out;
	}
	if (!n)
		n = nsizes;
	if (set_alloc(s, n, err, errlen))
		goto out;
	s->synth = aligned_alloc(MB_PAGE, (size_t)n * MB_PAGE);
	prefix = calloc(MB_PAGE + 1, sizeof(*prefix));
	cbuf = malloc(MB_CBOUND);
	if (!s->synth || !prefix || !cbuf) {
		snprintf(err, errlen, "out of memory for %u synthetic pages", n);
		goto out;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t t = sizes[i % nsizes];
		uint8_t *page = s->synth + (size_t)i * MB_PAGE;
		int c;

		if (!prefix[t])
			prefix[t] = synth_prefix(cx, t, page, cbuf);
		synth_page(page, prefix[t], seed + i);
		c = codec_compress(cx, page, cbuf);
		if (c < 0) {
			snprintf(err, errlen, "%s: compression failed", codec_ctx_codec(cx)->name);
			goto out;
		}
		if ((uint32_t)c > cap) {
			/* the prefix was calibrated on another seed: a byte or two over */
			synth_page(page, prefix[t] - 1, seed + i);
			c = codec_compress(cx, page, cbuf);
			if (c < 0 || (uint32_t)c > cap) {
				s->skipped_large++;
				continue;
			}
		}
		s->page[s->n] = page;
		if (set_add(s, &cdcap, cbuf, (uint32_t)c, err, errlen))
			goto out;
	}
	set_orders(s, seed);
	snprintf(s->source, sizeof(s->source),
		 "sizes of the stores in %s (synthetic pages: random bytes then zeros, %s)", path,
		 codec_ctx_codec(cx)->name);
	ret = 0;
out:
	if (ret)
		mb_set_free(s);
	free(sizes);
	free(prefix);
	free(cbuf);
	trace_close(&r);
	return ret;
}

/* Pass 1 over a corpus: what each page is (0 usable, 1 same-filled, 2 above the cap). */
struct mb_scan {
	struct mb_set *s;
	struct codec_ctx *cx;
	uint32_t cap;
	uint8_t *cls;  /* per page */
	uint32_t *obj; /* per page: the object it becomes, or UINT32_MAX */
	uint8_t *cbuf;
	const char *codec;
	char *err;
	size_t errlen;
};

static int mb_classify(void *arg, uint64_t first, const uint8_t *pages, uint64_t n)
{
	struct mb_scan *m = arg;

	for (uint64_t k = 0; k < n; k++) {
		const uint8_t *page = pages + k * MB_PAGE;
		uint64_t word;
		int c;

		if (page_same_filled(page, &word)) {
			m->cls[first + k] = 1;
			continue;
		}
		c = codec_compress(m->cx, page, m->cbuf);
		if (c < 0) {
			snprintf(m->err, m->errlen, "%s: compression failed", m->codec);
			return -1;
		}
		m->cls[first + k] = (uint32_t)c > m->cap ? 2 : 0;
	}
	return 0;
}

/* Pass 2: the chosen pages into their objects' places. */
static int mb_collect(void *arg, uint64_t first, const uint8_t *pages, uint64_t n)
{
	struct mb_scan *m = arg;

	for (uint64_t k = 0; k < n; k++)
		if (m->obj[first + k] != UINT32_MAX)
			memcpy(m->s->synth + (uint64_t)m->obj[first + k] * MB_PAGE,
			       pages + k * MB_PAGE, MB_PAGE);
	return 0;
}

/*
 * Objects from a corpus, read as a stream twice (memory grows with the
 * objects, not with the corpus): which pages qualify, then the ones picked
 * in a seeded random order, up to @n.
 */
int mb_set_from_corpus(struct mb_set *s, const char *path, struct codec_ctx *cx, uint32_t n,
		       uint32_t cap, uint64_t seed, char *err, size_t errlen)
{
	uint64_t rng = seed, cdcap = 0, npages;
	struct mb_scan m = { .s = s,
			     .cx = cx,
			     .cap = cap,
			     .codec = codec_ctx_codec(cx)->name,
			     .err = err,
			     .errlen = errlen };
	uint32_t *pick = NULL, chosen = 0;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	if (corpus_open(&s->corpus, path, err, errlen))
		return -1;
	s->has_corpus = true;
	/* 4 KiB pages: a corpus of larger ones is read with its pages cut up */
	npages = corpus_view_pages(&s->corpus, MB_PAGE);
	if (npages > UINT32_MAX) {
		snprintf(err, errlen, "%s: more than 2^32 pages", path);
		goto out;
	}
	if (!n || n > npages)
		n = (uint32_t)npages;
	pick = malloc(npages * sizeof(*pick));
	m.cls = malloc(npages);
	m.obj = malloc(npages * sizeof(*m.obj));
	m.cbuf = malloc(MB_CBOUND);
	if (!pick || !m.cls || !m.obj || !m.cbuf || set_alloc(s, n, err, errlen)) {
		snprintf(err, errlen, "out of memory for %u objects", n);
		goto out;
	}
	if (corpus_for_each_view(&s->corpus, MB_PAGE, mb_classify, &m, err, errlen))
		goto out;
	shuffle(pick, (uint32_t)npages, &rng);
	memset(m.obj, 0xff, npages * sizeof(*m.obj));
	for (uint64_t j = 0; j < npages && chosen < n; j++) {
		if (m.cls[pick[j]] == 1)
			s->skipped_same++;
		else if (m.cls[pick[j]] == 2)
			s->skipped_large++;
		else
			m.obj[pick[j]] = chosen++;
	}
	/* the sample, numbered in corpus order */
	chosen = 0;
	for (uint64_t j = 0; j < npages; j++)
		if (m.obj[j] != UINT32_MAX)
			m.obj[j] = chosen++;
	if (!chosen) {
		snprintf(err, errlen, "%s: no page that compresses to at most %u bytes", path, cap);
		goto out;
	}
	s->synth = malloc((uint64_t)chosen * MB_PAGE);
	if (!s->synth) {
		snprintf(err, errlen, "out of memory for %u objects", chosen);
		goto out;
	}
	if (corpus_for_each_view(&s->corpus, MB_PAGE, mb_collect, &m, err, errlen))
		goto out;
	for (uint32_t i = 0; i < chosen; i++) {
		const uint8_t *page = s->synth + (uint64_t)i * MB_PAGE;
		int c = codec_compress(cx, page, m.cbuf);

		if (c < 0) {
			snprintf(err, errlen, "%s: compression failed", m.codec);
			goto out;
		}
		s->page[s->n] = page;
		if (set_add(s, &cdcap, m.cbuf, (uint32_t)c, err, errlen))
			goto out;
	}
	set_orders(s, seed);
	snprintf(s->source, sizeof(s->source), "pages of %s (%s, %s) compressed with %s", path,
		 s->corpus.workload, s->corpus.source, codec_ctx_codec(cx)->name);
	ret = 0;
out:
	if (ret)
		mb_set_free(s);
	free(pick);
	free(m.cls);
	free(m.obj);
	free(m.cbuf);
	return ret;
}

void mb_set_free(struct mb_set *s)
{
	free(s->page);
	free(s->cdata);
	free(s->coff);
	free(s->clen);
	for (int k = 0; k < 3; k++)
		free(s->order[k]);
	free(s->synth);
	if (s->has_corpus)
		corpus_close(&s->corpus);
	memset(s, 0, sizeof(*s));
}

uint32_t mb_max_size(const char *spec, char *err, size_t errlen)
{
	struct zpool *zp = zpool_create(spec, NULL, err, errlen);
	unsigned long h;
	uint32_t s;

	if (!zp)
		return 0;
	/* refusals are by size alone (-ENOSPC), so the first success from the top is the limit */
	for (s = MB_PAGE; s > 0; s--) {
		if (zpool_malloc(zp, s, &h) == 0) {
			zpool_free(zp, h);
			break;
		}
	}
	zpool_destroy(zp);
	if (!s)
		snprintf(err, errlen, "%s: refuses every size", spec);
	return s;
}

/* ---- the measurement ---- */

static clockid_t mb_clock = CLOCK_THREAD_CPUTIME_ID;
static bool mb_per_op = true;

void mb_set_clock(bool wall)
{
	mb_clock = wall ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID;
}

void mb_set_timing(bool per_op)
{
	mb_per_op = per_op;
	timer_init();
}

const char *mb_clock_name(void)
{
	if (mb_per_op)
		return "each operation on its own, timer below; mean up to p99.9";
	return mb_clock == CLOCK_MONOTONIC ? "batches, wall time" : "batches, thread CPU time";
}

uint64_t mb_now(void)
{
	struct timespec ts;

	clock_gettime(mb_clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int mb_pool_init(struct mb_pool *p, const char *spec, const struct mb_set *s, char *err,
		 size_t errlen)
{
	memset(p, 0, sizeof(*p));
	p->h = calloc(s->n, sizeof(*p->h));
	if (!p->h) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->zp = zpool_create(spec, NULL, err, errlen);
	if (!p->zp) {
		free(p->h);
		p->h = NULL;
		return -1;
	}
	return 0;
}

void mb_pool_fini(struct mb_pool *p)
{
	zpool_destroy(p->zp);
	free(p->h);
	memset(p, 0, sizeof(*p));
}

/* Keep the compiler from dropping a copy whose result nobody reads. */
static inline void consume(void *buf)
{
	__asm__ volatile("" : : "r"(buf) : "memory");
}

static int refused(const struct mb_pool *p, const struct mb_set *s, uint32_t i, int ret, char *err,
		   size_t errlen)
{
	snprintf(err, errlen, "%s refused a %u-byte object (error %d)", p->zp->cfg.spec, s->clen[i],
		 ret);
	return -1;
}

static int free_all(struct mb_pool *p, const struct mb_set *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		if (p->h[i])
			zpool_free(p->zp, p->h[i]);
		p->h[i] = 0;
	}
	return 0;
}

/*
 * What the store phase copies into every object in batches: one buffer,
 * hot in the cache, as the front ends copy from the per-CPU buffer the page
 * was just compressed into.  Copying each object's own compressed bytes
 * from where they lie would time a cache miss on the source per store, the
 * same for every allocator, which dilutes the ratios.  The objects then
 * hold the buffer's first clen bytes, which the checks expect.
 */
static _Alignas(64) uint8_t mb_src[MB_PAGE];

static const uint8_t *stored_bytes(const struct mb_set *s, uint32_t i, bool hot)
{
	return hot ? mb_src : s->cdata + s->coff[i];
}

static int verify_objects_as(struct mb_pool *p, const struct mb_set *s, bool hot, const char *after,
			     char *err, size_t errlen)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const void *src = zpool_map(p->zp, p->h[i], ZPOOL_MM_RO);
		int bad = memcmp(src, stored_bytes(s, i, hot), s->clen[i]);

		zpool_unmap(p->zp, p->h[i]);
		if (bad) {
			snprintf(err, errlen, "data corruption in %s: object %u (%u bytes) after %s",
				 p->zp->cfg.spec, i, s->clen[i], after);
			return -1;
		}
	}
	return 0;
}

static int verify_objects(struct mb_pool *p, const struct mb_set *s, const char *after, char *err,
			  size_t errlen)
{
	return verify_objects_as(p, s, false, after, err, errlen);
}

int mb_warm(struct mb_pool *p, const struct mb_set *s, char *err, size_t errlen)
{
	for (uint32_t i = 0; i < s->n; i++) {
		int ret = zpool_malloc(p->zp, s->clen[i], &p->h[i]);
		void *dst;

		if (ret) {
			free_all(p, s);
			return refused(p, s, i, ret, err, errlen);
		}
		dst = zpool_map(p->zp, p->h[i], ZPOOL_MM_WO);
		memcpy(dst, s->cdata + s->coff[i], s->clen[i]);
		zpool_unmap(p->zp, p->h[i]);
	}
	if (verify_objects(p, s, "the warm-up", err, errlen)) {
		free_all(p, s);
		return -1;
	}
	return free_all(p, s);
}

/*
 * The timing of a phase: each operation on its own with the TSC (timer.h:
 * fenced, its overhead off), the mean taken over the samples up to p99.9
 * as run does; or the whole phase as one batch on mb_clock.
 */
struct phase_clock {
	uint64_t t0;
	struct lat_samples lat;
	bool oom;
};

static void clock_start(struct phase_clock *c)
{
	lat_reset(&c->lat);
	c->oom = false;
	c->t0 = mb_now();
}

static inline uint64_t op_start(void)
{
	return mb_per_op ? timer_ticks() : 0;
}

static inline void op_end(struct phase_clock *c, uint64_t t)
{
	if (mb_per_op && lat_add(&c->lat, timer_sample_ns(t, timer_ticks())))
		c->oom = true;
}

/* ns per operation of the phase; -1 if the samples could not be kept. */
static int clock_end(struct phase_clock *c, uint32_t n, double *ns)
{
	struct lat_pct pct;

	if (!mb_per_op) {
		*ns = (double)(mb_now() - c->t0) / n;
		return 0;
	}
	if (c->oom)
		return -1;
	lat_percentiles(&c->lat, &pct);
	*ns = pct.n_trim ? (double)pct.sum_trim_ns / (double)pct.n_trim : 0;
	return 0;
}

static struct phase_clock pclock;

/*
 * Per operation, the work `run` does around the allocator path is done here
 * too, untimed, so that both see the same caches: before a store the
 * object's compressed bytes are staged into a hot buffer (run reads them
 * from the compression cache into one; zram compresses into one), after a
 * load the page is decompressed from the copy and hashed (run checks every
 * load against the page's XXH3-64 so).
 * In batches there is no room for untimed work: stores copy from one hot
 * buffer (mb_src) and loads only copy.
 */
static _Alignas(64) uint8_t mb_stage[MB_CBOUND];
static volatile uint64_t mb_sink;

static int phase_store(struct mb_pool *p, const struct mb_set *s, double *ns, char *err,
		       size_t errlen)
{
	const uint32_t *ord = s->order[0];

	clock_start(&pclock);
	for (uint32_t j = 0; j < s->n; j++) {
		uint32_t i = ord[j];
		const uint8_t *src = mb_src;
		uint64_t t;
		int ret;
		void *dst;

		if (mb_per_op) {
			memcpy(mb_stage, s->cdata + s->coff[i], s->clen[i]);
			src = mb_stage;
		}
		t = op_start();
		ret = zpool_malloc(p->zp, s->clen[i], &p->h[i]);
		if (ret)
			return refused(p, s, i, ret, err, errlen);
		dst = zpool_map(p->zp, p->h[i], ZPOOL_MM_WO);
		memcpy(dst, src, s->clen[i]);
		zpool_unmap(p->zp, p->h[i]);
		op_end(&pclock, t);
	}
	if (clock_end(&pclock, s->n, ns)) {
		snprintf(err, errlen, "out of memory for the latencies");
		return -1;
	}
	return 0;
}

static int phase_load(struct mb_pool *p, const struct mb_set *s, struct codec_ctx *cx, uint8_t *buf,
		      uint8_t *page, double *ns)
{
	const uint32_t *ord = s->order[1];

	clock_start(&pclock);
	for (uint32_t j = 0; j < s->n; j++) {
		uint32_t i = ord[j];
		uint64_t t = op_start();
		const void *src = zpool_map(p->zp, p->h[i], ZPOOL_MM_RO);

		memcpy(buf, src, s->clen[i]);
		zpool_unmap(p->zp, p->h[i]);
		consume(buf);
		op_end(&pclock, t);
		if (mb_per_op && !codec_decompress(cx, buf, s->clen[i], page))
			mb_sink ^= XXH3_64bits(page, MB_PAGE); /* run checks each page so */
	}
	return clock_end(&pclock, s->n, ns);
}

static int phase_free(struct mb_pool *p, const struct mb_set *s, double *ns)
{
	const uint32_t *ord = s->order[2];

	clock_start(&pclock);
	for (uint32_t j = 0; j < s->n; j++) {
		uint32_t i = ord[j];
		uint64_t t = op_start();

		zpool_free(p->zp, p->h[i]);
		op_end(&pclock, t);
		p->h[i] = 0;
	}
	return clock_end(&pclock, s->n, ns);
}

static int phase_cstore(struct mb_pool *p, const struct mb_set *s, struct codec_ctx *cx,
			uint8_t *cbuf, double *ns, char *err, size_t errlen)
{
	const uint32_t *ord = s->order[0];
	uint32_t bad = 0, badi = 0;

	clock_start(&pclock);
	for (uint32_t j = 0; j < s->n; j++) {
		uint32_t i = ord[j];
		uint64_t t = op_start();
		int c = codec_compress(cx, s->page[i], cbuf), ret;
		void *dst;

		if (c != (int)s->clen[i]) {
			/* deterministic codecs give the same length every time; report after */
			bad++;
			badi = i;
			c = (int)s->clen[i];
		}
		ret = zpool_malloc(p->zp, c, &p->h[i]);
		if (ret)
			return refused(p, s, i, ret, err, errlen);
		dst = zpool_map(p->zp, p->h[i], ZPOOL_MM_WO);
		memcpy(dst, cbuf, c);
		zpool_unmap(p->zp, p->h[i]);
		op_end(&pclock, t);
	}
	if (clock_end(&pclock, s->n, ns)) {
		snprintf(err, errlen, "out of memory for the latencies");
		return -1;
	}
	if (bad) {
		snprintf(err, errlen, "%s compressed object %u to another length than before",
			 codec_ctx_codec(cx)->name, badi);
		return -1;
	}
	return 0;
}

static int phase_cload(struct mb_pool *p, const struct mb_set *s, struct codec_ctx *cx,
		       uint8_t *page, double *ns, char *err, size_t errlen)
{
	const uint32_t *ord = s->order[1];
	uint32_t bad = 0, badi = 0;

	clock_start(&pclock);
	for (uint32_t j = 0; j < s->n; j++) {
		uint32_t i = ord[j];
		uint64_t t = op_start();
		const void *src = zpool_map(p->zp, p->h[i], ZPOOL_MM_RO);

		if (codec_decompress(cx, src, s->clen[i], page)) {
			bad++;
			badi = i;
		}
		zpool_unmap(p->zp, p->h[i]);
		consume(page);
		op_end(&pclock, t);
	}
	if (clock_end(&pclock, s->n, ns)) {
		snprintf(err, errlen, "out of memory for the latencies");
		return -1;
	}
	if (bad) {
		snprintf(err, errlen, "data corruption in %s: object %u does not decompress",
			 p->zp->cfg.spec, badi);
		return -1;
	}
	/* untimed: every page comes back exactly */
	for (uint32_t i = 0; i < s->n; i++) {
		const void *src = zpool_map(p->zp, p->h[i], ZPOOL_MM_RO);
		int fail = codec_decompress(cx, src, s->clen[i], page) ||
			   memcmp(page, s->page[i], MB_PAGE);

		zpool_unmap(p->zp, p->h[i]);
		if (fail) {
			snprintf(err, errlen,
				 "data corruption in %s: object %u decompresses to another page",
				 p->zp->cfg.spec, i);
			return -1;
		}
	}
	return 0;
}

int mb_run(struct mb_pool *p, const struct mb_set *s, struct codec_ctx *cx, double ns[MB_NPHASES],
	   char *err, size_t errlen)
{
	static _Alignas(64) uint8_t buf[MB_CBOUND], page[MB_PAGE];
	static bool src_filled;
	int ret = -1;

	if (!src_filled) {
		pattern_fill(mb_src, MB_PAGE, 0x5eed);
		src_filled = true;
	}
	/*
	 * As run's pool: filled and emptied just before the measured fill, so
	 * that its pages are where the previous allocator's phases left them
	 * for no allocator (interleaving would otherwise hand each pool caches
	 * the others had just filled).
	 */
	if (mb_warm(p, s, err, errlen))
		return -1;
	/* the progress display counts each phase when it is over, outside the timing */
	if (phase_store(p, s, &ns[MB_STORE], err, errlen) ||
	    verify_objects_as(p, s, !mb_per_op, "the store phase", err, errlen))
		goto out;
	progress_add(s->n);
	if (phase_load(p, s, cx, buf, page, &ns[MB_LOAD]) ||
	    verify_objects_as(p, s, !mb_per_op, "the load phase", err, errlen))
		goto out;
	progress_add(s->n);
	if (phase_free(p, s, &ns[MB_FREE])) {
		snprintf(err, errlen, "out of memory for the latencies");
		goto out;
	}
	progress_add(s->n);
	if (phase_cstore(p, s, cx, buf, &ns[MB_CSTORE], err, errlen) ||
	    verify_objects(p, s, "the compress+store phase", err, errlen))
		goto out;
	progress_add(s->n);
	if (phase_cload(p, s, cx, buf, &ns[MB_CLOAD], err, errlen))
		goto out;
	progress_add(s->n);
	ret = 0;
out:
	free_all(p, s);
	return ret;
}
