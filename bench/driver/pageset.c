// SPDX-License-Identifier: GPL-2.0-only
/*
 * pageset.c - see pageset.h.  Both passes over a corpus (building the
 * compressed pages, or checking a cache entry against the corpus) share one
 * pipeline: a worker takes the stream's lock, reads the next batch of pages
 * from the corpus (in order, so the stream hashes them in order), lets go,
 * and works on the batch alone: compressing it into a local buffer and
 * writing it at the end of the data area (room reserved with one atomic
 * add), or decompressing the cached bytes of each page and comparing them
 * with the page just read.  The main thread works too.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/pageset.h"
#include "progress.h"
#include "util.h"

#define BATCH 64 /* pages a worker takes at a time */

void *table_alloc(size_t bytes)
{
	void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (bytes >= (2u << 20))
		madvise(p, bytes, MADV_HUGEPAGE);
	return p;
}

void table_free(void *p, size_t bytes)
{
	if (p)
		munmap(p, bytes ? bytes : 1);
}

int pageset_data(const struct pageset *ps, uint64_t i, uint8_t *buf)
{
	const struct cpage *p = &ps->pg[i];

	return pread_full(ps->fd, buf, p->len, ps->data_off + p->off);
}

bool pageset_is_page(const struct pageset *ps, uint64_t i, const uint8_t *page)
{
	const struct cpage *p = &ps->pg[i];
	uint64_t word;

	if (p->same) {
		for (uint32_t k = 0; k < ps->page; k += 8) {
			memcpy(&word, page + k, 8);
			if (word != p->sum)
				return false;
		}
		return true;
	}
	return ccache_page_sum(page, ps->page, false, 0) == p->sum;
}

int pageset_page(const struct pageset *ps, uint64_t i, struct codec_ctx *cx, uint8_t *page)
{
	uint8_t stackbuf[CODEC_BOUND], *buf = stackbuf;
	struct codec_ctx *own = NULL;
	int ret = -1;

	if (ps->pg[i].same) {
		for (uint32_t k = 0; k < ps->page; k += 8)
			memcpy(page + k, &ps->pg[i].sum, 8);
		return 0;
	}
	if (ps->pg[i].len > sizeof(stackbuf) && !(buf = malloc(ps->pg[i].len)))
		return -1;
	if (!cx)
		cx = own = codec_ctx_new(&ps->codec);
	if (cx && !pageset_data(ps, i, buf) &&
	    !codec_decompress_buf(cx, buf, ps->pg[i].len, page, ps->page) &&
	    pageset_is_page(ps, i, page))
		ret = 0;
	if (own)
		codec_ctx_free(own);
	if (buf != stackbuf)
		free(buf);
	return ret;
}

/* ---- the pipeline ---- */

struct pass {
	struct pageset *ps;
	bool verify;	      /* check the cache entry, or build */
	pthread_mutex_t lock; /* the stream */
	struct corpus_stream st;
	bool eof, stream_failed;
	char stream_err[1024];
	uint64_t end;	  /* bytes of the data area reserved so far (atomic) */
	int64_t bad_page; /* a page the codec failed on / that does not match, or -1 */
	int io_errno;	  /* writing (build) or reading (verify) the data */
	bool oom;
};

static bool pass_stop(struct pass *p)
{
	return zpb_interrupted || __atomic_load_n(&p->oom, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&p->io_errno, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&p->bad_page, __ATOMIC_RELAXED) >= 0;
}

/* The next batch of pages into @in: the index of its first page and *n, or -1 at the end. */
static int64_t next_batch(struct pass *p, uint8_t *in, uint64_t *n)
{
	int64_t first = -1, got;

	pthread_mutex_lock(&p->lock);
	if (!p->eof && !p->stream_failed && !pass_stop(p)) {
		first = (int64_t)p->st.pages;
		got = corpus_stream_read(&p->st, in, BATCH, p->stream_err, sizeof(p->stream_err));
		if (got < 0)
			p->stream_failed = true;
		else if (got == 0)
			p->eof = true;
		if (got <= 0)
			first = -1;
		*n = got > 0 ? (uint64_t)got : 0;
	}
	pthread_mutex_unlock(&p->lock);
	return first;
}

static void fail_page(struct pass *p, uint64_t i)
{
	int64_t none = -1;

	__atomic_compare_exchange_n(&p->bad_page, &none, (int64_t)i, false, __ATOMIC_RELAXED,
				    __ATOMIC_RELAXED);
}

