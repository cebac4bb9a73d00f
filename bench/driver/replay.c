// SPDX-License-Identifier: GPL-2.0-only
/*
 * replay.c - see replay.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "driver/replay.h"
#include "driver/trace.h"
#include "progress.h"
#include "sha256.h"
#include "util.h"

struct rp {
	struct zpool *zp;
	struct zcheck *zc;
	const struct replay_opts *o;
	struct trace_reader r;
	struct replay_result *res;
	uint64_t last_pages; /* trajectory of changes: the size after the last op */
	uint64_t last_line;  /* and the last op written */
	struct progress_local pl;
	char *err;
	size_t errlen;
};

static int store(struct rp *p, const struct trace_op *op)
{
	struct trace_slot *t = trace_slot(&p->r, op->slot);
	struct replay_result *res = p->res;
	unsigned long handle;
	int ret;

	if (!op->fresh && t->handle) {
		snprintf(p->err, p->errlen,
			 "%s:%lu: store of ID %" PRIu64 ", which is already stored", p->r.name,
			 op->line, op->id);
		return -1;
	}
	res->stores++;
	/* the checker fills the object with its own pattern and checks it */
	ret = p->zc ? zcheck_malloc(p->zc, op->size, &handle)
		    : zpool_malloc(p->zp, op->size, &handle);
	if (ret) {
		/* refused: the ID stays live without an object, a later free is a no-op */
		t->handle = 0;
		t->size = 0;
		res->rejected++;
		if (ret == -ENOSPC)
			res->rejected_enospc++;
		else if (ret == -ENOMEM)
			res->rejected_enomem++;
		return 0;
	}
	if (!p->zc && !p->o->sizes_only) {
		void *dst = zpool_map(p->zp, handle, ZPOOL_MM_WO);

		pattern_fill(dst, op->size, op->id);
		zpool_unmap(p->zp, handle);
	}
	t->handle = handle;
	t->size = op->size;
	res->objects++;
	res->bytes += op->size;
	return 0;
}

/* Check the content of a live object; -1 with a message on mismatch. */
static int verify(struct rp *p, const struct trace_slot *t, const char *when)
{
	const void *src;
	bool ok;

	if (p->o->sizes_only)
		return 0;
	src = zpool_map(p->zp, t->handle, ZPOOL_MM_RO);
	ok = pattern_check(src, t->size, t->id);
	zpool_unmap(p->zp, t->handle);
	if (!ok) {
		snprintf(p->err, p->errlen, "data corruption: object ID %" PRIu64 " (%u bytes) %s",
			 t->id, t->size, when);
		return -1;
	}
	return 0;
}

static int release(struct rp *p, const struct trace_op *op)
{
	struct replay_result *res = p->res;
	struct trace_slot *t;
	char when[64];

	if (op->slot == TRACE_NO_SLOT) {
		snprintf(p->err, p->errlen,
			 "%s:%lu: free of ID %" PRIu64
			 ", which was never stored or is already freed",
			 p->r.name, op->line, op->id);
		return -1;
	}
	/* the reader has given the slot back; its words stay until the next op */
	t = trace_slot(&p->r, op->slot);
	res->frees++;
	if (!t->handle)
		return 0;
	if (p->zc) {
		zcheck_free(p->zc, t->handle);
	} else {
		if (!p->o->sizes_only) {
			snprintf(when, sizeof(when), "read back wrong when freed at line %lu",
				 op->line);
			if (verify(p, t, when))
				return -1;
		}
		zpool_free(p->zp, t->handle);
	}
	t->handle = 0;
	res->objects--;
	res->bytes -= t->size;
	return 0;
}

/* One line for a violation the checker found after the operation at @line. */
static int check_failed(struct rp *p, unsigned long line)
{
	if (!p->zc || !zcheck_failed(p->zc))
		return 0;
	snprintf(p->err, p->errlen, "verify: %s:%lu: %s", p->r.name, line, zcheck_error(p->zc));
	return -1;
}

static void trajectory(struct rp *p, uint64_t pages)
{
	uint64_t i = p->res->ops;

	if (p->o->traj_mode == REPLAY_TRAJ_EVERY) {
		fprintf(p->o->traj, "%" PRIu64 " %" PRIu64 "\n", i, pages);
		return;
	}
	if (i == 0)
		fputs("# changes only: POOL_PAGES holds from OPINDEX up to the next line's "
		      "OPINDEX; the last line is the last operation\n",
		      p->o->traj);
	if (i == 0 || pages != p->last_pages) {
		fprintf(p->o->traj, "%" PRIu64 " %" PRIu64 "\n", i, pages);
		p->last_line = i;
	}
	p->last_pages = pages;
}

