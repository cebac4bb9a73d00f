// SPDX-License-Identifier: GPL-2.0-only
/*
 * sha256.c - SHA-256 as specified in FIPS 180-4 section 6.2: 64-byte blocks,
 * a 64-word message schedule, 64 rounds, big-endian length padding.
 */
#include <stdbool.h>
#include <string.h>

#include "sha256.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_NI 1
#endif

/* First 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void block_c(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, k;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = load_be32(p + 4 * i);
	for (; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
	for (i = 0; i < 64; i++) {
		uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) +
			      K[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));

		k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

#ifdef HAVE_SHA_NI
/*
 * The same compression function with the x86 SHA extensions (Intel SHA
 * Extensions white paper, 2013): the state lives in two registers as ABEF
 * and CDGH, sha256rnds2 does two rounds from two message+K words,
 * sha256msg1/msg2 compute the message schedule four words at a time.
 * About 8 times the speed of the C rounds; a corpus of a million pages is
 * 4 GB to hash.
 */
__attribute__((target("sha,sse4.1,ssse3"))) static void block_ni(uint32_t h[8], const uint8_t *p)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i abef, cdgh, abef0, cdgh0, m, t, w[4];

	/* h[0..3] = A B C D, h[4..7] = E F G H -> ABEF and CDGH, high lane first */
	t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xb1); /* CDAB */
	cdgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1b); /* HGFE */
	abef = _mm_alignr_epi8(t, cdgh, 8);
	cdgh = _mm_blend_epi16(cdgh, t, 0xf0);
	abef0 = abef;
	cdgh0 = cdgh;
#pragma GCC unroll 16
	for (int g = 0; g < 16; g++) {
		if (g < 4)
			w[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
		m = _mm_add_epi32(w[g % 4], _mm_loadu_si128((const __m128i *)&K[4 * g]));
		cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);
		if (g >= 3 && g <= 14) {
			/* words 4(g+1).. from the msg1 partial, w[t-7] and msg2 */
			t = _mm_alignr_epi8(w[g % 4], w[(g + 3) % 4], 4);
			w[(g + 1) % 4] = _mm_add_epi32(w[(g + 1) % 4], t);
			w[(g + 1) % 4] = _mm_sha256msg2_epu32(w[(g + 1) % 4], w[g % 4]);
		}
		m = _mm_shuffle_epi32(m, 0x0e);
		abef = _mm_sha256rnds2_epu32(abef, cdgh, m);
		if (g >= 1 && g <= 12)
			w[(g + 3) % 4] = _mm_sha256msg1_epu32(w[(g + 3) % 4], w[g % 4]);
	}
	abef = _mm_add_epi32(abef, abef0);
	cdgh = _mm_add_epi32(cdgh, cdgh0);
	/* back to A B C D and E F G H */
	t = _mm_shuffle_epi32(abef, 0x1b);	 /* FEBA */
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);	 /* DCHG */
	abef = _mm_blend_epi16(t, cdgh, 0xf0);	 /* DCBA */
	cdgh = _mm_alignr_epi8(cdgh, t, 8);	 /* HGFE */
	_mm_storeu_si128((__m128i *)&h[0], abef);
	_mm_storeu_si128((__m128i *)&h[4], cdgh);
}

/* CPUID leaf 7: EBX bit 29 is SHA; SSE4.1 (leaf 1 ECX bit 19) and SSSE3 (bit 9) too. */
static bool have_sha_ni(void)
{
	static int known = -1;
	unsigned int a, b, c, d;

	if (known >= 0)
		return known;
	known = 0;
	if (__get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 19)) && (c & (1u << 9)) &&
	    __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29)))
		known = 1;
	return known;
}
#endif

static void block(uint32_t h[8], const uint8_t *p)
{
#ifdef HAVE_SHA_NI
	if (have_sha_ni()) {
		block_ni(h, p);
		return;
	}
#endif
	block_c(h, p);
}

void sha256_init(struct sha256 *s)
{
	/* First 32 bits of the fractional parts of the square roots of the first 8 primes. */
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
	s->nbuf = 0;
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
	const uint8_t *p = data;

	s->len += len;
	if (s->nbuf) {
		size_t take = 64 - s->nbuf < len ? 64 - s->nbuf : len;

		memcpy(s->buf + s->nbuf, p, take);
		s->nbuf += take;
		p += take;
		len -= take;
		if (s->nbuf < 64)
			return;
		block(s->h, s->buf);
		s->nbuf = 0;
	}
	for (; len >= 64; p += 64, len -= 64)
		block(s->h, p);
	memcpy(s->buf, p, len);
	s->nbuf = len;
}

void sha256_final(struct sha256 *s, uint8_t digest[32])
{
	uint64_t bits = s->len * 8;
	uint8_t pad[72] = { 0x80 };
	size_t npad = (s->nbuf < 56 ? 56 : 120) - s->nbuf;
	int i;

	for (i = 0; i < 8; i++)
		pad[npad + i] = bits >> (56 - 8 * i);
	sha256_update(s, pad, npad + 8);
	for (i = 0; i < 8; i++) {
		digest[4 * i] = s->h[i] >> 24;
		digest[4 * i + 1] = s->h[i] >> 16;
		digest[4 * i + 2] = s->h[i] >> 8;
		digest[4 * i + 3] = s->h[i];
	}
}

void sha256_hex(const uint8_t digest[32], char hex[65])
{
	static const char x[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		hex[2 * i] = x[digest[i] >> 4];
		hex[2 * i + 1] = x[digest[i] & 15];
	}
	hex[64] = 0;
}

void sha256_buf_hex(const void *data, size_t len, char hex[65])
{
	struct sha256 s;
	uint8_t d[32];

	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_final(&s, d);
	sha256_hex(d, hex);
}
