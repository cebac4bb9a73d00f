// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_trace.c - the size-trace reader: valid traces, and the exact error
 * line for each kind of bad input.
 */
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "driver/trace.h"

/* Parse @text fully; return the number of ops, or -1 with the error in @err. */
static int parse_all(const char *text, struct trace_op *ops, int max, char *err, size_t errlen)
{
	struct trace_reader r;
	struct trace_op op;
	int n = 0, ret;

	if (trace_open_mem(&r, text, strlen(text), "t.trace", err, errlen))
		return -1;
	while ((ret = trace_next(&r, &op, err, errlen)) == 1) {
		if (n < max)
			ops[n] = op;
		n++;
	}
	trace_close(&r);
	return ret < 0 ? -1 : n;
}

TEST(trace_valid)
{
	struct trace_op ops[8];
	char err[256];
	const char *t = "# zpoolbench-trace v1\n"
			"# comment\n"
			"a 1 100\n"
			"\n"
			"a 18446744073709551615 4096\n"
			"  # indented comment\n"
			"f 1\n"
			"c\n"
			"a 2 1\r\n";

	CHECK_EQ(parse_all(t, ops, 8, err, sizeof(err)), 5);
	CHECK_EQ(ops[0].op, 'a');
	CHECK_EQ(ops[0].id, 1);
	CHECK_EQ(ops[0].size, 100);
	CHECK_EQ(ops[0].line, 3);
	CHECK(ops[1].id == UINT64_MAX);
	CHECK_EQ(ops[1].size, 4096);
	CHECK_EQ(ops[2].op, 'f');
	CHECK_EQ(ops[2].line, 7);
	CHECK_EQ(ops[3].op, 'c');
	CHECK_EQ(ops[4].size, 1);
}

TEST(trace_header_only_is_empty)
{
	struct trace_op ops[1];
	char err[256];

	CHECK_EQ(parse_all("# zpoolbench-trace v1\n", ops, 1, err, sizeof(err)), 0);
	CHECK_EQ(parse_all("# zpoolbench-trace v1", ops, 1, err, sizeof(err)), 0);
}

struct bad_case {
	const char *text;
	const char *error;
};

static const struct bad_case bad[] = {
	{ "",
	  "t.trace: empty file, not a zpoolbench trace (first line must be '# zpoolbench-trace v1')" },
	{ "a 1 100\n", "t.trace:1: missing header: first line must be '# zpoolbench-trace v1'" },
	{ "# zpoolbench-trace v2\na 1 1\n",
	  "t.trace:1: unsupported trace version 'v2' (this build reads v1)" },
	{ "# zpoolbench-trace v1\nx 1\n",
	  "t.trace:2: unknown operation 'x 1' (valid: 'a ID SIZE', 'f ID', 'c')" },
	{ "# zpoolbench-trace v1\na 1 0\n", "t.trace:2: size 0 out of range 1..4096" },
	{ "# zpoolbench-trace v1\na 1 4097\n", "t.trace:2: size 4097 out of range 1..4096" },
	{ "# zpoolbench-trace v1\n#\na 1 99999999999999999999999\n",
	  "t.trace:3: malformed store, expected 'a ID SIZE': 'a 1 99999999999999999999999'" },
	{ "# zpoolbench-trace v1\na 1\n", "t.trace:2: malformed store, expected 'a ID SIZE': 'a 1'" },
	{ "# zpoolbench-trace v1\na -1 5\n",
	  "t.trace:2: malformed store, expected 'a ID SIZE': 'a -1 5'" },
	{ "# zpoolbench-trace v1\na1 5\n",
	  "t.trace:2: malformed store, expected 'a ID SIZE': 'a1 5'" },
	{ "# zpoolbench-trace v1\na 1 5 6\n",
	  "t.trace:2: malformed store, expected 'a ID SIZE': 'a 1 5 6'" },
	{ "# zpoolbench-trace v1\nf\n", "t.trace:2: malformed free, expected 'f ID': 'f'" },
	{ "# zpoolbench-trace v1\nf x\n", "t.trace:2: malformed free, expected 'f ID': 'f x'" },
	{ "# zpoolbench-trace v1\nc 1\n", "t.trace:2: malformed compaction, expected 'c': 'c 1'" },
	{ "# zpoolbench-trace v1\n# page_size 16384\na 1 16385\n",
	  "t.trace:3: size 16385 out of range 1..16384" },
	{ "# zpoolbench-trace v1\n# page_size 8192\n",
	  "t.trace:2: bad page size '8192' (valid: 4096, 16384, 65536)" },
	{ "# zpoolbench-trace v1\n# page_size\n",
	  "t.trace:2: bad page size '' (valid: 4096, 16384, 65536)" },
	{ "# zpoolbench-trace v1\n# page_size 16384 x\n",
	  "t.trace:2: bad page size '16384 x' (valid: 4096, 16384, 65536)" },
	{ "# zpoolbench-trace v1\n# page_size 16384\n#\n# page_size 16384\n",
	  "t.trace:4: '# page_size' given twice (first at line 2)" },
	{ "# zpoolbench-trace v1\na 1 1\n# page_size 16384\n",
	  "t.trace:3: '# page_size' after the first operation (it must come before)" },
};

