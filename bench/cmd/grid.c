// SPDX-License-Identifier: GPL-2.0-only
/*
 * grid.c - see grid.h.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/grid.h"

static int push(char (*out)[ZPOOL_SPEC_MAX], int *n, int max, const char *s, char *err,
		size_t errlen)
{
	if (*n == max) {
		snprintf(err, errlen, "the grid expands to more than %d specs", max);
		return -1;
	}
	if (strlen(s) >= ZPOOL_SPEC_MAX) {
		snprintf(err, errlen, "an expanded spec is too long (at most %d characters)",
			 ZPOOL_SPEC_MAX - 1);
		return -1;
	}
	strcpy(out[(*n)++], s);
	return 0;
}

/* "A..B" with integers A <= B: true and the bounds */
static int is_range(const char *s, size_t len, long *a, long *b)
{
	char buf[64], *dots, *end;

	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	dots = strstr(buf, "..");
	if (!dots)
		return 0;
	*dots = '\0';
	*a = strtol(buf, &end, 10);
	if (end == buf || *end)
		return -1;
	*b = strtol(dots + 2, &end, 10);
	if (end == dots + 2 || *end || *b < *a || *b - *a > 10000)
		return -1;
	return 1;
}

static int expand(const char *pat, char (*out)[ZPOOL_SPEC_MAX], int *n, int max, char *err,
		  size_t errlen)
{
	const char *open = strchr(pat, '{'), *close, *alt;
	size_t plen = strlen(pat);
	char *buf;
	long a, b;
	int r, ret = 0;

	if (!open) {
		if (strchr(pat, '}')) {
			snprintf(err, errlen, "unbalanced '}' in grid '%s'", pat);
			return -1;
		}
		return push(out, n, max, pat, err, errlen);
	}
	close = strchr(open + 1, '}');
	if (!close) {
		snprintf(err, errlen, "unbalanced '{' in grid '%s'", pat);
		return -1;
	}
	if (memchr(open + 1, '{', close - open - 1)) {
		snprintf(err, errlen, "nested braces in grid '%s' are not supported", pat);
		return -1;
	}
	buf = malloc(plen + 32);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r = is_range(open + 1, close - open - 1, &a, &b);
	if (r < 0) {
		snprintf(err, errlen, "bad range '{%.*s}' in grid (want {A..B}, A <= B)",
			 (int)(close - open - 1), open + 1);
		ret = -1;
	} else if (r > 0) {
		for (long v = a; v <= b && !ret; v++) {
			snprintf(buf, plen + 32, "%.*s%ld%s", (int)(open - pat), pat, v, close + 1);
			ret = expand(buf, out, n, max, err, errlen);
		}
	} else {
		for (alt = open + 1; alt <= close && !ret;) {
			size_t len = strcspn(alt, ",}");

			if (len == 0) {
				snprintf(err, errlen, "empty alternative in '{%.*s}'",
					 (int)(close - open - 1), open + 1);
				ret = -1;
				break;
			}
			snprintf(buf, plen + 32, "%.*s%.*s%s", (int)(open - pat), pat, (int)len, alt,
				 close + 1);
			ret = expand(buf, out, n, max, err, errlen);
			alt += len + 1;
		}
	}
	free(buf);
	return ret;
}

int grid_expand(const char *pattern, char (*out)[ZPOOL_SPEC_MAX], int max, char *err,
		size_t errlen)
{
	int n = 0;

	if (!pattern || !*pattern) {
		snprintf(err, errlen, "empty allocator grid");
		return -1;
	}
	if (expand(pattern, out, &n, max, err, errlen))
		return -1;
	return n;
}
