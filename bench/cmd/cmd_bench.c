// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_bench.c - `zpoolbench bench`: ns per store, load and free of every
 * allocator setting on the same compressed objects, in one process, round
 * robin within each repetition so that machine drift hits all alike, with
 * ratios to 'ideal' and (--kernel) to the kernel's zram write path.
 */
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <malloc.h>

#include "cmd.h"
#include "kernel/kernel_cost.h"
#include "driver/metrics.h"
#include "driver/microbench.h"
#include "json.h"
#include "csv.h"
#include "progress.h"
#include "timer.h"
#include "util.h"
#include "zpool.h"

#define MAX_SPECS 32
#define DEFAULT_CORPUS "default.pages.zst" /* in corpora/ (share/zpoolbench/corpora installed) */
#define MAX_REPS 1000

/*
 * The settings benchmarked by default, kept when the registry knows them
 * (allocators land at different times); settings that resolve to the same
 * configuration are measured once.  Every registered allocator not named
 * here is added with its defaults.
 */
static const char *const default_specs[] = {
	"zbud",
	"z3fold",
	"z3fold:kernel=4.7",
	"z3fold:kernel=6.1",
	"z3fold:compaction=none",
	"z3fold:compaction=middle",
	"z3fold:compaction=extra",
	"z3fold:compaction=gated",
	"zsmalloc",
	"zsmalloc:kernel=6.18",
	"zsmalloc:kernel=6.1",
	"zsmalloc:chain=1",
	"zsmalloc:chain=4",
	"zsmalloc:chain=8",
	"zsmalloc:chain=16",
	"malloc",
	"ideal",
};

/* The allocator the kernel comparison is about, and its stand-in until it lands. */
static const char *const kernel_peer_specs[] = { "zsmalloc:kernel=6.18", "zsmalloc", "zbud" };

enum { FMT_TABLE, FMT_CSV, FMT_JSON };

struct bench_args {
	const char *trace, *corpus, *codec, *alloc;
	uint64_t objects, repeat, seed;
	int clock, quick, kernel, format, timing, progress;
};

#define O(f) offsetof(struct bench_args, f)

/* clang-format off */
static const struct zpb_opt bench_opts[] = {
	{ .name = "trace", .type = OPT_STRING, .arg = "FILE", .off = O(trace), .flags = OPT_IN,
	  .help = "object sizes from the stores of a size trace (synthetic pages that compress "
		  "to those sizes)" },
	{ .name = "corpus", .type = OPT_STRING, .arg = "FILE", .off = O(corpus),
	  .flags = OPT_IN | OPT_CORPUS,
	  .help = "a page corpus (NAME.pages or NAME.pages.zst, with its manifest if there is "
		  "one); same-filled pages are left out.  Without --trace or --corpus: the bundled "
		  "corpus, corpora/" DEFAULT_CORPUS " (share/zpoolbench/corpora when installed)" },
	{ .name = "codec", .type = OPT_STRING, .arg = "SPEC", .def = "lz4", .off = O(codec),
	  .help = "the codec (see 'zpoolbench run --help')" },
	{ .name = "alloc", .type = OPT_LIST, .arg = "SPEC,...", .off = O(alloc),
	  .help = "allocator specs (default: every known setting; ideal is added)" },
	{ .name = "objects", .type = OPT_INT, .min = 1, .max = 10000000, .off = O(objects),
	  .help = "objects per repetition (default: 20000 for a trace, every page of a corpus up "
		  "to 50000)" },
	{ .name = "repeat", .type = OPT_INT, .min = 1, .max = MAX_REPS, .def = "5",
	  .off = O(repeat), .old_name = "reps", .help = "repetitions" },
	{ .name = "seed", .type = OPT_INT, .min = 0, .max = UINT64_MAX, .def = "1", .off = O(seed),
	  .help = "seed of the sample, the synthetic pages and the orders" },
	{ .name = "timing", .type = OPT_ENUM, .values = "op|batch", .def = "op", .off = O(timing),
	  .help = "op: each operation timed on its own with the TSC, its overhead taken off, "
		  "the mean up to p99.9 (as run times them); batch: a whole phase between two "
		  "clock reads (throughput, operations overlapping; means below the timer's "
		  "resolution)" },
	{ .name = "clock", .type = OPT_ENUM, .values = "cpu|wall", .def = "cpu", .off = O(clock),
	  .help = "the clock of --timing batch: cpu, the thread's CPU time, user + kernel, so "
		  "that other processes on the machine do not count; wall: CLOCK_MONOTONIC" },
	{ .name = "quick", .type = OPT_FLAG, .off = O(quick),
	  .help = "a tiny run: 1000 objects, 3 repetitions unless given (for tests)" },
	{ .name = "kernel", .type = OPT_FLAG, .off = O(kernel),
	  .help = "also time each page written to /dev/zram0 (lz4; root, only when zram0 is "
		  "unused; the device is reset afterwards)" },
	{ .name = "format", .type = OPT_ENUM, .values = "table|csv|json", .def = "table",
	  .off = O(format), .help = "the results on stdout as a table, CSV or JSON" },
	{ .name = "progress", .type = OPT_FLAG, .off = O(progress),
	  .help = "when standard error is not a terminal, a progress line every few seconds "
		  "(on a terminal a progress bar is always drawn)" },
	{ .name = NULL },
};
/* clang-format on */

