/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pagesizes.h - the same data at two page sizes: when a run reads a corpus
 * as pages of several sizes (`run --page 4K,16K` on a corpus of 16 KiB
 * pages: the 16 KiB pages are the 4 KiB ones grouped), each allocator's
 * figures at the smallest page size against each larger one.
 *
 * For every corpus and codec run at two page sizes, one line per
 * allocator (the spec without page=): density after fill and after churn
 * (compressed bytes / pool + metadata bytes: how well the allocator packs
 * what the codec gives it), effective ratio (original bytes / pool +
 * metadata bytes: what the memory holds, the codec's gain included) and
 * throughput, each at both sizes with the change; then the allocator whose
 * density falls most, and the codec's own gain (compressed bytes of the
 * larger pages against the smaller).
 */
#ifndef ZPB_PAGESIZES_H
#define ZPB_PAGESIZES_H

#include <stdbool.h>
#include <stdio.h>

#include "driver/run.h"

/* True if @res holds a corpus and codec run at two page sizes. */
bool pagesizes_present(const struct run_results *res);
/* The comparison as text or (@md) Markdown; nothing if there is none. */
void report_pagesizes(FILE *f, const struct run_results *res, bool md);

#endif /* ZPB_PAGESIZES_H */
