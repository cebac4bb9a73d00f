// SPDX-License-Identifier: GPL-2.0-only
/*
 * zscapture.c - see zscapture.h.
 */
#include <stdlib.h>
#include <string.h>

#include "driver/trace.h"
#include "zscapture.h"
#include "zstrace.h"

int zs_capture_init(struct zs_capture *c, struct trace_writer *trace)
{
	memset(c, 0, sizeof(*c));
	c->trace = trace;
	return 0;
}

void zs_capture_release(struct zs_capture *c)
{
	free(c->state);
	free(c->size);
	c->state = NULL;
	c->size = NULL;
	c->nslots = 0;
}

/* Make room for @slot; slots are numbered densely from 0 (a disk's pages). */
static int grow(struct zs_capture *c, uint64_t slot)
{
	uint64_t n = c->nslots ? c->nslots : 4096;
	unsigned char *st;
	uint16_t *sz;

	if (slot < c->nslots)
		return 0;
	while (n <= slot)
		n *= 2;
	st = realloc(c->state, n);
	if (!st)
		return -1;
	c->state = st;
	sz = realloc(c->size, n * sizeof(*sz));
	if (!sz)
		return -1;
	c->size = sz;
	memset(c->state + c->nslots, ZS_ST_EMPTY, n - c->nslots);
	memset(c->size + c->nslots, 0, (n - c->nslots) * sizeof(*sz));
	c->nslots = n;
	return 0;
}

static void emit(struct zs_capture *c, char op, uint64_t id, uint32_t size)
{
	struct trace_op o = { .op = op, .id = id, .size = size };

	if (c->trace)
		trace_writer_op(c->trace, &o);
}

static void drop(struct zs_capture *c, uint64_t slot)
{
	if (c->state[slot] == ZS_ST_OBJECT) {
		emit(c, 'f', slot, 0);
		c->frees++;
		c->live--;
		c->live_bytes -= c->size[slot];
	}
	c->state[slot] = ZS_ST_EMPTY;
	c->size[slot] = 0;
}

int zs_capture_write(struct zs_capture *c, uint64_t slot, unsigned int v)
{
	unsigned int size = v & ZS_SLOT_SIZE_MASK;

	if (grow(c, slot))
		return -1;
	drop(c, slot);
	if (v & ZS_SLOT_EMPTY || (!(v & ZS_SLOT_SAME) && (size == 0 || size > ZS_PAGE_SIZE))) {
		c->failed++;
		if (c->trace)
			trace_writer_commentf(c->trace, " nothing stored %llu",
					      (unsigned long long)slot);
		return 0;
	}
	if (v & ZS_SLOT_SAME) {
		c->same++;
		c->state[slot] = ZS_ST_SAME;
		if (c->trace)
			trace_writer_commentf(c->trace, " same %llu", (unsigned long long)slot);
		return 0;
	}
	emit(c, 'a', slot, size);
	c->state[slot] = ZS_ST_OBJECT;
	c->size[slot] = size;
	c->stores++;
	c->live++;
	c->live_bytes += size;
	if (size == ZS_PAGE_SIZE)
		c->huge++;
	return 0;
}

int zs_capture_discard(struct zs_capture *c, uint64_t sector, uint64_t bytes)
{
	uint64_t first = (sector + ZS_SECTORS_PER_PAGE - 1) / ZS_SECTORS_PER_PAGE;
	uint64_t end = (sector * 512 + bytes) / ZS_PAGE_SIZE;

	for (uint64_t slot = first; slot < end; slot++) {
		if (slot >= c->nslots)
			break; /* never written: nothing to free */
		if (c->state[slot] != ZS_ST_EMPTY)
			c->discarded++;
		drop(c, slot);
	}
	return 0;
}

void zs_capture_vanish(struct zs_capture *c, uint64_t slot)
{
	if (slot >= c->nslots || c->state[slot] == ZS_ST_EMPTY)
		return;
	c->vanished++;
	drop(c, slot);
}
