// SPDX-License-Identifier: GPL-2.0-only
/*
 * outdir.c - see outdir.h.
 */
#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "output/outdir.h"
#include "util.h"

const char *const outdir_files[] = {
	"results.csv",	   "results.json",    "sizes.csv",
	"bounds.csv",	   "churn.csv",	      "sweep.csv",
	"report.md",	   "gnuplot.log",     "tradeoff.png",
	"tradeoff.svg",	   "sizes.png",	      "sizes.svg",
	"churn.png",	   "churn.svg",	      "latency.png",
	"latency.svg",	   "sweep.png",	      "sweep.svg",
	"compare.csv",	   "compare.json",    "latency.csv",
	"latency_cdf.png", "latency_cdf.svg", "compare_settings.csv",
	"compare.png",	   "compare.svg",     NULL,
};

/* The one active folder, for the signal-time hook; and its message. */
static struct {
	char msg[OUTDIR_PATH + 96];
	size_t msglen;
	volatile int committed;
} guard;

static bool is_ours(const char *name)
{
	for (int i = 0; outdir_files[i]; i++)
		if (!strcmp(name, outdir_files[i]))
			return true;
	return false;
}

/* ---- removal that is safe in a signal handler ----------------------------- */

struct dent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Remove @name (in @dirfd) and everything in it, two levels deep at most. */
static void rm_tree(int dirfd, const char *name, int depth)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	char buf[4096] __attribute__((aligned(8)));
	long n;

	if (fd < 0)
		return;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct dent64 *e = (struct dent64 *)(buf + off);

			off += e->d_reclen;
			if (e->d_name[0] == '.' &&
			    (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
				continue;
			if (unlinkat(fd, e->d_name, 0) && errno == EISDIR && depth < 2)
				rm_tree(fd, e->d_name, depth + 1);
		}
	}
	close(fd);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

static void remove_all(struct outdir *d)
{
	if (d->tmp[0]) {
		rm_tree(AT_FDCWD, d->tmp, 0);
		d->tmp[0] = '\0';
	}
	if (d->lock[0]) {
		unlink(d->lock);
		d->lock[0] = '\0';
	}
	if (d->lockfd >= 0) {
		close(d->lockfd);
		d->lockfd = -1;
	}
	/* the parents this run made, innermost first, if nothing else is in them */
	while (d->nmade > 0)
		rmdir(d->made[--d->nmade]);
}

static void guard_hook(void *arg)
{
	struct outdir *d = arg;

	if (guard.committed)
		return;
	remove_all(d);
	if (zpb_interrupted) {
		ssize_t w = write(STDERR_FILENO, guard.msg, guard.msglen);

		(void)w;
	}
}

/* ---- checks --------------------------------------------------------------- */

/* "run: --out DIR: message" */
static void say(const struct outdir *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(const struct outdir *d, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	zpb_err("%s %s: %s", d->label, d->target, msg);
}

/* The first entry of @dir that no run writes, or "" if every one is ours. */
static int foreign_entry(const char *dir, char *name, size_t len)
{
	DIR *dp = opendir(dir);
	struct dirent *e;

	name[0] = '\0';
	if (!dp)
		return -1;
	while ((e = readdir(dp))) {
		char p[OUTDIR_PATH + 256];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (is_ours(e->d_name) && !lstat(p, &st) && S_ISREG(st.st_mode))
			continue;
		snprintf(name, len, "%s", e->d_name);
		break;
	}
	closedir(dp);
	return 0;
}

/* What is at the target: 0 nothing, 1 a folder this run may replace; -1 after a message. */
static int check_target(struct outdir *d)
{
	char other[256];
	struct stat st;

	if (lstat(d->target, &st))
		return 0;
	if (S_ISLNK(st.st_mode)) {
		say(d, "is a symbolic link, not a folder; give the folder itself or another path");
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		say(d, "exists and is not a folder; choose another path");
		return -1;
	}
	if (!d->force) {
		say(d, "exists; use --force to replace it, or choose another path");
		return -1;
	}
	if (foreign_entry(d->target, other, sizeof(other))) {
		say(d, "cannot read the folder: %s", strerror(errno));
		return -1;
	}
	if (other[0]) {
		say(d,
		    "holds '%s', which no zpoolbench run writes; --force replaces only a "
		    "results folder: move your files away or choose another path",
		    other);
		return -1;
	}
	return 1;
}

/* ---- begin ------------------------------------------------------------------ */

/* mkdir -p @path, remembering what was made; 0 or -1 with errno. */
static int make_parents(struct outdir *d, const char *path)
{
	char buf[OUTDIR_PATH];
	struct stat st;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1;; p++) {
		bool end = !*p;

		if (*p && *p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) == 0) {
			if (d->nmade < OUTDIR_MAX_PARENTS)
				snprintf(d->made[d->nmade++], OUTDIR_PATH, "%s", buf);
		} else if (errno != EEXIST || stat(buf, &st) || !S_ISDIR(st.st_mode)) {
			if (errno == EEXIST)
				errno = ENOTDIR;
			return -1;
		}
		if (end)
			return 0;
		*p = '/';
	}
}

