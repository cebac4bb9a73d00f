// SPDX-License-Identifier: GPL-2.0-only
/*
 * corpus.c - the corpus reader (see corpus.h): one descriptor per corpus,
 * the pages read as a stream (raw, or decompressed a buffer at a time) and
 * hashed as they are read, the manifest read with jansson.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "corpus/corpus.h"
#include "corpus/extents.h"
#include "util.h"

#define STREAM_BATCH 64 /* pages per buffer of corpus_for_each() */

bool corpus_page_size_valid(uint64_t page)
{
	return page == 4096 || page == 16384 || page == 65536;
}

int corpus_check_view(const struct corpus *c, uint32_t page, char *err, size_t errlen)
{
	if (page == c->page_size)
		return 0;
	if (!corpus_page_size_valid(page)) {
		snprintf(err, errlen, "%s: %u-byte pages: a page size is 4096, 16384 or 65536",
			 c->path, page);
		return -1;
	}
	if (page > c->page_size) {
		snprintf(err, errlen,
			 "%s: has %u-byte pages, not %u; larger pages are address-contiguous "
			 "groups of its pages: build them with 'zpoolbench corpus regroup --page %u' "
			 "from a snapshot that kept addresses",
			 c->path, c->page_size, page, page);
		return -1;
	}
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

void corpus_manifest_path(const char *path, char *out, size_t outlen)
{
	size_t n = strlen(path);

	if (ends_with(path, ".zst"))
		n -= 4;
	if (n >= 6 && !strncmp(path + n - 6, ".pages", 6))
		n -= 6;
	snprintf(out, outlen, "%.*s.json", (int)n, path);
}

static void corpus_name(const char *path, char *out, size_t outlen)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && ends_with(base, ".zst"))
		n -= 4;
	if (n > 6 && !strncmp(base + n - 6, ".pages", 6))
		n -= 6;
	snprintf(out, outlen, "%.*s", (int)n, base);
}

/* Messages quote file names and manifest strings: control characters become '?' (one line). */
static int one_line(int ret, char *err)
{
	if (ret < 0)
		for (char *c = err; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
	return ret;
}

/*
 * Open @path for reading without ever blocking (a FIFO opens at once with
 * O_NONBLOCK and is then refused) and check that it is a regular file.
 * The descriptor, or -1 with errno (ENOENT, EISDIR, EINVAL: not regular).
 */
static int open_regular(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0)
		return -1;
	if (fstat(fd, st)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		errno = S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

/* ---- the manifest ---- */

static bool is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "object";
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
		return "integer";
	case JSON_REAL:
		return "number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	default:
		return "null";
	}
}

