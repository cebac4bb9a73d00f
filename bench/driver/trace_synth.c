// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_synth.c - see trace_synth.h.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "driver/trace_synth.h"
#include "util.h"

/*
 * Pages per 64-byte bucket of compressed size: corpora/default.pages.zst
 * with lz4:1, same-filled pages left out (5,885 pages; the last bucket
 * holds the pages zram stores raw).
 */
static const uint16_t lz4_sizes[64] = {
	75,  21,  20,  11,  19,	 328, 31,  20,	27,  278, 47,  72,  124, 119, 182, 180,
	128, 110, 125, 165, 112, 179, 274, 147, 118, 131, 214, 230, 200, 140, 120, 126,
	172, 236, 160, 114, 134, 125, 142, 152, 102, 80,  81,  64,  54,	 56,  20,  21,
	15,  15,  4,   4,   3,	 10,  8,   5,	12,  1,	  4,   3,   0,	 0,   0,   15,
};

struct synth {
	const struct synth_params *p;
	struct trace_writer *w;
	uint64_t rng, ops;
	uint32_t cdf[64], total;
	uint64_t *live, nlive;	 /* IDs of live objects */
	uint64_t *empty, nempty; /* empty slots */
	uint64_t *pos;		 /* per slot: its index in live[] or empty[] */
};

static uint32_t draw_size(struct synth *s)
{
	uint32_t x = (uint32_t)rng_below(&s->rng, s->total), b = 0, size;
	uint32_t scale = s->p->page_size / 4096;

	while (s->cdf[b] <= x)
		b++;
	if (b == 63)
		return s->p->page_size; /* stored raw */
	size = (b * 64 + 1 + (uint32_t)rng_below(&s->rng, 64)) * scale;
	return size;
}

static int emit(struct synth *s, char op, uint64_t id, uint32_t size)
{
	struct trace_op o = { .op = op, .id = id, .size = size };

	s->ops++;
	if (trace_writer_op(s->w, &o))
		return -1;
	if (s->p->compact_every && s->ops % s->p->compact_every == 0 && s->ops < s->p->ops) {
		o.op = 'c';
		s->ops++;
		return trace_writer_op(s->w, &o);
	}
	return 0;
}

/* Move slot @id from one dense list to the other. */
static void move(uint64_t *from, uint64_t *nfrom, uint64_t *to, uint64_t *nto, uint64_t *pos,
		 uint64_t id)
{
	uint64_t i = pos[id], last = from[--*nfrom];

	from[i] = last;
	pos[last] = i;
	to[*nto] = id;
	pos[id] = (*nto)++;
}

static int store(struct synth *s, uint64_t id)
{
	move(s->empty, &s->nempty, s->live, &s->nlive, s->pos, id);
	return emit(s, 'a', id, draw_size(s));
}

static int release(struct synth *s, uint64_t id)
{
	move(s->live, &s->nlive, s->empty, &s->nempty, s->pos, id);
	return emit(s, 'f', id, 0);
}

/* One operation of the steady state. */
static int step(struct synth *s)
{
	uint64_t x = rng_below(&s->rng, 8), target = s->p->live;
	uint64_t id;

	/* drift back towards the target: at most an eighth above or below */
	if (s->nlive > target + target / 8 + 1)
		x = 0;
	else if (s->nlive + target / 8 < target || !s->nlive)
		x = 7;
	if (x < 3) { /* free */
		id = s->live[rng_below(&s->rng, s->nlive)];
		return release(s, id);
	}
	if (x < 5 && s->ops + 3 <= s->p->ops) { /* overwrite: free and store one slot */
		id = s->live[rng_below(&s->rng, s->nlive)];
		return release(s, id) || store(s, id);
	}
	id = s->empty[rng_below(&s->rng, s->nempty)];
	return store(s, id);
}

int synth_write(const struct synth_params *p, struct trace_writer *w)
{
	uint64_t slots = 2 * p->live + 2;
	struct synth s = { .p = p, .w = w, .rng = p->seed * 0x9e3779b97f4a7c15ULL + 1 };
	int ret = -1;

	for (int i = 0; i < 64; i++)
		s.cdf[i] = (s.total += lz4_sizes[i]);
	s.live = malloc(slots * sizeof(*s.live));
	s.empty = malloc(slots * sizeof(*s.empty));
	s.pos = malloc(slots * sizeof(*s.pos));
	if (!s.live || !s.empty || !s.pos) {
		snprintf(w->err, sizeof(w->err), "out of memory for %llu slots",
			 (unsigned long long)slots);
		goto out;
	}
	for (uint64_t i = 0; i < slots; i++) {
		s.empty[i] = i;
		s.pos[i] = i;
	}
	s.nempty = slots;
	/* the fill: slots 0, 1, 2 ... as a swap device hands them out */
	for (uint64_t i = 0; i < p->live && s.ops < p->ops; i++)
		if (store(&s, i))
			goto out;
	while (s.ops < p->ops && !zpb_interrupted)
		if (step(&s))
			goto out;
	ret = zpb_interrupted ? -1 : 0;
	if (zpb_interrupted)
		snprintf(w->err, sizeof(w->err), "interrupted");
out:
	free(s.live);
	free(s.empty);
	free(s.pos);
	return ret;
}
