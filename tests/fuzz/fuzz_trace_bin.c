// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_trace_bin.c - the binary size-trace reader (bench/driver/trace_bin.c).
 *
 * The first byte chooses what the rest is: even, a whole file as it is;
 * odd, the records of a file whose header and zstd frame are made here (so
 * that mutations reach the record decoder instead of failing zstd's
 * checksum), the page size from bits 1-2.  Any input either fails with one
 * line naming the input, or reads as ops within the format's ranges; what
 * was read must then come back the same through the binary writer and
 * through the text writer and reader, slots included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include <zstd.h>

#include "driver/trace.h"

#define MAX_ITEMS 4096

struct item {
	char op;
	bool fresh;
	uint32_t size;
	uint64_t id, slot;
	char comment[TRACE_LINE_MAX];
};

static struct item got[MAX_ITEMS], again[MAX_ITEMS];

static void check_msg(const char *err, const char *name)
{
	/* one line, naming the input */
	if (!*err || strpbrk(err, "\n\r\t\x1b") || strncmp(err, name, strlen(name))) {
		fprintf(stderr, "bad message: '%s'\n", err);
		abort();
	}
}

/* Every item of a trace in memory; the count, or -1 (the error checked). */
static int read_items(const void *data, size_t len, const char *name, struct item *it,
		      uint32_t *page, char *prov)
{
	struct trace_reader r;
	struct trace_op op;
	char err[1024];
	int n = 0, ret;

	if (trace_open_mem(&r, data, len, name, err, sizeof(err))) {
		check_msg(err, name);
		return -1;
	}
	trace_want_comments(&r);
	trace_set_strict(&r);
	while (n < MAX_ITEMS && (ret = trace_next(&r, &op, err, sizeof(err))) == 1) {
		struct item *x = &it[n++];

		if ((op.op == 'a' && (op.size < 1 || op.size > r.page_size)) ||
		    (op.op != 'a' && op.op != 'f' && op.op != 'c' && op.op != '#'))
			abort();
		memset(x, 0, sizeof(*x));
		x->op = op.op;
		x->id = op.id;
		x->size = op.size;
		x->slot = op.slot;
		x->fresh = op.fresh;
		if (op.op == '#')
			snprintf(x->comment, sizeof(x->comment), "%s", r.comment);
	}
	if (n == MAX_ITEMS)
		ret = 0; /* long enough */
	else if (ret < 0)
		check_msg(err, name);
	*page = r.page_size;
	if (prov)
		strcpy(prov, r.provenance);
	trace_close(&r);
	return ret < 0 ? -1 : n;
}

/* The items written in @fmt into a fresh buffer (*len bytes). */
static char *write_items(const struct item *it, int n, enum trace_format fmt, uint32_t page,
			 const char *prov, size_t *len)
{
	struct trace_writer w;
	FILE *f = tmpfile();
	char *buf;
	long end;

	if (!f)
		abort();
	if (trace_writer_open(&w, f, fmt, page, prov))
		abort();
	for (int i = 0; i < n; i++) {
		struct trace_op op = { .op = it[i].op, .id = it[i].id, .size = it[i].size };

		if (it[i].op == '#' ? trace_writer_comment(&w, it[i].comment)
				    : trace_writer_op(&w, &op))
			abort();
	}
	if (trace_writer_close(&w))
		abort();
	end = ftell(f);
	buf = malloc(end > 0 ? end : 1);
	if (!buf || fseek(f, 0, SEEK_SET) || fread(buf, 1, end, f) != (size_t)end)
		abort();
	fclose(f);
	*len = (size_t)end;
	return buf;
}

static void same(const struct item *a, const struct item *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i].op != b[i].op || a[i].id != b[i].id || a[i].size != b[i].size ||
		    a[i].slot != b[i].slot || a[i].fresh != b[i].fresh ||
		    strcmp(a[i].comment, b[i].comment))
			abort();
}

/* A file around @rec: a valid header (no counts) and one zstd frame. */
static uint8_t *wrap(const uint8_t *rec, size_t n, uint32_t page, size_t *len)
{
	size_t cap = ZSTD_compressBound(n), z;
	uint8_t *buf = calloc(1, 96 + cap);
	uint64_t sum;

	if (!buf)
		abort();
	memcpy(buf, "\x89ZPBTRC\n", 8);
	buf[8] = 1;		    /* version */
	buf[12] = 96;		    /* header bytes */
	memcpy(buf + 16, &page, 4); /* little-endian hosts only: a test */
	z = ZSTD_compress(buf + 96, cap, rec, n, 1);
	if (ZSTD_isError(z))
		abort();
	memcpy(buf + 72, &(uint64_t){ z }, 8);
	sum = XXH3_64bits(buf, 96);
	memcpy(buf + 80, &sum, 8);
	*len = 96 + z;
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t pages[4] = { 4096, 16384, 65536, 4096 };
	static char prov[TRACE_LINE_MAX], prov2[TRACE_LINE_MAX];
	const uint8_t *file = data + 1;
	uint8_t *made = NULL;
	size_t len = size ? size - 1 : 0, blen, tlen;
	uint32_t page, page2;
	char *bin, *txt;
	int n;

	if (size && (data[0] & 1))
		file = made = wrap(data + 1, size - 1, pages[(data[0] >> 1) & 3], &len);
	n = read_items(file, len, "fuzz", got, &page, prov);
	free(made);
	if (n < 0)
		return 0;
	if (page != 4096 && page != 16384 && page != 65536)
		abort();

	/* the binary writer, read back: the same items, slots included */
	bin = write_items(got, n, TRACE_BINARY, page, prov, &blen);
	if (read_items(bin, blen, "fuzz-bin", again, &page2, prov2) != n || page2 != page ||
	    strcmp(prov, prov2))
		abort();
	same(got, again, n);
	free(bin);

	/* the text writer and reader: the same, the provenance as a first comment */
	txt = write_items(got, n, TRACE_TEXT, page, NULL, &tlen);
	if (read_items(txt, tlen, "fuzz-text", again, &page2, NULL) != n || page2 != page)
		abort();
	same(got, again, n);
	free(txt);
	return 0;
}
