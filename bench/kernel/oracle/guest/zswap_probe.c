// SPDX-License-Identifier: GPL-2.0-only
/*
 * zswap_probe.c - the guest side of the zswap rule check (qemu-oracle.sh
 * zswap): pushes pages out to zswap one at a time with madvise(MADV_PAGEOUT)
 * and reads zswap's debugfs counters and the swap vmstat counters after each
 * operation.  Built static; runs as the guest's only program.
 *
 *	zswap_probe INDEV OPS OUTDEV [ZRAMDEV]
 *
 * INDEV holds the pages (the guest's page size each), OPS the operations:
 *	s SLOT PAGE	copy page PAGE of INDEV into page SLOT of an anonymous
 *			mapping (MADV_NOHUGEPAGE: one page is one swap entry)
 *			and push it out (MADV_PAGEOUT)
 *	f SLOT		MADV_DONTNEED page SLOT: its swap entry is freed (zswap
 *			invalidates its copy)
 * With ZRAMDEV (an lz4 zram device, unused otherwise) each page is first
 * written to that device's slot 0 and discarded again: the growth of its
 * compr_data_size is the kernel's lz4 length of the page (0 for a page zram
 * keeps as same-filled; the page size for one it stores raw, at or above
 * its huge threshold); -1 without ZRAMDEV.
 *
 * OUTDEV gets "# page_size N", a line "# before COUNTERS", one line per
 * operation, "# end ops=N" and a NUL byte:
 *	OPINDEX OP SLOT PAGE SWAPPED ZLEN COUNTERS
 * SWAPPED is the swap bit of the slot's pagemap entry after the operation
 * (1: on swap; a page zswap stored is on swap too), COUNTERS "name=value"
 * pairs: the files of /sys/kernel/debug/zswap (-1 when missing) and pswpout,
 * zswpout, zswpwb, swpout_zero of /proc/vmstat.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static const char *const dbg[] = {
	"stored_pages",		"pool_total_size",   "reject_compress_poor",
	"reject_compress_fail", "reject_alloc_fail", "reject_kmemcache_fail",
	"reject_reclaim_fail",	"pool_limit_hit",    "written_back_pages",
	"same_filled_pages",
};
static const char *const vm[] = { "pswpout", "zswpout", "zswpwb", "swpout_zero" };

#define NDBG (sizeof(dbg) / sizeof(dbg[0]))
#define NVM (sizeof(vm) / sizeof(vm[0]))

struct buf {
	char *p;
	size_t len, cap;
};

static int die(const char *what)
{
	fprintf(stderr, "zswap_probe: %s: %s\n", what, strerror(errno));
	return 1;
}

static int put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len)
			break;
		b->cap = b->cap ? 2 * b->cap : 1 << 20;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			return -1;
	}
	b->len += n;
	return 0;
}

static long long read_num(const char *path)
{
	char s[64];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, s, sizeof(s) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	s[n] = '\0';
	return strtoll(s, NULL, 10);
}

static int counters(struct buf *b)
{
	char path[256], name[64];
	unsigned long long v;
	long long got[NVM];
	FILE *f;

	for (size_t i = 0; i < NDBG; i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/zswap/%s", dbg[i]);
		if (put(b, " %s=%lld", dbg[i], read_num(path)))
			return -1;
	}
	for (size_t i = 0; i < NVM; i++)
		got[i] = -1;
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %llu", name, &v) == 2)
		for (size_t i = 0; i < NVM; i++)
			if (!strcmp(name, vm[i]))
				got[i] = (long long)v;
	fclose(f);
	for (size_t i = 0; i < NVM; i++)
		if (put(b, " %s=%lld", vm[i], got[i]))
			return -1;
	return put(b, "\n");
}

/* zram's compressed length of @page (see the head comment). */
static long long zram_len(int zfd, int zstat, const unsigned char *page, size_t ps)
{
	unsigned long long orig, c0, c1;
	uint64_t range[2] = { 0, ps };
	char s[256];
	ssize_t n;

	if (zfd < 0)
		return -1;
	n = pread(zstat, s, sizeof(s) - 1, 0);
	if (n <= 0)
		return -1;
	s[n] = '\0';
	if (sscanf(s, "%llu %llu", &orig, &c0) != 2 || pwrite(zfd, page, ps, 0) != (ssize_t)ps)
		return -1;
	n = pread(zstat, s, sizeof(s) - 1, 0);
	if (n <= 0)
		return -1;
	s[n] = '\0';
	if (sscanf(s, "%llu %llu", &orig, &c1) != 2 || ioctl(zfd, BLKDISCARD, range))
		return -1;
	return (long long)(c1 - c0);
}

