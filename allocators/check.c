// SPDX-License-Identifier: GPL-2.0-only
/*
 * check.c - the overlap and integrity checker (see check.h).
 *
 * Data structures:
 *
 *   recs[]      dense array of live objects (swap-with-last on removal, so a
 *               fuzzer can pick "the i-th live object"), found by handle
 *               through by_handle (handle -> index);
 *   shadow[]    one 4096-bit map per 4 KiB of memory holding any live byte
 *               (whatever the pool's page size: a 16 KiB pool page is four
 *               of them), found by address through by_page; a bit is set
 *               while a live object covers that byte, and `used` counts the
 *               set bits so that a page's map is dropped when it empties.
 *
 * Both maps are open addressing with linear probing and backward-shift
 * deletion; key 0 marks an empty slot (no handle and no page address is 0).
 *
 * The shadow is rebuilt from scratch (every object re-located and
 * re-checked) after anything that may move objects: compact(), shrink(), and
 * any operation after which stats.moves or stats.compactions changed.
 */
#define _GNU_SOURCE /* mremap */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"
#include "page.h"

struct u64map {
	uint64_t *keys;
	uint32_t *vals;
	uint64_t mask; /* capacity - 1 */
	uint64_t count;
	unsigned int bits;
};

struct zrec {
	unsigned long handle;
	uint32_t size;
	int npieces;
	uint64_t seed;
	struct zpool_extent piece[ZCHECK_MAX_PIECES];
};

#define SHADOW_SIZE 4096 /* bytes one shadow map covers */

struct shadow_page {
	uint64_t bits[SHADOW_SIZE / 64];
	uint32_t used; /* bits set */
	uint32_t next; /* free list link (index + 1) */
};

struct zcheck {
	struct zpool *zp;
	struct page_provider *pp;
	struct zpool_evict_ops evict_ops;
	unsigned int flags;

	struct zrec *recs;
	size_t nrecs, caprecs;
	struct u64map by_handle;

	struct shadow_page *shadow;
	uint32_t nshadow, capshadow, shadow_free;
	struct u64map by_page;

	uint64_t seed_ctr;
	size_t max_accepted; /* largest size accepted so far */
	size_t min_refused;  /* smallest non-zero size refused by size so far */
	bool limit_set;
	bool in_shrink;
	unsigned int evict_fail_every;
	uint64_t evict_calls, evicted;
	uint64_t moves_seen, compactions_seen;
	uint64_t ops;
	/* pages the last free/access touched: where an in-page move happens */
	uintptr_t hint[2 * ZCHECK_MAX_PIECES];
	int nhint;

	bool fatal, failed;
	char err[ZPOOL_SPEC_MAX + 512];
	/* a step under settle(): failures are held until they repeat */
	bool tentative, tent_failed;
	char tent_err[400];
	size_t page_size; /* the pool's (zpool_page_size) */
	size_t max_size;  /* the largest object it takes (zpool_max_size) */
	unsigned char expect[ZPOOL_OBJ_SIZE_MAX];
};

/* ---- reporting ---- */

static void fail(struct zcheck *zc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct zcheck *zc, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (zc->tentative) {
		if (!zc->tent_failed)
			memcpy(zc->tent_err, msg, sizeof(msg));
		zc->tent_failed = true;
		return;
	}
	if (!zc->failed)
		snprintf(zc->err, sizeof(zc->err), "%s: %s", zc->zp->cfg.spec, msg);
	zc->failed = true;
	if (zc->fatal) {
		fprintf(stderr, "zcheck: %s\n", zc->err);
		abort();
	}
}

/*
 * ---- tables ----
 * The checker's tables live in their own mappings, not in the C heap, so
 * that an allocator measured by the heap's growth (malloc:footprint=heap)
 * sees its own objects only, before, during and after a checked run.
 */
static void *tab_alloc(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		abort(); /* the checker cannot go on without its records */
	return p;
}

static void *tab_grow(void *p, size_t old, size_t len)
{
	void *n;

	if (!p)
		return tab_alloc(len);
	n = mremap(p, old, len, MREMAP_MAYMOVE);
	if (n == MAP_FAILED)
		abort();
	return n;
}

static void tab_free(void *p, size_t len)
{
	if (p)
		munmap(p, len);
}

/* ---- hash map: u64 key (never 0) -> u32 value ---- */

static inline uint64_t map_slot(const struct u64map *m, uint64_t key)
{
	return (key * 0x9e3779b97f4a7c15ULL) >> (64 - m->bits);
}

static int map_init(struct u64map *m, unsigned int bits)
{
	m->bits = bits;
	m->mask = (1ULL << bits) - 1;
	m->count = 0;
	m->keys = tab_alloc((m->mask + 1) * sizeof(*m->keys));
	m->vals = tab_alloc((m->mask + 1) * sizeof(*m->vals));
	return 0;
}

static void map_free(struct u64map *m)
{
	if (!m->keys)
		return;
	tab_free(m->keys, (m->mask + 1) * sizeof(*m->keys));
	tab_free(m->vals, (m->mask + 1) * sizeof(*m->vals));
	m->keys = NULL;
	m->vals = NULL;
}