/* A non-negative integer member. */
static bool get_u64(const json_t *m, const char *key, uint64_t *out)
{
	const json_t *v = json_object_get(m, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return false;
	*out = (uint64_t)json_integer_value(v);
	return true;
}

/*
 * Everything a manifest says that can be checked before the pages are read:
 * the format, its version, the page size (into *@page_size); the page count
 * into @pages.
 */
static int check_fields(const json_t *m, const char *mpath, uint64_t *pages, uint32_t *page_size,
			char *err, size_t errlen)
{
	const char *s;
	uint64_t u;

	if (!json_is_object(m)) {
		snprintf(err, errlen, "%s: the manifest is a JSON %s, not an object", mpath,
			 type_name(m));
		return -1;
	}
	s = json_string_value(json_object_get(m, "format"));
	if (s && strcmp(s, CORPUS_FORMAT)) {
		/* the value is the file's: quoted up to 40 bytes, whatever its length */
		snprintf(err, errlen, "%s: format is \"%.40s%s\", not \"%s\"", mpath, s,
			 strlen(s) > 40 ? "..." : "", CORPUS_FORMAT);
		return -1;
	}
	if (!get_u64(m, "format_version", &u)) {
		snprintf(err, errlen, "%s: no integer \"format_version\" (expected %d)", mpath,
			 CORPUS_FORMAT_VERSION);
		return -1;
	}
	if (u != CORPUS_FORMAT_VERSION) {
		snprintf(err, errlen,
			 "%s: format_version %llu is not supported (this zpoolbench reads %d)",
			 mpath, (unsigned long long)u, CORPUS_FORMAT_VERSION);
		return -1;
	}
	if (!get_u64(m, "page_size", &u)) {
		snprintf(err, errlen, "%s: no integer \"page_size\" (4096, 16384 or 65536)", mpath);
		return -1;
	}
	if (!corpus_page_size_valid(u)) {
		snprintf(err, errlen,
			 "%s: page_size is %llu, but corpora have pages of 4096, 16384 or 65536 bytes",
			 mpath, (unsigned long long)u);
		return -1;
	}
	*page_size = (uint32_t)u;
	if (!get_u64(m, "pages", pages)) {
		snprintf(err, errlen, "%s: no integer \"pages\" (the page count)", mpath);
		return -1;
	}
	s = json_string_value(json_object_get(m, "sha256"));
	if (!s || !is_hex64(s)) {
		snprintf(err, errlen, "%s: no \"sha256\" of 64 lower-case hex digits", mpath);
		return -1;
	}
	return 0;
}

static int pages_differ(const char *mpath, uint64_t said, uint64_t pages, char *err, size_t errlen)
{
	snprintf(err, errlen,
		 "%s: says %llu pages but the corpus holds %llu; the manifest belongs to another file",
		 mpath, (unsigned long long)said, (unsigned long long)pages);
	return -1;
}

static int check_manifest(const json_t *m, const char *mpath, uint64_t pages, const char *sha256,
			  char *err, size_t errlen)
{
	struct corpus_extents ext;
	uint32_t page_size;
	uint64_t said;
	const char *s;

	if (check_fields(m, mpath, &said, &page_size, err, errlen))
		return -1;
	if (said != pages)
		return pages_differ(mpath, said, pages, err, errlen);
	s = json_string_value(json_object_get(m, "sha256"));
	if (strcmp(s, sha256)) {
		snprintf(err, errlen,
			 "%s: sha256 %.12s... does not match the pages (%.12s...); "
			 "the corpus or its manifest was changed",
			 mpath, s, sha256);
		return -1;
	}
	if (extents_from_manifest(m, mpath, page_size, pages, &ext, err, errlen) < 0)
		return -1;
	extents_free(&ext);
	return 0;
}

int corpus_check_manifest(const json_t *m, const char *mpath, uint64_t pages, const char *sha256,
			  char *err, size_t errlen)
{
	return one_line(check_manifest(m, mpath, pages, sha256, err, errlen), err);
}

json_t *corpus_parse_manifest(const char *mpath, const void *text, size_t len, char *err,
			      size_t errlen)
{
	json_error_t je;
	json_t *m;

	/* repeated keys refused, as in allocator and front-end specs; NUL never accepted */
	m = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!m) {
		snprintf(err, errlen, "%s: line %d, column %d: %s", mpath, je.line, je.column,
			 je.text);
		one_line(-1, err);
	}
	return m;
}

json_t *corpus_read_manifest(const char *mpath, char *err, size_t errlen)
{
	struct stat st;
	char *buf;
	json_t *m;
	int fd = open_regular(mpath, &st);

	if (fd < 0) {
		if (errno == EINVAL)
			snprintf(err, errlen,
				 "%s: not a regular file (a device, FIFO or socket); a manifest is a "
				 "JSON file",
				 mpath);
		else
			snprintf(err, errlen, "%s: cannot read: %s", mpath, strerror(errno));
		one_line(-1, err);
		return NULL;
	}
	if (st.st_size > CORPUS_MANIFEST_MAX) {
		snprintf(err, errlen, "%s: %llu bytes, more than a manifest holds (at most %u)",
			 mpath, (unsigned long long)st.st_size, CORPUS_MANIFEST_MAX);
		close(fd);
		one_line(-1, err);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf || (st.st_size && pread_full(fd, buf, st.st_size, 0))) {
		snprintf(err, errlen, "%s: cannot read: %s", mpath,
			 buf ? (errno ? strerror(errno) : "shorter than its size")
			     : "out of memory");
		free(buf);
		close(fd);
		one_line(-1, err);
		return NULL;
	}
	close(fd);
	m = corpus_parse_manifest(mpath, buf, st.st_size, err, errlen);
	free(buf);
	return m;
}

/* ---- streams ---- */

int corpus_stream_open(struct corpus_stream *s, const struct corpus *c, char *err, size_t errlen)
{
	return corpus_stream_open_view(s, c, c->page_size, err, errlen);
}

int corpus_stream_open_view(struct corpus_stream *s, const struct corpus *c, uint32_t page,
			    char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	if (corpus_check_view(c, page, err, errlen))
		return one_line(-1, err);
	s->c = c;
	s->page = page;
	s->max_pages = corpus_view_pages(c, page);
	sha256_init(&s->sha);
	if (!c->compressed)
		return 0;
	s->in_cap = ZSTD_DStreamInSize();
	s->in = malloc(s->in_cap);
	s->dctx = ZSTD_createDCtx();
	if (!s->in || !s->dctx) {
		snprintf(err, errlen, "%s: out of memory decompressing", c->path);
		corpus_stream_close(s);
		return -1;
	}
	return 0;
}

