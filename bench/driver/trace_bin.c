// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_bin.c - the binary encoding of size traces (see trace.h for what it
 * means; this file is how it is laid out).
 *
 * A header, little-endian, then one zstd frame (content checksum on) of
 * records:
 *
 *	offset	bytes
 *	0	8	magic "\x89ZPBTRC\n" (0x89: no text trace starts so)
 *	8	4	format version, 1
 *	12	4	header bytes H: the records start at H (8-aligned)
 *	16	4	page size: 4096, 16384 or 65536
 *	20	4	flags: bit 0, the counts below are filled in
 *	24	8	operations (a, f and c records)
 *	32	8	stores
 *	40	8	frees
 *	48	8	compactions
 *	56	8	comments
 *	64	8	slots: the slot table's length, i.e. the most IDs live at once
 *	72	8	bytes of zstd data after the header
 *	80	8	XXH3-64 of bytes 0..H with this field zero
 *	88	4	provenance bytes P (< 4000; one line, no NUL)
 *	92	P	provenance
 *	...		zeros up to H
 *
 * A record is a tag byte and LEB128 varints:
 *
 *	0x01 id-delta size	store of an ID that is not live: it takes the
 *				slot freed last, or the next new one; the ID is
 *				zigzag(id - the previous such store's ID)
 *	0x02 slot size		store of the ID in @slot, live already (its
 *				earlier store refused, or a store the trace
 *				repeats: whoever replays it decides)
 *	0x03 slot		free of the ID in @slot
 *	0x04 id			free of an ID that is not live
 *	0x05			compaction
 *	0x06 len bytes		comment: the text after '#' (len < 4096)
 *
 * The writer fills the counts in when it is done (the output must be a
 * regular file) and sets flag bit 0; the reader checks them when the bit is
 * set, and always the checksum of the header and zstd's of the data, so a
 * truncated or altered file is an error, not a shorter trace.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include <zstd.h>

#include "driver/trace.h"

#define BIN_MAGIC "\x89ZPBTRC\n"
#define BIN_VERSION 1
#define BIN_FIXED 92 /* bytes before the provenance */
#define BIN_PROV_MAX 4000
#define BIN_LEVEL 3			     /* zstd level of the writer */
#define BIN_DBUF (256 << 10)		     /* decoded records buffered by the reader */
#define BIN_REC_MAX (1 + 2 + TRACE_LINE_MAX) /* the longest record: a comment */
#define BIN_F_COUNTS 1u			     /* the header's counts are filled in */
#define BIN_AHEAD 32			     /* records decoded ahead of the one handed out */
#define BIN_RAW_MAX 21 /* the longest record but a comment: tag and two varints */

enum {
	REC_STORE_NEW = 1,
	REC_STORE_LIVE,
	REC_FREE,
	REC_FREE_UNKNOWN,
	REC_COMPACT,
	REC_COMMENT,
};

struct bin_header {
	uint32_t version, hbytes, page_size, flags;
	uint64_t ops, stores, frees, compactions, comments, slots, data_bytes, sum;
	uint32_t plen;
};

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint32_t header_bytes(uint32_t plen)
{
	return (BIN_FIXED + plen + 7) & ~7u;
}

/* The header as bytes into @buf (header_bytes(plen) long), checksum included. */
static void header_encode(const struct bin_header *h, const char *prov, uint8_t *buf)
{
	memset(buf, 0, h->hbytes);
	memcpy(buf, BIN_MAGIC, 8);
	put32(buf + 8, h->version);
	put32(buf + 12, h->hbytes);
	put32(buf + 16, h->page_size);
	put32(buf + 20, h->flags);
	put64(buf + 24, h->ops);
	put64(buf + 32, h->stores);
	put64(buf + 40, h->frees);
	put64(buf + 48, h->compactions);
	put64(buf + 56, h->comments);
	put64(buf + 64, h->slots);
	put64(buf + 72, h->data_bytes);
	put32(buf + 88, h->plen);
	memcpy(buf + BIN_FIXED, prov, h->plen);
	put64(buf + 80, XXH3_64bits(buf, h->hbytes));
}

static inline uint64_t zigzag(uint64_t delta)
{
	return (delta << 1) ^ (uint64_t)((int64_t)delta >> 63);
}

static inline uint64_t unzigzag(uint64_t z)
{
	return (z >> 1) ^ (0 - (z & 1));
}

/* ---- reading ---- */

struct trace_bin {
	ZSTD_DCtx *dctx;
	uint8_t *in;
	size_t in_cap, in_len, in_pos;
	bool in_eof;	 /* the file has no more bytes */
	bool frame_done; /* zstd finished the frame */
	uint8_t *d;	 /* decoded records */
	size_t pos, end;
	struct bin_header h;
	uint64_t data_read;
	uint64_t prev_id;
	uint64_t records; /* read so far: operations and comments */
	uint64_t ops, stores, frees, compactions, comments;
	unsigned long line_base; /* lines of the text form before the first record */
	/*
	 * Records parsed ahead (up to BIN_AHEAD, never past a comment or a
	 * record that does not parse), their slots prefetched: a free names
	 * a slot anywhere in a table of millions, and decoding them one by
	 * one would wait for each of those cache misses in turn.
	 */
	struct bin_raw {
		uint8_t tag;
		uint32_t size;
		uint64_t v; /* the ID (a new store, a free of an ID not live) or the slot */
	} q[BIN_AHEAD];
	unsigned int qhead, qlen;
	char comment[TRACE_LINE_MAX];
};

/* All of @len bytes from the file, or -1 (short: the file ends). */
static int read_exact(struct trace_reader *r, void *buf, size_t len)
{
	return fread(buf, 1, len, r->f) == len ? 0 : -1;
}

static int bad_header(struct trace_reader *r, const char *why, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: not a valid zpoolbench binary trace: %s", r->name, why);
	return -1;
}

static int read_header(struct trace_reader *r, struct trace_bin *b, char *err, size_t errlen)
{
	uint8_t fixed[BIN_FIXED], *all;
	struct bin_header *h = &b->h;
	uint64_t sum;

	if (read_exact(r, fixed, BIN_FIXED))
		return bad_header(r, "the header is cut short", err, errlen);
	if (memcmp(fixed, BIN_MAGIC, 8))
		return bad_header(r, "wrong magic", err, errlen);
	h->version = get32(fixed + 8);
	if (h->version != BIN_VERSION) {
		snprintf(err, errlen,
			 "%s: unsupported binary trace version %" PRIu32 " (this build reads %d)",
			 r->name, h->version, BIN_VERSION);
		return -1;
	}
	h->hbytes = get32(fixed + 12);
	h->page_size = get32(fixed + 16);
	h->flags = get32(fixed + 20);
	h->ops = get64(fixed + 24);
	h->stores = get64(fixed + 32);
	h->frees = get64(fixed + 40);
	h->compactions = get64(fixed + 48);
	h->comments = get64(fixed + 56);
	h->slots = get64(fixed + 64);
	h->data_bytes = get64(fixed + 72);
	h->sum = get64(fixed + 80);
	h->plen = get32(fixed + 88);
	if (h->plen >= BIN_PROV_MAX || h->hbytes != header_bytes(h->plen))
		return bad_header(r, "bad header length", err, errlen);
	all = calloc(1, h->hbytes);
	if (!all) {
		snprintf(err, errlen, "%s: out of memory", r->name);
		return -1;
	}
	memcpy(all, fixed, BIN_FIXED);
	if (read_exact(r, all + BIN_FIXED, h->hbytes - BIN_FIXED)) {
		free(all);
		return bad_header(r, "the header is cut short", err, errlen);
	}
	memset(all + 80, 0, 8);
	sum = XXH3_64bits(all, h->hbytes);
	memcpy(r->provenance, all + BIN_FIXED, h->plen);
	r->provenance[h->plen] = '\0';
	free(all);
	if (sum != h->sum)
		return bad_header(r, "header checksum mismatch", err, errlen);
	if (h->flags & ~BIN_F_COUNTS)
		return bad_header(r, "unknown flags", err, errlen);
	if (h->page_size != 4096 && h->page_size != 16384 && h->page_size != 65536)
		return bad_header(r, "bad page size", err, errlen);
	if (h->ops != h->stores + h->frees + h->compactions)
		return bad_header(r, "the counts do not add up", err, errlen);
	if (strlen(r->provenance) != h->plen || strpbrk(r->provenance, "\r\n"))
		return bad_header(r, "the provenance is not one line", err, errlen);
	return 0;
}

int trace_bin_open(struct trace_reader *r, char *err, size_t errlen)
{
	struct trace_bin *b = calloc(1, sizeof(*b));

	if (!b) {
		snprintf(err, errlen, "%s: out of memory", r->name);
		return -1;
	}
	r->bin = b;
	if (read_header(r, b, err, errlen))
		return -1;
	r->page_size = b->h.page_size;
	b->in_cap = ZSTD_DStreamInSize();
	b->in = malloc(b->in_cap);
	b->d = malloc(BIN_DBUF);
	b->dctx = ZSTD_createDCtx();
	if (!b->in || !b->d || !b->dctx) {
		snprintf(err, errlen, "%s: out of memory", r->name);
		return -1;
	}
	/* the text form: the header line, '# page_size N' unless 4096, '# provenance: ...' */
	b->line_base = 1 + (b->h.page_size != TRACE_MAX_SIZE) + (b->h.plen > 0);
	r->line = b->line_base;
	return 0;
}

uint64_t trace_header_ops(const struct trace_reader *r)
{
	if (r->format != TRACE_BINARY || !r->bin || !(r->bin->h.flags & BIN_F_COUNTS))
		return 0;
	return r->bin->h.ops;
}

void trace_bin_close(struct trace_reader *r)
{
	struct trace_bin *b = r->bin;

	if (!b)
		return;
	ZSTD_freeDCtx(b->dctx);
	free(b->in);
	free(b->d);
	free(b);
	r->bin = NULL;
}

static int corrupt(struct trace_reader *r, const char *why, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: corrupt binary trace: %s", r->name, why);
	return -1;
}

/*
 * Decode more records, keeping what is left at the front, until at least
 * BIN_REC_MAX bytes are there or the frame has ended.  0, or -1.
 */
static int refill(struct trace_reader *r, struct trace_bin *b, char *err, size_t errlen)
{
	size_t left = b->end - b->pos;

	memmove(b->d, b->d + b->pos, left);
	b->pos = 0;
	b->end = left;
	while (b->end < BIN_REC_MAX && !b->frame_done) {
		ZSTD_outBuffer out = { b->d, BIN_DBUF, b->end };
		ZSTD_inBuffer in;
		size_t ret;

		if (b->in_pos == b->in_len) {
			if (b->in_eof)
				return corrupt(r, "the data end early (truncated file)", err,
					       errlen);
			b->in_len = fread(b->in, 1, b->in_cap, r->f);
			b->in_pos = 0;
			b->data_read += b->in_len;
			if (b->in_len < b->in_cap) {
				if (ferror(r->f)) {
					snprintf(err, errlen, "%s: read error: %s", r->name,
						 strerror(errno ? errno : EIO));
					return -1;
				}
				b->in_eof = true;
			}
			if (!b->in_len)
				continue;
		}
		in = (ZSTD_inBuffer){ b->in, b->in_len, b->in_pos };
		ret = ZSTD_decompressStream(b->dctx, &out, &in);
		if (ZSTD_isError(ret)) {
			char why[160];

			snprintf(why, sizeof(why), "%s", ZSTD_getErrorName(ret));
			return corrupt(r, why, err, errlen);
		}
		b->in_pos = in.pos;
		b->end = out.pos;
		if (ret == 0)
			b->frame_done = true;
	}
	return 0;
}

/* A varint at b->pos; -1 if it runs past the data or 64 bits. */
static inline int varint(struct trace_bin *b, uint64_t *v)
{
	uint64_t x = 0;

	for (unsigned int shift = 0; b->pos < b->end; shift += 7) {
		uint8_t c = b->d[b->pos++];

		if (shift == 63 && c > 1)
			return -1;
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = x;
			return 0;
		}
		if (shift == 63)
			return -1;
	}
	return -1;
}

