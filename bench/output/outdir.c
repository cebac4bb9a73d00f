// SPDX-License-Identifier: GPL-2.0-only
/*
 * outdir.c - see outdir.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output/outdir.h"
#include "util.h"

const char *const outdir_files[] = {
	"results.csv",	"results.json", "sizes.csv",	"bounds.csv",	"churn.csv",
	"sweep.csv",	"report.md",	"gnuplot.log",	"tradeoff.png", "tradeoff.svg",
	"sizes.png",	"sizes.svg",	"churn.png",	"churn.svg",	"latency.png",
	"latency.svg",	"sweep.png",	"sweep.svg",	NULL,
};

#define NFILES (sizeof(outdir_files) / sizeof(outdir_files[0]) - 1)
#define PATHLEN 4200

int outdir_clear(const char *dir)
{
	char p[PATHLEN];

	for (size_t i = 0; i < NFILES; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, outdir_files[i]);
		if (unlink(p) && errno != ENOENT) {
			zpb_err("--force: cannot remove %s from the earlier run: %s", p,
				strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Everything the signal-time hook needs, prepared beforehand. */
static struct {
	char dir[PATHLEN];
	char path[NFILES][PATHLEN];
	char msg[PATHLEN + 64];
	size_t msglen;
	bool created;
} guard;

static void guard_hook(void *arg)
{
	(void)arg;
	if (!zpb_interrupted)
		return; /* a normal exit keeps the results */
	for (size_t i = 0; i < NFILES; i++)
		unlink(guard.path[i]);
	if (!guard.created || !rmdir(guard.dir)) {
		ssize_t w = write(STDERR_FILENO, guard.msg, guard.msglen);

		(void)w;
	}
}

void outdir_guard(const char *dir, bool created)
{
	snprintf(guard.dir, sizeof(guard.dir), "%s", dir);
	for (size_t i = 0; i < NFILES; i++)
		snprintf(guard.path[i], sizeof(guard.path[i]), "%s/%s", dir, outdir_files[i]);
	snprintf(guard.msg, sizeof(guard.msg), "%szpoolbench: interrupted; removed %s%s\n",
		 progress_enabled() ? "\n" : "", created ? "" : "this run's files from ", dir);
	guard.msglen = strlen(guard.msg);
	guard.created = created;
	zpb_cleanup_push(guard_hook, NULL);
}
