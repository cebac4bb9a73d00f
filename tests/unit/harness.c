// SPDX-License-Identifier: GPL-2.0-only
/*
 * harness.c - runner of the unit tests (see tests/harness.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"

#define MAX_TESTS 1024

static const struct zt_test *tests[MAX_TESTS];
static int ntests;
static int cur_failed, cur_skipped;
static char skip_reason[256];

void zt_register(const struct zt_test *t)
{
	if (ntests == MAX_TESTS)
		abort();
	tests[ntests++] = t;
}

void zt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	cur_failed = 1;
	fprintf(stdout, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

void zt_skip(const char *reason)
{
	cur_skipped = 1;
	snprintf(skip_reason, sizeof(skip_reason), "%s", reason);
}

int zt_failed(void)
{
	return cur_failed;
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const struct zt_test *const *)a)->name,
		      (*(const struct zt_test *const *)b)->name);
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	qsort(tests, ntests, sizeof(tests[0]), by_name);
	for (int i = 0; i < ntests; i++) {
		int match = argc < 2;

		for (int j = 1; j < argc && !match; j++)
			match = strstr(tests[i]->name, argv[j]) != NULL;
		if (!match)
			continue;
		cur_failed = cur_skipped = 0;
		tests[i]->fn();
		if (cur_failed) {
			printf("FAIL %s\n", tests[i]->name);
			failed++;
		} else if (cur_skipped) {
			printf("skip %s: %s\n", tests[i]->name, skip_reason);
			skipped++;
		} else {
			printf("ok   %s\n", tests[i]->name);
			passed++;
		}
	}
	printf("unit: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
