// SPDX-License-Identifier: GPL-2.0-only
/*
 * zblock.c - userspace port of zblock, the block allocator Vitaly Wool
 * posted in 2025 to replace zsmalloc behind zswap (v1 2025-04-01 ... v4
 * 2025-04-12, queued for 6.16, dropped with zpool; never in a release).
 * Written from the published design as recorded in the project's facts
 * (allocators.md sections 6.2 and 6.2b), not from its code; docs/zblock.md
 * has the design, the surprising places and what was decided where the
 * posting is silent.
 *
 * A block is 1..8 address-contiguous pages holding a whole number of equal
 * slots; the block header is inside the block.  Each block type (a table
 * entry: slots, pages) has its own lists.  An object goes to the first type
 * whose slot size is strictly above its size.
 *
 *   block of `pages` pages (table=any: 1..8; table=pow2: 1, 2, 4 or 8):
 *
 *   0        H                                                 pages * PAGE
 *   +--------+-----------+-----------+--- ... ---+-----------+--------+
 *   | header |  slot 0   |  slot 1   |           | slot n-1  | (tail) |
 *   +--------+-----------+-----------+--- ... ---+-----------+--------+
 *            ^ block + H + i * slot_size
 *
 *   header: used-slot bitmap, list link, free-slot count (the kernel's
 *     also an RCU head and the type in table=any); its size H is the
 *     kernel's: table=pow2 32 B (4 KiB pages) or 56 B (16 KiB);
 *     table=any 48 B or 72 B.
 *   slot_size(n, pages) = round_down((pages * PAGE - H) / n, 8)
 *   handle = block address | type << SLOT_BITS | slot   (SLOT_BITS: pow2 5 / 8,
 *     any 6 / 8 on 4 / 16 KiB pages; type and slot fit below the page bits)
 *
 * The tables (slots, pages per block), from the postings:
 *   pow2, 4 KiB: 29 types, slot sizes 120 .. 3632, 4672 (8 pages, 7 slots)
 *   pow2, 16 KiB: 36 types, 7 more one-page types first: 88 .. 14,552, 18,712
 *   any, 4 KiB: 37 types, 144 .. 3632, 4080 (4 pages, 4 slots)
 *   any, 16 KiB: 61 types, 88 .. 14,032, 16,360 (4 pages, 4 slots)
 * (`zpoolbench list --table zblock:table=T,page=P` prints them in full.)
 *
 * Type selection: size < slot_size[0] -> type 0; else the type after the i
 * with slot_size[i] <= size < slot_size[i + 1].  So a size EQUAL to a slot
 * size goes to the next type (144 B in table=any: to 224, not 144).
 * Sizes above the largest slot size are refused (-ENOSPC).  In table=any
 * the largest slot is below PAGE_SIZE, and the published code lets a size
 * exactly equal to it through that check, into an index one past the end
 * of the table (out of bounds): this port refuses it with -ENOSPC too, so
 * table=any stores 1..4079 B on 4 KiB pages and 1..16,359 B on 16 KiB.
 * table=pow2's largest slot is above PAGE_SIZE, so every size up to a page
 * is stored there.
 *
 * Lists, per type (each under the type's lock):
 *   alloc: the head of the active list; its first free slot (lowest clear
 *     bit).  A block whose last free slot is taken leaves the active list
 *     (pow2: onto a full list; any: onto no list).  No active block: a new
 *     block, slot 0, added at the head of the active list.
 *   free: clear the bit; a block that becomes empty is freed at once; a
 *     block that goes from 0 to 1 free slot is added at the TAIL of the
 *     active list; others stay where they are.
 * No compaction, no migration, no reclaim: total pages = sum over types of
 * blocks * pages per block.
 *
 * Invariants (zblock_debug_check() in the tests; the checker by behaviour):
 *  - a block with free slots is on its type's active list, a full one on
 *    the full list (pow2) or none (any); an empty block is not held;
 *  - the bitmap has exactly slots - free bits set, none at or above slots;
 *  - pages_nr = sum of blocks * pages = pages held from the page provider.
 *
 * Deliberate differences from the kernel, and why:
 *  - Blocks come from the page provider as runs of contiguous pages (the
 *    kernel: alloc_pages of an order, or vmalloc for any page count).
 *    Only the page count matters for the space figures.
 *  - The header in the block is this port's (bitmap, list link, count);
 *    H, which decides the slot sizes, is the kernel's.
 *  - A new block is obtained with the type lock dropped, as zbud does; the
 *    posting does not say, and single-threaded it changes nothing.
 *  - The active list is not RCU; map/unmap take no lock as in the kernel.
 *  - Sizes equal to the largest slot of table=any are refused (above).
 *  - 64 KiB pages: no table was published for them; page=65536 is refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "lock.h"
#include "page.h"
#include "zblock.h"
#include "zpool.h"

/* A table entry: slots per block and pages per block. */
struct zblock_desc {
	uint16_t slots, pages;
};

