// SPDX-License-Identifier: GPL-2.0-only
/*
 * extents.c - see extents.h.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/extents.h"

#define ADDR_LIMIT (1ULL << 63)

void extents_init(struct corpus_extents *e, uint32_t page_size)
{
	memset(e, 0, sizeof(*e));
	e->page_size = page_size;
}

void extents_free(struct corpus_extents *e)
{
	free(e->v);
	extents_init(e, e->page_size);
}

int extents_add(struct corpus_extents *e, uint32_t space, uint64_t addr, uint64_t pages)
{
	struct corpus_extent *last = e->n ? &e->v[e->n - 1] : NULL;

	if (!pages)
		return 0;
	if (last && last->space == space && last->addr + last->pages * e->page_size == addr) {
		last->pages += pages;
		e->pages += pages;
		return 0;
	}
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;
		struct corpus_extent *v = realloc(e->v, cap * sizeof(*v));

		if (!v)
			return -1;
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n++] = (struct corpus_extent){ space, addr, pages };
	e->pages += pages;
	return 0;
}

/* A member of an extent: a non-negative integer below @limit. */
static bool member(const json_t *a, size_t i, uint64_t limit, uint64_t *out)
{
	const json_t *v = json_array_get(a, i);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) >= limit)
		return false;
	*out = (uint64_t)json_integer_value(v);
	return true;
}

int extents_from_manifest(const json_t *m, const char *mpath, uint32_t page_size,
			  uint64_t pages, struct corpus_extents *e, char *err, size_t errlen)
{
	const json_t *list = json_object_get(m, EXTENTS_KEY);
	size_t i;

	extents_init(e, page_size);
	if (!list)
		return 1;
	if (!json_is_array(list)) {
		snprintf(err, errlen, "%s: " EXTENTS_KEY ": not an array of [space, address, pages]",
			 mpath);
		return -1;
	}
	for (i = 0; i < json_array_size(list); i++) {
		const json_t *x = json_array_get(list, i);
		uint64_t space, addr, n;

		if (!json_is_array(x) || json_array_size(x) != 3 || !member(x, 0, 1ULL << 32, &space) ||
		    !member(x, 1, ADDR_LIMIT, &addr) || !member(x, 2, ADDR_LIMIT, &n) || n == 0) {
			snprintf(err, errlen,
				 "%s: " EXTENTS_KEY "[%zu]: not [space, address, pages] with pages > 0",
				 mpath, i);
			goto bad;
		}
		if (addr % page_size) {
			snprintf(err, errlen,
				 "%s: " EXTENTS_KEY "[%zu]: address %llu is not a multiple of the "
				 "page size %u", mpath, i, (unsigned long long)addr, page_size);
			goto bad;
		}
		if (n > pages - e->pages || n > (ADDR_LIMIT - addr) / page_size) {
			snprintf(err, errlen, "%s: " EXTENTS_KEY ": more than the %llu pages of the "
				 "corpus, or past the end of the address space", mpath,
				 (unsigned long long)pages);
			goto bad;
		}
		if (extents_add(e, (uint32_t)space, addr, n)) {
			snprintf(err, errlen, "%s: out of memory", mpath);
			goto bad;
		}
	}
	if (e->pages != pages) {
		snprintf(err, errlen, "%s: " EXTENTS_KEY " cover %llu pages, the corpus holds %llu",
			 mpath, (unsigned long long)e->pages, (unsigned long long)pages);
		goto bad;
	}
	return 0;
bad:
	extents_free(e);
	return -1;
}

void extents_write(struct jw *w, const struct corpus_extents *e)
{
	bool pretty = w->pretty;

	jw_key(w, EXTENTS_KEY);
	jw_arr(w);
	for (size_t i = 0; i < e->n; i++) {
		jw_arr(w); /* on a line of its own, its members on that line */
		w->pretty = false;
		jw_u64(w, e->v[i].space);
		jw_u64(w, e->v[i].addr);
		jw_u64(w, e->v[i].pages);
		jw_end(w);
		w->pretty = pretty;
	}
	jw_end(w);
}

bool extents_present(const json_t *m)
{
	return m && json_object_get(m, EXTENTS_KEY);
}

void extents_write_manifest_without(struct jw *w, const json_t *m)
{
	json_t *copy = json_copy((json_t *)m);

	if (!copy) {
		jw_value(w, m);
		return;
	}
	json_object_del(copy, EXTENTS_KEY);
	jw_value(w, copy);
	json_decref(copy);
}

void extents_cursor_init(struct extents_cursor *cur, const struct corpus_extents *e)
{
	cur->e = e;
	cur->k = 0;
	cur->off = 0;
}

bool extents_next(struct extents_cursor *cur, uint32_t *space, uint64_t *addr)
{
	const struct corpus_extents *e = cur->e;

	while (cur->k < e->n && cur->off == e->v[cur->k].pages) {
		cur->k++;
		cur->off = 0;
	}
	if (cur->k == e->n)
		return false;
	*space = e->v[cur->k].space;
	*addr = e->v[cur->k].addr + cur->off * e->page_size;
	cur->off++;
	return true;
}
