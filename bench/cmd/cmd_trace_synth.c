// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_trace_synth.c - `zpoolbench trace synth --out FILE --ops N`: a
 * synthetic size trace of any length (driver/trace_synth.h), for
 * benchmarks of the replay path at scale.
 */
#include <inttypes.h>
#include <string.h>

#include "cmd.h"
#include "driver/trace_synth.h"
#include "util.h"
#include "version.h"

struct synth_args {
	const char *out;
	uint64_t ops, live, seed, compact_every, page_size;
	int to, force;
};

#define O(f) offsetof(struct synth_args, f)

static int check_page(const char *val, char *why, size_t len)
{
	if (strcmp(val, "4096") && strcmp(val, "16384") && strcmp(val, "65536")) {
		snprintf(why, len, "'%s' is not a page size (4096, 16384, 65536)", val);
		return -1;
	}
	return 0;
}

/* clang-format off */
static const struct zpb_opt synth_opts[] = {
	{ .name = "out", .type = OPT_STRING, .arg = "FILE", .off = O(out),
	  .flags = OPT_REQUIRED | OPT_OUT, .help = "the trace" },
	{ .name = "ops", .type = OPT_INT, .min = 1, .max = 1ULL << 40, .off = O(ops),
	  .flags = OPT_REQUIRED, .help = "operations in all (stores, frees, compactions)" },
	{ .name = "live", .type = OPT_INT, .min = 1, .max = 1ULL << 32, .def = "1000000",
	  .off = O(live), .help = "objects after the fill; the pool stays within an eighth of it" },
	{ .name = "seed", .type = OPT_INT, .min = 0, .max = UINT64_MAX, .def = "1", .off = O(seed),
	  .help = "seed of the random choices" },
	{ .name = "compact-every", .type = OPT_INT, .min = 0, .max = UINT64_MAX, .def = "0",
	  .off = O(compact_every), .help = "a compaction after every N operations (0: none)" },
	{ .name = "page-size", .type = OPT_INT, .min = 4096, .max = 65536, .def = "4096",
	  .off = O(page_size), .check = check_page,
	  .help = "the trace's page size; sizes scale with it" },
	{ .name = "to", .type = OPT_ENUM, .values = "binary|text", .def = "binary", .off = O(to),
	  .help = "the encoding" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force), .help = "replace an existing --out" },
	{ .name = NULL },
};
/* clang-format on */

static int synth_main(void *opts, int argc, char **argv)
{
	const struct synth_args *a = opts;
	struct synth_params p = { .ops = a->ops,
				  .live = a->live,
				  .seed = a->seed,
				  .compact_every = a->compact_every,
				  .page_size = (uint32_t)a->page_size };
	struct trace_writer w;
	struct afile af;
	char prov[512];

	(void)argc;
	(void)argv;
	snprintf(prov, sizeof(prov),
		 "zpoolbench %s (%s) trace synth --ops %" PRIu64 " --live %" PRIu64
		 " --seed %" PRIu64 " --compact-every %" PRIu64 " --page-size %u",
		 ZPB_VERSION, ZPB_GIT, p.ops, p.live, p.seed, p.compact_every, p.page_size);
	if (afile_create(&af, "trace synth: --out", a->out, a->force))
		return 1;
	if (trace_writer_open(&w, af.f, a->to ? TRACE_TEXT : TRACE_BINARY, p.page_size, prov) ||
	    synth_write(&p, &w) || trace_writer_close(&w)) {
		zpb_err("trace synth: --out %s: %s", a->out, w.err);
		trace_writer_abort(&w);
		afile_abort(&af);
		return 1;
	}
	if (afile_commit(&af))
		return 1;
	printf("%s: %" PRIu64 " operations, %" PRIu64 " objects live after the fill\n", a->out,
	       p.ops, p.live);
	return 0;
}

static const struct zpb_cmd trace_synth_cmd = {
	.name = "trace synth",
	.summary = "a synthetic size trace of any length, for benchmarks at scale",
	.about = "Writes a synthetic size trace: a swap device of 2 x --live slots filled with\n"
		 "--live objects, then random frees, stores and overwrites around that size;\n"
		 "object sizes follow the lz4 sizes of the default corpus.\n",
	.opts = synth_opts,
	.size = sizeof(struct synth_args),
	.run = synth_main,
	.order = 23,
};

ZPB_COMMAND(trace_synth_cmd)
