/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * trace.h - size traces, the contract of every fidelity check, in two
 * encodings that carry the same thing: a text form (v1) and a binary form.
 *
 * Text, format v1 (unchanged since it was first written):
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
 * bytes.
 *
 * Binary (trace_bin.c has the byte layout): a fixed header (magic, format
 * version, page size, the counts of operations, stores, frees, compactions
 * and comments, the largest number of IDs live at once, a provenance line,
 * a checksum) followed by one zstd frame of records, one per operation or
 * comment.  Objects are named by slot as well as by ID: the first store of
 * an ID that is not live takes the slot freed last (or the next new one),
 * and a free of a live ID gives it back.  A binary record therefore says
 * "new object with ID x" or "free slot s", so a reader needs no hash of
 * IDs: replaying it costs an array access per operation.  Text traces get
 * the same slots from the reader (a hash of IDs), so whoever replays a
 * trace sees one kind of operation whatever the encoding.
 *
 * What a conversion keeps, both ways: every operation (kind, ID, size) in
 * order, the page size, and every comment line (its text after '#') in its
 * place among the operations.  What it does not keep: blank lines, blanks
 * inside lines, CR line ends, leading zeros, the '# page_size 4096' line
 * (4096 is the default).  Text to binary to text therefore gives the text in
 * its canonical form (as trace_write_*() writes it) plus one comment line
 * '# provenance: ...' after the header, the binary's provenance.
 *
 * Readers recognise the encoding by the first bytes, whatever the file's
 * name.  A trace is a regular file (a FIFO or a device such as /dev/zero is
 * refused at once, without reading), or "-": standard input, whatever it is,
 * which can be read once per process.  The reader checks syntax, ranges and
 * (binary) the integrity of the file; what depends on state (a store of a
 * live ID, a free of an ID never stored) is checked by whoever replays the
 * trace.  Errors come as one line "FILE:LINE: problem"; in a binary trace
 * LINE is the line the operation has in the text form `trace convert`
 * writes.
 */
#ifndef ZPB_TRACE_H
#define ZPB_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "driver/idmap.h"

#define TRACE_HEADER "# zpoolbench-trace v1"
#define TRACE_MAX_SIZE 4096	      /* the page size of a trace with no '# page_size' line */
#define TRACE_LINE_MAX 4096	      /* bytes in a line, comments included; longer is an error */
#define TRACE_PAGE_SIZE "# page_size" /* then blanks and N */
#define TRACE_PROVENANCE "# provenance: " /* the binary's provenance, in the text form */
#define TRACE_NO_SLOT UINT64_MAX

enum trace_format { TRACE_TEXT, TRACE_BINARY };

struct trace_op {
	char op; /* 'a', 'f' or 'c'; '#' (a comment) with trace_want_comments() */
	uint64_t id;
	uint32_t size;	    /* for 'a' */
	unsigned long line; /* line number in the file (binary: in its text form), from 1 */
	/*
	 * 'a' and 'f': the ID's slot (see above), or TRACE_NO_SLOT for a
	 * free of an ID that is not live.  @fresh: a store that gave the ID
	 * its slot (false: the ID was live already, its earlier store
	 * refused or not).
	 */
	uint64_t slot;
	bool fresh;
};

/*
 * One slot: the ID it holds and two words for whoever replays the trace
 * (replay keeps the handle and the size there).  The reader zeroes the
 * consumer's words when it hands the slot to a new ID; after a free they
 * stay readable until the next trace_next().
 */
struct trace_slot {
	uint64_t id;
	unsigned long handle; /* consumer's */
	uint32_t size;	      /* consumer's */
	uint32_t live;	      /* reader's: 1 while an ID holds the slot */
};

/*
 * The slots of a trace: the table and the stack of free slots.  The
 * reader and the binary encoder keep one each and hand out slots the same
 * way, which is what makes the binary records mean the same as the text.
 */
struct trace_slotset {
	struct trace_slot *slots;
	uint64_t n, cap; /* slots in use so far (the table's length), room */
	uint64_t *free;	 /* a stack: the slot freed last is handed out first */
	uint64_t nfree, capfree;
	uint64_t live, peak_live;
};

struct trace_bin; /* the binary decoder's state (trace_bin.c) */

