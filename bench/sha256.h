/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sha256.h - SHA-256 (FIPS 180-4), small and dependency-free: corpora are
 * identified by the sha256 of their raw pages.
 */
#ifndef ZPB_SHA256_H
#define ZPB_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;	    /* bytes hashed so far */
	uint8_t buf[64];    /* partial block */
	unsigned int nbuf;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t digest[32]);
/* Lower-case hex of the digest into @hex (65 bytes with the NUL). */
void sha256_hex(const uint8_t digest[32], char hex[65]);
/* One call: hex digest of a buffer. */
void sha256_buf_hex(const void *data, size_t len, char hex[65]);

#endif /* ZPB_SHA256_H */
