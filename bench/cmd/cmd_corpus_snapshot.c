// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_corpus_snapshot.c - `zpoolbench corpus snapshot --pid PID --out F.pages`:
 * dump a running process's anonymous pages (see snapshot.h) and write the
 * manifest F.json beside them.  Provenance the builder knows (workload,
 * exact command, package versions) comes in through options.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
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
			      "order, read through /proc/PID/mem while the process was stopped"
			    : "resident anonymous pages of private writable mappings (pagemap "
			      "present, not file, not KPF_ZERO_PAGE), in address order, read "
			      "through /proc/PID/mem while the process was stopped");
	jw_key(w, "shared_pages");
	jw_u64(w, m->res->shared_pages);
	jw_key(w, "zero_page_mappings_skipped");
	jw_u64(w, m->res->zero_page_maps);
	if (m->note) {
		jw_key(w, "note");
		jw_str(w, m->note);
	}
}

static void usage(FILE *f)
{
	fprintf(f, "usage: zpoolbench corpus snapshot --pid PID --out F.pages [--shared]\n"
		   "           [--workload NAME] [--command STR] [--package NAME=VERSION]... "
		   "[--note STR] [--force]\n"
		   "  Dumps the resident anonymous pages of process PID (stopped meanwhile) to\n"
		   "  F.pages and writes the manifest F.json.  Needs root.\n"
		   "  --shared   add resident pages of shared writable shmem mappings\n"
		   "  --force    replace an existing F.pages / F.json\n");
}

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },     { "out", required_argument, NULL, 'o' },
		{ "shared", no_argument, NULL, 's' },	     { "workload", required_argument, NULL, 'w' },
		{ "command", required_argument, NULL, 'c' }, { "package", required_argument, NULL, 'k' },
		{ "note", required_argument, NULL, 'n' },    { "help", no_argument, NULL, 'h' },
		{ "force", no_argument, NULL, 'f' },	     { NULL, 0, NULL, 0 }
	};
	struct snap_meta meta = { 0 };
	struct snapshot_result res;
	const char *out = NULL;
	bool force = false;
	char err[1024], mpath[4096];
	uint64_t pid = 0;
	struct afile af;
	int o;

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (o) {
		case 'p':
			if (parse_u64(optarg, 2, 1 << 30, &pid)) {
				zpb_err("corpus snapshot: --pid needs a process id, not '%s'", optarg);
				return 2;
			}
			break;
		case 'o': out = optarg; break;
		case 'f': force = true; break;
		case 's': meta.shared = true; break;
		case 'w': meta.workload = optarg; break;
		case 'c': meta.command = optarg; break;
		case 'n': meta.note = optarg; break;
		case 'k':
			if (!strchr(optarg, '=') || optarg[0] == '=' || meta.npkgs == MAX_PKGS) {
				zpb_err("corpus snapshot: --package takes NAME=VERSION (at most %d), "
					"not '%s'", MAX_PKGS, optarg);
				return 2;
			}
			meta.pkgs[meta.npkgs++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			zpb_err("corpus snapshot: %s needs a value", argv[optind - 1]);
			return 2;
		default:
			zpb_err("corpus snapshot: unknown option '%s'; see 'zpoolbench corpus "
				"snapshot --help'", argv[optind - 1]);
			return 2;
		}
	}
	if (!pid || !out || optind != argc) {
		zpb_err("corpus snapshot: needs --pid PID and --out F.pages; see --help");
		return 2;
	}
	if (corpus_out_check("corpus snapshot", out, force))
		return 2;
	if (!meta.workload)
		meta.workload = "unnamed";
	meta.res = &res;
	if (afile_open(&af, out))
		return 1;
	if (snapshot_dump((pid_t)pid, meta.shared, af.f, &res, err, sizeof(err))) {
		afile_abort(&af);
		zpb_err("corpus snapshot: %s", err);
		return 1;
	}
	corpus_manifest_path(out, mpath, sizeof(mpath));
	if (corpus_write_manifest(mpath, res.pages, res.sha256, true, snap_extra, &meta)) {
		afile_abort(&af);
		return 1;
	}
	if (afile_commit(&af))
		return 1;
	fprintf(stderr, "zpoolbench: %s: %llu pages (%llu shared) from %llu mappings of %s, "
			"%llu zero-page mappings skipped\n",
		out, (unsigned long long)res.pages, (unsigned long long)res.shared_pages,
		(unsigned long long)res.mappings, res.comm, (unsigned long long)res.zero_page_maps);
	return 0;
}

static const struct zpb_cmd corpus_snapshot_cmd = {
	.name = "corpus snapshot",
	.usage = "--pid PID --out F.pages [--shared] [--workload NAME] ...",
	.summary = "dump a running process's anonymous pages as a corpus (root)",
	.run = run,
	.order = 51,
};
ZPB_COMMAND(corpus_snapshot_cmd);
