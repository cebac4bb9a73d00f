// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_oneline.c - error messages stay one line whatever user text they
 * quote (regression: fuzz_spec found "unknown allocator '\n'" printed over
 * two lines by the spec parser).
 */
#include <errno.h>
#include <string.h>

#include "../harness.h"
#include "driver/trace.h"
#include "zpool.h"

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

TEST(oneline_spec_errors)
{
	static const char *const bad[] = { "\n", "zb\nud", "zbud:l\tru=1", "zbud:lru=\x1b[1m",
					   "zbud:lru=0,\r=1" };
	struct zpool_config cfg;
	char out[4][ZPOOL_SPEC_MAX], err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(zpool_parse_spec(bad[i], &cfg, err, sizeof(err)), -EINVAL);
		CHECK(!has_control(err));
	}
	CHECK_EQ(zpool_parse_spec("\n", &cfg, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "unknown allocator '?' (valid: ") == err);
	CHECK_EQ(zpool_split_specs("zbud,\n,", out, 4, err, sizeof(err)), -EINVAL);
	CHECK(!has_control(err));
}

TEST(oneline_trace_errors)
{
	static const char *const bad[] = { "# zpoolbench-trace v1\n\x1b[31m 1 2\n",
					   "# zpoolbench-trace v1\na\t1\t\x01\n",
					   "# zpoolbench-trace v1\nf 1\tx\n" };
	struct trace_reader r;
	struct trace_op op;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(trace_open_mem(&r, bad[i], strlen(bad[i]), "t\x1bx", err, sizeof(err)), 0);
		CHECK_EQ(trace_next(&r, &op, err, sizeof(err)), -1);
		CHECK(!has_control(err));
		CHECK(strstr(err, "t?x:2: ") == err);
		trace_close(&r);
	}
	CHECK_EQ(trace_open_mem(&r, "x\n", 2, "a\nb", err, sizeof(err)), -1);
	CHECK(!has_control(err));
}
