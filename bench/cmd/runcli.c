// SPDX-License-Identifier: GPL-2.0-only
/*
 * runcli.c - see runcli.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "cmd/grid.h"
#include "cmd/optcheck.h"
#include "cmd/runcli.h"
#include "cmd/speccheck.h"
#include "corpus/corpus.h"
#include "driver/trace.h"
#include "output/provenance.h"
#include "output/report.h"
#include "progress.h"
#include "util.h"

#define O(f) offsetof(struct runcli_args, f)

/* run takes one thread count: a list of them is what scale compares */
static int one_count(const char *val, char *why, size_t len)
{
	if (!strchr(val, ','))
		return 0;
	snprintf(why, len,
		 "'%.100s' is a list; run takes one count ('zpoolbench scale' compares "
		 "several)",
		 val);
	return -1;
}

static int alloc_nonempty(const char *val, char *why, size_t len)
{
	if (*val)
		return 0;
	snprintf(why, len,
		 "is empty; name at least one allocator, e.g. --alloc zbud (see "
		 "'zpoolbench list')");
	return -1;
}

int runcli_parse_shard(const char *val, int *shard, int *nshards, char *why, size_t len)
{
	uint64_t i, n;
	char a[32], b[32], r[256];
	const char *slash = strchr(val, '/');

	if (!slash || slash - val >= (long)sizeof(a) || strlen(slash + 1) >= sizeof(b)) {
		snprintf(why, len, "'%.60s' is not I/N (shard I of N, 0 <= I < N, e.g. 0/4)", val);
		return -1;
	}
	snprintf(a, sizeof(a), "%.*s", (int)(slash - val), val);
	snprintf(b, sizeof(b), "%s", slash + 1);
	if (opt_parse_uint(b, 1, 100000, &n, r, sizeof(r))) {
		snprintf(why, len, "'%.60s': the shard count N %s", val, r);
		return -1;
	}
	if (opt_parse_uint(a, 0, n - 1, &i, r, sizeof(r))) {
		snprintf(why, len, "'%.60s': the shard I %s (shards are numbered from 0)", val, r);
		return -1;
	}
	*shard = (int)i;
	*nshards = (int)n;
	return 0;
}

static int shard_check(const char *val, char *why, size_t len)
{
	int i, n;

	return runcli_parse_shard(val, &i, &n, why, len);
}

