// SPDX-License-Identifier: GPL-2.0-only
/*
 * z3fold.c - userspace port of the kernel's z3fold allocator (mm/z3fold.c),
 * written from its documented behaviour (Documentation/mm/z3fold.rst and the
 * 2016-2019 patch postings and reviews on linux-mm) in two designs: the one
 * merged for v4.7 (2016) and the final mainline one as shipped in Linux 6.1.
 * The 6.1 design is checked page count by page count against the real kernel
 * (the qemu oracle).
 *
 * z3fold keeps up to three objects ("buddies") in one page of 64 chunks
 * (chunk = PAGE_SIZE >> 6: 64 bytes on 4 KiB pages, 256 on 16 KiB, 1 KiB on
 * 64 KiB).  FIRST is left-justified right after the header, LAST
 * right-justified at the end of the page, MIDDLE starts at chunk start_middle
 * anywhere in between.  Objects larger than PAGE - header - 64 get a page of
 * their own without a header ("headless").
 *
 *   chunk 0   H                                                       64
 *   +--------+-----------+-------+--------------+---------+-----------+
 *   | header |  FIRST    | (gap) |   MIDDLE     |  (gap)  |   LAST    |
 *   +--------+-----------+-------+--------------+---------+-----------+
 *   H = 1 chunk (4.7: 32-byte struct padded) or the 88-byte 6.1 header
 *   rounded up to chunks: 2 on 4 KiB pages, 1 on 16 and 64 KiB pages
 *   FIRST at H, MIDDLE at start_middle, LAST at 64 - last_chunks
 *   headless page:  | object (up to PAGE_SIZE bytes, no header)       |
 *
 * The arithmetic by page size (kernel=4.7 / kernel=6.1):
 *   page     chunk  H      NCHUNKS  headless above
 *   4 KiB    64 B   1 / 2  63 / 62  3968 / 3904 B
 *   16 KiB   256 B  1 / 1  63 / 63  15,872 B (both)
 *   64 KiB   1 KiB  1 / 1  63 / 63  63,488 B (both)
 * Handles need no change: the slot word keeps the buddy index in bits 0-1
 * and LAST's chunk count (< 64) in bits 2-7, below any page alignment, and
 * the 4.7 in-page handle adds at most 63 to the page address.
 *
 * Invariants (z3fold_debug_check() verifies them; tests call it):
 *  - objects lie inside [H, 64) and never overlap; at most 3 per page;
 *  - a page holding 1 or 2 objects (or 3 with a hole none fits, never: a
 *    page is "full" iff all three positions are used) that is not under
 *    reclaim or queued for compaction is on unbuddied[num_free_chunks];
 *    full pages are on "buddied" (4.7) or on no list (6.1);
 *  - every page (headless too) is on the LRU unless under reclaim, and
 *    pages_nr = number of pages held; an empty page is released at once
 *    (or by the compaction worker that holds it queued);
 *  - a handle stays valid for the object's life, whatever moves it: by the
 *    first_num trick for MIDDLE -> FIRST, by rewriting the slot word for
 *    inter-page moves.
 *
 * Parameters (spec "z3fold:key=value,..."; a preset first, then overrides):
 *  kernel=4.7|6.1   4.7 (default): 1-chunk header, NCHUNKS 63 with the
 *                   off-by-one of num_free_chunks, handles encoded in the
 *                   page address ((bud + first_num) & 63), a buddied list,
 *                   one pool lock for everything incl. map/unmap, LRU and
 *                   reclaim; compaction=middle, synchronous.
 *                   6.1: 2-chunk header (NCHUNKS 62, headless above 3904),
 *                   the 4.11+ num_free_chunks, get_free_buddy slot choice,
 *                   separate handle slots (64-byte objects, counted as
 *                   metadata), gated extended compaction (gap 3), the
 *                   single-object inter-page move after free, no buddied
 *                   list, per-page locks for map/unmap.
 *  compaction=none|middle|extra|gated  in-page moves after a free:
 *                   middle = a lone MIDDLE becomes FIRST (2016); extra =
 *                   also MIDDLE next to FIRST or next to LAST in two-object
 *                   pages whatever the gap (the review's request); gated =
 *                   those two only when the gap is >= gap chunks (mainline's
 *                   BIG_CHUNK_GAP); none = no move at all (also no
 *                   inter-page move unless interpage=1 is given).
 *  gap=N            1..62, default 3; only with compaction=gated.
 *  async=0|1        0: compaction inside free; 1: free queues the page to
 *                   one worker thread per pool and returns (the kernel's
 *                   compaction workqueue); compact and destroy flush it.
 *  compact_on_unmap=0|1  a compaction skipped because the object was mapped
 *                   is done when it is unmapped (queued with async=1).
 *  migrate=0|1      the pool's compact operation moves the object of every
 *                   single-object page into another page where it fits.
 *  interpage=0|1    after a free leaves one object in a page, move it to
 *                   another page (6.1 default; 4.7 default off).
 *  migrate=1 or interpage=1 need handles that survive a move, so they switch
 *  a 4.7 pool to separate handle slots (metadata) as mainline had to.
 *  page=4096|16384|65536  PAGE_SIZE; all of z3fold's arithmetic is in chunks
 *                   of PAGE_SIZE >> 6, so every page size follows from it.
 *
 * Deliberate differences from the kernel, and why:
 *  - Per-CPU unbuddied lists -> one set of lists.  With one CPU (the qemu
 *    oracle runs a 1-CPU guest) the kernel's second search pass, "exact size
 *    on other CPUs' lists", looks at a list the first pass already found
 *    empty, so one set is the same thing.
 *  - Compaction workqueue -> synchronous (async=0, the default) or one
 *    worker thread (async=1).  async=0 reproduces the kernel's state once
 *    its queued work has run (do_compact_page after every free), which is
 *    what the oracle compares after each operation.  The kernel compacts
 *    full pages (no owning CPU) synchronously anyway.
 *  - A page queued for compaction is taken off its unbuddied list at once;
 *    the kernel leaves it there and every allocation that meets it removes
 *    it and searches again: the same pages are usable either way.
 *  - Stale list and release workqueue -> pages are returned to the page
 *    provider at once; pages_nr drops at the same moment as in the kernel.
 *  - kref -> the object count of the page plus its "queued" flag: a page
 *    is released when it holds no object and no compaction work is pending.
 *  - Page migration (isolate/migrate/putback) is not ported: userspace
 *    pages never move.  mapped_count is an int, not a 2-bit field.  As in
 *    the kernel, MIDDLE_MAPPED is one bit: two overlapping maps of the same
 *    MIDDLE object are not supported (no front end does that).
 *  - 6.1 pool lock: taken by alloc, free, compaction and reclaim as a
 *    whole, where the kernel takes it only around list operations and
 *    relies on per-page trylocks and PAGE_CLAIMED; map/unmap take only the
 *    page lock (through the slot, with the kernel's trylock-and-retry) as
 *    in 6.1.  Page counts do not depend on this.
 *  - 6.1 reclaim evicts with the real handles (the kernel builds them in an
 *    on-stack slots object so that a racing free cannot release the page's
 *    own; here the page is held by UNDER_RECLAIM instead), and a free during
 *    reclaim releases its handle slot at once.
 *  - 6.1 reclaim keeps the kernel's quirk: a page it fails to empty goes
 *    back on the LRU only, not on an unbuddied list, until its next free.
 *  - The three defects of the 2016 review are fixed: free decodes the
 *    position with handle_to_buddy; reclaim never reads the header of a
 *    headless page; (compact_on_unmap=1) unmap does a skipped compaction.
 *  - GFP flags do not exist: no HIGHMEM -EINVAL, no "can sleep" stale-page
 *    reuse (which does not change pages_nr anyway).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "lock.h"
#include "page.h"
#include "z3fold.h"
#include "zpool.h"

#define NCHUNKS_ORDER 6 /* a page is 64 chunks: chunk shift = page shift - 6 */
#define TOTAL_CHUNKS (1U << NCHUNKS_ORDER)
#define HDR_BYTES_47 32 /* sizeof(struct z3fold_header) in 4.7, padded to one chunk */
#define HDR_BYTES_61 88 /* the 5.x/6.x header on x86_64 and arm64, rounded up to chunks */
#define RECLAIM_RETRIES 8
#define SLOTS_ALIGN 64
#define SLOT_MASK 3UL	    /* BUDDY_MASK of the slot era */
#define INPAGE_MASK 63UL    /* BUDDY_MASK of 4.7: first_num had 6 bits */
#define SLOT_CHUNKS_SHIFT 2 /* BUDDY_SHIFT: LAST's size in the slot word */
#define HEADLESS_TAG 1UL    /* slot-era headless handle = page | 1 */

