/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * extents.h - where the pages of a corpus were: address extents.
 *
 * A snapshot knows the virtual address of every page it takes; 16 KiB pages
 * can only be built from 4 KiB ones with that knowledge (corpus.h,
 * regroup.h).  The manifest keeps it as a list of extents, in the order of
 * the pages in the file:
 *
 *	"address_extents": [[SPACE, ADDRESS, PAGES], ...]
 *
 * each a run of PAGES pages (of the corpus's page size) at ADDRESS,
 * ADDRESS + page_size, ... of address space SPACE: 0 for the one process of
 * a snapshot; in a sample, the index of the source in "sources" (two
 * processes' addresses are never contiguous, however close their numbers).
 * The extents cover every page exactly once, in file order; an address is a
 * multiple of the page size and below 2^63 (user space on every
 * architecture).  A page may appear twice (a swap capture sees a page every
 * time it is swapped out).  Adjacent extents are merged when written.
 *
 * A manifest without the key is a corpus whose addresses are not known.
 */
#ifndef ZPB_EXTENTS_H
#define ZPB_EXTENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"

#define EXTENTS_KEY "address_extents"

struct corpus_extent {
	uint32_t space;
	uint64_t addr;
	uint64_t pages;
};

struct corpus_extents {
	struct corpus_extent *v;
	size_t n, cap;
	uint32_t page_size;
	uint64_t pages; /* sum of v[].pages */
};

void extents_init(struct corpus_extents *e, uint32_t page_size);
void extents_free(struct corpus_extents *e);
/* Append @pages pages at @addr of @space, merged into the last extent when they continue it. */
int extents_add(struct corpus_extents *e, uint32_t space, uint64_t addr, uint64_t pages);

/*
 * The extents of a parsed manifest @m for @pages pages of @page_size bytes:
 * 1 if it has none, 0 with @e filled (free it), or -1 with "MPATH:
 * address_extents: problem" in @err.
 */
int extents_from_manifest(const struct json_t *m, const char *mpath, uint32_t page_size,
			  uint64_t pages, struct corpus_extents *e, char *err, size_t errlen);
/* "address_extents": [...] into a manifest being written, one extent a line. */
void extents_write(struct jw *w, const struct corpus_extents *e);
/* Does manifest @m (or NULL) have address extents? */
bool extents_present(const struct json_t *m);
/* @m as a value, without its address extents (a source's manifest embedded in another). */
void extents_write_manifest_without(struct jw *w, const struct json_t *m);

/* Walking the pages in file order: the space and address of the next one. */
struct extents_cursor {
	const struct corpus_extents *e;
	size_t k;
	uint64_t off;
};
void extents_cursor_init(struct extents_cursor *cur, const struct corpus_extents *e);
/* false after the last page */
bool extents_next(struct extents_cursor *cur, uint32_t *space, uint64_t *addr);

#endif /* ZPB_EXTENTS_H */