static void map_clear(struct u64map *m)
{
	memset(m->keys, 0, (m->mask + 1) * sizeof(*m->keys));
	m->count = 0;
}

/* Slot of @key, or -1. */
static int64_t map_find(const struct u64map *m, uint64_t key)
{
	for (uint64_t i = map_slot(m, key);; i = (i + 1) & m->mask) {
		if (m->keys[i] == key)
			return (int64_t)i;
		if (!m->keys[i])
			return -1;
	}
}

static void map_put_nogrow(struct u64map *m, uint64_t key, uint32_t val)
{
	uint64_t i = map_slot(m, key);

	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & m->mask;
	if (!m->keys[i])
		m->count++;
	m->keys[i] = key;
	m->vals[i] = val;
}

static void map_put(struct u64map *m, uint64_t key, uint32_t val)
{
	if ((m->count + 1) * 2 > m->mask + 1) {
		struct u64map old = *m;

		if (map_init(m, old.bits + 1))
			abort(); /* the checker cannot go on without its records */
		for (uint64_t i = 0; i <= old.mask; i++)
			if (old.keys[i])
				map_put_nogrow(m, old.keys[i], old.vals[i]);
		map_free(&old);
	}
	map_put_nogrow(m, key, val);
}

static void map_del_slot(struct u64map *m, uint64_t i)
{
	uint64_t j = i;

	/* backward shift: pull later entries of the cluster into the hole */
	for (;;) {
		uint64_t home;

		j = (j + 1) & m->mask;
		if (!m->keys[j])
			break;
		home = map_slot(m, m->keys[j]);
		/* move j to i unless its home lies cyclically in (i, j] */
		if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			i = j;
		}
	}
	m->keys[i] = 0;
	m->count--;
}

/* ---- the object pattern ---- */

/*
 * Word i of an object is seed + i * odd constant: as cheap as a memset, and
 * distinct for every seed, so a byte changed, an object displaced or two
 * objects swapped all show.  Every write of an object gets a fresh seed.
 */
static void pattern(unsigned char *buf, size_t len, uint64_t seed)
{
	uint64_t v = seed;
	size_t i = 0;

	for (; i + 8 <= len; i += 8, v += 0x9e3779b97f4a7c15ULL)
		memcpy(buf + i, &v, 8);
	if (i < len)
		memcpy(buf + i, &v, len - i);
}

/* ---- the shadow map ---- */

/* Mask of bits [lo, hi) within one 64-bit word, 0 <= lo < hi <= 64. */
static inline uint64_t word_mask(unsigned int lo, unsigned int hi)
{
	uint64_t m = hi == 64 ? ~0ULL : (1ULL << hi) - 1;

	return m & ~((1ULL << lo) - 1);
}

enum bit_op { BITS_TEST, BITS_SET, BITS_CLEAR };

/* Test (any set?), set or clear bits [off, off + len) of a page's map. */
static bool bits_do(struct shadow_page *sp, unsigned int off, unsigned int len, enum bit_op op)
{
	unsigned int end = off + len;

	while (off < end) {
		unsigned int w = off / 64, lo = off % 64;
		unsigned int hi = end - w * 64 < 64 ? end - w * 64 : 64;
		uint64_t m = word_mask(lo, hi);

		switch (op) {
		case BITS_TEST:
			if (sp->bits[w] & m)
				return true;
			break;
		case BITS_SET:
			sp->used += __builtin_popcountll(m & ~sp->bits[w]);
			sp->bits[w] |= m;
			break;
		case BITS_CLEAR:
			sp->used -= __builtin_popcountll(m & sp->bits[w]);
			sp->bits[w] &= ~m;
			break;
		}
		off = (w + 1) * 64;
	}
	return false;
}

static struct shadow_page *shadow_get(struct zcheck *zc, uintptr_t page, bool create)
{
	int64_t slot = map_find(&zc->by_page, page);
	uint32_t idx;

	if (slot >= 0)
		return &zc->shadow[zc->by_page.vals[slot]];
	if (!create)
		return NULL;
	if (zc->shadow_free) {
		idx = zc->shadow_free - 1;
		zc->shadow_free = zc->shadow[idx].next;
	} else {
		if (zc->nshadow == zc->capshadow) {
			uint32_t cap = zc->capshadow ? zc->capshadow * 2 : 256;

			zc->shadow = tab_grow(zc->shadow, zc->capshadow * sizeof(*zc->shadow),
					      cap * sizeof(*zc->shadow));
			zc->capshadow = cap;
		}
		idx = zc->nshadow++;
	}
	memset(&zc->shadow[idx], 0, sizeof(zc->shadow[idx]));
	map_put(&zc->by_page, page, idx);
	return &zc->shadow[idx];
}

static void shadow_put_page(struct zcheck *zc, uintptr_t page)
{
	int64_t slot = map_find(&zc->by_page, page);
	uint32_t idx;

	if (slot < 0)
		return;
	idx = zc->by_page.vals[slot];
	if (zc->shadow[idx].used)
		return;
	map_del_slot(&zc->by_page, (uint64_t)slot);
	zc->shadow[idx].next = zc->shadow_free;
	zc->shadow_free = idx + 1;
}