enum buddy { HEADLESS = Z3_HEADLESS, FIRST = Z3_FIRST, MIDDLE = Z3_MIDDLE, LAST = Z3_LAST };

/* same order as the words of the "compaction" parameter */
enum compaction { COMPACT_NONE, COMPACT_MIDDLE, COMPACT_EXTRA, COMPACT_GATED };

/* bits of struct zpage.flags (the kernel keeps them in page->private) */
enum page_flag {
	PG_HEADLESS,
	PG_MIDDLE_MAPPED,
	PG_NEEDS_COMPACTING, /* queued for the worker */
	PG_UNDER_RECLAIM,
	PG_HEADLESS_FREED,  /* a headless object was freed during its reclaim */
	PG_COMPACT_SKIPPED, /* compaction refused because an object was mapped */
	PG_PARKED,	    /* 6.1: put back by reclaim on the LRU only */
};

/* Handle slots of the 6.1 design: one 64-byte object per page. */
struct z3fold_slots {
	unsigned long slot[SLOT_MASK + 1];
	struct z3fold_slots *prev, *next; /* all slots objects of the pool */
	zlock_t lock;
} __attribute__((aligned(SLOTS_ALIGN)));

_Static_assert(sizeof(struct z3fold_slots) == SLOTS_ALIGN, "slots object is not 64 bytes");

/* Lives at the start of every page that is not headless. */
struct z3fold_header {
	struct list_head buddy; /* unbuddied[i] or buddied */
	struct z3fold_slots *slots;
	zlock_t page_lock;
	uint16_t first_chunks;
	uint16_t middle_chunks;
	uint16_t last_chunks;
	uint16_t start_middle;
	uint8_t first_num;
	uint8_t foreign_handles;
	int mapped_count;
};

/* the smallest chunk is 64 bytes (4 KiB pages) */
_Static_assert(sizeof(struct z3fold_header) <= (ZPOOL_PAGE_SIZE >> NCHUNKS_ORDER),
	       "z3fold header exceeds a chunk");

struct z3fold_pool {
	zlock_t lock; /* lists, LRU, headers (with the page lock), counters */
	struct list_head unbuddied[TOTAL_CHUNKS];
	struct list_head buddied;
	struct list_head lru;
	uint64_t pages_nr;
	struct page_provider *pp;
	struct zpool_evict_ops ops;

	/* the page size's arithmetic */
	size_t page_size;
	unsigned long page_mask;  /* ~(PAGE_SIZE - 1) */
	unsigned int chunk_shift; /* CHUNK_SHIFT = PAGE_SHIFT - NCHUNKS_ORDER */
	size_t chunk_size;

	/* design */
	bool k47;
	unsigned int hdr_chunks; /* ZHDR_CHUNKS */
	unsigned int nchunks;	 /* NCHUNKS = free chunks of an empty page = lists */
	unsigned int after_base; /* 4.7: NCHUNKS (the off-by-one), 6.1: TOTAL_CHUNKS */
	size_t headless_above;	 /* larger objects get a headless page */
	bool use_buddied;
	bool use_slots;
	unsigned long buddy_mask;

	/* policy */
	int compaction;
	unsigned int gap;
	bool async, compact_on_unmap, migrate, interpage;

	/* handle slots */
	struct z3fold_slots *slots_head;
	uint64_t nslots;

	/* statistics, under the lock */
	uint64_t objects, alloc_bytes, compactions, moves, move_bytes, evictions;
	uint64_t compact_pages_freed;

	/* async worker */
	bool worker_started;
	pthread_t worker;
	pthread_mutex_t wq_lock;
	pthread_cond_t wq_cond, wq_idle;
	struct zpage *wq_head, *wq_tail;
	bool wq_busy, wq_stop;
};

/* ---- small helpers ---- */

static inline unsigned int size_to_chunks(const struct z3fold_pool *pool, size_t size)
{
	return (size + pool->chunk_size - 1) >> pool->chunk_shift;
}

static inline struct zpage *desc_of(struct z3fold_pool *pool, const void *page)
{
	return pp_desc(pool->pp, page);
}

static inline bool pg_test(struct zpage *d, int bit)
{
	return __atomic_load_n(&d->flags, __ATOMIC_ACQUIRE) & (1UL << bit);
}

static inline void pg_set(struct zpage *d, int bit)
{
	__atomic_fetch_or(&d->flags, 1UL << bit, __ATOMIC_ACQ_REL);
}

static inline void pg_clear(struct zpage *d, int bit)
{
	__atomic_fetch_and(&d->flags, ~(1UL << bit), __ATOMIC_ACQ_REL);
}

static inline unsigned int nr_objects(const struct z3fold_header *z)
{
	return !!z->first_chunks + !!z->middle_chunks + !!z->last_chunks;
}

static inline bool page_full(const struct z3fold_header *z)
{
	return z->first_chunks && z->middle_chunks && z->last_chunks;
}

static inline unsigned int bud_chunks(const struct z3fold_header *z, enum buddy bud)
{
	return bud == FIRST ? z->first_chunks : bud == MIDDLE ? z->middle_chunks : z->last_chunks;
}

static inline void *bud_addr(struct z3fold_pool *pool, struct z3fold_header *z, enum buddy bud)
{
	char *p = (char *)z;

	if (bud == FIRST)
		return p + (pool->hdr_chunks << pool->chunk_shift);
	if (bud == MIDDLE)
		return p + ((unsigned long)z->start_middle << pool->chunk_shift);
	return p + pool->page_size - ((unsigned long)z->last_chunks << pool->chunk_shift);
}

/*
 * The unbuddied list index: with a middle object the larger of the gaps
 * before and after it, else what FIRST and LAST leave.  4.7 measured "after"
 * from NCHUNKS (63), one chunk short; 4.11+ from TOTAL_CHUNKS.
 */
static unsigned int num_free_chunks(struct z3fold_pool *pool, const struct z3fold_header *z)
{
	if (z->middle_chunks) {
		int before = z->first_chunks ? 0 : (int)z->start_middle - (int)pool->hdr_chunks;
		int after = z->last_chunks
				    ? 0
				    : (int)pool->after_base - z->start_middle - z->middle_chunks;
		int n = before > after ? before : after;

		return n > 0 ? n : 0;
	}
	return pool->nchunks - z->first_chunks - z->last_chunks;
}

