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
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd/runcli.h"
#include "cmd/speccheck.h"
#include "json.h"
#include "csv.h"
#include "corpus/corpus.h"
#include "driver/frontend.h"
#include "driver/metrics.h"
#include "driver/pageset.h"
#include "driver/run.h"
#include "progress.h"
#include "util.h"
#include "driver/workload.h"

#define MAX_T 8

static const char *const default_allocs =
	"zbud,z3fold:kernel=4.7,z3fold:kernel=6.1,zsmalloc,ideal,malloc";

struct scale_args {
	const char *corpus, *codec, *frontend, *ccache, *out;
	struct opt_strv alloc;
	struct opt_intv threads;
	uint64_t repeat, seed;
	int format, force, progress;
};

#define O(f) offsetof(struct scale_args, f)

/* clang-format off */
static const struct zpb_opt scale_opts[] = {
	{ .name = "corpus", .type = OPT_STRING, .arg = "FILE", .off = O(corpus),
	  .flags = OPT_REQUIRED | OPT_IN | OPT_CORPUS,
	  .help = "a page corpus (NAME.pages or NAME.pages.zst)" },
	{ .name = "alloc", .type = OPT_LIST, .arg = "SPEC,...", .off = O(alloc),
	  .flags = OPT_REPEAT,
	  .help = "allocator specs, brace grids as in sweep (default: zbud, z3fold:kernel=4.7, "
		  "z3fold:kernel=6.1, zsmalloc, ideal, malloc)" },
	{ .name = "codec", .type = OPT_STRING, .arg = "SPEC", .def = "lz4:1", .off = O(codec),
	  .help = "the codec" },
	{ .name = "threads", .type = OPT_INTLIST, .arg = "N,...", .min = 1, .max = 1024,
	  .maxn = MAX_T, .def = "1,2", .off = O(threads),
	  .help = "thread counts sharing one pool, as in run" },
	{ .name = "repeat", .type = OPT_INT, .min = 1, .max = 1000, .def = "9", .off = O(repeat),
	  .help = "repetitions; medians are reported" },
	{ .name = "frontend", .type = OPT_STRING, .arg = "F", .def = "zram", .off = O(frontend),
	  .help = "front end, as in run" },
	{ .name = "seed", .type = OPT_INT, .min = 0, .max = UINT64_MAX, .def = "1", .off = O(seed),
	  .help = "seed of the random choices" },
	{ .name = "ccache", .type = OPT_STRING, .arg = "DIR|off", .off = O(ccache),
	  .help = "compression cache folder, as in run" },
	{ .name = "out", .type = OPT_STRING, .arg = "FILE.csv", .off = O(out), .flags = OPT_OUT,
	  .help = "also write the figures as CSV to this file" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force), .help = "replace an existing --out file" },
	{ .name = "format", .type = OPT_ENUM, .values = "table|csv|json", .def = "table",
	  .off = O(format), .help = "the figures on stdout as a table, CSV or JSON" },
	{ .name = "progress", .type = OPT_FLAG, .off = O(progress),
	  .help = "when standard error is not a terminal, a progress line every few seconds "
		  "(on a terminal a progress bar is always drawn)" },
	{ .name = NULL },
};
/* clang-format on */

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

/* One pool at @nt threads: fill, then load; the figures into @out. */
static int one(const struct fe_config *fec, const char *spec, const struct pageset *ps, int nt,
	       uint64_t seed, struct sample *out, char *err, size_t errlen)
{
	struct wl_params p = { .seed = seed, .warmup = true, .threads = nt };
	struct frontend *fe = fe_create(fec, spec, ps, ps->n, err, errlen);
	struct raw_counts fill = { 0 }, load = { 0 };
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
		out->ovl_frac = fill.lat[LAT_STORE].n
					? (double)fill.store_overlap.n / fill.lat[LAT_STORE].n
					: 0;
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
	raw_counts_release(&fill);
	raw_counts_release(&load);
	fe_destroy(fe);
	return ret;
}

static double median_of(const double *v, int n)
{
	return figure_of(v, n).med;
}

#define MIN_OVERLAP 0.05 /* a repetition counts for the overlap figures above this share */

/* The figures of one allocator and thread count, medians over the repetitions. */
struct scale_row {
	struct figure store;
	double speedup, wall, conc, load, ovl_share, ovl_mops, ovl_speedup;
	int ovl_reps;
};

static void row_of(struct scale *sc, int a, int t, struct scale_row *row)
{
	static double v[5][1000], r[1000], ro[1000], ov[1000];
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
			ov[no] = x->ovl;
			no++;
		}
	}
	memset(row, 0, sizeof(*row));
	if (no) {
		row->ovl_mops = median_of(ov, no);
		row->ovl_speedup = median_of(ro, no);
	}
	row->ovl_reps = no;
	row->store = figure_of(v[0], sc->repeat);
	row->speedup = median_of(r, sc->repeat);
	row->wall = median_of(v[1], sc->repeat);
	row->conc = median_of(v[2], sc->repeat);
	row->load = median_of(v[3], sc->repeat);
	row->ovl_share = median_of(v[4], sc->repeat);
}

