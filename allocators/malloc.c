// SPDX-License-Identifier: GPL-2.0-only
/*
 * malloc.c - the C library's allocator as a pool: what a userspace
 * compressed cache would most likely use.  Not a kernel allocator; it is the
 * reference that says what the kernel designs cost against the obvious
 * userspace choice.
 *
 * One malloc(size) per object, handle = the pointer, map returns it, unmap
 * does nothing, free is free().  Sizes 1..64 KiB (ZPOOL_OBJ_SIZE_MAX) at any
 * page size, so that units compressed from several pages (run --unit) have
 * this reference too (-EINVAL for 0, -ENOSPC above); -ENOMEM when malloc()
 * fails.  "page=" sets the page size the footprint is counted in (4096 by
 * default; 16384 and 65536 for comparisons with pools of those page sizes).
 *
 * Footprint ("footprint=" in the spec), measured from glibc, not guessed:
 *
 *   chunks (default)  the bytes of the heap chunks that hold the live
 *		objects: malloc_usable_size(p) + 8 per object (glibc's size
 *		word; on x86-64 a chunk is usable + 8, a multiple of 16, at
 *		least 32 bytes).  pool_pages = ceil(sum / page).  Exact for the
 *		live objects and private to the pool (several pools in one
 *		process do not disturb each other), but it EXCLUDES what glibc
 *		holds beyond them: free chunks between live ones (fragmentation
 *		after frees), the unused top of the heap and the arena's own
 *		bookkeeping.  So it is a lower bound of the heap's size, as
 *		metadata-free as 'ideal' is.
 *   heap	the growth of glibc's heap below its top chunk since the pool
 *		was created: mallinfo2() arena - keepcost (bytes obtained from
 *		the OS for the arenas, minus the free, trimmable top of the main
 *		heap) now minus at create, pool_pages = ceil(that / page), 0 if
 *		it shrank.  Objects of at most 64 KiB never get their own
 *		mmap (the threshold is >= 128 KiB), so hblkhd is not theirs and
 *		is left out.  This includes the free chunks the pool's frees
 *		leave between live ones (fragmentation), which 'chunks' does
 *		not.  But mallinfo2 is process-wide: the figure means something
 *		only when the pool is the heap's only user from its creation on
 *		(e.g. `zpoolbench replay --alloc malloc:footprint=heap`; not in
 *		`zpoolbench bench`, where other pools allocate too), and holes
 *		that existed before the pool and that it fills are not counted.
 *		mallinfo2 walks the arenas' bins, so it is slow (microseconds):
 *		it is called from total_pages()/stats() only, never on the
 *		store path.  peak_pages is then the largest value reported.
 *		zpoolbench fixes glibc's mmap and trim thresholds at 128 KiB
 *		(zpb_heap_setup(), bench/util.h), so the heap is trimmed by the
 *		same rule whatever the process freed before the pool.
 *
 * metadata_bytes is 0 in both modes: the per-chunk header is counted in the
 * chunk bytes, the arena structures are part of the heap figure.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>

#include "zpool.h"

#define CHUNK_HDR 8 /* glibc's size word in front of the user bytes */

enum footprint { FP_CHUNKS, FP_HEAP };

struct malloc_pool {
	enum footprint fp;
	unsigned int page_shift;
	size_t heap_base; /* heap_held() at create (FP_HEAP) */
	/* updated with relaxed atomics: malloc() itself is thread-safe */
	uint64_t objects;
	uint64_t chunk_bytes;
	uint64_t peak_bytes; /* FP_CHUNKS: largest chunk_bytes */
	uint64_t peak_pages; /* FP_HEAP: largest value reported */
};

static inline uint64_t bytes_to_pages(const struct malloc_pool *pool, uint64_t bytes)
{
	return (bytes + (1ULL << pool->page_shift) - 1) >> pool->page_shift;
}

static inline size_t chunk_of(void *obj)
{
	return malloc_usable_size(obj) + CHUNK_HDR;
}

/* Bytes of the heap below the main arena's free top chunk. */
static size_t heap_held(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.arena - mi.keepcost;
}

/* clang-format off */
static const struct zpool_param malloc_params[] = {
	{ "footprint", "chunks|heap", 0, 0, "chunks",
	  "chunks: live heap chunks (usable size + 8), no fragmentation; heap: growth of "
	  "mallinfo2 arena - keepcost (process-wide)" },
	{ "page", "4096|16384|65536", 0, 0, "4096",
	  "page size in bytes: the unit pool pages are counted in (objects up to 64 KiB at any "
	  "page size, for multi-page units)" },
	{ NULL, NULL, 0, 0, NULL, NULL },
};
/* clang-format on */

