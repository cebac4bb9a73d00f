/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * corpus_sample.h - seeded uniform samples of corpora.
 *
 * Each source contributes its share of the pages (N / sources, the first
 * N % sources sources one more), drawn uniformly without replacement from
 * all its pages by an independent generator per source, seeded by
 * sha256("SEED:SOURCE-SHA256") - so adding a source or reordering the
 * arguments does not change what another source contributes - and written
 * in the source's own page (address) order.  A contiguous slice would not
 * be representative (measured here: 3-9 % ratio error even at 50,000 pages).
 * A page is a page of the sources' size (all sources have the same): a
 * sample of 16 KiB corpora draws 16 KiB pages, whole.
 */
#ifndef ZPB_CORPUS_SAMPLE_H
#define ZPB_CORPUS_SAMPLE_H

#include <stdint.h>
#include <stdio.h>

#include "corpus/corpus.h"
#include "corpus/extents.h"

/*
 * Pick @k of @n page indexes for a source with the given sha256 into @out
 * (ascending).  0, or -1 if k > n or out of memory.
 */
int corpus_sample_pick(uint64_t seed, const char *source_sha256, uint64_t n, uint64_t k,
		       uint64_t *out);

/*
 * Write the pages @idx[0..k) (ascending) of @c to @out and into the digest
 * @s, reading the corpus as one stream.  With @src (the extents of @c) and
 * @dst, the addresses of the pages written are appended to @dst, a page of
 * address space S of @c in space @space_base + S (a source that is itself
 * a sample of several processes keeps them apart).  0, or -1 with one line
 * in @err.
 */
int corpus_sample_write(const struct corpus *c, const uint64_t *idx, uint64_t k, FILE *out,
			struct sha256 *s, const struct corpus_extents *src, uint32_t space_base,
			struct corpus_extents *dst, char *err, size_t errlen);

#endif /* ZPB_CORPUS_SAMPLE_H */