static void shadow_reset(struct zcheck *zc)
{
	map_clear(&zc->by_page);
	zc->nshadow = 0;
	zc->shadow_free = 0;
}

static bool pieces_intersect(const struct zrec *a, const struct zrec *b)
{
	for (int i = 0; i < a->npieces; i++)
		for (int j = 0; j < b->npieces; j++) {
			uintptr_t a0 = (uintptr_t)a->piece[i].addr, a1 = a0 + a->piece[i].len;
			uintptr_t b0 = (uintptr_t)b->piece[j].addr, b1 = b0 + b->piece[j].len;

			if (a0 < b1 && b0 < a1)
				return true;
		}
	return false;
}

/* Report which live object @r overlaps (slow path, only on failure). */
static void report_overlap(struct zcheck *zc, const struct zrec *r)
{
	for (size_t i = 0; i < zc->nrecs; i++) {
		const struct zrec *o = &zc->recs[i];

		if (o != r && o->npieces && pieces_intersect(r, o)) {
			fail(zc,
			     "overlap: object %#lx (%u bytes at %p) overlaps live object %#lx (%u bytes at %p)",
			     r->handle, r->size, r->piece[0].addr, o->handle, o->size,
			     o->piece[0].addr);
			return;
		}
	}
	fail(zc, "overlap: object %#lx (%u bytes at %p) overlaps a live object", r->handle, r->size,
	     r->piece[0].addr);
}

/* Walk the page segments of @r's pieces. */
#define for_each_segment(r, i, a, rem, page, off, seg)                                   \
	for (i = 0; i < (r)->npieces; i++)                                               \
		for (a = (uintptr_t)(r)->piece[i].addr, rem = (r)->piece[i].len;         \
		     rem && (page = a & ~(SHADOW_SIZE - 1), off = a - page,              \
			    seg = rem < SHADOW_SIZE - off ? rem : SHADOW_SIZE - off, 1); \
		     a += seg, rem -= seg)

/* Mark @r's bytes live; fails if any is already. */
static void shadow_add(struct zcheck *zc, const struct zrec *r)
{
	uintptr_t a, page;
	size_t rem, off, seg;
	int i;

	/* test first, so a failure leaves the shadow as it was */
	for_each_segment(r, i, a, rem, page, off, seg) {
		struct shadow_page *sp = shadow_get(zc, page, false);

		if (sp && bits_do(sp, off, seg, BITS_TEST)) {
			report_overlap(zc, r);
			return;
		}
	}
	/* an object overlapping itself (pieces given twice by locate()) */
	for_each_segment(r, i, a, rem, page, off, seg) {
		struct shadow_page *sp = shadow_get(zc, page, true);

		if (bits_do(sp, off, seg, BITS_TEST)) {
			fail(zc, "object %#lx (%u bytes): locate() returns overlapping pieces",
			     r->handle, r->size);
			return;
		}
		bits_do(sp, off, seg, BITS_SET);
	}
}

static void shadow_del(struct zcheck *zc, const struct zrec *r)
{
	uintptr_t a, page;
	size_t rem, off, seg;
	int i;

	for_each_segment(r, i, a, rem, page, off, seg) {
		struct shadow_page *sp = shadow_get(zc, page, false);

		if (sp) {
			bits_do(sp, off, seg, BITS_CLEAR);
			shadow_put_page(zc, page);
		}
	}
}

/* ---- objects ---- */

static struct zrec *rec_find(struct zcheck *zc, unsigned long handle)
{
	int64_t slot = handle ? map_find(&zc->by_handle, handle) : -1;

	return slot < 0 ? NULL : &zc->recs[zc->by_handle.vals[slot]];
}

static struct zrec *rec_add(struct zcheck *zc, unsigned long handle, uint32_t size)
{
	struct zrec *r;

	if (zc->nrecs == zc->caprecs) {
		size_t cap = zc->caprecs ? zc->caprecs * 2 : 1024;

		zc->recs = tab_grow(zc->recs, zc->caprecs * sizeof(*zc->recs),
				    cap * sizeof(*zc->recs));
		zc->caprecs = cap;
	}
	r = &zc->recs[zc->nrecs];
	memset(r, 0, sizeof(*r));
	r->handle = handle;
	r->size = size;
	map_put(&zc->by_handle, handle, (uint32_t)zc->nrecs);
	zc->nrecs++;
	return r;
}

static void rec_del(struct zcheck *zc, struct zrec *r)
{
	size_t idx = r - zc->recs, last = zc->nrecs - 1;

	map_del_slot(&zc->by_handle, (uint64_t)map_find(&zc->by_handle, r->handle));
	if (idx != last) {
		zc->recs[idx] = zc->recs[last];
		zc->by_handle.vals[map_find(&zc->by_handle, zc->recs[idx].handle)] = (uint32_t)idx;
	}
	zc->nrecs--;
}

static uint64_t next_seed(struct zcheck *zc)
{
	return ++zc->seed_ctr * 0xd1342543de82ef95ULL;
}