struct bench_alloc {
	char spec[ZPOOL_SPEC_MAX];
	struct mb_pool pool;
	double *ns[MB_NPHASES]; /* per repetition */
};

/* Identity of a configuration: the name and every parameter's resolved value. */
static void config_key(const struct zpool_config *cfg, char *out, size_t len)
{
	size_t off = snprintf(out, len, "%s", cfg->drv->name);

	for (int i = 0; i < cfg->nparams && off < len; i++)
		off += snprintf(out + off, len - off, ",%s=%s", cfg->v[i].param->key,
				cfg->v[i].text);
}

/* Add @spec unless it is unknown (quietly skipped if @quiet) or already present. */
static int add_spec(struct bench_alloc *a, int *n, char (*keys)[512], const char *spec, bool quiet)
{
	struct zpool_config cfg;
	char err[512], key[512];

	if (zpool_parse_spec(spec, &cfg, err, sizeof(err))) {
		if (quiet)
			return 0;
		zpb_err("bench: %s", err);
		return -1;
	}
	config_key(&cfg, key, sizeof(key));
	for (int i = 0; i < *n; i++)
		if (!strcmp(keys[i], key))
			return 0;
	if (*n == MAX_SPECS) {
		zpb_err("bench: too many allocator specs (at most %d)", MAX_SPECS);
		return -1;
	}
	snprintf(keys[*n], 512, "%s", key);
	snprintf(a[*n].spec, sizeof(a[*n].spec), "%s", spec);
	(*n)++;
	return 0;
}

static int build_specs(const char *list, struct bench_alloc *a, int *n)
{
	static char keys[MAX_SPECS][512];
	char specs[MAX_SPECS][ZPOOL_SPEC_MAX], err[512];
	const struct zpool_driver *drv[32];

	*n = 0;
	if (list) {
		int k = zpool_split_specs(list, specs, MAX_SPECS, err, sizeof(err));

		if (k < 0) {
			zpb_err("bench: %s", err);
			return -1;
		}
		for (int i = 0; i < k; i++)
			if (add_spec(a, n, keys, specs[i], false))
				return -1;
	} else {
		int nd = zpool_drivers(drv, 32);

		for (size_t i = 0; i < sizeof(default_specs) / sizeof(default_specs[0]); i++)
			if (add_spec(a, n, keys, default_specs[i], true))
				return -1;
		for (int i = 0; i < nd; i++)
			if (add_spec(a, n, keys, drv[i]->name, true))
				return -1;
	}
	return add_spec(a, n, keys, "ideal", false);
}

/* The entry with the same configuration as @spec, or -1. */
static int find_spec(const struct bench_alloc *a, int n, const char *spec)
{
	struct zpool_config cfg;
	char key[512], k2[512], err[256];

	if (zpool_parse_spec(spec, &cfg, err, sizeof(err)))
		return -1;
	config_key(&cfg, key, sizeof(key));
	for (int i = 0; i < n; i++) {
		if (zpool_parse_spec(a[i].spec, &cfg, err, sizeof(err)))
			continue;
		config_key(&cfg, k2, sizeof(k2));
		if (!strcmp(key, k2))
			return i;
	}
	return -1;
}

/* Median of per-repetition ratios a[r] / b[r]. */
static double ratio_med(const double *a, const double *b, int reps)
{
	double v[MAX_REPS];

	for (int r = 0; r < reps; r++)
		v[r] = b[r] > 0 ? a[r] / b[r] : 0;
	return figure_of(v, reps).med;
}

static struct figure stat_of(const double *x, int reps)
{
	return figure_of(x, reps);
}