/* Compress @n pages and write them at the end of the data area. */
static int build_batch(struct pass *p, struct codec_ctx *cx, uint64_t first, uint64_t n,
		       const uint8_t *in, uint8_t *out)
{
	struct pageset *ps = p->ps;
	size_t bound = codec_bound(ps->page);
	uint32_t local[BATCH];
	uint64_t used = 0, at;

	for (uint64_t k = 0; k < n; k++) {
		struct cpage *c = &ps->pg[first + k];
		const uint8_t *page = in + k * ps->page;
		uint64_t t0, word, ns;
		int len;

		c->same = same_filled(page, ps->page, &word);
		c->sum = ccache_page_sum(page, ps->page, c->same, word);
		t0 = now_ns();
		len = codec_compress_buf(cx, page, ps->page, out + used, bound);
		ns = now_ns() - t0;
		c->comp_ns = ns < UINT32_MAX ? (uint32_t)ns : UINT32_MAX;
		if (len <= 0 || (size_t)len > bound) {
			fail_page(p, first + k);
			return -1;
		}
		c->len = (uint32_t)len;
		local[k] = (uint32_t)used;
		used += len;
	}
	at = __atomic_fetch_add(&p->end, used, __ATOMIC_RELAXED);
	for (uint64_t k = 0; k < n; k++)
		ps->pg[first + k].off = at + local[k];
	if (pwrite_full(ps->fd, out, used, ps->data_off + at)) {
		__atomic_store_n(&p->io_errno, errno ? errno : EIO, __ATOMIC_RELAXED);
		return -1;
	}
	return 0;
}

/* Every cached page of the batch decompresses to the page read now. */
static int verify_batch(struct pass *p, struct codec_ctx *cx, uint64_t first, uint64_t n,
			const uint8_t *in, uint8_t *out)
{
	struct pageset *ps = p->ps;
	uint8_t *cbuf = out + ps->page;

	for (uint64_t k = 0; k < n; k++) {
		const struct cpage *c = &ps->pg[first + k];
		const uint8_t *page = in + k * ps->page;
		uint64_t word;
		bool same = same_filled(page, ps->page, &word);

		if (c->same != same || c->sum != ccache_page_sum(page, ps->page, same, word)) {
			fail_page(p, first + k);
			return -1;
		}
		if (pageset_data(ps, first + k, cbuf)) {
			__atomic_store_n(&p->io_errno, errno ? errno : EIO, __ATOMIC_RELAXED);
			return -1;
		}
		if (codec_decompress_buf(cx, cbuf, c->len, out, ps->page) ||
		    memcmp(out, page, ps->page)) {
			fail_page(p, first + k);
			return -1;
		}
	}
	return 0;
}

static void *pass_worker(void *arg)
{
	struct pass *p = arg;
	struct codec_ctx *cx = codec_ctx_new(&p->ps->codec);
	size_t inlen = (size_t)BATCH * p->ps->page, outlen = BATCH * codec_bound(p->ps->page);
	/* buffers mapped, not from the heap: a run leaves the heap as it found it */
	uint8_t *in = table_alloc(inlen), *out = table_alloc(outlen);
	uint64_t n;
	int64_t first;

	if (!cx || !in || !out) {
		__atomic_store_n(&p->oom, true, __ATOMIC_RELAXED);
		goto out;
	}
	while ((first = next_batch(p, in, &n)) >= 0) {
		if (p->verify ? verify_batch(p, cx, first, n, in, out)
			      : build_batch(p, cx, first, n, in, out))
			break;
		progress_add(n);
	}
out:
	if (cx)
		codec_ctx_free(cx);
	table_free(in, inlen);
	table_free(out, outlen);
	return NULL;
}

enum { PASS_OK = 0, PASS_FAIL = -1, PASS_CACHE = -2 /* the cache file is at fault */ };

/*
 * One pass over the corpus: build (compress into ps->fd) or verify.
 * PASS_OK; PASS_FAIL with @err (the corpus, the codec, memory: the run
 * fails); PASS_CACHE with @err naming what is wrong with the cache file or
 * the file being written (the caller goes on without it).
 */
