/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * progress.h - how far a long command is, on standard error.
 *
 * Work is counted in operations (a page compressed, an object stored,
 * loaded or freed, a trace line replayed) against a total the command
 * estimates before it starts.  The code doing the work only adds to a
 * counter (progress_add(), in batches: a worker thread keeps a count of its
 * own and adds every PROGRESS_BATCH operations, so no cache line is shared
 * per operation); a display thread reads it, so the display advances within
 * a pool, not only between pools:
 *
 *  - on a terminal, a bar redrawn in place five times a second:
 *	[###########...................]  37%  2.41M op/s  ETA 0:12  c lz4:1 zbud churn
 *  - when standard error is not a terminal and the command was given
 *    --progress, one line every five seconds, and one at the end:
 *	zpoolbench: run: progress 37% (1204224 of 3250000 operations), 2.41M op/s,
 *	elapsed 0:07, left 0:12: c lz4:1 zbud churn
 *    (one line; a total of 0 leaves out the share and the time left)
 *  - otherwise nothing, and no thread.
 *
 * ZPB_PROGRESS_INTERVAL=SECONDS sets the time between two updates; 0 makes
 * an update of every batch instead, drawn by the thread that adds it (the
 * tests see the display advance without depending on timing).
 */
#ifndef ZPB_PROGRESS_H
#define ZPB_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#define PROGRESS_BATCH 1024 /* operations a worker counts before it adds them */

/* The command's name for the lines, and whether it was given --progress. */
void progress_setup(const char *cmd, bool lines);
/* Begin: @total operations expected (0: unknown).  Starts the display if there is one. */
void progress_start(uint64_t total);
/* What is being done now ("c lz4:1 zbud churn"), shown after the figures. */
void progress_what(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* @n more operations done; any thread. */
void progress_add(uint64_t n);
/* The display ends: a terminal's bar is cleared, a last line written. */
void progress_stop(void);
/* Clear a terminal's bar before a message (zpb_err does). */
void progress_clear_line(void);

/* A worker's own count, added every PROGRESS_BATCH operations. */
struct progress_local {
	uint64_t n;
};

static inline void progress_step(struct progress_local *l)
{
	if (++l->n == PROGRESS_BATCH) {
		progress_add(l->n);
		l->n = 0;
	}
}

static inline void progress_flush(struct progress_local *l)
{
	if (l->n)
		progress_add(l->n);
	l->n = 0;
}

#endif /* ZPB_PROGRESS_H */