/*
 * Where an object of @chunks goes in a page taken from unbuddied[>= chunks]
 * (get_free_buddy; 4.7's choice is the same rule with a 1-chunk header).
 */
static enum buddy choose_buddy(struct z3fold_pool *pool, const struct z3fold_header *z,
			       unsigned int chunks)
{
	if (z->middle_chunks) {
		if (!z->first_chunks && chunks + pool->hdr_chunks <= z->start_middle)
			return FIRST;
		if (!z->last_chunks)
			return LAST;
		return HEADLESS; /* nothing fits: cannot happen for a listed page */
	}
	if (!z->first_chunks)
		return FIRST;
	if (!z->last_chunks)
		return LAST;
	return MIDDLE;
}

static void place(struct z3fold_pool *pool, struct z3fold_header *z, enum buddy bud,
		  unsigned int chunks)
{
	if (bud == FIRST) {
		z->first_chunks = chunks;
	} else if (bud == LAST) {
		z->last_chunks = chunks;
	} else {
		z->middle_chunks = chunks;
		z->start_middle = z->first_chunks + pool->hdr_chunks;
	}
}

/* Put a page back on the list its state calls for.  Pool and page locked. */
static void file_page(struct z3fold_pool *pool, struct z3fold_header *z)
{
	pg_clear(desc_of(pool, z), PG_PARKED);
	list_del_init(&z->buddy);
	if (!page_full(z))
		list_add(&z->buddy, &pool->unbuddied[num_free_chunks(pool, z)]);
	else if (pool->use_buddied)
		list_add(&z->buddy, &pool->buddied);
}

/* Smallest sufficient free space first, newest page of that list.  Pool locked. */
static struct z3fold_header *find_page(struct z3fold_pool *pool, unsigned int chunks)
{
	for (unsigned int i = chunks; i < pool->nchunks; i++) {
		if (!list_empty(&pool->unbuddied[i])) {
			struct z3fold_header *z = list_first_entry(&pool->unbuddied[i],
								   struct z3fold_header, buddy);

			list_del_init(&z->buddy);
			return z;
		}
	}
	return NULL;
}

/* ---- handles ---- */

static struct z3fold_slots *alloc_slots(struct z3fold_pool *pool)
{
	struct z3fold_slots *s = aligned_alloc(SLOTS_ALIGN, sizeof(*s));

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	zlock_init(&s->lock);
	s->next = pool->slots_head;
	if (s->next)
		s->next->prev = s;
	pool->slots_head = s;
	pool->nslots++;
	return s;
}

static void free_slots(struct z3fold_pool *pool, struct z3fold_slots *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		pool->slots_head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	zlock_destroy(&s->lock);
	free(s);
	pool->nslots--;
}

static inline struct z3fold_slots *handle_to_slots(unsigned long handle)
{
	return (struct z3fold_slots *)(handle & ~(unsigned long)(SLOTS_ALIGN - 1));
}

static inline unsigned long bud_idx(struct z3fold_pool *pool, const struct z3fold_header *z,
				    enum buddy bud)
{
	return (bud + z->first_num) & pool->buddy_mask;
}

/* The slot word of @bud in page @z: page | index (| LAST's chunks << 2). */
static inline unsigned long slot_word(struct z3fold_pool *pool, const struct z3fold_header *z,
				      enum buddy bud)
{
	unsigned long w = (unsigned long)z + bud_idx(pool, z, bud);

	if (bud == LAST)
		w |= (unsigned long)z->last_chunks << SLOT_CHUNKS_SHIFT;
	return w;
}

/* Handle of @bud in page @z; writes the slot word.  Pool and page locked. */
static unsigned long encode_handle(struct z3fold_pool *pool, struct z3fold_header *z, enum buddy bud)
{
	struct z3fold_slots *s = z->slots;
	unsigned long idx = bud_idx(pool, z, bud);

	if (!pool->use_slots)
		return (unsigned long)z + idx;
	zlock(&s->lock);
	s->slot[idx] = slot_word(pool, z, bud);
	zunlock(&s->lock);
	return (unsigned long)&s->slot[idx];
}

/* Position of a live object from its handle (handle_to_buddy). */
static inline enum buddy decode_buddy(struct z3fold_pool *pool, const struct z3fold_header *z,
				      unsigned long word)
{
	return (enum buddy)((word - z->first_num) & pool->buddy_mask);
}

/*
 * Zero a handle's slot word; free its slots object when it is empty.  @z is
 * the page the object lived in.  Pool and page locked.
 */
static void free_handle(struct z3fold_pool *pool, unsigned long handle, struct z3fold_header *z)
{
	struct z3fold_slots *s = handle_to_slots(handle);
	bool empty = true;

	zlock(&s->lock);
	*(unsigned long *)handle = 0;
	for (unsigned int i = 0; i <= SLOT_MASK; i++)
		if (s->slot[i])
			empty = false;
	zunlock(&s->lock);
	if (z->slots != s)
		z->foreign_handles--;
	if (empty) {
		if (z->slots == s)
			z->slots = NULL;
		free_slots(pool, s);
	}
}

/*
 * Slot era: lock the page a handle points to.  The slot word can be
 * rewritten by an inter-page move, so it is read under the slots lock and
 * the page only trylocked (movers hold the page lock, then the slots lock).
 */
static struct z3fold_header *lock_handle_page(const struct z3fold_pool *pool, unsigned long handle,
					      unsigned long *word)
{
	struct z3fold_slots *s = handle_to_slots(handle);

	for (unsigned int spins = 0;; spins++) {
		struct z3fold_header *z;
		unsigned long w;

		zlock(&s->lock);
		w = *(unsigned long *)handle;
		z = (struct z3fold_header *)(w & pool->page_mask);
		if (ztrylock(&z->page_lock)) {
			zunlock(&s->lock);
			*word = w;
			return z;
		}
		zunlock(&s->lock);
		if (!(spins & 15))
			sched_yield();
#if defined(__x86_64__) || defined(__i386__)
		else
			__builtin_ia32_pause();
#endif
	}
}

/* ---- pages ---- */

static void init_header(struct z3fold_pool *pool, struct z3fold_header *z)
{
	memset(z, 0, sizeof(*z));
	INIT_LIST_HEAD(&z->buddy);
	zlock_init(&z->page_lock);
	(void)pool;
}

/* Give back an empty page.  Pool locked; page lock held unless headless. */
static void release_page(struct z3fold_pool *pool, void *page, bool headless)
{
	struct zpage *d = desc_of(pool, page);

	list_del_init(&d->lru);
	if (!headless) {
		struct z3fold_header *z = page;

		list_del_init(&z->buddy);
		zunlock(&z->page_lock);
		zlock_destroy(&z->page_lock);
	}
	__atomic_store_n(&d->flags, 0, __ATOMIC_RELEASE);
	pp_free(pool->pp, page);
	__atomic_store_n(&pool->pages_nr, pool->pages_nr - 1, __ATOMIC_RELAXED);
}

/* ---- compaction ---- */

static void move_middle(struct z3fold_pool *pool, struct z3fold_header *z, unsigned int dst)
{
	size_t len = (size_t)z->middle_chunks << pool->chunk_shift;

	memmove((char *)z + ((size_t)dst << pool->chunk_shift),
		(char *)z + ((size_t)z->start_middle << pool->chunk_shift), len);
	z->start_middle = dst;
	pool->compactions++;
	pool->moves++;
	pool->move_bytes += len;
}

