/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slack.h - how much of a pool can be partly filled units: an estimate of
 * when a corpus is too small for an allocator comparison.
 *
 * An allocator that groups objects by size class keeps, per class in use,
 * at most one partly filled unit (a zsmalloc zspage of up to `chain`
 * pages) in a freshly filled pool.  With few objects these units are a
 * large part of the pool and rankings can reverse on larger pools (6,000
 * pages: zsmalloc chain 4 > 8 > 16 in density; 81,000: 8 > 16 > 4).  The
 * classes and unit sizes are learnt through the zpool interface alone:
 * one object of each size in an empty pool (alloc_bytes tells the class,
 * the pool's page count the unit).
 */
#ifndef ZPB_SLACK_H
#define ZPB_SLACK_H

#include <stdbool.h>
#include <stdint.h>

#include "driver/run.h"

struct slack {
	int classes;	/* size classes holding objects */
	uint64_t pages; /* sum of one unit's pages over those classes */
};

/*
 * The estimate for @spec and the compressed sizes @sz (of the pool's page
 * size); with @zram a size at or above the allocator's huge size is stored
 * as a whole page.
 * Classes whose unit holds a single object cannot be partly filled and do
 * not count.  0, or -1 when the allocator has no size classes worth the
 * name (ideal, malloc) or cannot be created.
 */
int slack_estimate(const char *spec, const struct run_sizes *sz, bool zram, struct slack *out);

#endif /* ZPB_SLACK_H */
