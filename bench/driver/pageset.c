// SPDX-License-Identifier: GPL-2.0-only
/*
 * pageset.c - see pageset.h.  Building: worker threads take batches of
 * pages, compress them into a local buffer, reserve room at the end of the
 * data area with one atomic add and write the batch there with pwrite; the
 * main thread works too.  Nothing but the per-page records is kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/pageset.h"
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

int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

int pageset_data(const struct pageset *ps, uint64_t i, uint8_t *buf)
{
	const struct cpage *p = &ps->pg[i];

	return pread_full(ps->fd, buf, p->len, ps->data_off + p->off);
}

const uint8_t *pageset_page(const struct pageset *ps, uint64_t i, uint8_t *buf)
{
	if (ps->corpus_fd < 0)
		return corpus_page(ps->corpus, i);
	if (pread_full(ps->corpus_fd, buf, CORPUS_PAGE_SIZE, i * CORPUS_PAGE_SIZE))
		return NULL;
	return buf;
}

/* ---- building ---- */

struct build {
	struct pageset *ps;
	uint64_t nbatches;
	uint64_t next;	   /* next batch (atomic) */
	uint64_t end;	   /* bytes of the data area reserved so far (atomic) */
	int64_t bad_page;  /* a page the codec failed on, or -1 */
	int io_errno;
	bool oom;
};

static bool build_stop(struct build *b)
{
	return zpb_interrupted || b->oom || b->io_errno ||
	       __atomic_load_n(&b->bad_page, __ATOMIC_RELAXED) >= 0;
}

static void *build_worker(void *arg)
{
	struct build *b = arg;
	struct pageset *ps = b->ps;
	struct codec_ctx *cx = codec_ctx_new(&ps->codec);
	/* buffers mapped, not from the heap: a run leaves the heap as it found it */
	uint8_t *in = table_alloc(CORPUS_PAGE_SIZE), *out = table_alloc(BATCH * CODEC_BOUND);
	uint32_t local[BATCH];

	if (!cx || !in || !out) {
		__atomic_store_n(&b->oom, true, __ATOMIC_RELAXED);
		goto out;
	}
	while (!build_stop(b)) {
		uint64_t k = __atomic_fetch_add(&b->next, 1, __ATOMIC_RELAXED);
		uint64_t first = k * BATCH, last = first + BATCH, used = 0, at;

		if (k >= b->nbatches)
			break;
		if (last > ps->n)
			last = ps->n;
		for (uint64_t i = first; i < last; i++) {
			struct cpage *p = &ps->pg[i];
			const uint8_t *page = pageset_page(ps, i, in);
			uint64_t t0, word, ns;
			int len;

			if (!page) {
				__atomic_store_n(&b->io_errno, errno ? errno : EIO, __ATOMIC_RELAXED);
				goto out;
			}
			p->same = page_same_filled(page, &word);
			t0 = now_ns();
			len = codec_compress(cx, page, out + used);
			ns = now_ns() - t0;
			p->comp_ns = ns < UINT32_MAX ? (uint32_t)ns : UINT32_MAX;
			if (len <= 0 || len > CODEC_BOUND) {
				__atomic_store_n(&b->bad_page, (int64_t)i, __ATOMIC_RELAXED);
				goto out;
			}
			p->len = (uint32_t)len;
			local[i - first] = (uint32_t)used;
			used += len;
		}
		at = __atomic_fetch_add(&b->end, used, __ATOMIC_RELAXED);
		for (uint64_t i = first; i < last; i++)
			ps->pg[i].off = at + local[i - first];
		for (uint64_t done = 0; done < used;) {
			ssize_t put = pwrite(ps->fd, out + done, used - done, ps->data_off + at + done);

			if (put <= 0) {
				__atomic_store_n(&b->io_errno, put < 0 ? errno : EIO,
						 __ATOMIC_RELAXED);
				goto out;
			}
			done += put;
		}
	}
out:
	if (cx)
		codec_ctx_free(cx);
	table_free(in, CORPUS_PAGE_SIZE);
	table_free(out, BATCH * CODEC_BOUND);
	return NULL;
}

/* Compress every page into @w's file; 0 or -1 with @err. */
static int compress_all(struct pageset *ps, struct ccache_writer *w, int threads,
			struct ccache_header *hdr, char *err, size_t errlen)
{
	struct build b = { .ps = ps, .bad_page = -1 };
	uint64_t t0 = now_ns();