/* clang-format off */
#define RUNCLI_OPTS                                                                              \
	{ .name = "corpus", .type = OPT_STRING, .arg = "FILE", .off = O(corpus),                \
	  .maxn = RUN_MAX_CORPORA, .flags = OPT_REPEAT | OPT_USAGE | OPT_IN | OPT_CORPUS,       \
	  .help = "a page corpus (NAME.pages or NAME.pages.zst); more may follow the options "  \
		  "as operands" },                                                               \
	{ .name = "alloc", .type = OPT_LIST, .arg = "SPEC,...", .off = O(alloc),                \
	  .flags = OPT_REQUIRED | OPT_REPEAT, .check = alloc_nonempty,                          \
	  .help = "allocator specs, e.g. zbud,z3fold:compaction=extra,zsmalloc:chain=4, with "  \
		  "brace grids 'SPEC{a,b},key={1..6}' (see 'zpoolbench list'); 'ideal' is "     \
		  "always added" },                                                              \
	{ .name = "codec", .type = OPT_LIST, .arg = "LIST", .def = "lz4:1,zstd:3",              \
	  .off = O(codec), .help = "codecs (below)" },                                          \
	{ .name = "workload", .type = OPT_LIST, .arg = "LIST", .off = O(workload),              \
	  .values = "fill|load|churn|replay",                                                   \
	  .help = "fill, load, churn, replay (default fill,load,churn; replay too with "        \
		  "--trace)" },                                                                  \
	{ .name = "trace", .type = OPT_STRING, .arg = "T", .off = O(trace), .flags = OPT_IN,    \
	  .help = "size trace for the replay workload" },                                       \
	{ .name = "frontend", .type = OPT_STRING, .arg = "F", .def = "zram", .off = O(frontend), \
	  .help = "the kernel front end (below)" },                                             \
	{ .name = "threads", .type = OPT_INTLIST, .arg = "N", .min = 1, .max = 1024, .maxn = 1, \
	  .def = "1", .off = O(threads), .check = one_count,                                    \
	  .help = "threads sharing each pool" },                                                \
	{ .name = "repeat", .type = OPT_INT, .min = 1, .max = 1000, .def = "1", .off = O(repeat), \
	  .help = "repeats per cell; medians and min/max are reported" },                       \
	{ .name = "objects", .type = OPT_INT, .min = 1, .max = 100000000, .off = O(objects),    \
	  .help = "objects the fill stores (default: one per corpus page); more cycle through " \
		  "the corpus, each load checked against its page; counted in pages of the "    \
		  "corpus's size (read as smaller pages, the same bytes are stored)" },         \
	{ .name = "page", .type = OPT_LIST, .arg = "SIZE,...", .off = O(page),                 \
	  .check = optcheck_page_sizes,                                                         \
	  .help = "read every corpus as pages of these sizes (4096, 16384, 65536; 4K, 16K, "    \
		  "64K): its own, or smaller ones that divide it (a 16 KiB corpus at "          \
		  "4K,16K compares the two on the same bytes); default: each at its own" },     \
	{ .name = "unit", .type = OPT_STRING, .arg = "SIZE", .off = O(unit),                    \
	  .check = optcheck_page_size,                                                          \
	  .help = "compress SIZE bytes (4K, 16K, 64K: 1, 4 or 16 address-contiguous 4 KiB "     \
		  "pages, aligned) as one object into pools of 4 KiB pages, as the 2024 "       \
		  "zram/zsmalloc multi-page RFC; a load reads one 4 KiB page of a unit. "       \
		  "Needs allocators that hold a unit (zsmalloc:mp=2 for 16K, mp=4 for 64K, "    \
		  "ideal, malloc) and a corpus of pages at least that large; not with --page "  \
		  "or --frontend zswap" },                                                       \
	{ .name = "seed", .type = OPT_INT, .min = 0, .max = UINT64_MAX, .def = "1",             \
	  .off = O(seed), .help = "seed of the random choices" },                               \
	{ .name = "churn-rounds", .type = OPT_INT, .min = 0, .max = 100000, .def = "8",         \
	  .off = O(churn_rounds), .help = "churn rounds" },                                     \
	{ .name = "churn-percent", .type = OPT_INT, .arg = "P", .min = 1, .max = 100,           \
	  .def = "30", .off = O(churn_percent),                                                 \
	  .help = "slots freed and refilled per round" },                                       \
	{ .name = "compact-every", .type = OPT_INT, .arg = "N", .min = 0, .max = 100000,        \
	  .def = "0", .off = O(compact_every),                                                  \
	  .help = "compact the pool after every N churn rounds, as a shrinker would (0: only "  \
		  "once, after the churn)" },                                                    \
	{ .name = "out", .type = OPT_STRING, .arg = "DIR", .off = O(out),                       \
	  .flags = OPT_USAGE | OPT_OUTDIR,                                                      \
	  .help = "results folder, written whole or not at all; needed with --format table" }, \
	{ .name = "force", .type = OPT_FLAG, .off = O(force),                                   \
	  .help = "replace an existing results folder (as a whole, once the new one is "        \
		  "complete; only a folder that holds nothing but results files)" },             \
	{ .name = "format", .type = OPT_ENUM, .values = "table|csv|json", .def = "table",       \
	  .off = O(format),                                                                     \
	  .help = "stdout: the summary table, or the whole results.csv or results.json "        \
		  "(then --out is optional: without it nothing else is written and no plots "   \
		  "are drawn)" },                                                                \
	{ .name = "no-plots", .type = OPT_FLAG, .off = O(no_plots), .help = "skip gnuplot" },   \
	{ .name = "no-warmup", .type = OPT_FLAG, .off = O(no_warmup),                           \
	  .help = "time the first fill of fresh pages (page faults included)" },                \
	{ .name = "ccache", .type = OPT_STRING, .arg = "DIR|off", .off = O(ccache),             \
	  .help = "compression cache folder (default $ZPB_CCACHE_DIR, else "                    \
		  "$XDG_CACHE_HOME/zpoolbench, else ~/.cache/zpoolbench)" },                     \
	{ .name = "quiet", .type = OPT_FLAG, .off = O(quiet),                                   \
	  .help = "no summary table on stdout" },                                               \
	{ .name = "shard", .type = OPT_STRING, .arg = "I/N", .off = O(shard),                   \
	  .check = shard_check,                                                                  \
	  .help = "run only shard I (0-based) of N: a deterministic 1/N of the (corpus, codec, " \
		  "setting) cells, in a results folder marked as that shard; 'zpoolbench "     \
		  "report' merges the folders of all N" },                                      \
	{ .name = "progress", .type = OPT_FLAG, .off = O(progress),                             \
	  .help = "when standard error is not a terminal, a progress line every few seconds "    \
		  "(on a terminal a progress bar is always drawn)" }