/* At the end of the data: everything the header promised, nothing more. */
static int check_end(struct trace_reader *r, struct trace_bin *b, char *err, size_t errlen)
{
	const struct bin_header *h = &b->h;
	char why[256];

	if (b->in_pos < b->in_len || (!b->in_eof && fgetc(r->f) != EOF))
		return corrupt(r, "bytes after the end of the data", err, errlen);
	if (!(h->flags & BIN_F_COUNTS))
		return 0;
	if (b->data_read != h->data_bytes || b->ops != h->ops || b->stores != h->stores ||
	    b->frees != h->frees || b->compactions != h->compactions ||
	    b->comments != h->comments || r->ss.n != h->slots) {
		snprintf(why, sizeof(why),
			 "the header promises %" PRIu64 " operations and %" PRIu64
			 " comments in %" PRIu64 " bytes, the data hold %" PRIu64 " and %" PRIu64
			 " in %" PRIu64,
			 h->ops, h->comments, h->data_bytes, b->ops, b->comments, b->data_read);
		return corrupt(r, why, err, errlen);
	}
	return 0;
}

static int bad_record(struct trace_reader *r, const char *fmt, uint64_t v, char *err, size_t errlen)
{
	char why[160];

	snprintf(why, sizeof(why), fmt, v);
	snprintf(err, errlen, "%s:%lu: corrupt binary trace: %s", r->name, r->line, why);
	return -1;
}

