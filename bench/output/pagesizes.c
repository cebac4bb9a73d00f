// SPDX-License-Identifier: GPL-2.0-only
/*
 * pagesizes.c - see pagesizes.h.
 */
#include <math.h>
#include <string.h>

#include "output/pagesizes.h"
#include "output/report.h"
#include "output/results.h"
#include "output/tradeoff.h"

/* The first pool-workload row of @corpus, @codec at @page whose spec is @base without page=. */
static const struct run_row *row_at(const struct run_results *res, const char *corpus,
				    const char *codec, uint32_t page, const char *base)
{
	char b[ZPOOL_SPEC_MAX];

	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *r = &res->rows[i];

		if (r->wl == WL_REPLAY || run_row_page(r) != page || strcmp(r->corpus, corpus) ||
		    strcmp(r->codec, codec))
			continue;
		run_spec_without_page(r->alloc, b, sizeof(b));
		if (!strcmp(b, base))
			return r;
	}
	return NULL;
}

/* The page sizes @corpus and @codec ran at, ascending: how many. */
static int sizes_of(const struct run_results *res, const char *corpus, const char *codec,
		    uint32_t *out, int max)
{
	int n = 0;

	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *r = &res->rows[i];
		int k;

		if (r->wl == WL_REPLAY || strcmp(r->corpus, corpus) || strcmp(r->codec, codec))
			continue;
		for (k = 0; k < n && out[k] != run_row_page(r); k++)
			;
		if (k < n || n == max)
			continue;
		for (k = n++; k > 0 && out[k - 1] > run_row_page(r); k--)
			out[k] = out[k - 1];
		out[k] = run_row_page(r);
	}
	return n;
}

/* The first row of each corpus and codec. */
static bool first_of_pair(const struct run_results *res, int i)
{
	const struct run_row *r = &res->rows[i];

	if (r->wl == WL_REPLAY)
		return false;
	for (int j = 0; j < i; j++)
		if (res->rows[j].wl != WL_REPLAY && !strcmp(res->rows[j].corpus, r->corpus) &&
		    !strcmp(res->rows[j].codec, r->codec))
			return false;
	return true;
}

bool pagesizes_present(const struct run_results *res)
{
	uint32_t sz[RUN_MAX_PAGE_SIZES + 1];

	for (int i = 0; i < res->nrows; i++)
		if (first_of_pair(res, i) &&
		    sizes_of(res, res->rows[i].corpus, res->rows[i].codec, sz, 4) > 1)
			return true;
	return false;
}

static const struct run_sizes *sizes_at(const struct run_results *res, const char *corpus,
					const char *codec, uint32_t page)
{
	for (int i = 0; i < res->nsizes; i++)
		if (res->sizes[i].page_size == page && !strcmp(res->sizes[i].corpus, corpus) &&
		    !strcmp(res->sizes[i].codec, codec))
			return &res->sizes[i];
	return NULL;
}

static double change(double a, double b)
{
	return a > 0 && !isnan(a) && !isnan(b) ? (b - a) * 100 / a : NAN;
}

static void figures(const struct run_results *res, const struct run_row *r, double *dfill,
		    double *dchurn, double *eff, double *tput)
{
	struct tradeoff_point tp;
	const struct run_row *st;

	tradeoff_point_of(res, r, &tp);
	st = tp.fill ? tp.fill : tp.load ? tp.load : r;
	*dfill = tp.dens_fill.med;
	*dchurn = tp.dens_churn.med;
	*eff = results_get(st, "effective_ratio");
	*tput = tp.tput.med;
}

static void head(FILE *f, bool md, uint32_t p0, uint32_t p1)
{
	static const char *const cols[] = { "dens fill", "dens churn", "eff.ratio", "tput Mop/s" };
	char a[16], b[16];

	snprintf(a, sizeof(a), "%u KiB", p0 / 1024);
	snprintf(b, sizeof(b), "%u KiB", p1 / 1024);
	if (md) {
		fprintf(f, "| allocator |");
		for (int c = 0; c < 4; c++)
			fprintf(f, " %s %s | %s %s | change |", cols[c], a, cols[c], b);
		fprintf(f, "\n|---|");
		for (int c = 0; c < 12; c++)
			fprintf(f, "---:|");
		fputc('\n', f);
		return;
	}
	fprintf(f, "%-28s", "allocator");
	for (int c = 0; c < 4; c++)
		fprintf(f, " %9.9s %9.9s %7s", a, b,
			c == 0	 ? "dfill"
			: c == 1 ? "dchurn"
			: c == 2 ? "eff"
				 : "tput");
	fputc('\n', f);
}

