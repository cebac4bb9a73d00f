// SPDX-License-Identifier: GPL-2.0-only
/*
 * afile.c - see afile.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "util.h"

/* ---- what is at a path ---------------------------------------------------- */

static const char *kind(mode_t m)
{
	if (S_ISLNK(m))
		return "symbolic link";
	if (S_ISFIFO(m))
		return "FIFO";
	if (S_ISCHR(m))
		return "character device";
	if (S_ISBLK(m))
		return "block device";
	if (S_ISSOCK(m))
		return "socket";
	if (S_ISDIR(m))
		return "folder";
	return "special file";
}

int io_out_state(const char *path, char *why, size_t len)
{
	struct stat st;

	if (lstat(path, &st))
		return 0;
	if (S_ISREG(st.st_mode))
		return 1;
	snprintf(why, len, "is a %s, not a regular file; choose another path", kind(st.st_mode));
	return -1;
}

void io_err_exists(const char *label, const char *path)
{
	zpb_err("%s %s: exists; use --force to replace it, or choose another path", label, path);
}

/* The folder @path is in ("." for a bare name). */
static void parent_of(const char *path, char *buf, size_t len)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(buf, len, "%s", dirname(tmp));
}

/* ---- atomic files ------------------------------------------------------- */

static void afile_unlink_hook(void *arg)
{
	struct afile *af = arg;

	unlink(af->tmp);
}

