// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_scale.c - `zpoolbench scale`: how the store rate of each allocator
 * grows with threads sharing one pool.
 *
 * For every repetition, every allocator and every thread count (allocators
 * round robin, the thread counts in alternating order, so that drift of a
 * shared machine hits all alike), a fresh pool behind the front end is
 * warmed, filled by N threads and read back by N threads, every load
 * checked against the original page.  The pool content (objects stored,
 * same-filled, huge, refused, compressed bytes) must not depend on the
 * thread count; the command fails if it does.
 *
 * Reported per allocator and thread count, medians over repetitions:
 *  - store Mop/s on the allocator path: N x 1e3 / mean allocator-path ns
 *    per store (trimmed at p99.9 as in `run`), the rate the N threads reach
 *    together while they all run;
 *  - the speed-up: the median of the per-repetition ratios to 1 thread;
 *  - wall Mop/s: stores / wall time of the fill (front end, staging and
 *    timing included);
 *  - concurrency: the threads' CPU time / wall time, i.e. how many of them
 *    really ran at once; well under N means the machine was busy and the
 *    threads took turns, so their operations did not meet in the allocator;
 *  - ovl%: the share of stores timed in batches of 64 during which every
 *    thread and its peer both had a CPU (their CPU clocks advanced by 90 %
 *    of the wall time), and ovl Mop/s, ovl x: the rate and speed-up over
 *    those stores alone (repetitions with at least 5 % of them; their count
 *    in parentheses): the figures that show contention.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "corpus/corpus.h"
#include "driver/frontend.h"
#include "driver/metrics.h"
#include "driver/pageset.h"
#include "driver/run.h"
#include "util.h"
#include "driver/workload.h"

#define MAX_T 8

static const char usage[] =
	"--corpus FILE [--alloc SPEC,...] [--codec lz4:1] [--threads 1,2] [--repeat N] "
	"[--frontend zram] [--ccache DIR|off] [--out FILE.csv]";

static const char *const default_allocs =
	"zbud,z3fold:kernel=4.7,z3fold:kernel=6.1,zsmalloc,ideal,malloc";

struct sample {
	double path, wall, conc, load_path;
	double ovl, ovl_frac; /* rate over the stores timed while all threads ran; their share */
	uint64_t stored, same, huge, rejected, bytes;
};

struct scale {
	char allocs[RUN_MAX_ALLOCS][ZPOOL_SPEC_MAX];
	int nallocs;
	int threads[MAX_T], nthreads;
	int repeat;
	struct sample *s; /* [alloc][t][rep] */
};

static struct sample *at(struct scale *sc, int a, int t, int rep)
{
	return &sc->s[((size_t)a * sc->nthreads + t) * sc->repeat + rep];
}

static int parse_threads(const char *arg, struct scale *sc)
{
	char buf[128], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", arg);
	sc->nthreads = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;

		if (sc->nthreads == MAX_T || parse_u64(tok, 1, 64, &v))
			return -1;
		sc->threads[sc->nthreads++] = (int)v;
	}
	return sc->nthreads ? 0 : -1;
}

/* One pool at @nt threads: fill, then load; the figures into @out. */
static int one(const struct fe_config *fec, const char *spec, const struct pageset *ps, int nt,
	       uint64_t seed, struct sample *out, char *err, size_t errlen)
{
	struct wl_params p = { .seed = seed, .warmup = true, .threads = nt };
	struct frontend *fe = fe_create(fec, spec, ps, ps->n, err, errlen);
	struct raw_counts fill, load;
	struct derived d;
	int ret = -1;

	if (!fe)
		return -1;
	if (wl_warmup(fe, &p, err, errlen) || wl_fill(fe, &p, &fill, err, errlen) ||
	    wl_load(fe, &p, &load, err, errlen))
		goto out;
	metrics_derive(&fill, &d);
	out->path = d.store_mops * fill.threads;
	if (fill.threads > 1) {
		out->ovl = mops(fill.store_overlap.n_trim, fill.store_overlap.sum_trim_ns) *
			   fill.threads;
		out->ovl_frac = fill.lat[LAT_STORE].n ?
					(double)fill.store_overlap.n / fill.lat[LAT_STORE].n : 0;
	} else {
		out->ovl = out->path;
		out->ovl_frac = 1;
	}
	out->wall = mops(fill.lat[LAT_STORE].n, fill.phase_ns);
	out->conc = fill.phase_ns ? (double)fill.cpu_ns / fill.phase_ns : 0;
	metrics_derive(&load, &d);
	out->load_path = d.load_mops * load.threads;
	out->stored = fill.stored;
	out->same = fill.same_filled;
	out->huge = fill.huge;
	out->rejected = fill.rejected;
	out->bytes = fill.compressed_bytes;
	ret = 0;
out:
	fe_destroy(fe);
	return ret;
}

static double median_of(double *v, int n)
{
	return spread_of(v, n).median;
}

#define MIN_OVERLAP 0.05 /* a repetition counts for the overlap figures above this share */