static int strict_ids(struct trace_reader *r)
{
	if (!r->have_ids) {
		if (idmap_init(&r->ids, 1024))
			return -1;
		r->have_ids = true;
	}
	return 0;
}

/* A store of @id, not live: it takes a slot (strict: it must not be live). */
static int store_new_id(struct trace_reader *r, struct trace_op *op, uint64_t id, char *err,
			size_t errlen)
{
	op->id = id;
	if (r->strict) {
		struct idmap_entry *e;

		if (strict_ids(r))
			goto oom;
		if (idmap_get(&r->ids, op->id))
			return bad_record(r, "a new store of ID %" PRIu64 ", which is live", op->id,
					  err, errlen);
		e = idmap_put(&r->ids, op->id);
		if (!e)
			goto oom;
		if (trace_slots_take(&r->ss, op->id, &op->slot))
			goto oom;
		e->handle = (unsigned long)op->slot;
	} else if (trace_slots_take(&r->ss, op->id, &op->slot)) {
		goto oom;
	}
	op->fresh = true;
	return 0;
oom:
	snprintf(err, errlen, "%s:%lu: out of memory for the live IDs", r->name, r->line);
	return -1;
}

static int rec_store_new(struct trace_reader *r, struct trace_bin *b, struct trace_op *op,
			 char *err, size_t errlen)
{
	uint64_t z;

	if (varint(b, &z))
		return bad_record(r, "a store's ID runs past the data", 0, err, errlen);
	b->prev_id += unzigzag(z);
	return store_new_id(r, op, b->prev_id, err, errlen);
}

