// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_corpus_info.c - `zpoolbench corpus info FILE [--codec LIST] [--format table|csv|json]`:
 * the zero/same-filled shares and per codec the compressed-size table of a
 * corpus (see corpus_stats.h for how each figure is counted).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd/optcheck.h"
#include "driver/corpus_stats.h"
#include "csv.h"
#include "util.h"

#define DEFAULT_CODECS "lz4,zstd:1,zstd:3,lzo"
#define MAX_CODECS 16

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * part / whole : 0;
}

static void print_text(const struct corpus *c, const struct corpus_stats *st)
{
	char c2990[16], chuge[16], cpage[16];

	snprintf(c2990, sizeof(c2990), ">%uB", st->cut_2990);
	snprintf(chuge, sizeof(chuge), ">=%u", st->cut_huge);
	snprintf(cpage, sizeof(cpage), ">%uB", st->page_size);
	printf("corpus       %s (%s)\n", c->name, c->path);
	printf("sha256       %s\n", c->sha256);
	printf("source       %s, workload %s%s\n", c->source, c->workload,
	       c->manifest ? "" : " (no manifest)");
	if (st->page_size == 4096)
		printf("pages        %llu (%.1f MiB)\n", (unsigned long long)st->pages,
		       st->pages * 4096.0 / (1 << 20));
	else
		printf("pages        %llu of %u bytes (%.1f MiB)%s\n", (unsigned long long)st->pages,
		       st->page_size, st->pages * (double)st->page_size / (1 << 20),
		       st->page_size != c->page_size ? ", the corpus's pages cut up" : "");
	printf("zero         %6.2f %%\n", pct(st->zero, st->pages));
	printf("same-filled  %6.2f %% (zero included)\n\n", pct(st->same_filled, st->pages));
	printf("%-9s %6s %6s %6s %6s %6s %6s %7s %7s %7s %7s %7s\n", "codec", "ratio", "zram",
	       "mean", "p10", "p50", "p90", ">70%pg", c2990, chuge, cpage, "MB/s");
	for (int k = 0; k < st->ncodecs; k++) {
		const struct codec_stats *cs = &st->codecs[k];

		printf("%-9s %6.2f %6.2f %6.0f %6u %6u %6u %6.2f%% %6.2f%% %6.2f%% %6.2f%% %7.0f\n",
		       cs->codec.name, cs->ratio, cs->zram_ratio, cs->mean, cs->p10, cs->p50,
		       cs->p90, pct(cs->over_70pct, cs->pages), pct(cs->over_2990, cs->pages),
		       pct(cs->huge, cs->pages), pct(cs->expanded, cs->pages),
		       cs->seconds > 0 ? cs->pages * (double)st->page_size / cs->seconds / 1e6 : 0);
	}
	printf("\nratio: raw / compressed bytes, every page compressed; zram: as mm_stat counts\n"
	       "(same-filled pages 0 bytes, pages compressing to >= %u B stored as %u B);\n"
	       "sizes in bytes over all pages (nearest-rank percentiles); shares of all pages.\n",
	       st->cut_huge, st->page_size);
}

static void print_json(const struct corpus *c, const struct corpus_stats *st)
{
	struct jw w;

	jw_init(&w, stdout, true);
	jw_obj(&w);
	jw_key(&w, "corpus");
	jw_str(&w, c->name);
	jw_key(&w, "path");
	jw_str(&w, c->path);
	jw_key(&w, "sha256");
	jw_str(&w, c->sha256);
	jw_key(&w, "source");
	jw_str(&w, c->source);
	jw_key(&w, "workload");
	jw_str(&w, c->workload);
	jw_key(&w, "pages");
	jw_u64(&w, st->pages);
	jw_key(&w, "page_size");
	jw_u64(&w, st->page_size);
	jw_key(&w, "zero_pages");
	jw_u64(&w, st->zero);
	jw_key(&w, "same_filled_pages");
	jw_u64(&w, st->same_filled);
	jw_key(&w, "codecs");
	jw_arr(&w);
	for (int k = 0; k < st->ncodecs; k++) {
		const struct codec_stats *cs = &st->codecs[k];

		jw_obj(&w);
		jw_key(&w, "codec");
		jw_str(&w, cs->codec.name);
		jw_key(&w, "compressed_bytes");
		jw_u64(&w, cs->total_bytes);
		jw_key(&w, "zram_compr_bytes");
		jw_u64(&w, cs->zram_bytes);
		jw_key(&w, "ratio");
		jw_fixed(&w, cs->ratio, 4);
		jw_key(&w, "zram_ratio");
		jw_fixed(&w, cs->zram_ratio, 4);
		jw_key(&w, "mean");
		jw_fixed(&w, cs->mean, 1);
		jw_key(&w, "min");
		jw_u64(&w, cs->min);
		jw_key(&w, "p10");
		jw_u64(&w, cs->p10);
		jw_key(&w, "p50");
		jw_u64(&w, cs->p50);
		jw_key(&w, "p90");
		jw_u64(&w, cs->p90);
		jw_key(&w, "max");
		jw_u64(&w, cs->max);
		jw_key(&w, "pages_over_70pct");
		jw_u64(&w, cs->over_70pct);
		jw_key(&w, "pages_over_2990");
		jw_u64(&w, cs->over_2990);
		jw_key(&w, "pages_huge_3625");
		jw_u64(&w, cs->huge);
		jw_key(&w, "pages_over_4096");
		jw_u64(&w, cs->expanded);
		jw_key(&w, "compress_seconds");
		jw_fixed(&w, cs->seconds, 6);
		jw_key(&w, "cut_2990");
		jw_u64(&w, st->cut_2990);
		jw_key(&w, "cut_huge");
		jw_u64(&w, st->cut_huge);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);
	jw_finish(&w);
}