static void report_csv(FILE *f, struct scale *sc)
{
	struct scale_row w;

	fprintf(f, "allocator,threads,store_mops,store_mops_min,store_mops_max,speedup,"
		   "wall_mops,concurrency,load_mops,overlap_share,overlap_mops,"
		   "overlap_speedup,overlap_repeats\n");
	for (int a = 0; a < sc->nallocs; a++) {
		for (int t = 0; t < sc->nthreads; t++) {
			row_of(sc, a, t, &w);
			csv_field(f, sc->allocs[a]);
			fprintf(f, ",%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%d\n",
				sc->threads[t], w.store.med, w.store.min, w.store.max, w.speedup,
				w.wall, w.conc, w.load, w.ovl_share, w.ovl_mops, w.ovl_speedup,
				w.ovl_reps);
		}
	}
}

static void report_table(FILE *f, struct scale *sc)
{
	struct scale_row w;

	fprintf(f, "%-20s %3s  %-22s %7s %6s %5s %9s  %6s %9s %7s\n", "allocator", "thr",
		"store Mop/s (min-max)", "speedup", "wall", "conc", "load", "ovl%", "ovl Mop/s",
		"ovl x");
	for (int a = 0; a < sc->nallocs; a++) {
		for (int t = 0; t < sc->nthreads; t++) {
			row_of(sc, a, t, &w);
			fprintf(f,
				"%-20.20s %3d  %5.2f (%5.2f-%5.2f)    %6.2fx %6.2f %5.2f %9.2f  "
				"%5.0f%% %9.2f %6.2fx (%d)\n",
				sc->allocs[a], sc->threads[t], w.store.med, w.store.min,
				w.store.max, w.speedup, w.wall, w.conc, w.load, 100 * w.ovl_share,
				w.ovl_mops, w.ovl_speedup, w.ovl_reps);
		}
	}
}

static void report_json(FILE *f, struct scale *sc, const char *corpus, const char *codec,
			const char *fe, uint64_t pages, uint64_t same)
{
	struct scale_row w;
	struct jw j;

	jw_init(&j, f, true);
	jw_obj(&j);
	jw_key(&j, "corpus");
	jw_str(&j, corpus);
	jw_key(&j, "codec");
	jw_str(&j, codec);
	jw_key(&j, "frontend");
	jw_str(&j, fe);
	jw_key(&j, "pages");
	jw_u64(&j, pages);
	jw_key(&j, "same_filled_pages");
	jw_u64(&j, same);
	jw_key(&j, "repeat");
	jw_u64(&j, (uint64_t)sc->repeat);
	jw_key(&j, "rows");
	jw_arr(&j);
	for (int a = 0; a < sc->nallocs; a++) {
		for (int t = 0; t < sc->nthreads; t++) {
			row_of(sc, a, t, &w);
			jw_obj(&j);
			jw_key(&j, "allocator");
			jw_str(&j, sc->allocs[a]);
			jw_key(&j, "threads");
			jw_u64(&j, (uint64_t)sc->threads[t]);
#define F(key, v, d)     \
	jw_key(&j, key); \
	jw_fixed(&j, v, d);
			F("store_mops", w.store.med, 3);
			F("store_mops_min", w.store.min, 3);
			F("store_mops_max", w.store.max, 3);
			F("speedup", w.speedup, 3);
			F("wall_mops", w.wall, 3);
			F("concurrency", w.conc, 3);
			F("load_mops", w.load, 3);
			F("overlap_share", w.ovl_share, 3);
			F("overlap_mops", w.ovl_mops, 3);
			F("overlap_speedup", w.ovl_speedup, 3);
#undef F
			jw_key(&j, "overlap_repeats");
			jw_u64(&j, (uint64_t)w.ovl_reps);
			jw_end(&j);
		}
	}
	jw_end(&j);
	jw_end(&j);
	jw_finish(&j);
}

static bool same_content(const struct sample *a, const struct sample *b)
{
	return a->stored == b->stored && a->same == b->same && a->huge == b->huge &&
	       a->rejected == b->rejected && a->bytes == b->bytes;
}

