// SPDX-License-Identifier: GPL-2.0-only
/*
 * zbud.c - userspace port of the kernel's zbud allocator (mm/zbud.c),
 * written from its documented behaviour (the kernel's zbud and zswap documentation
 * and the zbud design as described on linux-mm)
 * and checked against Linux 6.1 under qemu.
 *
 * zbud stores at most two objects ("buddies") in one page: FIRST is
 * left-justified right after a one-chunk header, LAST is right-justified at
 * the end of the page.  Whatever is between them is free, in one piece, so a
 * page with one buddy can take any second object that fits the gap.
 *
 *   0      64                                             4096
 *   +------+----------------+---------------+---------------+
 *   | hdr  |  FIRST buddy   |   (free)      |   LAST buddy  |
 *   +------+----------------+---------------+---------------+
 *          ^ handle = page+64               ^ handle = page + 4096 - last_chunks*64
 *
 * Granule: a page is 64 chunks (NCHUNKS_ORDER 6), so a chunk is
 * PAGE_SIZE >> 6: 64 bytes on 4 KiB pages, 256 on 16 KiB, 1 KiB on 64 KiB.
 * The header takes one chunk, so NCHUNKS = 63 chunks are free in an empty
 * page at every page size and there are 63 "unbuddied" lists, indexed by the
 * number of free chunks (index 0 unused).  A request of more than
 * PAGE - 2 chunks (3968 bytes on 4 KiB pages, 15,872 on 16 KiB, 63,488 on
 * 64 KiB) can never share a page with anything and is refused with -ENOSPC.
 *
 * Invariants (checked by tests):
 *  - a page is on exactly one of: unbuddied[free chunks] (one buddy),
 *    buddied (two buddies), or no list while under reclaim;
 *  - first_chunks + last_chunks <= 63;
 *  - a page with no buddy is freed at once (outside reclaim);
 *  - pages_nr equals the pages held from the page provider.
 *
 * Handles are the object's address, so map() returns the handle and unmap()
 * does nothing; FIRST vs LAST is told from the handle (FIRST iff handle - 64
 * is page aligned).
 *
 * Parameters (spec "zbud[:kernel=6.1|6.12,lru=0|1,page=4096|16384|65536]"):
 *   kernel=6.1   (default) preset: lru=1.
 *   kernel=6.12  preset: lru=0 (zbud after zswap took the LRU over in 6.5,
 *                until its removal in 6.15; the allocation rules are the same).
 *   lru=1  the 4.x - 6.4 design, as in Linux 6.1: pages on an LRU
 *          list (most recently allocated at the head), and shrink() reclaims
 *          from the tail through the front end's evict callback, retrying up
 *          to 8 pages, FIRST evicted before LAST.
 *   lru=0  the post-6.5 design: no LRU list, no reclaim.
 *   page   PAGE_SIZE.  zbud's arithmetic is all in chunks of PAGE_SIZE >> 6,
 *          so every page size the kernel builds with works the same way;
 *          64 KiB is accepted (arm64 and ppc64 kernels build zbud with it).
 *
 * Deliberate differences from the kernel:
 *  - The pool lock is a pthread spinlock; the page comes from the page
 *    provider instead of alloc_page().  Like the kernel, the lock is dropped
 *    while a new page is obtained.
 *  - GFP flags do not exist here, so the HIGHMEM -EINVAL case cannot occur.
 *  - Nothing else: list order (LIFO inserts at the head, search from the
 *    smallest sufficient index), buddy choice and reclaim order follow the
 *    kernel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "lock.h"
#include "page.h"
#include "zpool.h"

#define NCHUNKS_ORDER 6 /* a page is 1 << 6 chunks: chunk shift = page shift - 6 */
#define TOTAL_CHUNKS (1U << NCHUNKS_ORDER)
#define ZHDR_CHUNKS 1 /* ZHDR_SIZE_ALIGNED = one chunk */
/* free chunks of an empty page, and the number of unbuddied lists (any page size) */
#define NCHUNKS (TOTAL_CHUNKS - ZHDR_CHUNKS)
#define RECLAIM_RETRIES 8

enum buddy { FIRST, LAST };

/* Lives in the first chunk of every zbud page. */
struct zbud_header {
	struct list_head buddy; /* unbuddied[i] or buddied */
	struct list_head lru;	/* pool LRU (lru=1) */
	unsigned int first_chunks;
	unsigned int last_chunks;
	bool under_reclaim;
};

/* the smallest chunk is 64 bytes (4 KiB pages) */
_Static_assert(sizeof(struct zbud_header) <= (ZPOOL_PAGE_SIZE >> NCHUNKS_ORDER),
	       "zbud header exceeds a chunk");