/*
 * In-page compaction (z3fold_compact_page) at the configured level.
 * Returns true if the middle object moved.  Pool and page locked.
 */
static bool compact_in_page(struct z3fold_pool *pool, struct z3fold_header *z, struct zpage *d)
{
	unsigned int gap;

	if (pool->compaction == COMPACT_NONE || !z->middle_chunks)
		return false;
	if (pg_test(d, PG_MIDDLE_MAPPED)) {
		pg_set(d, PG_COMPACT_SKIPPED); /* can't move it while in use */
		return false;
	}
	if (!z->first_chunks && !z->last_chunks) {
		/* a lone middle becomes FIRST; first_num keeps its handle valid */
		move_middle(pool, z, pool->hdr_chunks);
		z->first_chunks = z->middle_chunks;
		z->middle_chunks = 0;
		z->start_middle = 0;
		z->first_num = (z->first_num + 1) & pool->buddy_mask;
		return true;
	}
	if (pool->compaction == COMPACT_MIDDLE)
		return false;
	gap = pool->compaction == COMPACT_EXTRA ? 1 : pool->gap;
	if (z->first_chunks && !z->last_chunks &&
	    z->start_middle >= z->first_chunks + pool->hdr_chunks + gap) {
		move_middle(pool, z, z->first_chunks + pool->hdr_chunks);
		return true;
	}
	if (z->last_chunks && !z->first_chunks &&
	    TOTAL_CHUNKS >= z->last_chunks + z->start_middle + z->middle_chunks + gap) {
		move_middle(pool, z, TOTAL_CHUNKS - z->last_chunks - z->middle_chunks);
		return true;
	}
	return false;
}

/*
 * Move the only object of @src into another page found by the allocation
 * search (compact_single_buddy).  Its handle slot is rewritten, so the
 * handle stays valid.  Pool and @src locked, @src on no list.  True if moved
 * (then @src is empty).
 */
static bool move_single(struct z3fold_pool *pool, struct z3fold_header *src)
{
	enum buddy bud = src->first_chunks ? FIRST : src->middle_chunks ? MIDDLE : LAST;
	unsigned int chunks = bud_chunks(src, bud);
	unsigned long *hslot;
	struct z3fold_header *dst;
	enum buddy nb;
	void *from;

	if (!src->slots)
		return false;
	hslot = &src->slots->slot[bud_idx(pool, src, bud)];
	if (!*hslot)
		return false;
	dst = find_page(pool, chunks);
	if (!dst)
		return false;
	zlock(&dst->page_lock);
	nb = choose_buddy(pool, dst, chunks);
	if (nb == HEADLESS) {
		file_page(pool, dst);
		zunlock(&dst->page_lock);
		return false;
	}
	if (!dst->slots)
		dst->slots = alloc_slots(pool); /* as __z3fold_alloc does; unused here */
	from = bud_addr(pool, src, bud);
	place(pool, dst, nb, chunks);
	memcpy(bud_addr(pool, dst, nb), from, (size_t)chunks << pool->chunk_shift);
	dst->foreign_handles++;
	zlock(&src->slots->lock);
	*hslot = slot_word(pool, dst, nb);
	zunlock(&src->slots->lock);
	file_page(pool, dst);
	zunlock(&dst->page_lock);

	if (bud == FIRST)
		src->first_chunks = 0;
	else if (bud == MIDDLE)
		src->middle_chunks = 0;
	else
		src->last_chunks = 0;
	pool->moves++;
	pool->move_bytes += (size_t)chunks << pool->chunk_shift;
	return true;
}

/*
 * What follows a free (do_compact_page): move a lone object to another page
 * if inter-page compaction is on, else compact in place, and file the page.
 * Pool and page locked, page on no list and not empty.  Returns true if the
 * page was released (its lock is gone), false with the page still locked.
 */
static bool compact_page(struct z3fold_pool *pool, struct z3fold_header *z, struct zpage *d)
{
	list_del_init(&z->buddy);
	pg_clear(d, PG_COMPACT_SKIPPED);
	if (pool->interpage && pool->use_slots && !z->foreign_handles && nr_objects(z) == 1) {
		if (z->mapped_count) {
			pg_set(d, PG_COMPACT_SKIPPED);
		} else if (move_single(pool, z)) {
			release_page(pool, z, false);
			return true;
		}
	}
	compact_in_page(pool, z, d);
	file_page(pool, z);
	return false;
}

/* ---- async worker ---- */

static void queue_page(struct z3fold_pool *pool, struct zpage *d)
{
	pg_set(d, PG_NEEDS_COMPACTING);
	pthread_mutex_lock(&pool->wq_lock);
	d->next = NULL;
	if (pool->wq_tail)
		pool->wq_tail->next = d;
	else
		pool->wq_head = d;
	pool->wq_tail = d;
	pthread_cond_signal(&pool->wq_cond);
	pthread_mutex_unlock(&pool->wq_lock);
}

static void work_one(struct z3fold_pool *pool, struct zpage *d)
{
	struct z3fold_header *z = pp_page_addr(pool->pp, d);

	zlock(&pool->lock);
	zlock(&z->page_lock);
	pg_clear(d, PG_NEEDS_COMPACTING);
	if (!nr_objects(z))
		release_page(pool, z, false);
	else if (!compact_page(pool, z, d))
		zunlock(&z->page_lock);
	zunlock(&pool->lock);
}

static void *worker_main(void *arg)
{
	struct z3fold_pool *pool = arg;

	pthread_mutex_lock(&pool->wq_lock);
	for (;;) {
		struct zpage *d;

		while (!pool->wq_head && !pool->wq_stop)
			pthread_cond_wait(&pool->wq_cond, &pool->wq_lock);
		if (!pool->wq_head)
			break;
		d = pool->wq_head;
		pool->wq_head = d->next;
		if (!pool->wq_head)
			pool->wq_tail = NULL;
		pool->wq_busy = true;
		pthread_mutex_unlock(&pool->wq_lock);

		work_one(pool, d);

		pthread_mutex_lock(&pool->wq_lock);
		pool->wq_busy = false;
		if (!pool->wq_head)
			pthread_cond_broadcast(&pool->wq_idle);
	}
	pthread_mutex_unlock(&pool->wq_lock);
	return NULL;
}

static void flush_work(struct z3fold_pool *pool)
{
	if (!pool->worker_started)
		return;
	pthread_mutex_lock(&pool->wq_lock);
	while (pool->wq_head || pool->wq_busy)
		pthread_cond_wait(&pool->wq_idle, &pool->wq_lock);
	pthread_mutex_unlock(&pool->wq_lock);
}

/*
 * After a free left @z non-empty (pool and page locked): compact now, or
 * queue it.  Unlocks the page (or releases it).
 */
static void after_free(struct z3fold_pool *pool, struct z3fold_header *z, struct zpage *d)
{
	if (pool->async) {
		list_del_init(&z->buddy);
		queue_page(pool, d);
		zunlock(&z->page_lock);
		return;
	}
	if (!compact_page(pool, z, d))
		zunlock(&z->page_lock);
}

/* ---- the zpool operations ---- */