/* Find where @r's bytes are and check each piece lies in one held page. */
static bool locate(struct zcheck *zc, struct zrec *r)
{
	const struct zpool_driver *drv = zc->zp->drv;
	size_t total = 0;
	int n;

	if (drv->locate) {
		n = drv->locate(zc->zp->pool, r->handle, r->piece, ZCHECK_MAX_PIECES);
		if (n < 1 || n > ZCHECK_MAX_PIECES) {
			fail(zc, "locate(%#lx) returned %d pieces", r->handle, n);
			return false;
		}
	} else {
		void *p = zpool_map(zc->zp, r->handle, ZPOOL_MM_RO);

		zpool_unmap(zc->zp, r->handle);
		if (!p) {
			fail(zc, "map(%#lx) returned NULL", r->handle);
			return false;
		}
		r->piece[0].addr = p;
		r->piece[0].len = r->size;
		n = 1;
	}
	r->npieces = n;
	for (int i = 0; i < n; i++) {
		const struct zpool_extent *e = &r->piece[i];

		total += e->len;
		if (!e->len || !e->addr) {
			fail(zc, "locate(%#lx): empty piece %d", r->handle, i);
			return false;
		}
		if (!zc->pp)
			continue;
		if (!pp_owns(zc->pp, e->addr)) {
			fail(zc,
			     "object %#lx (%u bytes): its bytes at %p are not in a page the pool holds (a freed page? a copy buffer, with no locate() op?)",
			     r->handle, r->size, e->addr);
			return false;
		}
		if (page_base_sized(e->addr, zc->page_size) !=
		    page_base_sized((char *)e->addr + e->len - 1, zc->page_size)) {
			fail(zc,
			     "object %#lx (%u bytes) at %p crosses a page boundary (pool pages are not contiguous)",
			     r->handle, r->size, e->addr);
			return false;
		}
	}
	if (total < r->size) {
		fail(zc, "locate(%#lx): pieces add up to %zu bytes, the object has %u", r->handle,
		     total, r->size);
		return false;
	}
	/* a slot longer than the object: keep the object's bytes only */
	for (int i = 0, left = (int)r->size; i < n; i++) {
		if (left <= 0) {
			r->npieces = i;
			break;
		}
		if (r->piece[i].len > (size_t)left)
			r->piece[i].len = left;
		left -= (int)r->piece[i].len;
	}
	return true;
}

/* The object's bytes, through map() and (with locate()) where they really are. */
static bool verify_obj(struct zcheck *zc, const struct zrec *r, const char *when)
{
	const unsigned char *p;
	size_t off = 0;
	bool ok;

	pattern(zc->expect, r->size, r->seed);
	p = zpool_map(zc->zp, r->handle, ZPOOL_MM_RO);
	ok = p && !memcmp(p, zc->expect, r->size);
	zpool_unmap(zc->zp, r->handle);
	if (!ok) {
		fail(zc, "data corruption: object %#lx (%u bytes) reads back wrong through map() %s",
		     r->handle, r->size, when);
		return false;
	}
	if (!zc->zp->drv->locate)
		return true;
	for (int i = 0; i < r->npieces; i++) {
		if (memcmp(r->piece[i].addr, zc->expect + off, r->piece[i].len)) {
			fail(zc,
			     "data corruption: object %#lx (%u bytes) is wrong in its piece %d at %p %s",
			     r->handle, r->size, i, r->piece[i].addr, when);
			return false;
		}
		off += r->piece[i].len;
	}
	return true;
}

/* Rebuild the shadow: every object re-located, overlap-checked, verified. */
static void relocate_all(struct zcheck *zc, const char *when)
{
	shadow_reset(zc);
	/* all located first, so that an overlap names the right other object */
	for (size_t i = 0; i < zc->nrecs; i++)
		if (!locate(zc, &zc->recs[i]))
			return;
	/* overlaps first: an overlap is the cause of the corruption it makes */
	for (size_t i = 0; i < zc->nrecs && !zc->failed && !zc->tent_failed; i++)
		shadow_add(zc, &zc->recs[i]);
	for (size_t i = 0; i < zc->nrecs && !zc->failed && !zc->tent_failed; i++)
		verify_obj(zc, &zc->recs[i], when);
}

static uint64_t move_seq(struct zcheck *zc)
{
	struct zpool_stats st;

	zpool_get_stats(zc->zp, &st);
	return st.moves + st.compactions;
}

/*
 * Run a checking step; if it finds a problem, run it again until it passes,
 * or fails three times in a row with no move in between (then the problem
 * is reported).  An allocator that moves objects or frees pages from a
 * worker thread (z3fold:async=1) changes the pool under the checker's feet;
 * a real bug persists, a race with the worker does not.
 */
static void settle(struct zcheck *zc, void (*step)(struct zcheck *, const char *), const char *arg)
{
	int stable_fails = 0;

	for (int tries = 0; tries < 1000 && !zc->failed; tries++) {
		uint64_t s0 = tries ? move_seq(zc) : 0;

		zc->tentative = true;
		zc->tent_failed = false;
		step(zc, arg);
		zc->tentative = false;
		if (!zc->tent_failed)
			return;
		if (tries && move_seq(zc) == s0 && ++stable_fails >= 3)
			break;
		sched_yield();
	}
	if (zc->tent_failed)
		fail(zc, "%s", zc->tent_err);
}

