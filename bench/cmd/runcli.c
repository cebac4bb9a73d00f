// SPDX-License-Identifier: GPL-2.0-only
/*
 * runcli.c - see runcli.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus/corpus.h"
#include "cmd/grid.h"
#include "output/outdir.h"
#include "output/provenance.h"
#include "cmd/runcli.h"
#include "cmd/speccheck.h"
#include "util.h"

static const char run_usage[] =
	"--corpus FILE... --alloc SPEC,... [--codec lz4:1,zstd:3] "
	"[--workload fill,load,churn,replay] [--trace T] [--frontend zram|zswap|none] "
	"[--threads N] [--repeat N] [--objects N] [--seed S] [--ccache DIR|off] [--force] --out DIR";
static const char sweep_usage[] =
	"--corpus FILE... --alloc 'SPEC{a,b},key={1..6}' [--codec ...] "
	"[--prefer density|speed|balanced] [--max-ns-p99 N] [--baseline SPEC] [--force] --out DIR";

static void help(bool sweep)
{
	printf("usage: zpoolbench %s %s\n\n", sweep ? "sweep" : "run", sweep ? sweep_usage : run_usage);
	if (sweep)
		printf("Expands a grid of allocator settings (brace lists {a,b} and ranges {1..6}),\n"
		       "runs fill + load + churn on each, marks the Pareto set of density vs throughput\n"
		       "and recommends a setting for the stated goal.\n\n");
	else
		printf("Compresses every page of the corpora once per codec, stores the compressed\n"
		       "pages through a kernel front end into each allocator, and measures space\n"
		       "and time.  Every load is checked against the original page.\n\n");
	printf("  --corpus FILE...   page corpora (NAME.pages or NAME.pages.zst); repeatable\n"
	       "  --alloc SPEC,...   allocator specs, e.g. zbud,z3fold:compaction=extra,zsmalloc:chain=4\n"
	       "                     (see 'zpoolbench list'); 'ideal' is always added\n"
	       "  --codec LIST       codecs (default lz4:1,zstd:3): %s\n"
	       "  --workload LIST    fill, load, churn, replay (default fill,load,churn%s)\n"
	       "  --trace T          size trace for the replay workload\n"
	       "  --frontend F       %s (default zram)\n"
	       "  --threads N        threads sharing each pool (default 1)\n"
	       "  --repeat N         repeats per cell; medians and min/max are reported (default 1)\n"
	       "  --objects N        objects the fill stores (default: one per corpus page); more\n"
	       "                     cycle through the corpus, each load checked against its page\n"
	       "  --seed S           seed of the random choices (default 1)\n"
	       "  --churn-rounds N   churn rounds (default 8)\n"
	       "  --churn-percent P  slots freed and refilled per round (default 30)\n"
	       "  --out DIR          results folder (refused if it exists, unless --force)\n"
	       "  --force            write into an existing folder\n"
	       "  --no-plots         skip gnuplot\n"
	       "  --no-warmup        time the first fill of fresh pages (page faults included)\n"
	       "  --ccache DIR|off   compression cache folder (default $ZPB_CCACHE_DIR, else\n"
	       "                     $XDG_CACHE_HOME/zpoolbench, else ~/.cache/zpoolbench)\n"
	       "  --quiet            no summary table on stdout\n",
	       codec_valid_specs(), "", FE_VALID);
	if (sweep)
		printf("  --prefer GOAL      density, speed or balanced (default balanced)\n"
		       "  --max-ns-p99 N     only settings whose store and load p99 are <= N ns\n"
		       "  --baseline SPEC    reference setting (default: the one with compaction=middle,\n"
		       "                     else the first)\n");
}

static int add_allocs(struct runcli *c, const char *arg)
{
	static char grid[RUN_MAX_ALLOCS][GRID_LINE_MAX];
	static char list[RUN_MAX_ALLOCS][ZPOOL_SPEC_MAX];
	char err[512];
	int ng = grid_expand(arg, grid, RUN_MAX_ALLOCS, err, sizeof(err));

	if (ng < 0) {
		zpb_err("--alloc: %s", err);
		return 2;
	}
	for (int g = 0; g < ng; g++) {
		int n = zpool_split_specs(grid[g], list, RUN_MAX_ALLOCS, err, sizeof(err));

		if (n < 0) {
			zpb_err("--alloc: %s", err);
			return 2;
		}
		for (int i = 0; i < n; i++) {
			struct zpool_config cfg;
			bool dup = false;

			if (zpool_parse_spec(list[i], &cfg, err, sizeof(err))) {
				zpb_err("--alloc: %s", err);
				return 2;
			}
			for (int k = 0; k < c->o.nallocs; k++)
				dup |= !strcmp(c->o.allocs[k], cfg.spec);
			if (dup)
				continue;
			if (c->o.nallocs == RUN_MAX_ALLOCS) {
				zpb_err("--alloc: more than %d allocator settings", RUN_MAX_ALLOCS);
				return 2;
			}
			strcpy(c->o.allocs[c->o.nallocs++], cfg.spec);
		}
	}
	return 0;
}

static int num_opt(const char *name, const char *val, uint64_t min, uint64_t max, uint64_t *out)
{
	if (parse_u64(val, min, max, out)) {
		zpb_err("%s: '%s' is not a whole number in %llu..%llu", name, val,
			(unsigned long long)min, (unsigned long long)max);
		return 2;
	}
	return 0;
}

int runcli_parse(struct runcli *c, int argc, char **argv, bool sweep)
{
	static const struct option opts[] = {
		{ "corpus", required_argument, NULL, 'C' },
		{ "alloc", required_argument, NULL, 'a' },
		{ "codec", required_argument, NULL, 'c' },
		{ "workload", required_argument, NULL, 'w' },
		{ "trace", required_argument, NULL, 't' },
		{ "frontend", required_argument, NULL, 'F' },
		{ "threads", required_argument, NULL, 'T' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "objects", required_argument, NULL, 'O' },
		{ "seed", required_argument, NULL, 's' },
		{ "churn-rounds", required_argument, NULL, 'R' },
		{ "churn-percent", required_argument, NULL, 'P' },
		{ "out", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "no-plots", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "no-warmup", no_argument, NULL, 'W' },
		{ "prefer", required_argument, NULL, 'p' },
		{ "max-ns-p99", required_argument, NULL, 'm' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "ccache", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = sweep ? "sweep" : "run";
	const char *codecs = "lz4:1,zstd:3", *workloads = NULL, *fe = "zram";
	char err[1024];
	uint64_t v;
	int ch, ret;

	memset(c, 0, sizeof(*c));
	c->sweep = sweep;
	c->o.repeat = 1;
	c->o.wl.threads = 1;
	c->o.wl.seed = 1;
	c->o.wl.churn_rounds = 8;
	c->o.wl.churn_percent = 30;
	c->o.wl.warmup = true;
	c->o.boundaries = true;
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			if (c->o.ncorpora == RUN_MAX_CORPORA) {
				zpb_err("%s: more than %d corpora", cmd, RUN_MAX_CORPORA);
				return 2;
			}
			c->o.corpora[c->o.ncorpora++] = optarg;
			break;
		case 'a':
			if (!*optarg) {
				zpb_err("empty --alloc: name at least one allocator, e.g. --alloc zbud "
					"(see 'zpoolbench list')");
				return 2;
			}
			if ((ret = add_allocs(c, optarg)))
				return ret;
			break;
		case 'c': codecs = optarg; break;
		case 'w': workloads = optarg; break;
		case 't': c->o.trace = optarg; break;
		case 'F': fe = optarg; break;
		case 'T':
			if (!strcmp(optarg, "0")) {
				zpb_err("--threads: 0 threads cannot run anything; give 1 or more");
				return 2;
			}
			if ((ret = num_opt("--threads", optarg, 1, 1024, &v)))
				return ret;
			c->o.wl.threads = (int)v;
			break;
		case 'r':
			if ((ret = num_opt("--repeat", optarg, 1, 1000, &v)))
				return ret;
			c->o.repeat = (int)v;
			break;
		case 'O':
			if ((ret = num_opt("--objects", optarg, 1, 100000000, &c->o.objects)))
				return ret;
			break;
		case 's':
			if ((ret = num_opt("--seed", optarg, 0, UINT64_MAX, &c->o.wl.seed)))
				return ret;
			break;
		case 'R':
			if ((ret = num_opt("--churn-rounds", optarg, 0, 100000, &v)))
				return ret;
			c->o.wl.churn_rounds = (unsigned int)v;
			break;
		case 'P':
			if ((ret = num_opt("--churn-percent", optarg, 1, 100, &v)))
				return ret;
			c->o.wl.churn_percent = (unsigned int)v;
			break;
		case 'o': c->out = optarg; break;
		case 'f': c->force = true; break;
		case 'N': c->no_plots = true; break;
		case 'q': c->quiet = true; break;
		case 'K': c->o.ccache = optarg; break;
		case 'W': c->o.wl.warmup = false; break;
		case 'p':
			if (!sweep)
				goto sweep_only;
			if (!strcmp(optarg, "density"))
				c->prefer = PREFER_DENSITY;
			else if (!strcmp(optarg, "speed"))
				c->prefer = PREFER_SPEED;
			else if (!strcmp(optarg, "balanced"))
				c->prefer = PREFER_BALANCED;
			else {
				zpb_err("--prefer: unknown goal '%s' (valid: density, speed, balanced)",
					optarg);
				return 2;
			}
			break;
		case 'm':
			if (!sweep)
				goto sweep_only;
			if ((ret = num_opt("--max-ns-p99", optarg, 1, UINT64_MAX, &c->max_ns_p99)))
				return ret;
			break;
		case 'b': {
			struct zpool_config cfg;

			if (!sweep)
				goto sweep_only;
			if (zpool_parse_spec(optarg, &cfg, err, sizeof(err))) {
				zpb_err("--baseline: %s", err);
				return 2;
			}
			snprintf(c->baseline, sizeof(c->baseline), "%s", cfg.spec);
			break;
		}
		case 'h':
			help(sweep);
			return 1;
		default:
			zpb_err("%s: unknown or incomplete option '%s'; usage: zpoolbench %s %s", cmd,
				argv[optind - 1], cmd, sweep ? sweep_usage : run_usage);
			return 2;
		}
	}
	if (0) {
		const char *o;

sweep_only: /* a label cannot precede a declaration before C23 (clang refuses) */
		o = argv[optind - 1];
		if (strncmp(o, "--", 2) && optind >= 2)
			o = argv[optind - 2];
		zpb_err("run: %s is an option of 'zpoolbench sweep'", o);
		return 2;
	}
	/* further words are corpora too: --corpus a b c */
	for (; optind < argc; optind++) {
		if (c->o.ncorpora == RUN_MAX_CORPORA) {
			zpb_err("%s: more than %d corpora", cmd, RUN_MAX_CORPORA);
			return 2;
		}
		c->o.corpora[c->o.ncorpora++] = argv[optind];
	}

	if (!workloads)
		workloads = sweep ? "fill,load,churn" : (c->o.trace ? "fill,load,churn,replay"
							      : "fill,load,churn");
	if (run_parse_workloads(workloads, &c->o.workloads, err, sizeof(err))) {
		zpb_err("--workload: %s", err);
		return 2;
	}
	if ((c->o.workloads & (1u << WL_REPLAY)) && !c->o.trace) {
		zpb_err("%s: the replay workload needs --trace FILE", cmd);
		return 2;
	}
	if (c->o.trace && !(c->o.workloads & (1u << WL_REPLAY))) {
		zpb_err("%s: --trace given but the replay workload is not asked for "
			"(add replay to --workload)", cmd);
		return 2;
	}
	if (!c->o.nallocs) {
		zpb_err("%s: --alloc SPEC,... is required; usage: zpoolbench %s %s", cmd, cmd,
			sweep ? sweep_usage : run_usage);
		return 2;
	}
	if ((c->o.workloads & ~(1u << WL_REPLAY)) && !c->o.ncorpora) {
		zpb_err("%s: --corpus FILE is required; usage: zpoolbench %s %s", cmd, cmd,
			sweep ? sweep_usage : run_usage);
		return 2;
	}
	if (!c->out) {
		zpb_err("%s: --out DIR is required; usage: zpoolbench %s %s", cmd, cmd,
			sweep ? sweep_usage : run_usage);
		return 2;
	}
	c->o.ncodecs = codec_parse_list(codecs, c->o.codecs, RUN_MAX_CODECS, err, sizeof(err));
	if (c->o.ncodecs < 0) {
		zpb_err("--codec: %s", err);
		return 2;
	}
	if (fe_parse(fe, &c->o.fe, err, sizeof(err))) {
		zpb_err("--frontend: %s", err);
		return 2;
	}
	if (run_add_ideal(&c->o)) {
		zpb_err("--alloc: more than %d allocator settings", RUN_MAX_ALLOCS - 1);
		return 2;
	}
	return 0;
}

