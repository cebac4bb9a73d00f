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
 * A page may also be anywhere in the file: a swap capture writes pages in
 * the order reclaim swapped them, nearly one extent a page.  More than
 * EXTENTS_INLINE_MAX extents go to a file beside the manifest instead,
 * NAME.extents, named in the manifest with its sha256:
 *
 *	"address_extents_file": "NAME.extents",
 *	"address_extents_sha256": "<of the file>", "address_extents_count": N
 *
 * a text file: the line "# zpoolbench address extents v1", then one extent
 * "SPACE ADDRESS PAGES" a line.  A manifest stays small (corpus.h reads at
 * most 1 MiB of it) whatever the corpus.
 *
 * A manifest without either key is a corpus whose addresses are not known.
 */
#ifndef ZPB_EXTENTS_H
#define ZPB_EXTENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"

#define EXTENTS_KEY "address_extents"
#define EXTENTS_FILE_KEY "address_extents_file"
#define EXTENTS_SHA_KEY "address_extents_sha256"
#define EXTENTS_COUNT_KEY "address_extents_count"
#define EXTENTS_HEADER "# zpoolbench address extents v1"
#define EXTENTS_INLINE_MAX 16384

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
	/* set by extents_save(): they are in this file beside the manifest */
	char file[4096];
	char file_sha256[65];
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
/*
 * Before the manifest @mpath is written: more than EXTENTS_INLINE_MAX
 * extents go to the file beside it (MPATH without .json, .extents), written
 * whole or not at all.  0, or -1 with a message printed.
 */
int extents_save(struct corpus_extents *e, const char *mpath);
/*
 * Into a manifest being written: "address_extents": [...], one extent a
 * line, or after extents_save() wrote them to a file, the keys naming it.
 */
void extents_write(struct jw *w, const struct corpus_extents *e);
/* Does manifest @m (or NULL) have address extents? */
bool extents_present(const struct json_t *m);
/* The keys of the extents in a manifest (NULL-terminated), for copies that leave them out. */
extern const char *const extents_keys[];
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
