// SPDX-License-Identifier: GPL-2.0-only
/*
 * regroup.c - see regroup.h.  Grouping reads the corpus once as a stream
 * (so its sha256 is checked) into an unlinked temporary file, sorts the
 * pages by (space, address, position), finds the complete aligned groups
 * and writes them, in input order, from the temporary file.
 */
#define _GNU_SOURCE /* O_TMPFILE, memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "corpus/regroup.h"
#include "sha256.h"
#include "util.h"

struct page_at {
	uint64_t addr;
	uint64_t idx; /* position in the input */
	uint32_t space;
};

struct group {
	uint64_t first; /* smallest input position of its pages: the output order */
	uint64_t addr;
	uint32_t space;
	uint64_t idx0; /* index into the sorted array of its first page */
};

static int by_place(const void *a, const void *b)
{
	const struct page_at *x = a, *y = b;

	if (x->space != y->space)
		return x->space < y->space ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static int by_first(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

struct copy_in {
	int fd;
	uint32_t page;
};

static int copy_pages(void *arg, uint64_t first, const uint8_t *pages, uint64_t n)
{
	struct copy_in *ci = arg;

	return pwrite_full(ci->fd, pages, n * ci->page, first * ci->page) ? 1 : 0;
}

/* The output: bytes, digest, count. */
struct writer {
	FILE *out;
	struct sha256 sha;
	uint64_t pages;
};

static int put(struct writer *w, const uint8_t *p, size_t len)
{
	if (fwrite(p, 1, len, w->out) != len)
		return -1;
	sha256_update(&w->sha, p, len);
	return 0;
}

/* Sort the pages by place and find the complete groups: their count, or -1 (memory). */
static int64_t find_groups(struct page_at *pa, uint64_t n, uint32_t from, uint32_t to,
			   struct group **out, struct regroup_result *r)
{
	uint32_t f = to / from;
	struct group *g = malloc((n / f + 1) * sizeof(*g));
	uint64_t ng = 0, i = 0, u = 0;

	if (!g)
		return -1;
	qsort(pa, n, sizeof(*pa), by_place);
	/* first copies only, packed to the front */
	for (i = 0; i < n; i++) {
		if (u && pa[u - 1].space == pa[i].space && pa[u - 1].addr == pa[i].addr) {
			r->duplicates++;
			continue;
		}
		pa[u++] = pa[i];
	}
	for (i = 0; i < u;) {
		uint64_t base = pa[i].addr / to * to, k = i, first = UINT64_MAX;

		while (k < u && pa[k].space == pa[i].space && pa[k].addr / to * to == base) {
			first = pa[k].idx < first ? pa[k].idx : first;
			k++;
		}
		if (k - i == f) {
			g[ng++] = (struct group){ first, base, pa[i].space, i };
			r->grouped += f;
		} else {
			r->partial += k - i;
			r->partial_groups++;
		}
		i = k;
	}
	qsort(g, ng, sizeof(*g), by_first);
	*out = g;
	return (int64_t)ng;
}

static int group_pages(const struct corpus *c, uint32_t to, struct writer *w,
		       struct regroup_result *r, char *err, size_t errlen)
{
	uint32_t from = c->page_size, f = to / from;
	struct corpus_extents ext;
	struct extents_cursor cur;
	struct page_at *pa = NULL;
	struct group *g = NULL;
	struct copy_in ci = { -1, from };
	uint8_t *buf = NULL;
	int64_t ng;
	int ret = -1, e;

	e = extents_from_manifest(c->manifest, c->manifest_path, from, c->pages, &ext, err, errlen);
	if (e < 0)
		return -1;
	if (e > 0) {
		snprintf(err, errlen,
			 "%s: its manifest has no address_extents: where its pages were is not "
			 "known, so no %u-byte page can be built from them (snapshot the process "
			 "with 'zpoolbench corpus snapshot', which records the addresses)",
			 c->path, to);
		return -1;
	}
	pa = malloc(c->pages * sizeof(*pa));
	buf = malloc(to);
	if (!pa || !buf)
		goto oom;
	extents_cursor_init(&cur, &ext);
	for (uint64_t i = 0; i < c->pages; i++) {
		pa[i].idx = i;
		extents_next(&cur, &pa[i].space, &pa[i].addr);
	}
	ng = find_groups(pa, c->pages, from, to, &g, r);
	if (ng < 0)
		goto oom;
	if (ng == 0) {
		snprintf(err, errlen,
			 "%s: no complete group of %u pages at a %u-byte aligned address; no "
			 "%u-byte page can be built from it",
			 c->path, f, to, to);
		goto out;
	}
	ci.fd = anon_tmpfile("zpoolbench-regroup"); /* the input pages */
	if (ci.fd < 0) {
		snprintf(err, errlen, "a temporary file for %s: %s", c->path, strerror(errno));
		goto out;
	}
	e = corpus_for_each(c, copy_pages, &ci, err, errlen);
	if (e > 0)
		snprintf(err, errlen, "a temporary file for %s: %s", c->path, strerror(errno));
	if (e)
		goto out;
	for (int64_t k = 0; k < ng; k++) {
		for (uint32_t j = 0; j < f; j++)
			if (pread_full(ci.fd, buf + j * from, from, pa[g[k].idx0 + j].idx * from)) {
				snprintf(err, errlen, "reading back %s: %s", c->path,
					 strerror(errno ? errno : EIO));
				goto out;
			}
		if (put(w, buf, to) || extents_add(&r->ext, g[k].space, g[k].addr, 1)) {
			snprintf(err, errlen, "writing the %u-byte pages: %s", to,
				 ferror(w->out) ? strerror(errno) : "out of memory");
			goto out;
		}
		w->pages++;
	}
	ret = 0;
	goto out;
oom:
	snprintf(err, errlen, "%s: out of memory", c->path);
out:
	if (ci.fd >= 0)
		close(ci.fd);
	extents_free(&ext);
	free(pa);
	free(g);
	free(buf);
	return ret;
}

struct splitter {
	struct writer *w;
	size_t bytes; /* per input page */
};

/* The bytes stay as they are: each input page is f output pages. */
static int split_pages(void *arg, uint64_t first, const uint8_t *pages, uint64_t n)
{
	struct splitter *s = arg;

	(void)first;
	return put(s->w, pages, n * s->bytes) ? 1 : 0;
}

static int split(const struct corpus *c, uint32_t to, struct writer *w, struct regroup_result *r,
		 char *err, size_t errlen)
{
	uint32_t f = c->page_size / to;
	struct corpus_extents ext;
	struct splitter s = { w, c->page_size };
	int e;

	e = extents_from_manifest(c->manifest, c->manifest_path, c->page_size, c->pages, &ext, err,
				  errlen);
	if (e < 0)
		return -1;
	for (size_t i = 0; i < ext.n; i++)
		if (extents_add(&r->ext, ext.v[i].space, ext.v[i].addr, ext.v[i].pages * f)) {
			extents_free(&ext);
			snprintf(err, errlen, "%s: out of memory", c->path);
			return -1;
		}
	extents_free(&ext);
	e = corpus_for_each(c, split_pages, &s, err, errlen);
	if (e > 0)
		snprintf(err, errlen, "writing the %u-byte pages: %s", to, strerror(errno));
	w->pages = c->pages * f;
	return e ? -1 : 0;
}

int corpus_regroup(const struct corpus *c, uint32_t page, FILE *out, struct regroup_result *r,
		   char *err, size_t errlen)
{
	struct writer w = { .out = out };
	uint8_t d[32];
	int ret;

	memset(r, 0, sizeof(*r));
	r->from_page = c->page_size;
	r->to_page = page;
	extents_init(&r->ext, page);
	if (!corpus_page_size_valid(page)) {
		snprintf(err, errlen, "%u-byte pages: a page size is 4096, 16384 or 65536", page);
		return -1;
	}
	if (page == c->page_size) {
		snprintf(err, errlen, "%s: has %u-byte pages already", c->path, page);
		return -1;
	}
	sha256_init(&w.sha);
	ret = page > c->page_size ? group_pages(c, page, &w, r, err, errlen)
				  : split(c, page, &w, r, err, errlen);
	if (ret) {
		sha256_abort(&w.sha);
		extents_free(&r->ext);
		return -1;
	}
	sha256_final(&w.sha, d);
	sha256_hex(d, r->sha256);
	r->pages = w.pages;
	return 0;
}