static int swapped(int pm, const void *addr, size_t ps)
{
	uint64_t e;

	if (pread(pm, &e, sizeof(e), (off_t)((uintptr_t)addr / ps) * 8) != sizeof(e))
		return -1;
	return (int)((e >> 62) & 1);
}

static int write_out(const char *path, struct buf *b)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || put(b, "%c", '\0'))
		return -1;
	b->len++; /* the NUL */
	for (size_t off = 0; off < b->len;) {
		ssize_t w = write(fd, b->p + off, b->len - off);

		if (w <= 0)
			return -1;
		off += w;
	}
	return fsync(fd) || close(fd) ? -1 : 0;
}

int main(int argc, char **argv)
{
	size_t ps = (size_t)sysconf(_SC_PAGESIZE), nslots = 0;
	unsigned long long slot, pg, idx = 0;
	int in, pm, zfd = -1, zstat = -1;
	struct buf out = { 0 };
	unsigned char *region, *tmp;
	char line[256];
	FILE *ops;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: zswap_probe INDEV OPS OUTDEV [ZRAMDEV]\n");
		return 2;
	}
	in = open(argv[1], O_RDONLY);
	ops = fopen(argv[2], "r");
	pm = open("/proc/self/pagemap", O_RDONLY);
	if (in < 0 || !ops || pm < 0)
		return die("open");
	if (argc == 5) {
		char path[256];

		zfd = open(argv[4], O_RDWR | O_DIRECT);
		snprintf(path, sizeof(path), "/sys/block/%s/mm_stat", strrchr(argv[4], '/') + 1);
		zstat = open(path, O_RDONLY);
		if (zfd < 0 || zstat < 0)
			return die(argv[4]);
	}
	while (fgets(line, sizeof(line), ops))
		if (sscanf(line + 1, "%llu", &slot) == 1 && slot + 1 > nslots)
			nslots = slot + 1;
	rewind(ops);
	region = mmap(NULL, (nslots + 1) * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (region == MAP_FAILED || madvise(region, (nslots + 1) * ps, MADV_NOHUGEPAGE))
		return die("mmap");
	if (posix_memalign((void **)&tmp, ps, ps))
		return die("memory");
	if (put(&out, "# page_size %zu\n# before", ps) || counters(&out))
		return die("counters");
	while (fgets(line, sizeof(line), ops)) {
		char op = line[0];
		long long zlen = -1;
		unsigned char *p;

		pg = 0;
		if ((op == 's' && sscanf(line + 1, "%llu %llu", &slot, &pg) != 2) ||
		    (op == 'f' && sscanf(line + 1, "%llu", &slot) != 1) || (op != 's' && op != 'f')) {
			fprintf(stderr, "zswap_probe: bad line: %s", line);
			return 1;
		}
		p = region + slot * ps;
		if (op == 's') {
			if (pread(in, tmp, ps, (off_t)(pg * ps)) != (ssize_t)ps)
				return die("reading a page of the input disk");
			zlen = zram_len(zfd, zstat, tmp, ps);
			memcpy(p, tmp, ps);
			if (madvise(p, ps, MADV_PAGEOUT))
				return die("MADV_PAGEOUT");
		} else if (madvise(p, ps, MADV_DONTNEED)) {
			return die("MADV_DONTNEED");
		}
		if (put(&out, "%llu %c %llu %llu %d %lld", idx++, op, slot, pg, swapped(pm, p, ps),
			zlen) ||
		    counters(&out))
			return die("counters");
	}
	if (put(&out, "# end ops=%llu\n", idx) || write_out(argv[3], &out))
		return die(argv[3]);
	fprintf(stderr, "zswap_probe: %llu operations\n", idx);
	return 0;
}
