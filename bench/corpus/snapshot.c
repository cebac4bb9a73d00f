// SPDX-License-Identifier: GPL-2.0-only
/*
 * snapshot.c - see snapshot.h.  /proc/PID/maps gives the mappings,
 * /proc/PID/pagemap one 64-bit entry per virtual page, /proc/kpageflags one
 * 64-bit flag word per physical page (Documentation/admin-guide/mm/pagemap.rst),
 * /proc/PID/mem the bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "sha256.h"
#include "corpus/snapshot.h"
#include "util.h"

#define PM_PRESENT (1ULL << 63)
#define PM_FILE (1ULL << 61) /* file page or shared anonymous */
#define PM_PFN_MASK ((1ULL << 55) - 1)
#define KPF_ZERO_PAGE 24
#define BATCH 512 /* pages per pagemap read and per /proc/PID/mem read */

struct mapping {
	uint64_t start, end;
	char perms[5];
	uint64_t inode;
	char path[512];
};

struct dumper {
	pid_t pid;
	int mem, pagemap, kflags;
	FILE *out;
	struct sha256 sha;
	struct snapshot_result *res;
	size_t pg;    /* the kernel's page size */
	uint8_t *buf; /* BATCH pages */
	char *err;
	size_t errlen;
};

static pid_t stopped_pid;

static void resume_target(void *arg)
{
	(void)arg;
	if (stopped_pid > 0)
		kill(stopped_pid, SIGCONT);
	stopped_pid = 0;
}

/* The state letter of /proc/PID/stat, or 0. */
static char proc_state(pid_t pid, char *comm, size_t commlen)
{
	char path[64], buf[512], *l, *r;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	l = strchr(buf, '(');
	r = strrchr(buf, ')');
	if (!l || !r || r[1] != ' ')
		return 0;
	if (comm)
		snprintf(comm, commlen, "%.*s", (int)(r - l - 1), l + 1);
	return r[2];
}

static int wait_stopped(pid_t pid)
{
	for (int i = 0; i < 5000; i++) {
		char s = proc_state(pid, NULL, 0);

		if (s == 'T' || s == 't')
			return 0;
		if (s == 0 || s == 'Z' || s == 'X')
			return -1;
		usleep(1000);
	}
	return -1;
}

static bool parse_maps_line(const char *line, struct mapping *m)
{
	unsigned long long start, end, off, inode;
	char perms[5], dev[16];
	int pos = 0;

	if (sscanf(line, "%llx-%llx %4s %llx %15s %llu %n", &start, &end, perms, &off, dev, &inode,
		   &pos) < 6)
		return false;
	m->start = start;
	m->end = end;
	memcpy(m->perms, perms, 5);
	m->inode = inode;
	snprintf(m->path, sizeof(m->path), "%s", pos ? line + pos : "");
	m->path[strcspn(m->path, "\n")] = 0;
	return true;
}

static bool is_shmem_like(const struct mapping *m)
{
	return !strncmp(m->path, "/SYSV", 5) || !strncmp(m->path, "/dev/zero", 9) ||
	       !strncmp(m->path, "/memfd:", 7) || !strncmp(m->path, "/dev/shm/", 9) ||
	       !strcmp(m->path, "[anon_shmem]") || (m->inode && !m->path[0]);
}

static int emit(struct dumper *d, uint64_t addr, size_t npages)
{
	size_t len = npages * d->pg;
	ssize_t n = pread(d->mem, d->buf, len, (off_t)addr);

	if (n != (ssize_t)len) {
		snprintf(d->err, d->errlen, "reading /proc/%d/mem at 0x%llx: %s", (int)d->pid,
			 (unsigned long long)addr, n < 0 ? strerror(errno) : "short read");
		return -1;
	}
	if (fwrite(d->buf, 1, len, d->out) != len) {
		snprintf(d->err, d->errlen, "writing the dump: %s", strerror(errno));
		return -1;
	}
	sha256_update(&d->sha, d->buf, len);
	if (extents_add(&d->res->ext, 0, addr, npages)) {
		snprintf(d->err, d->errlen, "out of memory");
		return -1;
	}
	d->res->pages += npages;
	return 0;
}

static bool is_zero_page(struct dumper *d, uint64_t pfn)
{
	uint64_t flags;

	if (pread(d->kflags, &flags, 8, (off_t)(pfn * 8)) != 8)
		return false;
	return flags >> KPF_ZERO_PAGE & 1;
}

/* Private writable mapping: resident anonymous pages per pagemap. */
static int dump_private(struct dumper *d, const struct mapping *m, bool *used)
{
	uint64_t pm[BATCH];

	for (uint64_t a = m->start; a < m->end;) {
		size_t n = (m->end - a) / d->pg < BATCH ? (m->end - a) / d->pg : BATCH;
		ssize_t got = pread(d->pagemap, pm, n * 8, (off_t)(a / d->pg * 8));
		size_t run = 0;

		if (got != (ssize_t)(n * 8)) {
			snprintf(d->err, d->errlen, "reading /proc/%d/pagemap: %s", (int)d->pid,
				 got < 0 ? strerror(errno) : "short read");
			return -1;
		}
		for (size_t i = 0; i <= n; i++) {
			bool take = false;

			if (i < n && (pm[i] & PM_PRESENT) && !(pm[i] & PM_FILE)) {
				uint64_t pfn = pm[i] & PM_PFN_MASK;

				if (pfn == 0) {
					snprintf(d->err, d->errlen,
						 "/proc/%d/pagemap shows no page frame numbers; "
						 "run as root",
						 (int)d->pid);
					return -1;
				}
				if (is_zero_page(d, pfn))
					d->res->zero_page_maps++;
				else
					take = true;
			}
			if (take) {
				run++;
				continue;
			}
			if (run) {
				if (emit(d, a + (i - run) * d->pg, run))
					return -1;
				*used = true;
				run = 0;
			}
		}
		a += n * d->pg;
	}
	return 0;
}