static void cell(const double *x, int reps)
{
	struct figure st = stat_of(x, reps);
	char buf[48];

	snprintf(buf, sizeof(buf), "%.0f (%.0f-%.0f)", st.med, st.min, st.max);
	printf(" %-17s", buf);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

struct kernel_run {
	bool on;
	double *mean, *median; /* per repetition, ns per page */
	uint64_t *lat;
	uint64_t mem_used, compr;
};

static int kernel_rep(struct kernel_run *k, const struct mb_set *s, int r)
{
	char err[512];
	uint64_t batch;

	if (kc_zram_write(s->page, s->order[0], s->n, k->lat, mb_now, &batch, err, sizeof(err))) {
		zpb_err("bench: %s", err);
		return -1;
	}
	k->mean[r] = (double)batch / s->n;
	qsort(k->lat, s->n, sizeof(*k->lat), cmp_u64);
	k->median[r] = s->n % 2 ? k->lat[s->n / 2] : (k->lat[s->n / 2 - 1] + k->lat[s->n / 2]) / 2.0;
	if (kc_zram_mm_stat(&(uint64_t){ 0 }, &k->compr, &k->mem_used))
		k->mem_used = k->compr = 0;
	return 0;
}

static char timer_line[512];

static void print_table(const struct bench_alloc *a, int n, int ideal, const struct mb_set *s,
			const char *cname, int reps, const struct kernel_run *k, int peer)
{
	char hs[48], hl[48];
	int cl = (int)strcspn(cname, ":");

	snprintf(hs, sizeof(hs), "store+%.*s", cl, cname);
	snprintf(hl, sizeof(hl), "load+%.*s", cl, cname);
	printf("objects      %u, %.0f bytes mean compressed size: %s\n", s->n,
	       (double)s->cbytes / s->n, s->source);
	if (s->skipped_same || s->skipped_large)
		printf("left out     %u same-filled pages, %u objects larger than every allocator "
		       "takes\n",
		       s->skipped_same, s->skipped_large);
	printf("timing       ns per operation (%s), median (min-max) of %d repetitions, "
	       "round robin; ratios: median of per-repetition ratios\n",
	       mb_clock_name(), reps);
	printf("timer        %s\n\n", timer_line);
	printf("%-26s %-17s %-17s %-17s %-17s %-17s %11s %10s %11s %10s%s\n", "allocator", "store",
	       "load", "free", hs, hl, "store/ideal", "load/ideal", "cstore/ideal", "cload/ideal",
	       k->on ? "  cstore/kernel" : "");
	for (int i = 0; i < n; i++) {
		printf("%-26s", a[i].spec);
		for (int ph = 0; ph < MB_NPHASES; ph++)
			cell(a[i].ns[ph], reps);
		printf(" %11.2f %10.2f %11.2f %10.2f",
		       ratio_med(a[i].ns[MB_STORE], a[ideal].ns[MB_STORE], reps),
		       ratio_med(a[i].ns[MB_LOAD], a[ideal].ns[MB_LOAD], reps),
		       ratio_med(a[i].ns[MB_CSTORE], a[ideal].ns[MB_CSTORE], reps),
		       ratio_med(a[i].ns[MB_CLOAD], a[ideal].ns[MB_CLOAD], reps));
		if (k->on)
			printf("  %13.2f", ratio_med(a[i].ns[MB_CSTORE], k->mean, reps));
		printf("\n");
	}
	if (!k->on)
		return;
	{
		struct figure m = stat_of(k->mean, reps), md = stat_of(k->median, reps);
		struct figure u = stat_of(a[peer].ns[MB_CSTORE], reps);
		bool standin = strncmp(a[peer].spec, "zsmalloc", 8) != 0;

		printf("\nkernel       /dev/zram0 (%.*s, zsmalloc), one O_DIRECT pwrite per page: "
		       "mean %.0f ns (%.0f-%.0f) per page (%s, batch), median %.0f ns (%.0f-%.0f) "
		       "(wall time, per page); pool %" PRIu64 " pages (mem_used_total)\n",
		       cl, cname, m.med, m.min, m.max, mb_clock_name(), md.med, md.min, md.max,
		       k->mem_used / 4096);
		printf("userspace    %s + %s store: mean %.0f ns (%.0f-%.0f) per page%s\n", cname,
		       a[peer].spec, u.med, u.min, u.max,
		       standin ? " (zbud stands in: zsmalloc has not landed)" : "");
		printf("ratio        userspace / kernel = %.2f (median of per-repetition ratios of "
		       "means; < 1: userspace is faster)\n",
		       ratio_med(a[peer].ns[MB_CSTORE], k->mean, reps));
	}
}

/* One row per allocator: median, min, max of each phase, the ratios. */
static void print_csv(const struct bench_alloc *a, int n, int ideal, const char *cname, int reps,
		      const struct kernel_run *k)
{
	printf("codec,allocator");
	for (int ph = 0; ph < MB_NPHASES; ph++)
		printf(",%s_ns,%s_ns_min,%s_ns_max", mb_phase_names[ph], mb_phase_names[ph],
		       mb_phase_names[ph]);
	printf(",store_vs_ideal,load_vs_ideal,cstore_vs_ideal,cload_vs_ideal%s\n",
	       k->on ? ",cstore_vs_kernel" : "");
	for (int i = 0; i < n; i++) {
		csv_field(stdout, cname);
		putchar(',');
		csv_field(stdout, a[i].spec);
		for (int ph = 0; ph < MB_NPHASES; ph++) {
			struct figure st = stat_of(a[i].ns[ph], reps);

			printf(",%.1f,%.1f,%.1f", st.med, st.min, st.max);
		}
		printf(",%.4f,%.4f,%.4f,%.4f",
		       ratio_med(a[i].ns[MB_STORE], a[ideal].ns[MB_STORE], reps),
		       ratio_med(a[i].ns[MB_LOAD], a[ideal].ns[MB_LOAD], reps),
		       ratio_med(a[i].ns[MB_CSTORE], a[ideal].ns[MB_CSTORE], reps),
		       ratio_med(a[i].ns[MB_CLOAD], a[ideal].ns[MB_CLOAD], reps));
		if (k->on)
			printf(",%.4f", ratio_med(a[i].ns[MB_CSTORE], k->mean, reps));
		putchar('\n');
	}
}

static void json_stat(struct jw *w, const char *key, const double *x, int reps)
{
	struct figure st = stat_of(x, reps);

	jw_key(w, key);
	jw_obj(w);
	jw_key(w, "median");
	jw_fixed(w, st.med, 1);
	jw_key(w, "min");
	jw_fixed(w, st.min, 1);
	jw_key(w, "max");
	jw_fixed(w, st.max, 1);
	jw_end(w);
}

static void print_json(const struct bench_alloc *a, int n, int ideal, const struct mb_set *s,
		       const char *cname, int reps, const struct kernel_run *k)
{
	static const char *const ratio_names[] = { "store_vs_ideal", "load_vs_ideal", NULL,
						   "cstore_vs_ideal", "cload_vs_ideal" };
	char key[32];
	struct jw w;

	jw_init(&w, stdout, true);
	jw_obj(&w);
	jw_key(&w, "codec");
	jw_str(&w, cname);
	jw_key(&w, "objects");
	jw_u64(&w, s->n);
	jw_key(&w, "source");
	jw_str(&w, s->source);
	jw_key(&w, "clock");
	jw_str(&w, mb_clock_name());
	jw_key(&w, "timer");
	jw_obj(&w);
	jw_key(&w, "source");
	jw_str(&w, timer_info()->source);
	jw_key(&w, "ghz");
	jw_fixed(&w, timer_info()->ghz, 6);
	jw_key(&w, "resolution_ns");
	jw_fixed(&w, timer_info()->resolution_ns, 2);
	jw_key(&w, "overhead_ns");
	jw_fixed(&w, timer_info()->overhead_ns, 2);
	jw_key(&w, "description");
	jw_str(&w, timer_line);
	jw_end(&w);
	jw_key(&w, "repeat");
	jw_u64(&w, (uint64_t)reps);
	jw_key(&w, "allocators");
	jw_arr(&w);
	for (int i = 0; i < n; i++) {
		jw_obj(&w);
		jw_key(&w, "allocator");
		jw_str(&w, a[i].spec);
		for (int ph = 0; ph < MB_NPHASES; ph++) {
			snprintf(key, sizeof(key), "%s_ns", mb_phase_names[ph]);
			json_stat(&w, key, a[i].ns[ph], reps);
		}
		for (int ph = 0; ph < MB_NPHASES; ph++) {
			if (!ratio_names[ph])
				continue;
			jw_key(&w, ratio_names[ph]);
			jw_fixed(&w, ratio_med(a[i].ns[ph], a[ideal].ns[ph], reps), 4);
		}
		if (k->on) {
			jw_key(&w, "cstore_vs_kernel");
			jw_fixed(&w, ratio_med(a[i].ns[MB_CSTORE], k->mean, reps), 4);
		}
		jw_end(&w);
	}
	jw_end(&w);
	jw_key(&w, "kernel");
	if (k->on) {
		jw_obj(&w);
		json_stat(&w, "write_ns", k->mean, reps);
		jw_key(&w, "pool_pages");
		jw_u64(&w, k->mem_used / 4096);
		jw_end(&w);
	} else {
		jw_null(&w);
	}
	jw_end(&w);
	jw_finish(&w);
}

static int bench_main(void *opts, int argc, char **argv)
{
	const struct bench_args *args = opts;
	const char *trace = args->trace, *corpus = args->corpus, *codec_name = args->codec;
	const char *list = args->alloc;
	uint64_t objects = args->objects, reps = args->repeat, seed = args->seed;
	bool quick = args->quick, want_kernel = args->kernel;
	static struct bench_alloc a[MAX_SPECS];
	struct kernel_run k = { 0 };
	struct codec codec;
	struct codec_ctx *cx = NULL;
	struct mb_set set = { 0 };
	char err[1024], bundled[PATH_MAX + 32];
	uint32_t cap = MB_PAGE;
	int n, ideal, peer = -1, ret = 1;

	(void)argc;
	(void)argv;
	mb_set_clock(args->clock == 1);
	mb_set_timing(args->timing == 0);
	timer_describe(timer_line, sizeof(timer_line));
	if (!trace && !corpus &&
	    !zpb_data_dir("corpora", "corpora", DEFAULT_CORPUS, bundled, sizeof(bundled))) {
		/* what `make bench` uses */
		snprintf(bundled + strlen(bundled), sizeof(bundled) - strlen(bundled),
			 "/" DEFAULT_CORPUS);
		corpus = bundled;
	}
	if (!trace == !corpus) {
		zpb_err("bench: give one of --trace FILE or --corpus FILE; see 'zpoolbench bench "
			"--help'");
		return 2;
	}
	if (codec_parse(codec_name, &codec, err, sizeof(err))) {
		opt_err("bench", "--codec", "%s", err);
		return 2;
	}
	/*
	 * A closed stdout (| head) must end the program through its exit path,
	 * where the clean-up hooks restore zram0, not by SIGPIPE.
	 */
	signal(SIGPIPE, SIG_IGN);
	if (quick) {
		if (!objects)
			objects = 1000;
		if (!opt_given(bench_opts, "repeat"))
			reps = 3;
	}
	if (!objects)
		objects = trace ? 20000 : 50000;

	if (build_specs(list, a, &n))
		return 2;
	ideal = find_spec(a, n, "ideal");
	if (want_kernel) {
		struct zpool_config cfg;

		for (size_t i = 0; i < sizeof(kernel_peer_specs) / sizeof(*kernel_peer_specs); i++) {
			if (zpool_parse_spec(kernel_peer_specs[i], &cfg, err, sizeof(err)))
				continue;
			peer = find_spec(a, n, kernel_peer_specs[i]);
			if (peer < 0 && n < MAX_SPECS) {
				snprintf(a[n].spec, sizeof(a[n].spec), "%s", kernel_peer_specs[i]);
				peer = n++;
			}
			break;
		}
	}
	/* objects every allocator takes: the smallest largest size */
	for (int i = 0; i < n; i++) {
		uint32_t m = mb_max_size(a[i].spec, err, sizeof(err));

		if (!m) {
			zpb_err("bench: %s", err);
			return 1;
		}
		if (m < cap)
			cap = m;
	}
	cx = codec_ctx_new(&codec);
	if (!cx) {
		zpb_err("bench: out of memory");
		return 1;
	}
	if (trace)
		ret = mb_set_from_trace(&set, trace, cx, (uint32_t)objects, cap, seed, err,
					sizeof(err));
	else
		ret = mb_set_from_corpus(&set, corpus, cx, (uint32_t)objects, cap, seed, err,
					 sizeof(err));
	if (ret) {
		zpb_err("bench: %s", err);
		codec_ctx_free(cx);
		return 1;
	}
	ret = 1;
	/* glibc must not hand the heap back between repetitions: steady state, as the pools */
	mallopt(M_TRIM_THRESHOLD, 1 << 30);

	for (int i = 0; i < n; i++) {
		if (mb_pool_init(&a[i].pool, a[i].spec, &set, err, sizeof(err)) ||
		    mb_warm(&a[i].pool, &set, err, sizeof(err))) {
			zpb_err("bench: %s", err);
			goto out;
		}
		for (int ph = 0; ph < MB_NPHASES; ph++) {
			a[i].ns[ph] = calloc(reps, sizeof(double));
			if (!a[i].ns[ph]) {
				zpb_err("bench: out of memory");
				goto out;
			}
		}
	}
	if (want_kernel) {
		char why[512];
		const char *zc = codec.kind == CODEC_LZ4   ? "lz4"
				 : codec.kind == CODEC_LZO ? "lzo"
							   : NULL;
		int kr = 1;

		if (zc && strcmp(codec.name, "lz4:1") && codec.kind == CODEC_LZ4)
			zc = NULL; /* zram's lz4 is acceleration 1 */
		if (zc)
			kr = kc_zram_open(set.n, zc, why, sizeof(why));
		else
			snprintf(why, sizeof(why),
				 "kernel side skipped: zram offers lz4 and lzo, not %s", codec.name);

		if (kr < 0) {
			zpb_err("bench: %s", why);
			goto out;
		}
		if (kr > 0) {
			fprintf(stderr, "zpoolbench: %s\n", why);
		} else {
			k.on = true;
			k.mean = calloc(reps, sizeof(double));
			k.median = calloc(reps, sizeof(double));
			k.lat = calloc(set.n, sizeof(uint64_t));
			if (!k.mean || !k.median || !k.lat) {
				zpb_err("bench: out of memory");
				goto out;
			}
		}
	}

	progress_setup("bench", args->progress);
	progress_start(reps * ((uint64_t)n * MB_NPHASES + (k.on ? 1 : 0)) * set.n);
	for (uint64_t r = 0; r < reps; r++) {
		int slots = n + (k.on ? 1 : 0);

		/* round robin, starting one further each repetition */
		for (int j = 0; j < slots; j++) {
			int i = (int)((j + r) % slots);
			double ns[MB_NPHASES];

			progress_what("repetition %" PRIu64 " of %" PRIu64 ": %s", r + 1, reps,
				      i < n ? a[i].spec : "kernel zram0");
			if (i == n) {
				if (kernel_rep(&k, &set, (int)r))
					goto out;
				progress_add(set.n);
				continue;
			}
			if (mb_run(&a[i].pool, &set, cx, ns, err, sizeof(err))) {
				zpb_err("bench: %s", err);
				goto out;
			}
			for (int ph = 0; ph < MB_NPHASES; ph++)
				a[i].ns[ph][r] = ns[ph];
			if (zpb_interrupted)
				goto out;
		}
	}
	progress_stop();
	/* zram0 is reset before anything is printed: a reader that stops early cannot keep it */
	if (k.on)
		kc_zram_close();
	if (args->format == FMT_CSV)
		print_csv(a, n, ideal, codec.name, (int)reps, &k);
	else if (args->format == FMT_JSON)
		print_json(a, n, ideal, &set, codec.name, (int)reps, &k);
	else
		print_table(a, n, ideal, &set, codec.name, (int)reps, &k, peer);
	ret = 0;
out:
	progress_stop();
	if (k.on)
		kc_zram_close();
	for (int i = 0; i < n; i++) {
		if (a[i].pool.zp)
			mb_pool_fini(&a[i].pool);
		for (int ph = 0; ph < MB_NPHASES; ph++)
			free(a[i].ns[ph]);
	}
	free(k.mean);
	free(k.median);
	free(k.lat);
	mb_set_free(&set);
	codec_ctx_free(cx);
	return ret;
}

static const struct zpb_cmd bench_cmd = {
	.name = "bench",
	.summary = "ns per store/load/free of every allocator, ratios to ideal and the kernel",
	.about = "Per-operation cost of every allocator on the same compressed objects, in one\n"
		 "process, round robin within each repetition.  ns per operation for: store\n"
		 "(malloc + map + memcpy + unmap), load (map + memcpy out + unmap), free, and the\n"
		 "same with the codec (compress + store; load with decompress from the mapping).\n"
		 "Median (min-max) over the repetitions, and each allocator's ratio to 'ideal'.\n"
		 "Contents are verified after every phase, outside the timed region.\n",
	.opts = bench_opts,
	.size = sizeof(struct bench_args),
	.run = bench_main,
	.order = 40,
};

ZPB_COMMAND(bench_cmd)
