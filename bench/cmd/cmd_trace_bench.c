// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_trace_bench.c - `zpoolbench trace bench --trace FILE`: how fast a
 * trace replays with --sizes-only through every allocator preset, against
 * merely decoding it, in one process (so that the ratios are measured in
 * one run, on the same machine state): each repetition decodes the trace
 * once and replays it through every allocator, round robin, starting one
 * further each time.  Times are the thread's CPU time (other processes on
 * a shared machine do not count; page faults the replay takes do).
 *
 * Targets (issue 17): ideal within 3 x of decoding; every allocator within
 * 2 x of ideal.  Memory is bounded by the live set: each replay runs in a
 * process of its own, whose peak RSS is printed beside it.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "csv.h"
#include "driver/metrics.h"
#include "driver/replay.h"
#include "runcli.h"
#include "util.h"
#include "zpool.h"

#define MAX_SPECS 48
#define MAX_REPS 100
#define TARGET_IDEAL_VS_DECODE 3.0
#define TARGET_ALLOC_VS_IDEAL 2.0

struct tb_args {
	const char *trace, *alloc;
	uint64_t repeat;
	int format;
};

#define O(f) offsetof(struct tb_args, f)

/* clang-format off */
static const struct zpb_opt tb_opts[] = {
	{ .name = "trace", .type = OPT_STRING, .arg = "FILE", .off = O(trace),
	  .flags = OPT_REQUIRED | OPT_IN, .help = "the trace, text or binary" },
	{ .name = "alloc", .type = OPT_LIST, .arg = "SPEC,...", .off = O(alloc),
	  .help = "allocator specs (default: every allocator at each of its kernel= presets); "
		  "ideal is added" },
	{ .name = "repeat", .type = OPT_INT, .min = 1, .max = MAX_REPS, .def = "1",
	  .off = O(repeat), .help = "repetitions; medians and ranges over them" },
	{ .name = "format", .type = OPT_ENUM, .values = "table|csv", .def = "table",
	  .off = O(format), .help = "the results on stdout as a table or CSV" },
	{ .name = NULL },
};
/* clang-format on */

struct tb_row {
	char spec[ZPOOL_SPEC_MAX];
	double cpu_s[MAX_REPS], wall_s[MAX_REPS];
	uint64_t rss[MAX_REPS];
	uint64_t pool_pages, peak_pages;
};

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Every allocator at each value of its 'kernel' key (its presets), else with its defaults. */
static int default_specs(struct tb_row *rows, int *n)
{
	const struct zpool_driver *drv[32];
	int nd = zpool_drivers(drv, 32);

	for (int i = 0; i < nd; i++) {
		const struct zpool_param *kp = NULL;

		for (const struct zpool_param *p = drv[i]->params; p && p->key; p++)
			if (!strcmp(p->key, "kernel") && p->values)
				kp = p;
		if (!kp) {
			snprintf(rows[(*n)++].spec, ZPOOL_SPEC_MAX, "%s", drv[i]->name);
			continue;
		}
		for (const char *v = kp->values; *v && *n < MAX_SPECS;) {
			size_t len = strcspn(v, "|");

			snprintf(rows[(*n)++].spec, ZPOOL_SPEC_MAX, "%s:kernel=%.*s", drv[i]->name,
				 (int)len, v);
			v += len + (v[len] == '|');
		}
	}
	return 0;
}

static int add_ideal(struct tb_row *rows, int *n)
{
	for (int i = 0; i < *n; i++)
		if (!strncmp(rows[i].spec, "ideal", 5) &&
		    (!rows[i].spec[5] || rows[i].spec[5] == ':'))
			return i;
	if (*n == MAX_SPECS)
		return -1;
	snprintf(rows[*n].spec, ZPOOL_SPEC_MAX, "ideal");
	return (*n)++;
}

static double median(const double *x, int n)
{
	double v[MAX_REPS];

	memcpy(v, x, n * sizeof(*v));
	return figure_of(v, n).med;
}

static double ratio_med(const double *a, const double *b, int n)
{
	double v[MAX_REPS];

	for (int i = 0; i < n; i++)
		v[i] = b[i] > 0 ? a[i] / b[i] : 0;
	return figure_of(v, n).med;
}