/* Re-locate and re-check everything, settled against concurrent moves. */
static void relocate_settled(struct zcheck *zc, const char *when)
{
	struct zpool_stats st;

	zpool_get_stats(zc->zp, &st);
	zc->moves_seen = st.moves;
	zc->compactions_seen = st.compactions;
	settle(zc, relocate_all, when);
}

static void accounting_step(struct zcheck *zc, const char *after)
{
	struct zpool_stats st;
	uint64_t pages;

	zpool_get_stats(zc->zp, &st);
	pages = zpool_total_pages(zc->zp);
	if (st.objects != zc->nrecs)
		fail(zc, "stats report %" PRIu64 " live objects after %s, the front end holds %zu",
		     st.objects, after, zc->nrecs);
	else if (st.pool_pages != pages)
		fail(zc, "stats report %" PRIu64 " pool pages after %s, total_pages() %" PRIu64,
		     st.pool_pages, after, pages);
	else if (zc->pp && pp_pages(zc->pp) != pages)
		fail(zc,
		     "total_pages() is %" PRIu64 " after %s, but %" PRIu64
		     " pages are held from the page provider",
		     pages, after, pp_pages(zc->pp));
	else if (st.evictions != zc->evicted)
		fail(zc, "stats report %" PRIu64 " evictions after %s, the front end saw %" PRIu64,
		     st.evictions, after, zc->evicted);
}

/* Remember the pages of @r: objects moved by the coming op are likely there. */
static void hint_pages(struct zcheck *zc, const struct zrec *r)
{
	zc->nhint = 0;
	for (int i = 0; i < r->npieces; i++) {
		uintptr_t a = (uintptr_t)r->piece[i].addr;

		zc->hint[zc->nhint++] = a & ~(zc->page_size - 1);
		zc->hint[zc->nhint++] = (a + r->piece[i].len - 1) & ~(zc->page_size - 1);
	}
}

static bool in_hint_pages(const struct zcheck *zc, const struct zrec *r)
{
	for (int i = 0; i < r->npieces; i++) {
		uintptr_t a = (uintptr_t)r->piece[i].addr & ~(zc->page_size - 1);

		for (int h = 0; h < zc->nhint; h++)
			if (zc->hint[h] == a)
				return true;
	}
	return false;
}

/*
 * Objects moved after a free or an access (in-page compaction, as z3fold
 * does): re-locate and verify the objects of the pages that op touched; if
 * that does not add up (something moved elsewhere), everything.
 */
static void relocate_moved(struct zcheck *zc, const char *when)
{
	struct zpool_stats st;
	size_t n = 0;

	zpool_get_stats(zc->zp, &st);
	zc->moves_seen = st.moves;
	zc->compactions_seen = st.compactions;
	if (!zc->nhint) {
		settle(zc, relocate_all, when);
		return;
	}
	/* the affected records go to the front, then: unmark all, re-locate, re-mark */
	for (size_t i = 0; i < zc->nrecs; i++) {
		if (in_hint_pages(zc, &zc->recs[i])) {
			struct zrec t = zc->recs[n];

			zc->recs[n] = zc->recs[i];
			zc->recs[i] = t;
			zc->by_handle.vals[map_find(&zc->by_handle, zc->recs[n].handle)] =
				(uint32_t)n;
			zc->by_handle.vals[map_find(&zc->by_handle, zc->recs[i].handle)] =
				(uint32_t)i;
			n++;
		}
	}
	zc->tentative = true;
	zc->tent_failed = false;
	for (size_t i = 0; i < n; i++)
		shadow_del(zc, &zc->recs[i]);
	for (size_t i = 0; i < n && !zc->tent_failed; i++)
		locate(zc, &zc->recs[i]);
	for (size_t i = 0; i < n && !zc->tent_failed; i++)
		shadow_add(zc, &zc->recs[i]);
	for (size_t i = 0; i < n && !zc->tent_failed; i++)
		verify_obj(zc, &zc->recs[i], when);
	zc->tentative = false;
	if (zc->tent_failed)
		settle(zc, relocate_all, when);
}

/* After every operation: the allocator's figures against the front end's. */
static void check_accounting(struct zcheck *zc, const char *after)
{
	struct zpool_stats st;

	zc->ops++;
	if (zc->failed)
		return;
	settle(zc, accounting_step, after);
	if (zc->failed)
		return;
	zpool_get_stats(zc->zp, &st);
	if (st.moves != zc->moves_seen || st.compactions != zc->compactions_seen) {
		char when[96];

		snprintf(when, sizeof(when), "after objects moved in %s", after);
		relocate_moved(zc, when);
	}
	zc->nhint = 0;
}

/* The front end's writeback: read the object, then free it. */
static int evict_cb(void *ctx, unsigned long handle)
{
	struct zcheck *zc = ctx;
	struct zrec *r = rec_find(zc, handle);

	if (!zc->in_shrink) {
		fail(zc, "evict(%#lx) called outside shrink()", handle);
		return -EINVAL;
	}
	if (!r) {
		fail(zc, "evict(%#lx): not a live handle", handle);
		return -ENOENT;
	}
	if (!verify_obj(zc, r, "when evicted"))
		return -EIO;
	zc->evict_calls++;
	if (zc->evict_fail_every && zc->evict_calls % zc->evict_fail_every == 0)
		return -EAGAIN;
	shadow_del(zc, r);
	zpool_free(zc->zp, handle);
	rec_del(zc, r);
	zc->evicted++;
	return 0;
}