/* The live slot a record names, into op->slot and op->id. */
static int rec_slot(struct trace_reader *r, struct trace_bin *b, struct trace_op *op, char *err,
		    size_t errlen)
{
	uint64_t s;

	if (varint(b, &s))
		return bad_record(r, "a slot number runs past the data", 0, err, errlen);
	if (s >= r->ss.n || !r->ss.slots[s].live)
		return bad_record(r, "slot %" PRIu64 " holds no live ID", s, err, errlen);
	op->slot = s;
	op->id = r->ss.slots[s].id;
	return 0;
}

static int rec_size(struct trace_reader *r, struct trace_bin *b, struct trace_op *op, char *err,
		    size_t errlen)
{
	uint64_t v;

	if (varint(b, &v))
		return bad_record(r, "a size runs past the data", 0, err, errlen);
	if (v < 1 || v > r->page_size)
		return bad_record(r, "size %" PRIu64 " out of range", v, err, errlen);
	op->size = (uint32_t)v;
	return 0;
}

static int rec_free(struct trace_reader *r, struct trace_op *op)
{
	if (r->strict) {
		struct idmap_entry *e = idmap_get(&r->ids, op->id);

		if (e)
			idmap_del(&r->ids, e);
	}
	trace_slots_release(&r->ss, op->slot);
	return 0;
}

