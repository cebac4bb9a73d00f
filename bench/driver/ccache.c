// SPDX-License-Identifier: GPL-2.0-only
/*
 * ccache.c - the compression cache file (see ccache.h).
 */
#define _GNU_SOURCE /* O_TMPFILE, memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "driver/ccache.h"
#include "driver/codec.h"
#include "util.h"

_Static_assert(sizeof(struct cpage) == 20, "index records are 20 bytes");
_Static_assert(sizeof(struct ccache_header) == 192, "header layout");

#define HEADER_BYTES 256 /* room reserved for the header */

uint64_t ccache_data_off(uint64_t pages)
{
	return HEADER_BYTES + pages * sizeof(struct cpage);
}

/* ---- checksums: xxHash's XXH3 ---- */

uint64_t ccache_sum(const void *p, size_t len, uint64_t seed)
{
	return XXH3_64bits_withSeed(p, len, seed);
}

uint64_t ccache_page_sum(const void *page, size_t len, bool same, uint64_t word)
{
	return same ? word : XXH3_64bits(page, len);
}

/* ---- names ---- */

int ccache_dir(const char *opt, char *out, size_t len)
{
	const char *env = getenv("ZPB_CCACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (!opt)
		opt = env && *env ? env : NULL;
	if (opt)
		n = snprintf(out, len, "%s", strcmp(opt, "off") ? opt : "");
	else if (xdg && *xdg == '/')
		n = snprintf(out, len, "%s/zpoolbench", xdg);
	else if (home && *home == '/')
		n = snprintf(out, len, "%s/.cache/zpoolbench", home);
	else
		return -1;
	if (n < 0 || (size_t)n >= len) {
		out[0] = '\0';
		return -2;
	}
	return 0;
}

int ccache_path(const char *dir, const char *sha256, const char *codec, uint32_t page, char *out,
		size_t len)
{
	char ps[16] = "";
	char c[32];
	size_t i;
	int n;

	for (i = 0; codec[i] && i + 1 < sizeof(c); i++)
		c[i] = (codec[i] == ':' || codec[i] == '/') ? '_' : codec[i];
	c[i] = '\0';
	if (page != 4096)
		snprintf(ps, sizeof(ps), "-p%u", page);
	n = snprintf(out, len, "%s/%s-%s%s.zpbcc", dir, sha256, c, ps);
	if (n < 0 || (size_t)n + 32 >= len) { /* room for the temporary name's suffix too */
		out[0] = '\0';
		return -1;
	}
	return 0;
}

/* ---- data checksum: 1 MiB blocks hashed on all threads, combined in order ---- */

struct sum_job {
	int fd;
	uint64_t off, len, nblocks;
	uint64_t next; /* next block to take (atomic) */
	uint64_t *block_sum;
	int failed; /* errno of a read error */
};

static void *sum_worker(void *arg)
{
	struct sum_job *j = arg;
	uint8_t *buf = mmap(NULL, CCACHE_BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);

	if (buf == MAP_FAILED) {
		__atomic_store_n(&j->failed, ENOMEM, __ATOMIC_RELAXED);
		return NULL;
	}
	for (;;) {
		uint64_t b = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
		uint64_t at = b * CCACHE_BLOCK, n;
		ssize_t got;

		if (b >= j->nblocks || __atomic_load_n(&j->failed, __ATOMIC_RELAXED))
			break;
		n = j->len - at < CCACHE_BLOCK ? j->len - at : CCACHE_BLOCK;
		got = pread(j->fd, buf, n, j->off + at);
		if (got != (ssize_t)n) {
			__atomic_store_n(&j->failed, got < 0 ? errno : EIO, __ATOMIC_RELAXED);
			break;
		}
		j->block_sum[b] = ccache_sum(buf, n, b);
	}
	munmap(buf, CCACHE_BLOCK);
	return NULL;
}

int ccache_data_sum(int fd, uint64_t off, uint64_t len, int threads, uint64_t *sum)
{
	struct sum_job j = { .fd = fd, .off = off, .len = len };

	j.nblocks = (len + CCACHE_BLOCK - 1) / CCACHE_BLOCK;
	j.block_sum = calloc(j.nblocks + 1, sizeof(*j.block_sum));
	if (!j.block_sum) {
		errno = ENOMEM;
		return -1;
	}
	if (threads > 64)
		threads = 64;
	if ((uint64_t)threads > j.nblocks)
		threads = (int)j.nblocks;
	if (zpb_run_workers(threads, sum_worker, &j)) {
		free(j.block_sum);
		return -1;
	}
	if (j.failed) {
		free(j.block_sum);
		errno = j.failed;
		return -1;
	}
	*sum = ccache_sum(j.block_sum, j.nblocks * sizeof(*j.block_sum), len);
	free(j.block_sum);
	return 0;
}

/* ---- reading ---- */

static uint64_t header_sum(const struct ccache_header *h)
{
	return ccache_sum(h, offsetof(struct ccache_header, header_sum), 0x68656164);
}

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -1)

