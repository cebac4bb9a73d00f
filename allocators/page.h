/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * page.h - the page provider: zpoolbench's stand-in for alloc_page() and
 * struct page.
 *
 * Each pool owns one provider.  A provider reserves one large virtual region
 * (MAP_NORESERVE: only pages actually handed out are ever touched) and a
 * parallel array of 64-byte descriptors, so the descriptor of any address
 * inside a page is one subtraction and one shift away, like virt_to_page().
 * Pages are 4 KiB aligned.  Freed pages go on a LIFO stack and are handed out
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

/* @max_pages: size of the reservation (0: the default, 8 Mi pages = 32 GiB virtual). */
struct page_provider *pp_create(uint64_t max_pages);
void pp_destroy(struct page_provider *pp);

/* A 4 KiB page with a cleared descriptor, or NULL (limit or reservation exhausted). */
void *pp_alloc(struct page_provider *pp);
void pp_free(struct page_provider *pp, void *page);

/* Descriptor of the page containing @addr; @addr must be inside the region. */
struct zpage *pp_desc(struct page_provider *pp, const void *addr);
void *pp_page_addr(struct page_provider *pp, const struct zpage *desc);
/* True if @addr lies in a page of this provider that is handed out now. */
bool pp_owns(struct page_provider *pp, const void *addr);

uint64_t pp_pages(const struct page_provider *pp);
uint64_t pp_peak(const struct page_provider *pp);
void pp_set_limit(struct page_provider *pp, uint64_t pages); /* 0: no limit */
void pp_set_guard(struct page_provider *pp, bool on);

static inline void *page_base(const void *addr)
{
	return (void *)((uintptr_t)addr & ~(ZPOOL_PAGE_SIZE - 1));
}

static inline unsigned long page_offset_of(const void *addr)
{
	return (uintptr_t)addr & (ZPOOL_PAGE_SIZE - 1);
}

#endif /* ZPB_PAGE_H */
