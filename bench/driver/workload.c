// SPDX-License-Identifier: GPL-2.0-only
/*
 * workload.c - see workload.h.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "progress.h"
#include "util.h"
#include "driver/workload.h"

const char *const workload_name[WL_NKINDS] = {
	[WL_FILL] = "fill",
	[WL_LOAD] = "load",
	[WL_CHURN] = "churn",
	[WL_REPLAY] = "replay",
};

#define CURVE_POINTS 400 /* samples per churn, roughly */
#define OVERLAP_BATCH 64 /* stores per overlap check */

struct wl_thread {
	struct frontend *fe;
	const struct wl_params *p;
	int tid, nthreads;
	uint64_t first, last; /* slots [first, last) */
	uint64_t rng;
	bool record; /* keep latency samples */
	struct lat_samples lat[LAT_NKINDS];
	struct codec_ctx *cx;
	uint8_t *buf;
	struct curve *curve; /* thread 0 of a churn only */
	uint64_t curve_every, ops;
	uint64_t compact_freed, compact_ns, compactions; /* churn: between rounds (thread 0) */
	bool oom, stopped;
	int (*fn)(struct wl_thread *t);
	const int *go; /* start flag: all threads begin together */
	uint64_t t_start, t_end, cpu_ns;
	/* stores timed while this thread and its peer both ran (see overlap_check) */
	clockid_t peer_clock;
	bool has_peer;
	uint64_t b_wall, b_self, b_peer; /* at the start of the current batch */
	uint32_t pend[OVERLAP_BATCH];
	int npend;
	struct lat_samples overlap;
	struct progress_local progress; /* operations not yet added to the display's count */
} __attribute__((aligned(64)));		/* threads write their own: no shared cache line */

void curve_release(struct curve *c)
{
	free(c->p);
	memset(c, 0, sizeof(*c));
}

static int curve_add(struct curve *c, uint64_t op, uint64_t pages)
{
	if (c->n == c->cap) {
		uint64_t cap = c->cap ? c->cap * 2 : 512;
		struct curve_point *p = realloc(c->p, cap * sizeof(*p));

		if (!p)
			return -1;
		c->p = p;
		c->cap = cap;
	}
	c->p[c->n].op = op;
	c->p[c->n].pool_pages = pages;
	c->n++;
	return 0;
}

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * On a shared machine threads of one process may take turns on one CPU,
 * and then their operations never meet in the allocator.  Every
 * OVERLAP_BATCH stores a thread reads its own and its peer's CPU clock: if
 * both advanced by at least 90 % of the batch's wall time, both ran all
 * along, and the batch's store latencies go into t->overlap too.
 */
static void overlap_check(struct wl_thread *t)
{
	uint64_t w = now_ns(), self = clock_ns(CLOCK_THREAD_CPUTIME_ID),
		 peer = clock_ns(t->peer_clock);
	uint64_t span = w - t->b_wall;

	if (t->b_wall && (self - t->b_self) * 10 >= span * 9 && (peer - t->b_peer) * 10 >= span * 9)
		for (int i = 0; i < t->npend; i++)
			if (lat_add(&t->overlap, t->pend[i]))
				t->oom = true;
	t->npend = 0;
	t->b_wall = w;
	t->b_self = self;
	t->b_peer = peer;
}

static void record(struct wl_thread *t, enum lat_kind alloc, enum lat_kind e2e,
		   const struct fe_lat *l)
{
	if (!t->record || !l->timed)
		return;
	if (lat_add(&t->lat[alloc], l->alloc_ns) || lat_add(&t->lat[e2e], l->e2e_ns))
		t->oom = true;
	if (t->has_peer && alloc == LAT_STORE) {
		if (!t->b_wall)
			overlap_check(t); /* the first batch starts here */
		t->pend[t->npend++] = l->alloc_ns > UINT32_MAX ? UINT32_MAX : (uint32_t)l->alloc_ns;
		if (t->npend == OVERLAP_BATCH)
			overlap_check(t);
	}
}

/* Stop early: interrupted, or another thread saw a mismatch. */
static bool must_stop(struct wl_thread *t)
{
	if (zpb_interrupted || __atomic_load_n(&t->fe->failed, __ATOMIC_ACQUIRE) || t->oom) {
		t->stopped = true;
		return true;
	}
	return false;
}

