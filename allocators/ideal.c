// SPDX-License-Identifier: GPL-2.0-only
/*
 * ideal.c - the space and speed limit every allocator is measured against.
 *
 * Objects are packed back to back with no header, no alignment and no
 * per-object overhead; a store is a lock, a pop (or a bump) and the caller's
 * memcpy.  Its pool size is the packing bound:
 *
 *	pool_pages = ceil(live bytes / page size)
 *
 * i.e. what a perfect allocator with free, instant compaction would hold.
 * The bytes really live in one contiguous reserved arena (objects may cross
 * page boundaries there, map always returns a direct pointer), and a freed
 * slot is reused only by an object of exactly the same size (one free stack
 * per size), which keeps churn bounded without any search.  The arena and the
 * free stacks are not counted: this is a bound, not an allocator to deploy.
 *
 * Handle: (arena offset << 17) | size, never 0 since size >= 1.
 *
 * "page=4096|16384|65536": the unit of pool_pages.  Objects may be as large
 * as ZPOOL_OBJ_SIZE_MAX (64 KiB) whatever the page size: a unit compressed
 * from several pages (run --unit) has a bound too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lock.h"
#include "zpool.h"

#define IDEAL_ARENA (1ULL << 37) /* 128 GiB of address space, touched as used */
#define SIZE_BITS 17 /* sizes up to ZPOOL_OBJ_SIZE_MAX */

struct free_stack {
	uint64_t *off;
	uint32_t n, cap;
};

struct ideal_pool {
	zlock_t lock;
	char *arena;
	uint64_t bump;
	uint64_t live_bytes;
	uint64_t objects;
	uint64_t peak_pages;
	size_t page_size;
	unsigned int page_shift;
	struct free_stack *free; /* one per size, 0..ZPOOL_OBJ_SIZE_MAX */
};

static inline uint64_t bound_pages(const struct ideal_pool *pool, uint64_t bytes)
{
	return (bytes + pool->page_size - 1) >> pool->page_shift;
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
	pool->free = calloc(ZPOOL_OBJ_SIZE_MAX + 1, sizeof(*pool->free));
	if (!pool->free) {
		free(pool);
		snprintf(err, errlen, "ideal: out of memory");
		return NULL;
	}
	pool->arena = mmap(NULL, IDEAL_ARENA, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (pool->arena == MAP_FAILED) {
		free(pool->free);
		free(pool);
		snprintf(err, errlen, "ideal: cannot reserve the arena");
		return NULL;
	}
	zlock_init(&pool->lock);
	return pool;
}

static void ideal_destroy(void *p)
{
	struct ideal_pool *pool = p;

	for (size_t i = 0; i <= ZPOOL_OBJ_SIZE_MAX; i++)
		free(pool->free[i].off);
	free(pool->free);
	munmap(pool->arena, IDEAL_ARENA);
	zlock_destroy(&pool->lock);
	free(pool);
}

static int ideal_malloc(void *p, size_t size, unsigned long *handle)
{
	struct ideal_pool *pool = p;
	struct free_stack *fs;
	uint64_t off, pages;

	if (!size)
		return -EINVAL;
	if (size > ZPOOL_OBJ_SIZE_MAX)
		return -ENOSPC;
	fs = &pool->free[size];
	zlock(&pool->lock);
	if (fs->n) {
		off = fs->off[--fs->n];
	} else {
		if (pool->bump + size > IDEAL_ARENA) {
			zunlock(&pool->lock);
			return -ENOMEM;
		}
		off = pool->bump;
		pool->bump += size;
	}
	pool->live_bytes += size;
	pool->objects++;
	pages = bound_pages(pool, pool->live_bytes);
	if (pages > pool->peak_pages)
		pool->peak_pages = pages;
	zunlock(&pool->lock);
	*handle = (unsigned long)(off << SIZE_BITS | size);
	return 0;
}

static void ideal_free(void *p, unsigned long handle)
{
	struct ideal_pool *pool = p;
	size_t size = handle & ((1UL << SIZE_BITS) - 1);
	struct free_stack *fs = &pool->free[size];

	zlock(&pool->lock);
	if (fs->n == fs->cap) {
		uint32_t cap = fs->cap ? fs->cap * 2 : 64;
		uint64_t *n = realloc(fs->off, cap * sizeof(*n));

		if (!n) {
			/* cannot remember the slot: leak it, the bound is unaffected */
			goto out;
		}
		fs->off = n;
		fs->cap = cap;
	}
	fs->off[fs->n++] = handle >> SIZE_BITS;
out:
	pool->live_bytes -= size;
	pool->objects--;
	zunlock(&pool->lock);
}

static void *ideal_map(void *p, unsigned long handle, enum zpool_mapmode mm)
{
	struct ideal_pool *pool = p;

	(void)mm;
	return pool->arena + (handle >> SIZE_BITS);
}

static void ideal_unmap(void *p, unsigned long handle)
{
	(void)p;
	(void)handle;
}

static uint64_t ideal_total_pages(void *p)
{
	struct ideal_pool *pool = p;
	uint64_t pages;

	zlock(&pool->lock);
	pages = bound_pages(pool, pool->live_bytes);
	zunlock(&pool->lock);
	return pages;
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

	fprintf(out, "page %zu B: objects 1..%lu B packed back to back, pool pages = "
		"ceil(live bytes / %zu)\n", pool->page_size, ZPOOL_OBJ_SIZE_MAX, pool->page_size);
}

static size_t ideal_max_size(void *p)
{
	(void)p;
	return ZPOOL_OBJ_SIZE_MAX;
}

static const struct zpool_param ideal_params[] = {
	{ "page", "4096|16384|65536", 0, 0, "4096",
	  "page size in bytes: the unit pool pages are counted in (objects up to 64 KiB at any "
	  "page size, for multi-page units)" },
	{ NULL, NULL, 0, 0, NULL, NULL },
};

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