/* flock the lock file, making sure it is still the file at its path. */
static int take_lock(struct outdir *d)
{
	for (int tries = 0; tries < 100; tries++) {
		struct stat a, b;
		int fd = open(d->lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);

		if (fd < 0) {
			say(d, "cannot create the lock %s: %s", d->lock, strerror(errno));
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			close(fd);
			if (errno != EWOULDBLOCK)
				continue;
			say(d,
			    "another zpoolbench is writing this folder (it holds %s); wait for it "
			    "to finish or choose another path",
			    d->lock);
			return -1;
		}
		/* the holder before us may have removed it at its end: then lock the new one */
		if (!fstat(fd, &a) && !stat(d->lock, &b) && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino) {
			d->lockfd = fd;
			return 0;
		}
		close(fd);
	}
	say(d, "cannot lock %s", d->lock);
	return -1;
}

int outdir_not_input(const char *label, const char *dir, const char *inlabel, const char *in)
{
	struct stat out, st, parent;
	char buf[OUTDIR_PATH];
	char *slash;

	if (stat(dir, &out) || !S_ISDIR(out.st_mode) || stat(in, &st))
		return 0;
	if (S_ISDIR(st.st_mode)) {
		if (st.st_dev != out.st_dev || st.st_ino != out.st_ino)
			return 0;
		zpb_err("%s %s: is the same folder as %s %s; choose another path", label, dir,
			inlabel, in);
		return 1;
	}
	/* a results file given by name: its folder is an input too */
	snprintf(buf, sizeof(buf), "%s", in);
	slash = strrchr(buf, '/');
	if (slash)
		*(slash == buf ? slash + 1 : slash) = '\0';
	else
		snprintf(buf, sizeof(buf), ".");
	if (stat(buf, &parent) || parent.st_dev != out.st_dev || parent.st_ino != out.st_ino)
		return 0;
	zpb_err("%s %s: holds %s %s; choose another path", label, dir, inlabel, in);
	return 1;
}