/* Shared writable shmem-like mapping: residency of the object via mincore. */
static int dump_shared(struct dumper *d, const struct mapping *m, bool *used)
{
	char path[128];
	size_t len = m->end - m->start, npg = len / d->pg;
	unsigned char *vec = NULL;
	void *map = MAP_FAILED;
	int fd, ret = -1;

	snprintf(path, sizeof(path), "/proc/%d/map_files/%llx-%llx", (int)d->pid,
		 (unsigned long long)m->start, (unsigned long long)m->end);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(d->err, d->errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	vec = malloc(npg);
	map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (!vec || map == MAP_FAILED || mincore(map, len, vec)) {
		snprintf(d->err, d->errlen, "%s: cannot map for mincore: %s", path, strerror(errno));
		goto out;
	}
	for (size_t i = 0, run = 0; i <= npg; i++) {
		if (i < npg && (vec[i] & 1) && run < BATCH) {
			run++;
			continue;
		}
		if (run) {
			uint64_t before = d->res->pages;

			if (emit(d, m->start + (i - run) * d->pg, run))
				goto out;
			d->res->shared_pages += d->res->pages - before;
			*used = true;
		}
		run = i < npg && (vec[i] & 1);
	}
	ret = 0;
out:
	if (map != MAP_FAILED)
		munmap(map, len);
	free(vec);
	return ret;
}

static int dump_all(struct dumper *d, bool shared)
{
	char path[64], line[1024];
	struct mapping m;
	FILE *maps;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)d->pid);
	maps = fopen(path, "re");
	if (!maps) {
		snprintf(d->err, d->errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (!ret && fgets(line, sizeof(line), maps)) {
		bool used = false;

		if (zpb_interrupted) {
			snprintf(d->err, d->errlen, "interrupted");
			ret = -1;
			break;
		}
		if (!parse_maps_line(line, &m) || m.perms[1] != 'w')
			continue;
		if (m.perms[3] == 'p')
			ret = dump_private(d, &m, &used);
		else if (shared && m.perms[3] == 's' && is_shmem_like(&m))
			ret = dump_shared(d, &m, &used);
		d->res->mappings += used;
	}
	fclose(maps);
	return ret;
}

static int open_proc(pid_t pid, const char *what, char *err, size_t errlen)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		snprintf(err, errlen, "%s: %s%s", path, strerror(errno),
			 errno == EACCES || errno == EPERM ? " (snapshots need root)" : "");
	return fd;
}

int snapshot_dump(pid_t pid, bool shared, FILE *out, struct snapshot_result *res, char *err,
		  size_t errlen)
{
	struct dumper d = { .pid = pid,
			    .mem = -1,
			    .pagemap = -1,
			    .kflags = -1,
			    .out = out,
			    .res = res,
			    .err = err,
			    .errlen = errlen };
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t digest[32];
	int ret = -1;

	memset(res, 0, sizeof(*res));
	d.pg = pg > 0 ? (size_t)pg : 4096;
	res->page_size = (uint32_t)d.pg;
	extents_init(&res->ext, res->page_size);
	if (pid <= 1 || pid == getpid()) {
		snprintf(err, errlen, "pid %d: not a process that can be snapshotted", (int)pid);
		return -1;
	}
	if (!proc_state(pid, res->comm, sizeof(res->comm))) {
		snprintf(err, errlen, "pid %d: no such process", (int)pid);
		return -1;
	}
	d.kflags = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (d.kflags < 0) {
		snprintf(err, errlen, "/proc/kpageflags: %s (snapshots need root)", strerror(errno));
		return -1;
	}
	d.buf = malloc(BATCH * d.pg);
	if (!d.buf) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	/* stop first, then resume on every path: the hook covers signals and exit() */
	stopped_pid = pid;
	zpb_cleanup_push(resume_target, NULL);
	if (kill(pid, SIGSTOP)) {
		snprintf(err, errlen, "pid %d: cannot stop it: %s", (int)pid, strerror(errno));
		goto resume;
	}
	if (wait_stopped(pid)) {
		snprintf(err, errlen, "pid %d: did not stop (exited?)", (int)pid);
		goto resume;
	}
	d.mem = open_proc(pid, "mem", err, errlen);
	d.pagemap = d.mem < 0 ? -1 : open_proc(pid, "pagemap", err, errlen);
	if (d.mem < 0 || d.pagemap < 0)
		goto resume;
	sha256_init(&d.sha);
	if (dump_all(&d, shared))
		goto resume;
	if (res->pages == 0) {
		snprintf(err, errlen, "pid %d: no resident anonymous pages found", (int)pid);
		goto resume;
	}
	sha256_final(&d.sha, digest);
	sha256_hex(digest, res->sha256);
	ret = 0;
resume:
	sha256_abort(&d.sha); /* a digest not finished */
	zpb_cleanup_pop(true);
out:
	if (d.mem >= 0)
		close(d.mem);
	if (d.pagemap >= 0)
		close(d.pagemap);
	close(d.kflags);
	free(d.buf);
	if (ret)
		extents_free(&res->ext);
	return ret;
}
