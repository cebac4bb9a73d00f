// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsmalloc.c - userspace port of the kernel's zsmalloc (mm/zsmalloc.c),
 * written from its documented behaviour (Documentation/mm/zsmalloc.rst and the
 * zsmalloc patch discussions on linux-mm)
 * and the rules measured on Linux 6.18 through zram0 (docs/zsmalloc.md),
 * and checked against the live kernel through zram (`zpoolbench oracle zram`).
 *
 * zsmalloc exists so that compressed objects of any size can be packed
 * densely without asking for higher-order (physically contiguous) pages: a
 * "zspage" is a chain of 1..chain ordinary pages that is treated as one
 * contiguous object area, carved into equal objects of one size class.
 * Objects may straddle the boundary between two pages of the chain; such an
 * object is reached through a per-thread copy buffer.
 *
 * A zspage of class 1568 (chain 8: 5 pages, 13 objects, 96 bytes left over):
 *
 *   page 0 (first_obj_offset 0)      page 1 (first_obj_offset 608)    ...  page 4
 *   +-----+-----+------+             +------+------+------+------+         +----+--+
 *   | o0  | o1  | o2 ..|............ |.. o2 | o3   | o4 ..|......|   ...   |o12 |//|
 *   +-----+-----+------+             +------+------+------+------+         +----+--+
 *   0    1568  3136   4096           0     608   2176  3744  4096              96 B waste
 *
 *   every object:  [ 8-byte word | payload (class size - 8 bytes) ]
 *     allocated:     handle | 1      (OBJ_ALLOCATED_TAG; compaction scans for it)
 *     free:          next free index << 1 (the last one: ~0 << 1)
 *
 * Class sizes are 32 + 16*i (i = 0..254, multiples of 16), so an object
 * start is 16-aligned inside its zspage and the 8-byte word never straddles a
 * page.  An object of the huge class (4096 bytes, 1 page, 1 object) has no
 * in-object word: its handle is kept in the page descriptor (private).
 * (That is 4 KiB pages.  The step is PAGE_SIZE >> CLASS_BITS (8): 64 bytes on
 * 16 KiB pages, 256 on 64 KiB, with 257 slots 32 + step*i up to PAGE_SIZE,
 * the last one clamped to PAGE_SIZE; starts stay 32-aligned.)
 *
 * Per-page descriptors (pp_desc(), the stand-in for struct page):
 *   owner   the zspage;  next  the next page of the chain (NULL on the last);
 *   offset  first_obj_offset: where the first object that *starts* in this
 *           page begins (the tail of a straddling object comes before it);
 *   flags   ZS_PAGE_FIRST on the first page;  private  huge: handle | 1.
 * The zspage struct itself (fullness group, inuse, first free index, class,
 * list link, map count) lives outside the pool pages, as the kernel's slab
 * object does, and is counted in metadata_bytes.
 *
 * Handles: a handle is the address of an 8-byte slot in a handle table
 * (chunks of 512 slots, never moved, freed slots reused LIFO) whose content
 * is the "obj" = address of the page where the object starts | object index
 * in its zspage (indexes are < 16 pages / 32 B = PAGE_SIZE / 2, so they fit
 * below the page bits).
 * Compaction moves an object by rewriting the slot; the user's handle stays
 * valid.  The table's memory counts as metadata, as the kernel's zs_handle
 * slab does.
 *
 * Class table rules (built once per pool, largest slot first):
 *   - pages per zspage: 6.3+ ("min-waste"): 1 for a power-of-two size, else
 *     the k in 1..chain with the strictly smallest (k*4096) % size (first
 *     minimum wins);  <= 6.2 ("max-used"): the smallest k in 1..chain with the
 *     strictly highest integer used% = (k*4096 - waste) * 100 / (k*4096).
 *   - objects per zspage = k*4096 / size.
 *   - a slot whose (pages, objects) equals that of the last class created
 *     (the next larger distinct one) maps to that class.
 *   - huge_class_size = (size of the largest class that is not 1 page / 1
 *     object) - 7: a request of at least that many bytes (plus the 8-byte
 *     handle word) lands in the huge class.  3625 for chain 8, 3257 for
 *     chain 4, 3833 for chain 16.
 *   - lookup: slot 0 if size + 8 <= 32, else ceil((size + 8 - 32) / 16),
 *     capped at 254 (so 4096 bytes go to the 4096 class).
 *   - other page sizes: the same rules with PAGE_SIZE for 4096 and the step
 *     PAGE_SIZE >> 8 for 16.  16 KiB, chain 8: 257 slots, 121 distinct
 *     classes, largest non-huge class 14,560 B (8 pages, 9 objects),
 *     huge_class_size 14,553; chain 4 (6.1): 70 classes, 13,081.
 *
 * Fullness groups and list order:
 *   buckets (Linux >= 6.4): 12 groups: 0 empty, 11 full, else
 *            (100 * inuse / objs) / 10 + 1.
 *   legacy  (Linux <= 6.3): 4 groups: 0 EMPTY, 1 ALMOST_EMPTY
 *            (inuse <= 3 * objs / 4), 2 ALMOST_FULL, 3 FULL.
 *   A zspage is (re)filed only when its group changes.  kernel=6.18 inserts
 *   at the head of the group's list; kernel=6.1 inserts second when the head
 *   has more objects in use ("keep fuller pages first").  zs_malloc takes
 *   the head of the fullest non-empty partial group; with none it builds a
 *   new zspage (class lock dropped meanwhile).  A zspage emptied by a free is
 *   freed at once.
 *
 * Compaction (zs_compact, classes from the largest slot down), per class:
 *   zs_can_compact = floor((allocated - used) / objs) * pages_per_zspage.
 *   kernel=6.18: while that is > 0: destination = head of the fullest
 *     partial group, source = head of the emptiest; move the source's
 *     objects in slot order until the destination is full or the source
 *     empty; free an emptied source; put a full destination back and take a
 *     new one.
 *   kernel=6.1 ("classic"): take a source (ALMOST_EMPTY first), stop if
 *     zs_can_compact is 0; fill destinations (ALMOST_FULL first) from it
 *     until it is empty, putting full destinations back; free the source.
 *
 * Parameters (spec "zsmalloc[:kernel=6.18|6.1|6.12|rfc2026|rfc2026-p1,chain=N,
 *                    fullness=buckets|legacy,compact=current|classic,
 *                    merge=0|1,mp=0..4,
 *                    page=4096|16384|65536]"):
 *   kernel=6.18 (default): chain 8, min-waste chain rule, buckets, head
 *     insertion, current compaction.
 *   kernel=6.12: the same rules (measured on 6.12 x86 and arm64-16k, which
 *     build with CONFIG_ZSMALLOC_CHAIN_SIZE=8).
 *   kernel=6.1: chain 4, max-used chain rule, legacy groups, fuller-first
 *     insertion, classic compaction.
 *   kernel=rfc2026: 6.18 with the RFC "zsmalloc: size-classes chain-length
 *     tunings" (Sergey Senozhatsky, 2026-01-01): a class step of 16 B on
 *     every page size (CLASS_BITS 12: 1023 slots on 16 KiB pages, 4095 on
 *     64 KiB) and its chain-length rule (chain_rfc2026()).  rfc2026-p1: the
 *     step alone (its patch 1/2), the table of the RFC's own example.
 *   mp=N (1..4): the multi-page RFC v3 (Tangquan Zheng, Barry Song,
 *     2024-11-22) on the 6.18 rules: objects compressed from a unit of 2^N
 *     pages, up to the unit (ZS_MAX_ALLOC_SIZE); a second class range
 *     PAGE_SIZE + (UNIT >> 8) * j after the page range; a request (handle
 *     included) above PAGE_SIZE + 8 is looked up there; a class larger than
 *     a page is a zspage of up to `chain` blocks of 2^N contiguous pages
 *     (compound pages; from the page provider as runs), chosen by the same
 *     rule with the block as the page, objects straddling block boundaries;
 *     one huge_class_size per range (huge_size_unit()); pool pages counted
 *     in pages.  Units above 64 KiB are refused; so are mp with kernel=6.1
 *     or rfc2026 (no posting has them).
 *   chain, fullness and compact given explicitly override the preset
 *     (compact=classic with buckets: the 2023 series' 10 % groups with the
 *     compaction loop from before its rework).
 *   merge=0: no class merging (Joonsoo Kim, 3.18): every slot is its own
 *     class, with its own partial zspages, on any preset; the rest of the
 *     preset (the in-object handle, the huge class, compaction) is kept, so
 *     it is the preset without merging, not Linux 3.17.
 *   page: PAGE_SIZE.  64 KiB is accepted: the kernel builds zsmalloc for
 *     64 KiB pages (arm64, ppc64) with the same formulas.
 *
 * Locking: a per-class spinlock for malloc/free/compaction of that class; a
 * pool rwlock that free and map hold (read) while they turn a handle into a
 * zspage, and that compaction holds (write) while it moves objects; a
 * per-zspage map count, so compaction leaves zspages that are mapped alone.
 * The handle table has its own spinlock; slots are read and written
 * atomically.
 *
 * Deliberate differences from the kernel:
 *  - Pages come from the page provider; zspage structs and handle slots
 *    from calloc'd memory instead of slab caches (counted in metadata_bytes).
 *  - map/unmap follow the classic zs_map_object (per-thread buffer instead
 *    of per-CPU, copy in unless WO, copy out unless RO).  Up to 4 mappings
 *    may be held at once per thread (the kernel allows one per CPU).
 *  - Compaction stops on a class when a zspage it picked is mapped, where
 *    the kernel's trylock of the zspage lock would fail; it never happens
 *    single-threaded.  No page migration, no deferred freeing (a zspage is
 *    freed synchronously), no shrinker: compaction runs only when called.
 *  - The obj encodes the page address instead of a pfn.
 *  - mp: blocks are runs of the page provider, aligned to a page, not to
 *    their size (no page moves, so alignment changes nothing); pages freed
 *    by compaction are counted in pages (the RFC's zs_can_compact and
 *    pages_compacted count blocks for multi-page classes).
 *  - Nothing else: class table, lookup, group formulas, list order, zspage
 *    choice and compaction order follow the kernel (see oracles.md 1).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "lock.h"
