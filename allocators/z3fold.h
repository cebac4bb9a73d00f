/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * z3fold.h - introspection of the z3fold port, for its unit tests only.
 *
 * Nothing outside tests/unit/test_z3fold.c should include this: the
 * allocator is used through zpool.h like every other.  These calls take the
 * pool lock; the pool must be quiet (no concurrent operations, async work
 * flushed) for z3fold_debug_check() to be meaningful.
 */
#ifndef ZPB_Z3FOLD_H
#define ZPB_Z3FOLD_H

#include <stdbool.h>
#include <stddef.h>

#include "zpool.h"

/* positions of an object in its page (the kernel's enum buddy) */
enum z3fold_bud { Z3_HEADLESS = 0, Z3_FIRST, Z3_MIDDLE, Z3_LAST };

/* The header fields of one page, in chunks. */
struct z3fold_page_state {
	bool headless;
	unsigned int first, middle, last, start_middle;
	unsigned int first_num, foreign, mapped;
	int list; /* unbuddied list index it is on; -1 none, -2 buddied */
};

/* Page and position of the object behind @handle.  0, or -EINVAL. */
int z3fold_debug_locate(struct zpool *zp, unsigned long handle, void **page, int *bud);
/* The header of @page (as returned by z3fold_debug_locate). */
int z3fold_debug_page(struct zpool *zp, void *page, struct z3fold_page_state *st);
/*
 * Walk every page and check the invariants (see z3fold.c): pages_nr = pages
 * on the LRU, objects inside the page and disjoint, at most 3 per page, each
 * non-full page on the unbuddied list of its free-chunk count, full pages on
 * buddied (4.7) or no list (6.1).  0, or -1 with a message in @err.
 */
int z3fold_debug_check(struct zpool *zp, char *err, size_t errlen);
/* Wait until the async worker (async=1) has nothing queued. */
void z3fold_debug_flush(struct zpool *zp);

#endif /* ZPB_Z3FOLD_H */
