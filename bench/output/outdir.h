/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * outdir.h - a results folder appears whole or not at all.
 *
 * A run never writes into the folder it was given (--out DIR).  It writes
 * into a hidden sibling, "PARENT/.NAME.tmp.XXXXXX", made before any work,
 * and renames that into place when every file (results, figures, report) is
 * complete.  An error (ENOSPC, EFBIG under a file size limit, a failed run)
 * or SIGINT/SIGTERM/SIGHUP removes the sibling: nothing partial is left, and
 * an earlier folder is untouched.
 *
 *  - DIR exists: refused unless --force.  With --force the new folder
 *    replaces the old one as a whole, in one rename (RENAME_EXCHANGE), only
 *    after the new one is complete, and only if the old one holds nothing
 *    but files a run writes (the names in outdir_files[]): a folder with
 *    any other file in it (notes, a corpus) is refused, so --force never
 *    deletes what a user put there.  DIR must be a folder, not a link.
 *  - A lock: "PARENT/.NAME.lock" is held (flock) from the start to the end,
 *    so a second run on the same DIR is refused at once with one line
 *    instead of mixing its files with the first one's.  The lock file is
 *    removed at the end.
 *  - Missing parent folders are created, and removed again on failure.
 *  - "results/x/" is "results/x".
 *
 * Messages name the option ("run: --out DIR: ...") in the wording of
 * afile.h; exit status 1.
 */
#ifndef ZPB_OUTDIR_H
#define ZPB_OUTDIR_H

#include <stdbool.h>

/* The names a run writes into a results folder, NULL-terminated. */
extern const char *const outdir_files[];

#define OUTDIR_PATH 4096
#define OUTDIR_MAX_PARENTS 16

struct outdir {
	char label[128];	   /* "run: --out" */
	char target[OUTDIR_PATH];  /* DIR without trailing slashes */
	char tmp[2 * OUTDIR_PATH]; /* where this run writes */
	char lock[2 * OUTDIR_PATH];
	int lockfd;
	bool force;
	int hook;
	int nmade; /* parent folders this run created, outermost first */
	char made[OUTDIR_MAX_PARENTS][OUTDIR_PATH];
};

/*
 * Check DIR, take the lock, make the temporary sibling (d->tmp) and arm the
 * clean-up.  0, or 1 after one line on stderr.
 */
int outdir_begin(struct outdir *d, const char *label, const char *dir, bool force);
/*
 * Refuse (1, after one line) an --out DIR that is the input @in (a results
 * folder) or holds it (a results file): with --force the new folder would
 * replace the input.  0 if DIR does not exist or is another folder.
 */
int outdir_not_input(const char *label, const char *dir, const char *inlabel, const char *in);
/* Put the complete folder in place (and the old one away): 0, or 1 after one line. */
int outdir_commit(struct outdir *d);
/* Remove the temporary folder, the lock and the parents made: nothing is left. */
void outdir_abort(struct outdir *d);

#endif /* ZPB_OUTDIR_H */
