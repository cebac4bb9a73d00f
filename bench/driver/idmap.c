// SPDX-License-Identifier: GPL-2.0-only
/*
 * idmap.c - see idmap.h.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "driver/idmap.h"

static inline uint64_t hash64(const struct idmap *m, uint64_t id)
{
	return XXH3_64bits_withSeed(&id, sizeof(id), m->seed);
}

static uint64_t random_seed(void)
{
	struct timespec ts;
	uint64_t s;

	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) == sizeof(s))
		return s;
	/* no entropy yet (early boot): still different per run */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return XXH3_64bits_withSeed(&ts, sizeof(ts), (uint64_t)getpid() << 32 ^ (uintptr_t)&ts);
}

static int alloc_slots(struct idmap *m, uint64_t expect)
{
	uint64_t cap = 64;

	while (cap < expect * 2)
		cap <<= 1;
	m->slots = calloc(cap, sizeof(*m->slots));
	if (!m->slots)
		return -1;
	m->mask = cap - 1;
	m->count = 0;
	return 0;
}

int idmap_init(struct idmap *m, uint64_t expect)
{
	m->seed = random_seed();
	m->probes = 0;
	return alloc_slots(m, expect);
}

void idmap_free(struct idmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

struct idmap_entry *idmap_get(struct idmap *m, uint64_t id)
{
	for (uint64_t i = hash64(m, id) & m->mask;; i = (i + 1) & m->mask) {
		struct idmap_entry *e = &m->slots[i];

		m->probes++;
		if (!e->used)
			return NULL;
		if (e->id == id)
			return e;
	}
}

static int grow(struct idmap *m)
{
	struct idmap old = *m;

	if (alloc_slots(m, (old.mask + 1)))
		return -1;
	for (uint64_t i = 0; i <= old.mask; i++) {
		if (old.slots[i].used) {
			struct idmap_entry *e = idmap_put(m, old.slots[i].id);

			*e = old.slots[i];
		}
	}
	free(old.slots);
	return 0;
}

struct idmap_entry *idmap_put(struct idmap *m, uint64_t id)
{
	uint64_t i;

	if ((m->count + 1) * 10 > (m->mask + 1) * 7 && grow(m))
		return NULL;
	for (i = hash64(m, id) & m->mask; m->slots[i].used; i = (i + 1) & m->mask)
		m->probes++;
	m->probes++;
	m->slots[i].used = 1;
	m->slots[i].id = id;
	m->slots[i].handle = 0;
	m->slots[i].size = 0;
	m->count++;
	return &m->slots[i];
}

void idmap_del(struct idmap *m, struct idmap_entry *e)
{
	uint64_t i = e - m->slots, j = i;

	/* backward-shift: pull later members of the probe run into the hole */
	for (;;) {
		uint64_t home;

		j = (j + 1) & m->mask;
		m->probes++;
		if (!m->slots[j].used)
			break;
		home = hash64(m, m->slots[j].id) & m->mask;
		/* can slot j move to i?  yes if home is not in (i, j] cyclically */
		if (((j - home) & m->mask) >= ((j - i) & m->mask)) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].used = 0;
	m->count--;
}