static int run_pass(struct pageset *ps, bool verify, int threads, char *err, size_t errlen)
{
	struct pass p = { .ps = ps, .verify = verify, .bad_page = -1 };
	uint64_t t0 = now_ns(), nbatches = (ps->n + BATCH - 1) / BATCH;
	int ret = PASS_FAIL;

	if ((uint64_t)threads > nbatches)
		threads = (int)nbatches;
	if (threads < 1)
		threads = 1;
	pthread_mutex_init(&p.lock, NULL);
	if (corpus_stream_open_view(&p.st, ps->corpus, ps->page, err, errlen)) {
		pthread_mutex_destroy(&p.lock);
		return PASS_FAIL;
	}
	if (zpb_run_workers(threads, pass_worker, &p)) {
		snprintf(err, errlen, "out of memory compressing %s", ps->corpus->path);
		goto out;
	}
	if (!verify)
		ps->wall_ns = now_ns() - t0;
	if (p.stream_failed) {
		snprintf(err, errlen, "%s", p.stream_err);
	} else if (zpb_interrupted) {
		snprintf(err, errlen, "interrupted");
	} else if (p.oom) {
		snprintf(err, errlen, "out of memory compressing %s with %s", ps->corpus->path,
			 ps->codec.name);
	} else if (p.bad_page >= 0 && !verify) {
		snprintf(err, errlen, "%s: codec %s failed on page %lld", ps->corpus->path,
			 ps->codec.name, (long long)p.bad_page);
	} else if (p.bad_page >= 0 || p.io_errno) {
		/* finish reading first: a corpus that changed is the corpus's fault */
		uint8_t *buf = table_alloc((size_t)BATCH * ps->page);
		int64_t got = 1;

		while (buf && got > 0)
			got = corpus_stream_read(&p.st, buf, BATCH, err, errlen);
		table_free(buf, (size_t)BATCH * ps->page);
		if (got < 0 || corpus_stream_finish(&p.st, err, errlen))
			goto out;
		if (p.io_errno)
			snprintf(err, errlen, "%s: %s", verify ? "cannot read it" : "cannot write",
				 strerror(p.io_errno));
		else
			snprintf(err, errlen, "does not match the corpus (page %lld)",
				 (long long)p.bad_page);
		ret = PASS_CACHE;
	} else if (!corpus_stream_finish(&p.st, err, errlen)) {
		ret = PASS_OK;
	}
out:
	corpus_stream_close(&p.st);
	pthread_mutex_destroy(&p.lock);
	if (ret == PASS_OK && !verify)
		ps->data_bytes = p.end;
	return ret;
}

/* mkdir -p for the cache folder; 0 or -1 */
static int make_dirs(const char *path)
{
	char buf[4096];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

/* A note on stderr about the cache; the run goes on. */
#define NOTE(ps, ...) zpb_err("compression cache " __VA_ARGS__)

/*
 * Build the page set into @path's cache file (NULL: an unnamed temporary
 * file).  0; -1 with @err (the run fails); -2 with @err when the cache
 * file could not be written (the caller builds without it).
 */
static int build(struct pageset *ps, const char *path, int threads, char *err, size_t errlen)
{
	struct ccache_writer w;
	struct ccache_header hdr;
	int r;

	if (ccache_create(&w, path) < 0) {
		r = PASS_CACHE;
		snprintf(err, errlen, "cannot write: %s", strerror(errno));
		goto out;
	}
	ps->fd = w.fd;
	r = run_pass(ps, false, threads, err, errlen);
	if (r != PASS_OK) {
		ccache_abort(&w);
		ps->fd = -1;
		goto out;
	}
	memset(&hdr, 0, sizeof(hdr));
	hdr.page_size = ps->page;
	hdr.pages = ps->n;
	hdr.data_bytes = ps->data_bytes;
	hdr.wall_ns = ps->wall_ns;
	snprintf(hdr.codec, sizeof(hdr.codec), "%s", ps->codec.name);
	snprintf(hdr.sha256, sizeof(hdr.sha256), "%s", ps->corpus->sha256);
	if (ccache_commit(&w, &hdr, ps->pg, threads)) {
		r = PASS_CACHE;
		snprintf(err, errlen, "cannot write: %s", strerror(errno));
		ps->fd = -1; /* closed by the writer */
	}
out:
	if (r == PASS_CACHE && !path) { /* no cache to go without: the run fails */
		char why[256];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "the compressed pages of %s: temporary file: %s",
			 ps->corpus->path, why);
		r = PASS_FAIL;
	}
	return r;
}

/* Use the cache entry at ps->cache_path if it checks out: true, or false after a note. */
static bool use_cached(struct pageset *ps, int threads, int *fatal, char *err, size_t errlen)
{
	struct ccache_header hdr;
	char why[1024];
	int r;

	*fatal = 0;
	ps->fd = ccache_open(ps->cache_path, ps->corpus->sha256, ps->codec.name, ps->page, ps->n,
			     &hdr, ps->pg, threads, why, sizeof(why));
	if (ps->fd < 0) {
		if (why[0])
			NOTE(ps, "%s: %s; rebuilding it", ps->cache_path, why);
		return false;
	}
	ps->wall_ns = hdr.wall_ns;
	ps->data_bytes = hdr.data_bytes;
	r = run_pass(ps, true, threads, err, errlen);
	if (r == PASS_OK)
		return true;
	close(ps->fd);
	ps->fd = -1;
	if (r == PASS_FAIL)
		*fatal = 1;
	else
		NOTE(ps, "%s: %s; rebuilding it", ps->cache_path, err);
	return false;
}