/* clang-format off */
static const struct zpool_param z3fold_params[] = {
	{ "kernel", "4.7|6.1", 0, 0, "4.7",
	  "preset: 4.7 = the 2016 merged design; 6.1 = final mainline (slots, gated, inter-page)" },
	{ "compaction", "none|middle|extra|gated", 0, 0, "middle",
	  "in-page moves after free (default: middle for 4.7, gated for 6.1)" },
	{ "gap", NULL, 1, 62, "3", "gated: move MIDDLE only if the gap is >= N chunks" },
	{ "async", "0|1", 0, 0, "0", "1: compaction runs in a worker thread, not in free" },
	{ "compact_on_unmap", "0|1", 0, 0, "0",
	  "1: unmap does the compaction skipped while the object was mapped" },
	{ "migrate", "0|1", 0, 0, "0",
	  "1: compact moves objects out of single-object pages (frees pages)" },
	{ "interpage", "0|1", 0, 0, "0",
	  "1: after free, move a page's lone object to another page (default: 1 for 6.1)" },
	{ "page", "4096|16384|65536", 0, 0, "4096",
	  "PAGE_SIZE in bytes: chunks of PAGE_SIZE/64, headless above PAGE_SIZE - header - 1 chunk" },
	{ NULL, NULL, 0, 0, NULL, NULL },
};
/* clang-format on */

static void *z3fold_create(const struct zpool_config *cfg, const struct zpool_evict_ops *ops,
			   char *err, size_t errlen)
{
	struct z3fold_pool *pool;
	pool = calloc(1, sizeof(*pool));
	if (!pool) {
		snprintf(err, errlen, "z3fold: out of memory");
		return NULL;
	}
	pool->k47 = zpool_cfg_int(cfg, "kernel") == 0;
	pool->page_size = zpool_cfg_page_size(cfg);
	pool->page_mask = ~(unsigned long)(pool->page_size - 1);
	pool->chunk_shift = (unsigned int)__builtin_ctzl(pool->page_size) - NCHUNKS_ORDER;
	pool->chunk_size = (size_t)1 << pool->chunk_shift;
	/* ZHDR_CHUNKS: 4.7 padded its header to one chunk; 4.11+ rounds it up */
	pool->hdr_chunks = pool->k47 ? 1
				     : (HDR_BYTES_61 + pool->chunk_size - 1) >> pool->chunk_shift;
	pool->nchunks = TOTAL_CHUNKS - pool->hdr_chunks;
	pool->after_base = pool->k47 ? pool->nchunks : TOTAL_CHUNKS;
	pool->headless_above = pool->page_size - ((size_t)pool->hdr_chunks << pool->chunk_shift) -
			       pool->chunk_size;
	pool->use_buddied = pool->k47;

	if (zpool_cfg_isset(cfg, "compaction"))
		pool->compaction = (int)zpool_cfg_int(cfg, "compaction");
	else
		pool->compaction = pool->k47 ? COMPACT_MIDDLE : COMPACT_GATED;
	pool->gap = (unsigned int)zpool_cfg_int(cfg, "gap");
	if (zpool_cfg_isset(cfg, "gap") && pool->compaction != COMPACT_GATED) {
		snprintf(err, errlen, "z3fold: gap=%u only applies to compaction=gated (add it)",
			 pool->gap);
		free(pool);
		return NULL;
	}
	pool->async = zpool_cfg_int(cfg, "async") == 1;
	pool->compact_on_unmap = zpool_cfg_int(cfg, "compact_on_unmap") == 1;
	pool->migrate = zpool_cfg_int(cfg, "migrate") == 1;
	if (zpool_cfg_isset(cfg, "interpage"))
		pool->interpage = zpool_cfg_int(cfg, "interpage") == 1;
	else
		pool->interpage = !pool->k47 && pool->compaction != COMPACT_NONE;
	pool->use_slots = !pool->k47 || pool->migrate || pool->interpage;
	pool->buddy_mask = pool->use_slots ? SLOT_MASK : INPAGE_MASK;

	pool->pp = pp_create_sized(0, pool->chunk_shift + NCHUNKS_ORDER);
	if (!pool->pp) {
		free(pool);
		snprintf(err, errlen, "z3fold: cannot reserve pool memory");
		return NULL;
	}
	zlock_init(&pool->lock);
	for (unsigned int i = 0; i < TOTAL_CHUNKS; i++)
		INIT_LIST_HEAD(&pool->unbuddied[i]);
	INIT_LIST_HEAD(&pool->buddied);
	INIT_LIST_HEAD(&pool->lru);
	if (ops)
		pool->ops = *ops;

	if (pool->async) {
		pthread_mutex_init(&pool->wq_lock, NULL);
		pthread_cond_init(&pool->wq_cond, NULL);
		pthread_cond_init(&pool->wq_idle, NULL);
		if (pthread_create(&pool->worker, NULL, worker_main, pool)) {
			snprintf(err, errlen, "z3fold: cannot start the compaction thread");
			pp_destroy(pool->pp);
			free(pool);
			return NULL;
		}
		pool->worker_started = true;
	}
	return pool;
}

static void z3fold_destroy(void *p)
{
	struct z3fold_pool *pool = p;

	if (pool->worker_started) {
		flush_work(pool);
		pthread_mutex_lock(&pool->wq_lock);
		pool->wq_stop = true;
		pthread_cond_signal(&pool->wq_cond);
		pthread_mutex_unlock(&pool->wq_lock);
		pthread_join(pool->worker, NULL);
		pthread_mutex_destroy(&pool->wq_lock);
		pthread_cond_destroy(&pool->wq_cond);
		pthread_cond_destroy(&pool->wq_idle);
	}
	while (pool->slots_head)
		free_slots(pool, pool->slots_head);
	pp_destroy(pool->pp);
	zlock_destroy(&pool->lock);
	free(pool);
}

static int alloc_headless(struct z3fold_pool *pool, unsigned long *handle)
{
	void *page = pp_alloc(pool->pp);
	struct zpage *d;

	if (!page)
		return -ENOMEM;
	d = desc_of(pool, page);
	zlock(&pool->lock);
	__atomic_store_n(&pool->pages_nr, pool->pages_nr + 1, __ATOMIC_RELAXED);
	INIT_LIST_HEAD(&d->lru);
	pg_set(d, PG_HEADLESS);
	list_add(&d->lru, &pool->lru);
	*handle = (unsigned long)page | (pool->use_slots ? HEADLESS_TAG : 0);
	pool->objects++;
	pool->alloc_bytes += pool->page_size;
	zunlock(&pool->lock);
	return 0;
}

static int z3fold_malloc(void *p, size_t size, unsigned long *handle)
{
	struct z3fold_pool *pool = p;
	struct z3fold_header *z;
	struct z3fold_slots *slots = NULL;
	enum buddy bud = FIRST;
	unsigned int chunks;
	struct zpage *d;
	void *page;

	if (!size)
		return -EINVAL;
	if (size > pool->page_size)
		return -ENOSPC;
	if (size > pool->headless_above)
		return alloc_headless(pool, handle);
	chunks = size_to_chunks(pool, size);

	zlock(&pool->lock);
	z = find_page(pool, chunks);
	if (z) {
		zlock(&z->page_lock);
		bud = choose_buddy(pool, z, chunks);
		if (bud != HEADLESS)
			goto found;
		/* the kernel warns "No free chunks in unbuddied"; refile it */
		file_page(pool, z);
		zunlock(&z->page_lock);
	}

	/* nothing fits: a new page, obtained without the lock held */
	zunlock(&pool->lock);
	page = pp_alloc(pool->pp);
	if (!page)
		return -ENOMEM;
	zlock(&pool->lock);
	if (pool->use_slots) {
		slots = alloc_slots(pool);
		if (!slots) {
			zunlock(&pool->lock);
			pp_free(pool->pp, page);
			return -ENOMEM;
		}
	}
	__atomic_store_n(&pool->pages_nr, pool->pages_nr + 1, __ATOMIC_RELAXED);
	z = page;
	init_header(pool, z);
	z->slots = slots;
	INIT_LIST_HEAD(&desc_of(pool, z)->lru);
	zlock(&z->page_lock);
	bud = FIRST;

found:
	if (pool->use_slots && !z->slots) {
		z->slots = alloc_slots(pool);
		if (!z->slots) {
			file_page(pool, z);
			zunlock(&z->page_lock);
			zunlock(&pool->lock);
			return -ENOMEM;
		}
	}
	place(pool, z, bud, chunks);
	file_page(pool, z);
	d = desc_of(pool, z);
	list_move(&d->lru, &pool->lru); /* most recently allocated at the head */
	*handle = encode_handle(pool, z, bud);
	pool->objects++;
	pool->alloc_bytes += (uint64_t)chunks << pool->chunk_shift;
	zunlock(&z->page_lock);
	zunlock(&pool->lock);
	return 0;
}