/* clang-format on */

/* clang-format off */
const struct zpb_opt runcli_run_opts[] = {
	RUNCLI_OPTS,
	{ .name = NULL },
};
/* clang-format on */

/* clang-format off */
const struct zpb_opt runcli_sweep_opts[] = {
	RUNCLI_OPTS,
	{ .name = "prefer", .type = OPT_ENUM, .arg = "GOAL", .values = "balanced|density|speed",
	  .def = "balanced", .off = O(prefer), .help = "density, speed or balanced" },
	{ .name = "max-ns-p99", .type = OPT_INT, .min = 1, .max = UINT64_MAX,
	  .off = O(max_ns_p99), .help = "only settings whose store and load p99 are <= N ns" },
	{ .name = "baseline", .type = OPT_STRING, .arg = "SPEC", .off = O(baseline),
	  .help = "reference setting (default: the one with compaction=middle, else the first)" },
	{ .name = NULL },
};
/* clang-format on */

const struct zpb_operand runcli_operand = {
	.arg = "FILE",
	.min = 0,
	.max = RUN_MAX_CORPORA,
	.off = O(corpus),
	.flags = OPT_IN | OPT_CORPUS,
};

void runcli_help_extra(FILE *f)
{
	fprintf(f, "\ncodecs: %s\nfront ends: %s\n", codec_valid_specs(), FE_VALID);
}

/*
 * Whether two parsed specs are one setting: the same allocator with every
 * value equal, whether given or left at its default (zbud and zbud:lru=1).
 */
static bool same_setting(const struct zpool_config *a, const struct zpool_config *b)
{
	if (a->drv != b->drv || a->nparams != b->nparams)
		return false;
	for (int i = 0; i < a->nparams; i++)
		if (a->v[i].param != b->v[i].param || a->v[i].ival != b->v[i].ival ||
		    strcmp(a->v[i].text, b->v[i].text))
			return false;
	return true;
}

/*
 * One setting, one row: a spec written twice the same way is counted once;
 * two spellings of one setting (zbud and zbud:lru=1, or ideal:page=4096 and
 * the ideal that every run includes) would give two rows of one setting
 * under two names, so they are refused, as codecs are.
 */
static int alloc_check_same(const char *cmd, char (*allocs)[ZPOOL_SPEC_MAX], int n,
			    const struct zpool_config *cfg)
{
	struct zpool_config other;
	char err[512];

	/* run and sweep add the row 'ideal' themselves (run.c) */
	if (strcmp(cmd, "scale") && strcmp(cfg->spec, "ideal") &&
	    !zpool_parse_spec("ideal", &other, err, sizeof(err)) && same_setting(cfg, &other)) {
		opt_err(cmd, "--alloc",
			"'%s' is the setting 'ideal', which is always included; "
			"leave it out",
			cfg->spec);
		return 2;
	}
	for (int j = 0; j < n; j++) {
		if (!strcmp(allocs[j], cfg->spec) ||
		    zpool_parse_spec(allocs[j], &other, err, sizeof(err)) ||
		    !same_setting(cfg, &other))
			continue;
		opt_err(cmd, "--alloc", "'%s' and '%s' are the same setting; name each setting once",
			allocs[j], cfg->spec);
		return 2;
	}
	return 0;
}

