/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * outdir.h - the files zpoolbench writes into a results folder, and what
 * happens to the folder on --force and on an interruption.
 *
 *  - outdir_clear(): with --force, the files of an earlier run that this
 *    run writes (results, figures, report, gnuplot.log) are removed first,
 *    so that no stale figure survives; other files are left alone.
 *  - outdir_guard(): on SIGINT/SIGTERM/SIGHUP, our files are removed and,
 *    if this run created the folder and nothing else is in it, the folder
 *    too, with one line "interrupted; removed DIR" on stderr.  The hook
 *    does nothing at a normal exit.
 */
#ifndef ZPB_OUTDIR_H
#define ZPB_OUTDIR_H

#include <stdbool.h>

/* The names, NULL-terminated. */
extern const char *const outdir_files[];

/* Remove those of outdir_files that exist in @dir.  0, or -1 after one line on stderr. */
int outdir_clear(const char *dir);

/* Arm the interruption hook for @dir (@created: this run made it). */
void outdir_guard(const char *dir, bool created);

#endif /* ZPB_OUTDIR_H */
