/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * corpus.h - page corpora: the data every benchmark compresses and stores.
 *
 * A corpus is a file of pages of one size, raw (NAME.pages) or compressed
 * with zstd (NAME.pages.zst, any number of frames), with a JSON manifest
 * beside it (NAME.json) that says where the pages came from:
 *
 *	{
 *	  "format": "zpoolbench-corpus", "format_version": 1,
 *	  "page_size": 4096, "pages": 6000, "sha256": "<of the raw pages>",
 *	  "source": "process" | "files" | "sample" | "synthetic",
 *	  "workload": "python3", "command": "...", "packages": {"python3.11": "3.11.2-6"},
 *	  "kernel": "6.18.44", "arch": "x86_64", "date": "2026-11-26T01:00:00Z",
 *	  "selection": "how the pages were chosen",
 *	  "address_extents": [[0, 93824992231424, 12], ...], ...
 *	}
 *
 * The page size is the kernel's PAGE_SIZE the pages stand for: 4096, 16384
 * or 65536 (a corpus without a manifest has 4096-byte pages).  A 16 KiB
 * page is not any four 4 KiB pages: it is four address-contiguous 4 KiB
 * pages of one process, which is what a 16 KiB kernel would have kept in
 * one page.  So a corpus may say where each of its pages was, in
 * "address_extents" (extents.h): that is what lets `corpus regroup` build
 * 16 KiB pages from a 4 KiB snapshot.  The other way needs nothing: the
 * bytes of a corpus of 16 KiB pages read as 4 KiB pages are four
 * address-contiguous 4 KiB pages each, so a corpus can be read as pages of
 * any smaller valid size that divides its own (a "view", see
 * corpus_stream_open_view()): the same bytes, the same sha256.
 *
 * The reader opens the file once and keeps that one descriptor for the whole
 * run: every later read goes through it, so a file renamed over the path or
 * removed meanwhile changes nothing.  Opening reads the pages once, as a
 * stream (a .zst is decompressed a buffer at a time, never into memory as a
 * whole), to count and hash them, and checks the size (non-empty, a whole
 * number of pages) and, when a manifest exists, its format version, page
 * size, page count and sha256.  A manifest is read first: its page count
 * bounds a .zst's expansion before it happens.  A corpus without a manifest
 * is accepted (user corpora) and its sha256 computed.
 *
 * Pages are read again only through a stream (struct corpus_stream): in
 * order, hashed as they are read; corpus_stream_finish() compares the count
 * and the sha256 with what corpus_open() found, so whoever used the bytes
 * knows that they are the bytes of the corpus it names (a file rewritten in
 * place during a run is caught there).  Memory does not grow with the corpus.
 *
 * Inputs that could block are refused: the corpus and the manifest must be
 * regular files (a FIFO is opened without blocking, then refused), and a
 * manifest larger than CORPUS_MANIFEST_MAX is refused before it is read.
 * Every problem comes back as one line in @err naming the file and what is
 * wrong.
 */
#ifndef ZPB_CORPUS_H
#define ZPB_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "sha256.h"

#define CORPUS_PAGE_SIZE 4096 /* the page size of a corpus without a manifest */
#define CORPUS_PAGE_MAX 65536 /* the largest page size a corpus may have */
#define CORPUS_FORMAT "zpoolbench-corpus"
#define CORPUS_FORMAT_VERSION 1
#define CORPUS_MANIFEST_MAX (1u << 20) /* bytes: a manifest is a few hundred */

struct corpus {
	char path[4096];	  /* as given */
	char name[256];		  /* file name without directory, .zst and .pages */
	char manifest_path[4096]; /* NAME.json beside the file ("" if there is none) */
	bool compressed;	  /* read from zstd */
	uint32_t page_size;	  /* bytes per page: the manifest's page_size, else 4096 */
	uint64_t pages;		  /* of page_size bytes */
	char sha256[65];	  /* of the raw pages, lower-case hex */
	struct json_t *manifest;  /* parsed manifest (jansson), or NULL */
	const char *source;	  /* manifest "source", or "unknown" */
	const char *workload;	  /* manifest "workload", or the name */
	int fd;			  /* the file, open from corpus_open() to corpus_close() */
	uint64_t file_size;	  /* its size when opened */
};

/* 0, or -1 with one line "PATH: problem" in @err (and *c zeroed, fd -1). */
int corpus_open(struct corpus *c, const char *path, char *err, size_t errlen);
void corpus_close(struct corpus *c);

/* A page size a corpus may have (and a pool may take): 4096, 16384 or 65536. */
bool corpus_page_size_valid(uint64_t page);
/*
 * Can @c be read as pages of @page bytes?  Its own page size, or a smaller
 * valid one that divides it (a 16 KiB page is four address-contiguous 4 KiB
 * pages; four 4 KiB pages are a 16 KiB page only when a snapshot says they
 * were, see `corpus regroup`).  0, or -1 with one line in @err naming the
 * corpus and what would make it work.
 */
int corpus_check_view(const struct corpus *c, uint32_t page, char *err, size_t errlen);
/* The number of @page-byte pages of @c read as such a view. */
static inline uint64_t corpus_view_pages(const struct corpus *c, uint32_t page)
{
	return c->pages * (c->page_size / page);
}

