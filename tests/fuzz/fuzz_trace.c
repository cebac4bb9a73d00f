// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_trace.c - the size-trace reader (bench/driver/trace.h).
 *
 * Any input either fails with one line naming the input, or reads as ops
 * within the format's ranges; the ops read are written back with the writer
 * and must read back identical (the writer and the reader agree).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/trace.h"

#define MAX_OPS 4096

static void check_msg(const char *err)
{
	/* one line, naming the input */
	if (!*err || strpbrk(err, "\n\r\t\x1b") || strncmp(err, "fuzz", 4)) {
		fprintf(stderr, "bad message: '%s'\n", err);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct trace_op ops[MAX_OPS];
	struct trace_reader r;
	struct trace_op op;
	char err[1024], *buf = NULL;
	size_t len = 0;
	int n, nops = 0;
	uint32_t page;
	FILE *w;

	if (trace_open_mem(&r, data, size, "fuzz", err, sizeof(err))) {
		check_msg(err);
		return 0;
	}
	while (nops < MAX_OPS && (n = trace_next(&r, &op, err, sizeof(err))) == 1) {
		if ((op.op != 'a' && op.op != 'f' && op.op != 'c') ||
		    (op.op == 'a' && (op.size < 1 || op.size > r.page_size)) || op.line < 2)
			abort();
		ops[nops++] = op;
	}
	if (nops < MAX_OPS && n < 0)
		check_msg(err);
	page = r.page_size;
	if (page != 4096 && page != 16384 && page != 65536)
		abort();
	trace_close(&r);

	/* round trip through the writer */
	w = open_memstream(&buf, &len);
	if (!w)
		return 0;
	trace_write_header(w);
	trace_write_page_size(w, page);
	for (int i = 0; i < nops; i++)
		trace_write_op(w, &ops[i]);
	fclose(w);
	if (trace_open_mem(&r, buf, len, "fuzz-rewritten", err, sizeof(err)))
		abort();
	for (int i = 0; i < nops; i++) {
		if (trace_next(&r, &op, err, sizeof(err)) != 1 || op.op != ops[i].op ||
		    op.id != ops[i].id || op.size != ops[i].size ||
		    op.line != (unsigned long)i + 2 + (page != TRACE_MAX_SIZE))
			abort();
	}
	if (trace_next(&r, &op, err, sizeof(err)) != 0)
		abort();
	trace_close(&r);
	free(buf);
	return 0;
}
