// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace.c - reader and writer of size traces (see trace.h).
 */
#define _GNU_SOURCE /* mremap */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/trace.h"

#define TRACE_BIN_FIRST 0x89 /* the first byte of a binary trace (trace_bin.c) */

/*
 * The next line into r->buf without its newline (and a CR before it): its
 * length, -1 at the end of the input, -2 if it is longer than
 * TRACE_LINE_MAX bytes (then nothing more is read: a file with no newline,
 * /dev/zero, must not grow memory).
 */
static ssize_t read_line(struct trace_reader *r)
{
	size_t n = 0;
	int ch = EOF;

	if (!r->buf) {
		r->buf = malloc(TRACE_LINE_MAX + 1);
		if (!r->buf)
			return -1;
		r->cap = TRACE_LINE_MAX + 1;
	}
	while ((ch = getc_unlocked(r->f)) != EOF && ch != '\n') {
		if (n == TRACE_LINE_MAX)
			return -2;
		r->buf[n++] = (char)ch;
	}
	if (ch == EOF && n == 0)
		return -1;
	r->line++;
	if (n > 0 && r->buf[n - 1] == '\r')
		n--;
	r->buf[n] = '\0';
	return (ssize_t)n;
}

static int too_long(struct trace_reader *r, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s:%lu: line longer than %d bytes; not a zpoolbench trace", r->name,
		 r->line + 1, TRACE_LINE_MAX);
	return -1;
}

static int check_header(struct trace_reader *r, char *err, size_t errlen)
{
	ssize_t n = read_line(r);

	if (n == -2)
		return too_long(r, err, errlen);
	if (n < 0) {
		snprintf(err, errlen,
			 "%s: empty file, not a zpoolbench trace (first line must be '%s')",
			 r->name, TRACE_HEADER);
		return -1;
	}
	if ((size_t)n != strlen(r->buf)) {
		snprintf(err, errlen, "%s:1: NUL byte in line; not a zpoolbench trace", r->name);
		return -1;
	}
	if (strcmp(r->buf, TRACE_HEADER)) {
		if (!strncmp(r->buf, "# zpoolbench-trace ", 19))
			snprintf(err, errlen,
				 "%s:1: unsupported trace version '%.40s' (this build reads v1)",
				 r->name, r->buf + 19);
		else
			snprintf(err, errlen, "%s:1: missing header: first line must be '%s'",
				 r->name, TRACE_HEADER);
		return -1;
	}
	return 0;
}

/* Text or binary, by the first byte: a text trace starts with '#', a binary one never does. */
static int check_format(struct trace_reader *r, char *err, size_t errlen)
{
	int c = getc(r->f);

	if (c != EOF)
		ungetc(c, r->f);
	if (c == TRACE_BIN_FIRST) {
		r->format = TRACE_BINARY;
		return trace_bin_open(r, err, errlen);
	}
	r->format = TRACE_TEXT;
	return check_header(r, err, errlen);
}

