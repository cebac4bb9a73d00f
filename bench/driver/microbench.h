/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * microbench.h - per-operation cost of the allocators on real compressed
 * objects: what `zpoolbench bench` measures.
 *
 * The object set (struct mb_set) is a list of 4 KiB pages and their
 * compressed bytes: from a page corpus (every page compressed with the
 * codec; same-filled pages, which zram and zswap never store, and pages whose
 * compressed length no benchmarked allocator can take are left out), or from
 * the sizes of a size trace (then each page is synthetic: random bytes
 * followed by zeros, the random part chosen so that the page compresses to
 * the trace's size).
 *
 * Per allocator and repetition (ns per operation, timed as mb_set_timing()
 * says; stores in the objects' own order, as `run` fills, loads and frees in
 * pre-generated random orders):
 *   store	malloc + map(WO) + memcpy of the compressed bytes + unmap
 *   load	map(RO) + memcpy out + unmap
 *   free	free
 *   cstore	compress the page + store as above
 *   cload	map(RO) + decompress from the mapping + unmap
 * Contents are verified after every store phase and every load phase, outside
 * the timed region: a mismatch ends the benchmark with an error.
 */
#ifndef ZPB_MICROBENCH_H
#define ZPB_MICROBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "driver/codec.h"
#include "corpus/corpus.h"
#include "zpool.h"

#define MB_PAGE CODEC_PAGE
#define MB_CBOUND CODEC_BOUND

enum mb_phase { MB_STORE, MB_LOAD, MB_FREE, MB_CSTORE, MB_CLOAD, MB_NPHASES };

extern const char *const mb_phase_names[MB_NPHASES];

struct mb_set {
	uint32_t n;		/* objects */
	const uint8_t **page;	/* original page of each object */
	uint8_t *cdata;		/* compressed bytes of all objects, back to back */
	uint64_t *coff;		/* offset of object i in cdata */
	uint32_t *clen;		/* compressed length of object i */
	uint64_t cbytes;	/* sum of clen */
	uint32_t *order[3];	/* random permutations: store, load, free */
	uint32_t skipped_same;	/* same-filled pages left out */
	uint32_t skipped_large; /* pages/sizes above the cap left out */
	char source[512];	/* one line saying where the objects come from */
	/* owned memory */
	uint8_t *synth;	      /* synthetic pages (trace mode) */
	struct corpus corpus; /* corpus mode */
	bool has_corpus;
};

/*
 * Objects from a size trace: the sizes of its stores, in order, repeated
 * until @n objects (0: as many as the trace has stores).  Sizes above @cap
 * are left out.  0, or -1 with one line in @err.
 */
int mb_set_from_trace(struct mb_set *s, const char *path, struct codec_ctx *cx, uint32_t n,
		      uint32_t cap, uint64_t seed, char *err, size_t errlen);
/*
 * Objects from a page corpus (corpus.h: NAME.pages or NAME.pages.zst, checked
 * against its manifest): up to @n pages (0: all) in a seeded random order,
 * compressed with @cx.  0, or -1 with one line in @err.
 */
int mb_set_from_corpus(struct mb_set *s, const char *path, struct codec_ctx *cx, uint32_t n,
		       uint32_t cap, uint64_t seed, char *err, size_t errlen);
void mb_set_free(struct mb_set *s);

/* The largest object @spec accepts (1..4096), or 0 if the pool cannot be created. */
uint32_t mb_max_size(const char *spec, char *err, size_t errlen);

/* One allocator under test: its pool, kept across repetitions, and its handles. */
struct mb_pool {
	struct zpool *zp;
	unsigned long *h;
};

int mb_pool_init(struct mb_pool *p, const char *spec, const struct mb_set *s, char *err,
		 size_t errlen);
void mb_pool_fini(struct mb_pool *p);
/* Untimed: store everything and free it again, so the pool's memory is faulted in. */
int mb_warm(struct mb_pool *p, const struct mb_set *s, char *err, size_t errlen);
/*
 * One repetition: every phase once; ns per operation into @ns.  The pool is
 * empty before and after.  0, or -1 with one line in @err (an allocator
 * refusal or a data mismatch).
 */
int mb_run(struct mb_pool *p, const struct mb_set *s, struct codec_ctx *cx, double ns[MB_NPHASES],
	   char *err, size_t errlen);

/*
 * How phases are timed.  Per operation (the default): each operation on its
 * own with the TSC (timer.h: fenced, so that it pays for its own stores and
 * misses as an operation between two compressions does, its overhead
 * taken off), the mean over the samples up to p99.9, exactly as `run`
 * times its operations.  In batches: the phase between two reads of the
 * clock, divided by the count: throughput, with consecutive operations
 * overlapping, and means below the timer's resolution; the clock is
 * CLOCK_THREAD_CPUTIME_ID (default: time the thread spent running, user
 * and kernel, so other processes on a shared machine do not count) or
 * CLOCK_MONOTONIC (wall time).
 */
void mb_set_timing(bool per_op);
void mb_set_clock(bool wall);
const char *mb_clock_name(void);
uint64_t mb_now(void);

#endif /* ZPB_MICROBENCH_H */
