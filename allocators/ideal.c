// SPDX-License-Identifier: GPL-2.0-only
/*
 * ideal.c - the space and speed limit every allocator is measured against.
 *
 * Its pool size is the packing bound, objects back to back with no header,
 * no alignment and no per-object overhead:
 *
 *	pool_pages = ceil(live bytes / page size)
 *
 * i.e. what a perfect allocator with free, instant compaction would hold.
 * The memory it really uses is not counted: this is a bound, not an
 * allocator to deploy.
 *
 * Its speed must be a limit too, so it runs on the same terms as the ports:
 * its pages come from the same page provider (page.h: huge pages, pages
 * handed out again cache-hot, the same first touch a warm-up takes away),
 * and an operation costs the least any allocator can:
 *
 *	page N (the current one)
 *	+--------+--------+-----+--------+--------------------+
 *	| obj a  | obj b  | ... | obj k  |  free: next stores |
 *	+--------+--------+-----+--------+--------------------+
 *	^ page start                      ^ bump offset
 *
 *	free slots: one stack per size, of object addresses
 *
 * a store takes the slot of the same size freed last, or bumps an offset
 * in the current page (a new page from the provider when the object does
 * not fit: objects never cross pages, so map() returns them in place); a
 * free pushes the slot on its size's stack.  Nothing in pool memory is
 * read or written but the object itself; the stacks' tops are hot.  When
 * the last object goes, every page goes back to the provider and the stacks
 * are emptied, so a pool filled again (after a warm-up, or a benchmark's
 * repetition) bumps through pages as a fresh one does.  (An earlier design
 * kept the stacks across that, in a reservation without huge pages: a
 * fill after the warm-up then wrote all over it, and zbud's stores
 * measured faster than this "limit".)  Memory held: per size, the most
 * objects of that size live at once.
 *
 * Handle: (object address << 16) | (size - 1); addresses are below 2^48.
 * "page=4096|16384|65536": the unit of pool_pages.  Objects may be as large
 * as ZPOOL_OBJ_SIZE_MAX (64 KiB) whatever the page size, so that a unit
 * compressed from several pages (run --unit) has a bound too; an object
 * larger than a page cannot be bumped into one, so it is taken from the heap
 * (64-byte aligned) and given back on free: only --unit stores such objects.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lock.h"
#include "page.h"
#include "zpool.h"

#define SIZE_BITS 16   /* size - 1 of objects up to 64 KiB */
#define IDEAL_ALIGN 64 /* slots start on a cache line (not counted: the bound is the bytes) */

struct addr_stack {
	uintptr_t *v;
	uint64_t n, cap;
};

struct ideal_pool {
	zlock_t lock;
	struct page_provider *pp;
	char *cur;		 /* the page stores bump into, or NULL */
	size_t cur_off;		 /* its bump offset */
	struct addr_stack pages; /* every page held */
	struct addr_stack *free; /* one per size, 1..page_size */
	uint64_t live_bytes;
	uint64_t objects;
	uint64_t peak_pages;
	size_t page_size;
	unsigned int page_shift;
};

static inline uint64_t bound_pages(const struct ideal_pool *pool, uint64_t bytes)
{
	return (bytes + pool->page_size - 1) >> pool->page_shift;
}

static int push(struct addr_stack *st, uintptr_t a)
{
	if (st->n == st->cap) {
		uint64_t cap = st->cap ? st->cap * 2 : 16;
		uintptr_t *v = realloc(st->v, cap * sizeof(*v));

		if (!v)
			return -1;
		st->v = v;
		st->cap = cap;
	}
	st->v[st->n++] = a;
	return 0;
}

static void *ideal_create(const struct zpool_config *cfg, const struct zpool_evict_ops *ops,
			  char *err, size_t errlen)
{
	struct ideal_pool *pool = calloc(1, sizeof(*pool));

	(void)ops;
	if (!pool) {
		snprintf(err, errlen, "ideal: out of memory");
		return NULL;
	}
	pool->page_size = zpool_cfg_page_size(cfg);
	pool->page_shift = (unsigned int)__builtin_ctzl(pool->page_size);
	pool->free = calloc(pool->page_size + 1, sizeof(*pool->free));
	pool->pp = pp_create_sized(0, pool->page_shift);
	if (!pool->pp || !pool->free) {
		pp_destroy(pool->pp);
		free(pool->free);
		free(pool);
		snprintf(err, errlen, "ideal: cannot reserve the pool's pages");
		return NULL;
	}
	zlock_init(&pool->lock);
	return pool;
}

/* Every page back to the provider, the stacks emptied (their memory kept). */
static void reset(struct ideal_pool *pool)
{
	for (uint64_t i = 0; i < pool->pages.n; i++)
		pp_free(pool->pp, (void *)pool->pages.v[i]);
	pool->pages.n = 0;
	for (size_t s = 1; s <= pool->page_size; s++)
		pool->free[s].n = 0;
	pool->cur = NULL;
	pool->cur_off = 0;
}

static void ideal_destroy(void *p)
{
	struct ideal_pool *pool = p;

	reset(pool);
	for (size_t s = 0; s <= pool->page_size; s++)
		free(pool->free[s].v);
	free(pool->free);
	free(pool->pages.v);
	pp_destroy(pool->pp);
	zlock_destroy(&pool->lock);
	free(pool);
}