#include "page.h"
#include "zpool.h"
#include "zsmalloc.h"

#define ZS_HANDLE_SIZE 8      /* the in-object handle word of non-huge objects */
#define ZS_MIN_ALLOC_SIZE 32  /* smallest class */
#define ZS_CLASS_BITS 8	      /* class step = PAGE_SIZE >> CLASS_BITS: 16 B at 4 KiB */
#define OBJ_ALLOCATED_TAG 1UL /* bit 0 of the word of an allocated object */
#define OBJ_TAG_BITS 1
#define ZS_FREE_END (~0UL << OBJ_TAG_BITS)

#define ZS_GROUPS_MAX 12 /* buckets: 0, 10%..90%, 99%, 100% */
#define ZS_MAP_NEST 4	 /* mappings a thread may hold at once */
#define HT_CHUNK_SLOTS 512

#define ZS_PAGE_FIRST 1UL

/* The rule sets selected by the spec. */
struct zs_era {
	struct zs_geometry geo; /* class table: page, chain, chain rule, step, mp order */
	bool legacy_groups;	/* 4 groups instead of 12 */
	bool fuller_first;	/* 6.1 list insertion */
	bool classic_compact;	/* 6.1 compaction loop */
	const char *preset;	/* the kernel= word */
};

struct zspage {
	struct list_head list; /* fullness_list[fullness] of the class */
	struct zpage *first;   /* descriptor of the first page */
	unsigned int inuse;
	unsigned int freeobj; /* index of the first free object */
	unsigned short class_idx;
	unsigned char fullness;
	bool isolated; /* off its list during compaction */
	int mapped;    /* maps in progress (atomic) */
};

struct size_class {
	zlock_t lock;
	struct list_head fullness_list[ZS_GROUPS_MAX];
	unsigned int size;
	unsigned int objs_per_zspage;
	unsigned int pages_per_zspage; /* pages, or blocks of 2^order pages */
	unsigned int index;
	bool huge;
	unsigned int order;	  /* 0, or mp: the zspage is made of blocks of 2^order pages */
	unsigned int block_shift; /* page_shift + order */
	size_t block_size;	  /* bytes of one page (block) of the zspage */
	unsigned int base_pages;  /* pool pages per zspage: pages_per_zspage << order */
	/* statistics, under the lock */
	uint64_t group_count[ZS_GROUPS_MAX];
	uint64_t obj_allocated;
	uint64_t obj_used;
	uint64_t straddling; /* allocated objects that cross a page boundary */
};

struct handle_table {
	zlock_t lock;
	unsigned long *free; /* free slots, linked through their content */
	void **chunks;
	size_t nchunks, cap;
	uint64_t live;
};

struct zs_pool {
	struct size_class **size_class; /* per slot (nslots) */
	size_t page_size;		/* PAGE_SIZE */
	unsigned int page_shift;
	size_t max_size;	      /* ZS_MAX_ALLOC_SIZE: the page, or with mp the unit */
	unsigned long obj_index_mask; /* obj = start page address | index: PAGE_SIZE - 1 */
	unsigned int nslots;	      /* class slots (ZS_SIZE_CLASSES) */
	char *compact_buf;	      /* one object, for compaction's copies */
	struct size_class *classes;   /* the distinct ones, smallest first */
	int nr_classes;
	unsigned int ngroups;
	struct zs_era era;
	size_t huge_class_size;	   /* page range */
	size_t huge_class_size_mp; /* multi-page range (mp), else 0 */
	pthread_rwlock_t migrate_lock;
	struct page_provider *pp;
	struct handle_table ht;
	int compaction_in_progress;
	/* atomics */
	uint64_t pages_allocated;
	uint64_t nr_zspages;
	uint64_t copy_bytes;
	uint64_t compactions;
	uint64_t compact_pages_freed;
	uint64_t moves;
	uint64_t move_bytes;
};

/* ------------------------------------------------------------------ */
/* Class table                                                         */

/*
 * Slots.  The page range: 32 + delta * i up to the page (the last slot
 * clamped to ZS_MAX_ALLOC_SIZE), delta = PAGE_SIZE >> 8 (CLASS_BITS 8, and
 * CLASS_BITS - 1 = 8 in the multi-page RFC, which widens CLASS_BITS to 9)
 * or 16 (the 2026 RFC, CLASS_BITS 12).  With mp=N a second range follows:
 * PAGE_SIZE + (UNIT >> 8) * j up to the unit, UNIT = PAGE_SIZE << N.
 */
unsigned int zs_geo_base_slots(const struct zs_geometry *g)
{
	return (unsigned int)((g->page - ZS_MIN_ALLOC_SIZE + g->delta - 1) / g->delta + 1);
}

static size_t geo_unit(const struct zs_geometry *g)
{
	return g->page << g->mp_order;
}

static size_t geo_mp_delta(const struct zs_geometry *g)
{
	return geo_unit(g) >> ZS_CLASS_BITS;
}

unsigned int zs_geo_slots(const struct zs_geometry *g)
{
	unsigned int n = zs_geo_base_slots(g);

	if (g->mp_order)
		n += (unsigned int)((geo_unit(g) - g->page + geo_mp_delta(g) - 1) / geo_mp_delta(g) +
				    1);
	return n;
}

/* ZS_MAX_ALLOC_SIZE: the page, or with mp the unit. */
size_t zs_geo_max_size(const struct zs_geometry *g)
{
	return g->mp_order ? geo_unit(g) : g->page;
}

/*
 * The multi-page RFC's get_size_class_index(): a request (handle included)
 * above PAGE_SIZE + 8 is looked up in the multi-page range, so raw objects
 * of PAGE_SIZE - 7 .. PAGE_SIZE still take the page range's last slot.
 */
unsigned int zs_geo_index(const struct zs_geometry *g, size_t size)
{
	unsigned int nbase = zs_geo_base_slots(g), idx = 0;

	if (g->mp_order && size > g->page + ZS_HANDLE_SIZE) {
		size_t j = (size - g->page + geo_mp_delta(g) - 1) / geo_mp_delta(g);
		unsigned int last = zs_geo_slots(g) - 1;

		return nbase + j < last ? (unsigned int)(nbase + j) : last;
	}
	if (size > ZS_MIN_ALLOC_SIZE)
		idx = (unsigned int)((size - ZS_MIN_ALLOC_SIZE + g->delta - 1) / g->delta);
	return idx < nbase - 1 ? idx : nbase - 1;
}

/* Object size of slot @i, clamped to ZS_MAX_ALLOC_SIZE. */
static size_t geo_slot_size(const struct zs_geometry *g, unsigned int i)
{
	unsigned int nbase = zs_geo_base_slots(g);
	size_t size = i < nbase ? ZS_MIN_ALLOC_SIZE + (size_t)i * g->delta
				: g->page + (size_t)(i - nbase) * geo_mp_delta(g);
	size_t max = zs_geo_max_size(g);

	return size < max ? size : max;
}

/*
 * class_size_to_zs_order() of the multi-page RFC: a class larger than a
 * page is built of blocks of 2^N pages.  (On 16 and 64 KiB pages the page
 * range's last slot, 32 + 256 * delta, lies above PAGE_SIZE and is not
 * clamped when the unit is larger: it becomes a multi-page class too.)
 */
static unsigned int geo_order(const struct zs_geometry *g, size_t size)
{
	return g->mp_order && size > g->page ? g->mp_order : 0;
}

/* The merged step's slots for @page: 255 for 4 KiB, 257 for 16 and 64 KiB. */
static struct zs_geometry merged_geo(size_t page, unsigned int chain, bool classic)
{
	return (struct zs_geometry){ .page = page,
				     .chain = chain,
				     .rule = classic ? ZS_CHAIN_MAX_USED : ZS_CHAIN_MIN_WASTE,
				     .delta = (unsigned int)(page >> ZS_CLASS_BITS) };
}

unsigned int zs_size_classes(size_t page)
{
	struct zs_geometry g = merged_geo(page, 8, false);

	return zs_geo_slots(&g);
}

unsigned int zs_size_class_index_page(size_t page, size_t size)
{
	struct zs_geometry g = merged_geo(page, 8, false);

	return zs_geo_index(&g, size);
}

unsigned int zs_size_class_index(size_t size)
{
	return zs_size_class_index_page(ZPOOL_PAGE_SIZE, size);
}

static bool is_power_of_2(size_t n)
{
	return n && !(n & (n - 1));
}

/* Linux >= 6.3: least waste, first minimum wins; a power of two needs 1 page. */
static unsigned int chain_min_waste(size_t block, unsigned int size, unsigned int chain)
{
	unsigned int best = 1;
	size_t min_waste = (size_t)-1;

	if (is_power_of_2(size))
		return 1;
	for (unsigned int k = 1; k <= chain; k++) {
		size_t waste = (k * block) % size;

		if (waste < min_waste) {
			min_waste = waste;
			best = k;
		}
	}
	return best;
}

/* Linux <= 6.2: the smallest k with the strictly highest integer used%. */
static unsigned int chain_max_used(size_t block, unsigned int size, unsigned int chain)
{
	unsigned int best = 1;
	size_t max_used = 0;

	for (unsigned int k = 1; k <= chain; k++) {
		size_t zs = k * block;
		size_t used = (zs - zs % size) * 100 / zs;

		if (used > max_used) {
			max_used = used;
			best = k;
		}
	}
	return best;
}

