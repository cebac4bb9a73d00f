// SPDX-License-Identifier: GPL-2.0-only
/*
 * results.c - see results.h.
 */
#define _GNU_SOURCE /* vasprintf */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "page.h"
#include "output/results.h"
#include "output/tradeoff.h"
#include "util.h"

typedef double (*col_get)(const struct raw_counts *r, const struct derived *d);

struct col {
	const char *name;
	int decimals; /* 0 = a count */
	bool spread;  /* also NAME_min, NAME_max */
	col_get get;
};

#define RAW(f)                                                                  \
	static double raw_##f(const struct raw_counts *r, const struct derived *d) \
	{                                                                       \
		(void)d;                                                        \
		return (double)r->f;                                            \
	}
#define DER(f)                                                                  \
	static double der_##f(const struct raw_counts *r, const struct derived *d) \
	{                                                                       \
		(void)r;                                                        \
		return (double)d->f;                                            \
	}
#define LATP(k, p)                                                                  \
	static double lat_##k##_##p(const struct raw_counts *r, const struct derived *d) \
	{                                                                           \
		(void)d;                                                            \
		return r->lat[k].p;                                                 \
	}
#define LATN(k)                                                                 \
	static double latn_##k(const struct raw_counts *r, const struct derived *d) \
	{                                                                       \
		(void)d;                                                        \
		return (double)r->lat[k].n;                                     \
	}

RAW(pages) RAW(same_filled) RAW(stored) RAW(rejected) RAW(compressed_bytes) RAW(pool_pages)
RAW(metadata_bytes) RAW(compact_pages_freed) RAW(huge) RAW(rej_poor) RAW(rej_limit)
RAW(rej_alloc) RAW(written_back) RAW(pool_limit_hit) RAW(peak_pages) RAW(straddling)
RAW(copy_bytes) RAW(threads) RAW(peak_rss_bytes)
DER(density) DER(effective_ratio) DER(ideal_pages) DER(ideal_gap_pages) DER(ideal_fraction)
DER(store_mops) DER(load_mops) DER(free_mops) DER(e2e_store_mops) DER(e2e_load_mops)
DER(wall_mops)
LATP(LAT_STORE, p50) LATP(LAT_STORE, p90) LATP(LAT_STORE, p99) LATP(LAT_STORE, p999)
LATP(LAT_STORE_E2E, p50) LATP(LAT_STORE_E2E, p90) LATP(LAT_STORE_E2E, p99)
LATP(LAT_STORE_E2E, p999)
LATP(LAT_LOAD, p50) LATP(LAT_LOAD, p90) LATP(LAT_LOAD, p99) LATP(LAT_LOAD, p999)
LATP(LAT_LOAD_E2E, p50) LATP(LAT_LOAD_E2E, p90) LATP(LAT_LOAD_E2E, p99) LATP(LAT_LOAD_E2E, p999)
LATP(LAT_FREE, p50) LATP(LAT_FREE, p90) LATP(LAT_FREE, p99) LATP(LAT_FREE, p999)
LATP(LAT_STORE, max) LATP(LAT_STORE_E2E, max) LATP(LAT_LOAD, max) LATP(LAT_LOAD_E2E, max)
LATP(LAT_FREE, max)
LATN(LAT_STORE) LATN(LAT_LOAD) LATN(LAT_FREE)

static double phase_ms(const struct raw_counts *r, const struct derived *d)
{
	(void)d;
	return r->phase_ns / 1e6;
}

static double compact_ms(const struct raw_counts *r, const struct derived *d)
{
	(void)d;
	return r->compact_ns / 1e6;
}

static double cpu_ms(const struct raw_counts *r, const struct derived *d)
{
	(void)d;
	return r->cpu_ns / 1e6;
}

/* Threads that ran at once on average: CPU time of the threads / wall time. */
static double concurrency(const struct raw_counts *r, const struct derived *d)
{
	(void)d;
	return r->phase_ns ? (double)r->cpu_ns / r->phase_ns : 0;
}

