// SPDX-License-Identifier: GPL-2.0-only
/*
 * zpbo_run.c - the guest side of `zpoolbench oracle qemu`: feeds the op list
 * to the zpb_oracle module through /proc/zpb_oracle and writes what it
 * answers (one "OPINDEX POOL_PAGES" line per op, then "# end ...") to the
 * output disk, followed by a NUL byte.  Built static; runs as the guest's
 * only program.
 *
 *	zpbo_run OPS OUTDEV
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (32 * 1024)

struct buf {
	char *p;
	size_t len, cap;
};

static int die(const char *what)
{
	fprintf(stderr, "zpbo_run: %s: %s\n", what, strerror(errno));
	return 1;
}

static int reserve(struct buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return 0;
	while (b->len + more > b->cap)
		b->cap = b->cap ? 2 * b->cap : 1 << 20;
	b->p = realloc(b->p, b->cap);
	return b->p ? 0 : -1;
}

static int slurp(const char *path, struct buf *b)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	for (;;) {
		if (reserve(b, CHUNK))
			return -1;
		n = read(fd, b->p + b->len, CHUNK);
		if (n < 0)
			return -1;
		if (!n)
			break;
		b->len += n;
	}
	close(fd);
	return 0;
}

/* Everything the module has produced so far goes to @out. */
static int drain(int fd, struct buf *out)
{
	ssize_t n;

	do {
		if (reserve(out, CHUNK))
			return -1;
		n = read(fd, out->p + out->len, CHUNK);
		if (n < 0)
			return -1;
		out->len += n;
	} while (n > 0);
	return 0;
}

/* The longest prefix of at most CHUNK bytes that ends with a newline. */
static size_t whole_lines(const char *p, size_t len)
{
	size_t n = len < CHUNK ? len : CHUNK;

	while (n && p[n - 1] != '\n')
		n--;
	return n;
}

static int feed(int fd, const char *p, size_t len, struct buf *out)
{
	size_t off = 0, n;
	ssize_t w;

	while (off < len) {
		n = whole_lines(p + off, len - off);
		if (!n) {
			errno = EINVAL;
			return -1;
		}
		w = write(fd, p + off, n);
		if (w < 0)
			return -1;
		off += w;
		if (drain(fd, out))
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct buf ops = { 0 }, out = { 0 };
	int fd, dev;

	if (argc != 3) {
		fprintf(stderr, "usage: zpbo_run OPS OUTDEV\n");
		return 2;
	}
	if (slurp(argv[1], &ops))
		return die(argv[1]);
	fd = open("/proc/zpb_oracle", O_RDWR);
	if (fd < 0)
		return die("/proc/zpb_oracle");
	if (feed(fd, ops.p, ops.len, &out) || feed(fd, "e\n", 2, &out))
		return die("replay through /proc/zpb_oracle");
	close(fd);

	if (reserve(&out, 1))
		return die("memory");
	out.p[out.len++] = '\0';
	dev = open(argv[2], O_WRONLY);
	if (dev < 0)
		return die(argv[2]);
	for (size_t off = 0; off < out.len;) {
		ssize_t w = write(dev, out.p + off, out.len - off);

		if (w <= 0)
			return die(argv[2]);
		off += w;
	}
	if (fsync(dev) || close(dev))
		return die(argv[2]);
	fprintf(stderr, "zpbo_run: %zu bytes of results written\n", out.len);
	return 0;
}
