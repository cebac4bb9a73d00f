// SPDX-License-Identifier: GPL-2.0-only
/*
 * zram_run.c - the guest side of `zpoolbench oracle qemu-zram`: writes pages
 * into a zram device one at a time and reads mm_stat after every operation.
 * Built static; runs as the guest's only program.
 *
 *	zram_run SYSDIR ZRAMDEV INDEV OPS OUTDEV
 *
 * INDEV holds the pages (the guest's page size each), OPS the operations:
 *	w SLOT PAGE	write page PAGE of INDEV to slot SLOT (O_DIRECT: the
 *			write is compressed and stored before it returns)
 *	d SLOT		discard slot SLOT (BLKDISCARD: zsmalloc frees it)
 *	c		write 1 to SYSDIR/compact
 * OUTDEV gets "# page_size N", "# mm_stat FIELDS" (before the first
 * operation), one "OPINDEX FIELDS" line per operation (mm_stat as the kernel
 * prints it), "# end ops=N" and a NUL byte.
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
#include <unistd.h>

struct buf {
	char *p;
	size_t len, cap;
};

static int die(const char *what)
{
	fprintf(stderr, "zram_run: %s: %s\n", what, strerror(errno));
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

/* mm_stat without its newline into @line. */
static int mm_stat(int fd, char *line, size_t cap)
{
	ssize_t n = pread(fd, line, cap - 1, 0);

	if (n <= 0)
		return -1;
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	return 0;
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
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	char path[512], line[256], stat[512];
	unsigned long long slot, pg, idx = 0;
	struct buf out = { 0 };
	unsigned char *page;
	int zdev, in, st, cp;
	FILE *ops;

	if (argc != 6) {
		fprintf(stderr, "usage: zram_run SYSDIR ZRAMDEV INDEV OPS OUTDEV\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/mm_stat", argv[1]);
	st = open(path, O_RDONLY);
	snprintf(path, sizeof(path), "%s/compact", argv[1]);
	cp = open(path, O_WRONLY);
	zdev = open(argv[2], O_RDWR | O_DIRECT);
	in = open(argv[3], O_RDONLY);
	ops = fopen(argv[4], "r");
	if (st < 0 || cp < 0 || zdev < 0 || in < 0 || !ops)
		return die("open");
	if (posix_memalign((void **)&page, ps, ps))
		return die("memory");
	if (mm_stat(st, stat, sizeof(stat)) ||
	    put(&out, "# page_size %zu\n# mm_stat %s\n", ps, stat))
		return die("mm_stat");
	while (fgets(line, sizeof(line), ops)) {
		switch (line[0]) {
		case 'w':
			if (sscanf(line + 1, "%llu %llu", &slot, &pg) != 2)
				goto bad;
			if (pread(in, page, ps, (off_t)(pg * ps)) != (ssize_t)ps)
				return die("reading a page of the input disk");
			if (pwrite(zdev, page, ps, (off_t)(slot * ps)) != (ssize_t)ps)
				return die("writing a page to zram");
			break;
		case 'd': {
			uint64_t range[2];

			if (sscanf(line + 1, "%llu", &slot) != 1)
				goto bad;
			range[0] = slot * ps;
			range[1] = ps;
			if (ioctl(zdev, BLKDISCARD, range))
				return die("BLKDISCARD");
			break;
		}
		case 'c':
			if (pwrite(cp, "1", 1, 0) != 1)
				return die("compact");
			break;
		default:
			goto bad;
		}
		if (mm_stat(st, stat, sizeof(stat)) || put(&out, "%llu %s\n", idx++, stat))
			return die("mm_stat");
	}
	if (put(&out, "# end ops=%llu\n", idx) || write_out(argv[5], &out))
		return die(argv[5]);
	fprintf(stderr, "zram_run: %llu operations\n", idx);
	return 0;
bad:
	fprintf(stderr, "zram_run: bad line: %s", line);
	return 1;
}
