// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_corpus_sample.c - `zpoolbench corpus sample --from A --from B ...
 * --pages N --seed S --out F.pages`: a seeded uniform sample across corpora
 * (see corpus_sample.h), with a manifest that records every source's sha256
 * and embeds the source's own manifest.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "cmd/optcheck.h"
#include "corpus/corpus_sample.h"
#include "corpus/extents.h"
#include "sha256.h"
#include "util.h"

#define MAX_SOURCES 32

struct sample_meta {
	struct corpus *src;
	uint64_t *take;
	int n;
	uint64_t seed, pages;
	const char *workload;
	bool addrs;		   /* every source knows its addresses */
	struct corpus_extents ext; /* the sample's: space i = source i */
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
		  "pages kept in source order; sources concatenated in the order given; in "
		  "address_extents the spaces of each source follow those of the sources before "
		  "it (the index of the source when each source is one process)");
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
			extents_write_manifest_without(w, c->manifest);
		}
		jw_end(w);
	}
	jw_end(w);
	if (m->addrs)
		extents_write(w, &m->ext);
}

struct sample_args {
	struct opt_strv from;
	uint64_t pages, seed;
	const char *out, *workload;
	int force;
};

#define O(f) offsetof(struct sample_args, f)

/* clang-format off */
static const struct zpb_opt sample_opts[] = {
	{ .name = "from", .type = OPT_STRING, .arg = "CORPUS", .off = O(from), .maxn = MAX_SOURCES,
	  .flags = OPT_REQUIRED | OPT_REPEAT | OPT_IN | OPT_CORPUS,
	  .help = "a source corpus (NAME.pages or NAME.pages.zst)" },
	{ .name = "pages", .type = OPT_INT, .min = 1, .max = 1ULL << 32, .off = O(pages),
	  .flags = OPT_REQUIRED, .help = "pages in all" },
	{ .name = "seed", .type = OPT_INT, .min = 0, .max = UINT64_MAX, .off = O(seed),
	  .flags = OPT_REQUIRED, .help = "seed of the choice" },
	{ .name = "out", .type = OPT_STRING, .arg = "F.pages", .off = O(out),
	  .flags = OPT_REQUIRED | OPT_OUT | OPT_CORPUS, .check = optcheck_pages_out,
	  .help = "the sample; its manifest goes to F.json" },
	{ .name = "workload", .type = OPT_STRING, .arg = "NAME", .def = "mix", .off = O(workload),
	  .help = "the workload name the manifest records" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force),
	  .help = "replace an existing F.pages and F.json" },
	{ .name = NULL },
};
/* clang-format on */

static int write_sample(struct sample_meta *m, const char *out, bool force)
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
	if (afile_create(&af, "corpus sample: --out", out, force)) {
		free(idx);
		return 1;
	}
	sha256_init(&s);
	for (int i = 0, base = 0; i < m->n; i++) {
		struct corpus_extents src = { 0 };
		uint32_t spaces = 0;
		int r;

		if (corpus_sample_pick(m->seed, m->src[i].sha256, m->src[i].pages, m->take[i], idx)) {
			zpb_err("corpus sample: out of memory");
			goto fail;
		}
		if (m->addrs && extents_from_manifest(m->src[i].manifest, m->src[i].manifest_path,
						      m->src[i].page_size, m->src[i].pages, &src,
						      err, sizeof(err))) {
			zpb_err("corpus sample: %s", err);
			goto fail;
		}
		/* the spaces of source i after those of the sources before it */
		for (size_t k = 0; m->addrs && k < src.n; k++)
			spaces = src.v[k].space + 1 > spaces ? src.v[k].space + 1 : spaces;
		r = corpus_sample_write(&m->src[i], idx, m->take[i], af.f, &s,
					m->addrs ? &src : NULL, (uint32_t)base,
					m->addrs ? &m->ext : NULL, err, sizeof(err));
		base += spaces;
		extents_free(&src);
		if (r) {
			zpb_err("corpus sample: %s", err);
			goto fail;
		}
	}
	sha256_final(&s, d);
	sha256_hex(d, sha);
	corpus_manifest_path(out, mpath, sizeof(mpath));
	if ((m->addrs && extents_save(&m->ext, mpath)) ||
	    corpus_write_manifest(mpath, m->src[0].page_size, m->pages, sha, false, sample_extra, m))
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

static int run(void *opts, int argc, char **argv)
{
	const struct sample_args *a = opts;
	const char *const *from = a->from.v;
	struct corpus src[MAX_SOURCES];
	uint64_t take[MAX_SOURCES];
	struct sample_meta m = {
		.src = src, .take = take, .workload = a->workload, .pages = a->pages, .seed = a->seed
	};
	int nfrom = a->from.n, ret = 1, opened = 0;
	char err[1024];

	(void)argc;
	(void)argv;
	m.n = nfrom;
	m.addrs = true;
	for (int i = 0; i < nfrom; i++) {
		if (corpus_open(&src[i], from[i], err, sizeof(err))) {
			zpb_err("%s", err);
			goto out;
		}
		opened++;
		/* the same file twice would weigh it twice and may take a page twice */
		for (int j = 0; j < i; j++) {
			struct stat x, y;

			if (fstat(src[j].fd, &x) || fstat(src[i].fd, &y) || x.st_dev != y.st_dev ||
			    x.st_ino != y.st_ino)
				continue;
			zpb_err("corpus sample: --from %s and --from %s are the same file; give each "
				"corpus once",
				from[j], from[i]);
			goto out;
		}
		if (src[i].page_size != src[0].page_size) {
			zpb_err("corpus sample: %s has %u-byte pages, %s %u-byte pages; a sample draws "
				"from corpora of one page size",
				from[i], src[i].page_size, from[0], src[0].page_size);
			goto out;
		}
		m.addrs = m.addrs && extents_present(src[i].manifest);
		take[i] = m.pages / nfrom + ((uint64_t)i < m.pages % nfrom);
		if (take[i] > src[i].pages) {
			zpb_err("corpus sample: %s has %llu pages, fewer than the %llu asked of it; "
				"lower --pages",
				from[i], (unsigned long long)src[i].pages,
				(unsigned long long)take[i]);
			goto out;
		}
	}
	extents_init(&m.ext, src[0].page_size);
	ret = write_sample(&m, a->out, a->force);
	extents_free(&m.ext);
out:
	for (int i = 0; i < opened; i++)
		corpus_close(&src[i]);
	return ret;
}

static const struct zpb_cmd corpus_sample_cmd = {
	.name = "corpus sample",
	.summary = "seeded uniform sample of pages across corpora",
	.about = "Takes N pages in all, an equal share from each source, uniformly at random\n"
		 "with one seeded stream per source, in the sources' page order; writes\n"
		 "F.pages and the manifest F.json (compress with zstd -19 if wanted).\n",
	.opts = sample_opts,
	.size = sizeof(struct sample_args),
	.run = run,
	.order = 52,
};
ZPB_COMMAND(corpus_sample_cmd);