/*
 * Peak RSS above what the pool accounts for: its pages, the allocator's
 * metadata and the page descriptors (struct zpage, the port's struct page,
 * in which the allocators keep their per-page state), i.e. the driver's
 * own memory and the process around it.
 */
static double rss_excess(const struct raw_counts *r, const struct derived *d)
{
	(void)d;
	if (!r->peak_rss_bytes)
		return 0;
	return (double)r->peak_rss_bytes -
	       (double)r->peak_pages * (METRICS_PAGE + sizeof(struct zpage)) -
	       (double)r->metadata_bytes;
}

static const struct col cols[] = {
	/* the stable interface, in this order */
	{ "pages", 0, false, raw_pages },
	{ "same_filled", 0, false, raw_same_filled },
	{ "stored", 0, false, raw_stored },
	{ "rejected", 0, false, raw_rejected },
	{ "compressed_bytes", 0, false, raw_compressed_bytes },
	{ "pool_pages", 0, true, raw_pool_pages },
	{ "metadata_bytes", 0, false, raw_metadata_bytes },
	{ "density", 4, true, der_density },
	{ "effective_ratio", 4, false, der_effective_ratio },
	{ "ideal_pages", 0, false, der_ideal_pages },
	{ "store_ns_p50", 0, true, lat_LAT_STORE_p50 },
	{ "store_ns_p99", 0, true, lat_LAT_STORE_p99 },
	{ "load_ns_p50", 0, true, lat_LAT_LOAD_p50 },
	{ "load_ns_p99", 0, true, lat_LAT_LOAD_p99 },
	{ "store_mops", 3, true, der_store_mops },
	{ "load_mops", 3, true, der_load_mops },
	{ "compact_pages_freed", 0, false, raw_compact_pages_freed },
	/* more */
	{ "huge", 0, false, raw_huge },
	{ "rejected_poor", 0, false, raw_rej_poor },
	{ "rejected_limit", 0, false, raw_rej_limit },
	{ "rejected_alloc", 0, false, raw_rej_alloc },
	{ "written_back", 0, false, raw_written_back },
	{ "pool_limit_hit", 0, false, raw_pool_limit_hit },
	{ "peak_pages", 0, false, raw_peak_pages },
	{ "ideal_gap_pages", 0, false, der_ideal_gap_pages },
	{ "ideal_fraction", 4, false, der_ideal_fraction },
	{ "straddling", 0, false, raw_straddling },
	{ "copy_bytes", 0, false, raw_copy_bytes },
	{ "store_ns_p90", 0, false, lat_LAT_STORE_p90 },
	{ "store_ns_p999", 0, false, lat_LAT_STORE_p999 },
	{ "store_e2e_ns_p50", 0, false, lat_LAT_STORE_E2E_p50 },
	{ "store_e2e_ns_p90", 0, false, lat_LAT_STORE_E2E_p90 },
	{ "store_e2e_ns_p99", 0, false, lat_LAT_STORE_E2E_p99 },
	{ "store_e2e_ns_p999", 0, false, lat_LAT_STORE_E2E_p999 },
	{ "load_ns_p90", 0, false, lat_LAT_LOAD_p90 },
	{ "load_ns_p999", 0, false, lat_LAT_LOAD_p999 },
	{ "load_e2e_ns_p50", 0, false, lat_LAT_LOAD_E2E_p50 },
	{ "load_e2e_ns_p90", 0, false, lat_LAT_LOAD_E2E_p90 },
	{ "load_e2e_ns_p99", 0, false, lat_LAT_LOAD_E2E_p99 },
	{ "load_e2e_ns_p999", 0, false, lat_LAT_LOAD_E2E_p999 },
	{ "free_ns_p50", 0, false, lat_LAT_FREE_p50 },
	{ "free_ns_p90", 0, false, lat_LAT_FREE_p90 },
	{ "free_ns_p99", 0, false, lat_LAT_FREE_p99 },
	{ "free_ns_p999", 0, false, lat_LAT_FREE_p999 },
	{ "free_mops", 3, false, der_free_mops },
	{ "store_e2e_mops", 3, false, der_e2e_store_mops },
	{ "load_e2e_mops", 3, false, der_e2e_load_mops },
	{ "wall_mops", 3, false, der_wall_mops },
	{ "stores", 0, false, latn_LAT_STORE },
	{ "loads", 0, false, latn_LAT_LOAD },
	{ "frees", 0, false, latn_LAT_FREE },
	{ "phase_ms", 3, false, phase_ms },
	{ "compact_ms", 3, false, compact_ms },
	{ "threads", 0, false, raw_threads },
	{ "peak_rss_bytes", 0, false, raw_peak_rss_bytes },
	{ "cpu_ms", 3, false, cpu_ms },
	{ "concurrency", 3, false, concurrency },
	{ "rss_excess_bytes", 0, false, rss_excess },
	{ "store_ns_max", 0, false, lat_LAT_STORE_max },
	{ "store_e2e_ns_max", 0, false, lat_LAT_STORE_E2E_max },
	{ "load_ns_max", 0, false, lat_LAT_LOAD_max },
	{ "load_e2e_ns_max", 0, false, lat_LAT_LOAD_E2E_max },
	{ "free_ns_max", 0, false, lat_LAT_FREE_max },
};

