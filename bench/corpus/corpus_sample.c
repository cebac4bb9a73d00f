// SPDX-License-Identifier: GPL-2.0-only
/*
 * corpus_sample.c - see corpus_sample.h.  Floyd's algorithm draws k
 * distinct indexes with exactly k random numbers; a bitmap marks them and
 * is read back in ascending order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/corpus_sample.h"
#include "sha256.h"
#include "util.h"

static uint64_t stream_seed(uint64_t seed, const char *sha)
{
	char key[128];
	struct sha256 s;
	uint8_t d[32];
	uint64_t v = 0;

	snprintf(key, sizeof(key), "%llu:%s", (unsigned long long)seed, sha);
	sha256_init(&s);
	sha256_update(&s, key, strlen(key));
	sha256_final(&s, d);
	for (int i = 0; i < 8; i++)
		v = v << 8 | d[i];
	return v;
}

int corpus_sample_pick(uint64_t seed, const char *source_sha256, uint64_t n, uint64_t k,
		       uint64_t *out)
{
	uint64_t rng = stream_seed(seed, source_sha256), m = 0;
	uint64_t *bits;

	if (k > n)
		return -1;
	bits = calloc((n + 63) / 64, sizeof(*bits));
	if (!bits)
		return -1;
	for (uint64_t j = n - k; j < n; j++) {
		uint64_t t = rng_below(&rng, j + 1);

		if (bits[t / 64] >> (t % 64) & 1)
			t = j;
		bits[t / 64] |= 1ULL << (t % 64);
	}
	for (uint64_t i = 0; i < n; i++)
		if (bits[i / 64] >> (i % 64) & 1)
			out[m++] = i;
	free(bits);
	return 0;
}

struct sample_write {
	const uint64_t *idx;
	uint64_t k, next;
	FILE *out;
	struct sha256 *s;
	uint32_t page;
	struct extents_cursor cur; /* the source's addresses, or none */
	bool addrs;
	uint32_t space_base;
	struct corpus_extents *dst;
};

static int sample_pages(void *arg, uint64_t first, const uint8_t *pages, uint64_t n)
{
	struct sample_write *w = arg;

	for (uint64_t i = first; i < first + n; i++) {
		uint32_t space;
		uint64_t addr = 0;
		const uint8_t *pg = pages + (i - first) * w->page;

		if (w->addrs && !extents_next(&w->cur, &space, &addr))
			return 1; /* cannot happen: the extents cover every page */
		if (w->next == w->k || w->idx[w->next] != i)
			continue;
		if (fwrite(pg, 1, w->page, w->out) != w->page)
			return 1;
		sha256_update(w->s, pg, w->page);
		if (w->addrs && extents_add(w->dst, w->space_base + space, addr, 1))
			return 1;
		w->next++;
	}
	return 0;
}

int corpus_sample_write(const struct corpus *c, const uint64_t *idx, uint64_t k, FILE *out,
			struct sha256 *s, const struct corpus_extents *src, uint32_t space_base,
			struct corpus_extents *dst, char *err, size_t errlen)
{
	struct sample_write w = { .idx = idx,
				  .k = k,
				  .out = out,
				  .s = s,
				  .page = c->page_size,
				  .addrs = src && dst,
				  .space_base = space_base,
				  .dst = dst };
	int ret;

	if (w.addrs)
		extents_cursor_init(&w.cur, src);
	ret = corpus_for_each(c, sample_pages, &w, err, errlen);
	if (ret > 0 || (ret == 0 && w.next != k)) {
		snprintf(err, errlen, "%s: cannot write the sample: %s", c->path,
			 ferror(out) ? "write error" : "out of memory");
		return -1;
	}
	return ret;
}
