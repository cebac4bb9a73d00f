// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_trace_bin.c - the binary size trace: lossless both ways, the same
 * slots as the text reader gives, and a one-line error for every kind of
 * damage (cut short, a byte changed, bytes added, a header that lies).
 */
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "driver/trace.h"
#include "util.h"

struct item {
	char op;
	uint64_t id, slot;
	uint32_t size;
	bool fresh;
	unsigned long line;
	char comment[64];
};

/* Everything @data holds (comments too); the count, or -1 with @err. */
static int read_all(const void *data, size_t len, bool strict, struct item *it, int max,
		    uint32_t *page, char *prov, char *err, size_t errlen)
{
	struct trace_reader r;
	struct trace_op op;
	int n = 0, ret;

	if (trace_open_mem(&r, data, len, "t", err, errlen))
		return -1;
	trace_want_comments(&r);
	if (strict)
		trace_set_strict(&r);
	while ((ret = trace_next(&r, &op, err, errlen)) == 1) {
		if (n < max) {
			memset(&it[n], 0, sizeof(it[n])); /* padding too: items are compared whole */
			it[n].op = op.op;
			it[n].id = op.id;
			it[n].slot = op.slot;
			it[n].size = op.size;
			it[n].fresh = op.fresh;
			it[n].line = op.line;
			if (op.op == '#')
				snprintf(it[n].comment, sizeof(it[n].comment), "%s", r.comment);
		}
		n++;
	}
	if (page)
		*page = r.page_size;
	if (prov)
		strcpy(prov, r.provenance);
	trace_close(&r);
	return ret < 0 ? -1 : n;
}