#define NCOLS ((int)(sizeof(cols) / sizeof(cols[0])))
#define MAX_REPEAT 1000

int results_ncols(void)
{
	return NCOLS;
}

const char *results_col_name(int col)
{
	return col >= 0 && col < NCOLS ? cols[col].name : NULL;
}

int results_col_find(const char *name)
{
	for (int i = 0; i < NCOLS; i++)
		if (!strcmp(cols[i].name, name))
			return i;
	return -1;
}

double results_value(const struct run_row *row, int col, enum col_stat stat)
{
	double v[MAX_REPEAT];
	struct spread s;
	int n = row->nrep < MAX_REPEAT ? row->nrep : MAX_REPEAT;

	for (int i = 0; i < n; i++) {
		struct derived d;

		metrics_derive(&row->rep[i], &d);
		v[i] = cols[col].get(&row->rep[i], &d);
	}
	s = spread_of(v, n);
	if (stat == COL_MIN)
		return s.min;
	if (stat == COL_MAX)
		return s.max;
	/* a count reports an observed value: the lower median */
	if (cols[col].decimals == 0 && n > 0)
		return v[(n - 1) / 2];
	return s.median;
}

double results_get(const struct run_row *row, const char *name)
{
	int c = results_col_find(name);

	return c < 0 ? NAN : results_value(row, c, COL_MEDIAN);
}

static bool is_ideal(const char *spec)
{
	return !strcmp(spec, "ideal");
}

static bool same_group(const struct run_row *a, const struct run_row *b)
{
	return !strcmp(a->corpus, b->corpus) && !strcmp(a->codec, b->codec) &&
	       !strcmp(a->alloc, b->alloc);
}

/* The first row of a pool workload's group, not the ideal bound. */
static bool pareto_candidate(const struct run_results *res, int i)
{
	const struct run_row *r = &res->rows[i];

	if (r->wl == WL_REPLAY || is_ideal(r->alloc))
		return false;
	for (int j = 0; j < i; j++)
		if (same_group(r, &res->rows[j]))
			return false;
	return true;
}

