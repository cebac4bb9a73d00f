/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * runcli.h - the command line shared by `zpoolbench run` and `zpoolbench
 * sweep`: parsing and checking every option before any work starts, and
 * the results folder (refused if it exists, unless --force; created before
 * the run so that an unwritable place fails at once; removed again if the
 * run fails and it was created empty).
 */
#ifndef ZPB_RUNCLI_H
#define ZPB_RUNCLI_H

#include <stdbool.h>

#include "driver/run.h"
#include "output/sweep.h"

struct runcli {
	struct run_opts o;
	const char *out;
	bool force, no_plots, quiet;
	bool created_out;
	/* sweep */
	bool sweep;
	enum prefer prefer;
	uint64_t max_ns_p99; /* 0 = no constraint */
	char baseline[ZPOOL_SPEC_MAX];
};

/*
 * Parse argv (argv[0] = command name).  0 to go on, 1 if --help was
 * printed, or the exit status (2) after one line on stderr.
 */
int runcli_parse(struct runcli *c, int argc, char **argv, bool sweep);
/*
 * Open every corpus once to check it; 0 or 1 after one line on stderr.
 * The corpora stay open for the run (c->o.opened): each is read through the
 * descriptor that was checked.
 */
int runcli_check_corpora(struct runcli *c);
/* Refuse an existing folder without --force, create it; 0 or 1 after one line. */
int runcli_prepare_out(struct runcli *c);
/* After a failed run: remove the folder if this run created it and it is empty. */
void runcli_drop_out(struct runcli *c);

struct provenance;
/*
 * What run and sweep do between parsing and work: check every spec and the
 * corpus names (exit 2), open the corpora and the output folder (exit 1),
 * clear it with --force, guard it against interruption, and collect the
 * provenance.  0, or the exit status with the message printed.
 */
int runcli_setup(struct runcli *c, int argc, char **argv, struct provenance *prov);

#endif /* ZPB_RUNCLI_H */
