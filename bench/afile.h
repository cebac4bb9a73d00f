/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * afile.h - every file zpoolbench writes, and the rules that keep it from
 * destroying anything ("never clobber"):
 *
 *  1. Before any work, io_verify() checks every output a command was given
 *     against the file system and against the command's inputs.  An output
 *     that exists and is not a regular file (a device, a FIFO, a socket, a
 *     folder, or a symbolic link: zpoolbench never writes through a link,
 *     whatever it points to) is refused; so is one that is the same file
 *     (device and inode) as an input, or the same path as another output,
 *     or whose folder does not exist.  An existing regular file is replaced
 *     only with --force.  One line, exit status 1, the same wording in every
 *     command:
 *
 *	CMD: --OPT PATH: is a FIFO, not a regular file; choose another path
 *	CMD: --OPT PATH: is the same file as --trace T; choose another path
 *	CMD: --OPT PATH: exists; use --force to replace it, or choose another path
 *
 *  2. The data go to "PATH.tmp.PID" (created exclusively, never through a
 *     link), which is renamed over PATH when complete.  Without --force the
 *     rename refuses to replace anything (renameat2 RENAME_NOREPLACE, or
 *     link + unlink where the file system lacks it), so a file that appeared
 *     meanwhile is not lost; with --force the target is checked again just
 *     before the rename and must still be a regular file.
 *
 *  3. A write error (ENOSPC, EFBIG under a file size limit ...) makes the
 *     commit fail and removes the temporary file; so do SIGINT, SIGTERM and
 *     SIGHUP (the clean-up hook is armed before the file exists) and an
 *     exit without commit.
 */
#ifndef ZPB_AFILE_H
#define ZPB_AFILE_H

#include <stdbool.h>
#include <stdio.h>

struct afile {
	FILE *f;
	char path[4096];
	char tmp[4096 + 32];
	char label[160]; /* "replay: --trajectory" in messages, or "" */
	bool replace;	 /* may replace an existing regular file */
	int hook;
};

/*
 * A file the user named: @label is "CMD: --OPT"; an existing regular file
 * is replaced only if @force.  0, or -1 with one line printed.
 */
int afile_create(struct afile *af, const char *label, const char *path, bool force);
/* A file inside a folder this run made (the results files): replaced if there. */
int afile_open(struct afile *af, const char *path);
int afile_commit(struct afile *af); /* 0, or -1 with a message printed */
void afile_abort(struct afile *af);

/* ---- the checks before any work ---------------------------------------- */

#define IO_MAX 160

struct io_path {
	char label[48]; /* "--trace", "--out (manifest)" */
	char *path;
};

struct io_check {
	const char *cmd;
	bool force;
	int nin, nout;
	struct io_path in[IO_MAX], out[IO_MAX];
};

void io_init(struct io_check *io, const char *cmd, bool force);
void io_input(struct io_check *io, const char *label, const char *path);
void io_output(struct io_check *io, const char *label, const char *path);
/* 0, or 1 after one line on stderr (the first problem). */
int io_verify(const struct io_check *io);
void io_free(struct io_check *io);

/*
 * The state of an output path: 0 if it does not exist, 1 if it is a regular
 * file, or -1 with "is a FIFO, not a regular file" (and so on) in @why.
 */
int io_out_state(const char *path, char *why, size_t len);

/* "CMD: --OPT PATH: exists; use --force to replace it, or choose another path" */
void io_err_exists(const char *label, const char *path);

#endif /* ZPB_AFILE_H */