int outdir_begin(struct outdir *d, const char *label, const char *dir, bool force)
{
	char parent[OUTDIR_PATH];
	const char *name;
	size_t len = strlen(dir);
	mode_t mask;

	memset(d, 0, sizeof(*d));
	d->lockfd = -1;
	d->hook = -1;
	d->force = force;
	snprintf(d->label, sizeof(d->label), "%s", label);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len >= OUTDIR_PATH - 64) {
		zpb_err("%s: the path is too long", label);
		return 1;
	}
	snprintf(d->target, sizeof(d->target), "%.*s", (int)len, dir);
	name = strrchr(d->target, '/');
	name = name ? name + 1 : d->target;
	if (!*name || !strcmp(name, ".") || !strcmp(name, "..")) {
		say(d, "give the results folder a name of its own");
		return 1;
	}
	/* "results/x" -> "results", "/x" -> "/", "x" -> "." */
	snprintf(parent, sizeof(parent), "%.*s", (int)(name - d->target), d->target);
	if (strlen(parent) > 1)
		parent[strlen(parent) - 1] = '\0';
	if (!parent[0])
		snprintf(parent, sizeof(parent), ".");
	if (check_target(d) < 0)
		return 1;
	if (make_parents(d, parent)) {
		say(d, "cannot create the folder %s: %s", parent, strerror(errno));
		outdir_abort(d);
		return 1;
	}
	snprintf(d->lock, sizeof(d->lock), "%.4095s/.%.255s.lock", parent, name);
	snprintf(d->tmp, sizeof(d->tmp), "%.4095s/.%.255s.tmp.XXXXXX", parent, name);
	guard.committed = 0;
	snprintf(guard.msg, sizeof(guard.msg),
		 "%szpoolbench: interrupted; no results written to %s\n",
		 progress_enabled() ? "\n" : "", d->target);
	guard.msglen = strlen(guard.msg);
	/* armed before anything exists that it removes */
	d->hook = zpb_cleanup_push(guard_hook, d);
	if (take_lock(d)) {
		d->lock[0] = '\0'; /* not ours to remove */
		d->tmp[0] = '\0';
		outdir_abort(d);
		return 1;
	}
	/* under the lock: what another run may have put there meanwhile */
	if (check_target(d) < 0) {
		d->tmp[0] = '\0';
		outdir_abort(d);
		return 1;
	}
	if (!mkdtemp(d->tmp)) {
		say(d, "cannot create the folder %s: %s", parent, strerror(errno));
		d->tmp[0] = '\0';
		outdir_abort(d);
		return 1;
	}
	/* mkdtemp makes it private; a results folder gets the mode mkdir would give it */
	mask = umask(0);
	umask(mask);
	chmod(d->tmp, 0777 & ~mask);
	return 0;
}

/* ---- end -------------------------------------------------------------------- */

/* Remove the files of the old folder (now at @old) and the folder. */
static void remove_old(struct outdir *d, const char *old)
{
	char p[2 * OUTDIR_PATH + 64];

	for (int i = 0; outdir_files[i]; i++) {
		snprintf(p, sizeof(p), "%s/%s", old, outdir_files[i]);
		unlink(p);
	}
	if (rmdir(old))
		say(d, "the earlier folder got other files during the run; they are kept in %s",
		    old);
}

static int place(struct outdir *d)
{
	char old[2 * OUTDIR_PATH + 64];

	if (!zpb_rename_noreplace(d->tmp, d->target))
		return 0;
	if (errno != EEXIST && errno != ENOTEMPTY) {
		say(d, "cannot rename %s into place: %s", d->tmp, strerror(errno));
		return -1;
	}
	/* the old folder: checked again, then swapped in one step */
	if (check_target(d) < 0)
		return -1;
	if (!renameat2(AT_FDCWD, d->tmp, AT_FDCWD, d->target, RENAME_EXCHANGE)) {
		remove_old(d, d->tmp);
		return 0;
	}
	/* a file system without RENAME_EXCHANGE: move the old one aside first */
	snprintf(old, sizeof(old), "%s.old", d->tmp);
	if (rename(d->target, old)) {
		say(d, "cannot move the earlier folder aside: %s", strerror(errno));
		return -1;
	}
	if (rename(d->tmp, d->target)) {
		say(d, "cannot rename %s into place: %s", d->tmp, strerror(errno));
		if (rename(old, d->target))
			say(d, "the earlier folder is in %s", old);
		return -1;
	}
	remove_old(d, old);
	return 0;
}

int outdir_commit(struct outdir *d)
{
	sigset_t s, saved;
	int ret;

	/* no signal between the rename and the clean-up that knows about it */
	sigemptyset(&s);
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGHUP);
	sigprocmask(SIG_BLOCK, &s, &saved);
	ret = place(d);
	if (ret == 0) {
		d->tmp[0] = '\0';
		d->nmade = 0;
		guard.committed = 1;
	}
	remove_all(d);
	zpb_cleanup_drop(d->hook);
	d->hook = -1;
	sigprocmask(SIG_SETMASK, &saved, NULL);
	return ret ? 1 : 0;
}

void outdir_abort(struct outdir *d)
{
	remove_all(d);
	if (d->hook >= 0)
		zpb_cleanup_drop(d->hook);
	d->hook = -1;
}
