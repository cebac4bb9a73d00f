// SPDX-License-Identifier: GPL-2.0-only
/*
 * optcheck.c - see optcheck.h.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/optcheck.h"
#include "corpus/corpus.h"
#include "opt.h"

int optcheck_pages_out(const char *val, char *why, size_t len)
{
	size_t n = strlen(val);

	if (n > 6 && !strcmp(val + n - 6, ".pages") && val[n - 7] != '/')
		return 0;
	snprintf(why, len,
		 "must end in .pages (compress afterwards with zstd -19 to get "
		 ".pages.zst), not '%.200s'",
		 val);
	return -1;
}

int optcheck_package(const char *val, char *why, size_t len)
{
	const char *eq = strchr(val, '=');

	if (eq && eq != val && eq[1])
		return 0;
	snprintf(why, len, "takes NAME=VERSION, not '%.200s'", val);
	return -1;
}

int optcheck_nonempty(const char *val, char *why, size_t len)
{
	if (*val)
		return 0;
	snprintf(why, len, "is empty");
	return -1;
}

int optcheck_page_size(const char *val, char *why, size_t len)
{
	uint64_t v;
	char tmp[8];

	if (!opt_parse_size(val, 1, CORPUS_PAGE_MAX, &v, tmp, sizeof(tmp)) &&
	    corpus_page_size_valid(v))
		return 0;
	snprintf(why, len, "'%.40s' is not a page size (4096, 16384 or 65536; or 4K, 16K, 64K)",
		 val);
	return -1;
}

int optcheck_page_sizes(const char *val, char *why, size_t len)
{
	uint32_t seen[8];
	int n = 0;

	for (const char *p = val;;) {
		size_t k = strcspn(p, ",");
		char item[48];
		uint64_t v;

		snprintf(item, sizeof(item), "%.*s", (int)(k < 47 ? k : 47), p);
		if (optcheck_page_size(item, why, len))
			return -1;
		opt_parse_size(item, 1, CORPUS_PAGE_MAX, &v, item, sizeof(item));
		for (int i = 0; i < n; i++) {
			if (seen[i] == v) {
				snprintf(why, len, "%llu given twice in '%.60s'",
					 (unsigned long long)v, val);
				return -1;
			}
		}
		if (n < 8)
			seen[n++] = (uint32_t)v;
		if (!p[k])
			return 0;
		p += k + 1;
	}
}

int optcheck_page_sizes_parse(const char *val, uint32_t *out, int max)
{
	int n = 0;

	for (const char *p = val; n < max;) {
		size_t k = strcspn(p, ",");
		char item[48], tmp[8];
		uint64_t v;

		snprintf(item, sizeof(item), "%.*s", (int)(k < 47 ? k : 47), p);
		if (!opt_parse_size(item, 1, CORPUS_PAGE_MAX, &v, tmp, sizeof(tmp)))
			out[n++] = (uint32_t)v;
		if (!p[k])
			break;
		p += k + 1;
	}
	return n;
}