static int scale_main(void *opts, int argc, char **argv)
{
	const struct scale_args *args = opts;
	static struct scale sc;
	uint64_t seed = args->seed;
	struct fe_config fec;
	struct corpus corpus;
	struct codec codec;
	struct pageset ps;
	struct afile af;
	char err[1024];
	int ret = 1;

	(void)argc;
	(void)argv;
	memset(&sc, 0, sizeof(sc));
	sc.repeat = (int)args->repeat;
	sc.nthreads = args->threads.n;
	memcpy(sc.threads, args->threads.v, sizeof(int) * sc.nthreads);
	if (codec_parse(args->codec, &codec, err, sizeof(err))) {
		opt_err("scale", "--codec", "%s", err);
		return 2;
	}
	if (fe_parse(args->frontend, &fec, err, sizeof(err))) {
		opt_err("scale", "--frontend", "%s", err);
		return 2;
	}
	/* run's allocator list: grids expanded, duplicates once, every setting checked */
	if (args->alloc.n) {
		for (int i = 0; i < args->alloc.n; i++)
			if ((ret = alloc_list_add("scale", sc.allocs, &sc.nallocs, RUN_MAX_ALLOCS,
						  args->alloc.v[i])))
				return ret;
	} else if ((ret = alloc_list_add("scale", sc.allocs, &sc.nallocs, RUN_MAX_ALLOCS,
					 default_allocs))) {
		return ret;
	}
	if (spec_check_all(sc.allocs, sc.nallocs, err, sizeof(err))) {
		opt_err("scale", "--alloc", "%s", err);
		return 2;
	}
	ret = 1;
	sc.s = calloc((size_t)sc.nallocs * sc.nthreads * sc.repeat, sizeof(*sc.s));
	if (!sc.s) {
		zpb_err("scale: out of memory");
		return 1;
	}
	if (corpus_open(&corpus, args->corpus, err, sizeof(err))) {
		zpb_err("%s", err);
		free(sc.s);
		return 1;
	}
	/* a page compressed, then per pool: warm-up (fill, empty), fill, load */
	progress_setup("scale", args->progress);
	progress_start(corpus.pages +
		       (uint64_t)sc.repeat * sc.nallocs * sc.nthreads * 4 * corpus.pages);
	progress_what("compressing %s with %s", corpus.name, codec.name);
	if (pageset_open(&ps, &corpus, &codec, online_cpus(), args->ccache, err, sizeof(err))) {
		zpb_err("scale: %s", err);
		goto out_corpus;
	}
	for (int rep = 0; rep < sc.repeat; rep++) {
		for (int i = 0; i < sc.nallocs; i++) {
			int a = (i + rep) % sc.nallocs;

			for (int j = 0; j < sc.nthreads; j++) {
				int t = rep % 2 ? sc.nthreads - 1 - j : j;

				progress_what("%s, %d thread%s (repeat %d of %d)", sc.allocs[a],
					      sc.threads[t], sc.threads[t] == 1 ? "" : "s", rep + 1,
					      sc.repeat);
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
						"another corpus or --frontend none",
						sc.allocs[a], (unsigned long long)ps.n, corpus.name,
						(unsigned long long)ps.same_pages, fec.spec);
					goto out_ps;
				}
			}
			for (int t = 1; t < sc.nthreads; t++) {
				if (same_content(at(&sc, a, 0, rep), at(&sc, a, t, rep)))
					continue;
				zpb_err("scale: %s: the pool content with %d threads differs from %d "
					"thread(s) (%llu vs %llu objects)",
					sc.allocs[a], sc.threads[t], sc.threads[0],
					(unsigned long long)at(&sc, a, t, rep)->stored,
					(unsigned long long)at(&sc, a, 0, rep)->stored);
				goto out_ps;
			}
		}
	}
	progress_stop();
	if (args->out) {
		if (afile_create(&af, "scale: --out", args->out, args->force))
			goto out_ps;
		report_csv(af.f, &sc);
		if (afile_commit(&af))
			goto out_ps;
	}
	if (args->format == FMT_CSV) {
		report_csv(stdout, &sc);
	} else if (args->format == FMT_JSON) {
		report_json(stdout, &sc, corpus.name, codec.name, fec.spec, ps.n, ps.same_pages);
	} else {
		printf("# %s, %s, front end %s, %llu pages (%llu same-filled), %d repetitions; "
		       "medians\n",
		       corpus.name, codec.name, fec.spec, (unsigned long long)ps.n,
		       (unsigned long long)ps.same_pages, sc.repeat);
		report_table(stdout, &sc);
	}
	ret = 0;
out_ps:
	progress_stop();
	pageset_free(&ps);
out_corpus:
	corpus_close(&corpus);
	free(sc.s);
	return ret;
}

static const struct zpb_cmd scale_cmd = {
	.name = "scale",
	.summary = "store rate with 1, 2, ... threads sharing one pool (every load verified)",
	.about = "Store rate of each allocator with 1, 2, ... threads sharing one pool (fill\n"
		 "through the front end, every page read back and checked).\n",
	.opts = scale_opts,
	.size = sizeof(struct scale_args),
	.run = scale_main,
	.order = 12,
};

ZPB_COMMAND(scale_cmd)
