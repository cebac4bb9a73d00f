/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pageset.h - a corpus compressed once with one codec, kept for the run.
 *
 * Every page is tested for same-filled content and compressed exactly once
 * (on all cores); the compressed bytes go to the compression cache file
 * (ccache.h), which later runs reuse, and only a record per page
 * stays in memory (12 bytes): the compressed length, the time the compression took and
 * the same-filled flag.  The workloads read a page's compressed bytes (and,
 * for a corpus file read from disk, the original page) with pread into a
 * per-thread buffer, so memory does not grow with the corpus: a run over a
 * million pages holds the pool, its metadata and a few dozen MiB.
 * Same-filled pages are compressed too: the `none` front end stores them like
 * any other page.
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
	uint64_t n;
	struct cpage *pg;
	uint64_t same_pages;
	uint64_t compressed_bytes; /* of the pages that are not same-filled */
	uint64_t wall_ns;	   /* compressing the whole corpus (when the cache was built) */
	bool cached;		   /* read from the compression cache, no compression done */
	int fd;			   /* the compressed bytes: the cache file (or a temporary one) */
	uint64_t data_off;	   /* where they start in it */
	int corpus_fd;		   /* the corpus file, for pread; -1 when its pages are in memory */
	char cache_path[4096];	   /* "" without a cache */
};

/*
 * Compress @c with @codec on @threads threads, or read the result from the
 * cache in @cache_dir (NULL: the default, see ccache.h; "" or "off": none).  A cache
 * file that does not check out is reported on stderr and rebuilt.  0, or -1
 * with one line in @err (out of memory, codec error on page N, I/O error).
 */
int pageset_open(struct pageset *ps, const struct corpus *c, const struct codec *codec,
		 int threads, const char *cache_dir, char *err, size_t errlen);
/* pageset_open() with the default cache folder. */
int pageset_build(struct pageset *ps, const struct corpus *c, const struct codec *codec,
		  int threads, char *err, size_t errlen);
void pageset_free(struct pageset *ps);

/* Copy the compressed bytes of page @i into @buf (CODEC_BOUND bytes): 0, or -1 (I/O error). */
int pageset_data(const struct pageset *ps, uint64_t i, uint8_t *buf);
/*
 * The original page @i: a pointer into the corpus when its pages are in
 * memory, else read into @buf (CORPUS_PAGE_SIZE bytes).  NULL on an I/O error.
 */
const uint8_t *pageset_page(const struct pageset *ps, uint64_t i, uint8_t *buf);

/*
 * A zeroed table of @bytes for per-page or per-slot records: an anonymous
 * mapping with transparent huge pages (MADV_HUGEPAGE), so that random
 * access over a million entries does not take a TLB miss each time.  NULL
 * if out of memory.
 */
void *table_alloc(size_t bytes);
void table_free(void *p, size_t bytes);

/* Number of online CPUs (at least 1). */
int online_cpus(void);

#endif /* ZPB_PAGESET_H */