/* ---- the checked operations ---- */

int zcheck_malloc(struct zcheck *zc, size_t size, unsigned long *handle)
{
	unsigned long h = 0;
	struct zrec *r;
	void *p;
	int rc;

	rc = zpool_malloc(zc->zp, size, &h);
	if (size == 0) {
		if (rc != -EINVAL)
			fail(zc, "malloc(0) returned %d, not -EINVAL", rc);
		if (rc == 0)
			return -EINVAL;
		goto out;
	}
	if (rc == -ENOMEM) {
		if (!zc->limit_set)
			fail(zc, "malloc(%zu) returned -ENOMEM with no page limit set", size);
		goto out;
	}
	if (rc == -ENOSPC || rc == -EINVAL) {
		if (size <= zc->max_accepted)
			fail(zc,
			     "malloc(%zu) refused with %d, but %zu bytes were accepted before (a refusal by size must be final)",
			     size, rc, zc->max_accepted);
		if (!zc->min_refused || size < zc->min_refused)
			zc->min_refused = size;
		goto out;
	}
	if (rc != 0) {
		fail(zc, "malloc(%zu) returned %d (valid: 0, -EINVAL, -ENOSPC, -ENOMEM)", size, rc);
		goto out;
	}
	if (!h) {
		fail(zc, "malloc(%zu) returned handle 0", size);
		return -EINVAL;
	}
	if (size > zc->max_size || (zc->min_refused && size >= zc->min_refused)) {
		fail(zc,
		     "malloc(%zu) accepted, but %zu bytes were refused before (or more than the %zu bytes max_size() declares)",
		     size, zc->min_refused, zc->max_size);
		return -ENOSPC;
	}
	if (rec_find(zc, h)) {
		fail(zc, "malloc(%zu) returned handle %#lx, which is live", size, h);
		return -EINVAL;
	}
	if (size > zc->max_accepted)
		zc->max_accepted = size;

	r = rec_add(zc, h, (uint32_t)size);
	r->seed = next_seed(zc);
	p = zpool_map(zc->zp, h, ZPOOL_MM_WO);
	if (!p) {
		fail(zc, "map(%#lx) returned NULL", h);
		return -EINVAL;
	}
	pattern(p, size, r->seed);
	zpool_unmap(zc->zp, h);
	/* tentatively: on a problem, everything is re-checked, settled */
	zc->tentative = true;
	zc->tent_failed = false;
	if (locate(zc, r)) {
		shadow_add(zc, r);
		verify_obj(zc, r, "right after it was stored");
	}
	zc->tentative = false;
	if (zc->tent_failed)
		relocate_settled(zc, "right after an object was stored");
	*handle = h;
	rc = 0;
out:
	check_accounting(zc, "malloc");
	return rc;
}

void zcheck_free(struct zcheck *zc, unsigned long handle)
{
	struct zrec *r = rec_find(zc, handle);

	if (!r) {
		fail(zc, "internal: free of handle %#lx, which is not live", handle);
		return;
	}
	verify_obj(zc, r, "when freed");
	hint_pages(zc, r);
	shadow_del(zc, r);
	zpool_free(zc->zp, handle);
	rec_del(zc, r);
	check_accounting(zc, "free");
}

void zcheck_access(struct zcheck *zc, unsigned long handle, enum zpool_mapmode mm)
{
	static const char *const names[] = { "RW", "RO", "WO" };
	struct zrec *r = rec_find(zc, handle);
	unsigned char *p;
	char when[64];

	if (!r) {
		fail(zc, "internal: access to handle %#lx, which is not live", handle);
		return;
	}
	hint_pages(zc, r);
	pattern(zc->expect, r->size, r->seed);
	p = zpool_map(zc->zp, handle, mm);
	if (!p) {
		fail(zc, "map(%#lx, %s) returned NULL", handle, names[mm]);
		return;
	}
	if (mm != ZPOOL_MM_WO && memcmp(p, zc->expect, r->size)) {
		zpool_unmap(zc->zp, handle);
		fail(zc, "data corruption: object %#lx (%u bytes) reads back wrong through map(%s)",
		     handle, r->size, names[mm]);
		return;
	}
	if (mm != ZPOOL_MM_RO) {
		r->seed = next_seed(zc);
		pattern(p, r->size, r->seed);
	}
	zpool_unmap(zc->zp, handle);
	snprintf(when, sizeof(when), "after map(%s) and unmap", names[mm]);
	verify_obj(zc, r, when);
	check_accounting(zc, "map");
}

unsigned long zcheck_compact(struct zcheck *zc)
{
	uint64_t before = zpool_total_pages(zc->zp), after;
	unsigned long freed = zpool_compact(zc->zp);

	after = zpool_total_pages(zc->zp);
	if (freed > before)
		fail(zc, "compact() says it freed %lu pages of %" PRIu64, freed, before);
	if (after > before)
		fail(zc, "compact() grew the pool from %" PRIu64 " to %" PRIu64 " pages", before,
		     after);
	/* no compact op: nothing ran that could move an object */
	if (zc->zp->drv->compact)
		relocate_settled(zc, "after compaction");
	check_accounting(zc, "compact");
	return freed;
}

