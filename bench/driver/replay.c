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
#include "driver/idmap.h"
#include "driver/replay.h"
#include "driver/trace.h"
#include "progress.h"
#include "sha256.h"
#include "util.h"

static int store(struct zpool *zp, struct zcheck *zc, struct idmap *live,
		 const struct trace_op *op, struct replay_result *res, const char *name, char *err,
		 size_t errlen)
{
	struct idmap_entry *e = idmap_get(live, op->id);
	unsigned long handle;
	int ret;
	void *dst;

	if (e && e->handle) {
		snprintf(err, errlen, "%s:%lu: store of ID %" PRIu64 ", which is already stored",
			 name, op->line, op->id);
		return -1;
	}
	if (!e) {
		e = idmap_put(live, op->id);
		if (!e) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	res->stores++;
	/* the checker fills the object with its own pattern and checks it */
	ret = zc ? zcheck_malloc(zc, op->size, &handle) : zpool_malloc(zp, op->size, &handle);
	if (ret) {
		/* refused: remembered, so that a later free of the ID is a no-op */
		e->handle = 0;
		e->size = 0;
		res->rejected++;
		if (ret == -ENOSPC)
			res->rejected_enospc++;
		else if (ret == -ENOMEM)
			res->rejected_enomem++;
		return 0;
	}
	if (!zc) {
		dst = zpool_map(zp, handle, ZPOOL_MM_WO);
		pattern_fill(dst, op->size, op->id);
		zpool_unmap(zp, handle);
	}
	e->handle = handle;
	e->size = op->size;
	res->objects++;
	res->bytes += op->size;
	return 0;
}

/* Check the content of a live object; -1 with a message on mismatch. */
static int verify(struct zpool *zp, const struct idmap_entry *e, char *err, size_t errlen,
		  const char *when)
{
	const void *src = zpool_map(zp, e->handle, ZPOOL_MM_RO);
	bool ok = pattern_check(src, e->size, e->id);

	zpool_unmap(zp, e->handle);
	if (!ok) {
		snprintf(err, errlen, "data corruption: object ID %" PRIu64 " (%u bytes) %s",
			 e->id, e->size, when);
		return -1;
	}
	return 0;
}

static int release(struct zpool *zp, struct zcheck *zc, struct idmap *live,
		   const struct trace_op *op, struct replay_result *res, const char *name, char *err,
		   size_t errlen)
{
	struct idmap_entry *e = idmap_get(live, op->id);
	char when[64];

	if (!e) {
		snprintf(err, errlen,
			 "%s:%lu: free of ID %" PRIu64 ", which was never stored or is already freed",
			 name, op->line, op->id);
		return -1;
	}
	res->frees++;
	if (e->handle) {
		if (zc) {
			zcheck_free(zc, e->handle);
		} else {
			snprintf(when, sizeof(when), "read back wrong when freed at line %lu",
				 op->line);
			if (verify(zp, e, err, errlen, when))
				return -1;
			zpool_free(zp, e->handle);
		}
		res->objects--;
		res->bytes -= e->size;
	}
	idmap_del(live, e);
	return 0;
}

/* One line for a violation the checker found after the operation at @line. */
static int check_failed(struct zcheck *zc, const char *name, unsigned long line, char *err,
			size_t errlen)
{
	if (!zc || !zcheck_failed(zc))
		return 0;
	snprintf(err, errlen, "verify: %s:%lu: %s", name, line, zcheck_error(zc));
	return -1;
}

static int replay(const char *trace_path, struct zpool *zp, struct zcheck *zc, FILE *traj,
		  struct replay_result *res, char *err, size_t errlen)
{
	struct trace_reader r;
	struct trace_op op;
	struct idmap live;
	struct idmap_entry *e;
	struct progress_local pl = { 0 };
	int ret = -1, n;

	memset(res, 0, sizeof(*res));
	if (trace_open(&r, trace_path, err, errlen))
		return -1;
	if (idmap_init(&live, 1 << 16)) {
		snprintf(err, errlen, "out of memory");
		trace_close(&r);
		return -1;
	}

	res->page_size = zpool_page_size(zp);
	while ((n = trace_next(&r, &op, err, errlen)) == 1) {
		uint64_t pages;

		if (r.page_size != res->page_size) {
			snprintf(err, errlen, "%s: a trace of %u-byte pages, but %s has %" PRIu64
				 "-byte pages (give page=%u)",
				 r.name, r.page_size, zp->cfg.spec, res->page_size, r.page_size);
			goto out;
		}

		switch (op.op) {
		case 'a':
			if (store(zp, zc, &live, &op, res, r.name, err, errlen))
				goto out;
			break;
		case 'f':
			if (release(zp, zc, &live, &op, res, r.name, err, errlen))
				goto out;
			break;
		case 'c':
			res->compactions++;
			res->compact_pages_freed += zc ? zcheck_compact(zc) : zpool_compact(zp);
			break;
		}
		if (check_failed(zc, r.name, op.line, err, errlen))
			goto out;
		pages = zpool_total_pages(zp);
		if (pages > res->peak_pages)
			res->peak_pages = pages;
		if (traj)
			fprintf(traj, "%" PRIu64 " %" PRIu64 "\n", res->ops, pages);
		res->ops++;
		progress_step(&pl);
		if (zpb_interrupted)
			goto out;
	}
	if (n < 0)
		goto out;

	res->pool_pages = zpool_total_pages(zp);
	zpool_get_stats(zp, &res->stats);
	if (res->stats.peak_pages > res->peak_pages)
		res->peak_pages = res->stats.peak_pages;

	if (zc) {
		/* zcheck_drain() or zcheck_destroy() checks every live object */
		ret = 0;
		goto out;
	}
	/* every object still live must read back before the pool goes */
	idmap_for_each(&live, e)
	{
		if (!e->handle)
			continue;
		if (verify(zp, e, err, errlen, "read back wrong at the end of the trace"))
			goto out;
	}
	ret = 0;
out:
	/*
	 * free what is left so the pool is torn down empty, as a front end
	 * would (a checked pool: zcheck_destroy() does it, checking)
	 */
	if (!zc) {
		idmap_for_each(&live, e)
		{
			if (e->handle)
				zpool_free(zp, e->handle);
		}
	}
	idmap_free(&live);
	trace_close(&r);
	progress_flush(&pl);
	return ret;
}

int replay_trace(const char *trace_path, struct zpool *zp, FILE *traj, struct replay_result *res,
		 char *err, size_t errlen)
{
	return replay(trace_path, zp, NULL, traj, res, err, errlen);
}

int replay_trace_checked(const char *trace_path, struct zcheck *zc, FILE *traj,
			 struct replay_result *res, char *err, size_t errlen)
{
	return replay(trace_path, zcheck_pool(zc), zc, traj, res, err, errlen);
}

uint64_t replay_estimate(const char *trace_path)
{
	char buf[65536];
	uint64_t lines = 0;
	struct stat st;
	ssize_t got;
	int fd;

	if (!strcmp(trace_path, "-") || stat(trace_path, &st) || !S_ISREG(st.st_mode))
		return 0;
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
		snprintf(err, errlen, "replay: %s is a trace of %u-byte pages%s, but the spec %s asks "
			 "for page=%zu", trace_path, page,
			 page == TRACE_MAX_SIZE ? " (no '# page_size' line)" : "", spec, asked);
		return -2;
	}
	if ((size_t)snprintf(out, outlen, "%s%cpage=%u", spec, strchr(spec, ':') ? ',' : ':',
			     page) >= outlen) {
		snprintf(err, errlen, "replay: allocator spec too long to add page=%u", page);
		return -2;
	}
	return 0;
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