/* VmHWM, the process's peak resident memory, in bytes (0 if unknown). */
static uint64_t rss_peak(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long kb = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

struct pass {
	double cpu_s, wall_s;
	uint64_t rss, pool_pages, peak_pages;
	int failed;
	char err[512];
};

/*
 * One replay in a child process, so that its peak RSS is its own (what
 * the pools before it left in the heap does not count) and its allocator
 * starts from a clean process; the figures come back through a pipe.
 */
static void replay_child(const char *trace, const char *spec, struct pass *ps)
{
	struct replay_opts o = { .sizes_only = true };
	struct replay_result res;
	struct zpool *zp;
	uint64_t c0, w0;

	zp = zpool_create(spec, NULL, ps->err, sizeof(ps->err));
	if (!zp) {
		ps->failed = 1;
		return;
	}
	c0 = cpu_ns();
	w0 = now_ns();
	if (replay_trace_opts(trace, zp, &o, &res, ps->err, sizeof(ps->err))) {
		ps->failed = 1;
		zpool_destroy(zp);
		return;
	}
	ps->cpu_s = (cpu_ns() - c0) / 1e9;
	ps->wall_s = (now_ns() - w0) / 1e9;
	ps->rss = rss_peak();
	ps->pool_pages = res.pool_pages;
	ps->peak_pages = res.peak_pages;
	zpool_destroy(zp);
}

static int replay_one(const char *trace, struct tb_row *row, int rep, char *err, size_t errlen)
{
	struct pass ps = { 0 };
	int fd[2], status;
	ssize_t got;
	pid_t pid;

	if (pipe(fd)) {
		snprintf(err, errlen, "cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot fork: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		close(fd[0]);
		replay_child(trace, row->spec, &ps);
		_exit(write(fd[1], &ps, sizeof(ps)) == sizeof(ps) ? 0 : 1);
	}
	close(fd[1]);
	got = read(fd[0], &ps, sizeof(ps));
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got != sizeof(ps) || !WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, errlen, "%s: the replay's process ended without its figures",
			 row->spec);
		return -1;
	}
	if (ps.failed) {
		snprintf(err, errlen, "%s", ps.err);
		return -1;
	}
	row->cpu_s[rep] = ps.cpu_s;
	row->wall_s[rep] = ps.wall_s;
	row->rss[rep] = ps.rss;
	row->pool_pages = ps.pool_pages;
	row->peak_pages = ps.peak_pages;
	return 0;
}

static void print_table(const char *trace, const struct trace_counts *tc, struct tb_row *rows,
			int n, int ideal, const struct tb_row *dec, int reps)
{
	double id_dec = ratio_med(rows[ideal].cpu_s, dec->cpu_s, reps);

	printf("trace        %s (%s): %" PRIu64 " operations, at most %" PRIu64 " IDs live, "
	       "page size %u\n",
	       trace, trace_format_name(tc->format), tc->ops, tc->max_live, tc->page_size);
	printf("timing       thread CPU time per pass, median of %d repetition%s (allocators "
	       "round robin); ratios: median of per-repetition ratios\n\n",
	       reps, reps > 1 ? "s" : "");
	printf("%-26s %9s %9s %9s %10s %10s %11s\n", "pass", "CPU s", "Mop/s", "ns/op", "vs decode",
	       "vs ideal", "peak RSS MB");
	printf("%-26s %9.2f %9.2f %9.1f %10.2f %10s %11s\n", "decode only",
	       median(dec->cpu_s, reps), tc->ops / median(dec->cpu_s, reps) / 1e6,
	       median(dec->cpu_s, reps) * 1e9 / tc->ops, 1.0, "", "");
	for (int i = 0; i < n; i++) {
		double c = median(rows[i].cpu_s, reps),
		       r = ratio_med(rows[i].cpu_s, rows[ideal].cpu_s, reps);

		printf("%-26s %9.2f %9.2f %9.1f %10.2f %10.2f %11.0f\n", rows[i].spec, c,
		       tc->ops / c / 1e6, c * 1e9 / tc->ops,
		       ratio_med(rows[i].cpu_s, dec->cpu_s, reps), r, rows[i].rss[0] / 1048576.0);
	}
	printf("\nmemory       peak RSS of the process of each replay (the pool, its metadata, "
	       "the trace's slot table: bounded by the live set)\n");
	printf("target       ideal --sizes-only within %.0f x of decoding: %.2f x, %s\n",
	       TARGET_IDEAL_VS_DECODE, id_dec, id_dec <= TARGET_IDEAL_VS_DECODE ? "met" : "NOT met");
	for (int i = 0; i < n; i++) {
		double r = ratio_med(rows[i].cpu_s, rows[ideal].cpu_s, reps);

		if (i == ideal)
			continue;
		printf("target       %-24s within %.0f x of ideal: %.2f x, %s\n", rows[i].spec,
		       TARGET_ALLOC_VS_IDEAL, r, r <= TARGET_ALLOC_VS_IDEAL ? "met" : "NOT met");
	}
}

