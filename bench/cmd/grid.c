// SPDX-License-Identifier: GPL-2.0-only
/*
 * grid.c - see grid.h.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/grid.h"

static int push(char (*out)[GRID_LINE_MAX], int *n, int max, const char *s, char *err, size_t errlen)
{
	if (*n == max) {
		snprintf(err, errlen, "the grid expands to more than %d specs", max);
		return -1;
	}
	if (strlen(s) >= GRID_LINE_MAX) {
		snprintf(err, errlen, "an expanded list is too long (at most %d characters)",
			 GRID_LINE_MAX - 1);
		return -1;
	}
	strcpy(out[(*n)++], s);
	return 0;
}

/* A whole decimal long long, overflow checked; 0 or -1. */
static int parse_ll(const char *s, long long *out)
{
	char *end;

	if (!*s)
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno || *end ? -1 : 0;
}

/*
 * "A..B" with integers A <= B: 1 with the bounds and the number of values
 * less one in *span; 0 if not a range; -1 if a bad one (with @err).
 */
static int is_range(const char *s, size_t len, long long *a, uint64_t *span, char *err,
		    size_t errlen)
{
	char buf[64], *dots;
	long long b;

	if (len >= sizeof(buf) || !memmem(s, len, "..", 2))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	dots = strstr(buf, "..");
	*dots = '\0';
	if (parse_ll(buf, a) || parse_ll(dots + 2, &b) || b < *a) {
		snprintf(err, errlen,
			 "bad range '{%.*s}' in grid (want {A..B}, A <= B, 64-bit integers)",
			 (int)len, s);
		return -1;
	}
	/* the difference in unsigned arithmetic: B - A may not fit a long long */
	*span = (uint64_t)b - (uint64_t)*a;
	if (*span >= GRID_RANGE_MAX) {
		snprintf(err, errlen, "range '{%.*s}' in grid has more than %d values", (int)len, s,
			 GRID_RANGE_MAX);
		return -1;
	}
	return 1;
}

static int expand(const char *pat, char (*out)[GRID_LINE_MAX], int *n, int max, char *err,
		  size_t errlen)
{
	const char *open = strchr(pat, '{'), *close, *alt;
	size_t plen = strlen(pat);
	char *buf;
	long long a;
	uint64_t span;
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
	r = is_range(open + 1, close - open - 1, &a, &span, err, errlen);
	if (r < 0) {
		ret = -1;
	} else if (r > 0) {
		for (uint64_t i = 0; i <= span && !ret; i++) {
			/* a + i <= B: no overflow */
			snprintf(buf, plen + 32, "%.*s%lld%s", (int)(open - pat), pat,
				 a + (long long)i, close + 1);
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
			snprintf(buf, plen + 32, "%.*s%.*s%s", (int)(open - pat), pat, (int)len,
				 alt, close + 1);
			ret = expand(buf, out, n, max, err, errlen);
			alt += len + 1;
		}
	}
	free(buf);
	return ret;
}

int grid_expand(const char *pattern, char (*out)[GRID_LINE_MAX], int max, char *err, size_t errlen)
{
	int n = 0;

	if (!pattern || !*pattern) {
		snprintf(err, errlen, "empty allocator grid");
		return -1;
	}
	if (strlen(pattern) >= GRID_LINE_MAX) {
		snprintf(err, errlen, "the list is longer than %d characters", GRID_LINE_MAX - 1);
		return -1;
	}
	if (expand(pattern, out, &n, max, err, errlen))
		return -1;
	return n;
}