static void tick(struct wl_thread *t)
{
	progress_step(&t->progress);
	t->ops++;
	if (t->curve && t->ops % t->curve_every == 0 &&
	    curve_add(t->curve, t->ops * t->nthreads, zpool_total_pages(t->fe->zp)))
		t->oom = true;
}

static int do_fill(struct wl_thread *t)
{
	struct fe_lat l;

	for (uint64_t s = t->first; s < t->last && !must_stop(t); s++) {
		/* slot s holds corpus page s, cycling through the corpus for more objects */
		fe_store(t->fe, s, (uint32_t)(s % t->fe->ps->n), &l);
		record(t, LAT_STORE, LAT_STORE_E2E, &l);
		progress_step(&t->progress);
	}
	return 0;
}

static int do_empty(struct wl_thread *t)
{
	struct fe_lat l;

	for (uint64_t s = t->first; s < t->last; s++) {
		fe_free(t->fe, s, &l);
		progress_step(&t->progress);
	}
	return 0;
}

static int do_load(struct wl_thread *t)
{
	uint64_t n = t->last - t->first;
	struct zpb_perm pm;
	struct fe_lat l;

	/* a random order, computed: 10 million slots would take 40 MB as a shuffled array */
	zpb_perm_init(&pm, n, &t->rng);
	for (uint64_t i = 0; i < n && !must_stop(t); i++) {
		if (fe_load(t->fe, t->first + zpb_perm_at(&pm, i), t->cx, t->buf, &l))
			return -1;
		record(t, LAT_LOAD, LAT_LOAD_E2E, &l);
		progress_step(&t->progress);
	}
	return 0;
}

/*
 * The churn's random choices are a function of (seed, round, slot) alone:
 * whether the slot is freed in the round and which page it gets then.  So
 * the same slots are freed and refilled with the same pages however the
 * slots are split among threads; only the order differs.
 */
static uint64_t churn_draw(uint64_t seed, unsigned int round, uint64_t slot, uint64_t what)
{
	uint64_t x = seed ^ ((uint64_t)round << 40) ^ slot ^ (what << 62);

	return rng_next(&x);
}

/* Is slot @s freed and stored again in round @r? */
static bool churn_chosen(const struct wl_thread *t, uint64_t seed, unsigned int r, uint64_t s)
{
	uint64_t x = churn_draw(seed, r, s, 1);

	return rng_below(&x, 100) < t->p->churn_percent;
}