/* Page and slot word of a handle, with the pool lock held. */
static void *handle_page(struct z3fold_pool *pool, unsigned long handle, unsigned long *word,
			 bool *headless)
{
	void *page;

	if (pool->use_slots) {
		if (handle & HEADLESS_TAG) {
			*headless = true;
			*word = 0;
			return (void *)(handle & pool->page_mask);
		}
		*word = *(unsigned long *)handle; /* writers hold the pool lock */
		*headless = false;
		return (void *)(*word & pool->page_mask);
	}
	page = (void *)(handle & pool->page_mask);
	*word = handle;
	*headless = pg_test(desc_of(pool, page), PG_HEADLESS);
	return page;
}

static void z3fold_free(void *p, unsigned long handle)
{
	struct z3fold_pool *pool = p;
	struct z3fold_header *z;
	unsigned long word;
	bool headless;
	struct zpage *d;
	void *page;
	enum buddy bud;

	zlock(&pool->lock);
	page = handle_page(pool, handle, &word, &headless);
	d = desc_of(pool, page);
	pool->objects--;
	if (headless) {
		pool->alloc_bytes -= pool->page_size;
		if (pg_test(d, PG_UNDER_RECLAIM))
			pg_set(d, PG_HEADLESS_FREED); /* reclaim frees the page */
		else
			release_page(pool, page, true);
		zunlock(&pool->lock);
		return;
	}

	z = page;
	zlock(&z->page_lock);
	/* decode, never recompute: a MIDDLE handle may now name FIRST */
	bud = decode_buddy(pool, z, word);
	pool->alloc_bytes -= (uint64_t)bud_chunks(z, bud) << pool->chunk_shift;
	if (bud == FIRST) {
		z->first_chunks = 0;
	} else if (bud == MIDDLE) {
		z->middle_chunks = 0;
		if (pool->k47)
			z->start_middle = 0;
	} else {
		z->last_chunks = 0;
	}
	if (pool->use_slots)
		free_handle(pool, handle, z);

	if (pg_test(d, PG_UNDER_RECLAIM) || pg_test(d, PG_NEEDS_COMPACTING)) {
		/* reclaim or the worker owns the page and will file or free it */
		zunlock(&z->page_lock);
		zunlock(&pool->lock);
		return;
	}
	if (!nr_objects(z)) {
		release_page(pool, z, false);
		zunlock(&pool->lock);
		return;
	}
	after_free(pool, z, d);
	zunlock(&pool->lock);
}

/* Unmap found a skipped compaction: do it now (or queue it).  No locks held. */
static void compact_after_unmap(struct z3fold_pool *pool, unsigned long handle)
{
	struct z3fold_header *z;
	unsigned long word;
	struct zpage *d;

	zlock(&pool->lock);
	if (pool->use_slots) {
		z = lock_handle_page(pool, handle, &word);
	} else {
		z = (struct z3fold_header *)(handle & pool->page_mask);
		zlock(&z->page_lock);
	}
	d = desc_of(pool, z);
	if (!pg_test(d, PG_COMPACT_SKIPPED) || pg_test(d, PG_UNDER_RECLAIM) ||
	    pg_test(d, PG_NEEDS_COMPACTING)) {
		zunlock(&z->page_lock);
	} else if (pool->async) {
		list_del_init(&z->buddy);
		queue_page(pool, d);
		zunlock(&z->page_lock);
	} else if (!compact_page(pool, z, d)) {
		zunlock(&z->page_lock);
	}
	zunlock(&pool->lock);
}

static void *z3fold_map(void *p, unsigned long handle, enum zpool_mapmode mm)
{
	struct z3fold_pool *pool = p;
	struct z3fold_header *z;
	unsigned long word;
	enum buddy bud;
	void *addr;

	(void)mm;
	if (pool->use_slots) {
		if (handle & HEADLESS_TAG)
			return (void *)(handle & pool->page_mask);
		z = lock_handle_page(pool, handle, &word);
		bud = decode_buddy(pool, z, word);
		if (bud == LAST) /* the size recorded in the slot word */
			addr = (char *)z + pool->page_size -
			       (((word & ~pool->page_mask) >> SLOT_CHUNKS_SHIFT)
				<< pool->chunk_shift);
		else
			addr = bud_addr(pool, z, bud);
		if (bud == MIDDLE)
			pg_set(desc_of(pool, z), PG_MIDDLE_MAPPED);
		z->mapped_count++;
		zunlock(&z->page_lock);
		return addr;
	}

	/* 4.7: everything under the pool lock */
	zlock(&pool->lock);
	z = (struct z3fold_header *)(handle & pool->page_mask);
	if (pg_test(desc_of(pool, z), PG_HEADLESS)) {
		zunlock(&pool->lock);
		return z;
	}
	bud = decode_buddy(pool, z, handle);
	addr = bud_addr(pool, z, bud);
	if (bud == MIDDLE)
		pg_set(desc_of(pool, z), PG_MIDDLE_MAPPED);
	z->mapped_count++;
	zunlock(&pool->lock);
	return addr;
}

static void z3fold_unmap(void *p, unsigned long handle)
{
	struct z3fold_pool *pool = p;
	struct z3fold_header *z;
	unsigned long word;
	struct zpage *d;
	bool again;

	if (pool->use_slots) {
		if (handle & HEADLESS_TAG)
			return;
		z = lock_handle_page(pool, handle, &word);
	} else {
		zlock(&pool->lock);
		z = (struct z3fold_header *)(handle & pool->page_mask);
		if (pg_test(desc_of(pool, z), PG_HEADLESS)) {
			zunlock(&pool->lock);
			return;
		}
		word = handle;
	}
	d = desc_of(pool, z);
	if (decode_buddy(pool, z, word) == MIDDLE)
		pg_clear(d, PG_MIDDLE_MAPPED);
	z->mapped_count--;
	again = pool->compact_on_unmap && pg_test(d, PG_COMPACT_SKIPPED);
	if (pool->use_slots) {
		zunlock(&z->page_lock);
	} else {
		zunlock(&pool->lock);
	}
	if (again)
		compact_after_unmap(pool, handle);
}

/*
 * Evict the objects of a page from the LRU tail through the front end
 * (z3fold_reclaim_page): MIDDLE, FIRST, LAST, stopping at the first
 * failure.  0 when a page was freed, -EAGAIN after @retries pages, -EINVAL
 * with no callback or nothing to reclaim.
 */