static int check_header(const struct ccache_header *h, uint64_t fsize, const char *sha256,
			const char *codec, uint32_t page, uint64_t pages, char *why, size_t whylen)
{
	if (memcmp(h->magic, CCACHE_MAGIC, 8))
		return WHY("not a zpoolbench compression cache (bad magic)");
	if (h->version != CCACHE_VERSION)
		return WHY("format version %u, this zpoolbench reads %d", h->version,
			   CCACHE_VERSION);
	if (h->bom != CCACHE_BOM)
		return WHY("written on a machine of the other byte order");
	if (h->header_sum != header_sum(h))
		return WHY("corrupt header (checksum)");
	if (h->header_size != sizeof(*h) || h->index_off != HEADER_BYTES ||
	    h->data_off != h->index_off + h->pages * sizeof(struct cpage))
		return WHY("inconsistent header");
	if (memchr(h->codec, 0, sizeof(h->codec)) == NULL || strcmp(h->codec, codec))
		return WHY("made with codec '%.31s', not '%s'", h->codec, codec);
	if (memchr(h->sha256, 0, sizeof(h->sha256)) == NULL || strcmp(h->sha256, sha256))
		return WHY("made from another corpus (sha256 differs)");
	if (h->page_size != page)
		return WHY("made of %u-byte pages, not %u", h->page_size, page);
	if (h->pages != pages)
		return WHY("holds %llu pages, the corpus %llu", (unsigned long long)h->pages,
			   (unsigned long long)pages);
	if (fsize != h->data_off + h->data_bytes)
		return WHY("%s: %llu bytes, expected %llu",
			   fsize < h->data_off + h->data_bytes ? "truncated" : "trailing bytes",
			   (unsigned long long)fsize,
			   (unsigned long long)(h->data_off + h->data_bytes));
	return 0;
}

int ccache_open(const char *path, const char *sha256, const char *codec, uint32_t page,
		uint64_t pages, struct ccache_header *hdr, struct cpage *index, int threads,
		char *why, size_t whylen)
{
	struct stat st;
	uint64_t sum;
	/* never blocks: a FIFO opens at once with O_NONBLOCK and is refused below */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0) {
		if (errno == ENOENT)
			why[0] = '\0';
		else
			snprintf(why, whylen, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file (%s)",
			 S_ISDIR(st.st_mode)	? "a directory"
			 : S_ISFIFO(st.st_mode) ? "a FIFO"
						: "a device or socket");
		goto bad;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if ((uint64_t)st.st_size < sizeof(*hdr) || pread_full(fd, hdr, sizeof(*hdr), 0)) {
		snprintf(why, whylen, "truncated: %llu bytes, shorter than the header",
			 (unsigned long long)st.st_size);
		goto bad;
	}
	if (check_header(hdr, st.st_size, sha256, codec, page, pages, why, whylen))
		goto bad;
	if (pread_full(fd, index, pages * sizeof(*index), hdr->index_off)) {
		snprintf(why, whylen, "cannot read the index");
		goto bad;
	}
	if (ccache_sum(index, pages * sizeof(*index), 0x696e6478) != hdr->index_sum) {
		snprintf(why, whylen, "corrupt index (checksum)");
		goto bad;
	}
	for (uint64_t i = 0; i < pages; i++) {
		if (index[i].len == 0 || index[i].len > codec_bound(page) ||
		    index[i].off + index[i].len > hdr->data_bytes) {
			snprintf(why, whylen, "corrupt index (page %llu out of the data)",
				 (unsigned long long)i);
			goto bad;
		}
	}
	if (ccache_data_sum(fd, hdr->data_off, hdr->data_bytes, threads, &sum)) {
		snprintf(why, whylen, "cannot read the data: %s", strerror(errno));
		goto bad;
	}
	if (sum != hdr->data_sum) {
		snprintf(why, whylen, "corrupt data (checksum)");
		goto bad;
	}
	return fd;
bad:
	close(fd);
	return -1;
}

/* ---- writing ---- */

/*
 * Clean-up records: a record stays valid for the process lifetime, so a hook
 * that cannot be popped (not the newest any more) never points at freed
 * memory; it is disarmed by emptying its path.
 */
