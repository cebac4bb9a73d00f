/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * grid.h - the parameter grids of `zpoolbench sweep`: shell-like brace
 * expansion of an allocator spec.
 *
 *	z3fold:compaction={none,middle},gap={1..3}
 *	-> z3fold:compaction=none,gap=1  z3fold:compaction=none,gap=2 ...  (6 specs)
 *
 * A brace holds a comma list of words or an integer range A..B (A <= B);
 * braces do not nest.  The expansion is the cartesian product, leftmost
 * brace varying slowest.
 */
#ifndef ZPB_GRID_H
#define ZPB_GRID_H

#include <stddef.h>

#include "zpool.h"

/* The number of strings written to @out, or -1 with one line in @err. */
int grid_expand(const char *pattern, char (*out)[ZPOOL_SPEC_MAX], int max, char *err,
		size_t errlen);

#endif /* ZPB_GRID_H */