static int reclaim_page(struct z3fold_pool *pool, unsigned int retries)
{
	zlock(&pool->lock);
	if (!pool->ops.evict || retries == 0 || list_empty(&pool->lru)) {
		zunlock(&pool->lock);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < retries; i++) {
		static const enum buddy order[3] = { MIDDLE, FIRST, LAST };
		unsigned long handles[3] = { 0, 0, 0 };
		struct zpage *d = NULL;
		struct list_head *pos;
		struct z3fold_header *z = NULL;
		bool headless;
		void *page;
		int ret = 0;

		if (list_empty(&pool->lru)) {
			zunlock(&pool->lock);
			return -EINVAL;
		}
		/* from the tail; skip pages the worker holds or whose handles live elsewhere */
		for (pos = pool->lru.prev; pos != &pool->lru; pos = pos->prev) {
			struct zpage *c = container_of(pos, struct zpage, lru);

			if (pg_test(c, PG_NEEDS_COMPACTING))
				continue;
			if (!pg_test(c, PG_HEADLESS) &&
			    ((struct z3fold_header *)pp_page_addr(pool->pp, c))->foreign_handles)
				continue;
			d = c;
			break;
		}
		if (!d)
			break;
		page = pp_page_addr(pool->pp, d);
		headless = pg_test(d, PG_HEADLESS);
		list_del_init(&d->lru);
		pg_set(d, PG_UNDER_RECLAIM);
		if (headless) {
			handles[1] = (unsigned long)page | (pool->use_slots ? HEADLESS_TAG : 0);
		} else {
			z = page;
			zlock(&z->page_lock);
			list_del_init(&z->buddy);
			/* while locked: a free could clear the sizes once we unlock */
			for (int k = 0; k < 3; k++) {
				enum buddy b = order[k];

				if (!bud_chunks(z, b))
					continue;
				if (pool->use_slots)
					handles[k] =
						(unsigned long)&z->slots->slot[bud_idx(pool, z, b)];
				else
					handles[k] = encode_handle(pool, z, b);
			}
			zunlock(&z->page_lock);
		}
		zunlock(&pool->lock);

		for (int k = 0; k < 3 && !ret; k++) {
			if (!handles[k])
				continue;
			ret = pool->ops.evict(pool->ops.ctx, handles[k]);
			if (!ret)
				__atomic_add_fetch(&pool->evictions, 1, __ATOMIC_RELAXED);
		}

		zlock(&pool->lock);
		pg_clear(d, PG_UNDER_RECLAIM);
		if (headless) {
			/* never read a header here: a headless page holds only data */
			if (!ret || pg_test(d, PG_HEADLESS_FREED)) {
				release_page(pool, page, true);
				zunlock(&pool->lock);
				return 0;
			}
			list_add(&d->lru, &pool->lru);
			continue;
		}
		zlock(&z->page_lock);
		if (!nr_objects(z)) {
			release_page(pool, z, false);
			zunlock(&pool->lock);
			return 0;
		}
		if (pool->k47) {
			/* 4.7: back on buddied, or compacted onto unbuddied */
			if (!page_full(z))
				compact_in_page(pool, z, d);
			file_page(pool, z);
		} else
			pg_set(d, PG_PARKED); /* 6.1: LRU only; its next free files it */
		zunlock(&z->page_lock);
		list_add(&d->lru, &pool->lru);
	}
	zunlock(&pool->lock);
	return -EAGAIN;
}

static int z3fold_shrink(void *p, unsigned int pages, unsigned int *reclaimed)
{
	struct z3fold_pool *pool = p;
	unsigned int total = 0;
	int ret = -EINVAL;

	while (total < pages) {
		ret = reclaim_page(pool, RECLAIM_RETRIES);
		if (ret < 0)
			break;
		total++;
	}
	if (reclaimed)
		*reclaimed = total;
	return ret;
}

/*
 * The compact operation: flush pending work, then (migrate=1) move the
 * object of every single-object page into another page, sparsest pages
 * first.  Returns the pages freed.
 */
static unsigned long z3fold_compact(void *p)
{
	struct z3fold_pool *pool = p;
	uint64_t before = __atomic_load_n(&pool->pages_nr, __ATOMIC_RELAXED), after;
	struct z3fold_header **cand = NULL;
	size_t n = 0, cap = 0;

	flush_work(pool);
	zlock(&pool->lock);
	pool->compactions++;
	if (pool->migrate && pool->use_slots) {
		for (int i = (int)pool->nchunks - 1; i >= 0; i--) {
			struct list_head *pos;

			list_for_each(pos, &pool->unbuddied[i]) {
				struct z3fold_header *z = container_of(pos, struct z3fold_header,
								       buddy);

				if (nr_objects(z) != 1 || z->foreign_handles)
					continue;
				if (n == cap) {
					size_t ncap = cap ? 2 * cap : 256;
					struct z3fold_header **nc = realloc(cand,
									    ncap * sizeof(*nc));

					if (!nc)
						break;
					cand = nc;
					cap = ncap;
				}
				cand[n++] = z;
			}
		}
		for (size_t k = 0; k < n; k++) {
			struct z3fold_header *z = cand[k];

			/* an earlier move may have made it a destination */
			if (nr_objects(z) != 1 || z->foreign_handles)
				continue;
			zlock(&z->page_lock);
			if (z->mapped_count) {
				zunlock(&z->page_lock);
				continue;
			}
			list_del_init(&z->buddy);
			if (move_single(pool, z)) {
				release_page(pool, z, false);
			} else {
				file_page(pool, z);
				zunlock(&z->page_lock);
			}
		}
	}
	after = pool->pages_nr;
	pool->compact_pages_freed += before > after ? before - after : 0;
	zunlock(&pool->lock);
	free(cand);
	return before > after ? before - after : 0;
}

static uint64_t z3fold_total_pages(void *p)
{
	struct z3fold_pool *pool = p;

	return __atomic_load_n(&pool->pages_nr, __ATOMIC_RELAXED);
}

static void z3fold_stats(void *p, struct zpool_stats *st)
{
	struct z3fold_pool *pool = p;

	zlock(&pool->lock);
	st->objects = pool->objects;
	st->alloc_bytes = pool->alloc_bytes;
	st->pool_pages = pool->pages_nr;
	st->metadata_bytes = pool->nslots * sizeof(struct z3fold_slots);
	st->compactions = pool->compactions;
	st->compact_pages_freed = pool->compact_pages_freed;
	st->moves = pool->moves;
	st->move_bytes = pool->move_bytes;
	st->evictions = __atomic_load_n(&pool->evictions, __ATOMIC_RELAXED);
	zunlock(&pool->lock);
	st->peak_pages = pp_peak(pool->pp);
}

static struct page_provider *z3fold_provider(void *p)
{
	return ((struct z3fold_pool *)p)->pp;
}

static void z3fold_size_table(void *p, FILE *out)
{
	struct z3fold_pool *pool = p;

	fprintf(out,
		"page %zu B: chunks of %zu B (PAGE_SIZE >> %d), header %u chunk%s "
		"(%s), %u free chunks per page\n",
		pool->page_size, pool->chunk_size, NCHUNKS_ORDER, pool->hdr_chunks,
		pool->hdr_chunks == 1 ? "" : "s",
		pool->k47 ? "4.7: 32 B padded to a chunk" : "6.1: 88 B rounded up", pool->nchunks);
	fprintf(out,
		"objects 1..%zu B share a page (up to 3 per page, %u chunks at most); "
		"%zu..%zu B get a headless page\n",
		pool->headless_above, pool->nchunks - 1, pool->headless_above + 1, pool->page_size);
	fprintf(out, "handles: %s\n",
		pool->use_slots ? "64-byte slots objects (metadata)"
				: "in the page address (first_num trick)");
}

