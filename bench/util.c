// SPDX-License-Identifier: GPL-2.0-only
/*
 * util.c - see util.h.
 */
#define _GNU_SOURCE /* renameat2 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"
#include "util.h"

volatile int zpb_interrupted;

void zpb_err(const char *fmt, ...)
{
	va_list ap;
	char buf[4096];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* one line, whatever user text (paths, specs, trace lines) it quotes */
	for (char *c = buf; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	progress_clear_line(); /* the message does not run into a progress bar */
	fprintf(stderr, "zpoolbench: %s\n", buf);
}

#define MAX_HOOKS 64

static struct {
	void (*fn)(void *);
	void *arg;
} hooks[MAX_HOOKS];
static volatile int nhooks;

static void run_hooks(void)
{
	while (nhooks > 0) {
		int i = --nhooks;

		if (hooks[i].fn)
			hooks[i].fn(hooks[i].arg);
	}
}

static void at_exit_hooks(void)
{
	run_hooks();
}

/* The hook table changes with the clean-up signals blocked: a handler never sees it half done. */
static void block(sigset_t *old)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &s, old);
}

static void unblock(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

int zpb_cleanup_push(void (*fn)(void *), void *arg)
{
	static bool registered;
	sigset_t old;
	int idx;

	if (!registered) {
		atexit(at_exit_hooks);
		registered = true;
	}
	block(&old);
	if (nhooks == MAX_HOOKS)
		abort();
	hooks[nhooks].fn = fn;
	hooks[nhooks].arg = arg;
	idx = nhooks++;
	unblock(&old);
	return idx;
}

void zpb_cleanup_pop(bool run)
{
	void (*fn)(void *) = NULL;
	void *arg = NULL;
	sigset_t old;

	block(&old);
	if (nhooks > 0) {
		nhooks--;
		fn = hooks[nhooks].fn;
		arg = hooks[nhooks].arg;
	}
	unblock(&old);
	if (run && fn)
		fn(arg);
}

void zpb_cleanup_drop(int idx)
{
	sigset_t old;

	if (idx < 0)
		return;
	block(&old);
	if (idx < nhooks)
		hooks[idx].fn = NULL;
	/* empty hooks on top of the stack go */
	while (nhooks > 0 && !hooks[nhooks - 1].fn)
		nhooks--;
	unblock(&old);
}

int zpb_rename_noreplace(const char *from, const char *to)
{
	if (!renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE))
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
	/* a file system without RENAME_NOREPLACE: link() refuses an existing name too */
	if (link(from, to))
		return -1;
	unlink(from);
	return 0;
}

static void on_signal(int sig)
{
	zpb_interrupted = sig;
	run_hooks();
	signal(sig, SIG_DFL);
	raise(sig);
}

void zpb_install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaddset(&sa.sa_mask, SIGHUP);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* past a file size limit (ulimit -f) a write fails with EFBIG, as on a full disk */
	signal(SIGXFSZ, SIG_IGN);
}

void pattern_fill(void *buf, size_t len, uint64_t seed)
{
	unsigned char *p = buf;
	uint64_t s = seed * 0x9e3779b97f4a7c15ULL + len;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t v = rng_next(&s);

		memcpy(p + i, &v, 8);
	}
	if (i < len) {
		uint64_t v = rng_next(&s);

		memcpy(p + i, &v, len - i);
	}
}

bool pattern_check(const void *buf, size_t len, uint64_t seed)
{
	const unsigned char *p = buf;
	uint64_t s = seed * 0x9e3779b97f4a7c15ULL + len;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t v = rng_next(&s);

		if (memcmp(p + i, &v, 8))
			return false;
	}
	if (i < len) {
		uint64_t v = rng_next(&s);

		if (memcmp(p + i, &v, len - i))
			return false;
	}
	return true;
}

int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t got = pread(fd, p, len, (off_t)off);

		if (got <= 0)
			return -1;
		p += got;
		off += got;
		len -= got;
	}
	return 0;
}

int pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t put = pwrite(fd, p, len, (off_t)off);

		if (put <= 0) {
			if (put == 0)
				errno = EIO;
			return -1;
		}
		p += put;
		off += put;
		len -= put;
	}
	return 0;
}

void zpb_perm_init(struct zpb_perm *p, uint64_t n, uint64_t *rng)
{
	unsigned int bits = 2;

	while (bits < 64 && (1ULL << bits) < n)
		bits += 2;
	p->n = n;
	p->half = bits / 2;
	p->half_mask = p->half == 32 ? UINT32_MAX : (1ULL << p->half) - 1;
	for (int i = 0; i < 4; i++)
		p->key[i] = rng_next(rng);
}

