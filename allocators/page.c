// SPDX-License-Identifier: GPL-2.0-only
/*
 * page.c - the page provider (see page.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lock.h"
#include "page.h"

#define PP_DEFAULT_BYTES (1ULL << 35) /* 32 GiB of address space per provider */

#define PP_CACHES 16 /* per-thread page caches (threads beyond share them) */
#define PP_MAG 32    /* pages a cache holds; half go back when it is full */

/*
 * A thread's cache of free pages, so that threads sharing a pool do not
 * meet on the provider lock for every page: pp_alloc takes from its own
 * cache (refilled with up to PP_MAG / 2 pages from the shared stack at a
 * time), pp_free puts back into it.  Still LIFO, so a freed page is handed
 * out again first.
 */
struct pp_cache {
	zlock_t lock;
	unsigned int n;
	uint32_t nr[PP_MAG];
} __attribute__((aligned(64)));

struct page_provider {
	zlock_t lock;	    /* the shared stack, the run stacks and hiwater */
	unsigned int shift; /* page shift */
	size_t psize;	    /* page size */
	char *map;	    /* the reservation as mapped (base rounded up to psize) */
	size_t maplen;
	char *base;	       /* first page of the reservation */
	struct zpage *desc;    /* one descriptor per page of the reservation */
	uint64_t capacity;     /* pages reserved */
	uint64_t hiwater;      /* pages [0, hiwater) have been handed out at least once */
	unsigned int free_top; /* free stack: page number + 1, 0 = empty */
	uint32_t run_top[PP_RUN_MAX + 1]; /* free runs of n pages: first page + 1 */
	uint64_t limit;
	bool guard;
	/* counters on a line of their own: every alloc and free touches them */
	uint64_t in_use __attribute__((aligned(64)));
	uint64_t peak;
	struct pp_cache cache[PP_CACHES];
};

static unsigned int pp_nthreads;
static __thread unsigned int pp_thread; /* 1-based; 0: not numbered yet */

static struct pp_cache *my_cache(struct page_provider *pp)
{
	if (!pp_thread)
		pp_thread = __atomic_add_fetch(&pp_nthreads, 1, __ATOMIC_RELAXED);
	return &pp->cache[pp_thread % PP_CACHES];
}

struct page_provider *pp_create_sized(uint64_t max_pages, unsigned int page_shift)
{
	struct page_provider *pp;
	const char *g = getenv("ZPOOLBENCH_GUARD_PAGES");