/* A free of an ID that is not live (strict: it must not be). */
static int free_unknown_id(struct trace_reader *r, struct trace_op *op, char *err, size_t errlen)
{
	op->slot = TRACE_NO_SLOT;
	if (r->strict) {
		if (strict_ids(r)) {
			snprintf(err, errlen, "%s: out of memory", r->name);
			return -1;
		}
		if (idmap_get(&r->ids, op->id))
			return bad_record(r, "a free of ID %" PRIu64 " as not live, but it is",
					  op->id, err, errlen);
	}
	return 0;
}

static int rec_free_unknown(struct trace_reader *r, struct trace_bin *b, struct trace_op *op,
			    char *err, size_t errlen)
{
	if (varint(b, &op->id))
		return bad_record(r, "an ID runs past the data", 0, err, errlen);
	return free_unknown_id(r, op, err, errlen);
}

static int rec_comment(struct trace_reader *r, struct trace_bin *b, struct trace_op *op, char *err,
		       size_t errlen)
{
	uint64_t len;

	if (varint(b, &len) || len >= TRACE_LINE_MAX || len > b->end - b->pos)
		return bad_record(r, "a comment runs past the data", 0, err, errlen);
	memcpy(b->comment, b->d + b->pos, len);
	b->comment[len] = '\0';
	b->pos += len;
	if (strlen(b->comment) != len || strpbrk(b->comment, "\r\n"))
		return bad_record(r, "a comment is not one line", 0, err, errlen);
	b->comments++;
	op->op = '#';
	r->comment = b->comment;
	return 0;
}

static int bin_record(struct trace_reader *r, struct trace_bin *b, struct trace_op *op, char *err,
		      size_t errlen)
{
	uint8_t tag = b->d[b->pos++];

	memset(op, 0, sizeof(*op));
	op->line = ++r->line;
	op->slot = TRACE_NO_SLOT;
	switch (tag) {
	case REC_STORE_NEW:
		op->op = 'a';
		if (rec_store_new(r, b, op, err, errlen) || rec_size(r, b, op, err, errlen))
			return -1;
		b->stores++;
		break;
	case REC_STORE_LIVE:
		op->op = 'a';
		if (rec_slot(r, b, op, err, errlen) || rec_size(r, b, op, err, errlen))
			return -1;
		b->stores++;
		break;
	case REC_FREE:
		op->op = 'f';
		if (rec_slot(r, b, op, err, errlen) || rec_free(r, op))
			return -1;
		b->frees++;
		break;
	case REC_FREE_UNKNOWN:
		op->op = 'f';
		if (rec_free_unknown(r, b, op, err, errlen))
			return -1;
		b->frees++;
		break;
	case REC_COMPACT:
		op->op = 'c';
		b->compactions++;
		break;
	case REC_COMMENT:
		return rec_comment(r, b, op, err, errlen);
	default:
		return bad_record(r, "unknown record type %" PRIu64, tag, err, errlen);
	}
	b->ops++;
	return 0;
}