static uint64_t feistel(const struct zpb_perm *p, uint64_t x)
{
	uint64_t l = x >> p->half, r = x & p->half_mask;

	for (int i = 0; i < 4; i++) {
		uint64_t k = r ^ p->key[i], f = rng_next(&k) & p->half_mask, nl = r;

		r = l ^ f;
		l = nl;
	}
	return l << p->half | r;
}

uint64_t zpb_perm_at(const struct zpb_perm *p, uint64_t i)
{
	do
		i = feistel(p, i);
	while (i >= p->n);
	return i;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	/* digits only: strtoull would skip blanks and wrap ' -1' to 2^64 - 1 */
	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

bool progress_enabled(void)
{
	return isatty(STDERR_FILENO);
}

int zpb_exe_dir(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	snprintf(buf, len, "%s", exe);
	return 0;
}

/* 0 if @dir/@file exists (a regular file, or anything when @file is NULL). */
static int has_file(const char *dir, const char *file)
{
	char p[PATH_MAX];
	struct stat st;

	if (snprintf(p, sizeof(p), "%s%s%s", dir, file ? "/" : "", file ? file : "") >=
	    (int)sizeof(p))
		return -1;
	return stat(p, &st) || (file && !S_ISREG(st.st_mode)) ? -1 : 0;
}

/* @out = the first of @a, @b holding @marker; else "@a or @b". */
static int first_of(const char *a, const char *b, const char *marker, char *out, size_t len)
{
	for (int i = 0; i < 2; i++) {
		char real[PATH_MAX];

		if (has_file(i ? b : a, marker))
			continue;
		snprintf(out, len, "%s", realpath(i ? b : a, real) ? real : i ? b : a);
		return 0;
	}
	snprintf(out, len, "%s or %s", a, b);
	return -1;
}

/* The binary's folder (PREFIX/bin, TOP/build) and the one above it (PREFIX, TOP). */
static int exe_dirs(char *dir, char *up, size_t len, char *out, size_t outlen)
{
	char *slash;

	if (zpb_exe_dir(dir, len)) {
		snprintf(out, outlen, "(the program's own folder is unknown: no /proc/self/exe)");
		return -1;
	}
	snprintf(up, len, "%s", dir);
	slash = strrchr(up, '/');
	if (slash)
		*slash = '\0';
	if (!*up)
		snprintf(up, len, "/");
	return 0;
}

int zpb_data_dir(const char *installed, const char *tree, const char *marker, char *out, size_t len)
{
	char dir[PATH_MAX], up[PATH_MAX], a[PATH_MAX], b[PATH_MAX];

	if (exe_dirs(dir, up, sizeof(dir), out, len))
		return -1;
	if (snprintf(a, sizeof(a), "%s/share/zpoolbench/%s", up, installed) >= (int)sizeof(a) ||
	    snprintf(b, sizeof(b), "%s/%s", up, tree) >= (int)sizeof(b)) {
		snprintf(out, len, "(a path longer than PATH_MAX)");
		return -1;
	}
	return first_of(a, b, marker, out, len);
}

int zpb_helper(const char *name, char *out, size_t len)
{
	char dir[PATH_MAX], up[PATH_MAX], a[PATH_MAX], b[PATH_MAX];

	if (exe_dirs(dir, up, sizeof(dir), out, len))
		return -1;
	if (snprintf(a, sizeof(a), "%s/%s", dir, name) >= (int)sizeof(a) ||
	    snprintf(b, sizeof(b), "%s/libexec/zpoolbench/%s", up, name) >= (int)sizeof(b)) {
		snprintf(out, len, "(a path longer than PATH_MAX)");
		return -1;
	}
	return first_of(a, b, NULL, out, len);
}

int zpb_run_workers(int threads, void *(*fn)(void *), void *arg)
{
	pthread_t *tid = threads > 1 ? calloc((size_t)threads - 1, sizeof(*tid)) : NULL;
	int started = 0;

	if (threads > 1 && !tid) {
		errno = ENOMEM;
		return -1;
	}
	for (int t = 1; t < threads; t++)
		if (!pthread_create(&tid[started], NULL, fn, arg))
			started++;
	fn(arg);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	free(tid);
	return 0;
}

int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	/* the CPUs this process may run on (a Slurm task, taskset), if fewer */
	if (!sched_getaffinity(0, sizeof(set), &set) && CPU_COUNT(&set) > 0 &&
	    (n <= 0 || CPU_COUNT(&set) < n))
		n = CPU_COUNT(&set);
	return n > 0 ? (int)n : 1;
}

void zpb_heap_setup(void)
{
#ifdef __GLIBC__
	/* setting either threshold turns off glibc's moving of both */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024);
#endif
}

const char *tmp_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir && *dir ? dir : "/tmp";
}

int anon_tmpfile(const char *name)
{
	int fd;

	fd = open(tmp_dir(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		fd = memfd_create(name, MFD_CLOEXEC);
	return fd;
}