static int open_tmp(struct afile *af)
{
	int fd = -1;

	for (int tries = 0; tries < 2 && fd < 0; tries++) {
		struct stat st;

		fd = open(af->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		/* a regular leftover of a dead process with our PID: ours to remove */
		if (fd < 0 && errno == EEXIST && !lstat(af->tmp, &st) && S_ISREG(st.st_mode))
			unlink(af->tmp);
		else if (fd < 0)
			break;
	}
	if (fd < 0)
		return -1;
	af->f = fdopen(fd, "w");
	if (!af->f) {
		int e = errno;

		close(fd);
		unlink(af->tmp);
		errno = e;
		return -1;
	}
	return 0;
}

static int afile_start(struct afile *af, const char *label, const char *path, bool replace)
{
	char why[256];

	memset(af, 0, sizeof(*af));
	af->hook = -1;
	af->replace = replace;
	snprintf(af->label, sizeof(af->label), "%s", label ? label : "");
	if (strlen(path) >= sizeof(af->path)) {
		zpb_err("%s%s%s: path too long", af->label, *af->label ? " " : "", path);
		return -1;
	}
	strcpy(af->path, path);
	if (io_out_state(path, why, sizeof(why)) < 0) {
		zpb_err("%s%s%s: %s", af->label, *af->label ? " " : "", path, why);
		return -1;
	}
	snprintf(af->tmp, sizeof(af->tmp), "%s.tmp.%ld", path, (long)getpid());
	/* armed first: a signal between the open and the push leaves nothing behind */
	af->hook = zpb_cleanup_push(afile_unlink_hook, af);
	if (open_tmp(af)) {
		int e = errno;

		zpb_err("cannot write %s: %s%s", path, strerror(e),
			e == ENOENT ? "; create the folder first or choose another path"
			: e == EACCES || e == EROFS ? "; choose a folder you can write"
						    : "");
		af->tmp[0] = '\0';
		zpb_cleanup_pop(false);
		af->hook = -1;
		return -1;
	}
	return 0;
}

int afile_create(struct afile *af, const char *label, const char *path, bool force)
{
	return afile_start(af, label, path, force);
}

int afile_open(struct afile *af, const char *path)
{
	return afile_start(af, NULL, path, true);
}

static void afile_drop_hook(struct afile *af)
{
	/* hooks are a stack; an inner one is disarmed in place */
	if (af->hook >= 0)
		zpb_cleanup_drop(af->hook);
	af->hook = -1;
}

/* Put the complete temporary file in place: 0, or -1 with errno (EEXIST: refused). */
static int place(struct afile *af)
{
	char why[256];

	if (af->replace) {
		if (io_out_state(af->path, why, sizeof(why)) < 0) {
			errno = EEXIST;
			return -1;
		}
		return rename(af->tmp, af->path);
	}
	if (!zpb_rename_noreplace(af->tmp, af->path))
		return 0;
	return -1;
}

int afile_commit(struct afile *af)
{
	int bad = ferror(af->f), e;
	char why[256];

	errno = 0;
	if (fclose(af->f) || bad) {
		zpb_err("cannot write %s: %s", af->path, strerror(errno ? errno : EIO));
		af->f = NULL;
		unlink(af->tmp);
		afile_drop_hook(af);
		return -1;
	}
	af->f = NULL;
	if (place(af)) {
		e = errno;
		if (e == EEXIST && io_out_state(af->path, why, sizeof(why)) < 0)
			zpb_err("%s%s%s: %s", af->label, *af->label ? " " : "", af->path, why);
		else if (e == EEXIST && *af->label)
			io_err_exists(af->label, af->path);
		else if (e == EEXIST)
			zpb_err("%s: exists; use --force to replace it, or choose another path",
				af->path);
		else
			zpb_err("cannot rename %s to %s: %s", af->tmp, af->path, strerror(e));
		unlink(af->tmp);
		afile_drop_hook(af);
		return -1;
	}
	afile_drop_hook(af);
	return 0;
}

void afile_abort(struct afile *af)
{
	if (af->f)
		fclose(af->f);
	af->f = NULL;
	if (af->tmp[0])
		unlink(af->tmp);
	afile_drop_hook(af);
}

/* ---- the checks before any work ---------------------------------------- */

void io_init(struct io_check *io, const char *cmd, bool force)
{
	memset(io, 0, sizeof(*io));
	io->cmd = cmd;
	io->force = force;
}

static void add(struct io_path *p, int *n, const char *label, const char *path)
{
	if (*n == IO_MAX || !path)
		return;
	snprintf(p[*n].label, sizeof(p[*n].label), "%s", label);
	p[*n].path = strdup(path);
	if (p[*n].path)
		(*n)++;
}

void io_input(struct io_check *io, const char *label, const char *path)
{
	add(io->in, &io->nin, label, path);
}

void io_output(struct io_check *io, const char *label, const char *path)
{
	add(io->out, &io->nout, label, path);
}

void io_free(struct io_check *io)
{
	for (int i = 0; i < io->nin; i++)
		free(io->in[i].path);
	for (int i = 0; i < io->nout; i++)
		free(io->out[i].path);
	io->nin = io->nout = 0;
}

static void refuse(const struct io_check *io, const struct io_path *o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void refuse(const struct io_check *io, const struct io_path *o, const char *fmt, ...)
{
	char msg[3072];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	zpb_err("%s: %s %s: %s", io->cmd, o->label, o->path, msg);
}

/* The folder of an output: it must exist and be writable. */
static int check_folder(const struct io_check *io, const struct io_path *o, struct stat *dir)
{
	char parent[4096];

	parent_of(o->path, parent, sizeof(parent));
	if (stat(parent, dir)) {
		refuse(io, o, "the folder %s %s; create it first or choose another path", parent,
		       errno == ENOENT ? "does not exist" : strerror(errno));
		return -1;
	}
	if (!S_ISDIR(dir->st_mode)) {
		refuse(io, o, "%s is not a folder; choose another path", parent);
		return -1;
	}
	if (access(parent, W_OK | X_OK)) {
		refuse(io, o, "cannot write into the folder %s: %s; choose a folder you can write",
		       parent, strerror(errno));
		return -1;
	}
	return 0;
}

static const char *base_of(const char *path, char *buf, size_t len)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(buf, len, "%s", basename(tmp));
	return buf;
}

/* Two outputs that name the same file: same folder (device, inode) and name. */
static int same_output(const struct io_check *io, int k, const struct stat *dirs)
{
	char a[4096], b[4096];

	for (int j = 0; j < k; j++) {
		if (dirs[j].st_dev != dirs[k].st_dev || dirs[j].st_ino != dirs[k].st_ino ||
		    strcmp(base_of(io->out[j].path, a, sizeof(a)),
			   base_of(io->out[k].path, b, sizeof(b))))
			continue;
		refuse(io, &io->out[k], "is also %s; give each output its own path",
		       io->out[j].label);
		return -1;
	}
	return 0;
}

int io_verify(const struct io_check *io)
{
	static struct stat dirs[IO_MAX];
	char why[256];

	for (int k = 0; k < io->nout; k++) {
		const struct io_path *o = &io->out[k];
		struct stat st;
		int state = io_out_state(o->path, why, sizeof(why));

		if (state < 0) {
			refuse(io, o, "%s", why);
			return 1;
		}
		if (check_folder(io, o, &dirs[k]) || same_output(io, k, dirs))
			return 1;
		if (state == 0)
			continue;
		if (stat(o->path, &st))
			continue;
		for (int i = 0; i < io->nin; i++) {
			struct stat in;

			if (stat(io->in[i].path, &in) || in.st_dev != st.st_dev ||
			    in.st_ino != st.st_ino)
				continue;
			refuse(io, o, "is the same file as %s %s; choose another path",
			       io->in[i].label, io->in[i].path);
			return 1;
		}
		if (!io->force) {
			char label[256];

			snprintf(label, sizeof(label), "%s: %s", io->cmd, o->label);
			io_err_exists(label, o->path);
			return 1;
		}
	}
	return 0;
}