int alloc_list_add(const char *cmd, char (*allocs)[ZPOOL_SPEC_MAX], int *n, int max, const char *arg)
{
	static char grid[RUN_MAX_ALLOCS][GRID_LINE_MAX];
	static char list[RUN_MAX_ALLOCS][ZPOOL_SPEC_MAX];
	char err[512];
	int ng = grid_expand(arg, grid, RUN_MAX_ALLOCS, err, sizeof(err));

	if (ng < 0) {
		opt_err(cmd, "--alloc", "%s", err);
		return 2;
	}
	for (int g = 0; g < ng; g++) {
		int k = zpool_split_specs(grid[g], list, RUN_MAX_ALLOCS, err, sizeof(err));

		if (k < 0) {
			opt_err(cmd, "--alloc", "%s", err);
			return 2;
		}
		for (int i = 0; i < k; i++) {
			struct zpool_config cfg;
			bool dup = false;

			if (zpool_parse_spec(list[i], &cfg, err, sizeof(err))) {
				opt_err(cmd, "--alloc", "%s", err);
				return 2;
			}
			for (int j = 0; j < *n; j++)
				dup |= !strcmp(allocs[j], cfg.spec);
			if (dup)
				continue;
			if (alloc_check_same(cmd, allocs, *n, &cfg))
				return 2;
			if (*n == max) {
				opt_err(cmd, "--alloc", "more than %d allocator settings", max);
				return 2;
			}
			strcpy(allocs[(*n)++], cfg.spec);
		}
	}
	return 0;
}

static void defaults(struct runcli *c, const struct runcli_args *a, bool sweep)
{
	memset(c, 0, sizeof(*c));
	c->cmd = sweep ? "sweep" : "run";
	c->sweep = sweep;
	c->out = a->out;
	c->force = a->force;
	c->no_plots = a->no_plots;
	c->quiet = a->quiet;
	c->format = a->format;
	c->o.repeat = (int)a->repeat;
	c->o.wl.threads = a->threads.v[0];
	c->o.wl.seed = a->seed;
	c->o.wl.churn_rounds = (unsigned int)a->churn_rounds;
	c->o.wl.churn_percent = (unsigned int)a->churn_percent;
	c->o.wl.compact_every = (unsigned int)a->compact_every;
	c->o.wl.warmup = !a->no_warmup;
	c->o.objects = a->objects;
	c->o.boundaries = true;
	c->o.trace = a->trace;
	c->o.ccache = a->ccache;
	c->o.ncorpora = a->corpus.n;
	for (int i = 0; i < a->corpus.n; i++)
		c->o.corpora[i] = a->corpus.v[i];
	if (a->page)
		c->o.npage_sizes = optcheck_page_sizes_parse(a->page, c->o.page_sizes,
							     RUN_MAX_PAGE_SIZES);
	/* the table's order is balanced, density, speed */
	c->prefer = a->prefer == 1   ? PREFER_DENSITY
		    : a->prefer == 2 ? PREFER_SPEED
				     : PREFER_BALANCED;
	c->max_ns_p99 = a->max_ns_p99;
	if (a->shard) {
		char why[256];

		runcli_parse_shard(a->shard, &c->o.shard, &c->o.nshards, why, sizeof(why));
	}
}

static int workloads(struct runcli *c, const struct runcli_args *a)
{
	const char *w = a->workload;
	char err[1024];

	if (!w)
		w = !c->sweep && c->o.trace ? "fill,load,churn,replay" : "fill,load,churn";
	if (run_parse_workloads(w, &c->o.workloads, err, sizeof(err))) {
		opt_err(c->cmd, "--workload", "%s", err);
		return 2;
	}
	if ((c->o.workloads & (1u << WL_REPLAY)) && !c->o.trace) {
		zpb_err("%s: the replay workload needs --trace FILE", c->cmd);
		return 2;
	}
	if (c->o.trace && !(c->o.workloads & (1u << WL_REPLAY))) {
		zpb_err("%s: --trace given but the replay workload is not asked for "
			"(add replay to --workload)",
			c->cmd);
		return 2;
	}
	return 0;
}

