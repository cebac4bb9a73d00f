// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_heap.c - zpb_heap_setup(): a block a worker thread freed does not
 * stay resident.
 *
 * glibc, left to itself, raises its mmap threshold to the size of the
 * largest mapped block freed so far; the next block of that size then comes
 * from the thread's arena, and when it is freed the arena keeps it as its top
 * (the trim threshold is twice as high), which malloc_trim(0) does not give
 * back.  That is how a compression worker's zstd context stayed in every
 * later pool's peak RSS.  Each probe runs in a child process, so the suite's
 * own heap is not changed.  The child inherits the suite's arenas, whose free
 * tops may already be resident (an earlier test's zstd contexts, about
 * 9 MiB), so the blocks are 30 MiB (below glibc's 32 MiB limit of the
 * moving threshold): the C library as it is still keeps 21 MiB or more.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../harness.h"
#include "util.h"

#define PROBE_BYTES ((size_t)30 << 20)

static int no_memory;

/* NULL when both blocks were had, else &no_memory */
static void *twice(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2; i++) {
		char *p = malloc(PROBE_BYTES);

		if (!p)
			return &no_memory;
		memset(p, 0x5a, PROBE_BYTES);
		/* the block is used: the compiler may not drop the malloc() and free() */
		__asm__ volatile("" : : "r"(p) : "memory");
		free(p);
	}
	return NULL;
}

static long resident_bytes(void)
{
	long size, resident;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &resident) != 2)
		resident = -1;
	fclose(f);
	return resident < 0 ? -1 : resident * sysconf(_SC_PAGESIZE);
}

/*
 * In a child: MiB still resident after a thread malloc'ed, touched and freed
 * PROBE_BYTES twice, was joined, and malloc_trim(0) ran (0..250); -1 if the
 * probe could not run.
 */
static int probe(int setup)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		pthread_t t;
		void *failed;
		long before, after, mib;

		if (setup)
			zpb_heap_setup();
		before = resident_bytes();
		if (before < 0 || pthread_create(&t, NULL, twice, NULL) ||
		    pthread_join(t, &failed) || failed)
			_exit(255);
		malloc_trim(0);
		after = resident_bytes();
		if (after < 0)
			_exit(255);
		mib = (after - before) >> 20;
		_exit(mib < 0 ? 0 : mib > 250 ? 250 : (int)mib);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) == 255)
		return -1;
	return WEXITSTATUS(status);
}

/* glibc's malloc: a 64 KiB block shows in mallinfo2() (a sanitizer's does not) */
static int glibc_heap(void)
{
	struct mallinfo2 a = mallinfo2(), b;
	void *p = malloc(65536);

	b = mallinfo2();
	__asm__ volatile("" : : "r"(p) : "memory");
	free(p);
	/* in the heap, or mapped on its own if a tunable lowered the threshold */
	return p && b.uordblks + b.hblkhd >= a.uordblks + a.hblkhd + 65536;
}

TEST(heap_worker_block_given_back)
{
	int plain, fixed;

	if (!glibc_heap())
		SKIP("malloc is not glibc's (sanitizer build?): its thresholds are not the ones fixed");
	plain = probe(0);
	fixed = probe(1);
	CHECK(plain >= 0);
	CHECK(fixed >= 0);
	CHECK(fixed <= 1);
	/* the C library as it is keeps the freed block (glibc: 21-30 MiB of it) */
	if (plain < 8)
		SKIP("this C library gives a thread's freed block back by itself: nothing to guard");
}