struct zbud_pool {
	zlock_t lock;
	/* the page size's arithmetic */
	size_t page_size;
	unsigned int chunk_shift; /* CHUNK_SHIFT = PAGE_SHIFT - NCHUNKS_ORDER */
	size_t chunk_size;	  /* CHUNK_SIZE = ZHDR_SIZE_ALIGNED */
	size_t max_size;	  /* the largest object: page - header - one chunk */
	struct list_head unbuddied[NCHUNKS];
	struct list_head buddied;
	struct list_head lru;
	uint64_t pages_nr;
	bool use_lru;
	struct zpool_evict_ops ops;
	struct page_provider *pp;
	/* statistics, under the lock */
	uint64_t objects;
	uint64_t alloc_chunks;
	uint64_t evictions;
};

static inline unsigned int size_to_chunks(const struct zbud_pool *pool, size_t size)
{
	return (size + pool->chunk_size - 1) >> pool->chunk_shift;
}

static inline unsigned int num_free_chunks(const struct zbud_header *zhdr)
{
	return NCHUNKS - zhdr->first_chunks - zhdr->last_chunks;
}

static inline struct zbud_header *handle_to_zhdr(const struct zbud_pool *pool, unsigned long handle)
{
	return page_base_sized((void *)handle, pool->page_size);
}

static inline unsigned long encode_handle(const struct zbud_pool *pool, struct zbud_header *zhdr,
					  enum buddy bud)
{
	unsigned long page = (unsigned long)zhdr;

	if (bud == FIRST)
		return page + pool->chunk_size;
	return page + pool->page_size - ((unsigned long)zhdr->last_chunks << pool->chunk_shift);
}

/* FIRST starts one chunk (the header) into its page. */
static inline bool handle_is_first(const struct zbud_pool *pool, unsigned long handle)
{
	return page_offset_sized((void *)(handle - pool->chunk_size), pool->page_size) == 0;
}

static struct zbud_header *init_zbud_page(void *page)
{
	struct zbud_header *zhdr = page;

	zhdr->first_chunks = 0;
	zhdr->last_chunks = 0;
	INIT_LIST_HEAD(&zhdr->buddy);
	INIT_LIST_HEAD(&zhdr->lru);
	zhdr->under_reclaim = false;
	return zhdr;
}

/* Pool lock held. */
static void free_zbud_page(struct zbud_pool *pool, struct zbud_header *zhdr)
{
	pp_free(pool->pp, zhdr);
	__atomic_store_n(&pool->pages_nr, pool->pages_nr - 1, __ATOMIC_RELAXED);
}

/* Put a page holding one or two buddies back on the right list.  Lock held. */
static void file_page(struct zbud_pool *pool, struct zbud_header *zhdr)
{
	if (zhdr->first_chunks == 0 || zhdr->last_chunks == 0)
		list_add(&zhdr->buddy, &pool->unbuddied[num_free_chunks(zhdr)]);
	else
		list_add(&zhdr->buddy, &pool->buddied);
}

/* clang-format off */
static const struct zpool_param zbud_params[] = {
	{ "kernel", "6.1|6.12", 0, 0, "6.1",
	  "preset: 6.1 (LRU and reclaim: lru=1) or 6.12 (post-6.5 zbud: lru=0)" },
	{ "lru", "0|1", 0, 0, "1",
	  "1: LRU list and shrink/evict of Linux 4.x-6.4; 0: post-6.5 zbud; preset default" },
	{ "page", "4096|16384|65536", 0, 0, "4096",
	  "PAGE_SIZE in bytes: chunks of PAGE_SIZE/64, objects up to PAGE_SIZE - 2 chunks" },
	{ NULL, NULL, 0, 0, NULL, NULL },
};
/* clang-format on */

static void *zbud_create(const struct zpool_config *cfg, const struct zpool_evict_ops *ops,
			 char *err, size_t errlen)
{
	struct zbud_pool *pool = calloc(1, sizeof(*pool));

	if (!pool) {
		snprintf(err, errlen, "zbud: out of memory");
		return NULL;
	}
	pool->page_size = zpool_cfg_page_size(cfg);
	pool->chunk_shift = (unsigned int)__builtin_ctzl(pool->page_size) - NCHUNKS_ORDER;
	pool->chunk_size = (size_t)1 << pool->chunk_shift;
	pool->max_size = pool->page_size - ZHDR_CHUNKS * pool->chunk_size - pool->chunk_size;
	pool->pp = pp_create_sized(0, pool->chunk_shift + NCHUNKS_ORDER);
	if (!pool->pp) {
		free(pool);
		snprintf(err, errlen, "zbud: cannot reserve pool memory");
		return NULL;
	}
	zlock_init(&pool->lock);
	for (unsigned int i = 0; i < NCHUNKS; i++)
		INIT_LIST_HEAD(&pool->unbuddied[i]);
	INIT_LIST_HEAD(&pool->buddied);
	INIT_LIST_HEAD(&pool->lru);
	pool->use_lru = strcmp(zpool_cfg_str(cfg, "kernel"), "6.12") != 0;
	if (zpool_cfg_isset(cfg, "lru"))
		pool->use_lru = zpool_cfg_int(cfg, "lru") == 1;
	if (ops)
		pool->ops = *ops;
	return pool;
}

