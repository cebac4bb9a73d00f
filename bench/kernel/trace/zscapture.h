/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zscapture.h - from what zram did to its slots to a size trace (v1).
 *
 * The tracer reports, per write, what zram stored in each slot (an object
 * of SIZE bytes, a same-filled page, or nothing) and, per discard, a sector
 * range.  This module keeps each slot's state and writes the operations an
 * allocator saw:
 *
 *	write, slot held an object      f ID, then the new store
 *	write of an object              a ID SIZE
 *	write of a same-filled page     # same ID   (zram allocates nothing)
 *	discard of a slot with object   f ID        (only whole 4 KiB slots)
 *
 * ID = slot = sector / 8.  Slots freed without any I/O (swap's
 * slot_free_notify) show no event: the tracer finds them by sweeping zram's
 * slot table now and then and reports them with zs_capture_vanish() (an
 * f ID, late by up to one sweep interval).
 */
#ifndef ZSCAPTURE_H
#define ZSCAPTURE_H

#include <stdint.h>
#include <stdio.h>

#include "driver/trace.h"

enum zs_slot_state { ZS_ST_EMPTY, ZS_ST_OBJECT, ZS_ST_SAME };

struct zs_capture {
	struct trace_writer *trace; /* text or binary; NULL: keep state and counts only */
	unsigned char *state;
	uint16_t *size;
	uint64_t nslots;
	/* counts */
	uint64_t stores;     /* a lines */
	uint64_t frees;	     /* f lines */
	uint64_t same;	     /* same-filled writes */
	uint64_t failed;     /* writes that left nothing stored */
	uint64_t huge;	     /* stores of 4096 bytes (page kept uncompressed) */
	uint64_t discarded;  /* slots discarded */
	uint64_t vanished;   /* slots found empty by a sweep (freed without I/O) */
	uint64_t live;	     /* objects live after the last op */
	uint64_t live_bytes; /* their sizes summed */
};

int zs_capture_init(struct zs_capture *c, struct trace_writer *trace);
void zs_capture_release(struct zs_capture *c);
/* @v: size (1..4096), or ZS_SLOT_SAME, or ZS_SLOT_EMPTY.  0, or -1 (no memory). */
int zs_capture_write(struct zs_capture *c, uint64_t slot, unsigned int v);
/* A discard/write-zeroes of @bytes at @sector frees the slots it covers whole. */
int zs_capture_discard(struct zs_capture *c, uint64_t sector, uint64_t bytes);
/* A sweep found @slot empty: free whatever the trace holds there. */
void zs_capture_vanish(struct zs_capture *c, uint64_t slot);

#endif /* ZSCAPTURE_H */