/* One corpus and codec at @p0 against @p1. */
static void compare(FILE *f, const struct run_results *res, const char *corpus, const char *codec,
		    uint32_t p0, uint32_t p1, bool md)
{
	const struct run_sizes *s0 = sizes_at(res, corpus, codec, p0);
	const struct run_sizes *s1 = sizes_at(res, corpus, codec, p1);
	char base[ZPOOL_SPEC_MAX], worst[ZPOOL_SPEC_MAX] = "", worst_c[ZPOOL_SPEC_MAX] = "";
	double wf = INFINITY, wc = INFINITY;

	fprintf(f, "%s%s, %s: %u KiB against %u KiB pages%s\n", md ? "\n**" : "\n", corpus, codec,
		p0 / 1024, p1 / 1024, md ? "**" : "");
	if (s0 && s1 && s0->compressed_bytes)
		fprintf(f,
			"%scodec output %llu bytes at %u KiB, %llu at %u KiB (%+.1f %%; same-filled "
			"pages left out: %llu of %llu and %llu of %llu)\n%s",
			md ? "\n" : "  ", (unsigned long long)s0->compressed_bytes, p0 / 1024,
			(unsigned long long)s1->compressed_bytes, p1 / 1024,
			change((double)s0->compressed_bytes, (double)s1->compressed_bytes),
			(unsigned long long)s0->same, (unsigned long long)s0->pages,
			(unsigned long long)s1->same, (unsigned long long)s1->pages, md ? "\n" : "");
	head(f, md, p0, p1);
	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *r0 = &res->rows[i], *r1, *dup;
		double a[4], b[4];

		if (r0->wl == WL_REPLAY || run_row_page(r0) != p0 || strcmp(r0->corpus, corpus) ||
		    strcmp(r0->codec, codec))
			continue;
		run_spec_without_page(r0->alloc, base, sizeof(base));
		dup = row_at(res, corpus, codec, p0, base);
		r1 = row_at(res, corpus, codec, p1, base);
		if (dup != r0 || !r1)
			continue; /* not the first row of the setting, or not run at p1 */
		figures(res, r0, &a[0], &a[1], &a[2], &a[3]);
		figures(res, r1, &b[0], &b[1], &b[2], &b[3]);
		if (md)
			fprintf(f, "| `%s` |", base);
		else
			fprintf(f, "%-28.28s", base);
		for (int c = 0; c < 4; c++) {
			report_cell(f, md, 9, c == 2 ? "%.2f" : c == 3 ? "%.2f" : "%.4f", a[c]);
			report_cell(f, md, 9, c == 2 ? "%.2f" : c == 3 ? "%.2f" : "%.4f", b[c]);
			report_cell(f, md, 7, "%+.1f%%", change(a[c], b[c]));
		}
		fputc('\n', f);
		if (run_is_ideal(base))
			continue;
		if (change(a[0], b[0]) < wf) {
			wf = change(a[0], b[0]);
			snprintf(worst, sizeof(worst), "%s", base);
		}
		if (change(a[1], b[1]) < wc) {
			wc = change(a[1], b[1]);
			snprintf(worst_c, sizeof(worst_c), "%s", base);
		}
	}
	if (worst[0])
		fprintf(f, "%sdensity falls most: %s after fill (%+.1f %%)", md ? "\n" : "  ",
			worst, wf);
	if (worst_c[0] && isfinite(wc))
		fprintf(f, ", %s after churn (%+.1f %%)", worst_c, wc);
	if (worst[0])
		fputc('\n', f);
}

void report_pagesizes(FILE *f, const struct run_results *res, bool md)
{
	for (int i = 0; i < res->nrows; i++) {
		const struct run_row *r = &res->rows[i];
		uint32_t sz[RUN_MAX_PAGE_SIZES + 1];
		int n;

		if (!first_of_pair(res, i))
			continue;
		n = sizes_of(res, r->corpus, r->codec, sz, RUN_MAX_PAGE_SIZES + 1);
		for (int k = 1; k < n; k++)
			compare(f, res, r->corpus, r->codec, sz[0], sz[k], md);
	}
	if (!md && pagesizes_present(res))
		fprintf(f,
			"(the same bytes at both page sizes; dens = compressed bytes / (pool + "
			"metadata bytes) after fill and after churn, eff = original bytes / (pool + "
			"metadata bytes) after fill, tput = the trade-off throughput; change = "
			"larger pages against smaller)\n");
}