/*
 * Reading the pages in order through the corpus's descriptor, hashing them
 * as they are read.  corpus_stream_read() returns the number of pages put
 * into @buf (at most @n; 0 at the end) or -1 with one line in @err.
 * corpus_stream_finish() (after the last page) checks the page count and
 * the sha256 against the corpus: 0, or -1 with "PATH: changed while
 * zpoolbench was reading it ..." in @err.  Close always.
 *
 * corpus_stream_open() reads pages of the corpus's own size;
 * corpus_stream_open_view() pages of @page bytes (corpus_check_view()).
 */
struct corpus_stream {
	const struct corpus *c;
	uint32_t page;	    /* bytes per page delivered */
	uint64_t pages;	    /* delivered so far, of @page bytes */
	uint64_t max_pages; /* more is an error (a manifest's count), 0: no limit */
	uint64_t in_off;    /* next file offset to read (zstd) */
	struct sha256 sha;
	void *dctx;  /* ZSTD_DCtx */
	uint8_t *in; /* compressed input buffer */
	size_t in_cap, in_len, in_pos;
	size_t zret; /* last ZSTD_decompressStream() result: 0 = frame complete */
	bool in_eof;
	uint8_t digest[32];
};
int corpus_stream_open(struct corpus_stream *s, const struct corpus *c, char *err, size_t errlen);
int corpus_stream_open_view(struct corpus_stream *s, const struct corpus *c, uint32_t page,
			    char *err, size_t errlen);
int64_t corpus_stream_read(struct corpus_stream *s, uint8_t *buf, uint64_t n, char *err,
			   size_t errlen);
int corpus_stream_finish(struct corpus_stream *s, char *err, size_t errlen);
void corpus_stream_close(struct corpus_stream *s);

/*
 * Pages one at a time, the first again after the last (each round is a
 * stream, checked at its end): for consumers that cycle through a corpus.
 * 0, or -1 with @err.  Close always (a zeroed struct is closed).
 */
struct corpus_cycle {
	struct corpus_stream st;
	bool open;
};
int corpus_cycle_next(struct corpus_cycle *cy, const struct corpus *c, uint8_t *page, char *err,
		      size_t errlen);
void corpus_cycle_close(struct corpus_cycle *cy);

/*
 * The whole corpus through a stream, @fn(@arg, first page index, pages, n)
 * called per buffer of up to 64 pages (of the corpus's page size); then the
 * count and sha256 are checked.  0, -1 with @err, or what @fn returned if
 * not 0.
 */
int corpus_for_each(const struct corpus *c,
		    int (*fn)(void *arg, uint64_t first, const uint8_t *pages, uint64_t n),
		    void *arg, char *err, size_t errlen);
/* The same as pages of @page bytes (corpus_check_view()). */
int corpus_for_each_view(const struct corpus *c, uint32_t page,
			 int (*fn)(void *arg, uint64_t first, const uint8_t *pages, uint64_t n),
			 void *arg, char *err, size_t errlen);

/* The manifest path for a corpus path: strip ".zst", then ".pages", add ".json". */
void corpus_manifest_path(const char *path, char *out, size_t outlen);

/*
 * Check a parsed manifest against the pages (exposed for tests and fuzzing):
 * 0, or -1 with "MANIFEST: problem" in @err.
 */
/*
 * Read and parse a manifest (a regular file of at most CORPUS_MANIFEST_MAX
 * bytes; repeated keys are refused): the jansson value, or NULL with
 * "MPATH: problem" in @err.  corpus_parse_manifest() does the same for a
 * buffer (fuzzing).
 */
struct json_t *corpus_read_manifest(const char *mpath, char *err, size_t errlen);
struct json_t *corpus_parse_manifest(const char *mpath, const void *text, size_t len, char *err,
				     size_t errlen);
int corpus_check_manifest(const struct json_t *m, const char *mpath, uint64_t pages,
			  const char *sha256, char *err, size_t errlen);

/*
 * Writing a manifest: the mandatory fields come from the arguments, the
 * rest from the caller's @extra callback, which emits "key": value pairs with
 * the writer (source, workload, command, packages, selection ...).  kernel,
 * arch, date and the THP mode are filled in here unless @extra wrote them
 * (pass fill_host=false to omit them, e.g. for samples that inherit them).
 * Written atomically; 0 or -1 with a message printed.
 */
int corpus_write_manifest(const char *mpath, uint32_t page_size, uint64_t pages, const char *sha256,
			  bool fill_host, void (*extra)(struct jw *w, void *arg), void *arg);

/* The string member @key of @c's manifest, or NULL. */
const char *corpus_manifest_string(const struct corpus *c, const char *key);
/* Every member of manifest @m but the keys in @skip (NULL-terminated), in its order. */
void corpus_manifest_copy(struct jw *w, const struct json_t *m, const char *const *skip);

/* "packages": {"NAME": "VERSION", ...} from "NAME=VERSION" strings (checked by the caller). */
void corpus_manifest_packages(struct jw *w, const char *const *pkgs, int n);

#endif /* ZPB_CORPUS_H */
