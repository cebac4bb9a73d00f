// SPDX-License-Identifier: GPL-2.0-only
/*
 * corpus.c - the corpus reader (see corpus.h): map or decompress the pages,
 * check the size, hash them, check the manifest.
 */
#define _GNU_SOURCE /* mremap */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "corpus/corpus.h"
#include "sha256.h"

#define PG CORPUS_PAGE_SIZE

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

/* Sum of the content sizes all frames announce, or ZSTD_CONTENTSIZE_UNKNOWN/ERROR. */
static unsigned long long zstd_content_size(const uint8_t *src, size_t len)
{
	unsigned long long total = 0;

	while (len > 0) {
		unsigned long long fcs = ZSTD_getFrameContentSize(src, len);
		size_t flen = ZSTD_findFrameCompressedSize(src, len);

		if (fcs == ZSTD_CONTENTSIZE_ERROR || ZSTD_isError(flen))
			return ZSTD_CONTENTSIZE_ERROR;
		if (fcs == ZSTD_CONTENTSIZE_UNKNOWN)
			return ZSTD_CONTENTSIZE_UNKNOWN;
		total += fcs;
		src += flen;
		len -= flen;
	}
	return total;
}

static void *map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * Decompress all frames of @src into one anonymous mapping.  The mapping
 * starts at the size the frame headers announce (if they all do) and grows
 * with mremap() otherwise.
 */
static int unzstd(const char *path, const uint8_t *src, size_t srclen, uint8_t **outp,
		  size_t *outlen, size_t *maplen, char *err, size_t errlen)
{
	unsigned long long want = zstd_content_size(src, srclen);
	size_t cap, ret = 0;
	ZSTD_DCtx *dctx;
	ZSTD_inBuffer in = { src, srclen, 0 };
	ZSTD_outBuffer out;
	uint8_t *buf;

	if (want != ZSTD_CONTENTSIZE_ERROR && want != ZSTD_CONTENTSIZE_UNKNOWN && want > 0 &&
	    want < (1ULL << 40))
		cap = (want + PG - 1) / PG * PG + PG; /* one page spare: detects a lying header */
	else
		cap = srclen * 4 < (16u << 20) ? (16u << 20) : (srclen * 4 + PG - 1) / PG * PG;
	buf = map_anon(cap);
	dctx = ZSTD_createDCtx();
	if (!buf || !dctx) {
		snprintf(err, errlen, "%s: out of memory decompressing", path);
		goto fail;
	}
	out = (ZSTD_outBuffer){ buf, cap, 0 };
	for (;;) {
		if (out.pos == out.size) {
			void *nb = mremap(buf, cap, cap * 2, MREMAP_MAYMOVE);

			if (nb == MAP_FAILED) {
				snprintf(err, errlen, "%s: out of memory decompressing", path);
				goto fail;
			}
			buf = nb;
			cap *= 2;
			out.dst = buf;
			out.size = cap;
		}
		ret = ZSTD_decompressStream(dctx, &out, &in);
		if (ZSTD_isError(ret)) {
			snprintf(err, errlen,
				 "%s: corrupt zstd data (%s) after %zu compressed bytes; "
				 "rebuild or re-fetch the file",
				 path, ZSTD_getErrorName(ret), in.pos);
			goto fail;
		}
		/*
		 * All input consumed and either the last frame complete (0) or room
		 * left in the output: the decoder has flushed all it can, so
		 * ret != 0 means the last frame was cut.
		 */
		if (in.pos == in.size && (ret == 0 || out.pos < out.size))
			break;
	}
	if (ret != 0) {
		snprintf(err, errlen,
			 "%s: truncated zstd data (the last frame is incomplete after %zu bytes); "
			 "the file was cut short, rebuild or re-fetch it",
			 path, srclen);
		goto fail;
	}
	ZSTD_freeDCtx(dctx);
	*outp = buf;
	*outlen = out.pos;
	*maplen = cap;
	return 0;
fail:
	ZSTD_freeDCtx(dctx);
	if (buf)
		munmap(buf, cap);
	return -1;
}

/*
 * The hash of the pages.  A file mapping is hashed 64 MiB at a time and each
 * piece dropped from the process again (MADV_DONTNEED; the page cache keeps
 * it), so that opening a corpus of millions of pages does not make them all
 * resident in this process.
 */
static void hash_pages(const uint8_t *data, uint64_t pages, bool file_backed, char hex[65])
{
	const uint64_t piece = 64ULL << 20;
	uint64_t len = pages * PG;
	struct sha256 s;
	uint8_t d[32];

	sha256_init(&s);
	for (uint64_t at = 0; at < len; at += piece) {
		uint64_t n = len - at < piece ? len - at : piece;

		sha256_update(&s, data + at, n);
		if (file_backed)
			madvise((void *)(data + at), n, MADV_DONTNEED);
	}
	sha256_final(&s, d);
	sha256_hex(d, hex);
}

