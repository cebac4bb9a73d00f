// SPDX-License-Identifier: GPL-2.0-only
/*
 * results.c - see results.h.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "page.h"
#include "output/results.h"
#include "output/tradeoff.h"
#include "util.h"

typedef double (*col_get)(const struct raw_counts *r, const struct derived *d);

/*
 * One numeric column: a raw counter (@raw, by its field) or a function of
 * the raw counts and what is derived from them (@get; NAN where it does
 * not apply).  @na_unless: a raw counter's value does not apply where this
 * counter is 0 (compact_pages_freed of a phase without a compaction).
 */
struct col {
	const char *name;
	int decimals; /* 0 = a count */
	bool spread;  /* also NAME_min, NAME_max */
	col_get get;
	size_t raw; /* with get NULL: offsetof() the counter in struct raw_counts */
	size_t na_unless;
};

#define RAW(f) .raw = offsetof(struct raw_counts, f)
#define RAW_IF(f, g) \
	.raw = offsetof(struct raw_counts, f), .na_unless = offsetof(struct raw_counts, g) + 1
#define GET(fn) .get = fn
#define DER(f)                                                                     \
	static double der_##f(const struct raw_counts *r, const struct derived *d) \
	{                                                                          \
		(void)r;                                                           \
		return (double)d->f;                                               \
	}
/* A percentile of a latency series, which applies when it has samples. */
#define LATP(k, p)                                                                       \
	static double lat_##k##_##p(const struct raw_counts *r, const struct derived *d) \
	{                                                                                \
		(void)d;                                                                 \
		return r->lat[k].n ? r->lat[k].p : NAN;                                  \
	}
#define LATN(k)                                                                     \
	static double latn_##k(const struct raw_counts *r, const struct derived *d) \
	{                                                                           \
		(void)d;                                                            \
		return (double)r->lat[k].n;                                         \
	}

/* clang-format off */
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
	/* clang-format on */
	LATN(LAT_STORE) LATN(LAT_LOAD) LATN(LAT_FREE)

		static double phase_ms(const struct raw_counts *r, const struct derived *d)
{
	(void)d;
	return r->phase_ns ? r->phase_ns / 1e6 : NAN;
}

static double compact_ms(const struct raw_counts *r, const struct derived *d)
{
	(void)d;
	return r->compactions ? r->compact_ns / 1e6 : NAN;
}

static double cpu_ms(const struct raw_counts *r, const struct derived *d)
{
	(void)d;
	return r->phase_ns ? r->cpu_ns / 1e6 : NAN;
}

/* Threads that ran at once on average: CPU time of the threads / wall time. */
static double concurrency(const struct raw_counts *r, const struct derived *d)
{
	(void)d;
	return r->phase_ns ? (double)r->cpu_ns / r->phase_ns : NAN;
}

static double peak_rss(const struct raw_counts *r, const struct derived *d)
{
	(void)d;
	return r->peak_rss_bytes ? (double)r->peak_rss_bytes : NAN;
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
		return NAN;
	return (double)r->peak_rss_bytes -
	       (double)r->peak_pages * (metrics_page(r) + sizeof(struct zpage)) -
	       (double)r->metadata_bytes;
}

/*
 * Peak RSS above the pool's pages and the allocator's metadata: the page
 * descriptors count as the driver's here (issue 17), with the front end's
 * slot records, the histograms, buffers and the process itself.
 */
static double rss_overhead(const struct raw_counts *r, const struct derived *d)
{
	(void)d;
	if (!r->peak_rss_bytes)
		return NAN;
	return (double)r->peak_rss_bytes - (double)r->peak_pages * metrics_page(r) -
	       (double)r->metadata_bytes;
}

