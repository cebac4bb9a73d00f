/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zblock.h - introspection of the zblock port, for its unit tests only; the
 * allocator is used through zpool.h like every other.
 */
#ifndef ZPB_ZBLOCK_H
#define ZPB_ZBLOCK_H

#include <stdint.h>

#include "zpool.h"

/* One block type of a pool's table. */
struct zblock_type_info {
	unsigned int slot_size, slots, pages;
	uint64_t blocks; /* held now */
};

/* The pool's table into @out (up to @max entries); returns the number of types. */
int zblock_debug_types(struct zpool *zp, struct zblock_type_info *out, int max);
/* Block, type and slot of a live handle.  0, or -EINVAL for another allocator. */
int zblock_debug_locate(struct zpool *zp, unsigned long handle, void **block, unsigned int *type,
			unsigned int *slot);
/* The active list of @type, head first, into @blocks (up to @max); returns its length. */
int zblock_debug_active(struct zpool *zp, unsigned int type, void **blocks, int max);
/* Check every list, bitmap and count; 0, or -1 with a message in @err. */
int zblock_debug_check(struct zpool *zp, char *err, size_t errlen);

#endif /* ZPB_ZBLOCK_H */
