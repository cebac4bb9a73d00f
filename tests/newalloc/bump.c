// SPDX-License-Identifier: GPL-2.0-only
/*
 * bump.c - the allocator of docs/hacking.md's recipe "A new allocator",
 * followed as written: this one file, nothing else edited.  tests/newalloc.mk
 * links it into a zpoolbench, a zpb-soak and a fuzz_ops of its own
 * ($(BUILD)/newalloc/), exactly as a file in allocators/ is linked into the
 * real ones, and tests/sh/new_allocator.sh checks what it gets for free.
 * It is not part of the real build (the files in allocators/ are).
 *
 * The design, the simplest that is still an allocator: objects go one after
 * another into the open page, each rounded up to @align bytes; an object
 * that does not fit in what is left opens a new page.  Nothing is reused
 * within a page and nothing moves; a page goes back to the provider when its
 * last object is freed (the open page too: a pool with no object holds no
 * page, which the checker insists on; its first version kept the open page
 * and the checker said "1 pages still held with no live object").
 *
 *	page:	| obj | pad | obj | pad | obj |  ...  | never used again |
 *		^ a handle is the object's address and size:
 *		  (address << 17) | size, never 0 (size >= 1)
 *
 * Like every allocator it takes page=4096|16384|65536, the kernel's
 * PAGE_SIZE: its pages come from a provider of that size, and an object
 * may be as large as one.
 *
 * The page's descriptor (page.h) counts its live objects.  bug=overlap is a
 * deliberate bug, for the test: every other object is placed 8 bytes into
 * the one before it, which the integrity checker (check.h) must catch.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lock.h"
#include "page.h"
#include "zpool.h"

#define SIZE_BITS 17 /* a size up to 65536; an address below 2^47 fits above it */

struct bump_pool {
	zlock_t lock;
	struct page_provider *pp;
	char *open;  /* the page objects go into, or NULL */
	size_t used; /* bytes of it handed out */
	size_t align;
	size_t page_size; /* page= */
	bool overlap;	  /* bug=overlap */
	uint64_t objects, alloc_bytes, nth;
};

/* clang-format off */
static const struct zpool_param bump_params[] = {
	/* key, values (or NULL: an integer in min..max), min, max, default, help */
	{ "align", NULL, 1, 64, "8",
	  "objects start at multiples of this many bytes (a power of two)" },
	{ "bug", "none|overlap", 0, 0, "none",
	  "overlap: a deliberate bug, for the test of the checker" },
	{ "page", "4096|16384|65536", 0, 0, "4096",
	  "PAGE_SIZE in bytes: the pool's pages, and the largest object" },
	{ NULL, NULL, 0, 0, NULL, NULL },
};
/* clang-format on */

static void *bump_create(const struct zpool_config *cfg, const struct zpool_evict_ops *ops,
			 char *err, size_t errlen)
{
	long align = zpool_cfg_int(cfg, "align");
	struct bump_pool *pool;

	(void)ops;
	if (align & (align - 1)) {
		snprintf(err, errlen, "bump: align=%ld is not a power of two", align);
		return NULL;
	}
	pool = calloc(1, sizeof(*pool));
	if (!pool || !(pool->pp = pp_create_sized(0, __builtin_ctzl(zpool_cfg_page_size(cfg))))) {
		free(pool);
		snprintf(err, errlen, "bump: out of memory");
		return NULL;
	}
	zlock_init(&pool->lock);
	pool->align = (size_t)align;
	pool->page_size = zpool_cfg_page_size(cfg);
	pool->overlap = !strcmp(zpool_cfg_str(cfg, "bug"), "overlap");
	return pool;
}

static void bump_destroy(void *p)
{
	struct bump_pool *pool = p;

	pp_destroy(pool->pp); /* every object was freed: every page went back */
	zlock_destroy(&pool->lock);
	free(pool);
}

static int bump_malloc(void *p, size_t size, unsigned long *handle)
{
	struct bump_pool *pool = p;
	size_t at;

	if (!size)
		return -EINVAL;
	if (size > pool->page_size)
		return -ENOSPC;
	zlock(&pool->lock);
	at = (pool->used + pool->align - 1) & ~(pool->align - 1);
	if (pool->overlap && at >= 8 && pool->nth % 2)
		at -= 8; /* the deliberate bug */
	if (!pool->open || at + size > pool->page_size) {
		char *page = pp_alloc(pool->pp);

		if (!page) {
			zunlock(&pool->lock);
			return -ENOMEM;
		}
		pool->open = page; /* the old one goes back with its last object */
		at = 0;
	}
	pp_desc(pool->pp, pool->open)->count++;
	pool->used = at + size;
	pool->objects++;
	pool->alloc_bytes += size;
	pool->nth++;
	*handle = (unsigned long)(((uintptr_t)(pool->open + at) << SIZE_BITS) | size);
	zunlock(&pool->lock);
	return 0;
}

static void bump_free(void *p, unsigned long handle)
{
	struct bump_pool *pool = p;
	char *obj = (char *)(uintptr_t)(handle >> SIZE_BITS);
	struct zpage *d;

	zlock(&pool->lock);
	d = pp_desc(pool->pp, obj);
	pool->objects--;
	pool->alloc_bytes -= handle & ((1UL << SIZE_BITS) - 1);
	if (!--d->count) {
		char *page = page_base_sized(obj, pool->page_size);

		if (page == pool->open) {
			pool->open = NULL;
			pool->used = 0;
		}
		pp_free(pool->pp, page);
	}
	zunlock(&pool->lock);
}

static void *bump_map(void *p, unsigned long handle, enum zpool_mapmode mm)
{
	(void)p;
	(void)mm;
	return (void *)(uintptr_t)(handle >> SIZE_BITS);
}

static void bump_unmap(void *p, unsigned long handle)
{
	(void)p;
	(void)handle;
}

static uint64_t bump_total_pages(void *p)
{
	struct bump_pool *pool = p;

	return pp_pages(pool->pp);
}

static void bump_stats(void *p, struct zpool_stats *st)
{
	struct bump_pool *pool = p;

	zlock(&pool->lock);
	st->objects = pool->objects;
	st->alloc_bytes = pool->alloc_bytes;
	st->pool_pages = pp_pages(pool->pp);
	st->peak_pages = pp_peak(pool->pp);
	zunlock(&pool->lock);
}

static struct page_provider *bump_provider(void *p)
{
	struct bump_pool *pool = p;

	return pool->pp;
}

static const struct zpool_driver bump_driver = {
	.name = "bump",
	.summary = "objects one after another in the open page, never reused (the recipe's example)",
	.params = bump_params,
	.order = 80,
	.create = bump_create,
	.destroy = bump_destroy,
	.malloc = bump_malloc,
	.free = bump_free,
	.map = bump_map,
	.unmap = bump_unmap,
	.total_pages = bump_total_pages,
	.stats = bump_stats,
	.provider = bump_provider,
};

ZPOOL_DRIVER_REGISTER(bump_driver)