static const struct col cols[] = {
	/* the stable interface, in this order */
	{ "pages", 0, false, RAW(pages) },
	{ "same_filled", 0, false, RAW(same_filled) },
	{ "stored", 0, false, RAW(stored) },
	{ "rejected", 0, false, RAW(rejected) },
	{ "compressed_bytes", 0, false, RAW(compressed_bytes) },
	{ "pool_pages", 0, true, RAW(pool_pages) },
	{ "metadata_bytes", 0, false, RAW(metadata_bytes) },
	{ "density", 4, true, GET(der_density) },
	{ "effective_ratio", 4, false, GET(der_effective_ratio) },
	{ "ideal_pages", 0, false, GET(der_ideal_pages) },
	{ "store_ns_p50", 0, true, GET(lat_LAT_STORE_p50) },
	{ "store_ns_p99", 0, true, GET(lat_LAT_STORE_p99) },
	{ "load_ns_p50", 0, true, GET(lat_LAT_LOAD_p50) },
	{ "load_ns_p99", 0, true, GET(lat_LAT_LOAD_p99) },
	{ "store_mops", 3, true, GET(der_store_mops) },
	{ "load_mops", 3, true, GET(der_load_mops) },
	{ "compact_pages_freed", 0, false, RAW_IF(compact_pages_freed, compactions) },
	/* more */
	{ "huge", 0, false, RAW(huge) },
	{ "rejected_poor", 0, false, RAW(rej_poor) },
	{ "rejected_limit", 0, false, RAW(rej_limit) },
	{ "rejected_alloc", 0, false, RAW(rej_alloc) },
	{ "written_back", 0, false, RAW(written_back) },
	{ "pool_limit_hit", 0, false, RAW(pool_limit_hit) },
	{ "peak_pages", 0, false, RAW(peak_pages) },
	{ "ideal_gap_pages", 0, false, GET(der_ideal_gap_pages) },
	{ "ideal_fraction", 4, false, GET(der_ideal_fraction) },
	{ "straddling", 0, false, RAW(straddling) },
	{ "copy_bytes", 0, false, RAW(copy_bytes) },
	{ "moves", 0, false, RAW(moves) },
	{ "store_ns_p90", 0, false, GET(lat_LAT_STORE_p90) },
	{ "store_ns_p999", 0, true, GET(lat_LAT_STORE_p999) },
	{ "store_e2e_ns_p50", 0, false, GET(lat_LAT_STORE_E2E_p50) },
	{ "store_e2e_ns_p90", 0, false, GET(lat_LAT_STORE_E2E_p90) },
	{ "store_e2e_ns_p99", 0, false, GET(lat_LAT_STORE_E2E_p99) },
	{ "store_e2e_ns_p999", 0, false, GET(lat_LAT_STORE_E2E_p999) },
	{ "load_ns_p90", 0, false, GET(lat_LAT_LOAD_p90) },
	{ "load_ns_p999", 0, true, GET(lat_LAT_LOAD_p999) },
	{ "load_e2e_ns_p50", 0, false, GET(lat_LAT_LOAD_E2E_p50) },
	{ "load_e2e_ns_p90", 0, false, GET(lat_LAT_LOAD_E2E_p90) },
	{ "load_e2e_ns_p99", 0, false, GET(lat_LAT_LOAD_E2E_p99) },
	{ "load_e2e_ns_p999", 0, false, GET(lat_LAT_LOAD_E2E_p999) },
	{ "free_ns_p50", 0, false, GET(lat_LAT_FREE_p50) },
	{ "free_ns_p90", 0, false, GET(lat_LAT_FREE_p90) },
	{ "free_ns_p99", 0, false, GET(lat_LAT_FREE_p99) },
	{ "free_ns_p999", 0, false, GET(lat_LAT_FREE_p999) },
	{ "free_mops", 3, true, GET(der_free_mops) },
	{ "store_e2e_mops", 3, false, GET(der_e2e_store_mops) },
	{ "load_e2e_mops", 3, false, GET(der_e2e_load_mops) },
	{ "wall_mops", 3, false, GET(der_wall_mops) },
	{ "stores", 0, false, GET(latn_LAT_STORE) },
	{ "loads", 0, false, GET(latn_LAT_LOAD) },
	{ "frees", 0, false, GET(latn_LAT_FREE) },
	{ "phase_ms", 3, false, GET(phase_ms) },
	{ "compactions", 0, false, RAW(compactions) },
	{ "compact_ms", 3, false, GET(compact_ms) },
	{ "threads", 0, false, RAW(threads) },
	{ "peak_rss_bytes", 0, false, GET(peak_rss) },
	{ "cpu_ms", 3, false, GET(cpu_ms) },
	{ "concurrency", 3, false, GET(concurrency) },
	{ "rss_excess_bytes", 0, false, GET(rss_excess) },
	{ "rss_overhead_bytes", 0, false, GET(rss_overhead) },
	{ "store_ns_max", 0, false, GET(lat_LAT_STORE_max) },
	{ "store_e2e_ns_max", 0, false, GET(lat_LAT_STORE_E2E_max) },
	{ "load_ns_max", 0, false, GET(lat_LAT_LOAD_max) },
	{ "load_e2e_ns_max", 0, false, GET(lat_LAT_LOAD_E2E_max) },
	{ "free_ns_max", 0, false, GET(lat_LAT_FREE_max) },
	{ "unit_bytes", 0, false, RAW(unit_bytes) },
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

int results_col_decimals(int col)
{
	return col >= 0 && col < NCOLS ? cols[col].decimals : 0;
}

int results_col_find(const char *name)
{
	for (int i = 0; i < NCOLS; i++)
		if (!strcmp(cols[i].name, name))
			return i;
	return -1;
}

static uint64_t counter(const struct raw_counts *r, size_t off)
{
	return *(const uint64_t *)((const char *)r + off);
}

double results_rep_value(const struct run_row *row, int col, int rep)
{
	const struct col *c = &cols[col];
	const struct raw_counts *r;
	struct derived d;

	if (rep < 0 || rep >= row->nrep)
		return NAN;
	if (row->values) /* read from a CSV: the medians */
		return row->values[col];
	r = &row->rep[rep];
	if (!c->get) {
		if (c->na_unless && !counter(r, c->na_unless - 1))
			return NAN;
		return (double)counter(r, c->raw);
	}
	metrics_derive(r, &d);
	return c->get(r, &d);
}

double results_value(const struct run_row *row, int col, enum col_stat stat)
{
	double v[MAX_REPEAT];
	struct figure f;
	int n = row->nrep < MAX_REPEAT ? row->nrep : MAX_REPEAT;

	for (int i = 0; i < n; i++)
		v[i] = results_rep_value(row, col, i);
	f = figure_of(v, n);
	if (stat == COL_MIN)
		return f.min;
	if (stat == COL_MAX)
		return f.max;
	/* a count reports an observed value: the lower median */
	return cols[col].decimals == 0 ? f.lower : f.med;
}

double results_get(const struct run_row *row, const char *name)
{
	int c = results_col_find(name);

	return c < 0 ? NAN : results_value(row, c, COL_MEDIAN);
}

/* ---- the trade-off -------------------------------------------------------- */

static bool is_ideal(const char *spec)
{
	return run_is_ideal(spec);
}

/* The first row of a pool workload's setting, not the ideal bound. */
static bool pareto_candidate(const struct run_results *res, int i)
{
	const struct run_row *r = &res->rows[i];

	if (r->wl == WL_REPLAY || is_ideal(r->alloc))
		return false;
	for (int j = 0; j < i; j++)
		if (tradeoff_same_setting(r, &res->rows[j]))
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
	/* the figures of each setting (tradeoff.h), onto every row of it */
	for (int i = 0; i < n; i++) {
		struct run_row *r = &res->rows[i];
		struct tradeoff_point tp;

		tradeoff_point_of(res, r, &tp);
		r->tput_mops = tp.tput.med;
		r->tradeoff_density = tp.dens.med;
		r->pareto = false;
	}
	/* Pareto among the settings of one corpus and codec (their first rows) */
	for (int i = 0; i < n; i++) {
		struct run_row *r = &res->rows[i];
		int k = 0;

		if (!pareto_candidate(res, i))
			continue;
		for (int j = 0; j < n; j++) {
			struct run_row *o = &res->rows[j];

			if (!pareto_candidate(res, j) || !tradeoff_same_pair(o, r))
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
			if (pareto_candidate(res, j) &&
			    tradeoff_same_setting(&res->rows[i], &res->rows[j]))
				res->rows[i].pareto = res->rows[j].pareto;
out:
	free(x);
	free(y);
	free(par);
	free(fill);
}

/* ---- labels ----------------------------------------------------------------- */

void results_label(const char *spec, char *out, size_t len)
{
	size_t i;

	for (i = 0; spec[i] && i + 1 < len; i++)
		out[i] = spec[i] == ',' ? ';' : spec[i];
	out[i] = '\0';
}

/* Is "key=value" (@kv, @n bytes) one of the keys of @spec? */
static bool spec_has(const char *spec, const char *kv, size_t n)
{
	const char *p = strchr(spec, ':');

	while (p) {
		p++;
		if (strlen(p) >= n && !strncmp(p, kv, n) && (p[n] == ',' || !p[n]))
			return true;
		p = strchr(p, ',');
	}
	return false;
}

/* The allocator settings of a run, each once (the rows of a setting are adjacent). */
static bool first_of_setting(const struct run_results *res, int i)
{
	return !is_ideal(res->rows[i].alloc) &&
	       (i == 0 || strcmp(res->rows[i].alloc, res->rows[i - 1].alloc));
}

void results_point_label(const struct run_results *res, const char *spec, char *out, size_t len)
{
	const char *colon = strchr(spec, ':');
	int nlen = colon ? (int)(colon - spec) : (int)strlen(spec);
	bool names_differ = false;
	size_t off = 0;

	if (is_ideal(spec)) {
		snprintf(out, len, "ideal");
		return;
	}
	for (int i = 0; i < res->nrows; i++) {
		const char *o = res->rows[i].alloc;

		if (first_of_setting(res, i) &&
		    (strncmp(o, spec, nlen) || (o[nlen] && o[nlen] != ':')))
			names_differ = true;
	}
	out[0] = '\0';
	if (names_differ)
		off = snprintf(out, len, "%.*s", nlen, spec);
	/* the keys of @spec that some other setting does not have */
	for (const char *p = colon; p && off < len; p = strchr(p + 1, ',')) {
		const char *kv = p + 1;
		size_t n = strcspn(kv, ",");
		bool common = true;

		for (int i = 0; i < res->nrows && common; i++)
			if (first_of_setting(res, i) && !spec_has(res->rows[i].alloc, kv, n))
				common = false;
		if (common)
			continue;
		off += snprintf(out + off, len - off, "%s%.*s",
				!off ? "" : (names_differ && off == (size_t)nlen ? ":" : ";"),
				(int)n, kv);
	}
	if (!out[0])
		snprintf(out, len, "%.*s", nlen, spec);
}

/* ---- results.csv ------------------------------------------------------------ */

static void csv_head(FILE *f, const struct run_results *res, const struct results_meta *m)
{
	csv_comment(f, "zpoolbench results (one row per corpus x codec x allocator x workload)");
	provenance_csv(f, m->prov);
	for (int i = 0; i < m->nsources; i++)
		provenance_csv(f, &m->sources[i]);
	for (int i = 0; i < res->ncorpora; i++) {
		const struct run_corpus_info *c = &res->corpora[i];

		if (!c->page_size || c->page_size == METRICS_PAGE)
			csv_comment(f, "corpus %s: %" PRIu64 " pages, sha256 %s", c->name, c->pages,
				    c->sha256);
		else
			csv_comment(f, "corpus %s: %" PRIu64 " pages of %u bytes, sha256 %s",
				    c->name, c->pages, c->page_size, c->sha256);
	}
	for (int i = 0; i < res->nsizes; i++) {
		const struct run_sizes *z = &res->sizes[i];

		csv_comment(f, "compression of %s with %s: %s %.1f ms%s%s", z->corpus, z->codec,
			    z->cached ? "from the cache, built in" : "done in", z->compress_ns / 1e6,
			    z->cache_path[0] ? (z->cached ? ", " : ", cached in ") : " (no cache)",
			    z->cache_path);
	}
	csv_comment(f, "values are medians over repeats; *_min/*_max the spread; latencies in ns, "
		       "throughput in Mops/s of allocator time; an empty field does not apply");
}

void results_csv(FILE *f, const struct run_results *res, const struct results_meta *m)
{
	char label[ZPOOL_SPEC_MAX], point[ZPOOL_SPEC_MAX];

	csv_head(f, res, m);
	fputs("corpus,codec,allocator,workload", f);
	for (int c = 0; c < NCOLS; c++)
		fprintf(f, ",%s", cols[c].name);
	fputs(",tput_mops,pareto,tradeoff_density", f);
	for (int c = 0; c < NCOLS; c++)
		if (cols[c].spread)
			fprintf(f, ",%s_min,%s_max", cols[c].name, cols[c].name);
	fputs(",label,frontend,corpus_sha256,objects,point_label,tput_min,tput_max,"
	      "tradeoff_density_min,tradeoff_density_max,page_size\n",
	      f);

	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *r = &res->rows[i];
		struct tradeoff_point tp;

		tradeoff_point_of(res, r, &tp);
		csv_field(f, r->corpus);
		fputc(',', f);
		csv_field(f, r->codec);
		fputc(',', f);
		csv_field(f, r->alloc);
		fprintf(f, ",%s", workload_name[r->wl]);
		for (int c = 0; c < NCOLS; c++) {
			fputc(',', f);
			csv_num(f, results_value(r, c, COL_MEDIAN), cols[c].decimals);
		}
		fputc(',', f);
		csv_num(f, r->tput_mops, 3);
		fprintf(f, ",%d,", r->pareto);
		csv_num(f, r->tradeoff_density, 4);
		for (int c = 0; c < NCOLS; c++) {
			if (!cols[c].spread)
				continue;
			fputc(',', f);
			csv_num(f, results_value(r, c, COL_MIN), cols[c].decimals);
			fputc(',', f);
			csv_num(f, results_value(r, c, COL_MAX), cols[c].decimals);
		}
		results_label(r->alloc, label, sizeof(label));
		results_point_label(res, r->alloc, point, sizeof(point));
		fputc(',', f);
		csv_field(f, label);
		fputc(',', f);
		csv_field(f, r->frontend);
		fputc(',', f);
		csv_field(f, r->sha256);
		fputc(',', f);
		if (r->wl != WL_REPLAY)
			fprintf(f, "%" PRIu64, r->objects);
		fputc(',', f);
		csv_field(f, point);
		fputc(',', f);
		csv_num(f, r->wl == WL_REPLAY ? NAN : tp.tput.min, 3);
		fputc(',', f);
		csv_num(f, r->wl == WL_REPLAY ? NAN : tp.tput.max, 3);
		fputc(',', f);
		csv_num(f, tp.dens.min, 4);
		fputc(',', f);
		csv_num(f, tp.dens.max, 4);
		fprintf(f, ",%u\n", run_row_page(r));
	}
}

/* ---- results.json ----------------------------------------------------------- */

static void json_num(struct jw *w, double v, int decimals)
{
	if (isnan(v))
		jw_null(w);
	else if (decimals == 0 && v >= 0)
		jw_u64(w, (uint64_t)llround(v));
	else if (decimals == 0)
		jw_i64(w, (int64_t)llround(v));
	else
		jw_fixed(w, v, decimals);
}

/* A histogram: its buckets as three arrays (metrics.h). */
static void json_hist(struct jw *w, const struct lat_hist *h)
{
	uint64_t n = 0;

	jw_obj(w);
	for (uint32_t k = 0; k < h->nb; k++)
		n += h->cnt[k];
	jw_key(w, "n");
	jw_u64(w, n);
	jw_key(w, "bucket");
	jw_arr_flat(w);
	for (uint32_t k = 0; k < h->nb; k++)
		jw_u64(w, h->idx[k]);
	jw_end(w);
	jw_key(w, "count");
	jw_arr_flat(w);
	for (uint32_t k = 0; k < h->nb; k++)
		jw_u64(w, h->cnt[k]);
	jw_end(w);
	jw_key(w, "sum");
	jw_arr_flat(w);
	for (uint32_t k = 0; k < h->nb; k++)
		jw_u64(w, h->sum[k]);
	jw_end(w);
	jw_end(w);
}

/* One repeat: every raw counter of the list, and the latency histograms. */
static void json_raw(struct jw *w, const struct raw_counts *r)
{
	jw_obj(w);
	for (int i = 0; i < raw_ncounters; i++) {
		jw_key(w, raw_counter_name[i]);
		jw_u64(w, raw_counter_at(r, i));
	}
	jw_key(w, "latency_ns");
	jw_obj(w);
	for (int k = 0; k < LAT_NKINDS; k++) {
		if (!r->hist[k].nb)
			continue;
		jw_key(w, lat_kind_name[k]);
		json_hist(w, &r->hist[k]);
	}
	jw_end(w);
	jw_end(w);
}

void results_json_rowkey(struct jw *w, const struct run_row *r, const char *wl)
{
	jw_key(w, "corpus");
	jw_str(w, r->corpus);
	jw_key(w, "corpus_sha256");
	jw_str(w, r->sha256);
	jw_key(w, "codec");
	jw_str(w, r->codec);
	jw_key(w, "allocator");
	jw_str(w, r->alloc);
	jw_key(w, "workload");
	jw_str(w, wl);
	jw_key(w, "frontend");
	jw_str(w, r->frontend);
	jw_key(w, "objects");
	jw_u64(w, r->objects);
}

static void json_row(struct jw *w, const struct run_results *res, const struct run_row *r)
{
	char point[ZPOOL_SPEC_MAX];

	jw_obj(w);
	results_json_rowkey(w, r, workload_name[r->wl]);
	jw_key(w, "cell");
	jw_u64(w, (uint64_t)r->cell);
	jw_key(w, "page_size");
	jw_u64(w, run_row_page(r));
	results_point_label(res, r->alloc, point, sizeof(point));
	jw_key(w, "point_label");
	jw_str(w, point);
	for (int c = 0; c < NCOLS; c++) {
		jw_key(w, cols[c].name);
		json_num(w, results_value(r, c, COL_MEDIAN), cols[c].decimals);
	}
	jw_key(w, "tput_mops");
	json_num(w, r->tput_mops, 3);
	jw_key(w, "pareto");
	jw_bool(w, r->pareto);
	jw_key(w, "tradeoff_density");
	json_num(w, r->tradeoff_density, 4);
	jw_key(w, "spread");
	jw_obj(w);
	for (int c = 0; c < NCOLS; c++) {
		if (!cols[c].spread)
			continue;
		jw_key(w, cols[c].name);
		jw_obj(w);
		jw_key(w, "min");
		json_num(w, results_value(r, c, COL_MIN), cols[c].decimals);
		jw_key(w, "max");
		json_num(w, results_value(r, c, COL_MAX), cols[c].decimals);
		jw_end(w);
	}
	jw_end(w);
	if (!r->values) {
		jw_key(w, "repeats");
		jw_arr(w);
		for (int k = 0; k < r->nrep; k++)
			json_raw(w, &r->rep[k]);
		jw_end(w);
	}
	jw_end(w);
}

static void json_sizes(struct jw *w, const struct run_results *res)
{
	jw_key(w, "sizes");
	jw_arr(w);
	for (int i = 0; i < res->nsizes; i++) {
		const struct run_sizes *s = &res->sizes[i];

		jw_obj(w);
		jw_key(w, "corpus");
		jw_str(w, s->corpus);
		jw_key(w, "codec");
		jw_str(w, s->codec);
		jw_key(w, "pages");
		jw_u64(w, s->pages);
		jw_key(w, "same_filled");
		jw_u64(w, s->same);
		jw_key(w, "compressed_bytes");
		jw_u64(w, s->compressed_bytes);
		jw_key(w, "compress_ns");
		jw_u64(w, s->compress_ns);
		jw_key(w, "cached");
		jw_bool(w, s->cached);
		jw_key(w, "cache_path");
		jw_str(w, s->cache_path);
		jw_key(w, "page_size");
		jw_u64(w, s->page_size ? s->page_size : METRICS_PAGE);
		jw_key(w, "bucket_bytes");
		jw_u64(w, s->bucket ? s->bucket : SIZE_BUCKET);
		jw_key(w, "count");
		jw_arr_flat(w);
		for (int b = 0; b < SIZE_NBUCKETS; b++)
			jw_u64(w, s->count[b]);
		jw_end(w);
		jw_end(w);
	}
	jw_end(w);
	jw_key(w, "bounds");
	jw_arr(w);
	for (int i = 0; i < res->nbounds; i++) {
		jw_obj(w);
		jw_key(w, "allocator");
		jw_str(w, res->bounds[i].alloc);
		jw_key(w, "kind");
		jw_str(w, res->bounds[i].kind);
		jw_key(w, "size");
		jw_u64(w, res->bounds[i].size);
		jw_key(w, "page_size");
		jw_u64(w, res->bounds[i].page_size ? res->bounds[i].page_size : METRICS_PAGE);
		jw_end(w);
	}
	jw_end(w);
	jw_key(w, "churn");
	jw_arr(w);
	for (int i = 0; i < res->ncurves; i++) {
		const struct run_curve *c = &res->curves[i];

		jw_obj(w);
		jw_key(w, "corpus");
		jw_str(w, c->corpus);
		jw_key(w, "codec");
		jw_str(w, c->codec);
		jw_key(w, "allocator");
		jw_str(w, c->alloc);
		jw_key(w, "page_size");
		jw_u64(w, c->page_size ? c->page_size : METRICS_PAGE);
		jw_key(w, "op");
		jw_arr_flat(w);
		for (uint64_t k = 0; k < c->c.n; k++)
			jw_u64(w, c->c.p[k].op);
		jw_end(w);
		jw_key(w, "pool_pages");
		jw_arr_flat(w);
		for (uint64_t k = 0; k < c->c.n; k++)
			jw_u64(w, c->c.p[k].pool_pages);
		jw_end(w);
		jw_end(w);
	}
	jw_end(w);
}

void results_json(FILE *f, const struct run_results *res, const struct results_meta *m)
{
	struct jw w;

	jw_init(&w, f, true);
	jw_obj(&w);
	jw_key(&w, "format");
	jw_str(&w, RESULTS_FORMAT);
	jw_key(&w, "format_version");
	jw_u64(&w, RESULTS_FORMAT_VERSION);
	jw_key(&w, "provenance");
	jw_obj(&w);
	provenance_json(&w, m->prov);
	jw_key(&w, "corpora");
	jw_arr(&w);
	for (int i = 0; i < res->ncorpora; i++) {
		jw_obj(&w);
		jw_key(&w, "name");
		jw_str(&w, res->corpora[i].name);
		jw_key(&w, "path");
		jw_str(&w, res->corpora[i].path);
		jw_key(&w, "pages");
		jw_u64(&w, res->corpora[i].pages);
		jw_key(&w, "page_size");
		jw_u64(&w, res->corpora[i].page_size ? res->corpora[i].page_size : METRICS_PAGE);
		jw_key(&w, "sha256");
		jw_str(&w, res->corpora[i].sha256);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);
	if (m->nsources) {
		jw_key(&w, "sources");
		jw_arr(&w);
		for (int i = 0; i < m->nsources; i++) {
			jw_obj(&w);
			provenance_json(&w, &m->sources[i]);
			jw_end(&w);
		}
		jw_end(&w);
	}
	if (m->json_extra)
		m->json_extra(&w, m->arg);

	jw_key(&w, "columns");
	jw_arr(&w);
	jw_str(&w, "corpus");
	jw_str(&w, "codec");
	jw_str(&w, "allocator");
	jw_str(&w, "workload");
	for (int c = 0; c < NCOLS; c++)
		jw_str(&w, cols[c].name);
	jw_str(&w, "tput_mops");
	jw_str(&w, "pareto");
	jw_str(&w, "tradeoff_density");
	jw_str(&w, "page_size");
	jw_end(&w);

	jw_key(&w, "rows");
	jw_arr(&w);
	for (int i = 0; i < res->nrows; i++)
		json_row(&w, res, &res->rows[i]);
	jw_end(&w);
	json_sizes(&w, res);
	jw_end(&w);
	jw_finish(&w);
}

/* ---- sizes.csv, bounds.csv, churn.csv ----------------------------------------- */

static void sizes_csv(FILE *f, const struct run_results *res)
{
	fputs("# compressed page sizes per corpus, codec and page size (same-filled pages left\n"
	      "# out); size_lo..size_hi in bytes, 128 buckets per page, the last one holds pages\n"
	      "# of a page and more\n",
	      f);
	fputs("corpus,codec,size_lo,size_hi,pages,page_size\n", f);
	for (int i = 0; i < res->nsizes; i++) {
		const struct run_sizes *s = &res->sizes[i];
		uint32_t page = s->page_size ? s->page_size : METRICS_PAGE;
		uint32_t bucket = s->bucket ? s->bucket : SIZE_BUCKET;

		for (int b = 0; b < SIZE_NBUCKETS; b++) {
			csv_field(f, s->corpus);
			fputc(',', f);
			csv_field(f, s->codec);
			fprintf(f, ",%u,%u,%" PRIu64 ",%u\n", b * bucket,
				b == SIZE_NBUCKETS - 1 ? 2 * page : (b + 1) * bucket - 1,
				s->count[b], page);
		}
	}
}

static uint32_t bound_page(const struct run_bound *b)
{
	return b->page_size ? b->page_size : METRICS_PAGE;
}

static void bounds_csv(FILE *f, const struct run_results *res)
{
	char label[ZPOOL_SPEC_MAX];

	fputs("# allocator size boundaries learnt through the zpool interface:\n"
	      "# class = largest size of a size class (or chunk count), huge = the zram raw-storage\n"
	      "# threshold (zpool_huge_size), max = the largest object the allocator takes;\n"
	      "# index = the allocator's place among the allocators of its page size\n",
	      f);
	fputs("allocator,label,index,kind,size,page_size\n", f);
	for (int i = 0, idx = 0; i < res->nbounds; i++) {
		/* index: the allocator's place among those of its page size (a row of the strip) */
		if (i == 0 || strcmp(res->bounds[i].alloc, res->bounds[i - 1].alloc)) {
			idx = 1;
			for (int j = 0; j < i; j++)
				if (bound_page(&res->bounds[j]) == bound_page(&res->bounds[i]) &&
				    (j == 0 ||
				     strcmp(res->bounds[j].alloc, res->bounds[j - 1].alloc)))
					idx++;
		}
		csv_field(f, res->bounds[i].alloc);
		results_label(res->bounds[i].alloc, label, sizeof(label));
		fputc(',', f);
		csv_field(f, label);
		fprintf(f, ",%d,%s,%u,%u\n", idx, res->bounds[i].kind, res->bounds[i].size,
			bound_page(&res->bounds[i]));
	}
}

static void churn_csv(FILE *f, const struct run_results *res)
{
	char label[ZPOOL_SPEC_MAX];

	fputs("# pool pages during churn (first repeat); op = frees + stores since churn began;\n"
	      "# the last point of each series is after the closing compaction\n",
	      f);
	fputs("corpus,codec,allocator,label,op,pool_pages,page_size\n", f);
	for (int i = 0; i < res->ncurves; i++) {
		const struct run_curve *c = &res->curves[i];

		results_label(c->alloc, label, sizeof(label));
		for (uint64_t k = 0; k < c->c.n; k++) {
			csv_field(f, c->corpus);
			fputc(',', f);
			csv_field(f, c->codec);
			fputc(',', f);
			csv_field(f, c->alloc);
			fputc(',', f);
			csv_field(f, label);
			fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%u\n", c->c.p[k].op,
				c->c.p[k].pool_pages, c->page_size ? c->page_size : METRICS_PAGE);
		}
	}
}

/*
 * latency.csv: the distribution of every allocator-path latency series the
 * figures show (stores of the fill, loads), the repeats merged bucket for
 * bucket: one line per non-empty bucket, its mean and the fraction of the
 * samples at or below it, so that a plot draws the whole distribution.
 */
static void latency_series(FILE *f, const struct run_row *row, enum lat_kind k, const char *kind)
{
	struct lat_hist h = { 0 };
	char label[ZPOOL_SPEC_MAX];
	uint64_t total = 0, seen = 0;

	for (int r = 0; r < row->nrep; r++)
		if (lat_hist_merge(&h, &row->rep[r].hist[k]))
			goto out;
	for (uint32_t b = 0; b < h.nb; b++)
		total += h.cnt[b];
	results_label(row->alloc, label, sizeof(label));
	for (uint32_t b = 0; b < h.nb && total; b++) {
		seen += h.cnt[b];
		csv_field(f, row->corpus);
		fputc(',', f);
		csv_field(f, row->codec);
		fputc(',', f);
		csv_field(f, label);
		fprintf(f, ",%s,%s,%.1f,%.6f\n", workload_name[row->wl], kind,
			(double)h.sum[b] / (double)h.cnt[b], (double)seen / (double)total);
	}
out:
	lat_hist_free(&h);
}

static void latency_csv(FILE *f, const struct run_results *res)
{
	fputs("# allocator-path latency distributions, the repeats merged: ns is the mean of\n"
	      "# a histogram bucket, cdf the fraction of samples at or below it\n",
	      f);
	fputs("corpus,codec,label,workload,kind,ns,cdf\n", f);
	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *row = &res->rows[i];

		if (row->wl == WL_FILL)
			latency_series(f, row, LAT_STORE, "store");
		else if (row->wl == WL_LOAD)
			latency_series(f, row, LAT_LOAD, "load");
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

static void w_latency(FILE *f, const struct run_results *res, const struct results_meta *m)
{
	(void)m;
	latency_csv(f, res);
}

/* Any fill or load rows (latency.csv has something to say)? */
static bool has_latency(const struct run_results *res)
{
	for (int i = 0; i < res->nrows; i++)
		if (res->rows[i].wl == WL_FILL || res->rows[i].wl == WL_LOAD)
			return true;
	return false;
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
	if (has_latency(res) && write_one(dir, "latency.csv", res, m, w_latency))
		return -1;
	return 0;
}