int runcli_parse(struct runcli *c, const struct runcli_args *a, bool sweep)
{
	char err[1024];
	int ret;

	defaults(c, a, sweep);
	progress_setup(c->cmd, a->progress);
	for (int i = 0; i < a->alloc.n; i++)
		if ((ret = alloc_list_add(c->cmd, c->o.allocs, &c->o.nallocs, RUN_MAX_ALLOCS,
					  a->alloc.v[i])))
			return ret;
	if ((ret = workloads(c, a)))
		return ret;
	if ((c->o.workloads & ~(1u << WL_REPLAY)) && !c->o.ncorpora) {
		char bundled[PATH_MAX];

		if (zpb_data_dir("corpora", "corpora", "default.pages.zst", bundled, sizeof(bundled)))
			bundled[0] = '\0';
		zpb_err("%s: --corpus FILE is required%s%s%s; see 'zpoolbench %s --help'", c->cmd,
			*bundled ? " (the bundled one is " : "", bundled,
			*bundled ? "/default.pages.zst)" : "", c->cmd);
		return 2;
	}
	if (!c->out && c->format == FMT_TABLE) {
		zpb_err("%s: --out DIR is required (or --format csv|json for the results on stdout); "
			"see 'zpoolbench %s --help'",
			c->cmd, c->cmd);
		return 2;
	}
	c->o.ncodecs = codec_parse_list(a->codec, c->o.codecs, RUN_MAX_CODECS, err, sizeof(err));
	if (c->o.ncodecs < 0) {
		opt_err(c->cmd, "--codec", "%s", err);
		return 2;
	}
	if (fe_parse(a->frontend, &c->o.fe, err, sizeof(err))) {
		opt_err(c->cmd, "--frontend", "%s", err);
		return 2;
	}
	if (a->unit) {
		uint64_t v;
		char tmp[8];

		opt_parse_size(a->unit, 1, CORPUS_PAGE_MAX, &v, tmp, sizeof(tmp));
		if (a->page) {
			zpb_err("%s: --unit and --page cannot be combined (--unit reads the corpus as "
				"units and keeps pools of 4 KiB pages)",
				c->cmd);
			return 2;
		}
		if (c->o.fe.kind == FE_ZSWAP && v > ZPOOL_PAGE_SIZE) {
			zpb_err("%s: --unit %s: zswap compresses large folios page by page; --unit "
				"applies to the zram and none front ends",
				c->cmd, a->unit);
			return 2;
		}
		c->o.page_sizes[0] = (uint32_t)v;
		c->o.npage_sizes = 1;
		c->o.fe.unit = v > ZPOOL_PAGE_SIZE ? (uint32_t)v : 0;
	}
	if (a->baseline) {
		struct zpool_config cfg;

		if (zpool_parse_spec(a->baseline, &cfg, err, sizeof(err))) {
			opt_err(c->cmd, "--baseline", "%s", err);
			return 2;
		}
		snprintf(c->baseline, sizeof(c->baseline), "%s", cfg.spec);
	}
	if (run_add_ideal(&c->o)) {
		opt_err(c->cmd, "--alloc", "more than %d allocator settings", RUN_MAX_ALLOCS - 1);
		return 2;
	}
	return 0;
}

/*
 * Open every corpus once to check it; 0 or 1 after one line on stderr.
 * The corpora stay open for the run (c->o.opened): each is read through the
 * descriptor that was checked.
 */
static int check_corpora(struct runcli *c)
{
	static struct corpus opened[RUN_MAX_CORPORA];
	char err[1024];

	/*
	 * The trace is checked as replay checks it, before any work: a FIFO
	 * or /dev/zero is refused at once instead of blocking or being read
	 * without end (standard input, '-', is read where it is replayed).
	 */
	if (c->o.trace && strcmp(c->o.trace, "-")) {
		struct trace_reader r;

		if (trace_open(&r, c->o.trace, err, sizeof(err))) {
			zpb_err("%s", err);
			return 1;
		}
		trace_close(&r);
	}
	if (!(c->o.workloads & ~(1u << WL_REPLAY)))
		return 0;
	for (int i = 0; i < c->o.ncorpora; i++) {
		struct corpus *corpus = &opened[i];

		if (corpus_open(corpus, c->o.corpora[i], err, sizeof(err))) {
			zpb_err("%s", err);
			return 1;
		}
		c->o.opened[i] = corpus;
	}
	return 0;
}