/*
 * The cache file's path in @dir, or "" after a note if there is none to
 * be had (no folder, a name too long, a folder that cannot be made, a
 * directory or another non-file at the path).
 */
static void pick_cache_path(struct pageset *ps, const char *cache_dir)
{
	char dir[4096];
	struct stat st;
	int r = ccache_dir(cache_dir, dir, sizeof(dir));

	ps->cache_path[0] = '\0';
	if (r == -2) {
		NOTE(ps,
		     "folder: the name is longer than %zu characters; running without the "
		     "cache",
		     sizeof(dir) - 1);
		return;
	}
	if (r || !dir[0])
		return; /* "off", or no folder can be named */
	if (ccache_path(dir, ps->corpus->sha256, ps->codec.name, ps->page, ps->cache_path,
			sizeof(ps->cache_path))) {
		NOTE(ps,
		     "folder %.64s...: the file name would be longer than %zu characters; "
		     "running without the cache",
		     dir, sizeof(ps->cache_path) - 33);
		return;
	}
	if (!lstat(ps->cache_path, &st) && !S_ISREG(st.st_mode)) {
		NOTE(ps, "%s: not a regular file (%s); running without the cache", ps->cache_path,
		     S_ISDIR(st.st_mode)    ? "a directory"
		     : S_ISFIFO(st.st_mode) ? "a FIFO"
		     : S_ISLNK(st.st_mode)  ? "a symbolic link"
					    : "a device or socket");
		ps->cache_path[0] = '\0';
		return;
	}
	if (make_dirs(dir)) {
		NOTE(ps, "folder %s: cannot create it: %s; running without the cache", dir,
		     strerror(errno));
		ps->cache_path[0] = '\0';
	}
}

int pageset_open(struct pageset *ps, const struct corpus *c, const struct codec *codec, int threads,
		 const char *cache_dir, char *err, size_t errlen)
{
	return pageset_open_view(ps, c, c->page_size, codec, threads, cache_dir, err, errlen);
}

int pageset_open_view(struct pageset *ps, const struct corpus *c, uint32_t page,
		      const struct codec *codec, int threads, const char *cache_dir, char *err,
		      size_t errlen)
{
	int r, fatal;

	memset(ps, 0, sizeof(*ps));
	ps->fd = -1;
	if (corpus_check_view(c, page, err, errlen))
		return -1;
	ps->corpus = c;
	ps->codec = *codec;
	ps->page = page;
	ps->n = corpus_view_pages(c, page);
	if (threads < 1)
		threads = 1;
	ps->pg = table_alloc(ps->n * sizeof(*ps->pg));
	if (!ps->pg) {
		snprintf(err, errlen, "out of memory for %llu pages of %s",
			 (unsigned long long)ps->n, c->path);
		goto fail;
	}
	ps->data_off = ccache_data_off(ps->n);
	pick_cache_path(ps, cache_dir);
	if (ps->cache_path[0]) {
		if (use_cached(ps, threads, &fatal, err, errlen)) {
			ps->cached = true;
			goto done;
		}
		if (fatal)
			goto fail;
		r = build(ps, ps->cache_path, threads, err, errlen);
		if (r == PASS_OK)
			goto done;
		if (r == PASS_FAIL)
			goto fail;
		NOTE(ps, "%s: %s; running without the cache", ps->cache_path, err);
		ps->cache_path[0] = '\0';
	}
	if (build(ps, NULL, threads, err, errlen) != PASS_OK)
		goto fail;
done:
	for (uint64_t i = 0; i < ps->n; i++) {
		if (ps->pg[i].same)
			ps->same_pages++;
		else
			ps->compressed_bytes += ps->pg[i].len;
	}
	return 0;
fail:
	pageset_free(ps);
	return -1;
}

int pageset_build(struct pageset *ps, const struct corpus *c, const struct codec *codec,
		  int threads, char *err, size_t errlen)
{
	return pageset_open(ps, c, codec, threads, NULL, err, errlen);
}

void pageset_free(struct pageset *ps)
{
	if (ps->fd >= 0)
		close(ps->fd);
	table_free(ps->pg, ps->n * sizeof(*ps->pg));
	memset(ps, 0, sizeof(*ps));
	ps->fd = -1;
}
