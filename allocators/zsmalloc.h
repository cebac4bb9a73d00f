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

#define ZS_SIZE_CLASSES 255	/* class slots on 4 KiB pages: 32, 48, ... 4096 */
#define ZS_SIZE_CLASSES_MAX 257 /* on 16 and 64 KiB pages: 32, 32 + step, ... PAGE_SIZE */
#define ZS_MAX_CHAIN 16		/* largest CONFIG_ZSMALLOC_CHAIN_SIZE */

/* One distinct class as the pool builds it. */
struct zs_class_desc {
	unsigned int index; /* slot of the class (the largest slot mapped to it) */
	unsigned int size;  /* bytes per object, handle included */
	unsigned int pages; /* pages per zspage */
	unsigned int objs;  /* objects per zspage */
	bool huge;	    /* 1 page, 1 object: no in-object handle */
};

/*
 * The distinct classes for @chain pages at most, by the min-waste rule of
 * Linux >= 6.2 (@classic false) or the max-used% rule of Linux <= 6.1
 * (@classic true), smallest first.  Returns the count; @slot_to_class (if
 * not NULL, ZS_SIZE_CLASSES entries) receives for each slot the position in
 * @out of the class it maps to.  @huge_class_size: smallest request stored
 * in the huge class.
 */
int zs_build_class_table(unsigned int chain, bool classic, struct zs_class_desc *out,
			 unsigned int *slot_to_class, size_t *huge_class_size);
/*
 * The same for pages of @page bytes: class step @page >> 8 (CLASS_BITS),
 * zs_size_classes(@page) slots, objects up to @page; @out and @slot_to_class
 * need ZS_SIZE_CLASSES_MAX entries.
 */
int zs_build_class_table_page(size_t page, unsigned int chain, bool classic,
			      struct zs_class_desc *out, unsigned int *slot_to_class,
			      size_t *huge_class_size);
/* Class slots for @page: 255 for 4 KiB, 257 for 16 and 64 KiB. */
unsigned int zs_size_classes(size_t page);

/* Slot for an object of @size bytes (handle included), as zs_malloc uses it. */
unsigned int zs_size_class_index(size_t size);
unsigned int zs_size_class_index_page(size_t page, size_t size);

/* Σ over classes of zs_can_compact(): pages a compaction would free now. */
uint64_t zs_pool_can_compact(void *pool);

/* Check every list, counter and free list of the pool; 0 or -1 with a message. */
int zs_pool_check(void *pool, char *err, size_t errlen);

/* Number of distinct classes of the pool and the description of class @i. */
int zs_pool_classes(void *pool, struct zs_class_desc *out, int max);

#endif /* ZPB_ZSMALLOC_H */
