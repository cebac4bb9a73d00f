// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_corpus_sample.c - `zpoolbench corpus sample --from A --from B ...
 * --pages N --seed S --out F.pages`: a seeded uniform sample across corpora
 * (see corpus_sample.h), with a manifest that records every source's sha256
 * and embeds the source's own manifest.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "corpus/corpus_sample.h"
#include "sha256.h"
#include "util.h"

#define MAX_SOURCES 32

struct sample_meta {
	struct corpus *src;
	uint64_t *take;
	int n;
	uint64_t seed, pages;
	const char *workload;
};

static void sample_extra(struct jw *w, void *arg)
{
	struct sample_meta *m = arg;

	jw_key(w, "source");
	jw_str(w, "sample");
	jw_key(w, "workload");
	jw_str(w, m->workload);
	jw_key(w, "seed");
	jw_u64(w, m->seed);
	jw_key(w, "selection");
	jw_str(w, "per source an equal share (N / sources, the first N % sources one more), "
		  "uniform without replacement, generator seeded by sha256(\"SEED:SOURCE-SHA256\"), "
		  "pages kept in source order; sources concatenated in the order given");
	jw_key(w, "sources");
	jw_arr(w);
	for (int i = 0; i < m->n; i++) {
		const struct corpus *c = &m->src[i];

		jw_obj(w);
		jw_key(w, "name");
		jw_str(w, c->name);
		jw_key(w, "workload");
		jw_str(w, c->workload);
		jw_key(w, "sha256");
		jw_str(w, c->sha256);
		jw_key(w, "pages");
		jw_u64(w, c->pages);
		jw_key(w, "pages_taken");
		jw_u64(w, m->take[i]);
		if (c->manifest) {
			jw_key(w, "manifest");
			jw_value(w, c->manifest);
		}
		jw_end(w);
	}
	jw_end(w);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: zpoolbench corpus sample --from CORPUS [--from CORPUS]... --pages N\n"
		   "           --seed S --out F.pages [--workload NAME]\n"
		   "  Takes N pages in all, an equal share from each source, uniformly at random\n"
		   "  with one seeded stream per source, in the sources' page order; writes\n"
		   "  F.pages and the manifest F.json (compress with zstd -19 if wanted).\n");
}

static int write_sample(struct sample_meta *m, const char *out)
{
	struct afile af;
	struct sha256 s = { 0 };
	uint8_t d[32];
	char sha[65], mpath[4096], err[1024];
	uint64_t *idx = malloc(m->pages * sizeof(*idx));

	if (!idx) {
		zpb_err("corpus sample: out of memory");
		return 1;
	}
	if (afile_open(&af, out)) {
		free(idx);
		return 1;
	}
	sha256_init(&s);
	for (int i = 0; i < m->n; i++) {
		if (corpus_sample_pick(m->seed, m->src[i].sha256, m->src[i].pages, m->take[i], idx)) {
			zpb_err("corpus sample: out of memory");
			goto fail;
		}
		if (corpus_sample_write(&m->src[i], idx, m->take[i], af.f, &s, err, sizeof(err))) {
			zpb_err("corpus sample: %s", err);
			goto fail;
		}
	}
	sha256_final(&s, d);
	sha256_hex(d, sha);
	corpus_manifest_path(out, mpath, sizeof(mpath));
	if (corpus_write_manifest(mpath, m->pages, sha, false, sample_extra, m))
		goto fail;
	free(idx);
	if (afile_commit(&af))
		return 1;
	fprintf(stderr, "zpoolbench: %s: %llu pages from %d corpora, sha256 %s\n", out,
		(unsigned long long)m->pages, m->n, sha);
	return 0;
fail:
	sha256_abort(&s);
	free(idx);
	afile_abort(&af);
	return 1;
}

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },  { "pages", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },  { "out", required_argument, NULL, 'o' },
		{ "workload", required_argument, NULL, 'w' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *from[MAX_SOURCES], *out = NULL;
	struct corpus src[MAX_SOURCES];
	uint64_t take[MAX_SOURCES];
	struct sample_meta m = { .src = src, .take = take, .workload = "mix" };
	bool have_seed = false;
	int nfrom = 0, o, ret = 1, opened = 0;
	char err[1024];

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (o) {
		case 'f':
			if (nfrom == MAX_SOURCES) {
				zpb_err("corpus sample: at most %d --from sources", MAX_SOURCES);
				return 2;
			}
			from[nfrom++] = optarg;
			break;
		case 'n':
			if (parse_u64(optarg, 1, 1ULL << 32, &m.pages)) {
				zpb_err("corpus sample: --pages needs a count 1..2^32, not '%s'", optarg);
				return 2;
			}
			break;
		case 's':
			if (parse_u64(optarg, 0, UINT64_MAX, &m.seed)) {
				zpb_err("corpus sample: --seed needs a number, not '%s'", optarg);
				return 2;
			}
			have_seed = true;
			break;
		case 'o': out = optarg; break;
		case 'w': m.workload = optarg; break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			zpb_err("corpus sample: %s needs a value", argv[optind - 1]);
			return 2;
		default:
			zpb_err("corpus sample: unknown option '%s'; see 'zpoolbench corpus sample "
				"--help'", argv[optind - 1]);
			return 2;
		}
	}
	if (!nfrom || !m.pages || !have_seed || !out || optind != argc) {
		zpb_err("corpus sample: needs --from CORPUS (one or more), --pages N, --seed S and "
			"--out F.pages; see --help");
		return 2;
	}
	if (strlen(out) < 7 || strcmp(out + strlen(out) - 6, ".pages")) {
		zpb_err("corpus sample: --out must end in .pages, not '%s'", out);
		return 2;
	}
	m.n = nfrom;
	for (int i = 0; i < nfrom; i++) {
		if (corpus_open(&src[i], from[i], err, sizeof(err))) {
			zpb_err("%s", err);
			goto out;
		}
		opened++;
		take[i] = m.pages / nfrom + ((uint64_t)i < m.pages % nfrom);
		if (take[i] > src[i].pages) {
			zpb_err("corpus sample: %s has %llu pages, fewer than the %llu asked of it; "
				"lower --pages", from[i], (unsigned long long)src[i].pages,
				(unsigned long long)take[i]);
			goto out;
		}
	}
	ret = write_sample(&m, out);
out:
	for (int i = 0; i < opened; i++)
		corpus_close(&src[i]);
	return ret;
}

static const struct zpb_cmd corpus_sample_cmd = {
	.name = "corpus sample",
	.usage = "--from CORPUS... --pages N --seed S --out F.pages",
	.summary = "seeded uniform sample of pages across corpora",
	.run = run,
	.order = 52,
};
ZPB_COMMAND(corpus_sample_cmd);
