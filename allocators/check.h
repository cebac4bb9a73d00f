/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * check.h - the overlap and integrity checker: a zpool with a shadow.
 *
 * A checked pool wraps any allocator behind the zpool interface and keeps,
 * beside it, what the allocator should hold:
 *
 *  - a record per live object: its handle, its size, the seed of the
 *    pattern it was filled with, and where its bytes really are (one piece,
 *    or more when the driver's locate() says the object straddles pages);
 *  - a shadow map of pool memory: one bit per byte of every page that holds
 *    a live object, set while an object covers the byte.
 *
 * and asserts, after every operation it forwards:
 *
 *  - no two live objects ever overlap (a new object must find its bits clear);
 *  - every piece of an object lies inside one page that the allocator's page
 *    provider has handed out now (pp_owns), so nothing lives in a freed page,
 *    in a header or outside the pool; with a provider, guard mode is switched
 *    on so that an allocator touching a page after freeing it faults;
 *  - the bytes of every object are the pattern last written: checked through
 *    map() and, with locate(), at the object's real location, on every access,
 *    on every eviction, and for EVERY live object after each compaction,
 *    reclaim (shrink) and any operation after which the allocator's stats
 *    report a move or a compaction (in-page compaction, migration);
 *  - the return conventions of zpool.h: -EINVAL for size 0, a refusal by
 *    size is final (a size refused once is always refused, one accepted once
 *    is never refused), nothing above zpool_max_size() accepted, -ENOMEM
 *    only under a page limit, no handle 0, no handle handed out twice;
 *  - the accounting: stats.objects equals the live records, total_pages()
 *    equals stats.pool_pages and the pages held from the provider, every
 *    eviction the front end saw is counted, evict() is only called from
 *    shrink(), and a pool with no live object holds no page from its
 *    provider after compact() (a leak otherwise).
 *
 * What an allocator must provide beyond the basic ops: nothing, but without
 * the optional provider() op the page checks are skipped, and an allocator
 * whose map() may return a copy (zsmalloc) must implement locate().  Moves
 * must be counted in stats.moves (or compactions), or the shadow goes stale.
 *
 * An allocator that moves objects or frees pages from a worker thread
 * (z3fold:async=1) changes the pool under the checker: a check that finds a
 * problem is run again until it passes, and the problem is reported only if
 * it persists three times in a row with no move counted in between.
 *
 * A violation prints "zcheck: SPEC: problem" on stderr and aborts (what a
 * fuzzer or a soak run wants); with zcheck_set_fatal(zc, false) the call
 * returns with zcheck_failed() true and the message in zcheck_error().
 * Not thread-safe: one thread per checked pool.
 */
#ifndef ZPB_CHECK_H
#define ZPB_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zpool.h"

/*
 * Pieces of one object: a 64 KiB object of zsmalloc:mp=4 straddling two
 * blocks covers 17 pages of 4 KiB.
 */
#define ZCHECK_MAX_PIECES 18

/* zcheck_create() flags */
#define ZCHECK_GUARD 1 /* guard mode on the provider: freed pages inaccessible */

struct zcheck;

/* A checked pool for @spec, or NULL with one line in @err. */
struct zcheck *zcheck_create(const char *spec, unsigned int flags, char *err, size_t errlen);
/* The same for a driver that is not registered (tests of the checker itself). */
struct zcheck *zcheck_create_driver(const struct zpool_driver *drv, unsigned int flags, char *err,
				    size_t errlen);
/*
 * Verify everything, free every live object, compact, check that no page is
 * left, destroy.  0, or -1 after a violation (non-fatal mode).
 */
int zcheck_destroy(struct zcheck *zc);
/* The same without the destroy: the pool stays, empty, for its figures. */
int zcheck_drain(struct zcheck *zc);

/* The allocator's return code; the object is filled with a fresh pattern. */
int zcheck_malloc(struct zcheck *zc, size_t size, unsigned long *handle);
/* Verify the content, then free.  @handle must be live. */
void zcheck_free(struct zcheck *zc, unsigned long handle);
/* map in @mm, verify (RO, RW), write a fresh pattern (WO, RW), unmap, re-check. */
void zcheck_access(struct zcheck *zc, unsigned long handle, enum zpool_mapmode mm);
unsigned long zcheck_compact(struct zcheck *zc);
/* zpool_shrink() with the checker as the front end's evict callback. */
int zcheck_shrink(struct zcheck *zc, unsigned int pages, unsigned int *reclaimed);
/* Every @every-th eviction fails with -EAGAIN (0: none fails). */
void zcheck_set_evict_fail(struct zcheck *zc, unsigned int every);
/* Page limit of the provider (0: none); false if the allocator has no provider. */
bool zcheck_set_limit(struct zcheck *zc, uint64_t pages);
/* Full check: re-locate every object, overlap, pages, contents, accounting. */
void zcheck_verify(struct zcheck *zc);

struct zpool *zcheck_pool(struct zcheck *zc);
size_t zcheck_live(const struct zcheck *zc);
/* Handle of the @i-th live object, 0 <= @i < zcheck_live(). */
unsigned long zcheck_handle(const struct zcheck *zc, size_t i);
uint64_t zcheck_ops(const struct zcheck *zc); /* operations checked so far */

void zcheck_set_fatal(struct zcheck *zc, bool fatal);
bool zcheck_failed(const struct zcheck *zc);
const char *zcheck_error(const struct zcheck *zc);

/*
 * The specs every allocator should be checked with, derived from the
 * registered drivers' parameter tables, so that a new allocator or key is
 * picked up without editing any list: each driver's bare name, then for
 * every key each non-default word, or the minimum and maximum of an integer
 * range; a value the allocator refuses alone (a key that applies only with
 * another) is paired with the first other key's value that makes it work;
 * and each non-default preset (kernel= or table=) at each non-default page
 * size (page=); then the driver's own check_specs.  Drivers with no
 * create() (parser tests) are left out.  Returns the number written (at
 * most @max); ZCHECK_SPECS_MAX holds them all.
 */
int zcheck_specs(char (*out)[ZPOOL_SPEC_MAX], int max);
#define ZCHECK_SPECS_MAX 128

#endif /* ZPB_CHECK_H */
