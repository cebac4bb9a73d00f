// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_replay.c - `zpoolbench replay`: a size trace through one allocator.
 */
#include <stdlib.h>
#include <inttypes.h>
#include <string.h>

#include "check.h"
#include "cmd.h"
#include "driver/replay.h"
#include "output/results.h"
#include "progress.h"
#include "util.h"
#include "zpool.h"

enum { FMT_TABLE, FMT_CSV, FMT_JSON };

struct replay_args {
	const char *trace, *alloc, *trajectory;
	int format, class_stats, verify, force, sizes_only, traj_format, progress;
};

#define O(f) offsetof(struct replay_args, f)

/* clang-format off */
static const struct zpb_opt replay_opts[] = {
	{ .name = "trace", .type = OPT_STRING, .arg = "FILE", .off = O(trace),
	  .flags = OPT_REQUIRED | OPT_IN,
	  .help = "the trace: text ('# zpoolbench-trace v1', 'a ID SIZE', 'f ID', 'c') or binary "
		  "(see 'zpoolbench trace convert'), told apart by their first bytes" },
	{ .name = "alloc", .type = OPT_STRING, .arg = "SPEC", .off = O(alloc),
	  .flags = OPT_REQUIRED, .help = "allocator spec, e.g. zbud, z3fold:compaction=extra" },
	{ .name = "trajectory", .type = OPT_STRING, .arg = "OUT", .off = O(trajectory),
	  .flags = OPT_OUT, .help = "write 'OPINDEX POOL_PAGES' after every operation" },
	{ .name = "trajectory-format", .type = OPT_ENUM, .values = "every|changes", .def = "every",
	  .off = O(traj_format),
	  .help = "every: a line after every operation; changes: the same lines only where the "
		  "pool's size changed (and for the first and the last operation), after a "
		  "'#' line saying so" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force),
	  .help = "replace an existing --trajectory file" },
	{ .name = "sizes-only", .type = OPT_FLAG, .off = O(sizes_only),
	  .help = "allocate and free only: no object is written or read, so the replay costs "
		  "what the allocator costs; pool pages are exactly the same" },
	{ .name = "format", .type = OPT_ENUM, .values = "table|csv|json;text=table",
	  .def = "table", .off = O(format),
	  .help = "the summary on stdout as a table, or the results document of 'zpoolbench "
		  "run --workload replay' (results.csv or results.json, one row; text is the "
		  "same as table, for one release)" },
	{ .name = "class-stats", .type = OPT_FLAG, .off = O(class_stats),
	  .help = "print the allocator's per-class table at the end (with --format table)" },
	{ .name = "verify", .type = OPT_FLAG, .off = O(verify),
	  .help = "run the pool under the overlap and integrity checker: no two live objects "
		  "overlap, objects stay in pages the pool owns, freed pages are unmapped "
		  "(guard mode), every live object is checked after each compaction or move, "
		  "and the pool is empty after the last free (slow)" },
	{ .name = "progress", .type = OPT_FLAG, .off = O(progress),
	  .help = "when standard error is not a terminal, a progress line every few seconds "
		  "(on a terminal a progress bar is always drawn)" },
	{ .name = NULL },
};
/* clang-format on */

static void print_text(const char *trace, const struct zpool *zp, const struct replay_result *r)
{
	printf("trace        %s (%" PRIu64 " ops: %" PRIu64 " stores, %" PRIu64 " frees, %" PRIu64
	       " compactions)\n",
	       trace, r->ops, r->stores, r->frees, r->compactions);
	printf("allocator    %s\n", zp->cfg.spec);
	printf("objects      %" PRIu64 " live, %" PRIu64 " bytes\n", r->objects, r->bytes);
	printf("rejected     %" PRIu64 " (enospc %" PRIu64 ", enomem %" PRIu64 ")\n", r->rejected,
	       r->rejected_enospc, r->rejected_enomem);
	printf("pool pages   %" PRIu64 " (peak %" PRIu64 ")\n", r->pool_pages, r->peak_pages);
	printf("metadata     %" PRIu64 " bytes outside pool pages\n", r->stats.metadata_bytes);
	printf("density      %.4f (live bytes / (pool bytes + metadata))\n", replay_density(r));
	printf("compaction   %" PRIu64 " pages freed\n", r->compact_pages_freed);
}

/*
 * CSV and JSON: the results document of `zpoolbench run --workload
 * replay`, one row, through the one results writer (results.h).
 */