void results_tradeoff(struct run_results *res)
{
	int n = res->nrows;
	double *x = calloc(n + 1, sizeof(*x)), *y = calloc(n + 1, sizeof(*y));
	bool *par = calloc(n + 1, sizeof(*par));
	int *fill = calloc(n + 1, sizeof(*fill));

	if (!x || !y || !par || !fill)
		goto out;
	/* the figures of each group (tradeoff.h), onto every row of the group */
	for (int i = 0; i < n; i++) {
		struct run_row *r = &res->rows[i];
		struct tradeoff_point tp;

		tradeoff_point_of(res, r, &tp);
		r->tput_mops = tp.tput.med;
		r->tradeoff_density = tp.dens.med;
		r->pareto = false;
	}
	/* Pareto among the groups of one corpus and codec (their first rows) */
	for (int i = 0; i < n; i++) {
		struct run_row *r = &res->rows[i];
		int k = 0;

		if (!pareto_candidate(res, i))
			continue;
		for (int j = 0; j < n; j++) {
			struct run_row *o = &res->rows[j];

			if (!pareto_candidate(res, j) || strcmp(o->corpus, r->corpus) ||
			    strcmp(o->codec, r->codec))
				continue;
			x[k] = o->tput_mops;
			y[k] = o->tradeoff_density;
			fill[k++] = j;
		}
		pareto_mark(x, y, k, par);
		for (int m = 0; m < k; m++)
			if (fill[m] == i)
				r->pareto = par[m];
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			if (pareto_candidate(res, j) && same_group(&res->rows[i], &res->rows[j]))
				res->rows[i].pareto = res->rows[j].pareto;
out:
	free(x);
	free(y);
	free(par);
	free(fill);
}

/*
 * User text (file names, specs, the command line) in the results files:
 * bytes that are not UTF-8 become U+FFFD, as in results.json, so both files
 * name a corpus the same way; in a '#' line (@comment) a control character
 * becomes '?', so the line stays one line.
 */
static void put_text(FILE *f, const char *s, bool comment, bool quoted)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		size_t n = utf8_valid_prefix(u + i, len - i);

		if (n == 0) {
			fputs("\xef\xbf\xbd", f);
			i++;
			continue;
		}
		if (n == 1 && comment && (u[i] < 0x20 || u[i] == 0x7f))
			fputc('?', f);
		else if (n == 1 && quoted && u[i] == '"')
			fputs("\"\"", f);
		else
			fwrite(u + i, 1, n, f);
		i += n;
	}
}

/* A field per RFC 4180: quoted when it holds a comma, a quote, CR or LF. */
void csv_field(FILE *f, const char *s)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		fputc('"', f);
	put_text(f, s, false, quote);
	if (quote)
		fputc('"', f);
}

/* One '#' line of the provenance header, whatever user text it quotes. */
static void comment(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void comment(FILE *f, const char *fmt, ...)
{
	va_list ap;
	char *line = NULL;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	fputs("# ", f);
	if (line)
		put_text(f, line, true, false);
	fputc('\n', f);
	free(line);
}

static void put_num(FILE *f, double v, int decimals)
{
	if (isnan(v))
		fputs("nan", f);
	else
		fprintf(f, "%.*f", decimals, v);
}

static void csv_provenance(FILE *f, const struct run_results *res, const struct results_meta *m)
{
	const struct provenance *p = m->prov;

	comment(f, "zpoolbench results (one row per corpus x codec x allocator x workload)");
	comment(f, "zpoolbench %s, git %s", p->version, p->git);
	comment(f, "compiler: %s", p->compiler);
	comment(f, "cpu: %s (%d cores)", p->cpu, p->cores);
	comment(f, "kernel: %s", p->kernel);
	comment(f, "codecs: %s", p->codecs);
	comment(f, "date: %s", p->date);
	comment(f, "command: %s", p->command);
	if (m->opts)
		comment(f, "frontend: %s; threads: %d; repeat: %d; seed: %" PRIu64
			   "; churn: %u rounds of %u%%, compaction every %u rounds (0: at the end)",
			m->opts->fe.spec, m->opts->wl.threads, m->opts->repeat, m->opts->wl.seed,
			m->opts->wl.churn_rounds, m->opts->wl.churn_percent, m->opts->wl.compact_every);
	for (int i = 0; i < res->ncorpora; i++)
		comment(f, "corpus %s: %" PRIu64 " pages, sha256 %s", res->corpora[i].name,
			res->corpora[i].pages, res->corpora[i].sha256);
	for (int i = 0; i < res->nsizes; i++) {
		const struct run_sizes *z = &res->sizes[i];

		comment(f, "compression of %s with %s: %s %.1f ms%s%s", z->corpus, z->codec,
			z->cached ? "from the cache, built in" : "done in", z->compress_ns / 1e6,
			z->cache_path[0] ? (z->cached ? ", " : ", cached in ") : " (no cache)",
			z->cache_path);
	}
	comment(f, "values are medians over repeats; *_min/*_max the spread; latencies in ns, "
		   "throughput in Mops/s of allocator time");
}

void results_csv(FILE *f, const struct run_results *res, const struct results_meta *m)
{
	char label[ZPOOL_SPEC_MAX];

	csv_provenance(f, res, m);
	fputs("corpus,codec,allocator,workload", f);
	for (int c = 0; c < NCOLS; c++)
		fprintf(f, ",%s", cols[c].name);
	fputs(",tput_mops,pareto,tradeoff_density", f);
	for (int c = 0; c < NCOLS; c++)
		if (cols[c].spread)
			fprintf(f, ",%s_min,%s_max", cols[c].name, cols[c].name);
	fputs(",label,frontend\n", f);

	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *r = &res->rows[i];

		csv_field(f, r->corpus);
		fputc(',', f);
		csv_field(f, r->codec);
		fputc(',', f);
		csv_field(f, r->alloc);
		fprintf(f, ",%s", workload_name[r->wl]);
		for (int c = 0; c < NCOLS; c++) {
			fputc(',', f);
			put_num(f, results_value(r, c, COL_MEDIAN), cols[c].decimals);
		}
		fprintf(f, ",%.3f,%d,%.4f", r->tput_mops, r->pareto, r->tradeoff_density);
		for (int c = 0; c < NCOLS; c++) {
			if (!cols[c].spread)
				continue;
			fputc(',', f);
			put_num(f, results_value(r, c, COL_MIN), cols[c].decimals);
			fputc(',', f);
			put_num(f, results_value(r, c, COL_MAX), cols[c].decimals);
		}
		run_label(r->alloc, label, sizeof(label));
		fputc(',', f);
		csv_field(f, label);
		fputc(',', f);
		csv_field(f, r->wl == WL_REPLAY ? "none" : (m->opts ? m->opts->fe.spec : ""));
		fputc('\n', f);
	}
}

