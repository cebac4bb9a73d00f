// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_ops.c - operation sequences on one allocator, under the checker.
 *
 * The input decodes to malloc/free/map/compact/shrink/limit operations
 * (tests/fuzz/opseq.h) run on a checked pool (allocators/check.h: overlap,
 * pool pages, content after every move, accounting); any violation aborts.
 *
 * ZPB_FUZZ_ALLOC=SPEC picks the allocator (one fuzzing run per allocator
 * and preset, see tests/fuzz/run.sh); without it the first input byte picks
 * one of zcheck_specs().  ZPB_FUZZ_LIST=1 prints those specs and exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "opseq.h"

#define MAX_SPECS ZCHECK_SPECS_MAX
#define FUZZ_MAX_LIVE 256

static char specs[MAX_SPECS][ZPOOL_SPEC_MAX];
static int nspecs;
static const char *fixed_spec;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *list = getenv("ZPB_FUZZ_LIST");
	char err[256];
	struct zcheck *zc;

	(void)argc;
	(void)argv;
	nspecs = zcheck_specs(specs, MAX_SPECS);
	if (list && *list && strcmp(list, "0")) {
		for (int i = 0; i < nspecs; i++)
			printf("%s\n", specs[i]);
		exit(0);
	}
	fixed_spec = getenv("ZPB_FUZZ_ALLOC");
	if (fixed_spec && !*fixed_spec)
		fixed_spec = NULL;
	if (fixed_spec) {
		zc = zcheck_create(fixed_spec, 0, err, sizeof(err));
		if (!zc) {
			fprintf(stderr, "fuzz_ops: ZPB_FUZZ_ALLOC: %s\n", err);
			exit(2);
		}
		zcheck_destroy(zc);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opsrc src = { .p = data, .n = size };
	const char *spec = fixed_spec;
	struct zcheck *zc;
	char err[256];

	if (!spec) {
		if (!size || !nspecs)
			return 0;
		spec = specs[data[0] % nspecs];
		src.p++;
		src.n--;
	}
	zc = zcheck_create(spec, ZCHECK_GUARD, err, sizeof(err));
	if (!zc) {
		fprintf(stderr, "fuzz_ops: %s\n", err);
		abort();
	}
	opseq_run(zc, &src, &opmix_fuzz, 0, FUZZ_MAX_LIVE);
	zcheck_destroy(zc);
	return 0;
}
