// SPDX-License-Identifier: GPL-2.0-only
/*
 * sha256.c - see sha256.h.  libcrypto fails here only when it cannot
 * allocate a context: that ends the process with one line, as any other
 * out-of-memory in a place that cannot report it.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "sha256.h"

static void sha256_die(void)
{
	fputs("zpoolbench: libcrypto: cannot compute SHA-256 (out of memory?)\n", stderr);
	abort();
}

void sha256_init(struct sha256 *s)
{
	s->ctx = EVP_MD_CTX_new();
	if (!s->ctx || !EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL))
		sha256_die();
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
	if (len && !EVP_DigestUpdate(s->ctx, data, len))
		sha256_die();
}

void sha256_final(struct sha256 *s, uint8_t digest[32])
{
	unsigned int n = 0;

	if (!EVP_DigestFinal_ex(s->ctx, digest, &n) || n != 32)
		sha256_die();
	sha256_abort(s);
}

void sha256_abort(struct sha256 *s)
{
	EVP_MD_CTX_free(s->ctx);
	s->ctx = NULL;
}

void sha256_hex(const uint8_t digest[32], char hex[65])
{
	static const char x[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		hex[2 * i] = x[digest[i] >> 4];
		hex[2 * i + 1] = x[digest[i] & 15];
	}
	hex[64] = '\0';
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
