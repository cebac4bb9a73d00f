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
};

static int sample_pages(void *arg, uint64_t first, const uint8_t *pages, uint64_t n)
{
	struct sample_write *w = arg;

	while (w->next < w->k && w->idx[w->next] < first + n) {
		const uint8_t *pg = pages + (w->idx[w->next] - first) * CORPUS_PAGE_SIZE;

		fwrite(pg, 1, CORPUS_PAGE_SIZE, w->out);
		sha256_update(w->s, pg, CORPUS_PAGE_SIZE);
		w->next++;
	}
	return 0;
}

int corpus_sample_write(const struct corpus *c, const uint64_t *idx, uint64_t k, FILE *out,
			struct sha256 *s, char *err, size_t errlen)
{
	struct sample_write w = { .idx = idx, .k = k, .out = out, .s = s };

	return corpus_for_each(c, sample_pages, &w, err, errlen);
}
