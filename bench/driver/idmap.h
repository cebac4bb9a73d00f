/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * idmap.h - a hash map from 64-bit object IDs (trace IDs, zram slots) to
 * what the driver keeps per live object: the handle and the size.
 * Linear probing with backward-shift deletion: no tombstones, so long churn
 * does not degrade it.  The hash is XXH3-64 keyed with a random seed drawn
 * per map (getrandom), so IDs chosen to collide (a trace is input) cannot
 * make it quadratic: which IDs collide depends on a seed no input knows.
 * @probes counts the slots looked at, for tests.
 */
#ifndef ZPB_IDMAP_H
#define ZPB_IDMAP_H

#include <stdbool.h>
#include <stdint.h>

struct idmap_entry {
	uint64_t id;
	unsigned long handle;
	uint32_t size;
	uint32_t used; /* 1 if the slot holds an entry */
};

struct idmap {
	struct idmap_entry *slots;
	uint64_t mask; /* capacity - 1, capacity a power of two */
	uint64_t count;
	uint64_t seed;	 /* the hash key, random per map */
	uint64_t probes; /* slots examined by get, put and del so far */
};

int idmap_init(struct idmap *m, uint64_t expect);
void idmap_free(struct idmap *m);
struct idmap_entry *idmap_get(struct idmap *m, uint64_t id);
/* Insert a new entry for @id (which must not be present); NULL if out of memory. */
struct idmap_entry *idmap_put(struct idmap *m, uint64_t id);
void idmap_del(struct idmap *m, struct idmap_entry *e);

#define idmap_for_each(m, e)                                         \
	for ((e) = (m)->slots; (e) <= (m)->slots + (m)->mask; (e)++) \
		if ((e)->used)

#endif /* ZPB_IDMAP_H */