/* A slot of @size bytes by bumping, or NULL (-ENOMEM). */
static char *bump(struct ideal_pool *pool, size_t size)
{
	char *obj;

	if (!pool->cur || pool->cur_off + size > pool->page_size) {
		char *page = pp_alloc(pool->pp);

		if (!page)
			return NULL;
		if ((uintptr_t)page >> (64 - SIZE_BITS) || push(&pool->pages, (uintptr_t)page)) {
			pp_free(pool->pp, page); /* an address a handle cannot hold, or no room */
			return NULL;
		}
		pool->cur = page;
		pool->cur_off = 0;
	}
	obj = pool->cur + pool->cur_off;
	/* the next slot on a cache line of its own: a copy into it starts aligned */
	pool->cur_off += (size + IDEAL_ALIGN - 1) & ~(size_t)(IDEAL_ALIGN - 1);
	return obj;
}

static int ideal_malloc(void *p, size_t size, unsigned long *handle)
{
	struct ideal_pool *pool = p;
	struct addr_stack *fs;
	uint64_t pages;
	char *obj;

	if (!size)
		return -EINVAL;
	if (size > ZPOOL_OBJ_SIZE_MAX)
		return -ENOSPC;
	fs = size <= pool->page_size ? &pool->free[size] : NULL;
	zlock(&pool->lock);
	if (!fs)
		obj = aligned_alloc(IDEAL_ALIGN,
				    (size + IDEAL_ALIGN - 1) & ~(size_t)(IDEAL_ALIGN - 1));
	else
		obj = fs->n ? (char *)fs->v[--fs->n] : bump(pool, size);
	if (!obj) {
		zunlock(&pool->lock);
		return -ENOMEM;
	}
	/* read without the lock by total_pages() */
	__atomic_store_n(&pool->live_bytes, pool->live_bytes + size, __ATOMIC_RELAXED);
	pool->objects++;
	pages = bound_pages(pool, pool->live_bytes);
	if (pages > pool->peak_pages)
		pool->peak_pages = pages;
	zunlock(&pool->lock);
	*handle = (unsigned long)((uintptr_t)obj << SIZE_BITS | (size - 1));
	return 0;
}

static void ideal_free(void *p, unsigned long handle)
{
	struct ideal_pool *pool = p;
	size_t size = (handle & ((1UL << SIZE_BITS) - 1)) + 1;

	zlock(&pool->lock);
	if (size > pool->page_size)
		free((void *)(uintptr_t)(handle >> SIZE_BITS)); /* a multi-page unit's object */
	else /* no room to remember the slot: it is lost, the bound is not affected */
		push(&pool->free[size], (uintptr_t)(handle >> SIZE_BITS));
	__atomic_store_n(&pool->live_bytes, pool->live_bytes - size, __ATOMIC_RELAXED);
	if (!--pool->objects)
		reset(pool);
	zunlock(&pool->lock);
}

static void *ideal_map(void *p, unsigned long handle, enum zpool_mapmode mm)
{
	(void)p;
	(void)mm;
	return (void *)(uintptr_t)(handle >> SIZE_BITS);
}

static void ideal_unmap(void *p, unsigned long handle)
{
	(void)p;
	(void)handle;
}

static uint64_t ideal_total_pages(void *p)
{
	struct ideal_pool *pool = p;

	return bound_pages(pool, __atomic_load_n(&pool->live_bytes, __ATOMIC_RELAXED));
}

static void ideal_stats(void *p, struct zpool_stats *st)
{
	struct ideal_pool *pool = p;

	zlock(&pool->lock);
	st->objects = pool->objects;
	st->alloc_bytes = pool->live_bytes;
	st->pool_pages = bound_pages(pool, pool->live_bytes);
	st->peak_pages = pool->peak_pages;
	zunlock(&pool->lock);
}

static void ideal_size_table(void *p, FILE *out)
{
	struct ideal_pool *pool = p;

	fprintf(out,
		"page %zu B: objects 1..%lu B packed back to back, pool pages = "
		"ceil(live bytes / %zu)\n",
		pool->page_size, ZPOOL_OBJ_SIZE_MAX, pool->page_size);
}

static size_t ideal_max_size(void *p)
{
	(void)p;
	return ZPOOL_OBJ_SIZE_MAX;
}

/* clang-format off */
static const struct zpool_param ideal_params[] = {
	{ "page", "4096|16384|65536", 0, 0, "4096",
	  "page size in bytes: the unit pool pages are counted in (objects up to 64 KiB at any "
	  "page size, for multi-page units)" },
	{ NULL, NULL, 0, 0, NULL, NULL },
};
/* clang-format on */

static const struct zpool_driver ideal_driver = {
	.name = "ideal",
	.summary = "the limit: objects packed back to back, pages = ceil(bytes / page size)",
	.params = ideal_params,
	.order = 90,
	.create = ideal_create,
	.destroy = ideal_destroy,
	.malloc = ideal_malloc,
	.free = ideal_free,
	.map = ideal_map,
	.unmap = ideal_unmap,
	.total_pages = ideal_total_pages,
	.stats = ideal_stats,
	.size_table = ideal_size_table,
	.max_size = ideal_max_size,
};

ZPOOL_DRIVER_REGISTER(ideal_driver)
