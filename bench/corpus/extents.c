// SPDX-License-Identifier: GPL-2.0-only
/*
 * extents.c - see extents.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus/extents.h"
#include "sha256.h"
#include "util.h"

#define ADDR_LIMIT (1ULL << 63)
#define FILE_BYTES_PER_PAGE 64 /* a file of extents is at most this much per page, and 4 KiB */

const char *const extents_keys[] = { EXTENTS_KEY, EXTENTS_FILE_KEY, EXTENTS_SHA_KEY,
				     EXTENTS_COUNT_KEY, NULL };

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

/* One extent, checked against the page size and what is left of the corpus; -1 with @err. */
static int add_checked(struct corpus_extents *e, const char *where, size_t i, uint64_t space,
		       uint64_t addr, uint64_t n, uint64_t pages, char *err, size_t errlen)
{
	uint32_t page_size = e->page_size;

	if (space >= 1ULL << 32 || addr >= ADDR_LIMIT || n == 0 || n >= ADDR_LIMIT) {
		snprintf(err, errlen, "%s[%zu]: not [space, address, pages] with pages > 0", where,
			 i);
		return -1;
	}
	if (addr % page_size) {
		snprintf(err, errlen, "%s[%zu]: address %llu is not a multiple of the page size %u",
			 where, i, (unsigned long long)addr, page_size);
		return -1;
	}
	if (n > pages - e->pages || n > (ADDR_LIMIT - addr) / page_size) {
		snprintf(err, errlen,
			 "%s: more than the %llu pages of the corpus, or past the end "
			 "of the address space",
			 where, (unsigned long long)pages);
		return -1;
	}
	if (extents_add(e, (uint32_t)space, addr, n)) {
		snprintf(err, errlen, "%s: out of memory", where);
		return -1;
	}
	return 0;
}

/* The file beside manifest @mpath that it names as @name (a plain name, no folder). */
static int file_path(const char *mpath, const char *name, char *out, size_t len)
{
	const char *slash = strrchr(mpath, '/');

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -1;
	if (slash)
		return snprintf(out, len, "%.*s/%s", (int)(slash - mpath), mpath, name) >= (int)len;
	return snprintf(out, len, "%s", name) >= (int)len;
}