static int print_results(const char *trace, const struct zpool *zp, const struct replay_result *r,
			 int format, int argc, char **argv)
{
	const char *base = strrchr(trace, '/');
	struct run_results res = { 0 };
	struct provenance prov;
	struct results_meta meta = { .prov = &prov };
	struct run_row *row;
	char *pargv[256];
	int pargc = 0;

	pargv[pargc++] = "zpoolbench";
	for (int i = 0; i < argc && pargc < 255; i++)
		pargv[pargc++] = argv[i];
	provenance_collect(&prov, pargc, pargv);
	row = run_add_row(&res, base ? base + 1 : trace, "trace", zp->cfg.spec, WL_REPLAY, 1);
	if (!row) {
		zpb_err("replay: out of memory");
		return 1;
	}
	replay_trace_sha256(trace, row->sha256);
	snprintf(row->frontend, sizeof(row->frontend), "none");
	replay_counts(r, &row->rep[0]);
	results_tradeoff(&res);
	if (format == FMT_JSON)
		results_json(stdout, &res, &meta);
	else
		results_csv(stdout, &res, &meta);
	run_results_free(&res);
	return 0;
}

static int replay_main(void *opts, int argc, char **argv)
{
	const struct replay_args *a = opts;
	const char *trace = a->trace, *spec = a->alloc, *trajectory = a->trajectory;
	bool checked = a->verify;
	struct zcheck *zc = NULL;
	char *cstats = NULL;
	size_t cstats_len = 0;
	struct replay_result res;
	struct replay_opts o = { 0 };
	struct afile traj;
	struct zpool *zp;
	char err[1024], spec_buf[ZPOOL_SPEC_MAX];
	int ret;

	if (a->class_stats && a->format != FMT_TABLE) {
		zpb_err("replay: --class-stats prints a table; use it with --format table");
		return 2;
	}
	if (a->sizes_only && checked) {
		opt_err("replay", "--sizes-only",
			"the checker writes and reads every object; "
			"give --verify or --sizes-only, not both");
		return 2;
	}
	o.sizes_only = a->sizes_only;
	o.traj_mode = a->traj_format ? REPLAY_TRAJ_CHANGES : REPLAY_TRAJ_EVERY;

	/* the trace's page size decides the pool's (page= added, or checked) */
	ret = replay_spec_for_trace(trace, spec, spec_buf, sizeof(spec_buf), err, sizeof(err));
	if (ret) {
		zpb_err("%s", err);
		return ret == -2 ? 2 : 1;
	}
	spec = spec_buf;
	if (checked) {
		zc = zcheck_create(spec, ZCHECK_GUARD, err, sizeof(err));
		if (!zc) {
			zpb_err("%s", err);
			return 2;
		}
		zcheck_set_fatal(zc, false);
		zp = zcheck_pool(zc);
	} else {
		zp = zpool_create(spec, NULL, err, sizeof(err));
		if (!zp) {
			zpb_err("%s", err);
			return 2;
		}
	}
	if (trajectory && afile_create(&traj, "replay: --trajectory", trajectory, a->force))
		goto fail;
	o.traj = trajectory ? traj.f : NULL;
	progress_setup("replay", a->progress);
	progress_start(replay_estimate(trace)); /* operations of the trace; 0 for a pipe */
	progress_what("%s", zp->cfg.spec);
	ret = checked ? replay_trace_checked_opts(trace, zc, &o, &res, err, sizeof(err))
		      : replay_trace_opts(trace, zp, &o, &res, err, sizeof(err));
	progress_stop();
	if (ret) {
		zpb_err("%s", err);
		goto fail_traj;
	}
	if (a->class_stats) {
		/* kept until the pool has passed the checker's teardown */
		FILE *m = open_memstream(&cstats, &cstats_len);

		if (!m) {
			zpb_err("replay: out of memory");
			goto fail_traj;
		}
		if (zp->drv->class_stats)
			zp->drv->class_stats(zp->pool, m);
		else
			fprintf(m, "(%s has no size classes)\n", zp->drv->name);
		fclose(m);
	}
	/* frees every live object, checking it, and wants no page left after */
	if (checked && zcheck_drain(zc)) {
		zpb_err("verify: %s: at the end of the trace: %s", trace, zcheck_error(zc));
		goto fail_traj;
	}
	if (trajectory && afile_commit(&traj))
		goto fail;
	if (a->format == FMT_TABLE)
		print_text(trace, zp, &res);
	else if (print_results(trace, zp, &res, a->format, argc, argv))
		goto fail;
	if (cstats)
		fputs(cstats, stdout);
	ret = 0;
	goto out;

fail_traj:
	if (trajectory)
		afile_abort(&traj);
fail:
	ret = 1;
out:
	free(cstats);
	if (zc)
		zcheck_destroy(zc);
	else
		zpool_destroy(zp);
	return ret;
}

static const struct zpb_cmd replay_cmd = {
	.name = "replay",
	.summary = "replay a size trace through one allocator (pool pages per operation)",
	.about = "Replays a size trace (text v1 or binary) through one allocator; every object\n"
		 "is filled with a pattern derived from its ID and verified when freed (not with\n"
		 "--sizes-only).\n",
	.opts = replay_opts,
	.size = sizeof(struct replay_args),
	.run = replay_main,
	.order = 20,
};

ZPB_COMMAND(replay_cmd)
