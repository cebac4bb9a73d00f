/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * opseq.h - operation sequences on a checked pool, decoded from bytes.
 *
 * The ops fuzzers feed it the fuzzer's input; the soak run feeds it a PRNG.
 * Every operation goes through the checker (allocators/check.h), which
 * aborts on the first violation.  Encoding, each field little-endian:
 *
 *	u16 selector      which operation, by the thresholds of struct opmix
 *	malloc            u16 size, taken modulo page size + 2 (0 and page + 1
 *	                  included: modulo 4098 at 4 KiB); on 64 KiB pages one
 *	                  more u8 whose bit 0 is bit 16 of the size; for a pool
 *	                  taking objects above a page (zsmalloc:mp) always that
 *	                  u8, and if its bit 1 is set the modulus is the largest
 *	                  object + 2 instead
 *	free              u16 index of the live object (modulo their number)
 *	access            u16 index, u8 mode (RW, RO, WO modulo 3)
 *	compact           -
 *	shrink            u8 pages (1 + modulo 8)
 *	limit             u8: odd lifts the page limit, even sets it to the pages
 *	                  held now + (u8 / 2 modulo 8)
 *	evict-fail        u8: every (modulo 4)-th eviction fails, 0 none
 *
 * A malloc with the live set full becomes a free.  Input that ends mid-field
 * reads as zeros.
 */
#ifndef ZPB_OPSEQ_H
#define ZPB_OPSEQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"

/* Cumulative thresholds out of 65536: op = first whose threshold > selector. */
struct opmix {
	uint16_t malloc, free, access, compact, shrink, limit;
	/* the rest: evict-fail */
};

extern const struct opmix opmix_fuzz; /* every op often */
extern const struct opmix opmix_soak; /* compaction and reclaim rare */

struct opsrc {
	const uint8_t *p;
	size_t n;
	bool random; /* bytes from rng instead of p */
	uint64_t rng;
};

/*
 * Run operations until the bytes run out (or @max_ops, if non-zero), keeping
 * at most @max_live objects.  Returns the number of operations run.
 */
uint64_t opseq_run(struct zcheck *zc, struct opsrc *src, const struct opmix *mix, uint64_t max_ops,
		   size_t max_live);

#endif /* ZPB_OPSEQ_H */