struct tmp_hook {
	char path[4096 + 32];
	bool used;
};

static struct tmp_hook hook_slots[16];

static void unlink_tmp(void *arg)
{
	struct tmp_hook *h = arg;

	if (h->path[0])
		unlink(h->path);
}

static void noop(void *arg)
{
	(void)arg;
}

static void arm_hook(struct ccache_writer *w)
{
	for (int i = 0; i < 16; i++) {
		if (hook_slots[i].used)
			continue;
		hook_slots[i].used = true;
		snprintf(hook_slots[i].path, sizeof(hook_slots[i].path), "%s", w->tmp);
		w->rec = &hook_slots[i];
		w->hook = zpb_cleanup_push(unlink_tmp, w->rec);
		return;
	}
}

/* Disarm our hook; pop it (and free its record) if it is the newest. */
static void drop_hook(struct ccache_writer *w)
{
	struct tmp_hook *h = w->rec;
	int top;

	if (!h)
		return;
	h->path[0] = '\0';
	top = zpb_cleanup_push(noop, NULL);
	zpb_cleanup_pop(false);
	if (top == w->hook + 1) {
		zpb_cleanup_pop(false);
		h->used = false;
	}
	w->rec = NULL;
	w->hook = -1;
}

int ccache_create(struct ccache_writer *w, const char *path)
{
	char dir[4096];
	const char *slash;

	memset(w, 0, sizeof(*w));
	w->hook = -1;
	if (!path) {
		w->fd = anon_tmpfile("zpoolbench-pages"); /* a run without a cache */
		return w->fd;
	}
	snprintf(w->path, sizeof(w->path), "%s", path);
	slash = strrchr(path, '/');
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	w->fd = open(slash == path ? "/" : dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
	if (w->fd >= 0) {
		w->unnamed = true;
		return w->fd;
	}
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -1;
	/* no O_TMPFILE here: a named temporary file, its clean-up armed before it exists */
	snprintf(w->tmp, sizeof(w->tmp), "%s.tmp.%ld", path, (long)getpid());
	arm_hook(w);
	w->fd = open(w->tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (w->fd < 0) {
		int e = errno;

		w->tmp[0] = '\0';
		drop_hook(w);
		errno = e;
		return -1;
	}
	return w->fd;
}

/* Give an unnamed file a temporary name (the hook armed first): 0 or -1 with errno. */
static int link_unnamed(struct ccache_writer *w)
{
	char proc[64];

	snprintf(w->tmp, sizeof(w->tmp), "%s.tmp.%ld", w->path, (long)getpid());
	arm_hook(w);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", w->fd);
	unlink(w->tmp); /* a stale one of an earlier process with this pid */
	if (linkat(AT_FDCWD, proc, AT_FDCWD, w->tmp, AT_SYMLINK_FOLLOW)) {
		int e = errno;

		w->tmp[0] = '\0';
		drop_hook(w);
		errno = e;
		return -1;
	}
	w->unnamed = false;
	return 0;
}

int ccache_commit(struct ccache_writer *w, struct ccache_header *hdr, const struct cpage *index,
		  int threads)
{
	int saved;

	memcpy(hdr->magic, CCACHE_MAGIC, 8);
	hdr->version = CCACHE_VERSION;
	hdr->header_size = sizeof(*hdr);
	hdr->bom = CCACHE_BOM;
	hdr->index_off = HEADER_BYTES;
	hdr->data_off = HEADER_BYTES + hdr->pages * sizeof(*index);
	hdr->index_sum = ccache_sum(index, hdr->pages * sizeof(*index), 0x696e6478);
	if (ccache_data_sum(w->fd, hdr->data_off, hdr->data_bytes, threads, &hdr->data_sum) ||
	    pwrite_full(w->fd, index, hdr->pages * sizeof(*index), hdr->index_off))
		goto fail;
	hdr->header_sum = header_sum(hdr);
	if (pwrite_full(w->fd, hdr, sizeof(*hdr), 0))
		goto fail;
	if (!w->path[0])
		return 0; /* an unlinked temporary file: nothing to rename */
	if (w->unnamed && link_unnamed(w))
		goto fail;
	if (rename(w->tmp, w->path))
		goto fail;
	w->tmp[0] = '\0';
	drop_hook(w);
	return 0;
fail:
	saved = errno;
	ccache_abort(w);
	errno = saved;
	return -1;
}

void ccache_abort(struct ccache_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	if (w->tmp[0])
		unlink(w->tmp);
	drop_hook(w);
}