/*
 * The January 2026 RFC, patch 2/2 ("chain-length configuration should
 * consider other metrics"): a longer chain only for a substantial saving.
 *   - a power of two: 1 page;
 *   - for k = 1..chain, waste(k) = (k * PAGE_SIZE) % size; a waste of 0
 *     returns k at once;
 *   - k = 1 is always taken (see below);
 *   - then, while the best so far wastes more than 10 % of its zspage
 *     (best_waste * 10 > best_k * PAGE_SIZE), any smaller waste is taken;
 *     otherwise only a reduction by more than a quarter
 *     (waste * 4 < best_waste * 3);
 *   - the loop stops once the best wastes at most 1/64 of its zspage
 *     (best_waste * 64 <= best_k * PAGE_SIZE), the check made after each k.
 * The posted code keeps the best waste in an int that starts at INT_MAX, so
 * at k = 1 it evaluates INT_MAX * 10 (and would evaluate INT_MAX * 3):
 * signed overflow.  The kernel builds with wrapping arithmetic
 * (-fno-strict-overflow), where INT_MAX * 10 is -10; compared with the
 * unsigned long best_k * PAGE_SIZE it converts to 2^64 - 10, so the "more
 * than 10 %" branch runs and k = 1's waste, below INT_MAX, is taken.  The
 * RFC's simulator, comparing in int, takes the other branch, where
 * INT_MAX * 3 wraps to INT_MAX - 2 and k = 1 wins again; so does the
 * arithmetic without overflow.  Every reading takes k = 1 first, and the
 * port says so instead of overflowing.
 */
static unsigned int chain_rfc2026(size_t block, unsigned int size, unsigned int chain)
{
	size_t best_waste = 0;
	unsigned int best = 1;

	if (is_power_of_2(size))
		return 1;
	for (unsigned int k = 1; k <= chain; k++) {
		size_t waste = (k * block) % size;

		if (waste == 0)
			return k;
		if (k == 1) {
			best_waste = waste; /* the INT_MAX start: the first k always wins */
			best = 1;
		} else if (best_waste * 10 > best * block) {
			if (waste < best_waste) {
				best_waste = waste;
				best = k;
			}
		} else if (waste * 4 < best_waste * 3) {
			best_waste = waste;
			best = k;
		}
		if (best_waste * 64 <= best * block)
			break;
	}
	return best;
}

unsigned int zs_chain_size(enum zs_chain_rule rule, size_t block, unsigned int size,
			   unsigned int chain)
{
	switch (rule) {
	case ZS_CHAIN_MAX_USED:
		return chain_max_used(block, size, chain);
	case ZS_CHAIN_RFC2026:
		return chain_rfc2026(block, size, chain);
	case ZS_CHAIN_MIN_WASTE:
	default:
		return chain_min_waste(block, size, chain);
	}
}

/*
 * zs_create_pool()'s walk, largest slot first, so that a slot can merge
 * into the next larger class when (pages, objects) are equal.  The multi-
 * page RFC keeps one huge_class_size per range: the first class of the
 * range, from the top, that is not 1 page (block) / 1 object, minus 7.
 */
int zs_build_table(const struct zs_geometry *g, struct zs_class_desc *out,
		   unsigned int *slot_to_class, size_t huge[2])
{
	unsigned int nslots = zs_geo_slots(g);
	unsigned int *slot_tmp = malloc(nslots * sizeof(*slot_tmp));
	size_t h[2] = { 0, 0 };
	int n = 0;

	if (!slot_tmp)
		abort(); /* a few KiB at pool creation */
	/* built largest first into @out, reversed below */
	for (int i = (int)nslots - 1; i >= 0; i--) {
		size_t size = geo_slot_size(g, (unsigned int)i);
		unsigned int order = geo_order(g, size), type = order ? 1 : 0;
		size_t block = g->page << order;
		unsigned int pages = zs_chain_size(g->rule, block, (unsigned int)size, g->chain);
		unsigned int objs = (unsigned int)(pages * block / size);

		if (!h[type] && !(pages == 1 && objs == 1))
			h[type] = size - (ZS_HANDLE_SIZE - 1);
		if (!g->no_merge && n && out[n - 1].pages == pages && out[n - 1].objs == objs) {
			slot_tmp[i] = n - 1;
			continue;
		}
		out[n] = (struct zs_class_desc){ .index = (unsigned int)i,
						 .size = (unsigned int)size,
						 .pages = pages,
						 .objs = objs,
						 .huge = pages == 1 && objs == 1,
						 .order = order };
		slot_tmp[i] = n;
		n++;
	}
	/* smallest first for the caller */
	for (int j = 0; j < n / 2; j++) {
		struct zs_class_desc t = out[j];

		out[j] = out[n - 1 - j];
		out[n - 1 - j] = t;
	}
	if (slot_to_class)
		for (unsigned int i = 0; i < nslots; i++)
			slot_to_class[i] = n - 1 - slot_tmp[i];
	if (huge) {
		huge[0] = h[0];
		huge[1] = h[1];
	}
	free(slot_tmp);
	return n;
}

int zs_build_class_table_page(size_t page, unsigned int chain, bool classic,
			      struct zs_class_desc *out, unsigned int *slot_to_class,
			      size_t *huge_class_size)
{
	struct zs_geometry g = merged_geo(page, chain, classic);
	size_t huge[2];
	int n = zs_build_table(&g, out, slot_to_class, huge);

	if (huge_class_size)
		*huge_class_size = huge[0];
	return n;
}

int zs_build_class_table(unsigned int chain, bool classic, struct zs_class_desc *out,
			 unsigned int *slot_to_class, size_t *huge_class_size)
{
	return zs_build_class_table_page(ZPOOL_PAGE_SIZE, chain, classic, out, slot_to_class,
					 huge_class_size);
}

/* ------------------------------------------------------------------ */
/* Handle table                                                        */

static int ht_init(struct handle_table *ht)
{
	memset(ht, 0, sizeof(*ht));
	zlock_init(&ht->lock);
	return 0;
}

static void ht_destroy(struct handle_table *ht)
{
	for (size_t i = 0; i < ht->nchunks; i++)
		free(ht->chunks[i]);
	free(ht->chunks);
	zlock_destroy(&ht->lock);
}

/* A free slot (its address is the handle), or 0. */
static unsigned long ht_alloc(struct handle_table *ht)
{
	unsigned long *slot;

	zlock(&ht->lock);
	if (!ht->free) {
		unsigned long *chunk;

		if (ht->nchunks == ht->cap) {
			size_t cap = ht->cap ? ht->cap * 2 : 64;
			void **c = realloc(ht->chunks, cap * sizeof(*c));

			if (!c)
				goto fail;
			ht->chunks = c;
			ht->cap = cap;
		}
		chunk = calloc(HT_CHUNK_SLOTS, sizeof(*chunk));
		if (!chunk)
			goto fail;
		ht->chunks[ht->nchunks++] = chunk;
		/* link in address order, so handles are handed out ascending */
		for (int i = HT_CHUNK_SLOTS - 1; i >= 0; i--) {
			chunk[i] = (unsigned long)ht->free;
			ht->free = &chunk[i];
		}
	}
	slot = ht->free;
	ht->free = (unsigned long *)*slot;
	*slot = 0;
	ht->live++;
	zunlock(&ht->lock);
	return (unsigned long)slot;
fail:
	zunlock(&ht->lock);
	return 0;
}

static void ht_free(struct handle_table *ht, unsigned long handle)
{
	unsigned long *slot = (unsigned long *)handle;

	zlock(&ht->lock);
	*slot = (unsigned long)ht->free;
	ht->free = slot;
	ht->live--;
	zunlock(&ht->lock);
}

static inline unsigned long handle_to_obj(unsigned long handle)
{
	return __atomic_load_n((unsigned long *)handle, __ATOMIC_ACQUIRE);
}

static inline void record_obj(unsigned long handle, unsigned long obj)
{
	__atomic_store_n((unsigned long *)handle, obj, __ATOMIC_RELEASE);
}

/* ------------------------------------------------------------------ */
/* Objects and zspages                                                 */

static inline unsigned long location_to_obj(void *page, unsigned int idx)
{
	return (unsigned long)page | idx;
}

static inline void *obj_to_page(const struct zs_pool *pool, unsigned long obj)
{
	return (void *)(obj & ~pool->obj_index_mask);
}

static inline unsigned int obj_to_idx(const struct zs_pool *pool, unsigned long obj)
{
	return obj & pool->obj_index_mask;
}

static inline struct zspage *page_zspage(struct zs_pool *pool, const void *page)
{
	return pp_desc(pool->pp, page)->owner;
}

static inline bool zspage_full(const struct size_class *class, const struct zspage *zspage)
{
	return zspage->inuse == class->objs_per_zspage;
}

/* Descriptor of page @n (0-based) of the chain. */
static struct zpage *zspage_nth_page(struct zspage *zspage, unsigned int n)
{
	struct zpage *d = zspage->first;

	while (n--)
		d = d->next;
	return d;
}

/* Page and in-page offset of object @idx. */
static void *obj_location(struct zs_pool *pool, const struct size_class *class,
			  struct zspage *zspage, unsigned int idx, unsigned int *off)
{
	unsigned long byte = (unsigned long)idx * class->size;

	*off = byte & (class->block_size - 1);
	return pp_page_addr(pool->pp, zspage_nth_page(zspage, byte >> class->block_shift));
}

static inline bool obj_straddles(const struct zs_pool *pool, const struct size_class *class,
				 unsigned int off)
{
	(void)pool;
	return off + class->size > class->block_size;
}

static unsigned int fullness_group(const struct zs_pool *pool, const struct size_class *class,
				   const struct zspage *zspage)
{
	unsigned int inuse = zspage->inuse, objs = class->objs_per_zspage;

	if (inuse == 0)
		return 0;
	if (inuse == objs)
		return pool->ngroups - 1;
	if (pool->era.legacy_groups)
		return inuse <= 3 * objs / 4 ? 1 : 2;
	return (100 * inuse / objs) / 10 + 1;
}

/* File @zspage in group @fg.  Class lock held. */
static void insert_zspage(struct zs_pool *pool, struct size_class *class, struct zspage *zspage,
			  unsigned int fg)
{
	struct list_head *head = &class->fullness_list[fg];

	class->group_count[fg]++;
	zspage->fullness = fg;
	zspage->isolated = false;
	if (pool->era.fuller_first && !list_empty(head)) {
		struct zspage *first = list_first_entry(head, struct zspage, list);

		/* keep fuller pages first: a less used zspage goes second */
		if (zspage->inuse < first->inuse) {
			list_add(&zspage->list, &first->list);
			return;
		}
	}
	list_add(&zspage->list, head);
}

