// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_corpus_snapshot.c - `zpoolbench corpus snapshot --pid PID --out F.pages`:
 * dump a running process's anonymous pages (see snapshot.h) and write the
 * manifest F.json beside them, with the address of every page
 * (address_extents, extents.h).  Provenance the builder knows (workload,
 * exact command, package versions) comes in through options.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd/optcheck.h"
#include "corpus/corpus.h"
#include "corpus/snapshot.h"
#include "util.h"

#define MAX_PKGS 32

struct snap_meta {
	const char *workload, *command, *note;
	const char *pkgs[MAX_PKGS];
	int npkgs;
	bool shared;
	struct snapshot_result *res;
};

static void snap_extra(struct jw *w, void *arg)
{
	struct snap_meta *m = arg;

	jw_key(w, "source");
	jw_str(w, "process");
	jw_key(w, "workload");
	jw_str(w, m->workload);
	jw_key(w, "process");
	jw_str(w, m->res->comm);
	if (m->command) {
		jw_key(w, "command");
		jw_str(w, m->command);
	}
	corpus_manifest_packages(w, m->pkgs, m->npkgs);
	jw_key(w, "selection");
	jw_str(w, m->shared ? "resident anonymous pages of private writable mappings (pagemap "
			      "present, not file, not KPF_ZERO_PAGE) plus resident pages of "
			      "shared writable shmem mappings (map_files + mincore), in address "
			      "order, read through /proc/PID/mem while the process was stopped; "
			      "their addresses in address_extents"
			    : "resident anonymous pages of private writable mappings (pagemap "
			      "present, not file, not KPF_ZERO_PAGE), in address order, read "
			      "through /proc/PID/mem while the process was stopped; their "
			      "addresses in address_extents");
	jw_key(w, "shared_pages");
	jw_u64(w, m->res->shared_pages);
	jw_key(w, "zero_page_mappings_skipped");
	jw_u64(w, m->res->zero_page_maps);
	if (m->note) {
		jw_key(w, "note");
		jw_str(w, m->note);
	}
	extents_write(w, &m->res->ext);
}

struct snap_args {
	uint64_t pid;
	const char *out, *workload, *command, *note;
	struct opt_strv package;
	int shared, force;
};

#define O(f) offsetof(struct snap_args, f)

/* clang-format off */
static const struct zpb_opt snap_opts[] = {
	{ .name = "pid", .type = OPT_INT, .arg = "PID", .min = 2, .max = 1 << 30, .off = O(pid),
	  .flags = OPT_REQUIRED, .help = "the process (stopped while its pages are read)" },
	{ .name = "out", .type = OPT_STRING, .arg = "F.pages", .off = O(out),
	  .flags = OPT_REQUIRED | OPT_OUT | OPT_CORPUS, .check = optcheck_pages_out,
	  .help = "the corpus; its manifest goes to F.json" },
	{ .name = "shared", .type = OPT_FLAG, .off = O(shared),
	  .help = "add resident pages of shared writable shmem mappings" },
	{ .name = "workload", .type = OPT_STRING, .arg = "NAME", .def = "unnamed",
	  .off = O(workload), .help = "the workload name the manifest records" },
	{ .name = "command", .type = OPT_STRING, .arg = "STR", .off = O(command),
	  .help = "the command that started the process, for the manifest" },
	{ .name = "package", .type = OPT_STRING, .arg = "NAME=VERSION", .off = O(package),
	  .maxn = MAX_PKGS, .flags = OPT_REPEAT, .check = optcheck_package,
	  .help = "a package the program comes from, for the manifest" },
	{ .name = "note", .type = OPT_STRING, .arg = "STR", .off = O(note),
	  .help = "a note for the manifest" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force),
	  .help = "replace an existing F.pages and F.json" },
	{ .name = NULL },
};
/* clang-format on */

static int run(void *opts, int argc, char **argv)
{
	const struct snap_args *a = opts;
	struct snap_meta meta = {
		.workload = a->workload, .command = a->command, .note = a->note, .shared = a->shared
	};
	struct snapshot_result res;
	const char *out = a->out;
	char err[1024], mpath[4096];
	struct afile af;

	(void)argc;
	(void)argv;
	for (int i = 0; i < a->package.n; i++)
		meta.pkgs[meta.npkgs++] = a->package.v[i];
	meta.res = &res;
	if (afile_create(&af, "corpus snapshot: --out", out, a->force))
		return 1;
	if (snapshot_dump((pid_t)a->pid, meta.shared, af.f, &res, err, sizeof(err))) {
		afile_abort(&af);
		zpb_err("corpus snapshot: %s", err);
		return 1;
	}
	corpus_manifest_path(out, mpath, sizeof(mpath));
	if (extents_save(&res.ext, mpath) ||
	    corpus_write_manifest(mpath, res.page_size, res.pages, res.sha256, true, snap_extra,
				  &meta)) {
		extents_free(&res.ext);
		afile_abort(&af);
		return 1;
	}
	extents_free(&res.ext);
	if (afile_commit(&af))
		return 1;
	fprintf(stderr,
		"zpoolbench: %s: %llu pages (%llu shared) from %llu mappings of %s, "
		"%llu zero-page mappings skipped\n",
		out, (unsigned long long)res.pages, (unsigned long long)res.shared_pages,
		(unsigned long long)res.mappings, res.comm, (unsigned long long)res.zero_page_maps);
	return 0;
}

static const struct zpb_cmd corpus_snapshot_cmd = {
	.name = "corpus snapshot",
	.summary = "dump a running process's anonymous pages as a corpus (root)",
	.about = "Dumps the resident anonymous pages of process PID (stopped meanwhile) to\n"
		 "F.pages and writes the manifest F.json.  Needs root.\n",
	.opts = snap_opts,
	.size = sizeof(struct snap_args),
	.run = run,
	.order = 51,
};
ZPB_COMMAND(corpus_snapshot_cmd);