	b.nbatches = (ps->n + BATCH - 1) / BATCH;
	if ((uint64_t)threads > b.nbatches)
		threads = (int)b.nbatches;
	if (threads < 1)
		threads = 1;
	if (zpb_run_workers(threads, build_worker, &b)) {
		snprintf(err, errlen, "out of memory compressing %s", ps->corpus->path);
		return -1;
	}
	ps->wall_ns = now_ns() - t0;
	if (b.oom) {
		snprintf(err, errlen, "out of memory compressing %s with %s", ps->corpus->path,
			 ps->codec.name);
		return -1;
	}
	if (b.bad_page >= 0) {
		snprintf(err, errlen, "%s: codec %s failed on page %lld", ps->corpus->path,
			 ps->codec.name, (long long)b.bad_page);
		return -1;
	}
	if (b.io_errno) {
		snprintf(err, errlen, "compressing %s: I/O error: %s", ps->corpus->path,
			 strerror(b.io_errno));
		return -1;
	}
	if (zpb_interrupted) {
		snprintf(err, errlen, "interrupted");
		return -1;
	}
	memset(hdr, 0, sizeof(*hdr));
	hdr->pages = ps->n;
	hdr->data_bytes = b.end;
	hdr->wall_ns = ps->wall_ns;
	snprintf(hdr->codec, sizeof(hdr->codec), "%s", ps->codec.name);
	snprintf(hdr->sha256, sizeof(hdr->sha256), "%s", ps->corpus->sha256);
	if (ccache_commit(w, hdr, ps->pg, threads)) {
		snprintf(err, errlen, "%s: cannot write the compression cache: %s",
			 w->path[0] ? w->path : "temporary file", strerror(errno));
		return -1;
	}
	return 0;
}

/* mkdir -p for the cache folder; 0 or -1 */
static int make_dirs(const char *path)
{
	char buf[4096];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -1;
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

/*
 * A corpus file is read with pread (its mapping is not touched: touched
 * pages of a mapping count as resident memory).  If the file cannot be
 * opened again (removed since), the mapping is used.
 */
static void open_corpus_fd(struct pageset *ps)
{
	const struct corpus *c = ps->corpus;
	struct stat st;

	ps->corpus_fd = -1;
	if (c->compressed)
		return; /* decompressed into memory by the reader */
	ps->corpus_fd = open(c->path, O_RDONLY | O_CLOEXEC);
	if (ps->corpus_fd < 0)
		return;
	if (fstat(ps->corpus_fd, &st) || (uint64_t)st.st_size != c->pages * CORPUS_PAGE_SIZE) {
		close(ps->corpus_fd);
		ps->corpus_fd = -1;
		return;
	}
}

int pageset_open(struct pageset *ps, const struct corpus *c, const struct codec *codec,
		 int threads, const char *cache_dir, char *err, size_t errlen)
{
	struct ccache_writer w;
	struct ccache_header hdr;
	char dir[4096], why[256];

	memset(ps, 0, sizeof(*ps));
	ps->corpus = c;
	ps->codec = *codec;
	ps->n = c->pages;
	ps->fd = -1;
	if (threads < 1)
		threads = 1;
	open_corpus_fd(ps);
	ps->pg = table_alloc(ps->n * sizeof(*ps->pg));
	if (!ps->pg) {
		snprintf(err, errlen, "out of memory for %llu pages of %s", (unsigned long long)ps->n,
			 c->path);
		goto fail;
	}
	ps->data_off = ccache_data_off(ps->n);
	if (ccache_dir(cache_dir, dir, sizeof(dir)))
		dir[0] = '\0'; /* no folder can be named: run without the cache */
	if (dir[0]) {
		ccache_path(dir, c->sha256, codec->name, ps->cache_path, sizeof(ps->cache_path));
		ps->fd = ccache_open(ps->cache_path, c->sha256, codec->name, ps->n, &hdr, ps->pg,
				     threads, why, sizeof(why));
		if (ps->fd >= 0) {
			ps->cached = true;
			ps->wall_ns = hdr.wall_ns;
			goto done;
		}
		if (why[0])
			zpb_err("compression cache %s: %s; rebuilding it", ps->cache_path, why);
		if (make_dirs(dir) || ccache_create(&w, ps->cache_path) < 0) {
			zpb_err("compression cache %s: cannot write: %s; going on without the cache",
				ps->cache_path, strerror(errno));
			ps->cache_path[0] = '\0';
		}
	}
	if (!ps->cache_path[0] && ccache_create(&w, NULL) < 0) {
		snprintf(err, errlen, "cannot create a temporary file for the compressed pages: %s",
			 strerror(errno));
		goto fail;
	}
	ps->fd = w.fd;
	if (compress_all(ps, &w, threads, &hdr, err, errlen)) {
		ps->fd = -1; /* closed by the writer */
		goto fail;
	}
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
	if (ps->corpus_fd >= 0)
		close(ps->corpus_fd);
	table_free(ps->pg, ps->n * sizeof(*ps->pg));
	memset(ps, 0, sizeof(*ps));
	ps->fd = ps->corpus_fd = -1;
}