/*
 * With --unit of several pages: the pool of @spec holds an object of a unit
 * and, when its design has units of its own (zsmalloc:mp=N), they are this
 * unit.  0, or 2 after one line.
 */
static int check_unit(struct runcli *c, const char *spec)
{
	uint32_t unit = c->o.fe.unit;
	char err[512];
	struct zpool *zp;
	size_t max;
	bool own;

	if (!unit)
		return 0;
	zp = zpool_create(spec, NULL, err, sizeof(err));
	if (!zp) {
		zpb_err("%s: %s", c->cmd, err);
		return 2;
	}
	max = zpool_max_size(zp);
	own = max > zpool_page_size(zp) && zpool_huge_size_unit(zp, max);
	zpool_destroy(zp);
	if (max < unit) {
		zpb_err("%s: --unit %u: %s holds objects up to %zu B, not a %u-B unit (allocators "
			"that can: zsmalloc:mp=%d, ideal, malloc)",
			c->cmd, unit, spec, max, unit, unit == 16384 ? 2 : 4);
		return 2;
	}
	if (own && max != unit) {
		zpb_err("%s: --unit %u: %s compresses units of %zu B, not %u", c->cmd, unit, spec,
			max, unit);
		return 2;
	}
	return 0;
}

/*
 * Every corpus can be read at the run's page sizes, and no spec asks for
 * pages of another size than one it is given: 0, or 2 after one line.
 */
static int check_page_sizes(struct runcli *c)
{
	char err[1024], spec[ZPOOL_SPEC_MAX];

	if (!(c->o.workloads & ~(1u << WL_REPLAY)))
		return 0;
	for (int i = 0; i < c->o.ncorpora; i++) {
		const struct corpus *corpus = c->o.opened[i];
		uint32_t own = corpus->page_size;
		const uint32_t *v = c->o.npage_sizes ? c->o.page_sizes : &own;
		int nv = c->o.npage_sizes ? c->o.npage_sizes : 1;

		for (int k = 0; k < nv; k++) {
			if (corpus_check_view(corpus, v[k], err, sizeof(err))) {
				zpb_err("%s: --%s %u: %s", c->cmd, c->o.fe.unit ? "unit" : "page",
					v[k], err);
				return 2;
			}
			for (int a = 0; a < c->o.nallocs; a++) {
				if (!run_spec_for_page(c->o.allocs[a], run_pool_page(&c->o, v[k]),
						       spec, sizeof(spec), err, sizeof(err))) {
					if (check_unit(c, spec))
						return 2;
					continue;
				}
				zpb_err("%s: %s is read as %u-byte pages, but %s", c->cmd,
					corpus->path, v[k], err);
				return 2;
			}
		}
	}
	return 0;
}

/*
 * The plan's identity: a hash of everything that decides the cells and what
 * is done in them (corpora by sha256, codecs, settings, workloads, front end,
 * repeats, seed, objects, churn, threads), so that the shards of one run
 * share it and the folders of other runs do not.
 */
static void plan_id(const struct runcli *c, char *out, size_t len)
{
	XXH3_state_t *st = XXH3_createState();
	char buf[512];

	if (!st) {
		snprintf(out, len, "unknown");
		return;
	}
	XXH3_64bits_reset(st);
#define ADD(...)                                                  \
	do {                                                      \
		int n_ = snprintf(buf, sizeof(buf), __VA_ARGS__); \
		XXH3_64bits_update(st, buf, (size_t)n_ + 1);      \
	} while (0)
	for (int i = 0; i < c->o.ncorpora; i++)
		ADD("corpus %s", c->o.opened[i] ? c->o.opened[i]->sha256 : c->o.corpora[i]);
	for (int i = 0; i < c->o.ncodecs; i++)
		ADD("codec %s", c->o.codecs[i].name);
	for (int i = 0; i < c->o.nallocs; i++)
		ADD("alloc %s", c->o.allocs[i]);
	for (int i = 0; i < c->o.npage_sizes; i++)
		ADD("page %u", c->o.page_sizes[i]);
	ADD("wl %u fe %s rep %d seed %llu obj %llu churn %u/%u thr %d warm %d trace %s",
	    c->o.workloads, c->o.fe.spec, c->o.repeat, (unsigned long long)c->o.wl.seed,
	    (unsigned long long)c->o.objects, c->o.wl.churn_rounds, c->o.wl.churn_percent,
	    c->o.wl.threads, c->o.wl.warmup, c->o.trace ? c->o.trace : "");
	if (c->o.wl.compact_every)
		ADD("compact every %u", c->o.wl.compact_every);
	if (c->o.fe.unit)
		ADD("unit %u", c->o.fe.unit);
#undef ADD
	snprintf(out, len, "%016llx", (unsigned long long)XXH3_64bits_digest(st));
	XXH3_freeState(st);
}

