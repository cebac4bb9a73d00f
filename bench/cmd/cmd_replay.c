// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_replay.c - `zpoolbench replay`: a size trace through one allocator.
 */
#include <getopt.h>
#include <stdlib.h>
#include <inttypes.h>
#include <string.h>

#include "check.h"
#include "cmd.h"
#include "driver/replay.h"
#include "util.h"
#include "zpool.h"

static const char replay_usage[] =
	"--trace FILE --alloc SPEC [--trajectory OUT] [--format text|json] [--class-stats] [--verify]";

static void help(void)
{
	printf("usage: zpoolbench replay %s\n\n"
	       "Replays a size trace (format v1) through one allocator; every object is\n"
	       "filled with a pattern derived from its ID and verified when freed.\n\n"
	       "  --trace FILE       the trace ('# zpoolbench-trace v1', 'a ID SIZE', 'f ID', 'c')\n"
	       "  --alloc SPEC       allocator spec, e.g. zbud, z3fold:compaction=extra\n"
	       "  --trajectory OUT   write 'OPINDEX POOL_PAGES' after every operation\n"
	       "  --format F         summary as text (default) or json\n"
	       "  --class-stats      print the allocator's per-class table at the end\n"
	       "  --verify           run the pool under the overlap and integrity checker:\n"
	       "                     no two live objects overlap, objects stay in pages the\n"
	       "                     pool owns, freed pages are unmapped (guard mode), every\n"
	       "                     live object is checked after each compaction or move,\n"
	       "                     and the pool is empty after the last free (slow)\n",
	       replay_usage);
}

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

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void print_json(const char *trace, const struct zpool *zp, const struct replay_result *r)
{
	printf("{\"trace\": ");
	json_str(trace);
	printf(", \"allocator\": ");
	json_str(zp->cfg.spec);
	printf(", \"ops\": %" PRIu64 ", \"stores\": %" PRIu64 ", \"frees\": %" PRIu64
	       ", \"compactions\": %" PRIu64 ", \"objects\": %" PRIu64 ", \"bytes\": %" PRIu64
	       ", \"rejected\": %" PRIu64 ", \"rejected_enospc\": %" PRIu64
	       ", \"rejected_enomem\": %" PRIu64 ", \"pool_pages\": %" PRIu64
	       ", \"peak_pool_pages\": %" PRIu64 ", \"metadata_bytes\": %" PRIu64
	       ", \"density\": %.6f, \"compact_pages_freed\": %" PRIu64 "}\n",
	       r->ops, r->stores, r->frees, r->compactions, r->objects, r->bytes, r->rejected,
	       r->rejected_enospc, r->rejected_enomem, r->pool_pages, r->peak_pages,
	       r->stats.metadata_bytes, replay_density(r), r->compact_pages_freed);
}

static int replay_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "trace", required_argument, NULL, 't' },
		{ "alloc", required_argument, NULL, 'a' },
		{ "trajectory", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "class-stats", no_argument, NULL, 'C' },
		{ "verify", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *trace = NULL, *spec = NULL, *trajectory = NULL, *format = "text";
	bool class_stats = false, checked = false;
	struct zcheck *zc = NULL;
	char *cstats = NULL;
	size_t cstats_len = 0;
	struct replay_result res;
	struct afile traj;
	struct zpool *zp;
	char err[1024];
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't': trace = optarg; break;
		case 'a': spec = optarg; break;
		case 'o': trajectory = optarg; break;
		case 'f': format = optarg; break;
		case 'C': class_stats = true; break;
		case 'V': checked = true; break;
		case 'h': help(); return 0;
		default:
			zpb_err("replay: unknown or incomplete option '%s'; usage: zpoolbench replay %s",
				argv[optind - 1], replay_usage);
			return 2;
		}
	}
	if (optind < argc) {
		zpb_err("replay: unexpected argument '%s'; usage: zpoolbench replay %s", argv[optind],
			replay_usage);
		return 2;
	}
	if (!trace || !spec) {
		zpb_err("replay: %s is required; usage: zpoolbench replay %s",
			!trace ? "--trace FILE" : "--alloc SPEC", replay_usage);
		return 2;
	}
	if (strcmp(format, "text") && strcmp(format, "json")) {
		zpb_err("replay: unknown format '%s' (valid: text, json)", format);
		return 2;
	}
	if (class_stats && !strcmp(format, "json")) {
		zpb_err("replay: --class-stats prints a text table; use it with --format text");
		return 2;
	}

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
	if (trajectory && afile_open(&traj, trajectory))
		goto fail;
	ret = checked ? replay_trace_checked(trace, zc, trajectory ? traj.f : NULL, &res, err,
					     sizeof(err))
		      : replay_trace(trace, zp, trajectory ? traj.f : NULL, &res, err, sizeof(err));
	if (ret) {
		zpb_err("%s", err);
		goto fail_traj;
	}
	if (class_stats) {
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
	if (!strcmp(format, "json"))
		print_json(trace, zp, &res);
	else
		print_text(trace, zp, &res);
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
	.usage = replay_usage,
	.summary = "replay a size trace through one allocator (pool pages per operation)",
	.run = replay_main,
	.order = 20,
};

ZPB_COMMAND(replay_cmd)