	if (page_shift < ZPOOL_PAGE_SHIFT || page_shift > ZPOOL_PAGE_SHIFT_MAX)
		return NULL;
	pp = aligned_alloc(64, sizeof(*pp));
	if (!pp)
		return NULL;
	memset(pp, 0, sizeof(*pp));
	for (int i = 0; i < PP_CACHES; i++)
		zlock_init(&pp->cache[i].lock);
	pp->shift = page_shift;
	pp->psize = (size_t)1 << page_shift;
	pp->capacity = max_pages ? max_pages : PP_DEFAULT_BYTES >> page_shift;
	if (pp->capacity > 0xfffffffeULL)
		pp->capacity = 0xfffffffeULL;
	/* one page more than needed, so the first page can be aligned to its size */
	pp->maplen = (pp->capacity + 1) << page_shift;
	pp->map = mmap(NULL, pp->maplen, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (pp->map == MAP_FAILED)
		goto fail;
	pp->base = page_base_sized(pp->map + pp->psize - 1, pp->psize);
	pp->desc = mmap(NULL, pp->capacity * sizeof(struct zpage), PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (pp->desc == MAP_FAILED) {
		munmap(pp->map, pp->maplen);
		goto fail;
	}
	zlock_init(&pp->lock);
	pp->guard = g && *g && strcmp(g, "0");
	/*
	 * The kernel's pool pages come from the direct map, which is mapped
	 * with huge pages: ask for transparent huge pages too, so that a pool
	 * of millions of pages does not pay a TLB miss per object the kernel
	 * does not pay.  Pages are handed out in address order, so a huge
	 * page is filled before the next one is touched.  (Guard mode splits
	 * them again.)
	 */
	if (!pp->guard) {
		madvise(pp->map, pp->maplen, MADV_HUGEPAGE);
		madvise(pp->desc, pp->capacity * sizeof(struct zpage), MADV_HUGEPAGE);
	}
	return pp;
fail:
	free(pp);
	return NULL;
}

struct page_provider *pp_create(uint64_t max_pages)
{
	return pp_create_sized(max_pages, ZPOOL_PAGE_SHIFT);
}

void pp_destroy(struct page_provider *pp)
{
	if (!pp)
		return;
	munmap(pp->map, pp->maplen);
	munmap(pp->desc, pp->capacity * sizeof(struct zpage));
	zlock_destroy(&pp->lock);
	for (int i = 0; i < PP_CACHES; i++)
		zlock_destroy(&pp->cache[i].lock);
	free(pp);
}

/* Up to @want pages from the shared stack (or one fresh page) into @c.  Cache lock held. */
static void refill(struct page_provider *pp, struct pp_cache *c, unsigned int want)
{
	zlock(&pp->lock);
	while (c->n < want && pp->free_top) {
		uint64_t nr = pp->free_top - 1;

		pp->free_top = pp->desc[nr].pp_next;
		c->nr[c->n++] = (uint32_t)nr;
	}
	/* fresh pages one at a time: the reservation is touched only as needed */
	if (!c->n && pp->hiwater < pp->capacity) {
		c->nr[c->n++] = (uint32_t)pp->hiwater;
		__atomic_store_n(&pp->hiwater, pp->hiwater + 1, __ATOMIC_RELEASE);
	}
	zunlock(&pp->lock);
}

/* Half of a full cache back to the shared stack.  Cache lock held. */
static void drain(struct page_provider *pp, struct pp_cache *c)
{
	zlock(&pp->lock);
	while (c->n > PP_MAG / 2) {
		uint32_t nr = c->nr[--c->n];

		pp->desc[nr].pp_next = pp->free_top;
		pp->free_top = nr + 1;
	}
	zunlock(&pp->lock);
}

/* The reservation is used up: take a free page another thread's cache holds. */
static bool steal(struct page_provider *pp, uint64_t *nr)
{
	for (int i = 0; i < PP_CACHES; i++) {
		struct pp_cache *c = &pp->cache[i];
		bool got = false;

		zlock(&c->lock);
		if (c->n) {
			*nr = c->nr[--c->n];
			got = true;
		}
		zunlock(&c->lock);
		if (got)
			return true;
	}
	return false;
}

/* Count pages [nr, nr + n) in use and set up their descriptors; their address. */
static void *hand_out(struct page_provider *pp, uint64_t nr, unsigned int n)
{
	uint64_t used = __atomic_add_fetch(&pp->in_use, n, __ATOMIC_RELAXED);
	uint64_t peak = __atomic_load_n(&pp->peak, __ATOMIC_RELAXED);
	void *page = pp->base + (nr << pp->shift);

	while (used > peak && !__atomic_compare_exchange_n(&pp->peak, &peak, used, true,
							   __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	/* the pages are ours alone now: their descriptors are set up outside any lock */
	for (unsigned int i = 0; i < n; i++) {
		struct zpage *d = &pp->desc[nr + i];

		memset(d, 0, offsetof(struct zpage, pp_next));
		INIT_LIST_HEAD(&d->lru);
		d->pp_next = 0;
		__atomic_store_n(&d->pp_inuse, 1, __ATOMIC_RELEASE);
	}
	if (pp->guard)
		mprotect(page, (size_t)n << pp->shift, PROT_READ | PROT_WRITE);
	return page;
}

void *pp_alloc(struct page_provider *pp)
{
	struct pp_cache *c = my_cache(pp);
	uint64_t limit = __atomic_load_n(&pp->limit, __ATOMIC_RELAXED);
	uint64_t nr = 0;
	bool got = false;

	if (limit && __atomic_load_n(&pp->in_use, __ATOMIC_RELAXED) >= limit)
		return NULL;
	zlock(&c->lock);
	if (!c->n)
		refill(pp, c, PP_MAG / 2);
	if (c->n) {
		nr = c->nr[--c->n];
		got = true;
	}
	zunlock(&c->lock);
	if (!got && !steal(pp, &nr))
		return NULL;
	return hand_out(pp, nr, 1);
}

void pp_free(struct page_provider *pp, void *page)
{
	uint64_t nr = ((char *)page - pp->base) >> pp->shift;
	struct zpage *d = &pp->desc[nr];
	struct pp_cache *c;

	if (page_offset_sized(page, pp->psize) ||
	    nr >= __atomic_load_n(&pp->hiwater, __ATOMIC_ACQUIRE) ||
	    !__atomic_exchange_n(&d->pp_inuse, 0, __ATOMIC_ACQ_REL))
		abort(); /* freeing a page that is not ours or not handed out */
	if (pp->guard)
		mprotect(page, pp->psize, PROT_NONE);
	c = my_cache(pp);
	zlock(&c->lock);
	if (c->n == PP_MAG)
		drain(pp, c);
	c->nr[c->n++] = (uint32_t)nr;
	zunlock(&c->lock);
	__atomic_sub_fetch(&pp->in_use, 1, __ATOMIC_RELAXED);
}

void *pp_alloc_run(struct page_provider *pp, unsigned int n)
{
	uint64_t limit = __atomic_load_n(&pp->limit, __ATOMIC_RELAXED);
	uint64_t nr;

	if (n == 1)
		return pp_alloc(pp);
	if (n < 1 || n > PP_RUN_MAX)
		return NULL;
	if (limit && __atomic_load_n(&pp->in_use, __ATOMIC_RELAXED) + n > limit)
		return NULL;
	zlock(&pp->lock);
	if (pp->run_top[n]) {
		nr = pp->run_top[n] - 1;
		pp->run_top[n] = pp->desc[nr].pp_next;
	} else if (pp->hiwater + n <= pp->capacity) {
		nr = pp->hiwater;
		__atomic_store_n(&pp->hiwater, pp->hiwater + n, __ATOMIC_RELEASE);
	} else {
		zunlock(&pp->lock);
		return NULL;
	}
	zunlock(&pp->lock);
	return hand_out(pp, nr, n);
}

void pp_free_run(struct page_provider *pp, void *first, unsigned int n)
{
	uint64_t nr = ((char *)first - pp->base) >> pp->shift;

	if (n == 1) {
		pp_free(pp, first);
		return;
	}
	if (n < 1 || n > PP_RUN_MAX || page_offset_sized(first, pp->psize) ||
	    nr + n > __atomic_load_n(&pp->hiwater, __ATOMIC_ACQUIRE))
		abort(); /* not a run of ours */
	for (unsigned int i = 0; i < n; i++)
		if (!__atomic_exchange_n(&pp->desc[nr + i].pp_inuse, 0, __ATOMIC_ACQ_REL))
			abort(); /* a page of the run is not handed out */
	if (pp->guard)
		mprotect(first, (size_t)n << pp->shift, PROT_NONE);
	zlock(&pp->lock);
	pp->desc[nr].pp_next = pp->run_top[n];
	pp->run_top[n] = (uint32_t)nr + 1;
	zunlock(&pp->lock);
	__atomic_sub_fetch(&pp->in_use, n, __ATOMIC_RELAXED);
}

size_t pp_page_size(const struct page_provider *pp)
{
	return pp->psize;
}

unsigned int pp_page_shift(const struct page_provider *pp)
{
	return pp->shift;
}

struct zpage *pp_desc(struct page_provider *pp, const void *addr)
{
	return &pp->desc[((const char *)addr - pp->base) >> pp->shift];
}

uint64_t pp_page_nr(const struct page_provider *pp, const void *addr)
{
	return (uint64_t)((const char *)addr - pp->base) >> pp->shift;
}

uint64_t pp_capacity(const struct page_provider *pp)
{
	return pp->capacity;
}

void *pp_page_addr(struct page_provider *pp, const struct zpage *desc)
{
	return pp->base + ((uint64_t)(desc - pp->desc) << pp->shift);
}

bool pp_owns(struct page_provider *pp, const void *addr)
{
	const char *a = addr;
	uint64_t nr;

	if (a < pp->base || a >= pp->base + (pp->capacity << pp->shift))
		return false;
	nr = (a - pp->base) >> pp->shift;
	return nr < __atomic_load_n(&pp->hiwater, __ATOMIC_ACQUIRE) &&
	       __atomic_load_n(&pp->desc[nr].pp_inuse, __ATOMIC_ACQUIRE);
}

uint64_t pp_pages(const struct page_provider *pp)
{
	return __atomic_load_n(&pp->in_use, __ATOMIC_RELAXED);
}

uint64_t pp_peak(const struct page_provider *pp)
{
	return __atomic_load_n(&pp->peak, __ATOMIC_RELAXED);
}

void pp_set_limit(struct page_provider *pp, uint64_t pages)
{
	__atomic_store_n(&pp->limit, pages, __ATOMIC_RELAXED);
}

void pp_set_guard(struct page_provider *pp, bool on)
{
	pp->guard = on;
}