/* table=pow2 (April 2025), 4 KiB pages: (slots, 1 << order). */
static const struct zblock_desc pow2_4k[] = {
	{ 32, 1 }, { 22, 1 }, { 17, 1 }, { 13, 1 }, { 11, 1 }, { 9, 1 },  { 8, 1 },  { 14, 2 },
	{ 12, 2 }, { 11, 2 }, { 10, 2 }, { 9, 2 },  { 8, 2 },  { 15, 4 }, { 14, 4 }, { 13, 4 },
	{ 12, 4 }, { 11, 4 }, { 10, 4 }, { 9, 4 },  { 8, 4 },  { 15, 8 }, { 14, 8 }, { 13, 8 },
	{ 12, 8 }, { 11, 8 }, { 10, 8 }, { 9, 8 },  { 7, 8 },
};

/* table=pow2, 16 KiB pages: seven more one-page types, then the 4 KiB list. */
static const struct zblock_desc pow2_16k[] = {
	{ 181, 1 }, { 150, 1 }, { 116, 1 }, { 94, 1 }, { 72, 1 }, { 54, 1 }, { 42, 1 }, { 32, 1 },
	{ 22, 1 },  { 17, 1 },	{ 13, 1 },  { 11, 1 }, { 9, 1 },  { 8, 1 },  { 14, 2 }, { 12, 2 },
	{ 11, 2 },  { 10, 2 },	{ 9, 2 },   { 8, 2 },  { 15, 4 }, { 14, 4 }, { 13, 4 }, { 12, 4 },
	{ 11, 4 },  { 10, 4 },	{ 9, 4 },   { 8, 4 },  { 15, 8 }, { 14, 8 }, { 13, 8 }, { 12, 8 },
	{ 11, 8 },  { 10, 8 },	{ 9, 8 },   { 7, 8 },
};

/* table=any (the later posting), 4 KiB pages. */
static const struct zblock_desc any_4k[] = {
	{ 28, 1 }, { 18, 1 }, { 12, 1 }, { 10, 1 }, { 17, 2 }, { 15, 2 }, { 13, 2 }, { 6, 1 },
	{ 11, 2 }, { 5, 1 },  { 19, 4 }, { 9, 2 },  { 17, 4 }, { 4, 1 },  { 23, 6 }, { 11, 3 },
	{ 7, 2 },  { 10, 3 }, { 19, 6 }, { 6, 2 },  { 14, 5 }, { 8, 3 },  { 5, 2 },  { 12, 5 },
	{ 9, 4 },  { 15, 7 }, { 2, 1 },	 { 15, 8 }, { 9, 5 },  { 12, 7 }, { 13, 8 }, { 6, 4 },
	{ 11, 8 }, { 9, 7 },  { 6, 5 },	 { 9, 8 },  { 4, 4 },
};

