// SPDX-License-Identifier: GPL-2.0-only
/*
 * soak.c - zpb-soak: a long run of verified random operations over every
 * allocator and preset (zcheck_specs()), under the overlap and integrity
 * checker (allocators/check.h), which aborts on the first violation.
 *
 *	zpb-soak [--ops N] [--seed S] [--threads T] [SPEC...]
 *
 * N operations (default 100,000,000) are split evenly over the specs; each
 * spec runs on one pool in one thread, T threads (default: the CPUs) taking
 * specs in turn.  The operation mix (tests/fuzz/opseq.h, opmix_soak) is
 * mostly malloc/free with map accesses, compaction and reclaim about once in
 * 40,000 operations each, and page limits now and then; the live set's cap
 * changes every million operations (64 to 8192 objects) so pools grow and
 * drain.  Guard mode is on: a page an allocator frees is inaccessible until
 * handed out again.  Progress goes to stderr when it is a terminal; the
 * summary, one line per spec, to stdout.
 */
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "opseq.h"
#include "util.h"

#define MAX_SPECS ZCHECK_SPECS_MAX
#define CHUNK 1000000ULL

static char specs[MAX_SPECS][ZPOOL_SPEC_MAX];
static int nspecs;
static uint64_t ops_per_spec, seed = 1;
static int next_spec;	  /* atomic: next spec to take */
static uint64_t ops_done; /* atomic: across threads */
static double spec_secs[MAX_SPECS];
static uint64_t spec_ops[MAX_SPECS];

static void soak_spec(int s)
{
	static const size_t caps[] = { 64, 1024, 4096, 8192 };
	struct opsrc src = { .random = true, .rng = seed * 0x9e3779b97f4a7c15ULL + s };
	uint64_t done = 0, t0 = now_ns(), rng = seed ^ (s * 0xa5a5a5a5ULL);
	char err[256];
	struct zcheck *zc = zcheck_create(specs[s], ZCHECK_GUARD, err, sizeof(err));

	if (!zc) {
		fprintf(stderr, "zpb-soak: %s: %s\n", specs[s], err);
		exit(1);
	}
	while (done < ops_per_spec) {
		uint64_t n = ops_per_spec - done < CHUNK ? ops_per_spec - done : CHUNK;
		size_t cap = caps[rng_below(&rng, 4)];

		n = opseq_run(zc, &src, &opmix_soak, n, cap);
		done += n;
		__atomic_add_fetch(&ops_done, n, __ATOMIC_RELAXED);
		zcheck_verify(zc);
	}
	zcheck_destroy(zc); /* verifies, frees all, checks no page is left */
	spec_ops[s] = done;
	spec_secs[s] = (now_ns() - t0) / 1e9;
}

static void *worker(void *arg)
{
	int s;

	(void)arg;
	while ((s = __atomic_fetch_add(&next_spec, 1, __ATOMIC_RELAXED)) < nspecs)
		soak_spec(s);
	return NULL;
}

static void usage(void)
{
	fprintf(stderr, "usage: zpb-soak [--ops N] [--seed S] [--threads T] [SPEC...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ops", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t total = 100000000ULL, nthreads = sysconf(_SC_NPROCESSORS_ONLN), t0;
	pthread_t th[64];
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_u64(optarg, 1, UINT64_MAX, &total))
				usage();
			break;
		case 's':
			if (parse_u64(optarg, 0, UINT64_MAX, &seed))
				usage();
			break;
		case 't':
			if (parse_u64(optarg, 1, 64, &nthreads))
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind < argc) {
		for (; optind < argc && nspecs < MAX_SPECS; optind++)
			snprintf(specs[nspecs++], ZPOOL_SPEC_MAX, "%s", argv[optind]);
	} else {
		nspecs = zcheck_specs(specs, MAX_SPECS);
	}
	if (nthreads > 64)
		nthreads = 64;
	if (nthreads > (uint64_t)nspecs)
		nthreads = nspecs;
	ops_per_spec = (total + nspecs - 1) / nspecs;

	t0 = now_ns();
	for (uint64_t i = 0; i < nthreads; i++)
		pthread_create(&th[i], NULL, worker, NULL);
	if (progress_enabled()) {
		uint64_t want = ops_per_spec * nspecs, done;

		while ((done = __atomic_load_n(&ops_done, __ATOMIC_RELAXED)) < want) {
			double secs = (now_ns() - t0) / 1e9;
			double rate = secs > 0 ? done / secs : 0;

			fprintf(stderr,
				"\rsoak: %" PRIu64 " / %" PRIu64
				" ops (%2.0f%%), %.2f M ops/s, ETA %.0f s   ",
				done, want, 100.0 * done / want, rate / 1e6,
				rate > 0 ? (want - done) / rate : 0.0);
			usleep(500000);
			if (__atomic_load_n(&next_spec, __ATOMIC_RELAXED) >= nspecs + (int)nthreads)
				break;
		}
		fprintf(stderr, "\r%78s\r", "");
	}
	for (uint64_t i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);

	for (int s = 0; s < nspecs; s++)
		printf("%-34s %12" PRIu64 " ops verified in %7.1f s\n", specs[s], spec_ops[s],
		       spec_secs[s]);
	printf("soak: %" PRIu64
	       " verified operations over %d allocator specs in %.1f s, no violation\n",
	       __atomic_load_n(&ops_done, __ATOMIC_RELAXED), nspecs, (now_ns() - t0) / 1e9);
	return 0;
}