static void report(FILE *f, struct scale *sc, bool csv)
{
	double v[5][2000], r[1000], ro[1000];

	if (csv)
		fprintf(f, "allocator,threads,store_mops,store_mops_min,store_mops_max,speedup,"
			   "wall_mops,concurrency,load_mops,overlap_share,overlap_mops,"
			   "overlap_speedup,overlap_repeats\n");
	else
		fprintf(f, "%-20s %3s  %-22s %7s %6s %5s %9s  %6s %9s %7s\n", "allocator", "thr",
			"store Mop/s (min-max)", "speedup", "wall", "conc", "load", "ovl%",
			"ovl Mop/s", "ovl x");
	for (int a = 0; a < sc->nallocs; a++) {
		for (int t = 0; t < sc->nthreads; t++) {
			struct spread sp;
			double speed, ospeed = 0, omops = 0;
			int no = 0;

			for (int k = 0; k < sc->repeat; k++) {
				struct sample *x = at(sc, a, t, k);
				double base = at(sc, a, 0, k)->path;

				v[0][k] = x->path;
				v[1][k] = x->wall;
				v[2][k] = x->conc;
				v[3][k] = x->load_path;
				v[4][k] = x->ovl_frac;
				r[k] = base > 0 ? x->path / base : 0;
				if (x->ovl_frac >= MIN_OVERLAP && base > 0) {
					ro[no] = x->ovl / base;
					v[0][sc->repeat + no] = x->ovl; /* scratch */
					no++;
				}
			}
			if (no) {
				double tmp[1000];

				memcpy(tmp, &v[0][sc->repeat], no * sizeof(double));
				omops = median_of(tmp, no);
				ospeed = median_of(ro, no);
			}
			sp = spread_of(v[0], sc->repeat);
			speed = median_of(r, sc->repeat);
			if (csv)
				fprintf(f, "%s,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%d\n",
					sc->allocs[a], sc->threads[t], sp.median, sp.min, sp.max, speed,
					median_of(v[1], sc->repeat), median_of(v[2], sc->repeat),
					median_of(v[3], sc->repeat), median_of(v[4], sc->repeat), omops,
					ospeed, no);
			else
				fprintf(f, "%-20.20s %3d  %5.2f (%5.2f-%5.2f)    %6.2fx %6.2f %5.2f %9.2f  "
					   "%5.0f%% %9.2f %6.2fx (%d)\n",
					sc->allocs[a], sc->threads[t], sp.median, sp.min, sp.max, speed,
					median_of(v[1], sc->repeat), median_of(v[2], sc->repeat),
					median_of(v[3], sc->repeat), 100 * median_of(v[4], sc->repeat),
					omops, ospeed, no);
		}
	}
}

static bool same_content(const struct sample *a, const struct sample *b)
{
	return a->stored == b->stored && a->same == b->same && a->huge == b->huge &&
	       a->rejected == b->rejected && a->bytes == b->bytes;
}

static int add_allocs(struct scale *sc, const char *list)
{
	static char tmp[RUN_MAX_ALLOCS][ZPOOL_SPEC_MAX];
	char err[512];
	int n = zpool_split_specs(list, tmp, RUN_MAX_ALLOCS, err, sizeof(err));

	if (n < 0) {
		zpb_err("scale: --alloc: %s", err);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct zpool_config cfg;

		if (zpool_parse_spec(tmp[i], &cfg, err, sizeof(err))) {
			zpb_err("scale: --alloc: %s", err);
			return -1;
		}
		if (sc->nallocs < RUN_MAX_ALLOCS)
			strcpy(sc->allocs[sc->nallocs++], cfg.spec);
	}
	return 0;
}