static void zbud_destroy(void *p)
{
	struct zbud_pool *pool = p;

	pp_destroy(pool->pp);
	zlock_destroy(&pool->lock);
	free(pool);
}

static int zbud_malloc(void *p, size_t size, unsigned long *handle)
{
	struct zbud_pool *pool = p;
	struct zbud_header *zhdr = NULL;
	enum buddy bud;
	unsigned int chunks, i;
	void *page;

	if (!size)
		return -EINVAL;
	if (size > pool->max_size)
		return -ENOSPC;
	chunks = size_to_chunks(pool, size);

	zlock(&pool->lock);
	/* first fit, smallest sufficient gap first, newest page of that list */
	for (i = chunks; i < NCHUNKS; i++) {
		if (!list_empty(&pool->unbuddied[i])) {
			zhdr = list_first_entry(&pool->unbuddied[i], struct zbud_header, buddy);
			list_del_init(&zhdr->buddy);
			bud = zhdr->first_chunks == 0 ? FIRST : LAST;
			goto found;
		}
	}

	/* nothing fits: a new page, obtained without the lock held */
	zunlock(&pool->lock);
	page = pp_alloc(pool->pp);
	if (!page)
		return -ENOMEM;
	zlock(&pool->lock);
	__atomic_store_n(&pool->pages_nr, pool->pages_nr + 1, __ATOMIC_RELAXED);
	zhdr = init_zbud_page(page);
	bud = FIRST;

found:
	if (bud == FIRST)
		zhdr->first_chunks = chunks;
	else
		zhdr->last_chunks = chunks;
	file_page(pool, zhdr);
	if (pool->use_lru) {
		/* most recently allocated at the head */
		list_move(&zhdr->lru, &pool->lru);
	}
	*handle = encode_handle(pool, zhdr, bud);
	pool->objects++;
	pool->alloc_chunks += chunks;
	zunlock(&pool->lock);
	return 0;
}

static void zbud_free(void *p, unsigned long handle)
{
	struct zbud_pool *pool = p;
	struct zbud_header *zhdr;
	unsigned int chunks;

	zlock(&pool->lock);
	zhdr = handle_to_zhdr(pool, handle);
	if (handle_is_first(pool, handle)) {
		chunks = zhdr->first_chunks;
		zhdr->first_chunks = 0;
	} else {
		chunks = zhdr->last_chunks;
		zhdr->last_chunks = 0;
	}
	pool->objects--;
	pool->alloc_chunks -= chunks;

	if (zhdr->under_reclaim) {
		/* reclaim owns the page now and will free it */
		zunlock(&pool->lock);
		return;
	}

	list_del_init(&zhdr->buddy);
	if (zhdr->first_chunks == 0 && zhdr->last_chunks == 0) {
		list_del_init(&zhdr->lru);
		free_zbud_page(pool, zhdr);
	} else {
		list_add(&zhdr->buddy, &pool->unbuddied[num_free_chunks(zhdr)]);
	}
	zunlock(&pool->lock);
}

/*
 * Evict the buddies of the least recently allocated page through the front
 * end.  0 when a page was freed; -EAGAIN when @retries pages were tried and
 * none could be emptied; -EINVAL when there is nothing to reclaim or no
 * evict callback.
 */
