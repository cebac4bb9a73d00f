// SPDX-License-Identifier: GPL-2.0-only
/*
 * zram.c - see zram.h.
 */
#define _GNU_SOURCE /* O_DIRECT */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "kernel/zram.h"

#define ZRAM_SLOTS 4
#define RESET_TRIES 100 /* x 20 ms: a device briefly opened by udev/blkid */

/* What the clean-up hook needs, in static storage so it outlives any caller. */
static struct zram_slot {
	volatile int used;
	volatile int fd, mm_fd;
	volatile int touched;
	char reset_path[128];
} zram_slots[ZRAM_SLOTS];

/* Async-signal-safe: close, open, write, nanosleep only. */
static int slot_reset(struct zram_slot *s)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
	if (s->mm_fd >= 0) {
		close(s->mm_fd);
		s->mm_fd = -1;
	}
	if (!s->touched)
		return 0;
	for (int i = 0; i < RESET_TRIES; i++) {
		int fd = open(s->reset_path, O_WRONLY | O_CLOEXEC);

		if (fd >= 0) {
			ssize_t n = write(fd, "1", 1);

			close(fd);
			if (n == 1) {
				s->touched = 0;
				return 0;
			}
		}
		nanosleep(&ts, NULL);
	}
	return -1;
}

static void zram_cleanup_hook(void *arg)
{
	slot_reset(arg);
}

int zram_check_name(const char *name, char *err, size_t errlen)
{
	size_t n = strlen(name);

	if (n < 5 || n > 10 || strncmp(name, "zram", 4) || strspn(name + 4, "0123456789") != n - 4) {
		snprintf(err, errlen, "bad zram device name '%s' (expected zramN, e.g. zram0)",
			 name);
		return -1;
	}
	return 0;
}

/* Read a small sysfs/proc file into @buf (NUL-terminated); -1 with errno. */
static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static int write_small(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int e;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Three octal digits, the first at most 3: one byte written as \ooo. */
static bool is_octal(const char *p)
{
	return p[0] >= '0' && p[0] <= '3' && p[1] >= '0' && p[1] <= '7' && p[2] >= '0' &&
	       p[2] <= '7';
}

/*
 * /proc/swaps names a swap by the path it was enabled with, as this process
 * sees it: one enabled from a chroot shows as /ROOT/dev/zram0, one enabled
 * through another node of the device under that node's name.  So a path is
 * compared by device number, and one that does not exist here (deleted, or
 * in another root) by its last component.  The kernel writes space, tab,
 * newline and backslash in a path as \ooo and " (deleted)" after it.
 */
bool zram_in_swaps(const char *swaps, const char *name, dev_t rdev)
{
	FILE *f = fopen(swaps, "r");
	char line[1024], path[1024];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, " \t\n"), o = 0;
		const char *base;
		struct stat st;
		bool gone;

		for (size_t i = 0; i < n; i++) {
			if (line[i] == '\\' && i + 3 < n && is_octal(line + i + 1)) {
				path[o++] = (char)((line[i + 1] - '0') << 6 |
						   (line[i + 2] - '0') << 3 | (line[i + 3] - '0'));
				i += 3;
			} else {
				path[o++] = line[i];
			}
		}
		path[o] = '\0';
		gone = o > 10 && !strcmp(path + o - 10, " (deleted)");
		if (gone)
			path[o - 10] = '\0';
		if (!gone && !stat(path, &st)) {
			found = S_ISBLK(st.st_mode) && st.st_rdev == rdev;
			continue;
		}
		base = strrchr(path, '/');
		found = !strcmp(base ? base + 1 : path, name);
	}
	fclose(f);
	return found;
}

int zram_check_unused(const char *name, char *err, size_t errlen)
{
	char path[160], buf[64];
	struct stat st;

	if (zram_check_name(name, err, errlen))
		return -1;
	snprintf(path, sizeof(path), "/sys/block/%s/disksize", name);
	if (read_small(path, buf, sizeof(buf))) {
		snprintf(err, errlen, "no zram device %s (%s: %s; load it with 'modprobe zram')",
			 name, path, strerror(errno));
		return -1;
	}
	if (strtoull(buf, NULL, 10) != 0) {
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(err, errlen,
			 "%s is in use (disksize %s); refusing to touch it (if it is yours and "
			 "idle: echo 1 > /sys/block/%s/reset)",
			 name, buf, name);
		return -1;
	}
	snprintf(path, sizeof(path), "/dev/%s", name);
	if (stat(path, &st) || !S_ISBLK(st.st_mode)) {
		snprintf(err, errlen, "%s is not a block device", path);
		return -1;
	}
	if (zram_in_swaps("/proc/swaps", name, st.st_rdev)) {
		snprintf(err, errlen, "%s is in use as swap; refusing to touch it", path);
		return -1;
	}
	return 0;
}

int zram_algorithms(const char *name, char *buf, size_t len, char *err, size_t errlen)
{
	char path[160], raw[512];
	size_t o = 0;

	snprintf(path, sizeof(path), "/sys/block/%s/comp_algorithm", name);
	if (read_small(path, raw, sizeof(raw))) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	/* "[lzo-rle] lzo lz4": drop the brackets around the current one */
	buf[0] = '\0';
	for (char *t = strtok(raw, " \n"); t; t = strtok(NULL, " \n")) {
		size_t n = strlen(t);

		if (t[0] == '[' && n > 2 && t[n - 1] == ']') {
			t[n - 1] = '\0';
			t++;
		}
		o += snprintf(buf + o, o < len ? len - o : 0, "%s%s", o ? " " : "", t);
	}
	return 0;
}