TEST(trace_errors_name_file_line_and_problem)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct trace_op ops[4];
		char err[256] = "";

		CHECK_EQ(parse_all(bad[i].text, ops, 4, err, sizeof(err)), -1);
		if (strcmp(err, bad[i].error))
			printf("  case %zu\n", i);
		CHECK_STR(err, bad[i].error);
	}
}

/* Parse @text; its page size, or 0 on an error. */
static uint32_t page_size_of(const char *text, int *nops)
{
	struct trace_reader r;
	struct trace_op op;
	char err[256];
	uint32_t page;
	int ret;

	*nops = 0;
	if (trace_open_mem(&r, text, strlen(text), "t.trace", err, sizeof(err)))
		return 0;
	while ((ret = trace_next(&r, &op, err, sizeof(err))) == 1)
		(*nops)++;
	page = r.page_size;
	trace_close(&r);
	return ret < 0 ? 0 : page;
}

TEST(trace_page_size_line)
{
	int n;

	/* no line: 4 KiB, as every trace before the line existed */
	CHECK_EQ(page_size_of("# zpoolbench-trace v1\na 1 4096\n", &n), 4096);
	CHECK_EQ(n, 1);
	CHECK_EQ(page_size_of("# zpoolbench-trace v1\n# comment\n  # page_size 16384\n"
			      "a 1 16384\nf 1\n",
			      &n),
		 16384);
	CHECK_EQ(n, 2);
	CHECK_EQ(page_size_of("# zpoolbench-trace v1\n# page_size\t65536\na 1 65536\n", &n), 65536);
	CHECK_EQ(page_size_of("# zpoolbench-trace v1\n# page_size 4096\na 1 4096\n", &n), 4096);
	/* a comment that only starts like it */
	CHECK_EQ(page_size_of("# zpoolbench-trace v1\n# page_sizes vary\na 1 4096\n", &n), 4096);
	/* declared, no operation */
	CHECK_EQ(page_size_of("# zpoolbench-trace v1\n# page_size 16384\n", &n), 16384);
	CHECK_EQ(n, 0);
}

TEST(trace_page_size_write_read)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct trace_op in = { .op = 'a', .id = 3, .size = 16000 }, out[1];
	char err[256];

	CHECK(f);
	trace_write_header(f);
	trace_write_page_size(f, 16384);
	trace_write_op(f, &in);
	fclose(f);
	CHECK_STR(buf, "# zpoolbench-trace v1\n# page_size 16384\na 3 16000\n");
	CHECK_EQ(parse_all(buf, out, 1, err, sizeof(err)), 1);
	CHECK_EQ(out[0].size, 16000);
	free(buf);
	/* 4 KiB is the default: no line */
	buf = NULL;
	f = open_memstream(&buf, &len);
	CHECK(f);
	trace_write_page_size(f, 4096);
	fclose(f);
	CHECK_EQ(len, 0);
	free(buf);
}

TEST(trace_nul_byte_rejected)
{
	static const char t[] = "# zpoolbench-trace v1\na 1\0 5\n";
	struct trace_reader r;
	struct trace_op op;
	char err[256];

	CHECK_EQ(trace_open_mem(&r, t, sizeof(t) - 1, "t.trace", err, sizeof(err)), 0);
	CHECK_EQ(trace_next(&r, &op, err, sizeof(err)), -1);
	CHECK_STR(err, "t.trace:2: NUL byte in line");
	trace_close(&r);
}

TEST(trace_write_read_roundtrip)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct trace_op in[3] = { { .op = 'a', .id = 7, .size = 321 },
				  { .op = 'f', .id = 7 },
				  { .op = 'c' } },
			out[3];
	char err[256];

	CHECK(f);
	trace_write_header(f);
	for (int i = 0; i < 3; i++)
		trace_write_op(f, &in[i]);
	fclose(f);
	CHECK_EQ(parse_all(buf, out, 3, err, sizeof(err)), 3);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(out[i].op, in[i].op);
		CHECK(out[i].id == in[i].id);
		CHECK_EQ(out[i].size, in[i].size);
	}
	free(buf);
}