/* The trajectory of changes ends with the last operation, changed or not. */
static void trajectory_end(struct rp *p)
{
	if (p->o->traj && p->o->traj_mode == REPLAY_TRAJ_CHANGES && p->res->ops &&
	    p->last_line != p->res->ops - 1)
		fprintf(p->o->traj, "%" PRIu64 " %" PRIu64 "\n", p->res->ops - 1, p->last_pages);
}

static int one_op(struct rp *p, const struct trace_op *op)
{
	switch (op->op) {
	case 'a':
		return store(p, op);
	case 'f':
		return release(p, op);
	case 'c':
		p->res->compactions++;
		p->res->compact_pages_freed += p->zc ? zcheck_compact(p->zc) : zpool_compact(p->zp);
		return 0;
	}
	return 0;
}

static int ops_loop(struct rp *p)
{
	struct replay_result *res = p->res;
	struct trace_op op;
	int n;

	while ((n = trace_next(&p->r, &op, p->err, p->errlen)) == 1) {
		uint64_t pages;

		if (p->r.page_size != res->page_size) {
			snprintf(p->err, p->errlen,
				 "%s: a trace of %u-byte pages, but %s has %" PRIu64
				 "-byte pages (give page=%u)",
				 p->r.name, p->r.page_size, p->zp->cfg.spec, res->page_size,
				 p->r.page_size);
			return -1;
		}
		if (one_op(p, &op) || check_failed(p, op.line))
			return -1;
		pages = zpool_total_pages(p->zp);
		if (pages > res->peak_pages)
			res->peak_pages = pages;
		if (p->o->traj)
			trajectory(p, pages);
		res->ops++;
		progress_step(&p->pl);
		if (zpb_interrupted)
			return -1;
	}
	trajectory_end(p);
	return n;
}

/* Every object still live must read back (not under the checker: it does that itself). */
static int verify_live(struct rp *p)
{
	for (uint64_t s = 0; s < p->r.ss.n; s++) {
		const struct trace_slot *t = trace_slot(&p->r, s);

		if (t->live && t->handle && verify(p, t, "read back wrong at the end of the trace"))
			return -1;
	}
	return 0;
}

/*
 * Free what is left so the pool is torn down empty, as a front end would
 * (a checked pool: zcheck_destroy() does it, checking).
 */
static void free_live(struct rp *p)
{
	for (uint64_t s = 0; s < p->r.ss.n; s++) {
		struct trace_slot *t = trace_slot(&p->r, s);

		if (t->live && t->handle)
			zpool_free(p->zp, t->handle);
		t->handle = 0;
	}
}

static int replay(const char *trace_path, struct zpool *zp, struct zcheck *zc,
		  const struct replay_opts *o, struct replay_result *res, char *err, size_t errlen)
{
	struct rp p = { .zp = zp, .zc = zc, .o = o, .res = res, .err = err, .errlen = errlen };
	int ret = -1;

	memset(res, 0, sizeof(*res));
	if (trace_open(&p.r, trace_path, err, errlen))
		return -1;
	/* under the checker a binary trace's IDs are checked as a text reader does */
	if (zc)
		trace_set_strict(&p.r);
	res->page_size = zpool_page_size(zp);
	if (ops_loop(&p))
		goto out;
	res->pool_pages = zpool_total_pages(zp);
	zpool_get_stats(zp, &res->stats);
	if (res->stats.peak_pages > res->peak_pages)
		res->peak_pages = res->stats.peak_pages;
	if (zc || !verify_live(&p))
		ret = 0; /* zcheck_drain() or zcheck_destroy() checks every live object */
out:
	res->max_live = p.r.ss.peak_live;
	if (!zc)
		free_live(&p);
	trace_close(&p.r);
	progress_flush(&p.pl);
	return ret;
}

int replay_trace_opts(const char *trace_path, struct zpool *zp, const struct replay_opts *o,
		      struct replay_result *res, char *err, size_t errlen)
{
	return replay(trace_path, zp, NULL, o, res, err, errlen);
}

int replay_trace(const char *trace_path, struct zpool *zp, FILE *traj, struct replay_result *res,
		 char *err, size_t errlen)
{
	struct replay_opts o = { .traj = traj };

	return replay(trace_path, zp, NULL, &o, res, err, errlen);
}

int replay_trace_checked_opts(const char *trace_path, struct zcheck *zc, const struct replay_opts *o,
			      struct replay_result *res, char *err, size_t errlen)
{
	return replay(trace_path, zcheck_pool(zc), zc, o, res, err, errlen);
}

int replay_trace_checked(const char *trace_path, struct zcheck *zc, FILE *traj,
			 struct replay_result *res, char *err, size_t errlen)
{
	struct replay_opts o = { .traj = traj };

	return replay(trace_path, zcheck_pool(zc), zc, &o, res, err, errlen);
}