static int open_file(struct trace_reader *r, const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	static bool stdin_read;

	memset(r, 0, sizeof(*r));
	r->page_size = TRACE_MAX_SIZE;
	snprintf(r->name, sizeof(r->name), "%s", path);
	if (!strcmp(path, "-")) {
		/* standard input, whatever it is (a pipe, a FIFO): the one documented place */
		if (stdin_read) {
			snprintf(err, errlen,
				 "-: standard input was read already; a command that "
				 "reads the trace more than once needs it as a file");
			return -1;
		}
		stdin_read = true;
		snprintf(r->name, sizeof(r->name), "stdin");
		r->f = stdin;
		r->own = 0;
		return check_format(r, err, errlen);
	}
	/* never blocks: a FIFO opens at once with O_NONBLOCK, and is refused below */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(err, errlen, "%s: no such trace file; check the path", path);
		else
			snprintf(err, errlen, "%s: cannot open trace: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			snprintf(err, errlen, "%s: is a directory, not a trace file", path);
		else
			snprintf(err, errlen,
				 "%s: not a regular file (a device, FIFO or socket); give a trace file, "
				 "or '-' to read it from standard input",
				 path);
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	r->f = fdopen(fd, "r");
	if (!r->f) {
		snprintf(err, errlen, "%s: cannot open trace: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	r->own = 1;
	if (check_format(r, err, errlen)) {
		trace_close(r);
		return -1;
	}
	return 0;
}

static int open_mem(struct trace_reader *r, const void *data, size_t len, const char *name,
		    char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->page_size = TRACE_MAX_SIZE;
	snprintf(r->name, sizeof(r->name), "%s", name);
	/* fmemopen refuses a zero-length buffer in some libcs: treat as empty */
	if (len == 0) {
		snprintf(err, errlen,
			 "%s: empty file, not a zpoolbench trace (first line must be '%s')", name,
			 TRACE_HEADER);
		return -1;
	}
	r->f = fmemopen((void *)data, len, "r");
	if (!r->f) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return -1;
	}
	r->own = 1;
	if (check_format(r, err, errlen)) {
		trace_close(r);
		return -1;
	}
	return 0;
}

void trace_close(struct trace_reader *r)
{
	trace_bin_close(r);
	if (r->own && r->f)
		fclose(r->f);
	free(r->buf);
	trace_slots_free(&r->ss);
	if (r->have_ids)
		idmap_free(&r->ids);
	memset(r, 0, sizeof(*r));
}

void trace_want_comments(struct trace_reader *r)
{
	r->comments = true;
}

void trace_set_strict(struct trace_reader *r)
{
	r->strict = true;
}

const char *trace_format_name(enum trace_format f)
{
	return f == TRACE_BINARY ? "binary" : "text";
}

/* ---- slots ---- */

/*
 * The slot table grows by doubling in an anonymous mapping with transparent
 * huge pages: frees touch it at random, and over millions of live IDs a
 * TLB miss per access would cost more than the rest of decoding.
 */
static void *table_grow(void *p, size_t old, size_t bytes)
{
	void *n = p ? mremap(p, old, bytes, MREMAP_MAYMOVE)
		    : mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (n == MAP_FAILED)
		return NULL;
	madvise(n, bytes, MADV_HUGEPAGE);
	return n;
}

int trace_slots_take(struct trace_slotset *ss, uint64_t id, uint64_t *slot)
{
	struct trace_slot *t;
	uint64_t s;

	if (ss->nfree) {
		s = ss->free[--ss->nfree];
	} else {
		if (ss->n == ss->cap) {
			/* the free stack grows with the table: it never holds more slots */
			uint64_t cap = ss->cap ? ss->cap * 2 : 1024;
			struct trace_slot *n = table_grow(ss->slots, ss->cap * sizeof(*n),
							  cap * sizeof(*n));
			uint64_t *f;

			if (!n)
				return -1;
			ss->slots = n;
			f = realloc(ss->free, cap * sizeof(*f));
			if (!f)
				return -1;
			ss->free = f;
			ss->cap = cap;
		}
		s = ss->n++;
	}
	t = &ss->slots[s];
	t->id = id;
	t->handle = 0;
	t->size = 0;
	t->live = 1;
	if (++ss->live > ss->peak_live)
		ss->peak_live = ss->live;
	*slot = s;
	return 0;
}

void trace_slots_release(struct trace_slotset *ss, uint64_t slot)
{
	/* room: the stack is as long as the table */
	ss->slots[slot].live = 0;
	ss->free[ss->nfree++] = slot;
	ss->live--;
}

void trace_slots_free(struct trace_slotset *ss)
{
	if (ss->slots)
		munmap(ss->slots, ss->cap * sizeof(*ss->slots));
	free(ss->free);
	memset(ss, 0, sizeof(*ss));
}

/* A decimal number of at most 20 digits with no sign; advances *s past it. */
static int parse_num(const char **s, uint64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = *p - '0';

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*s = p;
	*out = v;
	return 0;
}

static const char *skip_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static bool is_page_size_line(const char *s)
{
	size_t n = strlen(TRACE_PAGE_SIZE);

	return !strncmp(s, TRACE_PAGE_SIZE, n) && (s[n] == ' ' || s[n] == '\t' || !s[n]);
}

/* A '# page_size N' line at @s (after any blanks): 0, or -1 with the problem in @err. */
static int page_size_line(struct trace_reader *r, const char *s, char *err, size_t errlen)
{
	uint64_t v;

	s += strlen(TRACE_PAGE_SIZE);
	s = skip_blank(s);
	if (r->ops_read) {
		snprintf(err, errlen,
			 "%s:%lu: '# page_size' after the first operation (it must "
			 "come before)",
			 r->name, r->line);
		return -1;
	}
	if (r->page_size_line) {
		snprintf(err, errlen, "%s:%lu: '# page_size' given twice (first at line %d)",
			 r->name, r->line, r->page_size_line);
		return -1;
	}
	if (parse_num(&s, &v) || *skip_blank(s) || (v != 4096 && v != 16384 && v != 65536)) {
		snprintf(err, errlen, "%s:%lu: bad page size '%.20s' (valid: 4096, 16384, 65536)",
			 r->name, r->line, skip_blank(skip_blank(r->buf) + strlen(TRACE_PAGE_SIZE)));
		return -1;
	}
	r->page_size = (uint32_t)v;
	r->page_size_line = (int)r->line;
	return 0;
}

/*
 * The slot of a text op, from the reader's hash of live IDs: a store of an
 * ID that is not live takes a slot, a free of a live one gives it back.
 * 1, or -1 (out of memory).
 */
static int text_slot(struct trace_reader *r, struct trace_op *op, char *err, size_t errlen)
{
	struct idmap_entry *e;

	if (!r->have_ids) {
		if (idmap_init(&r->ids, 1024))
			goto oom;
		r->have_ids = true;
	}
	e = idmap_get(&r->ids, op->id);
	if (op->op == 'a') {
		if (e) {
			op->slot = e->handle;
			return 1;
		}
		e = idmap_put(&r->ids, op->id);
		if (!e || trace_slots_take(&r->ss, op->id, &op->slot))
			goto oom;
		e->handle = (unsigned long)op->slot;
		op->fresh = true;
		return 1;
	}
	if (!e) {
		op->slot = TRACE_NO_SLOT;
		return 1;
	}
	op->slot = e->handle;
	trace_slots_release(&r->ss, op->slot);
	idmap_del(&r->ids, e);
	return 1;
oom:
	snprintf(err, errlen, "%s:%lu: out of memory for the live IDs", r->name, r->line);
	return -1;
}

static int next_op(struct trace_reader *r, struct trace_op *op, char *err, size_t errlen)
{
	for (;;) {
		ssize_t n = read_line(r);
		const char *s;
		uint64_t size;

		if (n == -2)
			return too_long(r, err, errlen);
		if (n < 0) {
			if (ferror(r->f)) {
				snprintf(err, errlen, "%s:%lu: read error: %s", r->name,
					 r->line + 1, strerror(errno));
				return -1;
			}
			return 0;
		}
		if ((size_t)n != strlen(r->buf)) {
			snprintf(err, errlen, "%s:%lu: NUL byte in line", r->name, r->line);
			return -1;
		}
		s = skip_blank(r->buf);
		if (is_page_size_line(s)) {
			if (page_size_line(r, s, err, errlen))
				return -1;
			continue;
		}
		if (*s == '\0')
			continue;
		if (*s == '#') {
			if (!r->comments)
				continue;
			/* a comment is kept, in either format, as one line */
			if (strchr(s, '\r')) {
				snprintf(err, errlen, "%s:%lu: carriage return inside a comment",
					 r->name, r->line);
				return -1;
			}
			memset(op, 0, sizeof(*op));
			op->op = '#';
			op->line = r->line;
			op->slot = TRACE_NO_SLOT;
			r->comment = s + 1;
			return 1;
		}

		memset(op, 0, sizeof(*op));
		op->line = r->line;
		op->op = *s;
		switch (*s) {
		case 'a':
			if (s[1] != ' ' && s[1] != '\t')
				goto malformed;
			s = skip_blank(s + 1);
			if (parse_num(&s, &op->id))
				goto malformed;
			if (*s != ' ' && *s != '\t')
				goto malformed;
			s = skip_blank(s);
			if (parse_num(&s, &size))
				goto malformed;
			s = skip_blank(s);
			if (*s)
				goto malformed;
			if (size < 1 || size > r->page_size) {
				snprintf(err, errlen, "%s:%lu: size %" PRIu64 " out of range 1..%u",
					 r->name, r->line, size, r->page_size);
				return -1;
			}
			op->size = (uint32_t)size;
			return text_slot(r, op, err, errlen);
		case 'f':
			if (s[1] != ' ' && s[1] != '\t')
				goto malformed;
			s = skip_blank(s + 1);
			if (parse_num(&s, &op->id))
				goto malformed;
			s = skip_blank(s);
			if (*s)
				goto malformed;
			return text_slot(r, op, err, errlen);
		case 'c':
			s = skip_blank(s + 1);
			if (*s)
				goto malformed;
			op->slot = TRACE_NO_SLOT;
			return 1;
		default:
			snprintf(err, errlen,
				 "%s:%lu: unknown operation '%.20s' (valid: 'a ID SIZE', 'f ID', 'c')",
				 r->name, r->line, skip_blank(r->buf));
			return -1;
		}
malformed:
		switch (op->op) {
		case 'a':
			snprintf(err, errlen,
				 "%s:%lu: malformed store, expected 'a ID SIZE': '%.40s'", r->name,
				 r->line, skip_blank(r->buf));
			break;
		case 'f':
			snprintf(err, errlen, "%s:%lu: malformed free, expected 'f ID': '%.40s'",
				 r->name, r->line, skip_blank(r->buf));
			break;
		default:
			snprintf(err, errlen, "%s:%lu: malformed compaction, expected 'c': '%.40s'",
				 r->name, r->line, skip_blank(r->buf));
		}
		return -1;
	}
}

/* Messages quote user text (names, lines): control characters become '?'. */
static int one_line(int ret, char *err)
{
	if (ret < 0)
		for (char *c = err; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
	return ret;
}

int trace_open(struct trace_reader *r, const char *path, char *err, size_t errlen)
{
	return one_line(open_file(r, path, err, errlen), err);
}

int trace_open_mem(struct trace_reader *r, const void *data, size_t len, const char *name,
		   char *err, size_t errlen)
{
	return one_line(open_mem(r, data, len, name, err, errlen), err);
}

int trace_next(struct trace_reader *r, struct trace_op *op, char *err, size_t errlen)
{
	int ret = r->format == TRACE_BINARY ? trace_bin_next(r, op, err, errlen)
					    : next_op(r, op, err, errlen);

	if (ret == 1 && op->op != '#')
		r->ops_read = 1;
	return one_line(ret, err);
}

int trace_peek_page_size(const char *path, uint32_t *page_size, char *err, size_t errlen)
{
	struct trace_reader r;
	struct trace_op op;
	int ret;

	/* standard input can be read once only: its page size shows when it is replayed */
	*page_size = 0;
	if (!strcmp(path, "-"))
		return 0;
	if (trace_open(&r, path, err, errlen))
		return -1;
	ret = trace_next(&r, &op, err, errlen);
	*page_size = r.page_size;
	trace_close(&r);
	return ret < 0 ? -1 : 0;
}

void trace_write_header(FILE *f)
{
	fprintf(f, "%s\n", TRACE_HEADER);
}

void trace_write_page_size(FILE *f, uint32_t page_size)
{
	if (page_size != TRACE_MAX_SIZE)
		fprintf(f, "%s %u\n", TRACE_PAGE_SIZE, page_size);
}

void trace_write_op(FILE *f, const struct trace_op *op)
{
	switch (op->op) {
	case 'a':
		fprintf(f, "a %" PRIu64 " %u\n", op->id, op->size);
		break;
	case 'f':
		fprintf(f, "f %" PRIu64 "\n", op->id);
		break;
	case 'c':
		fputs("c\n", f);
		break;
	}
}

/* ---- writing either encoding ---- */

static int writer_fail(struct trace_writer *w, const char *what)
{
	if (!w->failed)
		snprintf(w->err, sizeof(w->err), "%s", what);
	w->failed = 1;
	return -1;
}

static int text_checked(struct trace_writer *w)
{
	if (ferror(w->f))
		return writer_fail(w, strerror(errno ? errno : EIO));
	return 0;
}

/* A provenance or comment line must stay one line of the text form. */
static bool one_text_line(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' || s[i] == '\r' || s[i] == '\0')
			return false;
	return true;
}

int trace_writer_open(struct trace_writer *w, FILE *f, enum trace_format format, uint32_t page_size,
		      const char *provenance)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->format = format;
	w->page_size = page_size;
	if (!provenance)
		provenance = "";
	if (strlen(provenance) + strlen(TRACE_PROVENANCE) >= TRACE_LINE_MAX ||
	    !one_text_line(provenance, strlen(provenance)))
		return writer_fail(w, "the provenance must be one line of at most 4000 bytes");
	if (format == TRACE_BINARY) {
		w->enc = trace_benc_new(f, page_size, provenance, w->err, sizeof(w->err));
		if (!w->enc)
			w->failed = 1;
		return w->enc ? 0 : -1;
	}
	trace_write_header(f);
	trace_write_page_size(f, page_size);
	if (*provenance)
		fprintf(f, "%s%s\n", TRACE_PROVENANCE, provenance);
	return text_checked(w);
}

int trace_writer_op(struct trace_writer *w, const struct trace_op *op)
{
	if (w->failed)
		return -1;
	if (op->op == 'a' && (op->size < 1 || op->size > w->page_size))
		return writer_fail(w, "a store's size out of range");
	if (w->format == TRACE_BINARY) {
		if (trace_benc_op(w->enc, op, w->err, sizeof(w->err)))
			w->failed = 1;
		return w->failed ? -1 : 0;
	}
	trace_write_op(w->f, op);
	return 0;
}

int trace_writer_comment(struct trace_writer *w, const char *text)
{
	size_t len = strlen(text);

	if (w->failed)
		return -1;
	if (len >= TRACE_LINE_MAX || !one_text_line(text, len))
		return writer_fail(w, "a comment must be one line of at most 4095 bytes");
	if (w->format == TRACE_BINARY) {
		if (trace_benc_comment(w->enc, text, len, w->err, sizeof(w->err)))
			w->failed = 1;
		return w->failed ? -1 : 0;
	}
	fprintf(w->f, "#%s\n", text);
	return 0;
}

int trace_writer_commentf(struct trace_writer *w, const char *fmt, ...)
{
	char line[TRACE_LINE_MAX + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= TRACE_LINE_MAX)
		return writer_fail(w, "a comment must be one line of at most 4095 bytes");
	return trace_writer_comment(w, line);
}

int trace_writer_close(struct trace_writer *w)
{
	int ret = w->failed ? -1 : 0;

	if (!ret && w->format == TRACE_BINARY && trace_benc_finish(w->enc, w->err, sizeof(w->err))) {
		w->failed = 1;
		ret = -1;
	}
	if (!ret && w->format == TRACE_TEXT && (fflush(w->f) || text_checked(w)))
		ret = writer_fail(w, strerror(errno ? errno : EIO));
	trace_benc_free(w->enc);
	w->enc = NULL;
	return ret;
}

void trace_writer_abort(struct trace_writer *w)
{
	trace_benc_free(w->enc);
	w->enc = NULL;
	w->failed = 1;
}