static void remove_zspage(struct size_class *class, struct zspage *zspage)
{
	list_del_init(&zspage->list);
	class->group_count[zspage->fullness]--;
}

/* Re-file @zspage if its group changed; returns the group.  Class lock held. */
static unsigned int fix_fullness_group(struct zs_pool *pool, struct size_class *class,
				       struct zspage *zspage)
{
	unsigned int fg = fullness_group(pool, class, zspage);

	if (fg != zspage->fullness) {
		remove_zspage(class, zspage);
		insert_zspage(pool, class, zspage, fg);
	}
	return fg;
}

/* Take an object from the zspage's free list for @handle; returns the obj. */
static unsigned long obj_malloc(struct zs_pool *pool, struct size_class *class,
				struct zspage *zspage, unsigned long handle)
{
	unsigned int idx = zspage->freeobj, off;
	char *page = obj_location(pool, class, zspage, idx, &off);
	unsigned long *word = (unsigned long *)(page + off);

	zspage->freeobj = *word >> OBJ_TAG_BITS;
	if (class->huge)
		zspage->first->private = handle | OBJ_ALLOCATED_TAG;
	else
		*word = handle | OBJ_ALLOCATED_TAG;
	zspage->inuse++;
	if (obj_straddles(pool, class, off))
		class->straddling++;
	return location_to_obj(page, idx);
}

/* Return object @obj to its zspage's free list. */
static void obj_free(struct zs_pool *pool, struct size_class *class, struct zspage *zspage,
		     unsigned long obj)
{
	unsigned int idx = obj_to_idx(pool, obj);
	unsigned int off = ((unsigned long)idx * class->size) & (class->block_size - 1);
	unsigned long *word = (unsigned long *)((char *)obj_to_page(pool, obj) + off);

	*word = (unsigned long)zspage->freeobj << OBJ_TAG_BITS;
	zspage->freeobj = idx;
	if (class->huge)
		zspage->first->private = 0;
	zspage->inuse--;
	if (obj_straddles(pool, class, off))
		class->straddling--;
}

/* A new zspage with all objects free, linked in object order; NULL if no pages. */
static struct zspage *alloc_zspage(struct zs_pool *pool, struct size_class *class)
{
	struct zspage *zspage = calloc(1, sizeof(*zspage));
	void *pages[ZS_MAX_CHAIN] = { NULL };
	unsigned int k = class->pages_per_zspage, nr = 1U << class->order;

	if (!zspage)
		return NULL;
	/* order-0 pages, or with mp blocks of 2^order contiguous pages (compound pages) */
	for (unsigned int i = 0; i < k; i++) {
		pages[i] = pp_alloc_run(pool->pp, nr);
		if (!pages[i]) {
			while (i--)
				pp_free_run(pool->pp, pages[i], nr);
			free(zspage);
			return NULL;
		}
	}
	INIT_LIST_HEAD(&zspage->list);
	zspage->class_idx = class->index;
	for (unsigned int i = 0; i < k; i++) {
		struct zpage *d = pp_desc(pool->pp, pages[i]);
		unsigned long start = (unsigned long)i * class->block_size;
		/* first object starting at or after this block's first byte */
		unsigned long first_idx = (start + class->size - 1) / class->size;

		d->owner = zspage;
		d->next = i + 1 < k ? pp_desc(pool->pp, pages[i + 1]) : NULL;
		d->offset = first_idx * class->size - start;
		d->flags = i == 0 ? ZS_PAGE_FIRST : 0;
		d->private = 0;
		/* the tail pages of a block: owned, never walked */
		for (unsigned int t = 1; t < nr; t++)
			pp_desc(pool->pp, (char *)pages[i] + ((size_t)t << pool->page_shift))->owner =
				zspage;
	}
	zspage->first = pp_desc(pool->pp, pages[0]);
	/*
	 * Slot positions past the last object that still start inside the
	 * last page (the tail waste) get an untagged word too: compaction
	 * scans every position of a page for the allocated tag.
	 */
	for (unsigned int idx = 0;
	     (unsigned long)idx * class->size < (unsigned long)k * class->block_size; idx++) {
		unsigned long byte = (unsigned long)idx * class->size;
		char *page = pages[byte >> class->block_shift];
		unsigned long *word = (unsigned long *)(page + (byte & (class->block_size - 1)));

		*word = idx + 1 < class->objs_per_zspage ? (unsigned long)(idx + 1) << OBJ_TAG_BITS
							 : ZS_FREE_END;
	}
	zspage->freeobj = 0;
	__atomic_add_fetch(&pool->nr_zspages, 1, __ATOMIC_RELAXED);
	return zspage;
}

/* Give an empty zspage's pages back.  Class lock held; @zspage off every list. */
static void free_zspage(struct zs_pool *pool, struct size_class *class, struct zspage *zspage)
{
	struct zpage *d = zspage->first, *next;

	while (d) {
		char *addr = pp_page_addr(pool->pp, d);

		next = d->next;
		for (unsigned int t = 0; t < 1U << class->order; t++)
			pp_desc(pool->pp, addr + ((size_t)t << pool->page_shift))->owner = NULL;
		pp_free_run(pool->pp, addr, 1U << class->order);
		d = next;
	}
	class->obj_allocated -= class->objs_per_zspage;
	__atomic_sub_fetch(&pool->pages_allocated, class->base_pages, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&pool->nr_zspages, 1, __ATOMIC_RELAXED);
	free(zspage);
}