/* The contents of @f (read from its start) in a buffer (*len bytes, to free); closes @f. */
static char *slurp(FILE *f, size_t *len)
{
	long n = ftell(f);
	char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;

	if (!buf || fseek(f, 0, SEEK_SET) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	fclose(f);
	return buf;
}

/*
 * Write @n items with the writer in @fmt into a buffer (*len bytes, to
 * free).  Through a temporary file: the binary writer seeks back to its
 * header, which a memory stream does not take.
 */
static char *write_all(const struct item *it, int n, enum trace_format fmt, uint32_t page,
		       const char *prov, size_t *len)
{
	struct trace_writer w;
	FILE *f = tmpfile();

	if (!f || trace_writer_open(&w, f, fmt, page, prov))
		return NULL;
	for (int i = 0; i < n; i++) {
		struct trace_op op = { .op = it[i].op, .id = it[i].id, .size = it[i].size };

		if (it[i].op == '#' ? trace_writer_comment(&w, it[i].comment)
				    : trace_writer_op(&w, &op))
			return NULL;
	}
	if (trace_writer_close(&w))
		return NULL;
	return slurp(f, len);
}

static const char text[] = "# zpoolbench-trace v1\n"
			   "# page_size 16384\n"
			   "# a comment\n"
			   "a 5 100\n"
			   "a 18446744073709551615 16384\n"
			   "\n"
			   "  f   5\n"
			   "a 7 1\n" /* takes slot 0, freed by ID 5 */
			   "#\n"     /* an empty comment */
			   "f 99\n"  /* never stored */
			   "a 7 2\n" /* a store of a live ID */
			   "c\n"
			   "f 18446744073709551615\n"
			   "a 3 9\r\n";

static const char canonical[] = "# zpoolbench-trace v1\n"
				"# page_size 16384\n"
				"# provenance: unit test\n"
				"# a comment\n"
				"a 5 100\n"
				"a 18446744073709551615 16384\n"
				"f 5\n"
				"a 7 1\n"
				"#\n"
				"f 99\n"
				"a 7 2\n"
				"c\n"
				"f 18446744073709551615\n"
				"a 3 9\n";

TEST(trace_text_slots)
{
	struct item it[16];
	char err[256];

	CHECK_EQ(read_all(text, strlen(text), false, it, 16, NULL, NULL, err, sizeof(err)), 11);
	CHECK_EQ(it[0].op, '#');
	CHECK_STR(it[0].comment, " a comment");
	CHECK(it[1].slot == 0 && it[1].fresh);
	CHECK(it[2].slot == 1 && it[2].fresh);
	CHECK(it[3].op == 'f' && it[3].slot == 0);
	CHECK(it[4].slot == 0 && it[4].fresh); /* the slot freed last */
	CHECK_STR(it[5].comment, "");
	CHECK(it[6].op == 'f' && it[6].slot == TRACE_NO_SLOT);
	CHECK(it[7].slot == 0 && !it[7].fresh); /* the ID was live */
	CHECK(it[8].op == 'c');
	CHECK(it[9].slot == 1);
	CHECK(it[10].slot == 1 && it[10].fresh);
}

/* text -> binary -> text is the canonical text, with the provenance line */
TEST(trace_bin_roundtrip_text_binary_text)
{
	struct item a[16], b[16];
	char err[256], prov[4096];
	size_t blen, tlen;
	uint32_t page;
	char *bin, *txt;
	int n;

	n = read_all(text, strlen(text), false, a, 16, NULL, NULL, err, sizeof(err));
	CHECK_EQ(n, 11);
	bin = write_all(a, n, TRACE_BINARY, 16384, "unit test", &blen);
	CHECK(bin);
	CHECK_EQ((unsigned char)bin[0], 0x89);
	CHECK_EQ(read_all(bin, blen, true, b, 16, &page, prov, err, sizeof(err)), n);
	CHECK_EQ(page, 16384);
	CHECK_STR(prov, "unit test");
	for (int i = 0; i < n; i++) {
		CHECK_EQ(b[i].op, a[i].op);
		CHECK(b[i].id == a[i].id);
		CHECK_EQ(b[i].size, a[i].size);
		CHECK(b[i].slot == a[i].slot); /* the same slots as the text reader's */
		CHECK_EQ(b[i].fresh, a[i].fresh);
		CHECK_STR(b[i].comment, a[i].comment);
		/* the line the op has in the text form: header, page_size, provenance */
		CHECK_EQ(b[i].line, (unsigned long)i + 4);
	}
	txt = write_all(b, n, TRACE_TEXT, page, prov, &tlen);
	CHECK(txt);
	CHECK_STR(txt, canonical);
	free(bin);
	free(txt);
}

/* binary -> text -> binary gives the same bytes */
TEST(trace_bin_roundtrip_binary_text_binary)
{
	struct item a[16], b[16];
	char err[256], prov[4096];
	size_t blen, tlen, b2len;
	char *bin, *txt, *bin2;
	int n = read_all(text, strlen(text), false, a, 16, NULL, NULL, err, sizeof(err));

	bin = write_all(a, n, TRACE_BINARY, 16384, "", &blen);
	CHECK(bin);
	CHECK_EQ(read_all(bin, blen, true, b, 16, NULL, prov, err, sizeof(err)), n);
	CHECK_STR(prov, "");
	txt = write_all(b, n, TRACE_TEXT, 16384, prov, &tlen);
	CHECK(txt);
	/* no provenance: no line for it */
	CHECK(!strstr(txt, "provenance"));
	CHECK_EQ(read_all(txt, tlen, false, b, 16, NULL, NULL, err, sizeof(err)), n);
	bin2 = write_all(b, n, TRACE_BINARY, 16384, "", &b2len);
	CHECK(bin2);
	CHECK_EQ(b2len, blen);
	CHECK(!memcmp(bin, bin2, blen));
	free(bin);
	free(bin2);
	free(txt);
}

/* A longer random trace: the same ops and slots from both encodings. */
TEST(trace_bin_random_trace_same_as_text)
{
	enum { N = 20000 };
	struct item *a = calloc(N, sizeof(*a)), *b = calloc(N, sizeof(*b));
	uint64_t rng = 42, live[512];
	int nlive = 0;
	char err[256];
	size_t blen;
	char *bin;

	CHECK(a && b);
	for (int i = 0; i < N; i++) {
		uint64_t x = rng_next(&rng);

		if (x % 97 == 0) {
			a[i].op = 'c';
		} else if (nlive && (nlive == 512 || x % 2)) {
			int k = (int)((x >> 8) % nlive);

			a[i].op = 'f';
			a[i].id = live[k];
			live[k] = live[--nlive];
		} else {
			a[i].op = 'a';
			a[i].id = x % 3 ? (uint64_t)i * 3 : x; /* near and far IDs */
			a[i].size = 1 + (uint32_t)(x >> 20) % 4096;
			live[nlive++] = a[i].id;
		}
	}
	bin = write_all(a, N, TRACE_BINARY, 4096, "random", &blen);
	CHECK(bin);
	CHECK_EQ(read_all(bin, blen, true, b, N, NULL, NULL, err, sizeof(err)), N);
	for (int i = 0; i < N; i++) {
		CHECK_EQ(b[i].op, a[i].op);
		CHECK(b[i].id == a[i].id);
		CHECK_EQ(b[i].size, a[i].size);
	}
	free(bin);
	free(a);
	free(b);
}

static char *sample_binary(size_t *len)
{
	struct item a[16];
	char err[256];
	int n = read_all(text, strlen(text), false, a, 16, NULL, NULL, err, sizeof(err));

	return write_all(a, n, TRACE_BINARY, 16384, "unit test", len);
}

/* The error of reading @data to the end, in @err; 0 if it read cleanly. */
static int read_err(const void *data, size_t len, char *err, size_t errlen)
{
	struct item it[16];

	*err = '\0';
	return read_all(data, len, false, it, 16, NULL, NULL, err, errlen) < 0 ? -1 : 0;
}

TEST(trace_bin_damage_is_an_error)
{
	struct item orig[16] = { 0 }, it[16] = { 0 };
	char err[512], *bin, *copy;
	size_t len;
	int same = 0;

	bin = sample_binary(&len);
	CHECK(bin);
	copy = malloc(len + 16);
	CHECK(copy);
	CHECK_EQ(read_err(bin, len, err, sizeof(err)), 0);
	/* cut short anywhere: an error, never a shorter trace */
	for (size_t cut = 1; cut < len; cut++) {
		CHECK_EQ(read_err(bin, cut, err, sizeof(err)), -1);
		CHECK(!strncmp(err, "t", 1) && !strchr(err, '\n'));
	}
	CHECK_EQ(read_err(bin, 50, err, sizeof(err)), -1);
	CHECK_STR(err, "t: not a valid zpoolbench binary trace: the header is cut short");
	/*
	 * every single byte changed: an error, or (a bit of zstd's frame
	 * header that does not change what the frame holds) the same trace
	 */
	CHECK_EQ(read_all(bin, len, false, orig, 16, NULL, NULL, err, sizeof(err)), 11);
	for (size_t i = 0; i < len; i++) {
		memcpy(copy, bin, len);
		copy[i] ^= 0x20;
		if (read_all(copy, len, false, it, 16, NULL, NULL, err, sizeof(err)) < 0)
			continue;
		CHECK(!memcmp(it, orig, sizeof(orig)));
		same++;
	}
	CHECK(same <= 2);
	memcpy(copy, bin, len);
	copy[30] ^= 1; /* a count */
	CHECK_EQ(read_err(copy, len, err, sizeof(err)), -1);
	CHECK_STR(err, "t: not a valid zpoolbench binary trace: header checksum mismatch");
	/* bytes added */
	memcpy(copy, bin, len);
	memcpy(copy + len, "\0\0\0\0", 4);
	CHECK_EQ(read_err(copy, len + 4, err, sizeof(err)), -1);
	CHECK_STR(err, "t: corrupt binary trace: bytes after the end of the data");
	/* a newer version */
	memcpy(copy, bin, len);
	copy[8] = 2;
	CHECK_EQ(read_err(copy, len, err, sizeof(err)), -1);
	CHECK_STR(err, "t: unsupported binary trace version 2 (this build reads 1)");
	free(copy);
	free(bin);
}

TEST(trace_bin_peek_page_size_and_strict_ids)
{
	struct item a[4] = { { .op = 'a', .id = 1, .size = 10 },
			     { .op = 'a', .id = 2, .size = 20 } };
	struct trace_reader r;
	struct trace_op op;
	char err[256], *bin;
	size_t len;

	bin = write_all(a, 2, TRACE_BINARY, 65536, NULL, &len);
	CHECK(bin);
	CHECK_EQ(trace_open_mem(&r, bin, len, "t", err, sizeof(err)), 0);
	CHECK_EQ(r.format, TRACE_BINARY);
	CHECK_EQ(r.page_size, 65536);
	CHECK_EQ(trace_next(&r, &op, err, sizeof(err)), 1);
	/* the first op of a 64 KiB trace without provenance is on line 3 of its text */
	CHECK_EQ(op.line, 3);
	CHECK_EQ(trace_next(&r, &op, err, sizeof(err)), 1);
	CHECK_EQ(trace_next(&r, &op, err, sizeof(err)), 0);
	CHECK_EQ(r.ss.peak_live, 2);
	trace_close(&r);
	free(bin);
}