static void print_csv(const char *trace, const struct trace_counts *tc, struct tb_row *rows, int n,
		      int ideal, const struct tb_row *dec, int reps)
{
	printf("trace,pass,ops,cpu_s,mops,ns_per_op,vs_decode,vs_ideal,peak_rss_bytes\n");
	for (int i = -1; i < n; i++) {
		const struct tb_row *r = i < 0 ? dec : &rows[i];
		double c = median(r->cpu_s, reps);

		csv_field(stdout, trace);
		putchar(',');
		csv_field(stdout, i < 0 ? "decode" : r->spec);
		printf(",%" PRIu64 ",%.3f,%.3f,%.2f,%.4f,", tc->ops, c, tc->ops / c / 1e6,
		       c * 1e9 / tc->ops, ratio_med(r->cpu_s, dec->cpu_s, reps));
		if (i >= 0)
			printf("%.4f,%" PRIu64, ratio_med(r->cpu_s, rows[ideal].cpu_s, reps),
			       r->rss[0]);
		else
			printf(",");
		putchar('\n');
	}
}

static int tb_main(void *opts, int argc, char **argv)
{
	const struct tb_args *a = opts;
	static struct tb_row rows[MAX_SPECS], dec;
	static struct trace_counts tc;
	char err[1024];
	int n = 0, ideal, reps = (int)a->repeat;

	(void)argc;
	(void)argv;
	if (!strcmp(a->trace, "-")) {
		opt_err("trace bench", "--trace", "the trace is read many times: give a file");
		return 2;
	}
	if (a->alloc) {
		/* one row per setting: the option layer's list, grids and same-setting check */
		static char specs[MAX_SPECS][ZPOOL_SPEC_MAX];
		int k = 0, ret = alloc_list_add("trace bench", specs, &k, MAX_SPECS - 1, a->alloc);

		if (ret)
			return ret;
		for (int i = 0; i < k; i++)
			snprintf(rows[n++].spec, ZPOOL_SPEC_MAX, "%.*s", ZPOOL_SPEC_MAX - 1,
				 specs[i]);
	} else {
		default_specs(rows, &n);
	}
	ideal = add_ideal(rows, &n);
	if (ideal < 0) {
		opt_err("trace bench", "--alloc", "too many specs (at most %d)", MAX_SPECS - 1);
		return 2;
	}
	for (int i = 0; i < n; i++) {
		struct zpool *zp = zpool_create(rows[i].spec, NULL, err, sizeof(err));

		if (!zp) {
			zpb_err("trace bench: %s", err);
			return 2;
		}
		zpool_destroy(zp);
	}
	for (int r = 0; r < reps; r++) {
		uint64_t c0 = cpu_ns();

		if (progress_enabled())
			fprintf(stderr, "\rrepetition %d/%d: decoding%30s", r + 1, reps, "");
		if (replay_decode(a->trace, &tc, err, sizeof(err))) {
			zpb_err("trace bench: %s", err);
			return 1;
		}
		dec.cpu_s[r] = (cpu_ns() - c0) / 1e9;
		for (int j = 0; j < n; j++) {
			int i = (j + r) % n;

			if (progress_enabled())
				fprintf(stderr, "\rrepetition %d/%d: %-30s", r + 1, reps,
					rows[i].spec);
			if (replay_one(a->trace, &rows[i], r, err, sizeof(err))) {
				zpb_err("trace bench: %s", err);
				return 1;
			}
			if (zpb_interrupted)
				return 1;
		}
	}
	if (progress_enabled())
		fprintf(stderr, "\r%60s\r", "");
	if (a->format == FMT_CSV)
		print_csv(a->trace, &tc, rows, n, ideal, &dec, reps);
	else
		print_table(a->trace, &tc, rows, n, ideal, &dec, reps);
	return 0;
}

static const struct zpb_cmd trace_bench_cmd = {
	.name = "trace bench",
	.summary = "replay speed: --sizes-only through every preset against decoding alone",
	.about = "Decodes a trace, then replays it with --sizes-only through every allocator\n"
		 "preset, round robin, in one process: CPU time, operations per second, and\n"
		 "the ratios the targets are about (ideal against decoding, every allocator\n"
		 "against ideal).\n",
	.opts = tb_opts,
	.size = sizeof(struct tb_args),
	.run = tb_main,
	.order = 25,
};

ZPB_COMMAND(trace_bench_cmd)