/*
 * Parse the record at b->pos into @x without looking at any state but the
 * previous store's ID; 0 (b->pos past it), or -1 leaving b->pos alone: a
 * comment, a record cut off at the end of the buffer, or one that does not
 * parse, which bin_record() then reads and reports.
 */
static int parse_ahead(struct trace_reader *r, struct trace_bin *b, struct bin_raw *x)
{
	size_t pos = b->pos;
	uint64_t v, size = 1;

	if (b->end - pos < BIN_RAW_MAX && !b->frame_done)
		return -1;
	x->tag = b->d[b->pos++];
	switch (x->tag) {
	case REC_STORE_NEW:
	case REC_STORE_LIVE:
		if (varint(b, &v) || varint(b, &size) || size < 1 || size > r->page_size)
			goto no;
		break;
	case REC_FREE:
	case REC_FREE_UNKNOWN:
		if (varint(b, &v))
			goto no;
		break;
	case REC_COMPACT:
		v = 0;
		break;
	default:
		goto no;
	}
	if (x->tag == REC_STORE_NEW) {
		v = b->prev_id + unzigzag(v);
		b->prev_id = v;
	} else if (x->tag != REC_FREE_UNKNOWN && v < r->ss.cap) {
		__builtin_prefetch(&r->ss.slots[v]);
	}
	x->v = v;
	x->size = (uint32_t)size;
	return 0;
no:
	b->pos = pos;
	return -1;
}

/* A record parsed ahead, checked against the slots and applied. */
static int apply_raw(struct trace_reader *r, struct trace_bin *b, const struct bin_raw *x,
		     struct trace_op *op, char *err, size_t errlen)
{
	memset(op, 0, sizeof(*op));
	op->line = ++r->line;
	op->slot = TRACE_NO_SLOT;
	op->size = x->tag == REC_STORE_NEW || x->tag == REC_STORE_LIVE ? x->size : 0;
	switch (x->tag) {
	case REC_STORE_NEW:
		op->op = 'a';
		if (store_new_id(r, op, x->v, err, errlen))
			return -1;
		b->stores++;
		break;
	case REC_STORE_LIVE:
	case REC_FREE:
		op->op = x->tag == REC_FREE ? 'f' : 'a';
		if (x->v >= r->ss.n || !r->ss.slots[x->v].live)
			return bad_record(r, "slot %" PRIu64 " holds no live ID", x->v, err, errlen);
		op->slot = x->v;
		op->id = r->ss.slots[x->v].id;
		if (x->tag == REC_FREE) {
			rec_free(r, op);
			b->frees++;
		} else {
			b->stores++;
		}
		break;
	case REC_FREE_UNKNOWN:
		op->op = 'f';
		op->id = x->v;
		if (free_unknown_id(r, op, err, errlen))
			return -1;
		b->frees++;
		break;
	case REC_COMPACT:
		op->op = 'c';
		b->compactions++;
		break;
	}
	b->ops++;
	return 0;
}

int trace_bin_next(struct trace_reader *r, struct trace_op *op, char *err, size_t errlen)
{
	struct trace_bin *b = r->bin;

	for (;;) {
		if (b->qlen) {
			const struct bin_raw *x = &b->q[b->qhead];

			b->qhead = (b->qhead + 1) % BIN_AHEAD;
			b->qlen--;
			return apply_raw(r, b, x, op, err, errlen) ? -1 : 1;
		}
		if (b->end - b->pos < BIN_REC_MAX && !b->frame_done && refill(r, b, err, errlen))
			return -1;
		if (b->pos == b->end)
			return check_end(r, b, err, errlen) ? -1 : 0;
		b->qhead = 0;
		while (b->qlen < BIN_AHEAD && b->pos < b->end && !parse_ahead(r, b, &b->q[b->qlen]))
			b->qlen++;
		if (b->qlen)
			continue;
		/* a comment, or a record that does not parse: one by one */
		if (bin_record(r, b, op, err, errlen))
			return -1;
		if (op->op != '#' || r->comments)
			return 1;
	}
}

