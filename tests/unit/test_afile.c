// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_afile.c - never clobber (bench/afile.h) and all-or-nothing results
 * folders (bench/output/outdir.h): what is refused, what is left on disk
 * after a commit, an abort and a refusal.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../harness.h"
#include "afile.h"
#include "output/outdir.h"

static char dir[64];

static const char *in_dir(const char *name)
{
	static char buf[8][256];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static void put(const char *name, const char *text)
{
	FILE *f = fopen(in_dir(name), "w");

	fputs(text, f);
	fclose(f);
}

static int is(const char *name, const char *text)
{
	char buf[256] = "";
	FILE *f = fopen(in_dir(name), "r");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return !strcmp(buf, text);
}

/* Entries of the test folder (not . and ..). */
static int entries(void)
{
	char cmd[128];
	FILE *p;
	int n = 0, c;

	snprintf(cmd, sizeof(cmd), "ls -A %s", dir);
	p = popen(cmd, "r");
	while ((c = fgetc(p)) != EOF)
		n += c == '\n';
	pclose(p);
	return n;
}

static void gone(void)
{
	char cmd[128];

	if (dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			return;
	}
	dir[0] = '\0';
}

static void fresh(void)
{
	gone();
	snprintf(dir, sizeof(dir), "/tmp/zpb-afile.XXXXXX");
	if (!mkdtemp(dir))
		dir[0] = '\0';
}

/* stderr to /dev/null and back: the refusals print their line */
static int quiet_fd = -1;

static void quiet(bool on)
{
	fflush(stderr);
	if (on) {
		int null = open("/dev/null", O_WRONLY);

		quiet_fd = dup(2);
		dup2(null, 2);
		close(null);
	} else if (quiet_fd >= 0) {
		dup2(quiet_fd, 2);
		close(quiet_fd);
		quiet_fd = -1;
	}
}

/* io_verify with stderr silenced: its status. */
static int verify(const struct io_check *io)
{
	int r;

	quiet(true);
	r = io_verify(io);
	quiet(false);
	return r;
}

TEST(afile_io_refusals)
{
	struct io_check *io = calloc(1, sizeof(*io));

	fresh();
	put("in", "input");
	put("old", "old");
	mkfifo(in_dir("fifo"), 0644);
	symlink(in_dir("old"), in_dir("link"));
	link(in_dir("in"), in_dir("hard"));
	mkdir(in_dir("sub"), 0755);
	/* a FIFO, a link, a folder */
	for (const char *const *p = (const char *const[]){ "fifo", "link", "sub", NULL }; *p; p++) {
		io_init(io, "t", true);
		io_output(io, "--out", in_dir(*p));
		CHECK_EQ(verify(io), 1);
		io_free(io);
	}
	/* the input itself, through a hard link, even with --force */
	io_init(io, "t", true);
	io_input(io, "--in", in_dir("in"));
	io_output(io, "--out", in_dir("hard"));
	CHECK_EQ(verify(io), 1);
	io_free(io);
	/* an existing file needs --force */
	io_init(io, "t", false);
	io_output(io, "--out", in_dir("old"));
	CHECK_EQ(verify(io), 1);
	io->force = true;
	CHECK_EQ(verify(io), 0);
	io_free(io);
	/* one path twice, a missing folder */
	io_init(io, "t", false);
	io_output(io, "--a", in_dir("new"));
	io_output(io, "--b", in_dir("./new"));
	CHECK_EQ(verify(io), 1);
	io_free(io);
	io_init(io, "t", false);
	io_output(io, "--a", in_dir("nofolder/new"));
	CHECK_EQ(verify(io), 1);
	io_free(io);
	/* nothing was changed by any of it */
	CHECK(is("in", "input") && is("old", "old"));
	free(io);
	gone();
}

TEST(afile_commit_never_replaces_without_force)
{
	struct afile af;
	struct stat st;

	fresh();
	CHECK_EQ(afile_create(&af, "t: --out", in_dir("x"), false), 0);
	fputs("new", af.f);
	put("x", "appeared meanwhile");
	quiet(true);
	CHECK_EQ(afile_commit(&af), -1);
	quiet(false);
	CHECK(is("x", "appeared meanwhile"));
	CHECK_EQ(entries(), 1); /* no x.tmp.PID left */
	/* with force: replaced, but a FIFO that appeared meanwhile is not */
	CHECK_EQ(afile_create(&af, "t: --out", in_dir("x"), true), 0);
	fputs("new", af.f);
	CHECK_EQ(afile_commit(&af), 0);
	CHECK(is("x", "new"));
	CHECK_EQ(afile_create(&af, "t: --out", in_dir("y"), true), 0);
	mkfifo(in_dir("y"), 0644);
	quiet(true);
	CHECK_EQ(afile_commit(&af), -1);
	quiet(false);
	CHECK_EQ(lstat(in_dir("y"), &st), 0);
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_EQ(entries(), 2);
	/* a device or FIFO is refused at open already */
	quiet(true);
	CHECK_EQ(afile_open(&af, in_dir("y")), -1);
	quiet(false);
	CHECK_EQ(entries(), 2);
	gone();
}

TEST(afile_write_error_leaves_nothing)
{
	struct afile af;

	fresh();
	CHECK_EQ(afile_create(&af, "t: --out", in_dir("x"), false), 0);
	fputs("data", af.f);
	fflush(af.f);
	/* a failed write, as ENOSPC leaves it: the error flag on the stream */
	close(fileno(af.f));
	fputs("more", af.f);
	fflush(af.f);
	quiet(true);
	CHECK_EQ(afile_commit(&af), -1);
	quiet(false);
	CHECK_EQ(entries(), 0);
	gone();
}

static int out_begin(struct outdir *d, const char *name, bool force)
{
	int r;

	quiet(true);
	r = outdir_begin(d, "t: --out", in_dir(name), force);
	quiet(false);
	return r;
}

TEST(outdir_whole_or_nothing)
{
	static struct outdir d, d2;
	char p[9000];

	fresh();
	/* a trailing slash, a parent that does not exist yet */
	CHECK_EQ(out_begin(&d, "a/r/", false), 0);
	CHECK_STR(d.target, in_dir("a/r"));
	snprintf(p, sizeof(p), "%s/results.csv", d.tmp);
	put(p + strlen(dir) + 1, "rows");
	/* the lock stops a second run on the same folder */
	CHECK_EQ(out_begin(&d2, "a/r", true), 1);
	CHECK_EQ(access(in_dir("a/r"), F_OK), -1);
	CHECK_EQ(outdir_commit(&d), 0);
	CHECK(is("a/r/results.csv", "rows"));
	CHECK_EQ(access(in_dir("a/.r.lock"), F_OK), -1);
	/* an existing folder: only with --force, then swapped whole */
	CHECK_EQ(out_begin(&d, "a/r", false), 1);
	put("a/r/sweep.png", "stale");
	CHECK_EQ(out_begin(&d, "a/r", true), 0);
	snprintf(p, sizeof(p), "%s/results.csv", d.tmp);
	put(p + strlen(dir) + 1, "new rows");
	CHECK(is("a/r/results.csv", "rows")); /* untouched until the commit */
	CHECK_EQ(outdir_commit(&d), 0);
	CHECK(is("a/r/results.csv", "new rows"));
	CHECK_EQ(access(in_dir("a/r/sweep.png"), F_OK), -1);
	/* an abort leaves the old folder as it was and no sibling */
	CHECK_EQ(out_begin(&d, "a/r", true), 0);
	outdir_abort(&d);
	CHECK(is("a/r/results.csv", "new rows"));
	snprintf(p, sizeof(p), "test $(ls -A %s/a | wc -l) -eq 1", dir);
	CHECK_EQ(system(p), 0);
	/* a folder with a file no run writes is not replaced */
	put("a/r/notes.txt", "mine");
	CHECK_EQ(out_begin(&d, "a/r", true), 1);
	CHECK(is("a/r/notes.txt", "mine"));
	/* an abort removes the parents it made */
	CHECK_EQ(out_begin(&d, "b/c/r", false), 0);
	outdir_abort(&d);
	CHECK_EQ(access(in_dir("b"), F_OK), -1);
	/* not a folder, a link, "." */
	put("file", "x");
	CHECK_EQ(out_begin(&d, "file", true), 1);
	symlink(in_dir("a/r"), in_dir("lnk"));
	CHECK_EQ(out_begin(&d, "lnk", true), 1);
	CHECK_EQ(out_begin(&d, ".", true), 1);
	CHECK(is("a/r/notes.txt", "mine"));
	gone();
}
