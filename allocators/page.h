/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * page.h - the page provider: zpoolbench's stand-in for alloc_page() and
 * struct page.
 *
 * Each pool owns one provider.  A provider reserves one large virtual region
 * (MAP_NORESERVE: only pages actually handed out are ever touched) and a
 * parallel array of 64-byte descriptors, so the descriptor of any address
 * inside a page is one subtraction and one shift away, like virt_to_page().
 * The page size is the provider's (pp_create_sized(): 4 KiB, 16 KiB or
 * 64 KiB, the kernel's PAGE_SIZE of the pool being modelled); pages are
 * aligned to their size.  Freed pages go on a LIFO stack and are handed out
 * again first (cache-hot, as the kernel's per-cpu page lists do); their
 * contents are not cleared, as alloc_page() without __GFP_ZERO.  Each thread
 * has a small cache of free pages in front of the shared stack (like those
 * per-cpu lists), so threads sharing a pool rarely meet on the provider's
 * lock; the accounting (pages in use, peak) stays exact.
 *
 * Accounting is exact: pages in use now and the peak.  A limit makes
 * pp_alloc() fail, so allocators' -ENOMEM paths can be exercised.  With
 * guard mode on (pp_set_guard(), or ZPOOLBENCH_GUARD_PAGES=1 in the
 * environment) a freed page is made inaccessible until it is handed out
 * again, so an allocator that touches a page after freeing it faults.
 *
 * Runs of 2..PP_RUN_MAX contiguous pages (pp_alloc_run()) are for block
 * allocators whose blocks span several pages (zblock, and zsmalloc:mp's
 * blocks of 2^N pages, the kernel's compound pages); a freed run is kept
 * for a run of the same length, LIFO, and each of its pages counts as a
 * page in use.
 *
 * Allocators never call malloc() for pool memory: every byte of an object
 * lives in a page from here.
 */
#ifndef ZPB_PAGE_H
#define ZPB_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "list.h"
#include "zpool.h"

/* The fields an allocator may use freely while it owns the page. */
struct zpage {
	unsigned long flags;   /* owner's flag bits */
	unsigned long private; /* owner's word */
	void *owner;	       /* e.g. the zspage this page belongs to */
	struct zpage *next;    /* e.g. the next page of a zspage */
	struct list_head lru;  /* owner's list link */
	unsigned int offset;   /* e.g. zsmalloc's first_obj_offset */
	unsigned int count;
	/* provider-private below */
	unsigned int pp_next;  /* free stack link: page number + 1, 0 = end */
	unsigned int pp_inuse; /* 1 while handed out */
};

struct page_provider;

#define PP_RUN_MAX 16 /* longest run of contiguous pages: 64 KiB of 4 KiB pages */

/*
 * Pages of 1 << @page_shift bytes (12..ZPOOL_PAGE_SHIFT_MAX); @max_pages:
 * size of the reservation (0: the default, 32 GiB of virtual address space,
 * i.e. 8 Mi pages of 4 KiB).  pp_create() is pp_create_sized(max_pages, 12).
 */
struct page_provider *pp_create_sized(uint64_t max_pages, unsigned int page_shift);
struct page_provider *pp_create(uint64_t max_pages);
void pp_destroy(struct page_provider *pp);

/* A page with a cleared descriptor, or NULL (limit or reservation exhausted). */
void *pp_alloc(struct page_provider *pp);
void pp_free(struct page_provider *pp, void *page);
/*
 * @n (1..PP_RUN_MAX) address-contiguous pages, each with a cleared
 * descriptor, or NULL; freed with pp_free_run() with the same @n.
 */
void *pp_alloc_run(struct page_provider *pp, unsigned int n);
void pp_free_run(struct page_provider *pp, void *first, unsigned int n);

size_t pp_page_size(const struct page_provider *pp);
unsigned int pp_page_shift(const struct page_provider *pp);

/* Descriptor of the page containing @addr; @addr must be inside the region. */
struct zpage *pp_desc(struct page_provider *pp, const void *addr);
/* Number (0 .. pp_capacity() - 1) of the page containing @addr, inside the region. */
uint64_t pp_page_nr(const struct page_provider *pp, const void *addr);
uint64_t pp_capacity(const struct page_provider *pp);
void *pp_page_addr(struct page_provider *pp, const struct zpage *desc);
/* True if @addr lies in a page of this provider that is handed out now. */
bool pp_owns(struct page_provider *pp, const void *addr);

uint64_t pp_pages(const struct page_provider *pp);
uint64_t pp_peak(const struct page_provider *pp);
void pp_set_limit(struct page_provider *pp, uint64_t pages); /* 0: no limit */
void pp_set_guard(struct page_provider *pp, bool on);

/* The start of the @size-byte page (a power of two) holding @addr, and the offset in it. */
static inline void *page_base_sized(const void *addr, size_t size)
{
	return (void *)((uintptr_t)addr & ~(uintptr_t)(size - 1));
}

static inline unsigned long page_offset_sized(const void *addr, size_t size)
{
	return (uintptr_t)addr & (size - 1);
}

/* The same for pages of the default size (4 KiB). */
static inline void *page_base(const void *addr)
{
	return page_base_sized(addr, ZPOOL_PAGE_SIZE);
}

static inline unsigned long page_offset_of(const void *addr)
{
	return page_offset_sized(addr, ZPOOL_PAGE_SIZE);
}

#endif /* ZPB_PAGE_H */
