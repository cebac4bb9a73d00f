/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sha256.h - SHA-256 through OpenSSL's libcrypto (EVP): corpora are
 * identified by the sha256 of their raw pages.  A thin wrapper so that the
 * callers stay short; libcrypto picks the fastest code for the CPU (the SHA
 * extensions on x86 and arm64).
 *
 * sha256_init() starts a digest, sha256_final() ends it and frees the
 * context; sha256_abort() frees a context that will not be finished (safe on
 * a zeroed or finished struct).
 */
#ifndef ZPB_SHA256_H
#define ZPB_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct evp_md_ctx_st;

struct sha256 {
	struct evp_md_ctx_st *ctx;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t digest[32]);
void sha256_abort(struct sha256 *s);
/* Lower-case hex of the digest into @hex (65 bytes with the NUL). */
void sha256_hex(const uint8_t digest[32], char hex[65]);
/* One call: hex digest of a buffer. */
void sha256_buf_hex(const void *data, size_t len, char hex[65]);

#endif /* ZPB_SHA256_H */
