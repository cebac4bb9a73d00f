/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * grid.h - the parameter grids of `zpoolbench sweep`: shell-like brace
 * expansion of an allocator spec.
 *
 *	z3fold:compaction={none,middle},gap={1..3}
 *	-> z3fold:compaction=none,gap=1  z3fold:compaction=none,gap=2 ...  (6 specs)
 *
 * A brace holds a comma list of words or an integer range A..B (A <= B,
 * both 64-bit signed integers, at most GRID_RANGE_MAX values); braces do not
 * nest.  The expansion is the cartesian product, leftmost brace varying
 * slowest, at most @max strings of at most GRID_LINE_MAX - 1 characters each
 * (a string may be a whole comma list of specs: the caller splits it).
 */
#ifndef ZPB_GRID_H
#define ZPB_GRID_H

#include <stddef.h>

#include "zpool.h"

#define GRID_LINE_MAX 4096
#define GRID_RANGE_MAX 10001

/* The number of strings written to @out, or -1 with one line in @err. */
int grid_expand(const char *pattern, char (*out)[GRID_LINE_MAX], int max, char *err, size_t errlen);

#endif /* ZPB_GRID_H */