static int do_churn(struct wl_thread *t)
{
	uint64_t npages = t->fe->ps->n, seed = t->p->seed * 0x9e3779b97f4a7c15ULL;
	struct fe_lat l;

	/* the slots a round frees are drawn again for its stores: nothing is stored per slot */
	for (unsigned int r = 0; r < t->p->churn_rounds; r++) {
		for (uint64_t s = t->first; s < t->last && !must_stop(t); s++) {
			if (!churn_chosen(t, seed, r, s))
				continue;
			fe_free(t->fe, s, &l);
			record(t, LAT_FREE, LAT_FREE, &l);
			tick(t);
		}
		for (uint64_t s = t->first; s < t->last && !must_stop(t); s++) {
			uint64_t x = churn_draw(seed, r, s, 2);

			if (!churn_chosen(t, seed, r, s))
				continue;
			fe_store(t->fe, s, (uint32_t)rng_below(&x, npages), &l);
			record(t, LAT_STORE, LAT_STORE_E2E, &l);
			tick(t);
		}
		if (t->stopped)
			break;
		if (t->tid == 0 && t->p->compact_every && (r + 1) % t->p->compact_every == 0 &&
		    r + 1 < t->p->churn_rounds) {
			uint64_t t0 = now_ns();

			t->compact_freed += zpool_compact(t->fe->zp);
			t->compact_ns += now_ns() - t0;
			t->compactions++;
			if (t->curve &&
			    curve_add(t->curve, t->ops * t->nthreads, zpool_total_pages(t->fe->zp)))
				t->oom = true;
		}
	}
	if (t->curve && curve_add(t->curve, t->ops * t->nthreads, zpool_total_pages(t->fe->zp)))
		t->oom = true;
	return 0;
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void *thread_main(void *arg)
{
	struct wl_thread *t = arg;
	uint64_t c0;
	int go;

	fe_bind_thread(t->tid);
	fe_bind_codec(t->cx);
	while (!(go = __atomic_load_n(t->go, __ATOMIC_ACQUIRE)))
		sched_yield();
	if (go < 0) {
		fe_bind_codec(NULL);
		return NULL; /* another thread could not be started */
	}
	c0 = thread_cpu_ns();
	t->t_start = now_ns();
	t->fn(t);
	t->t_end = now_ns();
	progress_flush(&t->progress);
	t->cpu_ns = thread_cpu_ns() - c0;
	fe_bind_codec(NULL); /* t->cx is freed with t; the main thread runs here too */
	return NULL;
}

/*
 * Run @fn on @p->threads threads over all slots; latencies merged into
 * @r->lat, wall time into @r->phase_ns, the front end snapshot after.
 */
static int run_threads(struct frontend *fe, const struct wl_params *p,
		       int (*fn)(struct wl_thread *), uint64_t salt, bool rec, struct curve *curve,
		       struct raw_counts *r, char *err, size_t errlen)
{
	int n = p->threads > 0 ? p->threads : 1;
	struct wl_thread *ts = aligned_alloc(64, n * sizeof(*ts));
	pthread_t *tid = calloc(n, sizeof(*tid));
	struct lat_samples all = { 0 };
	int *go = aligned_alloc(64, 64); /* a cache line of its own */
	int ret = 0, started = 0;
	bool oom = !ts || !tid || !go || fe->nslots > UINT32_MAX;

	if (ts)
		memset(ts, 0, n * sizeof(*ts));
	if ((uint64_t)n > fe->nslots && fe->nslots)
		n = (int)fe->nslots;
	for (int i = 0; !oom && i < n; i++) {
		struct wl_thread *t = &ts[i];

		t->fe = fe;
		t->p = p;
		t->tid = i;
		t->nthreads = n;
		t->fn = fn;
		t->go = go;
		t->record = rec;
		t->first = fe->nslots * i / n;
		t->last = fe->nslots * (i + 1) / n;
		t->rng = p->seed ^ (salt * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)i << 32);
		t->cx = codec_ctx_new(&fe->ps->codec);
		t->buf = malloc(codec_bound(fe->ps->page));
		if (!t->cx || !t->buf)
			oom = true;
		if (i == 0 && curve) {
			uint64_t total = (uint64_t)p->churn_rounds * fe->nslots * p->churn_percent /
					 100 * 2 / n;

			t->curve = curve;
			t->curve_every = total / CURVE_POINTS ? total / CURVE_POINTS : 1;
		}
	}
	if (go)
		__atomic_store_n(go, 0, __ATOMIC_RELEASE);
	for (int i = 0; !oom && i < n; i++) {
		if (n == 1) {
			__atomic_store_n(go, 1, __ATOMIC_RELEASE);
			thread_main(&ts[0]);
			break;
		}
		if (pthread_create(&tid[i], NULL, thread_main, &ts[i])) {
			snprintf(err, errlen, "cannot start workload thread %d", i);
			ret = -1;
			break;
		}
		started++;
	}
	/* each thread watches the next one's CPU clock (overlap_check) */
	for (int i = 0; !ret && i < started && started == n; i++)
		ts[i].has_peer = !pthread_getcpuclockid(tid[(i + 1) % n], &ts[i].peer_clock);
	/* all created (or one failed): release them together */
	if (go)
		__atomic_store_n(go, ret ? -1 : 1, __ATOMIC_RELEASE);
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	r->threads = n;
	if (!oom && !ret) {
		uint64_t first = UINT64_MAX, last = 0;

		for (int i = 0; i < n; i++) {
			first = ts[i].t_start < first ? ts[i].t_start : first;
			last = ts[i].t_end > last ? ts[i].t_end : last;
			r->cpu_ns += ts[i].cpu_ns;
		}
		r->phase_ns = last > first ? last - first : 0;
		r->compact_pages_freed += ts[0].compact_freed;
		r->compact_ns += ts[0].compact_ns;
		r->compactions += ts[0].compactions;
	}

	/* the pool's figures first: the histograms below go on the heap */
	fe_snapshot(fe, r);
	for (int k = 0; !oom && k < LAT_NKINDS; k++) {
		lat_reset(&all);
		for (int i = 0; i < n; i++)
			if (lat_append(&all, &ts[i].lat[k]))
				oom = true;
		if (!oom && lat_hist_of(&r->hist[k], &all))
			oom = true;
		lat_hist_pct(&r->hist[k], &r->lat[k]);
	}
	lat_reset(&all);
	for (int i = 0; !oom && i < n; i++)
		if (lat_append(&all, &ts[i].overlap))
			oom = true;
	lat_percentiles(&all, &r->store_overlap);
	lat_release(&all);
	for (int i = 0; ts && i < n; i++) {
		if (ts[i].oom)
			oom = true;
		for (int k = 0; k < LAT_NKINDS; k++)
			lat_release(&ts[i].lat[k]);
		lat_release(&ts[i].overlap);
		if (ts[i].cx)
			codec_ctx_free(ts[i].cx);
		free(ts[i].buf);
	}
	free(ts);
	free(tid);
	free(go);
	if (ret || oom)
		raw_counts_release(r);
	if (ret)
		return ret;
	if (oom) {
		snprintf(err, errlen, "out of memory in the workload");
		return -1;
	}
	if (fe->failed) {
		snprintf(err, errlen, "%s", fe->err);
		return -1;
	}
	if (zpb_interrupted) {
		snprintf(err, errlen, "interrupted");
		return -1;
	}
	return 0;
}

