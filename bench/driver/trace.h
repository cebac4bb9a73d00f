/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * trace.h - size traces, format v1: the contract of every fidelity check.
 *
 *	# zpoolbench-trace v1          first line, exactly
 *	# page_size N                  optional, before the first operation:
 *	                               the page size (4096, 16384, 65536);
 *	                               without it, 4096
 *	# any comment                  anywhere; blank lines are ignored
 *	a ID SIZE                      store SIZE bytes (1..page size) under ID
 *	f ID                           free the object stored under ID
 *	c                              compact the pool
 *
 * ID is a decimal integer below 2^64.  A line holds at most TRACE_LINE_MAX
 * bytes; a trace is a regular file (a FIFO or a device such as /dev/zero is
 * refused at once, without reading), or "-": standard input, whatever it is,
 * which can be read once per process.  The reader checks syntax and ranges;
 * what depends on state (a store of a live ID, a free of an ID never stored)
 * is checked by whoever replays the trace.  Errors come as one line
 * "FILE:LINE: problem".
 */
#ifndef ZPB_TRACE_H
#define ZPB_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TRACE_HEADER "# zpoolbench-trace v1"
#define TRACE_MAX_SIZE 4096 /* the page size of a trace with no '# page_size' line */
#define TRACE_LINE_MAX 4096 /* bytes in a line, comments included; longer is an error */
#define TRACE_PAGE_SIZE "# page_size" /* then blanks and N */

struct trace_op {
	char op;	    /* 'a', 'f' or 'c' */
	uint64_t id;
	uint32_t size;	    /* for 'a' */
	unsigned long line; /* line number in the file, from 1 */
};

struct trace_reader {
	FILE *f;
	char name[512];
	unsigned long line;
	char *buf;
	size_t cap;
	int own; /* close f on trace_close */
	uint32_t page_size; /* '# page_size N', or TRACE_MAX_SIZE; final once an op is read */
	int ops_read;
	int page_size_line;  /* where '# page_size' was given, 0: not given */
};

/* 0, or -1 with "FILE: problem" in @err.  Checks the header line.  "-": stdin. */
int trace_open(struct trace_reader *r, const char *path, char *err, size_t errlen);
/* Same over a buffer in memory (fuzzing, tests); @name is used in messages. */
int trace_open_mem(struct trace_reader *r, const void *data, size_t len, const char *name,
		   char *err, size_t errlen);
/* 1 with the next op, 0 at the end, -1 with "FILE:LINE: problem" in @err. */
int trace_next(struct trace_reader *r, struct trace_op *op, char *err, size_t errlen);
void trace_close(struct trace_reader *r);

/*
 * The page size of the trace at @path (read up to its first operation), in
 * @page_size; 0, or -1 with "FILE[:LINE]: problem" in @err.  "-" (standard
 * input) is not read, since it can be read once only: @page_size is then 0,
 * unknown.
 */
int trace_peek_page_size(const char *path, uint32_t *page_size, char *err, size_t errlen);

/* Writing: the header, the page size line (for a page size other than 4096), one op per line. */
void trace_write_header(FILE *f);
void trace_write_page_size(FILE *f, uint32_t page_size);
void trace_write_op(FILE *f, const struct trace_op *op);

#endif /* ZPB_TRACE_H */
