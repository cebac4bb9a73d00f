// SPDX-License-Identifier: GPL-2.0-only
/*
 * speccheck.c - see speccheck.h.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/speccheck.h"

int spec_check_all(char (*specs)[ZPOOL_SPEC_MAX], int n, char *err, size_t errlen)
{
	for (int i = 0; i < n; i++) {
		struct zpool *zp = zpool_create(specs[i], NULL, err, errlen);

		if (!zp)
			return -1;
		zpool_destroy(zp);
	}
	return 0;
}

/* The same rule as corpus.c's naming: the base name without .zst, then .pages. */
static void name_of(const char *path, char *out, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".zst"))
		n -= 4;
	if (n > 6 && !strncmp(base + n - 6, ".pages", 6))
		n -= 6;
	snprintf(out, len, "%.*s", (int)n, base);
}

int corpus_names_check(const char *const *paths, int n, char *err, size_t errlen)
{
	char a[256], b[256];

	for (int i = 0; i < n; i++) {
		name_of(paths[i], a, sizeof(a));
		for (int j = i + 1; j < n; j++) {
			name_of(paths[j], b, sizeof(b));
			if (strcmp(a, b))
				continue;
			if (!strcmp(paths[i], paths[j]))
				snprintf(err, errlen, "--corpus %s is given twice", paths[i]);
			else
				snprintf(err, errlen,
					 "--corpus %s and %s would both be named '%s' in the "
					 "results; give one another file name (e.g. a copy or a symlink "
					 "named other-%s.pages)",
					 paths[i], paths[j], a, a);
			return -1;
		}
	}
	return 0;
}