/* ---- writing ---- */

struct trace_benc {
	FILE *f;
	long start; /* where the header is */
	ZSTD_CCtx *cctx;
	uint8_t *rec; /* records waiting to be compressed */
	size_t rlen;
	uint8_t *z; /* compressed bytes waiting to be written */
	size_t zcap;
	struct bin_header h;
	char prov[BIN_PROV_MAX];
	struct trace_slotset ss;
	struct idmap ids; /* live ID -> slot */
	uint64_t prev_id;
};

#define BENC_REC (64 << 10)

static int benc_io(struct trace_benc *e, char *err, size_t errlen)
{
	snprintf(err, errlen, "cannot write the trace: %s", strerror(errno ? errno : EIO));
	(void)e;
	return -1;
}

/* Compress what is buffered (@end: and end the frame), writing the output. */
static int benc_flush(struct trace_benc *e, bool end, char *err, size_t errlen)
{
	ZSTD_inBuffer in = { e->rec, e->rlen, 0 };
	size_t left;

	do {
		ZSTD_outBuffer out = { e->z, e->zcap, 0 };

		left = ZSTD_compressStream2(e->cctx, &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
		if (ZSTD_isError(left)) {
			snprintf(err, errlen, "zstd: %s", ZSTD_getErrorName(left));
			return -1;
		}
		if (out.pos && fwrite(e->z, 1, out.pos, e->f) != out.pos)
			return benc_io(e, err, errlen);
		e->h.data_bytes += out.pos;
	} while (in.pos < in.size || (end && left));
	e->rlen = 0;
	return 0;
}

static inline void put_varint(struct trace_benc *e, uint64_t v)
{
	while (v >= 0x80) {
		e->rec[e->rlen++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	e->rec[e->rlen++] = (uint8_t)v;
}

static int benc_room(struct trace_benc *e, size_t n, char *err, size_t errlen)
{
	return e->rlen + n > BENC_REC ? benc_flush(e, false, err, errlen) : 0;
}

struct trace_benc *trace_benc_new(FILE *f, uint32_t page_size, const char *provenance, char *err,
				  size_t errlen)
{
	struct trace_benc *e = calloc(1, sizeof(*e));
	uint8_t hdr[BIN_FIXED + BIN_PROV_MAX + 8];

	if (!e)
		goto oom;
	e->f = f;
	e->h.version = BIN_VERSION;
	e->h.page_size = page_size;
	e->h.plen = (uint32_t)strlen(provenance);
	if (e->h.plen >= BIN_PROV_MAX) {
		snprintf(err, errlen, "the provenance is longer than %d bytes", BIN_PROV_MAX - 1);
		free(e);
		return NULL;
	}
	memcpy(e->prov, provenance, e->h.plen);
	e->h.hbytes = header_bytes(e->h.plen);
	e->zcap = ZSTD_CStreamOutSize();
	e->rec = malloc(BENC_REC);
	e->z = malloc(e->zcap);
	e->cctx = ZSTD_createCCtx();
	if (!e->rec || !e->z || !e->cctx || idmap_init(&e->ids, 1024))
		goto oom_e;
	if (ZSTD_isError(ZSTD_CCtx_setParameter(e->cctx, ZSTD_c_compressionLevel, BIN_LEVEL)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(e->cctx, ZSTD_c_checksumFlag, 1))) {
		snprintf(err, errlen, "zstd: cannot set the compression parameters");
		trace_benc_free(e);
		return NULL;
	}
	/* the counts follow at the end: a header with zeros holds the place */
	e->start = ftell(f);
	if (e->start < 0) {
		snprintf(err, errlen, "a binary trace must go to a regular file");
		trace_benc_free(e);
		return NULL;
	}
	header_encode(&e->h, e->prov, hdr);
	if (fwrite(hdr, 1, e->h.hbytes, f) != e->h.hbytes) {
		benc_io(e, err, errlen);
		trace_benc_free(e);
		return NULL;
	}
	return e;
oom_e:
	trace_benc_free(e);
oom:
	snprintf(err, errlen, "out of memory");
	return NULL;
}

static int benc_store(struct trace_benc *e, const struct trace_op *op)
{
	struct idmap_entry *x = idmap_get(&e->ids, op->id);
	uint64_t slot;

	if (x) {
		e->rec[e->rlen++] = REC_STORE_LIVE;
		put_varint(e, x->handle);
	} else {
		x = idmap_put(&e->ids, op->id);
		if (!x || trace_slots_take(&e->ss, op->id, &slot))
			return -1;
		x->handle = (unsigned long)slot;
		e->rec[e->rlen++] = REC_STORE_NEW;
		put_varint(e, zigzag(op->id - e->prev_id));
		e->prev_id = op->id;
	}
	put_varint(e, op->size);
	e->h.stores++;
	return 0;
}

static void benc_free_op(struct trace_benc *e, const struct trace_op *op)
{
	struct idmap_entry *x = idmap_get(&e->ids, op->id);

	if (x) {
		e->rec[e->rlen++] = REC_FREE;
		put_varint(e, x->handle);
		trace_slots_release(&e->ss, x->handle);
		idmap_del(&e->ids, x);
	} else {
		e->rec[e->rlen++] = REC_FREE_UNKNOWN;
		put_varint(e, op->id);
	}
	e->h.frees++;
}

int trace_benc_op(struct trace_benc *e, const struct trace_op *op, char *err, size_t errlen)
{
	if (benc_room(e, 32, err, errlen))
		return -1;
	switch (op->op) {
	case 'a':
		if (benc_store(e, op)) {
			snprintf(err, errlen, "out of memory for the live IDs");
			return -1;
		}
		break;
	case 'f':
		benc_free_op(e, op);
		break;
	case 'c':
		e->rec[e->rlen++] = REC_COMPACT;
		e->h.compactions++;
		break;
	default:
		snprintf(err, errlen, "unknown operation '%c'", op->op);
		return -1;
	}
	e->h.ops++;
	return 0;
}

int trace_benc_comment(struct trace_benc *e, const char *text, size_t len, char *err, size_t errlen)
{
	if (benc_room(e, len + 16, err, errlen))
		return -1;
	e->rec[e->rlen++] = REC_COMMENT;
	put_varint(e, len);
	memcpy(e->rec + e->rlen, text, len);
	e->rlen += len;
	e->h.comments++;
	return 0;
}

int trace_benc_finish(struct trace_benc *e, char *err, size_t errlen)
{
	uint8_t hdr[BIN_FIXED + BIN_PROV_MAX + 8];

	if (benc_flush(e, true, err, errlen))
		return -1;
	e->h.slots = e->ss.n;
	e->h.flags = BIN_F_COUNTS;
	header_encode(&e->h, e->prov, hdr);
	if (fflush(e->f) || fseek(e->f, e->start, SEEK_SET) ||
	    fwrite(hdr, 1, e->h.hbytes, e->f) != e->h.hbytes || fseek(e->f, 0, SEEK_END) ||
	    fflush(e->f))
		return benc_io(e, err, errlen);
	return 0;
}

void trace_benc_free(struct trace_benc *e)
{
	if (!e)
		return;
	ZSTD_freeCCtx(e->cctx);
	free(e->rec);
	free(e->z);
	trace_slots_free(&e->ss);
	idmap_free(&e->ids);
	free(e);
}