/* Head of the fullest non-empty group below full, or NULL.  Class lock held. */
static struct zspage *find_get_zspage(struct zs_pool *pool, struct size_class *class)
{
	for (int fg = pool->ngroups - 2; fg >= 0; fg--)
		if (!list_empty(&class->fullness_list[fg]))
			return list_first_entry(&class->fullness_list[fg], struct zspage, list);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Pool                                                                */

/* clang-format off */
static const struct zpool_param zs_params[] = {
	{ "kernel", "6.18|6.1|6.12|rfc2026|rfc2026-p1", 0, 0, "6.18",
	  "preset: 6.18 and 6.12 (chain 8, buckets, current compaction), 6.1 (chain 4, legacy "
	  "groups and list order, classic compaction, max-used chain rule), rfc2026 (the Jan 2026 "
	  "RFC on 6.18: class step 16 B on every page size, its chain-length rule) or rfc2026-p1 "
	  "(its patch 1/2 alone: step 16 B, min-waste chain)" },
	{ "chain", NULL, 1, ZS_MAX_CHAIN, "8",
	  "most pages per zspage (CONFIG_ZSMALLOC_CHAIN_SIZE); preset default" },
	{ "fullness", "buckets|legacy", 0, 0, "buckets",
	  "fullness groups: 10% buckets (6.4+) or the four groups of 4.x-6.3; preset default" },
	{ "compact", "current|classic", 0, 0, "current",
	  "compaction loop: current (the 2023 rework: the fullest partial zspage receives from the "
	  "emptiest) or classic (before it, as 6.1: ALMOST_EMPTY sources into ALMOST_FULL "
	  "destinations); preset default" },
	{ "merge", "0|1", 0, 0, "1",
	  "1: a slot shares the next larger class when their pages and objects per zspage are "
	  "equal (3.18+); 0: every slot its own class, as before 3.18" },
	{ "mp", NULL, 0, ZS_MP_ORDER_MAX, "0",
	  "multi-page RFC v3 (2024-11-22): N > 0 adds classes above PAGE_SIZE for objects "
	  "compressed from 2^N pages, in zspages of 2^N-page blocks (units up to 64 KiB)" },
	{ "page", "4096|16384|65536", 0, 0, "4096",
	  "PAGE_SIZE in bytes: class step PAGE_SIZE/256 (16 B with rfc2026), objects up to "
	  "PAGE_SIZE (the unit with mp)" },
	{ NULL, NULL, 0, 0, NULL, NULL },
};
/* clang-format on */

/* Specs the checker, fuzzers and soak cover beyond one value per key. */
static const char *const zs_check_specs[] = {
	"zsmalloc:mp=2",
	"zsmalloc:mp=1",
	"zsmalloc:mp=2,page=16384",
	"zsmalloc:chain=16,mp=2",
	"zsmalloc:kernel=rfc2026,chain=16",
	"zsmalloc:merge=0",
	"zsmalloc:kernel=6.1,merge=0",
	"zsmalloc:compact=classic",
	NULL,
};

/*
 * kernel=6.12 is kernel=6.18: the 6.12 rules measured under qemu (x86 and
 * arm64 16 KiB pages) are the 6.18 ones (oracles.md section 5); what changed
 * in between (zpool's removal, the obj_read/obj_write API) moves no page.
 * kernel=rfc2026 is 6.18 with the January 2026 RFC applied: its patch 1/2
 * (ZS_SIZE_CLASS_DELTA 16 on every page size, CLASS_BITS 12) and 2/2 (the
 * chain-length rule, chain_rfc2026()); rfc2026-p1 is 1/2 alone, the table
 * of the RFC's own example.  mp=N is the multi-page RFC v3 on the 6.18
 * rules.  Combinations no posting has are refused.
 */
static int resolve_era(const struct zpool_config *cfg, struct zs_era *era, char *err, size_t errlen)
{
	const char *k = zpool_cfg_str(cfg, "kernel");
	bool k61 = !strcmp(k, "6.1"), rfc = !strncmp(k, "rfc2026", 7);
	struct zs_geometry *g = &era->geo;

	era->preset = k;
	g->page = zpool_cfg_page_size(cfg);
	g->chain = k61 ? 4 : 8;
	g->rule = k61			  ? ZS_CHAIN_MAX_USED
		  : !strcmp(k, "rfc2026") ? ZS_CHAIN_RFC2026
					  : ZS_CHAIN_MIN_WASTE;
	g->delta = rfc ? 16 : (unsigned int)(g->page >> ZS_CLASS_BITS);
	g->mp_order = (unsigned int)zpool_cfg_int(cfg, "mp");
	era->legacy_groups = k61;
	era->fuller_first = k61;
	era->classic_compact = k61;
	if (zpool_cfg_isset(cfg, "chain"))
		g->chain = (unsigned int)zpool_cfg_int(cfg, "chain");
	if (zpool_cfg_isset(cfg, "fullness"))
		era->legacy_groups = !strcmp(zpool_cfg_str(cfg, "fullness"), "legacy");
	if (zpool_cfg_isset(cfg, "compact"))
		era->classic_compact = !strcmp(zpool_cfg_str(cfg, "compact"), "classic");
	g->no_merge = zpool_cfg_int(cfg, "merge") == 0;
	if (g->mp_order && rfc) {
		snprintf(err, errlen,
			 "zsmalloc: mp= (the 2024 multi-page RFC) and kernel=%s (the 2026 class-step "
			 "RFC) were never posted together",
			 k);
		return -1;
	}
	if (g->mp_order && k61) {
		snprintf(err, errlen,
			 "zsmalloc: mp= is the 2024 multi-page RFC on the min-waste chain rule of "
			 "6.3+; kernel=6.1 has no such posting");
		return -1;
	}
	if (g->mp_order && (g->page << g->mp_order) > ZPOOL_OBJ_SIZE_MAX) {
		snprintf(err, errlen,
			 "zsmalloc: mp=%u at page=%zu makes %zu KiB units; the port holds units of "
			 "up to %lu KiB",
			 g->mp_order, g->page, (g->page << g->mp_order) >> 10,
			 ZPOOL_OBJ_SIZE_MAX >> 10);
		return -1;
	}
	return 0;
}

static void *zs_create(const struct zpool_config *cfg, const struct zpool_evict_ops *ops, char *err,
		       size_t errlen)
{
	struct zs_pool *pool = calloc(1, sizeof(*pool));
	struct zs_class_desc *desc = NULL;
	unsigned int *slot_to_class = NULL;
	size_t huge[2];

	(void)ops; /* zsmalloc never evicts */
	if (!pool) {
		snprintf(err, errlen, "zsmalloc: out of memory");
		return NULL;
	}
	if (resolve_era(cfg, &pool->era, err, errlen)) {
		free(pool);
		return NULL;
	}
	pool->page_size = pool->era.geo.page;
	pool->page_shift = (unsigned int)__builtin_ctzl(pool->page_size);
	pool->max_size = zs_geo_max_size(&pool->era.geo);
	pool->obj_index_mask = pool->page_size - 1;
	pool->nslots = zs_geo_slots(&pool->era.geo);
	pool->ngroups = pool->era.legacy_groups ? 4 : ZS_GROUPS_MAX;
	desc = malloc(pool->nslots * sizeof(*desc));
	slot_to_class = malloc(pool->nslots * sizeof(*slot_to_class));
	pool->size_class = calloc(pool->nslots, sizeof(*pool->size_class));
	if (!desc || !slot_to_class || !pool->size_class)
		goto nomem;
	pool->nr_classes = zs_build_table(&pool->era.geo, desc, slot_to_class, huge);
	pool->huge_class_size = huge[0];
	pool->huge_class_size_mp = huge[1];
	for (int i = 0; i < pool->nr_classes; i++)
		if (desc[i].objs > pool->obj_index_mask)
			abort(); /* cannot happen: <= 16 pages of 32-byte objects is PAGE_SIZE / 2 */
	pool->classes = calloc(pool->nr_classes, sizeof(*pool->classes));
	pool->compact_buf = malloc(pool->max_size);
	pool->pp = pp_create_sized(0, pool->page_shift);
	if (!pool->classes || !pool->compact_buf || !pool->pp)
		goto nomem;
	for (int i = 0; i < pool->nr_classes; i++) {
		struct size_class *class = &pool->classes[i];

		zlock_init(&class->lock);
		for (int g = 0; g < ZS_GROUPS_MAX; g++)
			INIT_LIST_HEAD(&class->fullness_list[g]);
		class->size = desc[i].size;
		class->pages_per_zspage = desc[i].pages;
		class->objs_per_zspage = desc[i].objs;
		class->index = desc[i].index;
		class->huge = desc[i].huge;
		class->order = desc[i].order;
		class->block_shift = pool->page_shift + class->order;
		class->block_size = (size_t)1 << class->block_shift;
		class->base_pages = class->pages_per_zspage << class->order;
	}
	for (unsigned int i = 0; i < pool->nslots; i++)
		pool->size_class[i] = &pool->classes[slot_to_class[i]];
	free(desc);
	free(slot_to_class);
	pthread_rwlock_init(&pool->migrate_lock, NULL);
	ht_init(&pool->ht);
	return pool;
nomem:
	free(desc);
	free(slot_to_class);
	free(pool->size_class);
	free(pool->classes);
	free(pool->compact_buf);
	pp_destroy(pool->pp);
	free(pool);
	snprintf(err, errlen, "zsmalloc: cannot reserve pool memory");
	return NULL;
}

static void zs_destroy(void *p)
{
	struct zs_pool *pool = p;

	/* zspages still holding objects are the caller's leak; free their structs */
	for (int i = 0; i < pool->nr_classes; i++) {
		struct size_class *class = &pool->classes[i];

		for (int g = 0; g < ZS_GROUPS_MAX; g++) {
			struct list_head *pos, *tmp;

			list_for_each_safe(pos, tmp, &class->fullness_list[g])
				free(list_entry(pos, struct zspage, list));
		}
		zlock_destroy(&class->lock);
	}
	pp_destroy(pool->pp);
	ht_destroy(&pool->ht);
	pthread_rwlock_destroy(&pool->migrate_lock);
	free(pool->size_class);
	free(pool->classes);
	free(pool->compact_buf);
	free(pool);
}

static int zs_malloc(void *p, size_t size, unsigned long *handlep)
{
	struct zs_pool *pool = p;
	struct size_class *class;
	struct zspage *zspage;
	unsigned long handle, obj;

	if (!size)
		return -EINVAL;
	if (size > pool->max_size) /* ZS_MAX_ALLOC_SIZE */
		return -ENOSPC;
	handle = ht_alloc(&pool->ht);
	if (!handle)
		return -ENOMEM;
	class = pool->size_class[zs_geo_index(&pool->era.geo, size + ZS_HANDLE_SIZE)];

	zlock(&class->lock);
	zspage = find_get_zspage(pool, class);
	if (zspage) {
		obj = obj_malloc(pool, class, zspage, handle);
		fix_fullness_group(pool, class, zspage);
		record_obj(handle, obj);
		class->obj_used++;
		zunlock(&class->lock);
		*handlep = handle;
		return 0;
	}
	zunlock(&class->lock);

	/* no room: a whole new zspage, built without the class lock */
	zspage = alloc_zspage(pool, class);
	if (!zspage) {
		ht_free(&pool->ht, handle);
		return -ENOMEM;
	}
	zlock(&class->lock);
	obj = obj_malloc(pool, class, zspage, handle);
	insert_zspage(pool, class, zspage, fullness_group(pool, class, zspage));
	record_obj(handle, obj);
	__atomic_add_fetch(&pool->pages_allocated, class->base_pages, __ATOMIC_RELAXED);
	class->obj_allocated += class->objs_per_zspage;
	class->obj_used++;
	zunlock(&class->lock);
	*handlep = handle;
	return 0;
}

static void zs_free(void *p, unsigned long handle)
{
	struct zs_pool *pool = p;
	struct size_class *class;
	struct zspage *zspage;
	unsigned long obj;

	if (!handle)
		return;
	/* the pool lock keeps compaction from moving the object under us */
	pthread_rwlock_rdlock(&pool->migrate_lock);
	obj = handle_to_obj(handle);
	zspage = page_zspage(pool, obj_to_page(pool, obj));
	class = pool->size_class[zspage->class_idx];
	zlock(&class->lock);
	pthread_rwlock_unlock(&pool->migrate_lock);

	class->obj_used--;
	obj_free(pool, class, zspage, obj);
	if (fix_fullness_group(pool, class, zspage) == 0) {
		remove_zspage(class, zspage);
		free_zspage(pool, class, zspage);
	}
	zunlock(&class->lock);
	ht_free(&pool->ht, handle);
}

/* ------------------------------------------------------------------ */
/* map / unmap                                                          */

struct zs_mapping {
	struct zs_pool *pool; /* NULL: slot free */
	unsigned long handle;
	struct zspage *zspage;
	char *page0, *page1; /* page1 only for a straddling object */
	unsigned int off, size;
	unsigned int block; /* bytes of the zspage's pages (blocks, with mp) */
	enum zpool_mapmode mm;
	bool huge;
	unsigned char *buf; /* the copy buffer (malloc'd on first use, grown as needed) */
	size_t buflen;
};

static __thread struct zs_mapping zs_maps[ZS_MAP_NEST];
static pthread_key_t zs_buf_key; /* frees a thread's copy buffers when it exits */
static pthread_once_t zs_buf_once = PTHREAD_ONCE_INIT;

static void zs_bug(const char *what)
{
	fprintf(stderr, "zpoolbench: zsmalloc: %s\n", what);
	abort();
}

static void zs_buf_release(void *maps)
{
	struct zs_mapping *m = maps;

	for (int i = 0; i < ZS_MAP_NEST; i++) {
		free(m[i].buf);
		m[i].buf = NULL;
		m[i].buflen = 0;
	}
}

static void zs_buf_key_init(void)
{
	if (pthread_key_create(&zs_buf_key, zs_buf_release))
		zs_bug("cannot create the copy buffers' key");
}

/*
 * The copy buffer of mapping @m, at least @size bytes: the per-CPU vm_buf of
 * the kernel, one PAGE_SIZE each, here per thread and sized for the largest
 * page size a pool of this thread has used.
 */
static unsigned char *map_buf(struct zs_mapping *m, size_t size)
{
	if (m->buflen >= size)
		return m->buf;
	pthread_once(&zs_buf_once, zs_buf_key_init);
	free(m->buf);
	m->buf = aligned_alloc(16, (size + 15) & ~(size_t)15);
	if (!m->buf)
		zs_bug("out of memory for a map copy buffer");
	m->buflen = size;
	pthread_setspecific(zs_buf_key, zs_maps);
	return m->buf;
}

static void *zs_map(void *p, unsigned long handle, enum zpool_mapmode mm)
{
	struct zs_pool *pool = p;
	struct zs_mapping *m = NULL;
	struct size_class *class;
	unsigned long obj;
	unsigned int idx;
	char *ret;

	for (int i = 0; i < ZS_MAP_NEST; i++) {
		if (!zs_maps[i].pool) {
			m = &zs_maps[i];
			break;
		}
	}
	if (!m)
		zs_bug("more than 4 objects mapped at once by one thread");

	pthread_rwlock_rdlock(&pool->migrate_lock);
	obj = handle_to_obj(handle);
	m->page0 = obj_to_page(pool, obj);
	m->zspage = page_zspage(pool, m->page0);
	/* pins the zspage: compaction leaves it alone until unmap */
	__atomic_add_fetch(&m->zspage->mapped, 1, __ATOMIC_ACQUIRE);
	pthread_rwlock_unlock(&pool->migrate_lock);

	class = pool->size_class[m->zspage->class_idx];
	idx = obj_to_idx(pool, obj);
	m->pool = pool;
	m->handle = handle;
	m->mm = mm;
	m->size = class->size;
	m->huge = class->huge;
	m->off = ((unsigned long)idx * class->size) & (class->block_size - 1);
	m->block = (unsigned int)class->block_size;
	m->page1 = NULL;
	if (!obj_straddles(pool, class, m->off)) {
		ret = m->page0 + m->off;
	} else {
		unsigned int first = class->block_size - m->off;

		m->page1 = pp_page_addr(pool->pp, pp_desc(pool->pp, m->page0)->next);
		map_buf(m, pool->max_size);
		if (mm != ZPOOL_MM_WO) {
			memcpy(m->buf, m->page0 + m->off, first);
			memcpy(m->buf + first, m->page1, m->size - first);
			__atomic_add_fetch(&pool->copy_bytes, m->size, __ATOMIC_RELAXED);
		}
		ret = (char *)m->buf;
	}
	return m->huge ? ret : ret + ZS_HANDLE_SIZE;
}

static void zs_unmap(void *p, unsigned long handle)
{
	struct zs_pool *pool = p;
	struct zs_mapping *m = NULL;

	for (int i = ZS_MAP_NEST - 1; i >= 0; i--) {
		if (zs_maps[i].pool == pool && zs_maps[i].handle == handle) {
			m = &zs_maps[i];
			break;
		}
	}
	if (!m)
		zs_bug("unmap of an object that is not mapped by this thread");
	if (m->page1 && m->mm != ZPOOL_MM_RO) {
		/* copy back, but never the handle word */
		unsigned int skip = m->huge ? 0 : ZS_HANDLE_SIZE;
		unsigned int off = m->off + skip, len = m->size - skip;
		unsigned int first = m->block - off;

		memcpy(m->page0 + off, m->buf + skip, first);
		memcpy(m->page1, m->buf + skip + first, len - first);
		__atomic_add_fetch(&pool->copy_bytes, len, __ATOMIC_RELAXED);
	}
	__atomic_sub_fetch(&m->zspage->mapped, 1, __ATOMIC_RELEASE);
	m->pool = NULL;
}

/* ------------------------------------------------------------------ */
/* Compaction                                                           */

static uint64_t zs_can_compact(const struct size_class *class)
{
	uint64_t wasted;

	if (class->obj_allocated <= class->obj_used)
		return 0;
	wasted = (class->obj_allocated - class->obj_used) / class->objs_per_zspage;
	/* in pool pages: the multi-page RFC's own count is in blocks */
	return wasted * class->base_pages;
}

/* Take the head of the first non-empty group in [from..to] (either direction) off its list. */
static struct zspage *isolate_from(struct size_class *class, int from, int to)
{
	int step = from <= to ? 1 : -1;

