/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * replay.h - run a size trace through one allocator.
 *
 * Every stored object is filled with a pattern derived from its ID and
 * checked when freed, and every object still live at the end is checked
 * before the pool is destroyed, so a replay also proves integrity.
 */
#ifndef ZPB_REPLAY_H
#define ZPB_REPLAY_H

#include <stdint.h>
#include <stdio.h>

#include "driver/metrics.h"
#include "driver/trace.h"
#include "zpool.h"

struct replay_result {
	uint64_t ops; /* a/f/c lines */
	uint64_t stores, frees, compactions;
	uint64_t rejected; /* stores the allocator refused */
	uint64_t rejected_enospc, rejected_enomem;
	uint64_t objects;    /* live at the end */
	uint64_t bytes;	     /* their requested bytes */
	uint64_t pool_pages; /* at the end */
	uint64_t peak_pages;
	uint64_t compact_pages_freed;
	uint64_t page_size;	  /* bytes per pool page */
	uint64_t max_live;	  /* most IDs live at once (the replay's table) */
	struct zpool_stats stats; /* allocator's own figures at the end */
};

/*
 * The trajectory: pool pages as the trace goes.
 *   REPLAY_TRAJ_EVERY	 "OPINDEX POOL_PAGES" after every operation (the
 *			 stable format oracles write and tests compare);
 *   REPLAY_TRAJ_CHANGES the same lines, only for the first operation, each
 *			 operation after which the pool's size changed, and the
 *			 last operation, after a comment line saying so: the
 *			 pool holds POOL_PAGES from OPINDEX up to the next line.
 */
enum replay_traj { REPLAY_TRAJ_EVERY, REPLAY_TRAJ_CHANGES };

struct replay_opts {
	FILE *traj; /* NULL: none */
	enum replay_traj traj_mode;
	/*
	 * Sizes only: objects are allocated and freed, never written nor
	 * read (no copy, no pattern, no check), so a replay costs what the
	 * allocator costs.  Pool pages are the same: what an allocator does
	 * never depends on the bytes stored.
	 */
	bool sizes_only;
};

/*
 * Replay @trace_path (text or binary) into @zp.  With @traj, one
 * "OPINDEX POOL_PAGES" line per operation.  0 on success; -1 with one line
 * in @err on a trace error (file, line and problem) or a data mismatch.
 */
int replay_trace(const char *trace_path, struct zpool *zp, FILE *traj, struct replay_result *res,
		 char *err, size_t errlen);
int replay_trace_opts(const char *trace_path, struct zpool *zp, const struct replay_opts *o,
		      struct replay_result *res, char *err, size_t errlen);

/*
 * The same through the overlap and integrity checker (check.h; create it
 * with zcheck_set_fatal(zc, false)): every operation is checked, and a
 * violation ends the replay with "verify: TRACE:LINE: SPEC: problem" in
 * @err.  Objects still live at the end are left to zcheck_destroy(), which
 * checks them, frees them and checks that the pool holds no page after.
 */
struct zcheck;
int replay_trace_checked(const char *trace_path, struct zcheck *zc, FILE *traj,
			 struct replay_result *res, char *err, size_t errlen);
int replay_trace_checked_opts(const char *trace_path, struct zcheck *zc, const struct replay_opts *o,
			      struct replay_result *res, char *err, size_t errlen);

/*
 * About how many operations @trace_path holds (a binary header's count, a
 * text trace's lines), for a progress display: 0 when that is unknown
 * (standard input, a pipe).
 */
uint64_t replay_estimate(const char *trace_path);

/*
 * The spec to replay @trace_path with, into @out: @spec itself when the
 * trace's page size (its '# page_size' line; 4096 without one) is the one
 * @spec asks for, @spec with page=N added when it does not set page=; @spec
 * itself for a trace that can be read once only ("-", standard input), whose page size
 * replay_trace() then checks at its first operation.  0;
 * -1 with one line in @err when the trace cannot be read; -2 when @spec is
 * not a valid spec or sets another page= than the trace's.
 */
int replay_spec_for_trace(const char *trace_path, const char *spec, char *out, size_t outlen,
			  char *err, size_t errlen);

/*
 * Decoding alone, the baseline of a replay's speed: every operation read
 * and checked as replay reads it, nothing allocated.  0, or -1 with one
 * line in @err.
 */
struct trace_counts {
	uint64_t ops, stores, frees, compactions;
	uint64_t max_live;	      /* most IDs live at once */
	uint64_t live_end, bytes_end; /* IDs live at the end, and their sizes */
	uint32_t page_size;
	enum trace_format format;
	char provenance[TRACE_LINE_MAX];
};
int replay_decode(const char *trace_path, struct trace_counts *c, char *err, size_t errlen);

/* density = live bytes / (pool bytes + metadata bytes); 0 for an empty pool */
double replay_density(const struct replay_result *res);

/*
 * The result as the raw counts of a results row (metrics.h): stores offered
 * as pages, live objects as stored, their requested bytes as compressed
 * bytes, the trace's compactions; no latencies and no phase time (@rc is
 * zeroed first).
 */
void replay_counts(const struct replay_result *res, struct raw_counts *rc);

/* The sha256 of a trace file, its identity in results ("" for "-" or a read error). */
void replay_trace_sha256(const char *path, char hex[65]);

#endif /* ZPB_REPLAY_H */