void corpus_stream_close(struct corpus_stream *s)
{
	sha256_abort(&s->sha);
	ZSTD_freeDCtx(s->dctx);
	free(s->in);
	s->dctx = NULL;
	s->in = NULL;
}

static int changed(const struct corpus_stream *s, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen,
		 "%s: changed while zpoolbench was reading it (%s); nothing was measured on it: "
		 "leave the file alone during a run and run again",
		 s->c->path, what);
	return -1;
}

static int64_t read_raw(struct corpus_stream *s, uint8_t *buf, uint64_t n, char *err, size_t errlen)
{
	const struct corpus *c = s->c;
	uint64_t left = corpus_view_pages(c, s->page) - s->pages;

	if (n > left)
		n = left;
	if (n && pread_full(c->fd, buf, n * s->page, s->pages * s->page)) {
		if (errno && errno != EIO)
			snprintf(err, errlen, "%s: read error: %s", c->path, strerror(errno));
		else
			changed(s, "it is shorter than when it was opened", err, errlen);
		return -1;
	}
	return (int64_t)n;
}

/* Decompress into @buf up to @n pages; -1 with @err. */
static int64_t read_zstd(struct corpus_stream *s, uint8_t *buf, uint64_t n, char *err, size_t errlen)
{
	const struct corpus *c = s->c;
	ZSTD_outBuffer out;

	/* with a limit, one page more than it allows is enough to know */
	if (s->max_pages && n > s->max_pages + 1 - s->pages)
		n = s->max_pages + 1 - s->pages;
	out = (ZSTD_outBuffer){ buf, n * s->page, 0 };
	while (out.pos < out.size) {
		ZSTD_inBuffer in;
		size_t ret, before_out = out.pos;

		if (s->in_pos == s->in_len && !s->in_eof) {
			ssize_t got = pread(c->fd, s->in, s->in_cap, (off_t)s->in_off);

			if (got < 0) {
				snprintf(err, errlen, "%s: read error: %s", c->path,
					 strerror(errno));
				return -1;
			}
			s->in_off += got;
			s->in_len = got;
			s->in_pos = 0;
			s->in_eof = got == 0;
		}
		in = (ZSTD_inBuffer){ s->in, s->in_len, s->in_pos };
		ret = ZSTD_decompressStream(s->dctx, &out, &in);
		if (ZSTD_isError(ret)) {
			snprintf(err, errlen,
				 "%s: corrupt zstd data (%s) after %llu compressed bytes; "
				 "rebuild or re-fetch the file",
				 c->path, ZSTD_getErrorName(ret),
				 (unsigned long long)(s->in_off - s->in_len + in.pos));
			return -1;
		}
		if (in.pos == s->in_pos && out.pos == before_out) {
			/* no progress: the input is used up (a call without input says nothing) */
			if (s->in_eof)
				break;
			continue;
		}
		s->in_pos = in.pos;
		s->zret = ret;
	}
	if (out.pos < out.size && s->zret != 0) {
		snprintf(err, errlen,
			 "%s: truncated zstd data (the last frame is incomplete after %llu bytes); "
			 "the file was cut short, rebuild or re-fetch it",
			 c->path, (unsigned long long)s->in_off);
		return -1;
	}
	/* a whole number of pages, and at the end of the data of the corpus's own pages */
	if (out.pos % s->page ||
	    (out.pos < out.size && (s->pages * s->page + out.pos) % c->page_size)) {
		uint64_t len = s->pages * s->page + out.pos;

		snprintf(err, errlen,
			 "%s: decompresses to %llu bytes, not a whole number of %u-byte "
			 "pages (%llu pages + %llu bytes); not a page file",
			 c->path, (unsigned long long)len, c->page_size,
			 (unsigned long long)(len / c->page_size),
			 (unsigned long long)(len % c->page_size));
		return -1;
	}
	return (int64_t)(out.pos / s->page);
}

int64_t corpus_stream_read(struct corpus_stream *s, uint8_t *buf, uint64_t n, char *err,
			   size_t errlen)
{
	int64_t got = s->c->compressed ? read_zstd(s, buf, n, err, errlen)
				       : read_raw(s, buf, n, err, errlen);

	if (got <= 0)
		return one_line(got, err);
	if (s->max_pages && s->pages + got > s->max_pages) {
		if (s->c->manifest_path[0] && !s->c->sha256[0])
			snprintf(err, errlen,
				 "%s: decompresses to more than the %llu pages its manifest %s says; "
				 "the manifest belongs to another file",
				 s->c->path, (unsigned long long)s->max_pages, s->c->manifest_path);
		else
			changed(s, "it holds more pages than when it was opened", err, errlen);
		return one_line(-1, err);
	}
	sha256_update(&s->sha, buf, (size_t)got * s->page);
	s->pages += got;
	return got;
}