uint64_t replay_estimate(const char *trace_path)
{
	struct trace_reader r;
	char buf[65536];
	uint64_t lines = 0;
	struct stat st;
	ssize_t got;
	int fd;

	if (!strcmp(trace_path, "-") || stat(trace_path, &st) || !S_ISREG(st.st_mode))
		return 0;
	/* a binary trace's header has the count; a text trace has a line per operation */
	if (!trace_open(&r, trace_path, buf, sizeof(buf))) {
		bool binary = r.format == TRACE_BINARY;

		lines = trace_header_ops(&r);
		trace_close(&r);
		if (binary)
			return lines;
	}
	fd = open(trace_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < got; i++)
			lines += buf[i] == '\n';
	close(fd);
	return lines;
}

int replay_spec_for_trace(const char *trace_path, const char *spec, char *out, size_t outlen,
			  char *err, size_t errlen)
{
	struct zpool *zp = zpool_create(spec, NULL, err, errlen);
	uint32_t page;
	size_t asked;
	bool set;

	if (!zp)
		return -2;
	asked = zpool_page_size(zp);
	set = zpool_cfg_page_set(&zp->cfg);
	zpool_destroy(zp);
	if (trace_peek_page_size(trace_path, &page, err, errlen))
		return -1;
	/* unknown (standard input): replay() refuses a trace of other pages at its first op */
	if (page == asked || !page) {
		snprintf(out, outlen, "%s", spec);
		return 0;
	}
	if (set) {
		snprintf(err, errlen,
			 "replay: %s is a trace of %u-byte pages%s, but the spec %s asks "
			 "for page=%zu",
			 trace_path, page, page == TRACE_MAX_SIZE ? " (no '# page_size' line)" : "",
			 spec, asked);
		return -2;
	}
	if ((size_t)snprintf(out, outlen, "%s%cpage=%u", spec, strchr(spec, ':') ? ',' : ':',
			     page) >= outlen) {
		snprintf(err, errlen, "replay: allocator spec too long to add page=%u", page);
		return -2;
	}
	return 0;
}

int replay_decode(const char *trace_path, struct trace_counts *c, char *err, size_t errlen)
{
	struct trace_reader r;
	struct trace_op op;
	int n;

	memset(c, 0, sizeof(*c));
	if (trace_open(&r, trace_path, err, errlen))
		return -1;
	while ((n = trace_next(&r, &op, err, errlen)) == 1) {
		c->ops++;
		switch (op.op) {
		case 'a':
			c->stores++;
			if (op.fresh)
				c->bytes_end += op.size;
			else /* a store the trace repeats replaces the size */
				c->bytes_end += op.size - trace_slot(&r, op.slot)->size;
			trace_slot(&r, op.slot)->size = op.size;
			break;
		case 'f':
			c->frees++;
			if (op.slot != TRACE_NO_SLOT)
				c->bytes_end -= trace_slot(&r, op.slot)->size;
			break;
		case 'c':
			c->compactions++;
			break;
		}
	}
	c->max_live = r.ss.peak_live;
	c->live_end = r.ss.live;
	c->page_size = r.page_size;
	c->format = r.format;
	snprintf(c->provenance, sizeof(c->provenance), "%s", r.provenance);
	trace_close(&r);
	return n < 0 ? -1 : 0;
}

double replay_density(const struct replay_result *res)
{
	double denom = (double)res->pool_pages * (res->page_size ? res->page_size : ZPOOL_PAGE_SIZE) +
		       res->stats.metadata_bytes;

	return denom > 0 ? res->bytes / denom : 0.0;
}

void replay_counts(const struct replay_result *res, struct raw_counts *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->threads = 1;
	rc->pages = res->stores;
	rc->stored = res->objects;
	rc->compressed_bytes = res->bytes;
	rc->rejected = res->rejected;
	rc->rej_poor = res->rejected_enospc;
	rc->rej_alloc = res->rejected - res->rejected_enospc;
	rc->pool_pages = res->pool_pages;
	rc->page_size = res->page_size ? res->page_size : ZPOOL_PAGE_SIZE;
	rc->peak_pages = res->peak_pages;
	rc->metadata_bytes = res->stats.metadata_bytes;
	rc->straddling = res->stats.straddling;
	rc->copy_bytes = res->stats.copy_bytes;
	rc->moves = res->stats.moves;
	rc->compactions = res->compactions;
	rc->compact_pages_freed = res->compact_pages_freed;
}

void replay_trace_sha256(const char *path, char hex[65])
{
	struct sha256 s;
	uint8_t d[32], buf[65536];
	struct stat st;
	FILE *f = NULL;
	size_t n;
	int fd;

	hex[0] = '\0';
	if (!strcmp(path, "-"))
		return;
	/* a regular file only: a FIFO or a device would block or never end */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !(f = fdopen(fd, "rb"))) {
		close(fd);
		return;
	}
	sha256_init(&s);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sha256_update(&s, buf, n);
	if (ferror(f)) {
		sha256_abort(&s);
	} else {
		sha256_final(&s, d);
		sha256_hex(d, hex);
	}
	fclose(f);
}