/* table=any, 16 KiB pages. */
static const struct zblock_desc any_16k[] = {
	{ 185, 1 }, { 113, 1 }, { 86, 1 }, { 72, 1 }, { 58, 1 }, { 49, 1 }, { 42, 1 }, { 37, 1 },
	{ 33, 1 },  { 59, 2 },	{ 27, 1 }, { 25, 1 }, { 23, 1 }, { 21, 1 }, { 39, 2 }, { 37, 2 },
	{ 35, 2 },  { 33, 2 },	{ 31, 2 }, { 29, 2 }, { 27, 2 }, { 25, 2 }, { 12, 1 }, { 11, 1 },
	{ 21, 2 },  { 10, 1 },	{ 19, 2 }, { 9, 1 },  { 17, 2 }, { 8, 1 },  { 15, 2 }, { 14, 2 },
	{ 27, 4 },  { 13, 2 },	{ 25, 4 }, { 12, 2 }, { 23, 4 }, { 11, 2 }, { 21, 4 }, { 10, 2 },
	{ 19, 4 },  { 9, 2 },	{ 17, 4 }, { 4, 1 },  { 23, 6 }, { 11, 3 }, { 7, 2 },  { 10, 3 },
	{ 16, 5 },  { 6, 2 },	{ 11, 4 }, { 8, 3 },  { 5, 2 },	 { 7, 3 },  { 11, 5 }, { 4, 2 },
	{ 9, 5 },   { 8, 5 },	{ 3, 2 },  { 7, 6 },  { 4, 4 },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* One published configuration: its table, header size and SLOT_BITS. */
struct zblock_layout {
	const char *table;
	size_t page;
	const struct zblock_desc *desc;
	unsigned int ntypes;
	unsigned int hdr;	/* H: the kernel's block header, rounded up to 8 */
	unsigned int slot_bits; /* SLOT_BITS: at most 1 << SLOT_BITS slots per block */
	bool full_list;		/* pow2 keeps full blocks on a list of their own */
};

static const struct zblock_layout layouts[] = {
	{ "any", 4096, any_4k, ARRAY_LEN(any_4k), 48, 6, false },
	{ "any", 16384, any_16k, ARRAY_LEN(any_16k), 72, 8, false },
	{ "pow2", 4096, pow2_4k, ARRAY_LEN(pow2_4k), 32, 5, true },
	{ "pow2", 16384, pow2_16k, ARRAY_LEN(pow2_16k), 56, 8, true },
};

#define ZBLOCK_MAX_TYPES 64
#define ZBLOCK_BITMAP_WORDS 4 /* 256 slots at most (SLOT_BITS 8) */

/* This port's block header, at the start of every block (<= H bytes). */
struct zblock_block {
	struct list_head link; /* active (or pow2's full) list of its type */
	uint16_t type;
	uint16_t free; /* free slots */
	uint32_t pad;
	uint64_t bitmap[]; /* used slots; 1 word (4 KiB) or 4 (16 KiB) */
};

struct zblock_type {
	zlock_t lock;
	struct list_head active; /* blocks with a free slot; alloc takes the head */
	struct list_head full;	 /* pow2: blocks with none */
	unsigned int slot_size, slots, pages;
	uint64_t blocks;
	/* statistics, under the lock */
	uint64_t objects;
};

struct zblock_pool {
	const struct zblock_layout *lay;
	size_t page_size;
	unsigned int nwords; /* bitmap words */
	size_t max_size;     /* the largest size stored */
	struct zblock_type types[ZBLOCK_MAX_TYPES];
	struct page_provider *pp;
	uint64_t pages_nr;    /* atomic */
	uint64_t alloc_bytes; /* atomic: slot bytes of the live objects */
};

/* ---- the table ---- */

static unsigned int slot_size_of(const struct zblock_layout *lay, const struct zblock_desc *d)
{
	return (unsigned int)(((lay->page * d->pages - lay->hdr) / d->slots) & ~(size_t)7);
}

static const struct zblock_layout *find_layout(const char *table, size_t page)
{
	for (size_t i = 0; i < ARRAY_LEN(layouts); i++)
		if (!strcmp(layouts[i].table, table) && layouts[i].page == page)
			return &layouts[i];
	return NULL;
}

/*
 * The type of @size as the published selection computes it: the number of
 * slot sizes <= @size (slot sizes strictly increase), so a size equal to a
 * slot size lands one type further.  Returns ntypes (one past the end: the
 * published code's out-of-bounds index) for a size >= the largest slot.
 */
static unsigned int type_index(const struct zblock_pool *pool, size_t size)
{
	unsigned int lo = 0, hi = pool->lay->ntypes;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (pool->types[mid].slot_size <= size)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- blocks ---- */

static inline void *slot_addr(const struct zblock_pool *pool, struct zblock_block *b,
			      const struct zblock_type *t, unsigned int slot)
{
	return (char *)b + pool->lay->hdr + (size_t)slot * t->slot_size;
}

static inline unsigned long encode_handle(const struct zblock_pool *pool, struct zblock_block *b,
					  unsigned int type, unsigned int slot)
{
	return (unsigned long)b | (unsigned long)type << pool->lay->slot_bits | slot;
}

static inline struct zblock_block *handle_block(const struct zblock_pool *pool, unsigned long handle)
{
	return page_base_sized((void *)handle, pool->page_size);
}

static inline unsigned int handle_type(const struct zblock_pool *pool, unsigned long handle)
{
	return page_offset_sized((void *)handle, pool->page_size) >> pool->lay->slot_bits;
}

static inline unsigned int handle_slot(const struct zblock_pool *pool, unsigned long handle)
{
	return handle & ((1UL << pool->lay->slot_bits) - 1);
}

/* The lowest clear bit below @slots: the first free slot.  Type locked. */
static unsigned int first_free_slot(const struct zblock_pool *pool, struct zblock_block *b,
				    unsigned int slots)
{
	for (unsigned int w = 0; w < pool->nwords; w++)
		if (~b->bitmap[w]) {
			unsigned int s = w * 64 + (unsigned int)__builtin_ctzll(~b->bitmap[w]);

			return s < slots ? s : slots;
		}
	return slots;
}

static inline void bit_set(struct zblock_block *b, unsigned int s)
{
	b->bitmap[s / 64] |= 1ULL << (s % 64);
}

static inline void bit_clear(struct zblock_block *b, unsigned int s)
{
	b->bitmap[s / 64] &= ~(1ULL << (s % 64));
}

static inline bool bit_test(const struct zblock_block *b, unsigned int s)
{
	return b->bitmap[s / 64] >> (s % 64) & 1;
}

/* ---- the zpool operations ---- */

/* clang-format off */
static const struct zpool_param zblock_params[] = {
	{ "table", "any|pow2", 0, 0, "any",
	  "block table: any = blocks of 1..8 pages (the later posting), pow2 = 1, 2, 4 or 8 "
	  "pages (April 2025)" },
	{ "page", "4096|16384", 0, 0, "4096",
	  "PAGE_SIZE in bytes: both tables were published for 4 and 16 KiB pages only" },
	{ NULL, NULL, 0, 0, NULL, NULL },
};
/* clang-format on */

static void *zblock_create(const struct zpool_config *cfg, const struct zpool_evict_ops *ops,
			   char *err, size_t errlen)
{
	struct zblock_pool *pool;
	const struct zblock_layout *lay;

	(void)ops; /* no reclaim */
	lay = find_layout(zpool_cfg_str(cfg, "table"), zpool_cfg_page_size(cfg));
	if (!lay) {
		snprintf(err, errlen, "zblock: no published table for table=%s, page=%zu",
			 zpool_cfg_str(cfg, "table"), zpool_cfg_page_size(cfg));
		return NULL;
	}
	pool = calloc(1, sizeof(*pool));
	if (!pool) {
		snprintf(err, errlen, "zblock: out of memory");
		return NULL;
	}
	pool->lay = lay;
	pool->page_size = lay->page;
	pool->nwords = ((1U << lay->slot_bits) + 63) / 64;
	if (lay->ntypes > ZBLOCK_MAX_TYPES || pool->nwords > ZBLOCK_BITMAP_WORDS ||
	    sizeof(struct zblock_block) + pool->nwords * 8 > lay->hdr ||
	    (size_t)lay->ntypes << lay->slot_bits > lay->page)
		abort(); /* the layouts above are wrong */
	for (unsigned int i = 0; i < lay->ntypes; i++) {
		struct zblock_type *t = &pool->types[i];

		zlock_init(&t->lock);
		INIT_LIST_HEAD(&t->active);
		INIT_LIST_HEAD(&t->full);
		t->slots = lay->desc[i].slots;
		t->pages = lay->desc[i].pages;
		t->slot_size = slot_size_of(lay, &lay->desc[i]);
		/* the kernel checks at init that the table strictly increases */
		if (t->slots > 1U << lay->slot_bits ||
		    (i && t->slot_size <= pool->types[i - 1].slot_size))
			abort();
	}
	/* the largest slot, minus one: a size equal to it falls off the table */
	pool->max_size = pool->types[lay->ntypes - 1].slot_size - 1;
	if (pool->max_size > pool->page_size)
		pool->max_size = pool->page_size;
	pool->pp = pp_create_sized(0, (unsigned int)__builtin_ctzl(pool->page_size));
	if (!pool->pp) {
		free(pool);
		snprintf(err, errlen, "zblock: cannot reserve pool memory");
		return NULL;
	}
	return pool;
}

static void zblock_destroy(void *p)
{
	struct zblock_pool *pool = p;

	for (unsigned int i = 0; i < pool->lay->ntypes; i++)
		zlock_destroy(&pool->types[i].lock);
	pp_destroy(pool->pp); /* blocks still held are the caller's leak */
	free(pool);
}

/* A new block of type @type with slot 0 taken, or NULL.  No lock held. */
static struct zblock_block *new_block(struct zblock_pool *pool, unsigned int type)
{
	struct zblock_type *t = &pool->types[type];
	struct zblock_block *b = pp_alloc_run(pool->pp, t->pages);

	if (!b)
		return NULL;
	INIT_LIST_HEAD(&b->link);
	b->type = (uint16_t)type;
	b->free = (uint16_t)(t->slots - 1);
	b->pad = 0;
	memset(b->bitmap, 0, pool->nwords * sizeof(b->bitmap[0]));
	bit_set(b, 0);
	__atomic_add_fetch(&pool->pages_nr, t->pages, __ATOMIC_RELAXED);
	return b;
}

static int zblock_malloc(void *p, size_t size, unsigned long *handle)
{
	struct zblock_pool *pool = p;
	struct zblock_type *t;
	struct zblock_block *b;
	unsigned int type, slot;

	if (!size)
		return -EINVAL;
	if (size > pool->page_size)
		return -ENOSPC;
	type = type_index(pool, size);
	if (type >= pool->lay->ntypes)
		return -ENOSPC; /* above the largest slot, or equal to it (out of bounds) */
	t = &pool->types[type];

	zlock(&t->lock);
	if (!list_empty(&t->active)) {
		b = list_first_entry(&t->active, struct zblock_block, link);
		slot = first_free_slot(pool, b, t->slots);
		bit_set(b, slot);
		if (--b->free == 0) {
			list_del_init(&b->link);
			if (pool->lay->full_list)
				list_add(&b->link, &t->full);
		}
	} else {
		/* no block with room: a new one, obtained without the lock */
		zunlock(&t->lock);
		b = new_block(pool, type);
		if (!b)
			return -ENOMEM;
		slot = 0;
		zlock(&t->lock);
		t->blocks++;
		if (b->free)
			list_add(&b->link, &t->active);
		else if (pool->lay->full_list)
			list_add(&b->link, &t->full);
	}
	t->objects++;
	zunlock(&t->lock);
	__atomic_add_fetch(&pool->alloc_bytes, t->slot_size, __ATOMIC_RELAXED);
	*handle = encode_handle(pool, b, type, slot);
	return 0;
}

static void zblock_free(void *p, unsigned long handle)
{
	struct zblock_pool *pool = p;
	struct zblock_block *b = handle_block(pool, handle);
	unsigned int type = handle_type(pool, handle), slot = handle_slot(pool, handle);
	struct zblock_type *t = &pool->types[type];
	bool release = false;

	zlock(&t->lock);
	if (!bit_test(b, slot) || b->type != type) {
		zunlock(&t->lock);
		fprintf(stderr, "zpoolbench: zblock: free of a handle that is not live\n");
		abort();
	}
	bit_clear(b, slot);
	b->free++;
	if (b->free == t->slots) {
		/* empty: freed at once */
		list_del_init(&b->link);
		t->blocks--;
		release = true;
	} else if (b->free == 1) {
		/* it had no free slot: back on the active list, at the tail */
		list_del_init(&b->link);
		list_add_tail(&b->link, &t->active);
	}
	t->objects--;
	zunlock(&t->lock);
	__atomic_sub_fetch(&pool->alloc_bytes, t->slot_size, __ATOMIC_RELAXED);
	if (release) {
		pp_free_run(pool->pp, b, t->pages);
		__atomic_sub_fetch(&pool->pages_nr, t->pages, __ATOMIC_RELAXED);
	}
}

static void *zblock_map(void *p, unsigned long handle, enum zpool_mapmode mm)
{
	struct zblock_pool *pool = p;
	unsigned int type = handle_type(pool, handle);

	(void)mm;
	return slot_addr(pool, handle_block(pool, handle), &pool->types[type],
			 handle_slot(pool, handle));
}

static void zblock_unmap(void *p, unsigned long handle)
{
	(void)p;
	(void)handle;
}

static uint64_t zblock_total_pages(void *p)
{
	return __atomic_load_n(&((struct zblock_pool *)p)->pages_nr, __ATOMIC_RELAXED);
}

static void zblock_stats(void *p, struct zpool_stats *st)
{
	struct zblock_pool *pool = p;

	for (unsigned int i = 0; i < pool->lay->ntypes; i++) {
		zlock(&pool->types[i].lock);
		st->objects += pool->types[i].objects;
		zunlock(&pool->types[i].lock);
	}
	st->alloc_bytes = __atomic_load_n(&pool->alloc_bytes, __ATOMIC_RELAXED);
	st->pool_pages = zblock_total_pages(pool);
	st->peak_pages = pp_peak(pool->pp);
	st->metadata_bytes = 0; /* the header lives in the block */
}

static struct page_provider *zblock_provider(void *p)
{
	return ((struct zblock_pool *)p)->pp;
}

/* The slot of @handle, cut where it crosses from one page of its block into the next. */
static int zblock_locate(void *p, unsigned long handle, struct zpool_extent *ext, int max)
{
	struct zblock_pool *pool = p;
	const struct zblock_type *t = &pool->types[handle_type(pool, handle)];
	char *a = zblock_map(p, handle, ZPOOL_MM_RO);
	size_t left = t->slot_size;
	int n = 0;

	while (left) {
		size_t room = pool->page_size - page_offset_sized(a, pool->page_size);
		size_t len = left < room ? left : room;

		if (n == max)
			return -1;
		ext[n].addr = a;
		ext[n].len = len;
		n++;
		a += len;
		left -= len;
	}
	return n;
}

static void zblock_size_table(void *p, FILE *out)
{
	struct zblock_pool *pool = p;
	const struct zblock_layout *lay = pool->lay;
	size_t lo = 1;

	fprintf(out,
		"table %s, page %zu B: %u block types, block header %u B, SLOT_BITS %u; "
		"objects 1..%zu B",
		lay->table, pool->page_size, lay->ntypes, lay->hdr, lay->slot_bits, pool->max_size);
	if (pool->max_size < pool->page_size)
		fprintf(out,
			" (%zu..%zu refused; the published code indexes one past the end of "
			"its table for %zu)",
			pool->max_size + 1, pool->page_size, pool->max_size + 1);
	fprintf(out, "\nwaste/slot = (pages * PAGE_SIZE - slots * slot_size) / slots, the header "
		     "included; a size equal to a slot size takes the next type\n");
	fprintf(out, "%5s %9s %6s %6s %10s  %s\n", "type", "slot_size", "slots", "pages",
		"waste/slot", "sizes");
	for (unsigned int i = 0; i < lay->ntypes; i++) {
		const struct zblock_type *t = &pool->types[i];
		size_t hi = t->slot_size - 1 < pool->max_size ? t->slot_size - 1 : pool->max_size;
		double over = ((double)t->pages * pool->page_size - (double)t->slots * t->slot_size) /
			      t->slots;

		fprintf(out, "%5u %9u %6u %6u %10.1f  ", i, t->slot_size, t->slots, t->pages, over);
		if (lo <= hi)
			fprintf(out, "%zu..%zu\n", lo, hi);
		else
			fprintf(out, "-\n");
		lo = hi + 1;
	}
}

/* The largest object malloc() takes (smaller than a page: no multi-page units). */
static size_t zblock_max_size(void *p)
{
	return ((struct zblock_pool *)p)->max_size;
}

static const struct zpool_driver zblock_driver = {
	.name = "zblock",
	.summary = "blocks of 1-8 pages of equal slots, a type table, no compaction (posted 2025)",
	.params = zblock_params,
	.order = 40,
	.create = zblock_create,
	.destroy = zblock_destroy,
	.malloc = zblock_malloc,
	.free = zblock_free,
	.map = zblock_map,
	.unmap = zblock_unmap,
	.compact = NULL,
	.shrink = NULL,
	.total_pages = zblock_total_pages,
	.max_size = zblock_max_size,
	.stats = zblock_stats,
	.provider = zblock_provider,
	.locate = zblock_locate,
	.size_table = zblock_size_table,
};

ZPOOL_DRIVER_REGISTER(zblock_driver)

/* ---- introspection for the unit tests (zblock.h) ---- */

static struct zblock_pool *pool_of(struct zpool *zp)
{
	return zp->drv == &zblock_driver ? zp->pool : NULL;
}

int zblock_debug_types(struct zpool *zp, struct zblock_type_info *out, int max)
{
	struct zblock_pool *pool = pool_of(zp);

	if (!pool)
		return -EINVAL;
	for (unsigned int i = 0; i < pool->lay->ntypes && (int)i < max; i++) {
		struct zblock_type *t = &pool->types[i];

		zlock(&t->lock);
		out[i] = (struct zblock_type_info){ t->slot_size, t->slots, t->pages, t->blocks };
		zunlock(&t->lock);
	}
	return (int)pool->lay->ntypes;
}

int zblock_debug_locate(struct zpool *zp, unsigned long handle, void **block, unsigned int *type,
			unsigned int *slot)
{
	struct zblock_pool *pool = pool_of(zp);

	if (!pool)
		return -EINVAL;
	*block = handle_block(pool, handle);
	*type = handle_type(pool, handle);
	*slot = handle_slot(pool, handle);
	return 0;
}

int zblock_debug_active(struct zpool *zp, unsigned int type, void **blocks, int max)
{
	struct zblock_pool *pool = pool_of(zp);
	struct list_head *pos;
	int n = 0;

	if (!pool || type >= pool->lay->ntypes)
		return -EINVAL;
	zlock(&pool->types[type].lock);
	list_for_each(pos, &pool->types[type].active) {
		if (n < max)
			blocks[n] = list_entry(pos, struct zblock_block, link);
		n++;
	}
	zunlock(&pool->types[type].lock);
	return n;
}

#define CHECK_FAIL(...)                             \
	do {                                        \
		snprintf(err, errlen, __VA_ARGS__); \
		zunlock(&t->lock);                  \
		return -1;                          \
	} while (0)

/* Walk every list and check the invariants; 0, or -1 with a message. */
int zblock_debug_check(struct zpool *zp, char *err, size_t errlen)
{
	struct zblock_pool *pool = pool_of(zp);
	uint64_t pages = 0, objects = 0;

	if (!pool)
		return -1;
	for (unsigned int i = 0; i < pool->lay->ntypes; i++) {
		struct zblock_type *t = &pool->types[i];
		struct list_head *lists[2] = { &t->active, &t->full };
		uint64_t listed = 0, used = 0;

		zlock(&t->lock);
		for (int l = 0; l < 2; l++) {
			struct list_head *pos;

			list_for_each(pos, lists[l]) {
				struct zblock_block *b = list_entry(pos, struct zblock_block, link);
				unsigned int set = 0;

				for (unsigned int s = 0; s < pool->nwords * 64; s++)
					if (bit_test(b, s)) {
						if (s >= t->slots)
							CHECK_FAIL("type %u: slot %u of %u used", i,
								   s, t->slots);
						set++;
					}
				if (b->type != i || set + b->free != t->slots)
					CHECK_FAIL("type %u: block with %u used, %u free of %u", i,
						   set, b->free, t->slots);
				if (!b->free || b->free == t->slots)
					if (l == 0)
						CHECK_FAIL("type %u: %s block on the active list",
							   i, b->free ? "empty" : "full");
				if (l == 1 && b->free)
					CHECK_FAIL("type %u: block with a free slot on the full list",
						   i);
				listed++;
				used += set;
			}
		}
		/* table=any keeps full blocks on no list: count them from the objects */
		if (pool->lay->full_list ? listed != t->blocks : listed > t->blocks)
			CHECK_FAIL("type %u: %llu blocks listed, %llu held", i,
				   (unsigned long long)listed, (unsigned long long)t->blocks);
		if (!pool->lay->full_list && used + (t->blocks - listed) * t->slots != t->objects)
			CHECK_FAIL("type %u: %llu objects, lists account for %llu", i,
				   (unsigned long long)t->objects,
				   (unsigned long long)(used + (t->blocks - listed) * t->slots));
		if (pool->lay->full_list && used != t->objects)
			CHECK_FAIL("type %u: %llu objects, %llu slots used", i,
				   (unsigned long long)t->objects, (unsigned long long)used);
		pages += t->blocks * t->pages;
		objects += t->objects;
		zunlock(&t->lock);
	}
	if (pages != zblock_total_pages(pool) || pages != pp_pages(pool->pp)) {
		snprintf(err, errlen, "blocks hold %llu pages, pages_nr %llu, provider %llu",
			 (unsigned long long)pages, (unsigned long long)zblock_total_pages(pool),
			 (unsigned long long)pp_pages(pool->pp));
		return -1;
	}
	(void)objects;
	return 0;
}