int corpus_stream_finish(struct corpus_stream *s, char *err, size_t errlen)
{
	char hex[65];

	sha256_final(&s->sha, s->digest);
	sha256_hex(s->digest, hex);
	if (s->pages != corpus_view_pages(s->c, s->page)) {
		char what[96];

		snprintf(what, sizeof(what), "%llu pages now, %llu before",
			 (unsigned long long)s->pages,
			 (unsigned long long)corpus_view_pages(s->c, s->page));
		return one_line(changed(s, what, err, errlen), err);
	}
	if (strcmp(hex, s->c->sha256)) {
		char what[96];

		snprintf(what, sizeof(what), "sha256 %.12s... now, %.12s... before", hex,
			 s->c->sha256);
		return one_line(changed(s, what, err, errlen), err);
	}
	return 0;
}

int corpus_for_each(const struct corpus *c,
		    int (*fn)(void *arg, uint64_t first, const uint8_t *pages, uint64_t n),
		    void *arg, char *err, size_t errlen)
{
	return corpus_for_each_view(c, c->page_size, fn, arg, err, errlen);
}

int corpus_for_each_view(const struct corpus *c, uint32_t page,
			 int (*fn)(void *arg, uint64_t first, const uint8_t *pages, uint64_t n),
			 void *arg, char *err, size_t errlen)
{
	struct corpus_stream s;
	size_t len = (size_t)STREAM_BATCH * page;
	uint8_t *buf;
	int ret = -1;

	if (corpus_check_view(c, page, err, errlen))
		return one_line(-1, err);
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		snprintf(err, errlen, "%s: out of memory", c->path);
		return -1;
	}
	if (corpus_stream_open_view(&s, c, page, err, errlen))
		goto out;
	for (;;) {
		uint64_t first = s.pages;
		int64_t n = corpus_stream_read(&s, buf, STREAM_BATCH, err, errlen);

		if (n < 0)
			goto close;
		if (n == 0)
			break;
		ret = fn(arg, first, buf, (uint64_t)n);
		if (ret)
			goto close;
		ret = -1;
	}
	ret = corpus_stream_finish(&s, err, errlen);
close:
	corpus_stream_close(&s);
out:
	munmap(buf, len);
	return ret;
}

int corpus_cycle_next(struct corpus_cycle *cy, const struct corpus *c, uint8_t *page, char *err,
		      size_t errlen)
{
	for (int round = 0; round < 2; round++) {
		int64_t got;

		if (!cy->open) {
			if (corpus_stream_open(&cy->st, c, err, errlen))
				return -1;
			cy->open = true;
		}
		got = corpus_stream_read(&cy->st, page, 1, err, errlen);
		if (got < 0)
			return -1;
		if (got == 1)
			return 0;
		/* the end: check the round, start the next */
		cy->open = false;
		if (corpus_stream_finish(&cy->st, err, errlen)) {
			corpus_stream_close(&cy->st);
			return -1;
		}
		corpus_stream_close(&cy->st);
	}
	snprintf(err, errlen, "%s: no pages", c->path);
	return -1;
}

void corpus_cycle_close(struct corpus_cycle *cy)
{
	if (cy->open)
		corpus_stream_close(&cy->st);
	cy->open = false;
}

/* ---- opening ---- */