static void *libc_create(const struct zpool_config *cfg, const struct zpool_evict_ops *ops,
			 char *err, size_t errlen)
{
	struct malloc_pool *pool = calloc(1, sizeof(*pool));

	(void)ops;
	if (!pool) {
		snprintf(err, errlen, "malloc: out of memory");
		return NULL;
	}
	pool->fp = zpool_cfg_int(cfg, "footprint") == 1 ? FP_HEAP : FP_CHUNKS;
	pool->page_shift = (unsigned int)__builtin_ctzl(zpool_cfg_page_size(cfg));
	if (pool->fp == FP_HEAP)
		pool->heap_base = heap_held();
	return pool;
}

static void libc_destroy(void *p)
{
	/* the pool keeps no list of its objects: the front end frees them before destroy */
	free(p);
}

static int libc_malloc(void *p, size_t size, unsigned long *handle)
{
	struct malloc_pool *pool = p;
	uint64_t bytes, peak;
	void *obj;

	if (!size)
		return -EINVAL;
	if (size > ZPOOL_OBJ_SIZE_MAX)
		return -ENOSPC;
	obj = malloc(size);
	if (!obj)
		return -ENOMEM;
	__atomic_add_fetch(&pool->objects, 1, __ATOMIC_RELAXED);
	bytes = __atomic_add_fetch(&pool->chunk_bytes, chunk_of(obj), __ATOMIC_RELAXED);
	peak = __atomic_load_n(&pool->peak_bytes, __ATOMIC_RELAXED);
	while (bytes > peak && !__atomic_compare_exchange_n(&pool->peak_bytes, &peak, bytes, true,
							    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	*handle = (unsigned long)obj;
	return 0;
}

static void libc_free(void *p, unsigned long handle)
{
	struct malloc_pool *pool = p;
	void *obj = (void *)handle;

	__atomic_sub_fetch(&pool->chunk_bytes, chunk_of(obj), __ATOMIC_RELAXED);
	__atomic_sub_fetch(&pool->objects, 1, __ATOMIC_RELAXED);
	free(obj);
}

static void *libc_map(void *p, unsigned long handle, enum zpool_mapmode mm)
{
	(void)p;
	(void)mm;
	return (void *)handle;
}

static void libc_unmap(void *p, unsigned long handle)
{
	(void)p;
	(void)handle;
}

static uint64_t heap_pages(struct malloc_pool *pool)
{
	size_t held = heap_held();
	uint64_t pages = held > pool->heap_base ? bytes_to_pages(pool, held - pool->heap_base) : 0;
	uint64_t peak = __atomic_load_n(&pool->peak_pages, __ATOMIC_RELAXED);

	while (pages > peak && !__atomic_compare_exchange_n(&pool->peak_pages, &peak, pages, true,
							    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	return pages;
}

static uint64_t libc_total_pages(void *p)
{
	struct malloc_pool *pool = p;

	if (pool->fp == FP_HEAP)
		return heap_pages(pool);
	return bytes_to_pages(pool, __atomic_load_n(&pool->chunk_bytes, __ATOMIC_RELAXED));
}

static void libc_stats(void *p, struct zpool_stats *st)
{
	struct malloc_pool *pool = p;

	st->objects = __atomic_load_n(&pool->objects, __ATOMIC_RELAXED);
	st->alloc_bytes = __atomic_load_n(&pool->chunk_bytes, __ATOMIC_RELAXED);
	if (pool->fp == FP_HEAP) {
		st->pool_pages = heap_pages(pool);
		st->peak_pages = __atomic_load_n(&pool->peak_pages, __ATOMIC_RELAXED);
	} else {
		st->pool_pages = bytes_to_pages(pool, st->alloc_bytes);
		st->peak_pages = bytes_to_pages(pool, __atomic_load_n(&pool->peak_bytes,
								      __ATOMIC_RELAXED));
	}
	st->metadata_bytes = 0;
}

static void libc_size_table(void *p, FILE *out)
{
	struct malloc_pool *pool = p;
	size_t page = (size_t)1 << pool->page_shift;

	fprintf(out,
		"page %zu B: objects 1..%lu B, one malloc() each; pool pages = ceil(%s / %zu)\n",
		page, ZPOOL_OBJ_SIZE_MAX,
		pool->fp == FP_HEAP ? "heap growth" : "(usable size + 8) summed", page);
}

static size_t libc_max_size(void *p)
{
	(void)p;
	return ZPOOL_OBJ_SIZE_MAX;
}

static const struct zpool_driver malloc_driver = {
	.name = "malloc",
	.summary = "the C library's malloc (glibc), one malloc per object: the userspace reference",
	.params = malloc_params,
	.order = 80,
	.create = libc_create,
	.destroy = libc_destroy,
	.malloc = libc_malloc,
	.free = libc_free,
	.map = libc_map,
	.unmap = libc_unmap,
	.total_pages = libc_total_pages,
	.stats = libc_stats,
	.size_table = libc_size_table,
	.max_size = libc_max_size,
};

ZPOOL_DRIVER_REGISTER(malloc_driver)
