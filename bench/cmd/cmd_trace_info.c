// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_trace_info.c - `zpoolbench trace info FILE`: what a size trace holds
 * (encoding, page size, provenance, counts, the most IDs live at once) and
 * how fast it decodes: the baseline a replay's speed is compared with.
 */
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd.h"
#include "driver/replay.h"
#include "json.h"
#include "output/results.h"
#include "util.h"

enum { FMT_TABLE, FMT_CSV, FMT_JSON };

struct info_args {
	struct opt_strv files;
	int format;
};

#define O(f) offsetof(struct info_args, f)

/* clang-format off */
static const struct zpb_opt info_opts[] = {
	{ .name = "format", .type = OPT_ENUM, .values = "table|csv|json", .def = "table",
	  .off = O(format), .help = "on stdout as a table, one CSV row under a header, or JSON" },
	{ .name = NULL },
};
/* clang-format on */

static const struct zpb_operand info_operand = {
	.arg = "FILE",
	.min = 1,
	.max = 1,
	.off = O(files),
	.flags = OPT_IN,
	.help = "the trace, text or binary; '-': standard input",
};

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

#define INFO_FIELDS(X)                       \
	X(ops, c->ops)                       \
	X(stores, c->stores)                 \
	X(frees, c->frees)                   \
	X(compactions, c->compactions)       \
	X(max_live, c->max_live)             \
	X(live_end, c->live_end)             \
	X(bytes_end, c->bytes_end)           \
	X(page_size, (uint64_t)c->page_size) \
	X(file_bytes, bytes)                 \
	X(decode_cpu_ns, cpu)                \
	X(decode_wall_ns, wall)

static int info_main(void *opts, int argc, char **argv)
{
	const struct info_args *a = opts;
	const char *path = a->files.v[0];
	static struct trace_counts cc;
	struct trace_counts *c = &cc;
	uint64_t c0, w0, cpu, wall, bytes = 0;
	struct stat st;
	char err[1024];

	(void)argc;
	(void)argv;
	if (strcmp(path, "-") && !stat(path, &st))
		bytes = (uint64_t)st.st_size;
	c0 = cpu_ns();
	w0 = now_ns();
	if (replay_decode(path, c, err, sizeof(err))) {
		zpb_err("%s", err);
		return 1;
	}
	cpu = cpu_ns() - c0;
	wall = now_ns() - w0;
	if (a->format == FMT_CSV) {
		fputs("trace,format", stdout);
#define X(n, v) fputs("," #n, stdout);
		INFO_FIELDS(X)
#undef X
		fputs(",provenance\n", stdout);
		csv_field(stdout, path);
		printf(",%s", trace_format_name(c->format));
#define X(n, v) printf(",%" PRIu64, (uint64_t)(v));
		INFO_FIELDS(X)
#undef X
		putchar(',');
		csv_field(stdout, c->provenance);
		putchar('\n');
	} else if (a->format == FMT_JSON) {
		struct jw w;

		jw_init(&w, stdout, true);
		jw_obj(&w);
		jw_key(&w, "trace");
		jw_str(&w, path);
		jw_key(&w, "format");
		jw_str(&w, trace_format_name(c->format));
#define X(n, v)         \
	jw_key(&w, #n); \
	jw_u64(&w, (uint64_t)(v));
		INFO_FIELDS(X)
#undef X
		jw_key(&w, "provenance");
		jw_str(&w, c->provenance);
		jw_end(&w);
		jw_finish(&w);
	} else {
		printf("trace        %s (%s, %" PRIu64 " bytes)\n", path,
		       trace_format_name(c->format), bytes);
		if (*c->provenance)
			printf("provenance   %s\n", c->provenance);
		printf("page size    %u\n", c->page_size);
		printf("operations   %" PRIu64 " (%" PRIu64 " stores, %" PRIu64 " frees, %" PRIu64
		       " compactions)\n",
		       c->ops, c->stores, c->frees, c->compactions);
		printf("live IDs     %" PRIu64 " at most, %" PRIu64 " at the end (%" PRIu64
		       " bytes)\n",
		       c->max_live, c->live_end, c->bytes_end);
		printf("decoding     %.3f s CPU, %.3f s wall: %.1f M operations/s (CPU)\n",
		       cpu / 1e9, wall / 1e9, cpu ? c->ops * 1e3 / cpu : 0.0);
	}
	return 0;
}

static const struct zpb_cmd trace_info_cmd = {
	.name = "trace info",
	.summary = "what a size trace holds, and how fast it decodes",
	.about = "Reads a size trace (text or binary) to the end, checking it as replay does,\n"
		 "and prints its encoding, page size, provenance, counts, the most IDs live\n"
		 "at once, and the time decoding took.\n",
	.opts = info_opts,
	.operand = &info_operand,
	.size = sizeof(struct info_args),
	.run = info_main,
	.order = 24,
};

ZPB_COMMAND(trace_info_cmd)