int zcheck_shrink(struct zcheck *zc, unsigned int pages, unsigned int *reclaimed)
{
	unsigned int got = 0;
	int rc;

	zc->in_shrink = true;
	rc = zpool_shrink(zc->zp, pages, &got);
	zc->in_shrink = false;
	if (got > pages)
		fail(zc, "shrink(%u) reclaimed %u pages", pages, got);
	if (rc == 0 && got != pages)
		fail(zc, "shrink(%u) returned 0 but reclaimed %u pages", pages, got);
	if (zc->zp->drv->shrink)
		relocate_settled(zc, "after reclaim");
	check_accounting(zc, "shrink");
	if (reclaimed)
		*reclaimed = got;
	return rc;
}

void zcheck_verify(struct zcheck *zc)
{
	relocate_settled(zc, "in a full check");
	check_accounting(zc, "a full check");
}

void zcheck_set_evict_fail(struct zcheck *zc, unsigned int every)
{
	zc->evict_fail_every = every;
}

bool zcheck_set_limit(struct zcheck *zc, uint64_t pages)
{
	if (!zc->pp)
		return false;
	pp_set_limit(zc->pp, pages);
	zc->limit_set = pages != 0;
	return true;
}

/* ---- life cycle ---- */

static struct zcheck *zcheck_alloc(unsigned int flags)
{
	struct zcheck *zc = tab_alloc(sizeof(*zc));

	map_init(&zc->by_handle, 10);
	map_init(&zc->by_page, 10);
	zc->flags = flags;
	zc->fatal = true;
	zc->evict_ops.evict = evict_cb;
	zc->evict_ops.ctx = zc;
	return zc;
}

static void zcheck_free_mem(struct zcheck *zc)
{
	map_free(&zc->by_handle);
	map_free(&zc->by_page);
	tab_free(zc->recs, zc->caprecs * sizeof(*zc->recs));
	tab_free(zc->shadow, zc->capshadow * sizeof(*zc->shadow));
	tab_free(zc, sizeof(*zc));
}

static struct zcheck *zcheck_start(struct zcheck *zc)
{
	struct zpool_stats st;

	zc->page_size = zpool_page_size(zc->zp);
	zc->max_size = zpool_max_size(zc->zp);
	if (zc->max_size > sizeof(zc->expect))
		zc->max_size = sizeof(zc->expect); /* larger objects are reported as violations */
	if (zc->zp->drv->provider)
		zc->pp = zc->zp->drv->provider(zc->zp->pool);
	if (zc->pp && (zc->flags & ZCHECK_GUARD))
		pp_set_guard(zc->pp, true);
	zpool_get_stats(zc->zp, &st);
	zc->moves_seen = st.moves;
	zc->compactions_seen = st.compactions;
	return zc;
}

struct zcheck *zcheck_create(const char *spec, unsigned int flags, char *err, size_t errlen)
{
	struct zcheck *zc = zcheck_alloc(flags);

	if (!zc) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	zc->zp = zpool_create(spec, &zc->evict_ops, err, errlen);
	if (!zc->zp) {
		zcheck_free_mem(zc);
		return NULL;
	}
	return zcheck_start(zc);
}