int runcli_check_corpora(struct runcli *c)
{
	static struct corpus opened[RUN_MAX_CORPORA];
	char err[1024];

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
	if (c->o.trace && access(c->o.trace, R_OK)) {
		zpb_err("cannot read trace %s: %s", c->o.trace, strerror(errno));
		return 1;
	}
	return 0;
}

/* mkdir -p; 0 or -1 with errno */
static int mkdirs(const char *path)
{
	char buf[4096];
	size_t len = strlen(path);

	if (len >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0777);
}

int runcli_prepare_out(struct runcli *c)
{
	struct stat st;

	if (!stat(c->out, &st)) {
		if (!S_ISDIR(st.st_mode)) {
			zpb_err("--out %s: exists and is not a folder; choose another path", c->out);
			return 1;
		}
		if (!c->force) {
			zpb_err("--out %s: the folder exists; use --force to write into it, or choose "
				"another", c->out);
			return 1;
		}
	} else if (mkdirs(c->out)) {
		zpb_err("--out %s: cannot create the folder: %s", c->out, strerror(errno));
		return 1;
	} else {
		c->created_out = true;
	}
	if (access(c->out, W_OK | X_OK)) {
		zpb_err("--out %s: the folder is not writable: %s", c->out, strerror(errno));
		runcli_drop_out(c);
		return 1;
	}
	return 0;
}

void runcli_drop_out(struct runcli *c)
{
	if (c->created_out)
		rmdir(c->out); /* only if empty */
	c->created_out = false;
}

int runcli_setup(struct runcli *c, int argc, char **argv, struct provenance *prov)
{
	char err[1024];
	char *pargv[256];
	int pargc = 0;

	if (spec_check_all(c->o.allocs, c->o.nallocs, err, sizeof(err))) {
		zpb_err("--alloc: %s", err);
		return 2;
	}
	if (corpus_names_check(c->o.corpora, c->o.ncorpora, err, sizeof(err))) {
		zpb_err("%s", err);
		return 2;
	}
	if (runcli_check_corpora(c) || runcli_prepare_out(c))
		return 1;
	if (c->force && outdir_clear(c->out))
		return 1;
	outdir_guard(c->out, c->created_out);
	pargv[pargc++] = "zpoolbench";
	for (int i = 0; i < argc && pargc < 255; i++)
		pargv[pargc++] = argv[i];
	provenance_collect(prov, pargc, pargv);
	return 0;
}