static bool is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static int check_manifest(const struct json *m, const char *mpath, uint64_t pages,
			  const char *sha256, char *err, size_t errlen)
{
	const struct json *v;
	const char *s;
	uint64_t u;

	if (m->type != JSON_OBJECT) {
		snprintf(err, errlen, "%s: the manifest is a JSON %s, not an object", mpath,
			 json_type_name(m->type));
		return -1;
	}
	s = json_str(json_get(m, "format"));
	if (s && strcmp(s, CORPUS_FORMAT)) {
		snprintf(err, errlen, "%s: format is \"%s\", not \"%s\"", mpath, s, CORPUS_FORMAT);
		return -1;
	}
	v = json_get(m, "format_version");
	if (!json_u64(v, &u)) {
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
	v = json_get(m, "page_size");
	if (!json_u64(v, &u)) {
		snprintf(err, errlen, "%s: no integer \"page_size\" (expected %d)", mpath, PG);
		return -1;
	}
	if (u != PG) {
		snprintf(err, errlen, "%s: page_size is %llu, but corpora have %d-byte pages",
			 mpath, (unsigned long long)u, PG);
		return -1;
	}
	v = json_get(m, "pages");
	if (!json_u64(v, &u)) {
		snprintf(err, errlen, "%s: no integer \"pages\" (the page count)", mpath);
		return -1;
	}
	if (u != pages) {
		snprintf(err, errlen,
			 "%s: says %llu pages but the corpus holds %llu; "
			 "the manifest belongs to another file",
			 mpath, (unsigned long long)u, (unsigned long long)pages);
		return -1;
	}
	s = json_str(json_get(m, "sha256"));
	if (!s || !is_hex64(s)) {
		snprintf(err, errlen, "%s: no \"sha256\" of 64 lower-case hex digits", mpath);
		return -1;
	}
	if (strcmp(s, sha256)) {
		snprintf(err, errlen,
			 "%s: sha256 %.12s... does not match the pages (%.12s...); "
			 "the corpus or its manifest was changed",
			 mpath, s, sha256);
		return -1;
	}
	return 0;
}

/* Messages quote manifest strings: control characters become '?' (one line). */
static int one_line(int ret, char *err)
{
	if (ret < 0)
		for (char *c = err; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
	return ret;
}

int corpus_check_manifest(const struct json *m, const char *mpath, uint64_t pages,
			  const char *sha256, char *err, size_t errlen)
{
	return one_line(check_manifest(m, mpath, pages, sha256, err, errlen), err);
}

static int map_file(struct corpus *c, const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint8_t *src;
	size_t len;

	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(err, errlen, "%s: no such corpus file", path);
		else
			snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		snprintf(err, errlen, "%s: cannot stat: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen,
			 "%s: is a directory; give a page file (NAME.pages or NAME.pages.zst)",
			 path);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st.st_size == 0) {
		snprintf(err, errlen, "%s: empty file; a corpus holds at least one %d-byte page",
			 path, PG);
		close(fd);
		return -1;
	}
	len = st.st_size;
	src = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (src == MAP_FAILED) {
		snprintf(err, errlen, "%s: cannot map: %s", path, strerror(errno));
		return -1;
	}
	if (c->compressed) {
		uint8_t *out;
		size_t outlen, maplen;
		int r;

		madvise(src, len, MADV_SEQUENTIAL);
		r = unzstd(path, src, len, &out, &outlen, &maplen, err, errlen);
		munmap(src, len);
		if (r)
			return -1;
		c->data = out;
		c->map_len = maplen;
		len = outlen;
		if (len == 0) {
			snprintf(err, errlen, "%s: empty corpus (decompresses to 0 bytes)", path);
			return -1;
		}
		if (len % PG) {
			snprintf(err, errlen,
				 "%s: decompresses to %zu bytes, not a whole number of %d-byte "
				 "pages (%zu pages + %zu bytes); not a page file",
				 path, len, PG, len / PG, len % PG);
			return -1;
		}
		mprotect(out, maplen, PROT_READ);
	} else {
		c->data = src;
		c->map_len = len;
		if (len % PG) {
			snprintf(err, errlen,
				 "%s: %zu bytes is not a whole number of %d-byte pages "
				 "(%zu pages + %zu bytes); truncated, or not a page file%s",
				 path, len, PG, len / PG, len % PG,
				 len >= 4 && !memcmp(src, "\x28\xb5\x2f\xfd", 4)
					 ? " (it looks like zstd: name it NAME.pages.zst)"
					 : "");
			return -1;
		}
	}
	c->pages = len / PG;
	return 0;
}

int corpus_open(struct corpus *c, const char *path, char *err, size_t errlen)
{
	char merr[512];
	struct stat st;

	memset(c, 0, sizeof(*c));
	if (strlen(path) >= sizeof(c->path)) {
		snprintf(err, errlen, "%.64s...: path too long", path);
		return -1;
	}
	strcpy(c->path, path);
	corpus_name(path, c->name, sizeof(c->name));
	c->compressed = ends_with(path, ".zst");
	if (map_file(c, path, err, errlen))
		goto fail;
	hash_pages(c->data, c->pages, !c->compressed, c->sha256);
	corpus_manifest_path(path, c->manifest_path, sizeof(c->manifest_path));
	if (stat(c->manifest_path, &st) != 0 && errno == ENOENT) {
		c->manifest_path[0] = 0; /* a user corpus: accepted as it is */
	} else {
		c->manifest = json_parse_file(c->manifest_path, merr, sizeof(merr));
		if (!c->manifest) {
			snprintf(err, errlen, "%s (the manifest of %s)", merr, path);
			goto fail;
		}
		if (corpus_check_manifest(c->manifest, c->manifest_path, c->pages, c->sha256, err,
					  errlen))
			goto fail;
	}
	c->source = json_str(json_get(c->manifest, "source"));
	if (!c->source)
		c->source = "unknown";
	c->workload = json_str(json_get(c->manifest, "workload"));
	if (!c->workload)
		c->workload = c->name;
	return 0;
fail:
	corpus_close(c);
	return one_line(-1, err);
}

void corpus_close(struct corpus *c)
{
	if (c->data)
		munmap((void *)c->data, c->map_len);
	json_free(c->manifest);
	memset(c, 0, sizeof(*c));
}