struct zcheck *zcheck_create_driver(const struct zpool_driver *drv, unsigned int flags, char *err,
				    size_t errlen)
{
	struct zcheck *zc = zcheck_alloc(flags);
	struct zpool *zp;

	zp = zc ? calloc(1, sizeof(*zp)) : NULL;
	if (!zp) {
		if (zc)
			zcheck_free_mem(zc);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	zp->drv = drv;
	zp->cfg.drv = drv;
	snprintf(zp->cfg.spec, sizeof(zp->cfg.spec), "%s", drv->name);
	zp->page_size = zpool_cfg_page_size(&zp->cfg);
	zp->pool = drv->create(&zp->cfg, &zc->evict_ops, err, errlen);
	if (!zp->pool) {
		free(zp);
		zcheck_free_mem(zc);
		return NULL;
	}
	zc->zp = zp;
	return zcheck_start(zc);
}

int zcheck_drain(struct zcheck *zc)
{
	uint64_t pages;

	zcheck_verify(zc);
	while (zc->nrecs && !zc->failed)
		zcheck_free(zc, zc->recs[zc->nrecs - 1].handle);
	if (!zc->failed) {
		zcheck_compact(zc);
		/* only pages from a provider are real: malloc:footprint=heap measures the process */
		pages = zpool_total_pages(zc->zp);
		if (pages && zc->pp)
			fail(zc,
			     "%" PRIu64
			     " pages still held with no live object after compact() (a leak)",
			     pages);
	}
	return zc->failed ? -1 : 0;
}

int zcheck_destroy(struct zcheck *zc)
{
	int ret;

	if (!zc)
		return 0;
	ret = zcheck_drain(zc);
	/* after a failure live objects may remain: the pool goes with them */
	zpool_destroy(zc->zp);
	zcheck_free_mem(zc);
	return ret;
}

/* ---- accessors ---- */

struct zpool *zcheck_pool(struct zcheck *zc)
{
	return zc->zp;
}

size_t zcheck_live(const struct zcheck *zc)
{
	return zc->nrecs;
}

unsigned long zcheck_handle(const struct zcheck *zc, size_t i)
{
	return zc->recs[i].handle;
}

uint64_t zcheck_ops(const struct zcheck *zc)
{
	return zc->ops;
}

void zcheck_set_fatal(struct zcheck *zc, bool fatal)
{
	zc->fatal = fatal;
}

bool zcheck_failed(const struct zcheck *zc)
{
	return zc->failed;
}

const char *zcheck_error(const struct zcheck *zc)
{
	return zc->err;
}

/* ---- the specs to check ---- */

/* The @i-th non-default value of @p into @buf; false past the last one. */
static bool nth_value(const struct zpool_param *p, int i, char *buf, size_t len)
{
	if (p->values) {
		const char *w = p->values;

		for (;;) {
			const char *end = strchr(w, '|');
			size_t wl = end ? (size_t)(end - w) : strlen(w);

			if (wl != strlen(p->def) || strncmp(w, p->def, wl)) {
				if (i-- == 0) {
					snprintf(buf, len, "%.*s", (int)wl, w);
					return true;
				}
			}
			if (!end)
				return false;
			w = end + 1;
		}
	} else {
		long def = strtol(p->def, NULL, 10);
		long v[2] = { p->min, p->max };
		int n = 0;

		for (int k = 0; k < 2; k++) {
			if (v[k] == def || (k == 1 && p->max == p->min))
				continue;
			if (n++ == i) {
				snprintf(buf, len, "%ld", v[k]);
				return true;
			}
		}
		return false;
	}
}

static bool spec_works(const char *spec)
{
	char err[256];
	struct zpool *zp = zpool_create(spec, NULL, err, sizeof(err));

	zpool_destroy(zp);
	return zp != NULL;
}

/*
 * NAME:KEY=VAL, or, if the allocator refuses that alone (a key that only
 * applies with another one, e.g. "gap only applies to compaction=gated"),
 * with the first other key's non-default value that makes it work.
 */
static bool variant(const struct zpool_driver *drv, const struct zpool_param *p, const char *val,
		    char *out)
{
	char v2[32];

	snprintf(out, ZPOOL_SPEC_MAX, "%s:%s=%s", drv->name, p->key, val);
	if (spec_works(out))
		return true;
	for (const struct zpool_param *q = drv->params; q->key; q++) {
		if (q == p)
			continue;
		for (int j = 0; nth_value(q, j, v2, sizeof(v2)); j++) {
			snprintf(out, ZPOOL_SPEC_MAX, "%s:%s=%s,%s=%s", drv->name, p->key, val,
				 q->key, v2);
			if (spec_works(out))
				return true;
		}
	}
	return false;
}

static const struct zpool_param *param_of(const struct zpool_driver *drv, const char *key)
{
	for (const struct zpool_param *p = drv->params; p && p->key; p++)
		if (!strcmp(p->key, key))
			return p;
	return NULL;
}

/*
 * Each non-default value of the driver's preset key (kernel=, table=) at each
 * non-default page size: the page arithmetic of every design, not only of
 * the default one.  The preset is declared before "page", so the spec is
 * written in its normalised order.
 */
static int preset_pages(const struct zpool_driver *drv, char (*out)[ZPOOL_SPEC_MAX], int max)
{
	const struct zpool_param *page = param_of(drv, "page"), *preset = param_of(drv, "kernel");
	char v[32], pv[32];
	int n = 0;

	if (!preset)
		preset = param_of(drv, "table");
	if (!page || !preset || preset > page)
		return 0;
	for (int i = 0; nth_value(preset, i, v, sizeof(v)); i++)
		for (int j = 0; n < max && nth_value(page, j, pv, sizeof(pv)); j++) {
			snprintf(out[n], ZPOOL_SPEC_MAX, "%s:%s=%s,page=%s", drv->name, preset->key,
				 v, pv);
			if (spec_works(out[n]))
				n++;
		}
	return n;
}

int zcheck_specs(char (*out)[ZPOOL_SPEC_MAX], int max)
{
	const struct zpool_driver *drv[64];
	int nd = zpool_drivers(drv, 64), n = 0;
	char val[32];

	for (int d = 0; d < nd && n < max; d++) {
		if (!drv[d]->create || !drv[d]->malloc)
			continue; /* a parser-only test driver */
		snprintf(out[n++], ZPOOL_SPEC_MAX, "%s", drv[d]->name);
		for (const struct zpool_param *p = drv[d]->params; p && p->key; p++)
			for (int i = 0; n < max && nth_value(p, i, val, sizeof(val)); i++)
				if (variant(drv[d], p, val, out[n]))
					n++;
		n += preset_pages(drv[d], out + n, max - n);
		for (const char *const *c = drv[d]->check_specs; c && *c && n < max; c++)
			snprintf(out[n++], ZPOOL_SPEC_MAX, "%s", *c);
	}
	return n;
}