static int open_file(struct corpus *c, const char *path, char *err, size_t errlen)
{
	struct stat st;

	c->fd = open_regular(path, &st);
	if (c->fd < 0) {
		if (errno == ENOENT)
			snprintf(err, errlen, "%s: no such corpus file", path);
		else if (errno == EISDIR)
			snprintf(err, errlen,
				 "%s: is a directory; give a page file (NAME.pages or NAME.pages.zst)",
				 path);
		else if (errno == EINVAL)
			snprintf(err, errlen,
				 "%s: not a regular file (a device, FIFO or socket); give a page file",
				 path);
		else
			snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	c->file_size = st.st_size;
	if (st.st_size == 0) {
		snprintf(err, errlen, "%s: empty file; a corpus holds at least one %u-byte page",
			 path, c->page_size);
		return -1;
	}
	return 0;
}

/* A raw corpus: a whole number of pages of the page size its manifest gives. */
static int count_raw_pages(struct corpus *c, char *err, size_t errlen)
{
	uint32_t pg = c->page_size;
	uint8_t magic[4] = { 0 };

	if (c->file_size % pg == 0) {
		c->pages = c->file_size / pg;
		return 0;
	}
	if (pread(c->fd, magic, 4, 0) != 4)
		magic[0] = 0;
	snprintf(err, errlen,
		 "%s: %llu bytes is not a whole number of %u-byte pages "
		 "(%llu pages + %llu bytes); truncated, or not a page file%s",
		 c->path, (unsigned long long)c->file_size, pg,
		 (unsigned long long)(c->file_size / pg), (unsigned long long)(c->file_size % pg),
		 !memcmp(magic, "\x28\xb5\x2f\xfd", 4)
			 ? " (it looks like zstd: name it NAME.pages.zst)"
			 : "");
	return -1;
}

/* The first pass: count (zstd) and hash the pages, bounded by the manifest's count. */
static int hash_pass(struct corpus *c, uint64_t limit, char *err, size_t errlen)
{
	struct corpus_stream s;
	size_t len = (size_t)STREAM_BATCH * c->page_size;
	uint8_t *buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ret = -1;

	if (buf == MAP_FAILED) {
		snprintf(err, errlen, "%s: out of memory", c->path);
		return -1;
	}
	if (corpus_stream_open(&s, c, err, errlen))
		goto out;
	s.max_pages = c->compressed ? limit : c->pages;
	for (;;) {
		int64_t n = corpus_stream_read(&s, buf, STREAM_BATCH, err, errlen);

		if (n < 0)
			goto close;
		if (n == 0)
			break;
	}
	if (c->compressed && s.pages == 0) {
		snprintf(err, errlen, "%s: empty corpus (decompresses to 0 bytes)", c->path);
		goto close;
	}
	c->pages = s.pages;
	sha256_final(&s.sha, s.digest);
	sha256_hex(s.digest, c->sha256);
	ret = 0;
close:
	corpus_stream_close(&s);
out:
	munmap(buf, len);
	return ret;
}

/* The manifest beside the corpus, if there is one: its fields checked, its page count in *said. */
static int read_manifest(struct corpus *c, uint64_t *said, char *err, size_t errlen)
{
	char merr[1024];
	struct stat st;

	corpus_manifest_path(c->path, c->manifest_path, sizeof(c->manifest_path));
	if (lstat(c->manifest_path, &st) != 0 && errno == ENOENT) {
		c->manifest_path[0] = 0; /* a user corpus: accepted as it is */
		return 0;
	}
	c->manifest = corpus_read_manifest(c->manifest_path, merr, sizeof(merr));
	if (!c->manifest) {
		snprintf(err, errlen, "%s (the manifest of %s)", merr, c->path);
		return -1;
	}
	if (check_fields(c->manifest, c->manifest_path, said, &c->page_size, err, errlen))
		return -1;
	if (*said == 0) {
		snprintf(err, errlen, "%s: says 0 pages; a corpus holds at least one page",
			 c->manifest_path);
		return -1;
	}
	return 0;
}

int corpus_open(struct corpus *c, const char *path, char *err, size_t errlen)
{
	uint64_t said = 0;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->page_size = CORPUS_PAGE_SIZE;
	if (strlen(path) >= sizeof(c->path)) {
		snprintf(err, errlen, "%.64s...: path too long", path);
		return one_line(-1, err);
	}
	strcpy(c->path, path);
	corpus_name(path, c->name, sizeof(c->name));
	c->compressed = ends_with(path, ".zst");
	if (open_file(c, path, err, errlen))
		goto fail;
	/* the manifest first: its page size cuts the file, its count bounds a .zst */
	if (read_manifest(c, &said, err, errlen))
		goto fail;
	if (!c->compressed) {
		if (count_raw_pages(c, err, errlen))
			goto fail;
		if (c->manifest && said != c->pages) {
			pages_differ(c->manifest_path, said, c->pages, err, errlen);
			goto fail;
		}
	}
	if (hash_pass(c, c->manifest ? said : 0, err, errlen))
		goto fail;
	if (c->manifest &&
	    check_manifest(c->manifest, c->manifest_path, c->pages, c->sha256, err, errlen))
		goto fail;
	c->source = json_string_value(json_object_get(c->manifest, "source"));
	if (!c->source)
		c->source = "unknown";
	c->workload = json_string_value(json_object_get(c->manifest, "workload"));
	if (!c->workload)
		c->workload = c->name;
	return 0;
fail:
	corpus_close(c);
	return one_line(-1, err);
}

void corpus_close(struct corpus *c)
{
	if (c->fd >= 0)
		close(c->fd);
	json_decref(c->manifest);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}
