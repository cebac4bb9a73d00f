/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * speccheck.h - the inputs of a run or sweep checked before any work
 * starts: every allocator setting (a spec the parser accepts can still be
 * refused when the pool is created, z3fold: gap= without
 * compaction=gated, and a sweep must not fail on its 30th setting after
 * minutes of work), and the corpora's names (results rows are keyed by
 * them: two corpora named alike would be indistinguishable).
 */
#ifndef ZPB_SPECCHECK_H
#define ZPB_SPECCHECK_H

#include <stddef.h>

#include "zpool.h"

/* Create and destroy a pool of each of @specs[0..n): 0, or -1 with the allocator's message. */
int spec_check_all(char (*specs)[ZPOOL_SPEC_MAX], int n, char *err, size_t errlen);

/*
 * The name a corpus path gets in the results (the file name without
 * .pages / .pages.zst, as corpus.c names it); -1 with a message in @err
 * when two of @paths get the same one.
 */
int corpus_names_check(const char *const *paths, int n, char *err, size_t errlen);

#endif /* ZPB_SPECCHECK_H */
