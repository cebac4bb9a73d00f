// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_corpus_regroup.c - `zpoolbench corpus regroup --from F --page N --out
 * G.pages`: the corpus with pages of another size (regroup.h): 16 KiB pages
 * from the 4 KiB pages of a snapshot that kept their addresses, or the pages
 * cut into smaller ones.  The manifest G.json keeps everything the source's
 * said about where the pages came from, adds what was done, and the new
 * address extents.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd/optcheck.h"
#include "corpus/regroup.h"
#include "util.h"

struct regroup_meta {
	const struct corpus *src;
	const struct regroup_result *r;
	const char *workload;
};

static void selection(struct jw *w, const struct regroup_meta *m)
{
	const char *before = corpus_manifest_string(m->src, "selection");
	const struct regroup_result *r = m->r;
	char how[640];

	if (r->to_page > r->from_page)
		snprintf(how, sizeof(how),
			 "grouped into %u-byte pages: each the %u pages of one address space at "
			 "A, A + %u, ... with A a multiple of %u, all of them in the corpus (a page "
			 "seen twice counts in its first copy); groups not complete left out; in "
			 "the order of their first page",
			 r->to_page, r->to_page / r->from_page, r->from_page, r->to_page);
	else
		snprintf(how, sizeof(how), "cut into %u-byte pages (the bytes unchanged)",
			 r->to_page);
	jw_key(w, "selection");
	if (before) {
		char *s = malloc(strlen(before) + strlen(how) + 8);

		if (s) {
			sprintf(s, "%s; then %s", before, how);
			jw_str(w, s);
			free(s);
			return;
		}
	}
	jw_str(w, how);
}

static void regroup_extra(struct jw *w, void *arg)
{
	static const char *const skip[] = {
		"format",	 "format_version",  "page_size", "pages",     "sha256",
		"selection",	 "regroup",	    "workload",	 EXTENTS_KEY, EXTENTS_FILE_KEY,
		EXTENTS_SHA_KEY, EXTENTS_COUNT_KEY, NULL
	};
	const struct regroup_meta *m = arg;
	const struct regroup_result *r = m->r;

	if (m->src->manifest)
		corpus_manifest_copy(w, m->src->manifest, skip);
	else {
		jw_key(w, "source");
		jw_str(w, "unknown");
	}
	jw_key(w, "workload");
	jw_str(w, m->workload ? m->workload : m->src->workload);
	selection(w, m);
	jw_key(w, "regroup");
	jw_obj(w);
	jw_key(w, "from");
	jw_str(w, m->src->name);
	jw_key(w, "from_sha256");
	jw_str(w, m->src->sha256);
	jw_key(w, "from_pages");
	jw_u64(w, m->src->pages);
	jw_key(w, "from_page_size");
	jw_u64(w, r->from_page);
	if (r->to_page > r->from_page) {
		jw_key(w, "pages_grouped");
		jw_u64(w, r->grouped);
		jw_key(w, "pages_in_incomplete_groups");
		jw_u64(w, r->partial);
		jw_key(w, "incomplete_groups");
		jw_u64(w, r->partial_groups);
		jw_key(w, "pages_seen_before");
		jw_u64(w, r->duplicates);
	}
	jw_end(w);
	if (r->ext.n)
		extents_write(w, &r->ext);
}

struct regroup_args {
	const char *from, *out, *workload;
	uint64_t page;
	int force;
};

#define O(f) offsetof(struct regroup_args, f)

/* clang-format off */
static const struct zpb_opt regroup_opts[] = {
	{ .name = "from", .type = OPT_STRING, .arg = "CORPUS", .off = O(from),
	  .flags = OPT_REQUIRED | OPT_IN | OPT_CORPUS,
	  .help = "the corpus (NAME.pages or NAME.pages.zst)" },
	{ .name = "page", .type = OPT_SIZE, .arg = "BYTES", .min = 4096, .max = 65536,
	  .off = O(page), .flags = OPT_REQUIRED, .check = optcheck_page_size,
	  .help = "the new page size: 4096, 16384 or 65536 (4K, 16K, 64K)" },
	{ .name = "out", .type = OPT_STRING, .arg = "F.pages", .off = O(out),
	  .flags = OPT_REQUIRED | OPT_OUT | OPT_CORPUS, .check = optcheck_pages_out,
	  .help = "the new corpus; its manifest goes to F.json" },
	{ .name = "workload", .type = OPT_STRING, .arg = "NAME", .off = O(workload),
	  .help = "the workload name the manifest records (default: the source's)" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force),
	  .help = "replace an existing F.pages and F.json" },
	{ .name = NULL },
};
/* clang-format on */

static int run(void *opts, int argc, char **argv)
{
	const struct regroup_args *a = opts;
	struct regroup_result r;
	struct regroup_meta meta = { .r = &r, .workload = a->workload };
	char err[1024], mpath[4096];
	struct corpus c;
	struct afile af;

	(void)argc;
	(void)argv;
	if (corpus_open(&c, a->from, err, sizeof(err))) {
		zpb_err("corpus regroup: %s", err);
		return 1;
	}
	meta.src = &c;
	if (afile_create(&af, "corpus regroup: --out", a->out, a->force)) {
		corpus_close(&c);
		return 1;
	}
	if (corpus_regroup(&c, (uint32_t)a->page, af.f, &r, err, sizeof(err))) {
		zpb_err("corpus regroup: %s", err);
		goto fail;
	}
	corpus_manifest_path(a->out, mpath, sizeof(mpath));
	if (extents_save(&r.ext, mpath) ||
	    corpus_write_manifest(mpath, r.to_page, r.pages, r.sha256, false, regroup_extra, &meta))
		goto fail_ext;
	if (afile_commit(&af))
		goto fail_closed;
	if (r.to_page > r.from_page)
		fprintf(stderr,
			"zpoolbench: %s: %llu pages of %u bytes from %llu of the %llu pages of %s "
			"(%llu in %llu incomplete groups left out, %llu seen before)\n",
			a->out, (unsigned long long)r.pages, r.to_page,
			(unsigned long long)r.grouped, (unsigned long long)c.pages, c.name,
			(unsigned long long)r.partial, (unsigned long long)r.partial_groups,
			(unsigned long long)r.duplicates);
	else
		fprintf(stderr, "zpoolbench: %s: %llu pages of %u bytes from the %llu pages of %s\n",
			a->out, (unsigned long long)r.pages, r.to_page, (unsigned long long)c.pages,
			c.name);
	extents_free(&r.ext);
	corpus_close(&c);
	return 0;
fail_ext:
	extents_free(&r.ext);
fail:
	afile_abort(&af);
fail_closed:
	corpus_close(&c);
	return 1;
}

static const struct zpb_cmd corpus_regroup_cmd = {
	.name = "corpus regroup",
	.summary = "the corpus with pages of another size (16 KiB from a 4 KiB snapshot)",
	.about = "Builds pages of --page bytes.  Larger pages are groups of address-contiguous\n"
		 "pages of one process: the pages at A, A + 4096, ... (A aligned to the new\n"
		 "size), all resident; it needs a corpus whose manifest kept the addresses\n"
		 "(corpus snapshot records them).  Groups not complete are left out.  Smaller\n"
		 "pages are the pages cut up, the bytes unchanged.  Writes F.pages and the\n"
		 "manifest F.json.\n",
	.opts = regroup_opts,
	.size = sizeof(struct regroup_args),
	.run = run,
	.order = 54,
};
ZPB_COMMAND(corpus_regroup_cmd);
