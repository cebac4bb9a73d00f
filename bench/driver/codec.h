/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * codec.h - the page compressors zswap and zram offer, through their
 * userspace libraries, one page at a time (4096 bytes, or the page size a
 * corpus has: 16 KiB pages are compressed whole, as a 16 KiB kernel does).
 *
 * Spec strings:
 *	lz4[:ACCEL]	LZ4_compress_fast_extState, acceleration 1..65537 (default 1,
 *			= LZ4_compress_default)
 *	lz4hc[:LEVEL]	LZ4_compress_HC_extStateHC, level 1..12 (default 9)
 *	zstd[:LEVEL]	ZSTD_compressCCtx, levels ZSTD_minCLevel()..-1 and
 *			1..ZSTD_maxCLevel() (22), default 3; one frame per page, no checksum, with the
 *			content size, as the library's defaults give
 *	lzo		lzo1x_1 from liblzo2 (zswap's default compressor)
 *
 * A struct codec is the parsed spec (shareable); a struct codec_ctx holds
 * the working memory of one thread.  A compressed page goes into a buffer of
 * codec_bound(page size) bytes (CODEC_BOUND for 4096); it may be longer than
 * the page for incompressible data (the kernel front ends then store the
 * page as is, which is the caller's business).
 */
#ifndef ZPB_CODEC_H
#define ZPB_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CODEC_PAGE 4096
/*
 * Room for one compressed page of @len bytes: twice the page, more than
 * every codec's worst case (lzo: len + len/16 + 67); CODEC_BOUND for 4096.
 */
#define codec_bound(len) (2 * (size_t)(len))
#define CODEC_BOUND 8192 /* codec_bound(CODEC_PAGE) */
#define CODEC_PAGE_MAX 65536
#define CODEC_BOUND_MAX 131072 /* codec_bound(CODEC_PAGE_MAX) */

enum codec_kind { CODEC_LZ4, CODEC_LZ4HC, CODEC_ZSTD, CODEC_LZO };

struct codec {
	enum codec_kind kind;
	int level;     /* lz4: acceleration; lz4hc, zstd: level; lzo: 0 */
	char name[32]; /* canonical spec: "lz4:1", "zstd:-5", "lzo" */
};

/* "lz4[:ACCEL 1..65537], lz4hc[:LEVEL 1..12], zstd[:LEVEL ...], lzo" for messages. */
const char *codec_valid_specs(void);

/* 0, or -1 with one line in @err that lists the valid specs. */
int codec_parse(const char *spec, struct codec *c, char *err, size_t errlen);
/*
 * A comma-separated list ("lz4,zstd:3,lzo") into up to @max codecs: the
 * count, or -1 with a message in @err.
 */
int codec_parse_list(const char *list, struct codec *out, int max, char *err, size_t errlen);

struct codec_ctx;
struct codec_ctx *codec_ctx_new(const struct codec *c); /* NULL if out of memory */
void codec_ctx_free(struct codec_ctx *x);
const struct codec *codec_ctx_codec(const struct codec_ctx *x);

/*
 * Compress @len bytes (a page, up to CODEC_PAGE_MAX) into @out of @cap
 * bytes (codec_bound(len) is always enough): the length, or -1 on a library
 * error.
 */
int codec_compress_buf(struct codec_ctx *x, const void *in, size_t len, void *out, size_t cap);
/* Decompress into @out: 0 if exactly @outlen bytes came out, else -1. */
int codec_decompress_buf(struct codec_ctx *x, const void *in, size_t len, void *out, size_t outlen);
/* Decompress and compare with the original @origlen bytes. */
bool codec_verify_buf(struct codec_ctx *x, const void *in, size_t len, const void *orig,
		      size_t origlen);
/*
 * Every 8-byte word of the @len bytes equal (as zram and zswap test a page
 * before compressing it); the word in *word.  Zero pages are word == 0.
 */
bool same_filled(const void *page, size_t len, uint64_t *word);

/* The same for one 4096-byte page, into CODEC_BOUND bytes. */
static inline int codec_compress(struct codec_ctx *x, const void *page, void *out)
{
	return codec_compress_buf(x, page, CODEC_PAGE, out, CODEC_BOUND);
}

static inline int codec_decompress(struct codec_ctx *x, const void *in, size_t len, void *page)
{
	return codec_decompress_buf(x, in, len, page, CODEC_PAGE);
}

static inline bool codec_verify(struct codec_ctx *x, const void *in, size_t len, const void *orig)
{
	return codec_verify_buf(x, in, len, orig, CODEC_PAGE);
}

static inline bool page_same_filled(const void *page, uint64_t *word)
{
	return same_filled(page, CODEC_PAGE, word);
}

#endif /* ZPB_CODEC_H */
