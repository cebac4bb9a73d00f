// SPDX-License-Identifier: GPL-2.0-only
/*
 * fixture.c - corpora the unit tests build (fixture.h).
 */
#include <stdio.h>
#include <unistd.h>

#include "corpus/corpus.h"
#include "fixture.h"
#include "sha256.h"

int fixture_corpus(const char *stem, const uint8_t *p, unsigned int n, unsigned int page_size,
		   char *path, size_t len)
{
	size_t bytes = (size_t)n * page_size;
	char sha[65], mpath[256];
	FILE *f;
	int ret;

	snprintf(path, len, "/tmp/zpb-test-%s.%d.pages", stem, (int)getpid());
	corpus_manifest_path(path, mpath, sizeof(mpath));
	f = fopen(path, "w");
	if (!f)
		return -1;
	ret = fwrite(p, 1, bytes, f) == bytes ? 0 : -1;
	if (fclose(f))
		ret = -1;
	if (ret)
		return -1;
	sha256_buf_hex(p, bytes, sha);
	f = fopen(mpath, "w");
	if (!f)
		return -1;
	fprintf(f,
		"{\"format\": \"zpoolbench-corpus\", \"format_version\": 1, \"page_size\": %u, "
		"\"pages\": %u, \"sha256\": \"%s\"}\n",
		page_size, n, sha);
	return fclose(f) ? -1 : 0;
}

void fixture_corpus_remove(const char *path)
{
	char mpath[256];

	corpus_manifest_path(path, mpath, sizeof(mpath));
	unlink(path);
	unlink(mpath);
}