static const struct zpool_driver z3fold_driver = {
	.name = "z3fold",
	.summary = "three buddies per page, chunks of PAGE_SIZE/64, compaction (Linux 4.7-6.14)",
	.params = z3fold_params,
	.order = 20,
	.create = z3fold_create,
	.destroy = z3fold_destroy,
	.malloc = z3fold_malloc,
	.free = z3fold_free,
	.map = z3fold_map,
	.unmap = z3fold_unmap,
	.compact = z3fold_compact,
	.shrink = z3fold_shrink,
	.total_pages = z3fold_total_pages,
	.stats = z3fold_stats,
	.size_table = z3fold_size_table,
	.provider = z3fold_provider,
};

ZPOOL_DRIVER_REGISTER(z3fold_driver)

/* ---- introspection for the unit tests (z3fold.h) ---- */

static struct z3fold_pool *pool_of(struct zpool *zp)
{
	return zp->drv == &z3fold_driver ? zp->pool : NULL;
}

void z3fold_debug_flush(struct zpool *zp)
{
	struct z3fold_pool *pool = pool_of(zp);

	if (pool)
		flush_work(pool);
}

int z3fold_debug_locate(struct zpool *zp, unsigned long handle, void **page, int *bud)
{
	struct z3fold_pool *pool = pool_of(zp);
	unsigned long word;
	bool headless;
	void *pg;

	if (!pool)
		return -EINVAL;
	zlock(&pool->lock);
	pg = handle_page(pool, handle, &word, &headless);
	*page = pg;
	*bud = headless ? HEADLESS : (int)decode_buddy(pool, pg, word);
	zunlock(&pool->lock);
	return 0;
}

static int list_index_of(struct z3fold_pool *pool, struct z3fold_header *z)
{
	struct list_head *pos;

	if (list_empty(&z->buddy))
		return -1;
	list_for_each(pos, &pool->buddied)
		if (pos == &z->buddy)
			return -2;
	for (unsigned int i = 0; i < TOTAL_CHUNKS; i++)
		list_for_each(pos, &pool->unbuddied[i])
			if (pos == &z->buddy)
				return (int)i;
	return -3;
}

int z3fold_debug_page(struct zpool *zp, void *page, struct z3fold_page_state *st)
{
	struct z3fold_pool *pool = pool_of(zp);
	struct z3fold_header *z = page;

	if (!pool)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	zlock(&pool->lock);
	st->headless = pg_test(desc_of(pool, page), PG_HEADLESS);
	st->list = -1;
	if (!st->headless) {
		st->first = z->first_chunks;
		st->middle = z->middle_chunks;
		st->last = z->last_chunks;
		st->start_middle = z->middle_chunks ? z->start_middle : 0;
		st->first_num = z->first_num;
		st->foreign = z->foreign_handles;
		st->mapped = (unsigned int)z->mapped_count;
		st->list = list_index_of(pool, z);
	}
	zunlock(&pool->lock);
	return 0;
}

#define CHECK_FAIL(...)                             \
	do {                                        \
		snprintf(err, errlen, __VA_ARGS__); \
		zunlock(&pool->lock);               \
		return -1;                          \
	} while (0)

int z3fold_debug_check(struct zpool *zp, char *err, size_t errlen)
{
	struct z3fold_pool *pool = pool_of(zp);
	uint64_t pages = 0, listed = 0, full = 0, plain = 0, parked = 0, objects = 0, bytes = 0;
	struct list_head *pos;

	if (!pool)
		return -1;
	flush_work(pool);
	zlock(&pool->lock);
	list_for_each(pos, &pool->lru) {
		struct zpage *d = container_of(pos, struct zpage, lru);
		struct z3fold_header *z = pp_page_addr(pool->pp, d);
		unsigned int h = pool->hdr_chunks, f, m, l, sm;

		pages++;
		if (pg_test(d, PG_HEADLESS)) {
			objects++;
			bytes += pool->page_size;
			continue;
		}
		plain++;
		f = z->first_chunks;
		m = z->middle_chunks;
		l = z->last_chunks;
		sm = z->start_middle;
		if (!f && !m && !l)
			CHECK_FAIL("empty page %p still held", (void *)z);
		if (h + f + m + l > TOTAL_CHUNKS)
			CHECK_FAIL("page %p: %u+%u+%u chunks overflow", (void *)z, f, m, l);
		if (m && (sm < h + f || sm + m > TOTAL_CHUNKS - l))
			CHECK_FAIL("page %p: middle [%u,%u) overlaps first %u / last %u", (void *)z,
				   sm, sm + m, f, l);
		if (z->mapped_count)
			CHECK_FAIL("page %p: mapped_count %d with nothing mapped", (void *)z,
				   z->mapped_count);
		objects += !!f + !!m + !!l;
		bytes += (uint64_t)(f + m + l) << pool->chunk_shift;
		if (page_full(z)) {
			full++;
			if (!pool->use_buddied && !list_empty(&z->buddy))
				CHECK_FAIL("full page %p on a list", (void *)z);
		} else if (list_empty(&z->buddy)) {
			if (!pg_test(d, PG_PARKED))
				CHECK_FAIL("page %p (%u/%u/%u) lost: on no list", (void *)z, f, m,
					   l);
			parked++;
		}
	}
	if (pages != pool->pages_nr)
		CHECK_FAIL("pages_nr %llu but %llu pages on the LRU",
			   (unsigned long long)pool->pages_nr, (unsigned long long)pages);
	if (pages != pp_pages(pool->pp))
		CHECK_FAIL("pages_nr %llu but the provider lent %llu",
			   (unsigned long long)pool->pages_nr,
			   (unsigned long long)pp_pages(pool->pp));
	if (objects != pool->objects || bytes != pool->alloc_bytes)
		CHECK_FAIL("counted %llu objects / %llu bytes, pool says %llu / %llu",
			   (unsigned long long)objects, (unsigned long long)bytes,
			   (unsigned long long)pool->objects, (unsigned long long)pool->alloc_bytes);
	for (unsigned int i = 0; i < TOTAL_CHUNKS; i++) {
		list_for_each(pos, &pool->unbuddied[i]) {
			struct z3fold_header *z = container_of(pos, struct z3fold_header, buddy);

			if (i >= pool->nchunks || num_free_chunks(pool, z) != i)
				CHECK_FAIL("page %p on unbuddied[%u] has %u free chunks", (void *)z,
					   i, num_free_chunks(pool, z));
			if (page_full(z))
				CHECK_FAIL("full page %p on unbuddied[%u]", (void *)z, i);
			listed++;
		}
	}
	list_for_each(pos, &pool->buddied) {
		struct z3fold_header *z = container_of(pos, struct z3fold_header, buddy);

		if (!page_full(z))
			CHECK_FAIL("page %p on buddied is not full", (void *)z);
		listed++;
	}
	/* 6.1 reclaim leaves unfilled pages off the lists until their next free */
	if (listed + (pool->use_buddied ? 0 : full) + parked != plain)
		CHECK_FAIL("%llu pages listed, %llu full, %llu with a header",
			   (unsigned long long)listed, (unsigned long long)full,
			   (unsigned long long)plain);
	zunlock(&pool->lock);
	return 0;
}