static int scale_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "corpus", required_argument, NULL, 'C' },  { "alloc", required_argument, NULL, 'a' },
		{ "codec", required_argument, NULL, 'c' },   { "threads", required_argument, NULL, 'T' },
		{ "repeat", required_argument, NULL, 'r' },  { "frontend", required_argument, NULL, 'F' },
		{ "ccache", required_argument, NULL, 'K' },  { "out", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, 's' },    { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct scale sc;
	const char *corpus_path = NULL, *allocs = NULL, *codec_spec = "lz4:1", *fe_spec = "zram";
	const char *ccache = NULL, *out = NULL;
	uint64_t seed = 1, v;
	struct fe_config fec;
	struct corpus corpus;
	struct codec codec;
	struct pageset ps;
	struct afile af;
	char err[1024];
	int ch, ret = 1;

	memset(&sc, 0, sizeof(sc));
	sc.repeat = 9;
	sc.threads[0] = 1;
	sc.threads[1] = 2;
	sc.nthreads = 2;
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'C': corpus_path = optarg; break;
		case 'a': allocs = optarg; break;
		case 'c': codec_spec = optarg; break;
		case 'F': fe_spec = optarg; break;
		case 'K': ccache = optarg; break;
		case 'o': out = optarg; break;
		case 'T':
			if (parse_threads(optarg, &sc)) {
				zpb_err("scale: --threads: '%s' is not a list of up to %d counts 1..64, "
					"e.g. 1,2", optarg, MAX_T);
				return 2;
			}
			break;
		case 'r':
			if (parse_u64(optarg, 1, 1000, &v)) {
				zpb_err("scale: --repeat: '%s' is not a whole number in 1..1000", optarg);
				return 2;
			}
			sc.repeat = (int)v;
			break;
		case 's':
			if (parse_u64(optarg, 0, UINT64_MAX, &seed)) {
				zpb_err("scale: --seed: '%s' is not a whole number", optarg);
				return 2;
			}
			break;
		case 'h':
			printf("usage: zpoolbench scale %s\n\n"
			       "Store rate of each allocator with 1, 2, ... threads sharing one pool\n"
			       "(fill through the front end, every page read back and checked).\n"
			       "Default allocators: %s; default 9 repetitions.\n",
			       usage, default_allocs);
			return 0;
		default:
			zpb_err("scale: unknown or incomplete option '%s'; usage: zpoolbench scale %s",
				argv[optind - 1], usage);
			return 2;
		}
	}
	if (!corpus_path || optind != argc) {
		zpb_err("scale: --corpus FILE is required (and nothing else after the options); "
			"usage: zpoolbench scale %s", usage);
		return 2;
	}
	if (codec_parse(codec_spec, &codec, err, sizeof(err))) {
		zpb_err("scale: --codec: %s", err);
		return 2;
	}
	if (fe_parse(fe_spec, &fec, err, sizeof(err))) {
		zpb_err("scale: --frontend: %s", err);
		return 2;
	}
	if (add_allocs(&sc, allocs ? allocs : default_allocs))
		return 2;
	sc.s = calloc((size_t)sc.nallocs * sc.nthreads * sc.repeat, sizeof(*sc.s));
	if (!sc.s) {
		zpb_err("scale: out of memory");
		return 1;
	}
	if (corpus_open(&corpus, corpus_path, err, sizeof(err))) {
		zpb_err("%s", err);
		free(sc.s);
		return 1;
	}
	if (pageset_open(&ps, &corpus, &codec, online_cpus(), ccache, err, sizeof(err))) {
		zpb_err("scale: %s", err);
		goto out_corpus;
	}
	for (int rep = 0; rep < sc.repeat; rep++) {
		for (int i = 0; i < sc.nallocs; i++) {
			int a = (i + rep) % sc.nallocs;

			for (int j = 0; j < sc.nthreads; j++) {
				int t = rep % 2 ? sc.nthreads - 1 - j : j;

				if (one(&fec, sc.allocs[a], &ps, sc.threads[t], seed + rep,
					at(&sc, a, t, rep), err, sizeof(err))) {
					zpb_err("scale: %s with %d threads: %s", sc.allocs[a],
						sc.threads[t], err);
					goto out_ps;
				}
				if (!at(&sc, a, t, rep)->stored) {
					/* a rate of no stores is no figure (0.00 Mop/s would look like one) */
					zpb_err("scale: %s stored none of the %llu pages of %s (%llu "
						"same-filled, front end %s): no store rate to measure; use "
						"another corpus or --frontend none", sc.allocs[a],
						(unsigned long long)ps.n, corpus.name,
						(unsigned long long)ps.same_pages, fec.spec);
					goto out_ps;
				}
			}
			for (int t = 1; t < sc.nthreads; t++) {
				if (same_content(at(&sc, a, 0, rep), at(&sc, a, t, rep)))
					continue;
				zpb_err("scale: %s: the pool content with %d threads differs from %d "
					"thread(s) (%llu vs %llu objects)", sc.allocs[a], sc.threads[t],
					sc.threads[0], (unsigned long long)at(&sc, a, t, rep)->stored,
					(unsigned long long)at(&sc, a, 0, rep)->stored);
				goto out_ps;
			}
		}
	}
	printf("# %s, %s, front end %s, %llu pages (%llu same-filled), %d repetitions; medians\n",
	       corpus.name, codec.name, fec.spec, (unsigned long long)ps.n,
	       (unsigned long long)ps.same_pages, sc.repeat);
	report(stdout, &sc, false);
	if (out) {
		if (afile_open(&af, out))
			goto out_ps;
		report(af.f, &sc, true);
		if (afile_commit(&af))
			goto out_ps;
	}
	ret = 0;
out_ps:
	pageset_free(&ps);
out_corpus:
	corpus_close(&corpus);
	free(sc.s);
	return ret;
}

static const struct zpb_cmd scale_cmd = {
	.name = "scale",
	.usage = "--corpus FILE [--alloc SPEC,...] [--threads 1,2] [--repeat N] [--out FILE.csv]",
	.summary = "store rate with 1, 2, ... threads sharing one pool (every load verified)",
	.run = scale_main,
	.order = 12,
};

ZPB_COMMAND(scale_cmd)
