/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pageset.h - a corpus compressed once with one codec, kept for the run.
 *
 * Every page is tested for same-filled content and compressed exactly once
 * (on all cores, one pthread per core); the compressed bytes, their length
 * and the time the compression took are cached so that the workloads time
 * the allocators alone and add the compression time per page for the end
 * to end figures.  Same-filled pages are compressed too: the `none` front end
 * stores them like any other page.
 */
#ifndef ZPB_PAGESET_H
#define ZPB_PAGESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "corpus.h"

struct cpage {
	const uint8_t *data; /* compressed bytes */
	uint32_t len;	     /* compressed length (may exceed 4096) */
	uint32_t comp_ns;    /* time codec_compress took for this page */
	bool same;	     /* every 8-byte word equal */
	uint64_t word;	     /* that word */
};

struct pageset {
	const struct corpus *corpus;
	struct codec codec;
	uint64_t n;
	struct cpage *pg;
	uint64_t same_pages;
	uint64_t compressed_bytes; /* of the pages that are not same-filled */
	uint64_t wall_ns;	   /* compressing the whole corpus */
	int nchunks;
	uint8_t **chunks;	   /* the compressed bytes, one buffer per thread */
};

/* 0, or -1 with one line in @err (out of memory, codec error on page N). */
int pageset_build(struct pageset *ps, const struct corpus *c, const struct codec *codec,
		  int threads, char *err, size_t errlen);
void pageset_free(struct pageset *ps);

/* Number of online CPUs (at least 1). */
int online_cpus(void);

#endif /* ZPB_PAGESET_H */