	for (int fg = from;; fg += step) {
		if (!list_empty(&class->fullness_list[fg])) {
			struct zspage *z = list_first_entry(&class->fullness_list[fg],
							    struct zspage, list);

			remove_zspage(class, z);
			z->isolated = true;
			return z;
		}
		if (fg == to)
			return NULL;
	}
}

/* fullest partial first */
static struct zspage *isolate_dst(struct zs_pool *pool, struct size_class *class)
{
	return isolate_from(class, pool->ngroups - 2, 1);
}

/* emptiest partial first */
static struct zspage *isolate_src(struct zs_pool *pool, struct size_class *class)
{
	return isolate_from(class, 1, pool->ngroups - 2);
}

static unsigned int putback_zspage(struct zs_pool *pool, struct size_class *class,
				   struct zspage *zspage)
{
	unsigned int fg = fullness_group(pool, class, zspage);

	insert_zspage(pool, class, zspage, fg);
	return fg;
}

static bool zspage_pinned(struct zspage *zspage)
{
	return __atomic_load_n(&zspage->mapped, __ATOMIC_ACQUIRE) != 0;
}

/* Copy @len bytes of an object that may straddle from/to (page, off) pairs of @block bytes. */
static void obj_read(struct zs_pool *pool, size_t block, char *page, unsigned int off,
		     unsigned int len, char *dst)
{
	unsigned int first = off + len > block ? (unsigned int)(block - off) : len;

	memcpy(dst, page + off, first);
	if (first < len)
		memcpy(dst + first, pp_page_addr(pool->pp, pp_desc(pool->pp, page)->next),
		       len - first);
}

static void obj_write(struct zs_pool *pool, size_t block, char *page, unsigned int off,
		      unsigned int len, const char *src)
{
	unsigned int first = off + len > block ? (unsigned int)(block - off) : len;

	memcpy(page + off, src, first);
	if (first < len)
		memcpy(pp_page_addr(pool->pp, pp_desc(pool->pp, page)->next), src + first,
		       len - first);
}

/* Move one allocated object (handle @handle) from @src into @dst. */
static void move_object(struct zs_pool *pool, struct size_class *class, struct zspage *src,
			struct zspage *dst, unsigned long handle)
{
	unsigned long used_obj = handle_to_obj(handle), free_obj;
	size_t block = class->block_size;
	unsigned int soff = (obj_to_idx(pool, used_obj) * (unsigned long)class->size) & (block - 1);
	unsigned int doff;
	char *buf = pool->compact_buf; /* one compaction at a time */

