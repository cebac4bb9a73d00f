/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * regroup.h - a corpus with another page size: 16 KiB pages built from the
 * 4 KiB pages of a snapshot that kept their addresses, or 4 KiB pages cut
 * from 16 KiB ones.
 *
 * Grouping (to a larger page size P from pages of size p, f = P / p):
 * a P-byte page is the f pages of one address space at A, A + p, ...,
 * A + P - p, with A a multiple of P, all of them in the corpus: what a
 * kernel with P-byte pages holds in one page where the f pages were
 * resident.  Such a group is kept whole; an aligned group of which only
 * some pages are in the corpus is left out (counted), because the pages
 * that are missing were not resident (untouched, or never written) and
 * what a P-byte kernel would hold there cannot be told from the snapshot
 * (zeros where they were untouched, file data where a private file
 * mapping was never written).  A page seen twice at one address (a swap
 * capture sees a page each time it is swapped out) counts once, in its
 * first copy.  The groups come out in the order of their first page in the
 * input, and each keeps its address: the output is a corpus with address
 * extents again, and grouping it further works the same way.
 *
 * Splitting (to a smaller page size) needs no addresses: the bytes stay
 * as they are (the sha256 is the same), each page becomes f pages, and
 * the extents, if any, follow.
 */
#ifndef ZPB_REGROUP_H
#define ZPB_REGROUP_H

#include <stdint.h>
#include <stdio.h>

#include "corpus/corpus.h"
#include "corpus/extents.h"

struct regroup_result {
	uint32_t from_page, to_page;
	uint64_t pages;	     /* written, of to_page bytes */
	uint64_t grouped;    /* input pages that went into them (grouping) */
	uint64_t duplicates; /* input pages at an address seen before (grouping) */
	uint64_t partial;    /* input pages in aligned groups that are not complete */
	uint64_t partial_groups;
	char sha256[65];
	struct corpus_extents ext; /* of the output (empty if the input had none); free it */
};

/*
 * Write @c as pages of @page bytes to @out.  0, or -1 with one line in
 * @err (the same page size, a page size that is not valid, no addresses to
 * group by, no complete group at all, I/O, memory).
 */
int corpus_regroup(const struct corpus *c, uint32_t page, FILE *out, struct regroup_result *r,
		   char *err, size_t errlen);

#endif /* ZPB_REGROUP_H */
