/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fixture.h - corpora the unit tests build: pages written to a file under
 * /tmp with the manifest that names their page size and sha256.
 */
#ifndef ZPB_TEST_FIXTURE_H
#define ZPB_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Write @n pages of @page_size bytes from @p to /tmp/zpb-test-@stem.PID.pages
 * and its manifest; the corpus's path in @path.  0, or -1 if a file could not
 * be written.
 */
int fixture_corpus(const char *stem, const uint8_t *p, unsigned int n, unsigned int page_size,
		   char *path, size_t len);
/* Remove the corpus at @path and its manifest. */
void fixture_corpus_remove(const char *path);

#endif /* ZPB_TEST_FIXTURE_H */
