/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pageset.h - a corpus compressed once with one codec, kept for the run.
 *
 * Every page is tested for same-filled content and compressed exactly once
 * (on all cores), read from the corpus as a stream through the corpus's one
 * descriptor and hashed as it is read; the compressed bytes go to the
 * compression cache file (ccache.h), which later runs reuse, and only a
 * record per page stays in memory (20 bytes): the compressed length, the
 * time the compression took, the same-filled flag and the XXH3-64 of the
 * original page.  Nothing else of the corpus is kept: the workloads read a
 * page's compressed bytes with pread into a per-thread buffer, get the
 * original page back by decompressing them (zram's huge pages, stored raw),
 * and check every load against the record's sum, so memory does not grow
 * with the corpus: a run over a million pages holds the pool, its metadata
 * and a few dozen MiB.  Same-filled pages are compressed too: the `none`
 * front end stores them like any other page.
 *
 * The cache cannot lie: the corpus is read again for every codec, hashed,
 * and its sha256 compared with the corpus's (the cache key) before the page
 * set is handed out; a cache entry is used only after every one of its
 * pages decompressed to the corpus page read now.  Any problem with the
 * cache (corrupt, truncated, of another corpus, a directory or a FIFO at its
 * path, a name too long, an unwritable folder, a full disk) means one line
 * on stderr and a run without it, never a failed or a wrong run.  A corpus
 * that changes while it is read fails the run (nothing is reported on it).
 */
#ifndef ZPB_PAGESET_H
#define ZPB_PAGESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "driver/ccache.h"
#include "driver/codec.h"
#include "corpus/corpus.h"

struct pageset {
	const struct corpus *corpus;
	struct codec codec;
	uint32_t page; /* bytes per page: the corpus's, or a view's (corpus.h) */
	uint64_t n;
	struct cpage *pg;
	uint64_t same_pages;
	uint64_t compressed_bytes; /* of the pages that are not same-filled */
	uint64_t wall_ns;	   /* compressing the whole corpus (when the cache was built) */
	bool cached;		   /* read from the compression cache, no compression done */
	int fd;			   /* the compressed bytes: the cache file (or a temporary one) */
	uint64_t data_off;	   /* where they start in it */
	uint64_t data_bytes;	   /* how many there are */
	char cache_path[4096];	   /* "" without a cache */
};

/*
 * Compress @c with @codec on @threads threads, or take the result from the
 * cache in @cache_dir (NULL: the default, see ccache.h; "" or "off": none)
 * after checking it against the corpus.  0, or -1 with one line in @err
 * (out of memory, codec error on page N, a read error, the corpus changed).
 */
int pageset_open(struct pageset *ps, const struct corpus *c, const struct codec *codec, int threads,
		 const char *cache_dir, char *err, size_t errlen);
/*
 * The same for @c read as pages of @page bytes (its own page size, or a
 * smaller one that divides it: corpus_check_view()); each page is
 * compressed whole.
 */
int pageset_open_view(struct pageset *ps, const struct corpus *c, uint32_t page,
		      const struct codec *codec, int threads, const char *cache_dir, char *err,
		      size_t errlen);
/* pageset_open() with the default cache folder. */
int pageset_build(struct pageset *ps, const struct corpus *c, const struct codec *codec,
		  int threads, char *err, size_t errlen);
void pageset_free(struct pageset *ps);

/* Copy the compressed bytes of page @i into @buf (codec_bound(page)): 0, or -1 (I/O error). */
int pageset_data(const struct pageset *ps, uint64_t i, uint8_t *buf);
/*
 * The original page @i into @page (ps->page bytes), decompressed
 * with @cx (a context of the page set's codec; NULL: one made for the call)
 * and checked against its record.  0, or -1 (I/O error, or it does not
 * decompress to the page it was made from).
 */
int pageset_page(const struct pageset *ps, uint64_t i, struct codec_ctx *cx, uint8_t *page);
/* True if @page (ps->page bytes) is the original page @i, by its record. */
bool pageset_is_page(const struct pageset *ps, uint64_t i, const uint8_t *page);

/*
 * A zeroed table of @bytes for per-page or per-slot records: an anonymous
 * mapping with transparent huge pages (MADV_HUGEPAGE), so that random
 * access over a million entries does not take a TLB miss each time.  NULL
 * if out of memory.
 */
void *table_alloc(size_t bytes);
void table_free(void *p, size_t bytes);

#endif /* ZPB_PAGESET_H */