static void print_csv(const struct corpus *c, const struct corpus_stats *st)
{
	printf("corpus,codec,pages,zero_pages,same_filled_pages,compressed_bytes,"
	       "zram_compr_bytes,ratio,zram_ratio,mean,min,p10,p50,p90,max,pages_over_70pct,"
	       "pages_over_2990,pages_huge_3625,pages_over_4096,compress_seconds,page_size\n");
	for (int k = 0; k < st->ncodecs; k++) {
		const struct codec_stats *cs = &st->codecs[k];

		csv_field(stdout, c->name);
		putchar(',');
		csv_field(stdout, cs->codec.name);
		printf(",%llu,%llu,%llu,%llu,%llu,%.4f,%.4f,%.1f,%u,%u,%u,%u,%u,%llu,%llu,%llu,%llu,"
		       "%.6f,%u\n",
		       (unsigned long long)st->pages, (unsigned long long)st->zero,
		       (unsigned long long)st->same_filled, (unsigned long long)cs->total_bytes,
		       (unsigned long long)cs->zram_bytes, cs->ratio, cs->zram_ratio, cs->mean,
		       (unsigned)cs->min, (unsigned)cs->p10, (unsigned)cs->p50, (unsigned)cs->p90,
		       (unsigned)cs->max, (unsigned long long)cs->over_70pct,
		       (unsigned long long)cs->over_2990, (unsigned long long)cs->huge,
		       (unsigned long long)cs->expanded, cs->seconds, st->page_size);
	}
}

enum { FMT_TABLE, FMT_CSV, FMT_JSON };

struct info_args {
	const char *codec;
	int format;
	uint64_t page;
	struct opt_strv file;
};

#define O(f) offsetof(struct info_args, f)

/* clang-format off */
static const struct zpb_opt info_opts[] = {
	{ .name = "codec", .type = OPT_LIST, .arg = "LIST", .def = DEFAULT_CODECS, .off = O(codec),
	  .help = "comma-separated codecs (see 'zpoolbench run --help' for the valid ones)" },
	{ .name = "format", .type = OPT_ENUM, .values = "table|csv|json;text=table",
	  .def = "table", .off = O(format),
	  .help = "on stdout: a table, one CSV row per codec, or JSON (text is the same as "
		  "table, for one release)" },
	{ .name = "page", .type = OPT_SIZE, .arg = "BYTES", .min = 4096, .max = 65536,
	  .off = O(page), .check = optcheck_page_size,
	  .help = "read the corpus as pages of this size (its own by default; a smaller one "
		  "cuts its pages up)" },
	{ .name = NULL },
};
/* clang-format on */

static const struct zpb_operand info_operand = {
	.arg = "FILE",
	.min = 1,
	.max = 1,
	.off = O(file),
	.flags = OPT_IN | OPT_CORPUS,
	.help = "NAME.pages or NAME.pages.zst (its manifest NAME.json is checked if present)",
};

static int run(void *opts, int argc, char **argv)
{
	const struct info_args *a = opts;
	const char *path = a->file.v[0];
	struct codec list[MAX_CODECS];
	struct corpus_stats st;
	struct corpus c;
	char err[1024];
	int n;

	(void)argc;
	(void)argv;
	n = codec_parse_list(a->codec, list, MAX_CODECS, err, sizeof(err));
	if (n < 0) {
		opt_err("corpus info", "--codec", "%s", err);
		return 2;
	}
	if (corpus_open(&c, path, err, sizeof(err))) {
		zpb_err("%s", err);
		return 1;
	}
	if (corpus_stats_compute_view(&c, a->page ? (uint32_t)a->page : c.page_size, list, n, &st,
				      err, sizeof(err))) {
		zpb_err("%s", err);
		corpus_close(&c);
		return 1;
	}
	for (int k = 0; k < n; k++) {
		if (st.codecs[k].verify_failures) {
			zpb_err("%s: %llu pages did not decompress to themselves with %s", path,
				(unsigned long long)st.codecs[k].verify_failures,
				st.codecs[k].codec.name);
			corpus_stats_free(&st);
			corpus_close(&c);
			return 1;
		}
	}
	if (a->format == FMT_JSON)
		print_json(&c, &st);
	else if (a->format == FMT_CSV)
		print_csv(&c, &st);
	else
		print_text(&c, &st);
	corpus_stats_free(&st);
	corpus_close(&c);
	return 0;
}

static const struct zpb_cmd corpus_info_cmd = {
	.name = "corpus info",
	.summary = "pages, same-filled share and compressed-size table of a corpus",
	.about = "The zero and same-filled shares of a corpus and, per codec, the compressed\n"
		 "sizes: ratio, zram's ratio, percentiles and the shares of pages past the\n"
		 "thresholds allocators care about.\n",
	.opts = info_opts,
	.operand = &info_operand,
	.size = sizeof(struct info_args),
	.run = run,
	.order = 50,
};
ZPB_COMMAND(corpus_info_cmd);
