// SPDX-License-Identifier: GPL-2.0-only
/*
 * optcheck.c - see optcheck.h.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/optcheck.h"

int optcheck_pages_out(const char *val, char *why, size_t len)
{
	size_t n = strlen(val);

	if (n > 6 && !strcmp(val + n - 6, ".pages") && val[n - 7] != '/')
		return 0;
	snprintf(why, len, "must end in .pages (compress afterwards with zstd -19 to get "
			   ".pages.zst), not '%.200s'", val);
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
