// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_results.c - the results reader of compare and report
 * (bench/output/results_load.c): the first byte chooses results.json or
 * results.csv, the rest is the file.
 *
 * Any input either fails with one line naming the file, or reads as rows
 * that the writer writes out again; a results.json read back from that
 * writes out byte for byte the same (the reader and the writer agree), and
 * a merge of the document with itself and a comparison with itself work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/compare.h"
#include "output/merge.h"
#include "output/results.h"
#include "util.h"

static char path[2][600];

static void check_msg(const char *err, const char *file)
{
	if (!*err || strpbrk(err, "\n\r") || strncmp(err, file, strlen(file))) {
		fprintf(stderr, "bad message: '%s'\n", err);
		abort();
	}
}

static char *json_of(const struct results_doc *doc, size_t *len)
{
	struct results_meta m = { .prov = &doc->prov,
				  .sources = doc->sources,
				  .nsources = doc->nsources };
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		abort();
	results_json(f, &doc->res, &m);
	fclose(f);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct results_doc doc, again;
	struct comparison c;
	struct cmp_opts co = {
		.alpha = 0.05, .min_effect = 5, .max_density_drop = 0, .max_tput_drop = 0
	};
	struct merge m;
	char err[2048], *a, *b;
	size_t la, lb;
	bool csv;
	FILE *f;

	if (!path[0][0]) {
		snprintf(path[0], sizeof(path[0]), "%s/zpb-fuzz-results.%d.json", tmp_dir(),
			 (int)getpid());
		snprintf(path[1], sizeof(path[1]), "%s/zpb-fuzz-results.%d.csv", tmp_dir(),
			 (int)getpid());
	}
	if (size < 1)
		return 0;
	csv = data[0] & 1;
	f = fopen(path[csv], "w");
	if (!f)
		return 0;
	fwrite(data + 1, 1, size - 1, f);
	fclose(f);
	if (results_load(path[csv], &doc, err, sizeof(err))) {
		check_msg(err, path[csv]);
		unlink(path[csv]);
		return 0;
	}
	unlink(path[csv]);
	results_tradeoff(&doc.res);
	if (compare_docs(&doc, &doc, &co, &c))
		abort();
	/* a document compared with itself: no density changes, no gate fails */
	if (c.gate_failures || c.nonly_base || c.nonly_new)
		abort();
	compare_free(&c);
	if (!csv) {
		a = json_of(&doc, &la);
		f = fopen(path[0], "w");
		if (!f)
			abort();
		fwrite(a, 1, la, f);
		fclose(f);
		if (results_load(path[0], &again, err, sizeof(err))) {
			fprintf(stderr, "the writer's output does not read back: %s\n", err);
			abort();
		}
		unlink(path[0]);
		results_tradeoff(&again.res);
		b = json_of(&again, &lb);
		if (la != lb || memcmp(a, b, la)) {
			fprintf(stderr, "read back, written again: not the same\n");
			abort();
		}
		free(a);
		free(b);
		results_doc_free(&again);
		if (merge_docs(&doc, 1, &m, err, sizeof(err)) == 0)
			merge_free(&m);
	}
	results_doc_free(&doc);
	return 0;
}
