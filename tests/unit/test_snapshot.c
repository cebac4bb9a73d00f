// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_snapshot.c - `corpus snapshot` on a child whose memory the test
 * filled: every filled page is found exactly once, untouched and
 * zero-page-mapped pages are not, shared memory only when asked for, the
 * page count equals the kernel's own count of anonymous memory in those
 * mappings, the child runs again afterwards, the manifest's address extents
 * put every filled page at its address, and the 16 KiB pages regrouped from
 * the snapshot are the filled pages, four by four.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../harness.h"
#include "corpus/regroup.h"
#include "corpus/snapshot.h"
#include "util.h"

#define PG 4096
#define NFILL 64
#define NSHARED 8
#define SEED_FILL 0xc0ffee000ULL
#define SEED_SHARED 0x5ea4ed000ULL

/* The child's filled pages are at *fill_addr (16 KiB aligned). */
static pid_t start_child(uint64_t *fill_addr)
{
	int fd[2];
	uint64_t c;
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid == 0) {
		uint8_t *area = mmap(NULL, NFILL * PG + 16384, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint8_t *fill = (uint8_t *)(((uintptr_t)area + 16383) & ~(uintptr_t)16383);
		uint64_t at = (uintptr_t)fill;
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
		if (write(fd[1], &at, sizeof(at)) != sizeof(at))
			_exit(1);
		for (;;)
			pause();
	}
	close(fd[1]);
	if (pid < 0 || read(fd[0], &c, sizeof(c)) != sizeof(c)) {
		close(fd[0]);
		return -1;
	}
	close(fd[0]);
	*fill_addr = c;
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

/* Every filled page at its address: the extents say where file page k was. */
static void check_addresses(const uint8_t *dump, const struct corpus_extents *e, uint64_t fill)
{
	struct extents_cursor cur;
	uint32_t space;
	uint64_t addr, k = 0;
	int seen = 0;

	extents_cursor_init(&cur, e);
	while (extents_next(&cur, &space, &addr)) {
		if (space != 0)
			zt_fail(__FILE__, __LINE__, "page %llu in space %u", (unsigned long long)k,
				space);
		for (int i = 0; i < NFILL; i++) {
			if (!pattern_check(dump + k * PG, PG, SEED_FILL + i))
				continue;
			seen++;
			if (addr != fill + (uint64_t)i * PG)
				zt_fail(__FILE__, __LINE__, "filled page %d at 0x%llx, not 0x%llx",
					i, (unsigned long long)addr,
					(unsigned long long)(fill + (uint64_t)i * PG));
		}
		k++;
	}
	if (seen != NFILL)
		zt_fail(__FILE__, __LINE__, "%d filled pages found through the extents", seen);
}

static void write_extents(struct jw *w, void *arg)
{
	extents_write(w, arg);
}

/* The snapshot regrouped: the filled pages, four by four, are 16 KiB pages of it. */
static void check_regroup(const char *dump, size_t len, struct snapshot_result *res)
{
	char path[64], mpath[64], err[512], *out = NULL;
	struct regroup_result r;
	struct corpus c;
	size_t olen = 0;
	FILE *f;
	int groups = 0;

	snprintf(path, sizeof(path), "/tmp/zpb-test-snap.%d.pages", (int)getpid());
	snprintf(mpath, sizeof(mpath), "/tmp/zpb-test-snap.%d.json", (int)getpid());
	f = fopen(path, "w");
	fwrite(dump, 1, len, f);
	fclose(f);
	if (corpus_write_manifest(mpath, res->page_size, res->pages, res->sha256, true,
				  write_extents, &res->ext) ||
	    corpus_open(&c, path, err, sizeof(err))) {
		zt_fail(__FILE__, __LINE__, "the snapshot as a corpus: %s", err);
		goto out;
	}
	f = open_memstream(&out, &olen);
	if (corpus_regroup(&c, 16384, f, &r, err, sizeof(err))) {
		fclose(f);
		corpus_close(&c);
		zt_fail(__FILE__, __LINE__, "regroup: %s", err);
		goto out;
	}
	fclose(f);
	corpus_close(&c);
	for (uint64_t k = 0; k < r.pages; k++) {
		for (int g = 0; g < NFILL / 4; g++) {
			bool all = true;

			for (int j = 0; j < 4; j++)
				all = all && pattern_check(out + k * 16384 + j * PG, PG,
							   SEED_FILL + 4 * g + j);
			groups += all;
		}
	}
	if (groups != NFILL / 4)
		zt_fail(__FILE__, __LINE__, "%d of the %d filled 16 KiB groups regrouped", groups,
			NFILL / 4);
	extents_free(&r.ext);
out:
	free(out);
	unlink(path);
	unlink(mpath);
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
	uint64_t fill = 0;
	FILE *f;
	pid_t pid;
	long anon;
	int r;

	if (geteuid() != 0)
		SKIP("needs root (page frame numbers in /proc/PID/pagemap, /proc/kpageflags)");
	if (access("/proc/kpageflags", R_OK))
		SKIP("/proc/kpageflags is not readable on this kernel");
	if (sysconf(_SC_PAGESIZE) != PG)
		SKIP("the test child's pages are laid out for a 4 KiB kernel");
	pid = start_child(&fill);
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
	CHECK_EQ(res.page_size, PG);
	CHECK_EQ(res.ext.pages, res.pages);
	check_addresses((uint8_t *)buf, &res.ext, fill);
	CHECK_OK();
	check_regroup(buf, len, &res);
	CHECK_OK();
	extents_free(&res.ext);
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