int wl_warmup(struct frontend *fe, const struct wl_params *p, char *err, size_t errlen)
{
	struct raw_counts r;

	memset(&r, 0, sizeof(r));
	if (run_threads(fe, p, do_fill, 5, false, NULL, &r, err, errlen))
		return -1;
	raw_counts_release(&r);
	memset(&r, 0, sizeof(r));
	if (run_threads(fe, p, do_empty, 6, false, NULL, &r, err, errlen))
		return -1;
	raw_counts_release(&r);
	fe_reset_counters(fe);
	return 0;
}

int wl_fill(struct frontend *fe, const struct wl_params *p, struct raw_counts *r, char *err,
	    size_t errlen)
{
	memset(r, 0, sizeof(*r));
	return run_threads(fe, p, do_fill, 1, true, NULL, r, err, errlen);
}

int wl_load(struct frontend *fe, const struct wl_params *p, struct raw_counts *r, char *err,
	    size_t errlen)
{
	memset(r, 0, sizeof(*r));
	return run_threads(fe, p, do_load, 2, true, NULL, r, err, errlen);
}

int wl_churn(struct frontend *fe, const struct wl_params *p, struct raw_counts *r,
	     struct curve *curve, char *err, size_t errlen)
{
	struct raw_counts verify;
	uint64_t t0, last_op;
	int ret;

	memset(r, 0, sizeof(*r));
	curve->n = 0;
	if (curve_add(curve, 0, zpool_total_pages(fe->zp)))
		goto oom;
	ret = run_threads(fe, p, do_churn, 3, true, curve, r, err, errlen);
	if (ret)
		return ret;
	last_op = curve->p[curve->n - 1].op;
	/* the compaction a long-running pool gets now and then */
	t0 = now_ns();
	r->compact_pages_freed += zpool_compact(fe->zp);
	r->compact_ns += now_ns() - t0;
	r->compactions++;
	if (curve_add(curve, last_op, zpool_total_pages(fe->zp)))
		goto oom;
	{
		struct raw_counts after;

		fe_snapshot(fe, &after);
		r->pool_pages = after.pool_pages;
		r->peak_pages = after.peak_pages;
		r->metadata_bytes = after.metadata_bytes;
		r->straddling = after.straddling;
		r->copy_bytes = after.copy_bytes;
		r->moves = after.moves;
	}
	/* every object must still read back after churn and compaction */
	memset(&verify, 0, sizeof(verify));
	ret = run_threads(fe, p, do_load, 4, false, NULL, &verify, err, errlen);
	raw_counts_release(&verify);
	if (ret)
		raw_counts_release(r);
	return ret;
oom:
	raw_counts_release(r);
	snprintf(err, errlen, "out of memory in the churn workload");
	return -1;
}