static void json_raw(struct jw *w, const struct raw_counts *r)
{
#define U(f)              \
	jw_key(w, #f);    \
	jw_u64(w, r->f)
	jw_obj(w);
	U(pages); U(same_filled); U(stored); U(huge); U(compressed_bytes);
	U(rejected); U(rej_poor); U(rej_limit); U(rej_alloc); U(written_back); U(pool_limit_hit);
	U(pool_pages); U(peak_pages); U(metadata_bytes); U(straddling); U(copy_bytes);
	U(compact_pages_freed); U(compact_ns); U(phase_ns); U(cpu_ns); U(threads); U(peak_rss_bytes);
#undef U
	jw_key(w, "latency_ns");
	jw_obj(w);
	for (int k = 0; k < LAT_NKINDS; k++) {
		jw_key(w, lat_kind_name[k]);
		jw_obj(w);
		jw_key(w, "n"); jw_u64(w, r->lat[k].n);
		jw_key(w, "sum"); jw_u64(w, r->lat[k].sum_ns);
		jw_key(w, "n_trim"); jw_u64(w, r->lat[k].n_trim);
		jw_key(w, "sum_trim"); jw_u64(w, r->lat[k].sum_trim_ns);
		jw_key(w, "p50"); jw_double(w, r->lat[k].p50);
		jw_key(w, "p90"); jw_double(w, r->lat[k].p90);
		jw_key(w, "p99"); jw_double(w, r->lat[k].p99);
		jw_key(w, "p999"); jw_double(w, r->lat[k].p999);
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
}

void results_json(FILE *f, const struct run_results *res, const struct results_meta *m)
{
	const struct provenance *p = m->prov;
	struct jw w;

	jw_init(&w, f, true);
	jw_obj(&w);
	jw_key(&w, "format"); jw_str(&w, "zpoolbench-results");
	jw_key(&w, "format_version"); jw_u64(&w, 1);
	jw_key(&w, "provenance");
	jw_obj(&w);
	jw_key(&w, "zpoolbench"); jw_str(&w, p->version);
	jw_key(&w, "git"); jw_str(&w, p->git);
	jw_key(&w, "compiler"); jw_str(&w, p->compiler);
	jw_key(&w, "cpu"); jw_str(&w, p->cpu);
	jw_key(&w, "cores"); jw_u64(&w, p->cores);
	jw_key(&w, "kernel"); jw_str(&w, p->kernel);
	jw_key(&w, "codecs"); jw_str(&w, p->codecs);
	jw_key(&w, "date"); jw_str(&w, p->date);
	jw_key(&w, "command"); jw_str(&w, p->command);
	if (m->opts) {
		jw_key(&w, "frontend"); jw_str(&w, m->opts->fe.spec);
		jw_key(&w, "threads"); jw_u64(&w, m->opts->wl.threads);
		jw_key(&w, "repeat"); jw_u64(&w, m->opts->repeat);
		jw_key(&w, "seed"); jw_u64(&w, m->opts->wl.seed);
		jw_key(&w, "churn_rounds"); jw_u64(&w, m->opts->wl.churn_rounds);
		jw_key(&w, "churn_percent"); jw_u64(&w, m->opts->wl.churn_percent);
		jw_key(&w, "compact_every"); jw_u64(&w, m->opts->wl.compact_every);
	}
	jw_key(&w, "corpora");
	jw_arr(&w);
	for (int i = 0; i < res->ncorpora; i++) {
		jw_obj(&w);
		jw_key(&w, "name"); jw_str(&w, res->corpora[i].name);
		jw_key(&w, "pages"); jw_u64(&w, res->corpora[i].pages);
		jw_key(&w, "sha256"); jw_str(&w, res->corpora[i].sha256);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);

	jw_key(&w, "columns");
	jw_arr(&w);
	jw_str(&w, "corpus"); jw_str(&w, "codec"); jw_str(&w, "allocator"); jw_str(&w, "workload");
	for (int c = 0; c < NCOLS; c++)
		jw_str(&w, cols[c].name);
	jw_str(&w, "tput_mops"); jw_str(&w, "pareto"); jw_str(&w, "tradeoff_density");
	jw_end(&w);

	jw_key(&w, "rows");
	jw_arr(&w);
	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *r = &res->rows[i];

		jw_obj(&w);
		jw_key(&w, "corpus"); jw_str(&w, r->corpus);
		jw_key(&w, "codec"); jw_str(&w, r->codec);
		jw_key(&w, "allocator"); jw_str(&w, r->alloc);
		jw_key(&w, "workload"); jw_str(&w, workload_name[r->wl]);
		for (int c = 0; c < NCOLS; c++) {
			double v = results_value(r, c, COL_MEDIAN);

			jw_key(&w, cols[c].name);
			if (cols[c].decimals == 0 && v >= 0)
				jw_u64(&w, (uint64_t)llround(v));
			else if (cols[c].decimals == 0)
				jw_i64(&w, (int64_t)llround(v));
			else
				jw_fixed(&w, v, cols[c].decimals);
		}
		jw_key(&w, "tput_mops"); jw_fixed(&w, r->tput_mops, 3);
		jw_key(&w, "pareto"); jw_bool(&w, r->pareto);
		jw_key(&w, "tradeoff_density"); jw_fixed(&w, r->tradeoff_density, 4);
		jw_key(&w, "spread");
		jw_obj(&w);
		for (int c = 0; c < NCOLS; c++) {
			if (!cols[c].spread)
				continue;
			jw_key(&w, cols[c].name);
			jw_obj(&w);
			jw_key(&w, "min"); jw_fixed(&w, results_value(r, c, COL_MIN), cols[c].decimals);
			jw_key(&w, "max"); jw_fixed(&w, results_value(r, c, COL_MAX), cols[c].decimals);
			jw_end(&w);
		}
		jw_end(&w);
		jw_key(&w, "repeats");
		jw_arr(&w);
		for (int k = 0; k < r->nrep; k++)
			json_raw(&w, &r->rep[k]);
		jw_end(&w);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);
	jw_finish(&w);
}

static void sizes_csv(FILE *f, const struct run_results *res)
{
	fputs("# compressed page sizes per corpus and codec (same-filled pages left out);\n"
	      "# size_lo..size_hi in bytes, the last bucket holds pages of 4096 bytes and more\n",
	      f);
	fputs("corpus,codec,size_lo,size_hi,pages\n", f);
	for (int i = 0; i < res->nsizes; i++) {
		const struct run_sizes *s = &res->sizes[i];

		for (int b = 0; b < SIZE_NBUCKETS; b++) {
			csv_field(f, s->corpus);
			fputc(',', f);
			csv_field(f, s->codec);
			fprintf(f, ",%d,%d,%" PRIu64 "\n", b * SIZE_BUCKET,
				b == SIZE_NBUCKETS - 1 ? 8192 : (b + 1) * SIZE_BUCKET - 1,
				s->count[b]);
		}
	}
}

static void bounds_csv(FILE *f, const struct run_results *res)
{
	char label[ZPOOL_SPEC_MAX];

	fputs("# allocator size boundaries learnt through the zpool interface:\n"
	      "# class = largest size of a size class (or chunk count), huge = the zram raw-storage\n"
	      "# threshold (zpool_huge_size), max = the largest object the allocator takes\n",
	      f);
	fputs("allocator,label,index,kind,size\n", f);
	for (int i = 0, idx = 0; i < res->nbounds; i++) {
		if (i == 0 || strcmp(res->bounds[i].alloc, res->bounds[i - 1].alloc))
			idx++;
		csv_field(f, res->bounds[i].alloc);
		run_label(res->bounds[i].alloc, label, sizeof(label));
		fputc(',', f);
		csv_field(f, label);
		fprintf(f, ",%d,%s,%u\n", idx, res->bounds[i].kind, res->bounds[i].size);
	}
}

static void churn_csv(FILE *f, const struct run_results *res)
{
	char label[ZPOOL_SPEC_MAX];

	fputs("# pool pages during churn (first repeat); op = frees + stores since churn began;\n"
	      "# the last point of each series is after the closing compaction\n",
	      f);
	fputs("corpus,codec,allocator,label,op,pool_pages\n", f);
	for (int i = 0; i < res->ncurves; i++) {
		const struct run_curve *c = &res->curves[i];

		run_label(c->alloc, label, sizeof(label));
		for (uint64_t k = 0; k < c->c.n; k++) {
			csv_field(f, c->corpus);
			fputc(',', f);
			csv_field(f, c->codec);
			fputc(',', f);
			csv_field(f, c->alloc);
			fputc(',', f);
			csv_field(f, label);
			fprintf(f, ",%" PRIu64 ",%" PRIu64 "\n", c->c.p[k].op, c->c.p[k].pool_pages);
		}
	}
}

static int write_one(const char *dir, const char *name, const struct run_results *res,
		     const struct results_meta *m,
		     void (*fn)(FILE *, const struct run_results *, const struct results_meta *))
{
	char path[4096];
	struct afile af;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (afile_open(&af, path))
		return -1;
	fn(af.f, res, m);
	return afile_commit(&af);
}

static void w_sizes(FILE *f, const struct run_results *res, const struct results_meta *m)
{
	(void)m;
	sizes_csv(f, res);
}

static void w_bounds(FILE *f, const struct run_results *res, const struct results_meta *m)
{
	(void)m;
	bounds_csv(f, res);
}

static void w_churn(FILE *f, const struct run_results *res, const struct results_meta *m)
{
	(void)m;
	churn_csv(f, res);
}

int results_write(const char *dir, const struct run_results *res, const struct results_meta *m)
{
	if (write_one(dir, "results.csv", res, m, results_csv) ||
	    write_one(dir, "results.json", res, m, results_json))
		return -1;
	if (res->nsizes && write_one(dir, "sizes.csv", res, m, w_sizes))
		return -1;
	if (res->nbounds && write_one(dir, "bounds.csv", res, m, w_bounds))
		return -1;
	if (res->ncurves && write_one(dir, "churn.csv", res, m, w_churn))
		return -1;
	return 0;
}