struct trace_reader {
	FILE *f;
	char name[512];
	unsigned long line;
	char *buf;
	size_t cap;
	int own;	    /* close f on trace_close */
	uint32_t page_size; /* '# page_size N', or TRACE_MAX_SIZE; final once an op is read */
	int ops_read;
	int page_size_line; /* where '# page_size' was given, 0: not given */
	enum trace_format format;
	bool comments;		 /* hand out comments as op '#' (trace_comment()) */
	bool strict;		 /* binary: also check that no ID is live twice (a hash of IDs) */
	const char *comment;	 /* the last comment handed out, without its '#' */
	struct trace_slotset ss; /* the same for both encodings */
	struct idmap ids;	 /* text (and strict binary): ID -> slot */
	bool have_ids;
	struct trace_bin *bin;
	char provenance[TRACE_LINE_MAX]; /* binary: the header's provenance line */
};

/* 0, or -1 with "FILE: problem" in @err.  Checks the header.  "-": stdin. */
int trace_open(struct trace_reader *r, const char *path, char *err, size_t errlen);
/* Same over a buffer in memory (fuzzing, tests); @name is used in messages. */
int trace_open_mem(struct trace_reader *r, const void *data, size_t len, const char *name,
		   char *err, size_t errlen);
/* Before the first trace_next(): hand out comment lines as op '#'. */
void trace_want_comments(struct trace_reader *r);
/* Before the first trace_next(): check a binary trace's IDs as a text reader would. */
void trace_set_strict(struct trace_reader *r);
/* 1 with the next op, 0 at the end, -1 with "FILE:LINE: problem" in @err. */
int trace_next(struct trace_reader *r, struct trace_op *op, char *err, size_t errlen);
void trace_close(struct trace_reader *r);
/* A binary trace's operation count from its header (0: not filled in, or a text trace). */
uint64_t trace_header_ops(const struct trace_reader *r);

static inline struct trace_slot *trace_slot(struct trace_reader *r, uint64_t slot)
{
	return &r->ss.slots[slot];
}

/*
 * The page size of the trace at @path (read up to its first operation), in
 * @page_size; 0, or -1 with "FILE[:LINE]: problem" in @err.  "-" (standard
 * input) is not read, since it can be read once only: @page_size is then 0,
 * unknown.
 */
int trace_peek_page_size(const char *path, uint32_t *page_size, char *err, size_t errlen);

/* Writing text: the header, the page size line (for a page size other than 4096), one op per line. */
void trace_write_header(FILE *f);
void trace_write_page_size(FILE *f, uint32_t page_size);
void trace_write_op(FILE *f, const struct trace_op *op);

/*
 * Writing either encoding to @f (a regular file for binary: the counts go
 * into its header at the end).  @provenance: one line saying where the
 * trace comes from (binary: the header's field; text: a '# provenance:'
 * comment; NULL or "": none).  Each call returns 0, or -1 with one line in
 * @w->err (a write error, a comment too long, out of memory); after an
 * error the trace is no good and the caller drops the file.
 */
struct trace_writer {
	FILE *f;
	enum trace_format format;
	uint32_t page_size;
	char err[512];
	int failed;
	/* binary */
	struct trace_benc *enc;
};

int trace_writer_open(struct trace_writer *w, FILE *f, enum trace_format format, uint32_t page_size,
		      const char *provenance);
int trace_writer_op(struct trace_writer *w, const struct trace_op *op);
/* A comment: @text is what follows '#' (one line, at most TRACE_LINE_MAX - 1 bytes). */
int trace_writer_comment(struct trace_writer *w, const char *text);
int trace_writer_commentf(struct trace_writer *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Flush everything (binary: end the frame and write the header's counts); frees the writer. */
int trace_writer_close(struct trace_writer *w);
/* Free without finishing (after an error, or when the output is dropped). */
void trace_writer_abort(struct trace_writer *w);

/* "text" or "binary" */
const char *trace_format_name(enum trace_format f);

/* ---- internal: trace.c and trace_bin.c ---- */
/* A slot for @id (its consumer words zeroed): 0, or -1 out of memory. */
int trace_slots_take(struct trace_slotset *ss, uint64_t id, uint64_t *slot);
void trace_slots_release(struct trace_slotset *ss, uint64_t slot);
void trace_slots_free(struct trace_slotset *ss);
int trace_bin_open(struct trace_reader *r, char *err, size_t errlen);
int trace_bin_next(struct trace_reader *r, struct trace_op *op, char *err, size_t errlen);
void trace_bin_close(struct trace_reader *r);
struct trace_benc *trace_benc_new(FILE *f, uint32_t page_size, const char *provenance, char *err,
				  size_t errlen);
int trace_benc_op(struct trace_benc *e, const struct trace_op *op, char *err, size_t errlen);
int trace_benc_comment(struct trace_benc *e, const char *text, size_t len, char *err, size_t errlen);
int trace_benc_finish(struct trace_benc *e, char *err, size_t errlen);
void trace_benc_free(struct trace_benc *e);

#endif /* ZPB_TRACE_H */