	free_obj = obj_malloc(pool, class, dst, handle);
	doff = (obj_to_idx(pool, free_obj) * (unsigned long)class->size) & (block - 1);
	obj_read(pool, block, obj_to_page(pool, used_obj), soff, class->size, buf);
	obj_write(pool, block, obj_to_page(pool, free_obj), doff, class->size, buf);
	record_obj(handle, free_obj);
	obj_free(pool, class, src, used_obj);
	__atomic_add_fetch(&pool->moves, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&pool->move_bytes, class->size, __ATOMIC_RELAXED);
}

/*
 * The next allocated object of @src at or after (*page, *off): its handle,
 * with the position advanced past it; 0 when the zspage has no more.
 * Scans each page from its first_obj_offset in class-size steps.
 */
static unsigned long next_alloced(struct zs_pool *pool, struct size_class *class,
				  struct zpage **page, unsigned int *off)
{
	while (*page) {
		char *addr = pp_page_addr(pool->pp, *page);

		for (; *off < class->block_size; *off += class->size) {
			unsigned long word;

			if (class->huge)
				word = (*page)->private;
			else
				word = *(unsigned long *)(addr + *off);
			if (word & OBJ_ALLOCATED_TAG) {
				*off += class->size;
				return word & ~OBJ_ALLOCATED_TAG;
			}
		}
		*page = (*page)->next;
		*off = *page ? (*page)->offset : 0;
	}
	return 0;
}

/* Cursor over the objects of a source zspage. */
struct zs_cursor {
	struct zpage *page;
	unsigned int off;
};

static void cursor_init(struct zs_cursor *c, struct zspage *src)
{
	c->page = src->first;
	c->off = src->first->offset;
}

/*
 * Move objects of @src into @dst in slot order.  Current rule: stop when
 * @dst is full or @src empty.  Classic rule (@stop_on_full_before): stop
 * when @src has no more objects (returns true), or, finding another object,
 * when @dst is full (returns false).
 */
static bool migrate_zspage(struct zs_pool *pool, struct size_class *class, struct zspage *src,
			   struct zspage *dst, struct zs_cursor *cur, bool classic)
{
	for (;;) {
		struct zpage *page = cur->page;
		unsigned int off = cur->off;
		unsigned long handle = next_alloced(pool, class, &page, &off);

		if (!handle)
			return true;
		if (classic && zspage_full(class, dst))
			return false; /* the cursor stays before this object */
		cur->page = page;
		cur->off = off;
		move_object(pool, class, src, dst, handle);
		if (!classic && (zspage_full(class, dst) || src->inuse == 0))
			return src->inuse == 0;
	}
}

/* Linux 6.4+ compaction of one class.  Pool write lock and class lock held. */
static unsigned long compact_class_current(struct zs_pool *pool, struct size_class *class)
{
	struct zspage *src, *dst = NULL;
	unsigned long freed = 0;

	while (zs_can_compact(class)) {
		struct zs_cursor cur;

		if (!dst) {
			dst = isolate_dst(pool, class);
			if (!dst)
				break;
			if (zspage_pinned(dst))
				break;
		}
		src = isolate_src(pool, class);
		if (!src)
			break;
		if (zspage_pinned(src)) {
			putback_zspage(pool, class, src);
			break;
		}
		cursor_init(&cur, src);
		migrate_zspage(pool, class, src, dst, &cur, false);
		if (putback_zspage(pool, class, src) == 0) {
			remove_zspage(class, src);
			free_zspage(pool, class, src);
			freed += class->base_pages;
		}
		if (zspage_full(class, dst)) {
			putback_zspage(pool, class, dst);
			dst = NULL;
		}
	}
	if (dst)
		putback_zspage(pool, class, dst);
	return freed;
}

/* Linux <= 6.3 ("classic") compaction of one class.  Locks as above. */
static unsigned long compact_class_classic(struct zs_pool *pool, struct size_class *class)
{
	struct zspage *src, *dst = NULL;
	unsigned long freed = 0;

	while ((src = isolate_src(pool, class))) {
		struct zs_cursor cur;

		if (!zs_can_compact(class) || zspage_pinned(src))
			break;
		cursor_init(&cur, src);
		while ((dst = isolate_dst(pool, class))) {
			if (zspage_pinned(dst)) {
				putback_zspage(pool, class, dst);
				dst = NULL;
				break;
			}
			if (migrate_zspage(pool, class, src, dst, &cur, true))
				break; /* source exhausted; dst stays isolated */
			putback_zspage(pool, class, dst);
			dst = NULL;
		}
		if (!dst)
			break; /* nowhere to move to: src is put back below */
		putback_zspage(pool, class, dst);
		dst = NULL;
		if (putback_zspage(pool, class, src) == 0) {
			remove_zspage(class, src);
			free_zspage(pool, class, src);
			freed += class->base_pages;
		}
		src = NULL;
	}
	if (src)
		putback_zspage(pool, class, src);
	return freed;
}

static unsigned long zs_compact(void *p)
{
	struct zs_pool *pool = p;
	unsigned long freed = 0;

	/* one compaction at a time, as the kernel's compaction_in_progress */
	if (__atomic_exchange_n(&pool->compaction_in_progress, 1, __ATOMIC_ACQUIRE))
		return 0;
	for (int i = pool->nr_classes - 1; i >= 0; i--) {
		struct size_class *class = &pool->classes[i];

		pthread_rwlock_wrlock(&pool->migrate_lock);
		zlock(&class->lock);
		if (pool->era.classic_compact)
			freed += compact_class_classic(pool, class);
		else
			freed += compact_class_current(pool, class);
		zunlock(&class->lock);
		pthread_rwlock_unlock(&pool->migrate_lock);
	}
	__atomic_add_fetch(&pool->compactions, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&pool->compact_pages_freed, freed, __ATOMIC_RELAXED);
	__atomic_store_n(&pool->compaction_in_progress, 0, __ATOMIC_RELEASE);
	return freed;
}

/* ------------------------------------------------------------------ */
/* Statistics and introspection                                         */

static uint64_t zs_total_pages(void *p)
{
	struct zs_pool *pool = p;

	return __atomic_load_n(&pool->pages_allocated, __ATOMIC_RELAXED);
}

static void zs_stats(void *p, struct zpool_stats *st)
{
	struct zs_pool *pool = p;

	for (int i = 0; i < pool->nr_classes; i++) {
		struct size_class *class = &pool->classes[i];

		zlock(&class->lock);
		st->objects += class->obj_used;
		st->alloc_bytes += class->obj_used * class->size;
		st->straddling += class->straddling;
		zunlock(&class->lock);
	}
	zlock(&pool->ht.lock);
	st->metadata_bytes = pool->ht.nchunks * HT_CHUNK_SLOTS * sizeof(unsigned long);
	zunlock(&pool->ht.lock);
	st->metadata_bytes += __atomic_load_n(&pool->nr_zspages, __ATOMIC_RELAXED) *
			      sizeof(struct zspage);
	st->pool_pages = zs_total_pages(pool);
	st->peak_pages = pp_peak(pool->pp);
	st->compactions = __atomic_load_n(&pool->compactions, __ATOMIC_RELAXED);
	st->compact_pages_freed = __atomic_load_n(&pool->compact_pages_freed, __ATOMIC_RELAXED);
	st->moves = __atomic_load_n(&pool->moves, __ATOMIC_RELAXED);
	st->move_bytes = __atomic_load_n(&pool->move_bytes, __ATOMIC_RELAXED);
	st->copy_bytes = __atomic_load_n(&pool->copy_bytes, __ATOMIC_RELAXED);
}

static size_t zs_huge_size(void *p)
{
	return ((struct zs_pool *)p)->huge_class_size;
}

/* zs_huge_class_size(pool, ZSMALLOC_TYPE_MULTI_PAGES) for the pool's unit; 0 for others. */
static size_t zs_huge_size_unit(void *p, size_t unit)
{
	struct zs_pool *pool = p;

	return pool->era.geo.mp_order && unit == pool->max_size ? pool->huge_class_size_mp : 0;
}

static size_t zs_max_size(void *p)
{
	return ((struct zs_pool *)p)->max_size;
}

/* A table in the manner of debugfs zsmalloc/<pool>/classes. */
static void zs_class_stats(void *p, FILE *out)
{
	struct zs_pool *pool = p;
	static const char *const bucket_names[] = { "10%", "20%", "30%", "40%", "50%", "60%",
						    "70%", "80%", "90%", "99%", "100%" };
	uint64_t tot_alloc = 0, tot_used = 0, tot_pages = 0, tot_free = 0;
	uint64_t tot_group[ZS_GROUPS_MAX] = { 0 };
	bool legacy = pool->era.legacy_groups;

	fprintf(out, " class  size");
	if (legacy)
		fprintf(out, " almost_full almost_empty");
	else
		for (int g = 0; g < 11; g++)
			fprintf(out, " %9s", bucket_names[g]);
	fprintf(out, " obj_allocated   obj_used pages_used pages_per_zspage freeable\n");

	for (int i = 0; i < pool->nr_classes; i++) {
		struct size_class *class = &pool->classes[i];
		uint64_t group[ZS_GROUPS_MAX], alloc, used, pages, freeable;

		zlock(&class->lock);
		memcpy(group, class->group_count, sizeof(group));
		alloc = class->obj_allocated;
		used = class->obj_used;
		freeable = zs_can_compact(class);
		zunlock(&class->lock);
		pages = alloc / class->objs_per_zspage * class->base_pages;

		fprintf(out, " %5u %5u", class->index, class->size);
		if (legacy)
			fprintf(out, " %11" PRIu64 " %12" PRIu64, group[2], group[1]);
		else
			for (int g = 1; g < ZS_GROUPS_MAX; g++)
				fprintf(out, " %9" PRIu64, group[g]);
		fprintf(out, " %13" PRIu64 " %10" PRIu64 " %10" PRIu64 " %16u %8" PRIu64 "\n",
			alloc, used, pages, class->pages_per_zspage, freeable);
		for (int g = 0; g < ZS_GROUPS_MAX; g++)
			tot_group[g] += group[g];
		tot_alloc += alloc;
		tot_used += used;
		tot_pages += pages;
		tot_free += freeable;
	}
	fprintf(out, " Total      ");
	if (legacy)
		fprintf(out, " %11" PRIu64 " %12" PRIu64, tot_group[2], tot_group[1]);
	else
		for (int g = 1; g < ZS_GROUPS_MAX; g++)
			fprintf(out, " %9" PRIu64, tot_group[g]);
	fprintf(out, " %13" PRIu64 " %10" PRIu64 " %10" PRIu64 " %16s %8" PRIu64 "\n", tot_alloc,
		tot_used, tot_pages, "", tot_free);
}

static const char *rule_name(enum zs_chain_rule rule)
{
	switch (rule) {
	case ZS_CHAIN_MAX_USED:
		return "max-used, <= 6.2";
	case ZS_CHAIN_RFC2026:
		return "the 2026 RFC's, patch 2/2";
	case ZS_CHAIN_MIN_WASTE:
	default:
		return "min-waste, >= 6.3";
	}
}

/* The class table of the pool, as the pool built it (`zpoolbench list --table`). */
static void zs_size_table(void *p, FILE *out)
{
	struct zs_pool *pool = p;
	const struct zs_geometry *g = &pool->era.geo;
	unsigned int nbase = zs_geo_base_slots(g);

	if (strncmp(pool->era.preset, "rfc2026", 7))
		fprintf(out, "page %zu B: class step %u B (PAGE_SIZE >> %d), ", pool->page_size,
			g->delta, ZS_CLASS_BITS);
	else
		fprintf(out, "page %zu B: class step %u B (fixed: the 2026 RFC, CLASS_BITS 12), ",
			pool->page_size, g->delta);
	fprintf(out, "%u slots of 32..%zu B", nbase, pool->page_size);
	if (g->mp_order)
		fprintf(out, " + %u multi-page slots of %zu..%zu B in steps of %zu B (UNIT >> 8)",
			pool->nslots - nbase, pool->page_size, pool->max_size,
			pool->max_size >> ZS_CLASS_BITS);
	fprintf(out, ", %d distinct classes\n", pool->nr_classes);
	fprintf(out,
		"zspages of up to %u pages (%s rule); huge_class_size %zu B: a request of "
		"at least that much takes a page of its own\n",
		g->chain, rule_name(g->rule), pool->huge_class_size);
	if (g->mp_order)
		fprintf(out,
			"mp=%u (multi-page RFC v3, 2024-11-22): objects up to %zu B (a unit of "
			"%u pages); classes above %zu B are zspages of up to %u blocks of %u pages; "
			"multi-page huge_class_size %zu B: a compressed unit of at least that much "
			"takes a block of its own\n",
			g->mp_order, pool->max_size, 1U << g->mp_order, pool->page_size, g->chain,
			1U << g->mp_order, pool->huge_class_size_mp);
	fprintf(out, "%6s %6s %6s %6s %12s %s\n", "index", "size", "pages", "objs", "waste/zspage",
		"");
	for (int i = 0; i < pool->nr_classes; i++) {
		const struct size_class *c = &pool->classes[i];

		fprintf(out, "%6u %6u %6u %6u %12zu%s", c->index, c->size, c->base_pages,
			c->objs_per_zspage,
			c->base_pages * pool->page_size - (size_t)c->objs_per_zspage * c->size,
			c->huge ? " huge" : "");
		if (c->order)
			fprintf(out, " (%u block%s of %u pages)", c->pages_per_zspage,
				c->pages_per_zspage == 1 ? "" : "s", 1U << c->order);
		fputc('\n', out);
	}
}

uint64_t zs_pool_can_compact(void *p)
{
	struct zs_pool *pool = p;
	uint64_t n = 0;

	for (int i = 0; i < pool->nr_classes; i++) {
		zlock(&pool->classes[i].lock);
		n += zs_can_compact(&pool->classes[i]);
		zunlock(&pool->classes[i].lock);
	}
	return n;
}

int zs_pool_classes(void *p, struct zs_class_desc *out, int max)
{
	struct zs_pool *pool = p;

	for (int i = 0; i < pool->nr_classes && i < max; i++) {
		struct size_class *c = &pool->classes[i];

		out[i] = (struct zs_class_desc){ c->index,	     c->size, c->pages_per_zspage,
						 c->objs_per_zspage, c->huge, c->order };
	}
	return pool->nr_classes;
}

void zs_pool_geometry(void *p, struct zs_geometry *g)
{
	*g = ((struct zs_pool *)p)->era.geo;
}

/* Walk one zspage: free list, tags, straddlers; counts into the arguments. */
static int check_zspage(struct zs_pool *pool, struct size_class *class, struct zspage *zspage,
			unsigned int fg, uint64_t *straddling, char *err, size_t errlen)
{
	unsigned int objs = class->objs_per_zspage, nfree = 0, nalloc = 0;
	unsigned char seen[ZPOOL_PAGE_SIZE_MAX / 2]; /* objs <= 16 pages / 32 B = PAGE_SIZE / 2 */
	unsigned int idx = zspage->freeobj;
	struct zpage *d = zspage->first;

	if (zspage->fullness != fg || fullness_group(pool, class, zspage) != fg) {
		snprintf(err, errlen, "class %u: zspage in group %u should be in %u", class->size,
			 fg, fullness_group(pool, class, zspage));
		return -1;
	}
	for (unsigned int i = 0; i < class->pages_per_zspage; i++, d = d->next) {
		unsigned long start = (unsigned long)i * class->block_size;
		unsigned long first_idx = (start + class->size - 1) / class->size;

		if (!d || d->owner != zspage || d->offset != first_idx * class->size - start) {
			snprintf(err, errlen, "class %u: bad page descriptor %u", class->size, i);
			return -1;
		}
		for (unsigned int t = 1; t < 1U << class->order; t++) {
			char *tail = (char *)pp_page_addr(pool->pp, d) +
				     ((size_t)t << pool->page_shift);

			if (pp_desc(pool->pp, tail)->owner != zspage || !pp_owns(pool->pp, tail)) {
				snprintf(err, errlen, "class %u: bad tail page %u of block %u",
					 class->size, t, i);
				return -1;
			}
		}
	}
	if (d) {
		snprintf(err, errlen, "class %u: zspage chain too long", class->size);
		return -1;
	}
	memset(seen, 0, objs);
	for (unsigned int n = 0; n < objs - zspage->inuse; n++) {
		unsigned int off;
		char *page;

		if (idx >= objs || seen[idx]) {
			snprintf(err, errlen, "class %u: broken free list (index %u)", class->size,
				 idx);
			return -1;
		}
		seen[idx] = 1;
		nfree++;
		page = obj_location(pool, class, zspage, idx, &off);
		if (*(unsigned long *)(page + off) & OBJ_ALLOCATED_TAG) {
			snprintf(err, errlen, "class %u: free object %u is tagged", class->size,
				 idx);
			return -1;
		}
		idx = *(unsigned long *)(page + off) >> OBJ_TAG_BITS;
	}
	for (idx = 0; idx < objs; idx++) {
		unsigned int off;
		char *page = obj_location(pool, class, zspage, idx, &off);
		unsigned long word = class->huge ? zspage->first->private
						 : *(unsigned long *)(page + off);

		if (seen[idx])
			continue;
		nalloc++;
		if (!(word & OBJ_ALLOCATED_TAG) ||
		    handle_to_obj(word & ~OBJ_ALLOCATED_TAG) != location_to_obj(page, idx)) {
			snprintf(err, errlen, "class %u: object %u: handle does not point back",
				 class->size, idx);
			return -1;
		}
		if (obj_straddles(pool, class, off))
			(*straddling)++;
	}
	if (nalloc != zspage->inuse) {
		snprintf(err, errlen, "class %u: inuse %u but %u objects allocated", class->size,
			 zspage->inuse, nalloc);
		return -1;
	}
	return 0;
}

int zs_pool_check(void *p, char *err, size_t errlen)
{
	struct zs_pool *pool = p;
	uint64_t pages = 0, zspages = 0, objects = 0;
	int ret = 0;

	for (int i = 0; i < pool->nr_classes && !ret; i++) {
		struct size_class *class = &pool->classes[i];
		uint64_t alloc = 0, used = 0, straddling = 0;

		zlock(&class->lock);
		for (unsigned int g = 0; g < pool->ngroups && !ret; g++) {
			struct list_head *pos;
			uint64_t n = 0;

			list_for_each(pos, &class->fullness_list[g]) {
				struct zspage *z = list_entry(pos, struct zspage, list);

				if (check_zspage(pool, class, z, g, &straddling, err, errlen)) {
					ret = -1;
					break;
				}
				n++;
				alloc += class->objs_per_zspage;
				used += z->inuse;
			}
			if (!ret && (n != class->group_count[g] || (g == 0 && n))) {
				snprintf(err, errlen, "class %u: group %u count %lu, listed %lu",
					 class->size, g, (unsigned long)class->group_count[g],
					 (unsigned long)n);
				ret = -1;
			}
			zspages += n;
		}
		if (!ret && (alloc != class->obj_allocated || used != class->obj_used ||
			     straddling != class->straddling)) {
			snprintf(err, errlen,
				 "class %u: counters allocated %lu used %lu straddling %lu, "
				 "found %lu %lu %lu",
				 class->size, (unsigned long)class->obj_allocated,
				 (unsigned long)class->obj_used, (unsigned long)class->straddling,
				 (unsigned long)alloc, (unsigned long)used,
				 (unsigned long)straddling);
			ret = -1;
		}
		pages += alloc / class->objs_per_zspage * class->base_pages;
		objects += used;
		zunlock(&class->lock);
	}
	if (!ret && pages != zs_total_pages(pool)) {
		snprintf(err, errlen, "pages_allocated %lu but zspages hold %lu",
			 (unsigned long)zs_total_pages(pool), (unsigned long)pages);
		ret = -1;
	}
	if (!ret && pages != pp_pages(pool->pp)) {
		snprintf(err, errlen, "page provider has %lu pages, zspages %lu",
			 (unsigned long)pp_pages(pool->pp), (unsigned long)pages);
		ret = -1;
	}
	if (!ret && (zspages != pool->nr_zspages || objects != pool->ht.live)) {
		snprintf(err, errlen, "%lu zspages / %lu objects listed, counters %lu / %lu",
			 (unsigned long)zspages, (unsigned long)objects,
			 (unsigned long)pool->nr_zspages, (unsigned long)pool->ht.live);
		ret = -1;
	}
	return ret;
}

/* For the checker (check.h): the pool's pages, and where a slot's mapped bytes are. */
static struct page_provider *zs_provider(void *p)
{
	return ((struct zs_pool *)p)->pp;
}

/*
 * The object's bytes (handle word skipped) in object order, cut at page
 * boundaries: the checker wants every piece inside one pool page, and a
 * multi-page block is 2^N pages.
 */
static int zs_locate(void *p, unsigned long handle, struct zpool_extent *ext, int max)
{
	struct zs_pool *pool = p;
	struct size_class *class;
	unsigned long obj, rel, left;
	char *blk;
	int n = 0;

	pthread_rwlock_rdlock(&pool->migrate_lock);
	obj = handle_to_obj(handle);
	blk = obj_to_page(pool, obj);
	class = pool->size_class[page_zspage(pool, blk)->class_idx];
	rel = ((unsigned long)obj_to_idx(pool, obj) * class->size) & (class->block_size - 1);
	rel += class->huge ? 0 : ZS_HANDLE_SIZE;
	left = class->size - (class->huge ? 0 : ZS_HANDLE_SIZE);
	while (left) {
		unsigned long room, len;

		if (rel == class->block_size) {
			blk = pp_page_addr(pool->pp, pp_desc(pool->pp, blk)->next);
			rel = 0;
		}
		room = pool->page_size - (rel & (pool->page_size - 1));
		len = left < room ? left : room;
		if (n == max) {
			n = -1;
			break;
		}
		ext[n].addr = blk + rel;
		ext[n].len = len;
		n++;
		rel += len;
		left -= len;
	}
	pthread_rwlock_unlock(&pool->migrate_lock);
	return n;
}

static const struct zpool_driver zs_driver = {
	.name = "zsmalloc",
	.summary =
		"size classes of PAGE_SIZE/256 over zspages of 1..16 pages, compaction (Linux 3.14-)",
	.params = zs_params,
	.order = 30,
	.create = zs_create,
	.destroy = zs_destroy,
	.malloc = zs_malloc,
	.free = zs_free,
	.map = zs_map,
	.unmap = zs_unmap,
	.compact = zs_compact,
	.shrink = NULL,
	.total_pages = zs_total_pages,
	.stats = zs_stats,
	.huge_size = zs_huge_size,
	.max_size = zs_max_size,
	.huge_size_unit = zs_huge_size_unit,
	.class_stats = zs_class_stats,
	.size_table = zs_size_table,
	.provider = zs_provider,
	.locate = zs_locate,
	.check_specs = zs_check_specs,
};

ZPOOL_DRIVER_REGISTER(zs_driver)
