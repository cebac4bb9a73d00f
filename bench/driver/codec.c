// SPDX-License-Identifier: GPL-2.0-only
/*
 * codec.c - see codec.h.  Thin wrappers over liblz4, libzstd and liblzo2
 * with per-thread working memory, plus the same-filled page test.
 */
#include <errno.h>
#include <lz4.h>
#include <lz4hc.h>
#include <lzo/lzo1x.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "driver/codec.h"

_Static_assert(CODEC_BOUND == codec_bound(CODEC_PAGE), "CODEC_BOUND");
_Static_assert(CODEC_BOUND_MAX == codec_bound(CODEC_PAGE_MAX), "CODEC_BOUND_MAX");

/* lz4.c clamps larger accelerations to this (not exported by lz4.h) */
#define LZ4_ACCELERATION_MAX 65537

struct codec_ctx {
	struct codec c;
	void *state; /* lz4/lz4hc state, lzo work memory */
	ZSTD_CCtx *cctx;
	ZSTD_DCtx *dctx;
};

static char valid_specs[160];
static pthread_once_t valid_once = PTHREAD_ONCE_INIT;

static void fill_valid_specs(void)
{
	snprintf(valid_specs, sizeof(valid_specs),
		 "lz4[:ACCEL 1..%d], lz4hc[:LEVEL 1..%d], zstd[:LEVEL %d..-1 or 1..%d], lzo",
		 LZ4_ACCELERATION_MAX, LZ4HC_CLEVEL_MAX, ZSTD_minCLevel(), ZSTD_maxCLevel());
}

const char *codec_valid_specs(void)
{
	pthread_once(&valid_once, fill_valid_specs);
	return valid_specs;
}

