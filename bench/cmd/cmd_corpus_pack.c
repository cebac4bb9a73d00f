// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_corpus_pack.c - `zpoolbench corpus pack --out F.pages --workload NAME
 * [--command STR] [--package NAME=VER]... < LIST`: file data cut into pages,
 * for contrast corpora (ELF binaries, text).  Each file listed on stdin (one
 * path a line, in the given order) is cut into 4096-byte pages on its own,
 * its last partial page padded with zeros, as the page cache would hold it.
 * Empty files add nothing.  Paths are not recorded, only their count.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "corpus/corpus.h"
#include "sha256.h"
#include "util.h"

#define MAX_PKGS 32

struct pack_meta {
	const char *workload, *command;
	const char *pkgs[MAX_PKGS];
	int npkgs;
	uint64_t files, bytes;
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
	jw_str(w, "every listed file cut into 4096-byte pages, the last partial page of each "
		  "file padded with zeros, files in the order listed");
}

static int pack_file(const char *path, FILE *out, struct sha256 *s, struct pack_meta *m,
		     uint64_t *pages)
{
	uint8_t page[CORPUS_PAGE_SIZE];
	struct stat st;
	FILE *f;
	size_t n;

	if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
		zpb_err("corpus pack: %s is a folder; list the files in it instead "
			"(e.g. find DIR -type f | zpoolbench corpus pack ...)", path);
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
	while ((n = fread(page, 1, sizeof(page), f)) > 0) {
		memset(page + n, 0, sizeof(page) - n);
		fwrite(page, 1, sizeof(page), out);
		sha256_update(s, page, sizeof(page));
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

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },     { "workload", required_argument, NULL, 'w' },
		{ "command", required_argument, NULL, 'c' }, { "package", required_argument, NULL, 'k' },
		{ "force", no_argument, NULL, 'f' },	     { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct pack_meta m = { .workload = "files" };
	const char *out = NULL;
	bool force = false;
	char line[4096], sha[65], mpath[4096];
	uint64_t pages = 0;
	struct sha256 s = { 0 };
	struct afile af;
	uint8_t d[32];
	int o;

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (o) {
		case 'o': out = optarg; break;
		case 'f': force = true; break;
		case 'w': m.workload = optarg; break;
		case 'c': m.command = optarg; break;
		case 'k':
			if (!strchr(optarg, '=') || optarg[0] == '=' || m.npkgs == MAX_PKGS) {
				zpb_err("corpus pack: --package takes NAME=VERSION, not '%s'", optarg);
				return 2;
			}
			m.pkgs[m.npkgs++] = optarg;
			break;
		case 'h':
			printf("usage: zpoolbench corpus pack --out F.pages [--workload NAME] "
			       "[--command STR] [--package NAME=VER]... [--force] < FILE-LIST\n"
			       "  Cuts each listed file into 4096-byte pages (the last one padded with\n"
			       "  zeros) into F.pages and writes the manifest F.json.  An existing\n"
			       "  F.pages or F.json is refused unless --force.\n");
			return 0;
		case ':':
			zpb_err("corpus pack: %s needs a value", argv[optind - 1]);
			return 2;
		default:
			zpb_err("corpus pack: unknown option '%s'", argv[optind - 1]);
			return 2;
		}
	}
	if (!out || optind != argc) {
		zpb_err("corpus pack: needs --out F.pages and the file list on stdin; see --help");
		return 2;
	}
	if (corpus_out_check("corpus pack", out, force))
		return 2;
	if (afile_open(&af, out))
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
	if (corpus_write_manifest(mpath, pages, sha, true, pack_extra, &m)) {
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
	.usage = "--out F.pages [--workload NAME] < FILE-LIST",
	.summary = "cut files into pages as a contrast corpus",
	.run = run,
	.order = 53,
};
ZPB_COMMAND(corpus_pack_cmd);
