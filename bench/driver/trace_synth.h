/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * trace_synth.h - synthetic size traces of any length: a swap device of
 * 2 x @live slots (IDs are slot numbers, as in zram) filled with @live
 * objects, then kept near that size by random traffic: each operation
 * frees a random live object, stores into a random empty slot, or
 * overwrites a live slot (a free and a store of the same ID), with the
 * pool drifting no further than the live target allows.  Sizes follow the
 * lz4 sizes of the default corpus (64-byte buckets, uniform inside one;
 * the top bucket is a raw page), scaled to the page size.  For benchmarks
 * of the replay path at scale; captured traces are what a fidelity check
 * wants.
 */
#ifndef ZPB_TRACE_SYNTH_H
#define ZPB_TRACE_SYNTH_H

#include <stdint.h>

#include "driver/trace.h"

struct synth_params {
	uint64_t ops;  /* a, f and c operations in all */
	uint64_t live; /* objects the pool holds after the fill, and around which it stays */
	uint64_t seed;
	uint64_t compact_every; /* a compaction every N operations, 0: none */
	uint32_t page_size;
};

/* Write the trace through @w (opened with the same page size).  0, or -1 with @w->err. */
int synth_write(const struct synth_params *p, struct trace_writer *w);

#endif /* ZPB_TRACE_SYNTH_H */
