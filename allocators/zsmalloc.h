/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zsmalloc.h - what the zsmalloc port exposes beyond the zpool interface:
 * its class table (computed exactly as the pool builds it) and a few
 * introspection calls the unit tests use to check invariants and the
 * compaction prediction.  Nothing in bench/ needs this header.
 */
#ifndef ZPB_ZSMALLOC_H
#define ZPB_ZSMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZS_SIZE_CLASSES 255 /* class slots on 4 KiB pages: 32, 48, ... 4096 */
/*
 * Most class slots of any pool: 4095 for the 2026 RFC's 16-byte step on
 * 64 KiB pages (CLASS_BITS 12); 257 + 241 with mp=4 on 16 KiB pages.
 */
#define ZS_SIZE_CLASSES_MAX 4096
#define ZS_MAX_CHAIN 16	  /* largest CONFIG_ZSMALLOC_CHAIN_SIZE */
#define ZS_MP_ORDER_MAX 4 /* mp=N: units of 2^N pages, up to 64 KiB */

/* How pages (or blocks) per zspage are chosen. */
enum zs_chain_rule {
	ZS_CHAIN_MIN_WASTE, /* Linux >= 6.3: least (k * block) % size, first minimum */
	ZS_CHAIN_MAX_USED,  /* Linux <= 6.2: highest integer used%, smallest k */
	ZS_CHAIN_RFC2026,   /* the January 2026 RFC, patch 2/2 (docs/zsmalloc.md) */
};

/* Everything the class table depends on. */
struct zs_geometry {
	size_t page;	    /* PAGE_SIZE */
	unsigned int chain; /* most pages (blocks, for multi-page classes) per zspage */
	enum zs_chain_rule rule;
	unsigned int delta;    /* class step of the page range: page >> 8, or 16 (RFC 2026) */
	unsigned int mp_order; /* 0, or N of the multi-page RFC: classes up to page << N */
	bool no_merge;	       /* merge=0: every slot its own class (Linux < 3.18) */
};

/* One distinct class as the pool builds it. */
struct zs_class_desc {
	unsigned int index; /* slot of the class (the largest slot mapped to it) */
	unsigned int size;  /* bytes per object, handle included */
	unsigned int pages; /* pages per zspage; blocks of 2^order pages if order > 0 */
	unsigned int objs;  /* objects per zspage */
	bool huge;	    /* 1 page (block), 1 object: no in-object handle */
	unsigned int order; /* 0, or the multi-page order: the zspage is made of blocks */
};

/* Slots of @g (both ranges), the page range's alone, and the largest object. */
unsigned int zs_geo_slots(const struct zs_geometry *g);
unsigned int zs_geo_base_slots(const struct zs_geometry *g);
size_t zs_geo_max_size(const struct zs_geometry *g);
/* Slot for a request of @size bytes, handle included, as zs_malloc looks it up. */
unsigned int zs_geo_index(const struct zs_geometry *g, size_t size);
/*
 * The distinct classes of @g, smallest first; returns the count.  @out and
 * @slot_to_class (if not NULL) need zs_geo_slots(@g) entries; each slot
 * receives the position in @out of the class it maps to.  @huge (if not
 * NULL) receives huge_class_size of the page range ([0]) and of the
 * multi-page range ([1], 0 without mp).
 */
int zs_build_table(const struct zs_geometry *g, struct zs_class_desc *out,
		   unsigned int *slot_to_class, size_t huge[2]);
/* Pages (blocks of @block bytes) per zspage for @size by @rule, at most @chain. */
unsigned int zs_chain_size(enum zs_chain_rule rule, size_t block, unsigned int size,
			   unsigned int chain);

/*
 * The merged 4 KiB tables for @chain pages at most, by the min-waste rule
 * of Linux >= 6.3 (@classic false) or the max-used% rule of Linux <= 6.2
 * (@classic true), smallest first.  Returns the count; @slot_to_class (if
 * not NULL, ZS_SIZE_CLASSES entries) receives for each slot the position in
 * @out of the class it maps to.  @huge_class_size: smallest request stored
 * in the huge class.
 */
int zs_build_class_table(unsigned int chain, bool classic, struct zs_class_desc *out,
			 unsigned int *slot_to_class, size_t *huge_class_size);
/*
 * The same for pages of @page bytes: class step @page >> 8 (CLASS_BITS),
 * zs_size_classes(@page) slots, objects up to @page.
 */
int zs_build_class_table_page(size_t page, unsigned int chain, bool classic,
			      struct zs_class_desc *out, unsigned int *slot_to_class,
			      size_t *huge_class_size);
/* Class slots for @page with the merged step: 255 for 4 KiB, 257 for 16 and 64 KiB. */
unsigned int zs_size_classes(size_t page);

/* Slot for an object of @size bytes (handle included), merged step, as zs_malloc uses it. */
unsigned int zs_size_class_index(size_t size);
unsigned int zs_size_class_index_page(size_t page, size_t size);

/* Σ over classes of zs_can_compact(): pages a compaction would free now. */
uint64_t zs_pool_can_compact(void *pool);

/* Check every list, counter and free list of the pool; 0 or -1 with a message. */
int zs_pool_check(void *pool, char *err, size_t errlen);

/* Number of distinct classes of the pool and the description of class @i. */
int zs_pool_classes(void *pool, struct zs_class_desc *out, int max);
/* The geometry the pool was built with. */
void zs_pool_geometry(void *pool, struct zs_geometry *g);

#endif /* ZPB_ZSMALLOC_H */