static bool word_in(const char *word, const char *list)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

int zram_setup(struct zram_dev *z, const char *name, const char *codec, uint64_t disksize,
	       char *err, size_t errlen)
{
	struct zram_slot *s = NULL;
	char path[192], algs[256], num[32];

	memset(z, 0, sizeof(*z));
	z->slot = -1;
	if (zram_check_unused(name, err, errlen))
		return -1;
	if (zram_algorithms(name, algs, sizeof(algs), err, errlen))
		return -1;
	if (!word_in(codec, algs)) {
		snprintf(err, errlen, "%s: the kernel has no compressor '%s' (available: %s)", name,
			 codec, algs);
		return -1;
	}
	for (int i = 0; i < ZRAM_SLOTS; i++) {
		if (!zram_slots[i].used) {
			s = &zram_slots[i];
			z->slot = i;
			break;
		}
	}
	if (!s) {
		snprintf(err, errlen, "too many zram devices in use by this process");
		return -1;
	}
	snprintf(z->name, sizeof(z->name), "%s", name);
	snprintf(z->sys, sizeof(z->sys), "/sys/block/%s", name);
	snprintf(z->dev, sizeof(z->dev), "/dev/%s", name);
	s->fd = -1;
	s->mm_fd = -1;
	s->touched = 0;
	snprintf(s->reset_path, sizeof(s->reset_path), "%s/reset", z->sys);
	s->used = 1;
	zpb_cleanup_push(zram_cleanup_hook, s);

	snprintf(path, sizeof(path), "%s/comp_algorithm", z->sys);
	if (write_small(path, codec)) {
		snprintf(err, errlen, "%s: cannot set compressor %s: %s%s", name, codec,
			 strerror(errno),
			 errno == EBUSY ? " (another program initialised the device)" : "");
		return -1;
	}
	/* from here on the device differs from how we found it */
	s->touched = 1;
	snprintf(path, sizeof(path), "%s/disksize", z->sys);
	snprintf(num, sizeof(num), "%" PRIu64, disksize);
	if (write_small(path, num)) {
		int e = errno;

		if (e == EBUSY)
			s->touched = 0; /* someone else initialised it: theirs now, hands off */
		snprintf(err, errlen, "%s: cannot set disksize %s: %s%s", name, num, strerror(e),
			 e == EBUSY ? " (another program initialised the device)" : "");
		return -1;
	}
	s->fd = open(z->dev, O_RDWR | O_DIRECT | O_CLOEXEC);
	if (s->fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", z->dev, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/mm_stat", z->sys);
	s->mm_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->mm_fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int zram_read_mm_stat(struct zram_dev *z, struct zram_mm_stat *st, char *err, size_t errlen)
{
	struct zram_slot *s = &zram_slots[z->slot];
	char buf[512];
	ssize_t n = pread(s->mm_fd, buf, sizeof(buf) - 1, 0);
	uint64_t v[9];
	char *p = buf;

	if (n <= 0) {
		snprintf(err, errlen, "cannot read %s/mm_stat: %s", z->sys,
			 n < 0 ? strerror(errno) : "empty");
		return -1;
	}
	buf[n] = '\0';
	for (int i = 0; i < 9; i++) {
		char *end;

		errno = 0;
		v[i] = strtoull(p, &end, 10);
		if (end == p || errno) {
			snprintf(err, errlen, "%s/mm_stat: unexpected content (field %d)", z->sys,
				 i + 1);
			return -1;
		}
		p = end;
	}
	*st = (struct zram_mm_stat){ v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8] };
	return 0;
}

int zram_write_page(struct zram_dev *z, uint64_t slot, const void *page, char *err, size_t errlen)
{
	struct zram_slot *s = &zram_slots[z->slot];
	ssize_t n = pwrite(s->fd, page, ZRAM_PAGE, (off_t)(slot * ZRAM_PAGE));

	if (n != ZRAM_PAGE) {
		snprintf(err, errlen, "write of slot %" PRIu64 " to %s failed: %s", slot, z->dev,
			 n < 0 ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}

int zram_discard_page(struct zram_dev *z, uint64_t slot, char *err, size_t errlen)
{
	struct zram_slot *s = &zram_slots[z->slot];
	uint64_t range[2] = { slot * ZRAM_PAGE, ZRAM_PAGE };

	if (ioctl(s->fd, BLKDISCARD, range)) {
		snprintf(err, errlen, "discard of slot %" PRIu64 " on %s failed: %s", slot, z->dev,
			 strerror(errno));
		return -1;
	}
	return 0;
}

int zram_compact(struct zram_dev *z, char *err, size_t errlen)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/compact", z->sys);
	if (write_small(path, "1")) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int zram_release(struct zram_dev *z, char *err, size_t errlen)
{
	struct zram_slot *s;
	char path[160], buf[64];
	int was_touched;

	if (z->slot < 0)
		return 0;
	s = &zram_slots[z->slot];
	was_touched = s->touched;
	if (slot_reset(s)) {
		snprintf(err, errlen,
			 "could not reset %s (still busy after %d tries): run "
			 "'echo 1 > %s'",
			 z->name, RESET_TRIES, s->reset_path);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/disksize", z->sys);
	if (!read_small(path, buf, sizeof(buf)) && strtoull(buf, NULL, 10) != 0 && was_touched) {
		snprintf(err, errlen, "%s still has a disksize after reset", z->name);
		return -1;
	}
	return 0;
}