/* The extents in the file a manifest names: 0, or -1 with "MPATH: ..." in @err. */
static int from_file(const json_t *m, const char *mpath, uint64_t pages, struct corpus_extents *e,
		     char *err, size_t errlen)
{
	const char *name = json_string_value(json_object_get(m, EXTENTS_FILE_KEY));
	const char *want = json_string_value(json_object_get(m, EXTENTS_SHA_KEY));
	char path[4096], sha[65], where[4200];
	uint64_t limit = pages * FILE_BYTES_PER_PAGE + 4096;
	struct stat st;
	char *buf = NULL, *line, *save;
	size_t i = 0;
	int fd, ret = -1;

	if (!name || file_path(mpath, name, path, sizeof(path))) {
		snprintf(err, errlen,
			 "%s: " EXTENTS_FILE_KEY " is not the name of a file beside it", mpath);
		return -1;
	}
	if (!want || strlen(want) != 64) {
		snprintf(err, errlen, "%s: no " EXTENTS_SHA_KEY " of 64 hex digits for %s", mpath,
			 name);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > limit) {
		snprintf(err, errlen, "%s: its address extents file %s: %s", mpath, path,
			 fd < 0			? strerror(errno)
			 : !S_ISREG(st.st_mode) ? "not a regular file"
						: "larger than it can be");
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf || pread_full(fd, buf, st.st_size, 0)) {
		snprintf(err, errlen, "%s: cannot read %s", mpath, path);
		goto out;
	}
	buf[st.st_size] = '\0';
	sha256_buf_hex(buf, st.st_size, sha);
	if (strcmp(sha, want)) {
		snprintf(err, errlen,
			 "%s: %s has sha256 %.12s..., the manifest says %.12s...; the "
			 "file or the manifest was changed",
			 mpath, path, sha, want);
		goto out;
	}
	snprintf(where, sizeof(where), "%s: %s", mpath, name);
	if (strncmp(buf, EXTENTS_HEADER "\n", strlen(EXTENTS_HEADER) + 1)) {
		snprintf(err, errlen, "%s: not a file of address extents (no '" EXTENTS_HEADER "')",
			 where);
		goto out;
	}
	for (line = strtok_r(buf + strlen(EXTENTS_HEADER) + 1, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), i++) {
		unsigned long long sp, a, n;
		int used = 0;

		if (sscanf(line, "%llu %llu %llu%n", &sp, &a, &n, &used) != 3 || line[used] ||
		    line[0] == '-' || add_checked(e, where, i, sp, a, n, pages, err, errlen)) {
			if (!used || line[used] || line[0] == '-')
				snprintf(err, errlen, "%s[%zu]: not 'SPACE ADDRESS PAGES'", where,
					 i);
			goto out;
		}
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return ret;
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

int extents_from_manifest(const json_t *m, const char *mpath, uint32_t page_size, uint64_t pages,
			  struct corpus_extents *e, char *err, size_t errlen)
{
	const json_t *list = json_object_get(m, EXTENTS_KEY);
	size_t i;

	extents_init(e, page_size);
	if (!list && json_object_get(m, EXTENTS_FILE_KEY)) {
		if (from_file(m, mpath, pages, e, err, errlen))
			goto bad;
		goto check;
	}
	if (!list)
		return 1;
	if (!json_is_array(list)) {
		snprintf(err, errlen,
			 "%s: " EXTENTS_KEY ": not an array of [space, address, pages]", mpath);
		return -1;
	}
	for (i = 0; i < json_array_size(list); i++) {
		const json_t *x = json_array_get(list, i);
		uint64_t space, addr, n;

		char where[4200];

		snprintf(where, sizeof(where), "%s: " EXTENTS_KEY, mpath);
		if (!json_is_array(x) || json_array_size(x) != 3 ||
		    !member(x, 0, 1ULL << 32, &space) || !member(x, 1, ADDR_LIMIT, &addr) ||
		    !member(x, 2, ADDR_LIMIT, &n))
			space = addr = n = ADDR_LIMIT; /* refused below, in the one wording */
		if (add_checked(e, where, i, space, addr, n, pages, err, errlen))
			goto bad;
	}
check:
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

int extents_save(struct corpus_extents *e, const char *mpath)
{
	char path[4096];
	const char *slash;
	struct afile af;
	struct sha256 s;
	uint8_t d[32];
	size_t n = strlen(mpath);

	e->file[0] = '\0';
	if (e->n <= EXTENTS_INLINE_MAX)
		return 0;
	if (n < 5 || strcmp(mpath + n - 5, ".json") ||
	    snprintf(path, sizeof(path), "%.*s.extents", (int)(n - 5), mpath) >= (int)sizeof(path)) {
		zpb_err("%s: no place for the address extents beside it", mpath);
		return -1;
	}
	slash = strrchr(path, '/');
	snprintf(e->file, sizeof(e->file), "%s", slash ? slash + 1 : path);
	if (afile_open(&af, path))
		return -1;
	sha256_init(&s);
	fprintf(af.f, EXTENTS_HEADER "\n");
	sha256_update(&s, EXTENTS_HEADER "\n", strlen(EXTENTS_HEADER) + 1);
	for (size_t i = 0; i < e->n; i++) {
		char line[96];
		int len = snprintf(line, sizeof(line), "%u %llu %llu\n", e->v[i].space,
				   (unsigned long long)e->v[i].addr,
				   (unsigned long long)e->v[i].pages);

		fwrite(line, 1, len, af.f);
		sha256_update(&s, line, len);
	}
	sha256_final(&s, d);
	sha256_hex(d, e->file_sha256);
	if (afile_commit(&af)) {
		e->file[0] = '\0';
		return -1;
	}
	return 0;
}

void extents_write(struct jw *w, const struct corpus_extents *e)
{
	bool pretty = w->pretty;

	if (e->file[0]) {
		jw_key(w, EXTENTS_FILE_KEY);
		jw_str(w, e->file);
		jw_key(w, EXTENTS_SHA_KEY);
		jw_str(w, e->file_sha256);
		jw_key(w, EXTENTS_COUNT_KEY);
		jw_u64(w, e->n);
		return;
	}

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
	return m && (json_object_get(m, EXTENTS_KEY) || json_object_get(m, EXTENTS_FILE_KEY));
}

void extents_write_manifest_without(struct jw *w, const json_t *m)
{
	json_t *copy = json_copy((json_t *)m);

	if (!copy) {
		jw_value(w, m);
		return;
	}
	for (int i = 0; extents_keys[i]; i++)
		json_object_del(copy, extents_keys[i]);
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
