// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_corpus_pack.c - `zpoolbench corpus pack --out F.pages --workload NAME
 * [--command STR] [--package NAME=VER]... < LIST`: file data cut into pages,
 * for contrast corpora (ELF binaries, text).  Each file listed on stdin (one
 * path a line, in the given order) is cut into pages of --page bytes (4096
 * by default) on its own, its last partial page padded with zeros, as the
 * page cache of a kernel with that page size would hold it.
 * Empty files add nothing.  Paths are not recorded, only their count.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "cmd/optcheck.h"
#include "corpus/corpus.h"
#include "sha256.h"
#include "util.h"

#define MAX_PKGS 32

struct pack_meta {
	const char *workload, *command;
	const char *pkgs[MAX_PKGS];
	int npkgs;
	uint64_t files, bytes;
	uint32_t page;
};

static void pack_extra(struct jw *w, void *arg)
{
	struct pack_meta *m = arg;

	jw_key(w, "source");
	jw_str(w, "files");
	jw_key(w, "workload");
	jw_str(w, m->workload);
	if (m->command) {
		jw_key(w, "command");
		jw_str(w, m->command);
	}
	corpus_manifest_packages(w, m->pkgs, m->npkgs);
	jw_key(w, "files");
	jw_u64(w, m->files);
	jw_key(w, "file_bytes");
	jw_u64(w, m->bytes);
	jw_key(w, "selection");
	jw_str(w, m->page == 4096 ? "every listed file cut into 4096-byte pages, the last partial "
				    "page of each file padded with zeros, files in the order listed"
		  : m->page == 16384 ? "every listed file cut into 16384-byte pages, the last "
				       "partial page of each file padded with zeros, files in the "
				       "order listed"
				     : "every listed file cut into 65536-byte pages, the last "
				       "partial page of each file padded with zeros, files in the "
				       "order listed");
}

struct pack_args {
	const char *out, *workload, *command;
	struct opt_strv package;
	uint64_t page;
	int force;
};

#define O(f) offsetof(struct pack_args, f)

/* clang-format off */
static const struct zpb_opt pack_opts[] = {
	{ .name = "out", .type = OPT_STRING, .arg = "F.pages", .off = O(out),
	  .flags = OPT_REQUIRED | OPT_OUT | OPT_CORPUS, .check = optcheck_pages_out,
	  .help = "the corpus; its manifest goes to F.json" },
	{ .name = "workload", .type = OPT_STRING, .arg = "NAME", .def = "files",
	  .off = O(workload), .help = "the workload name the manifest records" },
	{ .name = "command", .type = OPT_STRING, .arg = "STR", .off = O(command),
	  .help = "the command that listed the files, for the manifest" },
	{ .name = "package", .type = OPT_STRING, .arg = "NAME=VERSION", .off = O(package),
	  .maxn = MAX_PKGS, .flags = OPT_REPEAT, .check = optcheck_package,
	  .help = "a package the files come from, for the manifest" },
	{ .name = "page", .type = OPT_SIZE, .arg = "BYTES", .min = 4096, .max = 65536,
	  .def = "4096", .off = O(page), .check = optcheck_page_size,
	  .help = "the page size: 4096, 16384 or 65536 (4K, 16K, 64K)" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force),
	  .help = "replace an existing F.pages and F.json" },
	{ .name = NULL },
};
/* clang-format on */

static int pack_file(const char *path, FILE *out, struct sha256 *s, struct pack_meta *m,
		     uint64_t *pages)
{
	static uint8_t page[CORPUS_PAGE_MAX];
	size_t pg = m->page;
	struct stat st;
	FILE *f;
	size_t n;

	if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
		zpb_err("corpus pack: %s is a folder; list the files in it instead "
			"(e.g. find DIR -type f | zpoolbench corpus pack ...)",
			path);
		return -1;
	}
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		zpb_err("corpus pack: %s is not a regular file; list regular files only", path);
		return -1;
	}
	f = fopen(path, "rb");
	if (!f) {
		zpb_err("corpus pack: %s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(page, 1, pg, f)) > 0) {
		memset(page + n, 0, pg - n);
		fwrite(page, 1, pg, out);
		sha256_update(s, page, pg);
		m->bytes += n;
		(*pages)++;
	}
	if (ferror(f)) {
		zpb_err("corpus pack: %s: read error: %s", path, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	m->files++;
	return 0;
}

static int run(void *opts, int argc, char **argv)
{
	const struct pack_args *a = opts;
	struct pack_meta m = { .workload = a->workload,
			       .command = a->command,
			       .page = (uint32_t)a->page };
	const char *out = a->out;
	char line[4096], sha[65], mpath[4096];
	uint64_t pages = 0;
	struct sha256 s = { 0 };
	struct afile af;
	uint8_t d[32];

	(void)argc;
	(void)argv;
	for (int i = 0; i < a->package.n; i++)
		m.pkgs[m.npkgs++] = a->package.v[i];
	if (afile_create(&af, "corpus pack: --out", out, a->force))
		return 1;
	sha256_init(&s);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		if (!line[0])
			continue;
		if (pack_file(line, af.f, &s, &m, &pages)) {
			sha256_abort(&s);
			afile_abort(&af);
			return 1;
		}
	}
	if (!pages) {
		zpb_err("corpus pack: no data: the file list on stdin was empty");
		sha256_abort(&s);
		afile_abort(&af);
		return 1;
	}
	sha256_final(&s, d);
	sha256_hex(d, sha);
	corpus_manifest_path(out, mpath, sizeof(mpath));
	if (corpus_write_manifest(mpath, m.page, pages, sha, true, pack_extra, &m)) {
		afile_abort(&af);
		return 1;
	}
	if (afile_commit(&af))
		return 1;
	fprintf(stderr, "zpoolbench: %s: %llu pages from %llu files\n", out,
		(unsigned long long)pages, (unsigned long long)m.files);
	return 0;
}

static const struct zpb_cmd corpus_pack_cmd = {
	.name = "corpus pack",
	.summary = "cut files into pages as a contrast corpus",
	.about = "Cuts each file listed on stdin (one path a line) into pages of --page bytes\n"
		 "(the last one padded with zeros) into F.pages and writes the manifest F.json.\n",
	.opts = pack_opts,
	.size = sizeof(struct pack_args),
	.run = run,
	.order = 53,
};
ZPB_COMMAND(corpus_pack_cmd);