/* What was run, into the provenance. */
static void run_provenance(const struct runcli *c, struct provenance *p)
{
	p->has_run = true;
	snprintf(p->kind, sizeof(p->kind), "%s", c->cmd);
	snprintf(p->frontend, sizeof(p->frontend), "%s", c->o.fe.spec);
	p->threads = c->o.wl.threads;
	p->repeat = c->o.repeat;
	p->seed = c->o.wl.seed;
	p->objects = c->o.objects;
	p->churn_rounds = c->o.wl.churn_rounds;
	p->churn_percent = c->o.wl.churn_percent;
	p->compact_every = c->o.wl.compact_every;
	p->shard = c->o.nshards > 1 ? c->o.shard : 0;
	p->nshards = c->o.nshards > 1 ? c->o.nshards : 0;
	p->cells = run_cells(&c->o);
	plan_id(c, p->plan, sizeof(p->plan));
	if (c->sweep) {
		snprintf(p->prefer, sizeof(p->prefer), "%s", sweep_prefer_name(c->prefer));
		p->max_ns_p99 = c->max_ns_p99;
		snprintf(p->baseline, sizeof(p->baseline), "%s", c->baseline);
	}
}

int runcli_setup(struct runcli *c, int argc, char **argv, struct provenance *prov)
{
	char err[1024], label[64];
	char *pargv[256];
	int pargc = 0;

	if (spec_check_all(c->o.allocs, c->o.nallocs, err, sizeof(err))) {
		opt_err(c->cmd, "--alloc", "%s", err);
		return 2;
	}
	if (corpus_names_check(c->o.corpora, c->o.ncorpora, err, sizeof(err))) {
		zpb_err("%s", err);
		return 2;
	}
	snprintf(label, sizeof(label), "%s: --out", c->cmd);
	if (c->out && outdir_begin(&c->dir, label, c->out, c->force))
		return 1;
	if (check_corpora(c)) {
		runcli_abort(c);
		return 1;
	}
	if (check_page_sizes(c)) {
		runcli_abort(c);
		return 2;
	}
	pargv[pargc++] = "zpoolbench";
	for (int i = 0; i < argc && pargc < 255; i++)
		pargv[pargc++] = argv[i];
	provenance_collect(prov, pargc, pargv);
	run_provenance(c, prov);
	return 0;
}

const char *runcli_dir(const struct runcli *c)
{
	return c->out ? c->dir.tmp : NULL;
}

int runcli_commit(struct runcli *c)
{
	return c->out ? outdir_commit(&c->dir) : 0;
}

void runcli_abort(struct runcli *c)
{
	if (c->out)
		outdir_abort(&c->dir);
}

int runcli_write(struct runcli *c, const struct run_results *res, const struct results_meta *meta,
		 const struct sweep *sw)
{
	struct report_folder rf = {
		.dir = runcli_dir(c),
		.shown = c->out,
		.res = res,
		.meta = meta,
		.sw = sw,
		.prefer = c->prefer,
		.max_ns_p99 = c->max_ns_p99,
		.no_plots = c->no_plots,
	};
	int ret;

	if (!c->out) {
		fprintf(stderr,
			"zpoolbench: %s: no --out: the results are on stdout only; no "
			"folder, no plots, no report\n",
			c->cmd);
		return 0;
	}
	ret = report_folder(&rf);
	if (ret < 0 || runcli_commit(c)) {
		runcli_abort(c);
		return -1;
	}
	return ret;
}
