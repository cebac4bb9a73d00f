// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_snapshot.c - `corpus snapshot` on a child whose memory the test
 * filled: every filled page is found exactly once, untouched and
 * zero-page-mapped pages are not, shared memory only when asked for, the
 * page count equals the kernel's own count of anonymous memory in those
 * mappings, and the child runs again afterwards.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../harness.h"
#include "corpus/snapshot.h"
#include "util.h"

#define PG 4096
#define NFILL 64
#define NSHARED 8
#define SEED_FILL 0xc0ffee000ULL
#define SEED_SHARED 0x5ea4ed000ULL

static pid_t start_child(void)
{
	int fd[2];
	char c;
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid == 0) {
		uint8_t *fill = mmap(NULL, NFILL * PG, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint8_t *untouched = mmap(NULL, 32 * PG, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		volatile uint8_t *readonly = mmap(NULL, 32 * PG, PROT_READ | PROT_WRITE,
						  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint8_t *shared = mmap(NULL, NSHARED * PG, PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		unsigned int sum = 0;

		madvise(fill, NFILL * PG, MADV_NOHUGEPAGE);
		madvise((void *)readonly, 32 * PG, MADV_NOHUGEPAGE);
		for (int i = 0; i < NFILL; i++)
			pattern_fill(fill + i * PG, PG, SEED_FILL + i);
		for (int i = 0; i < 32; i++)
			sum += readonly[i * PG]; /* maps the shared zero page */
		for (int i = 0; i < NSHARED; i++)
			pattern_fill(shared + i * PG, PG, SEED_SHARED + i);
		(void)untouched;
		(void)sum;
		if (write(fd[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fd[1]);
	if (pid < 0 || read(fd[0], &c, 1) != 1) {
		close(fd[0]);
		return -1;
	}
	close(fd[0]);
	return pid;
}

/* Sum of "Anonymous:" over the private writable mappings in /proc/PID/smaps, in pages. */
static long anon_pages(pid_t pid)
{
	char path[64], line[512], perms[8] = "";
	long kb = 0, v;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a, b;

		if (sscanf(line, "%llx-%llx %7s", &a, &b, perms) == 3)
			continue;
		if (sscanf(line, "Anonymous: %ld kB", &v) == 1 && perms[1] == 'w' && perms[3] == 'p')
			kb += v;
	}
	fclose(f);
	return kb / 4;
}

static char child_state(pid_t pid)
{
	char path[64], line[256], s = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "State: %c", &s) == 1)
			break;
	fclose(f);
	return s;
}

static void count_found(const uint8_t *dump, uint64_t pages, uint64_t seed, int n, int *found)
{
	for (int i = 0; i < n; i++)
		found[i] = 0;
	for (uint64_t p = 0; p < pages; p++)
		for (int i = 0; i < n; i++)
			if (pattern_check(dump + p * PG, PG, seed + i))
				found[i]++;
}

static void snap_child(bool shared)
{
	struct snapshot_result res;
	char *buf = NULL, err[512];
	size_t len = 0;
	int found[NFILL], sfound[NSHARED];
	FILE *f;
	pid_t pid;
	long anon;
	int r;

	if (geteuid() != 0)
		SKIP("needs root (page frame numbers in /proc/PID/pagemap, /proc/kpageflags)");
	if (access("/proc/kpageflags", R_OK))
		SKIP("/proc/kpageflags is not readable on this kernel");
	pid = start_child();
	CHECK(pid > 0);
	f = open_memstream(&buf, &len);
	r = snapshot_dump(pid, shared, f, &res, err, sizeof(err));
	fclose(f);
	anon = anon_pages(pid);
	/* SIGCONT may take a moment to be delivered */
	for (int i = 0; i < 1000 && child_state(pid) == 'T'; i++)
		usleep(1000);
	{
		char s = child_state(pid);

		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		if (r)
			zt_fail(__FILE__, __LINE__, "snapshot failed: %s", err);
		CHECK_EQ(r, 0);
		/* running again: sleeping in pause() or just scheduled, never stopped */
		if (s != 'S' && s != 'R')
			zt_fail(__FILE__, __LINE__, "child state '%c' after the snapshot", s);
		CHECK_OK();
	}
	CHECK_EQ(len, res.pages * PG);
	CHECK_STR(res.comm, "zpb-tests");
	count_found((uint8_t *)buf, res.pages, SEED_FILL, NFILL, found);
	for (int i = 0; i < NFILL; i++)
		CHECK_EQ(found[i], 1);
	count_found((uint8_t *)buf, res.pages, SEED_SHARED, NSHARED, sfound);
	for (int i = 0; i < NSHARED; i++)
		CHECK_EQ(sfound[i], shared ? 1 : 0);
	CHECK_EQ(res.pages - res.shared_pages, anon);
	CHECK_EQ(res.shared_pages, shared ? NSHARED : 0);
	CHECK(res.zero_page_maps >= 32);
	free(buf);
}

TEST(snapshot_finds_exactly_the_anonymous_pages)
{
	snap_child(false);
}

TEST(snapshot_shared_memory_on_request)
{
	snap_child(true);
}

TEST(snapshot_refuses_bad_pids)
{
	struct snapshot_result res;
	char err[256];

	CHECK_EQ(snapshot_dump(getpid(), false, stdout, &res, err, sizeof(err)), -1);
	CHECK(strstr(err, "not a process that can be snapshotted"));
	CHECK_EQ(snapshot_dump(1 << 29, false, stdout, &res, err, sizeof(err)), -1);
	CHECK(strstr(err, ": no such process"));
}
