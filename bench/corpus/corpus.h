/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * corpus.h - page corpora: the data every benchmark compresses and stores.
 *
 * A corpus is a file of 4096-byte pages, raw (NAME.pages) or compressed with
 * zstd (NAME.pages.zst, any number of frames), with a JSON manifest beside
 * it (NAME.json) that says where the pages came from:
 *
 *	{
 *	  "format": "zpoolbench-corpus", "format_version": 1,
 *	  "page_size": 4096, "pages": 6000, "sha256": "<of the raw pages>",
 *	  "source": "process" | "files" | "sample" | "synthetic",
 *	  "workload": "python3", "command": "...", "packages": {"python3.11": "3.11.2-6"},
 *	  "kernel": "6.18.44", "arch": "x86_64", "date": "2026-11-26T01:00:00Z",
 *	  "selection": "how the pages were chosen", ...
 *	}
 *
 * The reader maps a raw file read-only, or decompresses a .zst once into an
 * anonymous mapping; the pages are never held twice.  It checks the size
 * (non-empty, a whole number of pages) and, when a manifest exists, its
 * format version, page size, page count and sha256.  A corpus without a
 * manifest is accepted (user corpora) and its sha256 computed.  Every problem
 * comes back as one line in @err naming the file and what is wrong.
 */
#ifndef ZPB_CORPUS_H
#define ZPB_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"

#define CORPUS_PAGE_SIZE 4096
#define CORPUS_FORMAT "zpoolbench-corpus"
#define CORPUS_FORMAT_VERSION 1

struct corpus {
	char path[4096];	  /* as given */
	char name[256];		  /* file name without directory, .zst and .pages */
	char manifest_path[4096]; /* NAME.json beside the file ("" if there is none) */
	bool compressed;	  /* read from zstd */
	uint64_t pages;
	char sha256[65];	  /* of the raw pages, lower-case hex */
	struct json *manifest;	  /* parsed manifest, or NULL */
	const char *source;	  /* manifest "source", or "unknown" */
	const char *workload;	  /* manifest "workload", or the name */
	const uint8_t *data;	  /* pages * CORPUS_PAGE_SIZE bytes */
	size_t map_len;		  /* length of the mapping behind data */
};

/* 0, or -1 with one line "PATH: problem" in @err (and *c zeroed). */
int corpus_open(struct corpus *c, const char *path, char *err, size_t errlen);
void corpus_close(struct corpus *c);

static inline const uint8_t *corpus_page(const struct corpus *c, uint64_t i)
{
	return c->data + i * CORPUS_PAGE_SIZE;
}

/* The manifest path for a corpus path: strip ".zst", then ".pages", add ".json". */
void corpus_manifest_path(const char *path, char *out, size_t outlen);

/*
 * Check a parsed manifest against the pages (exposed for tests and fuzzing):
 * 0, or -1 with "MANIFEST: problem" in @err.
 */
int corpus_check_manifest(const struct json *m, const char *mpath, uint64_t pages,
			  const char *sha256, char *err, size_t errlen);

/*
 * Writing a manifest: the mandatory fields come from the arguments, the
 * rest from the caller's @extra callback, which emits "key": value pairs with
 * the writer (source, workload, command, packages, selection ...).  kernel,
 * arch, date and the THP mode are filled in here unless @extra wrote them
 * (pass fill_host=false to omit them, e.g. for samples that inherit them).
 * Written atomically; 0 or -1 with a message printed.
 */
int corpus_write_manifest(const char *mpath, uint64_t pages, const char *sha256,
			  bool fill_host, void (*extra)(struct jw *w, void *arg), void *arg);

/* "packages": {"NAME": "VERSION", ...} from "NAME=VERSION" strings (checked by the caller). */
void corpus_manifest_packages(struct jw *w, const char *const *pkgs, int n);

#endif /* ZPB_CORPUS_H */