static int zbud_reclaim_page(struct zbud_pool *pool, unsigned int retries)
{
	struct zbud_header *zhdr;
	unsigned long first_handle, last_handle;
	int ret;

	zlock(&pool->lock);
	if (!pool->ops.evict || list_empty(&pool->lru) || retries == 0) {
		zunlock(&pool->lock);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < retries; i++) {
		zhdr = list_last_entry(&pool->lru, struct zbud_header, lru);
		list_del_init(&zhdr->lru);
		list_del_init(&zhdr->buddy);
		/* a concurrent free must not release the page under us */
		zhdr->under_reclaim = true;
		/* encode while locked: a free could clear the sizes once we unlock */
		first_handle = zhdr->first_chunks ? encode_handle(pool, zhdr, FIRST) : 0;
		last_handle = zhdr->last_chunks ? encode_handle(pool, zhdr, LAST) : 0;
		zunlock(&pool->lock);

		ret = 0;
		if (first_handle) {
			ret = pool->ops.evict(pool->ops.ctx, first_handle);
			if (!ret)
				__atomic_add_fetch(&pool->evictions, 1, __ATOMIC_RELAXED);
		}
		if (!ret && last_handle) {
			ret = pool->ops.evict(pool->ops.ctx, last_handle);
			if (!ret)
				__atomic_add_fetch(&pool->evictions, 1, __ATOMIC_RELAXED);
		}

		zlock(&pool->lock);
		zhdr->under_reclaim = false;
		if (zhdr->first_chunks == 0 && zhdr->last_chunks == 0) {
			free_zbud_page(pool, zhdr);
			zunlock(&pool->lock);
			return 0;
		}
		file_page(pool, zhdr);
		list_add(&zhdr->lru, &pool->lru);
	}
	zunlock(&pool->lock);
	return -EAGAIN;
}

static int zbud_shrink(void *p, unsigned int pages, unsigned int *reclaimed)
{
	struct zbud_pool *pool = p;
	unsigned int total = 0;
	int ret = -EINVAL;

	if (reclaimed)
		*reclaimed = 0;
	if (!pool->use_lru)
		return -EINVAL;
	while (total < pages) {
		ret = zbud_reclaim_page(pool, RECLAIM_RETRIES);
		if (ret < 0)
			break;
		total++;
	}
	if (reclaimed)
		*reclaimed = total;
	return ret;
}

static void *zbud_map(void *p, unsigned long handle, enum zpool_mapmode mm)
{
	(void)p;
	(void)mm;
	return (void *)handle;
}

static void zbud_unmap(void *p, unsigned long handle)
{
	(void)p;
	(void)handle;
}

static uint64_t zbud_total_pages(void *p)
{
	struct zbud_pool *pool = p;

	return __atomic_load_n(&pool->pages_nr, __ATOMIC_RELAXED);
}

static void zbud_stats(void *p, struct zpool_stats *st)
{
	struct zbud_pool *pool = p;

	zlock(&pool->lock);
	st->objects = pool->objects;
	st->alloc_bytes = pool->alloc_chunks << pool->chunk_shift;
	st->pool_pages = pool->pages_nr;
	st->evictions = __atomic_load_n(&pool->evictions, __ATOMIC_RELAXED);
	zunlock(&pool->lock);
	st->peak_pages = pp_peak(pool->pp);
	st->metadata_bytes = 0; /* the header lives in the pool page */
}

static struct page_provider *zbud_provider(void *p)
{
	return ((struct zbud_pool *)p)->pp;
}

static void zbud_size_table(void *p, FILE *out)
{
	struct zbud_pool *pool = p;

	fprintf(out,
		"page %zu B: chunks of %zu B (PAGE_SIZE >> %d), header 1 chunk, "
		"%u free chunks per page (%u unbuddied lists)\n",
		pool->page_size, pool->chunk_size, NCHUNKS_ORDER, NCHUNKS, NCHUNKS);
	fprintf(out,
		"objects 1..%zu B (%u chunks at most), larger refused (-ENOSPC); "
		"two share a page iff their chunks add up to <= %u\n",
		pool->max_size, NCHUNKS - 1, NCHUNKS);
	fprintf(out, "reclaim: %s\n",
		pool->use_lru ? "LRU, shrink() evicts (lru=1)" : "none (lru=0)");
}

/* The largest object malloc() takes (smaller than a page: no multi-page units). */
static size_t zbud_max_size(void *p)
{
	return ((struct zbud_pool *)p)->max_size;
}

static const struct zpool_driver zbud_driver = {
	.name = "zbud",
	.summary = "two buddies per page, chunks of PAGE_SIZE/64 (Linux 3.11-6.14)",
	.params = zbud_params,
	.order = 10,
	.create = zbud_create,
	.destroy = zbud_destroy,
	.malloc = zbud_malloc,
	.free = zbud_free,
	.map = zbud_map,
	.unmap = zbud_unmap,
	.compact = NULL,
	.shrink = zbud_shrink,
	.total_pages = zbud_total_pages,
	.max_size = zbud_max_size,
	.stats = zbud_stats,
	.provider = zbud_provider,
	.size_table = zbud_size_table,
};

ZPOOL_DRIVER_REGISTER(zbud_driver)
