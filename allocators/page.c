// SPDX-License-Identifier: GPL-2.0-only
/*
 * page.c - the page provider (see page.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lock.h"
#include "page.h"

#define PP_DEFAULT_PAGES (1ULL << 23)

struct page_provider {
	zlock_t lock;
	char *base;	     /* first page of the reservation */
	struct zpage *desc;  /* one descriptor per page of the reservation */
	uint64_t capacity;   /* pages reserved */
	uint64_t hiwater;    /* pages [0, hiwater) have been handed out at least once */
	unsigned int free_top; /* free stack: page number + 1, 0 = empty */
	uint64_t in_use;
	uint64_t peak;
	uint64_t limit;
	bool guard;
};

struct page_provider *pp_create(uint64_t max_pages)
{
	struct page_provider *pp = calloc(1, sizeof(*pp));
	const char *g = getenv("ZPOOLBENCH_GUARD_PAGES");

	if (!pp)
		return NULL;
	pp->capacity = max_pages ? max_pages : PP_DEFAULT_PAGES;
	if (pp->capacity > 0xfffffffeULL)
		pp->capacity = 0xfffffffeULL;
	pp->base = mmap(NULL, pp->capacity << ZPOOL_PAGE_SHIFT, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (pp->base == MAP_FAILED)
		goto fail;
	pp->desc = mmap(NULL, pp->capacity * sizeof(struct zpage), PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (pp->desc == MAP_FAILED) {
		munmap(pp->base, pp->capacity << ZPOOL_PAGE_SHIFT);
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
		madvise(pp->base, pp->capacity << ZPOOL_PAGE_SHIFT, MADV_HUGEPAGE);
		madvise(pp->desc, pp->capacity * sizeof(struct zpage), MADV_HUGEPAGE);
	}
	return pp;
fail:
	free(pp);
	return NULL;
}

void pp_destroy(struct page_provider *pp)
{
	if (!pp)
		return;
	munmap(pp->base, pp->capacity << ZPOOL_PAGE_SHIFT);
	munmap(pp->desc, pp->capacity * sizeof(struct zpage));
	zlock_destroy(&pp->lock);
	free(pp);
}

void *pp_alloc(struct page_provider *pp)
{
	uint64_t nr;
	struct zpage *d;
	void *page;

	zlock(&pp->lock);
	if (pp->limit && pp->in_use >= pp->limit)
		goto fail;
	if (pp->free_top) {
		nr = pp->free_top - 1;
		pp->free_top = pp->desc[nr].pp_next;
	} else if (pp->hiwater < pp->capacity) {
		nr = pp->hiwater++;
	} else {
		goto fail;
	}
	if (__atomic_add_fetch(&pp->in_use, 1, __ATOMIC_RELAXED) > pp->peak)
		__atomic_store_n(&pp->peak, pp->in_use, __ATOMIC_RELAXED);
	d = &pp->desc[nr];
	memset(d, 0, offsetof(struct zpage, pp_next));
	INIT_LIST_HEAD(&d->lru);
	d->pp_next = 0;
	d->pp_inuse = 1;
	zunlock(&pp->lock);

	page = pp->base + (nr << ZPOOL_PAGE_SHIFT);
	if (pp->guard)
		mprotect(page, ZPOOL_PAGE_SIZE, PROT_READ | PROT_WRITE);
	return page;
fail:
	zunlock(&pp->lock);
	return NULL;
}

void pp_free(struct page_provider *pp, void *page)
{
	uint64_t nr = ((char *)page - pp->base) >> ZPOOL_PAGE_SHIFT;
	struct zpage *d = &pp->desc[nr];

	zlock(&pp->lock); /* hiwater and pp_inuse change under it (pools free from several threads) */
	if (page_offset_of(page) || nr >= pp->hiwater || !d->pp_inuse)
		abort(); /* freeing a page that is not ours or not handed out */
	if (pp->guard)
		mprotect(page, ZPOOL_PAGE_SIZE, PROT_NONE);
	d->pp_inuse = 0;
	d->pp_next = pp->free_top;
	pp->free_top = (unsigned int)(nr + 1);
	__atomic_sub_fetch(&pp->in_use, 1, __ATOMIC_RELAXED);
	zunlock(&pp->lock);
}

struct zpage *pp_desc(struct page_provider *pp, const void *addr)
{
	return &pp->desc[((const char *)addr - pp->base) >> ZPOOL_PAGE_SHIFT];
}

void *pp_page_addr(struct page_provider *pp, const struct zpage *desc)
{
	return pp->base + ((uint64_t)(desc - pp->desc) << ZPOOL_PAGE_SHIFT);
}

bool pp_owns(struct page_provider *pp, const void *addr)
{
	const char *a = addr;
	uint64_t nr;
	bool ret;

	if (a < pp->base || a >= pp->base + (pp->capacity << ZPOOL_PAGE_SHIFT))
		return false;
	nr = (a - pp->base) >> ZPOOL_PAGE_SHIFT;
	zlock(&pp->lock);
	ret = nr < pp->hiwater && pp->desc[nr].pp_inuse;
	zunlock(&pp->lock);
	return ret;
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
	zlock(&pp->lock);
	pp->limit = pages;
	zunlock(&pp->lock);
}

void pp_set_guard(struct page_provider *pp, bool on)
{
	pp->guard = on;
}