static int parse_int(const char *s, long min, long max, int *out)
{
	char *end;
	long v;

	if (!*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

int codec_parse(const char *spec, struct codec *c, char *err, size_t errlen)
{
	const char *colon = strchr(spec, ':');
	size_t nlen = colon ? (size_t)(colon - spec) : strlen(spec);
	const char *arg = colon ? colon + 1 : NULL;

	memset(c, 0, sizeof(*c));
	if (nlen == 3 && !strncmp(spec, "lz4", 3)) {
		c->kind = CODEC_LZ4;
		c->level = 1;
		if (arg && parse_int(arg, 1, LZ4_ACCELERATION_MAX, &c->level))
			goto bad_level;
		snprintf(c->name, sizeof(c->name), "lz4:%d", c->level);
	} else if (nlen == 5 && !strncmp(spec, "lz4hc", 5)) {
		c->kind = CODEC_LZ4HC;
		c->level = LZ4HC_CLEVEL_DEFAULT;
		if (arg && parse_int(arg, 1, LZ4HC_CLEVEL_MAX, &c->level))
			goto bad_level;
		snprintf(c->name, sizeof(c->name), "lz4hc:%d", c->level);
	} else if (nlen == 4 && !strncmp(spec, "zstd", 4)) {
		c->kind = CODEC_ZSTD;
		c->level = ZSTD_CLEVEL_DEFAULT;
		/* level 0 means "the default" to libzstd: refused so names stay unambiguous */
		if (arg && (parse_int(arg, ZSTD_minCLevel(), ZSTD_maxCLevel(), &c->level) ||
			    c->level == 0))
			goto bad_level;
		snprintf(c->name, sizeof(c->name), "zstd:%d", c->level);
	} else if (nlen == 3 && !strncmp(spec, "lzo", 3)) {
		c->kind = CODEC_LZO;
		if (arg) {
			snprintf(err, errlen, "codec '%s': lzo takes no level; valid: %s", spec,
				 codec_valid_specs());
			return -1;
		}
		snprintf(c->name, sizeof(c->name), "lzo");
	} else {
		snprintf(err, errlen, "unknown codec '%s'; valid: %s", spec, codec_valid_specs());
		return -1;
	}
	return 0;
bad_level:
	snprintf(err, errlen, "codec '%s': bad level '%s'; valid: %s", spec, arg,
		 codec_valid_specs());
	return -1;
}

int codec_parse_list(const char *list, struct codec *out, int max, char *err, size_t errlen)
{
	const char *p = list;
	size_t ipos[64], ilen[64]; /* where the first 64 items are, for messages */
	int n = 0;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char item[64];

		if (len == 0 || len >= sizeof(item)) {
			snprintf(err, errlen, "bad codec list '%s': %s item; valid codecs: %s",
				 list, len ? "overlong" : "empty", codec_valid_specs());
			return -1;
		}
		if (n == max) {
			snprintf(err, errlen, "more than %d codecs in '%s'", max, list);
			return -1;
		}
		memcpy(item, p, len);
		item[len] = 0;
		if (codec_parse(item, &out[n], err, errlen))
			return -1;
		if (n < 64) {
			ipos[n] = (size_t)(p - list);
			ilen[n] = len;
		}
		for (int k = 0; k < n; k++) {
			if (strcmp(out[k].name, out[n].name))
				continue;
			/* one key, one row: the same codec twice would give two rows for it */
			snprintf(err, errlen,
				 "'%.*s' and '%s' are the same codec (%s) in '%s'; name each codec once",
				 k < 64 ? (int)ilen[k] : 0, k < 64 ? list + ipos[k] : "", item,
				 out[n].name, list);
			return -1;
		}
		n++;
		if (!comma)
			return n;
		p = comma + 1;
	}
}

static pthread_once_t lzo_once = PTHREAD_ONCE_INIT;
static int lzo_ok;

static void lzo_setup(void)
{
	lzo_ok = lzo_init() == LZO_E_OK;
}

struct codec_ctx *codec_ctx_new(const struct codec *c)
{
	struct codec_ctx *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->c = *c;
	switch (c->kind) {
	case CODEC_LZ4:
		x->state = malloc(LZ4_sizeofState());
		break;
	case CODEC_LZ4HC:
		x->state = malloc(LZ4_sizeofStateHC());
		break;
	case CODEC_ZSTD:
		x->cctx = ZSTD_createCCtx();
		x->dctx = ZSTD_createDCtx();
		x->state = x->cctx && x->dctx ? x : NULL;
		break;
	case CODEC_LZO:
		pthread_once(&lzo_once, lzo_setup);
		x->state = lzo_ok ? malloc(LZO1X_1_MEM_COMPRESS) : NULL;
		break;
	}
	if (!x->state) {
		codec_ctx_free(x);
		return NULL;
	}
	return x;
}

void codec_ctx_free(struct codec_ctx *x)
{
	if (!x)
		return;
	ZSTD_freeCCtx(x->cctx);
	ZSTD_freeDCtx(x->dctx);
	if (x->state != x)
		free(x->state);
	free(x);
}

const struct codec *codec_ctx_codec(const struct codec_ctx *x)
{
	return &x->c;
}

int codec_compress_buf(struct codec_ctx *x, const void *in, size_t len, void *out, size_t cap)
{
	if (len > CODEC_PAGE_MAX || cap > INT32_MAX)
		return -1;
	switch (x->c.kind) {
	case CODEC_LZ4: {
		int n = LZ4_compress_fast_extState(x->state, in, out, (int)len, (int)cap,
						   x->c.level);
		return n > 0 ? n : -1;
	}
	case CODEC_LZ4HC: {
		int n = LZ4_compress_HC_extStateHC(x->state, in, out, (int)len, (int)cap,
						   x->c.level);
		return n > 0 ? n : -1;
	}
	case CODEC_ZSTD: {
		size_t n = ZSTD_compressCCtx(x->cctx, out, cap, in, len, x->c.level);

		return ZSTD_isError(n) ? -1 : (int)n;
	}
	case CODEC_LZO: {
		lzo_uint n = cap;

		/* lzo checks no bound: the caller's buffer must hold its worst case */
		if (cap < len + len / 16 + 67 ||
		    lzo1x_1_compress(in, len, out, &n, x->state) != LZO_E_OK)
			return -1;
		return (int)n;
	}
	}
	return -1;
}

int codec_decompress_buf(struct codec_ctx *x, const void *in, size_t len, void *out, size_t outlen)
{
	if (outlen > CODEC_PAGE_MAX)
		return -1;
	switch (x->c.kind) {
	case CODEC_LZ4:
	case CODEC_LZ4HC:
		return LZ4_decompress_safe(in, out, (int)len, (int)outlen) == (int)outlen ? 0 : -1;
	case CODEC_ZSTD: {
		size_t n = ZSTD_decompressDCtx(x->dctx, out, outlen, in, len);

		return !ZSTD_isError(n) && n == outlen ? 0 : -1;
	}
	case CODEC_LZO: {
		lzo_uint n = outlen;

		if (lzo1x_decompress_safe(in, len, out, &n, NULL) != LZO_E_OK)
			return -1;
		return n == outlen ? 0 : -1;
	}
	}
	return -1;
}

bool codec_verify_buf(struct codec_ctx *x, const void *in, size_t len, const void *orig,
		      size_t origlen)
{
	unsigned char *page = malloc(origlen ? origlen : 1);
	bool ok = page && codec_decompress_buf(x, in, len, page, origlen) == 0 &&
		  !memcmp(page, orig, origlen);

	free(page);
	return ok;
}

static inline uint64_t word_at(const unsigned char *p, size_t i)
{
	uint64_t v;

	memcpy(&v, p + i * 8, 8);
	return v;
}

bool same_filled(const void *page, size_t len, uint64_t *word)
{
	const unsigned char *p = page;
	size_t i, n = len / sizeof(uint64_t);
	uint64_t first = word_at(p, 0);

	/* the last word first: most pages that are not same-filled fail here */
	if (word_at(p, n - 1) != first)
		return false;
	for (i = 1; i < n - 1; i++)
		if (word_at(p, i) != first)
			return false;
	if (word)
		*word = first;
	return true;
}
