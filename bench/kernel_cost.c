// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel_cost.c - see kernel_cost.h.
 */
#define _GNU_SOURCE /* O_DIRECT */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "kernel_cost.h"
#include "util.h"

#define ZRAM_SYS "/sys/block/zram0/"
#define ZRAM_DEV "/dev/zram0"
#define PAGE 4096

static int kc_fd = -1;
static volatile int kc_owned; /* disksize set by us: reset on exit */
static uint64_t kc_pages;

/* Read a small sysfs file into @buf (NUL-terminated, trailing newline cut); 0 or -1. */
static int sys_read(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), ZRAM_SYS "%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

/* Write @val to a sysfs file; 0 or -errno.  Async-signal-safe. */
static int sys_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, len) != (ssize_t)len)
		ret = -errno;
	close(fd);
	return ret;
}

/* Exit hook: close the device and reset it (EBUSY while a prober holds it: retry ~2 s). */
static void kc_reset_hook(void *arg)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	(void)arg;
	if (kc_fd >= 0) {
		close(kc_fd);
		kc_fd = -1;
	}
	if (!kc_owned)
		return;
	for (int i = 0; i < 200; i++) {
		if (sys_write(ZRAM_SYS "reset", "1") != -EBUSY)
			break;
		nanosleep(&ts, NULL);
	}
	kc_owned = 0;
}

/* The selected compressor of "lzo [lzo-rle] lz4" into @sel; whether @want is offered. */
static bool comp_parse(const char *list, const char *want, char *sel, size_t sellen)
{
	bool found = false;
	char tok[64];
	const char *p = list;

	sel[0] = '\0';
	while (*p) {
		size_t n = strcspn(p, " \t");
		bool cur = n >= 2 && p[0] == '[' && p[n - 1] == ']';
		const char *w = cur ? p + 1 : p;
		size_t wl = cur ? n - 2 : n;

		if (wl < sizeof(tok)) {
			memcpy(tok, w, wl);
			tok[wl] = '\0';
			if (!strcmp(tok, want))
				found = true;
			if (cur)
				snprintf(sel, sellen, "%s", tok);
		}
		p += n;
		p += strspn(p, " \t");
	}
	return found;
}

static bool in_swaps(void)
{
	char line[512];
	bool busy = false;
	FILE *f = fopen("/proc/swaps", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "zram0"))
			busy = true;
	fclose(f);
	return busy;
}

int kc_zram_open(uint64_t pages, const char *comp, char *why, size_t len)
{
	char buf[256], old[64], size[32];
	int ret;

	if (geteuid() != 0) {
		snprintf(why, len, "kernel side skipped: writing to /dev/zram0 needs root");
		return 1;
	}
	if (access(ZRAM_SYS "disksize", F_OK) || access(ZRAM_DEV, F_OK)) {
		snprintf(why, len, "kernel side skipped: no /dev/zram0 (modprobe zram)");
		return 1;
	}
	if (sys_read("disksize", buf, sizeof(buf))) {
		snprintf(why, len, "kernel side skipped: cannot read " ZRAM_SYS "disksize: %s",
			 strerror(errno));
		return 1;
	}
	if (strcmp(buf, "0") || in_swaps()) {
		snprintf(why, len,
			 "kernel side skipped: /dev/zram0 is busy (disksize %s%s); "
			 "run again when it is free",
			 buf, in_swaps() ? ", in /proc/swaps" : "");
		return 1;
	}
	if (sys_read("comp_algorithm", buf, sizeof(buf)) ||
	    !comp_parse(buf, comp, old, sizeof(old))) {
		snprintf(why, len, "kernel side skipped: zram has no %s compressor (offers: %s)",
			 comp, buf);
		return 1;
	}
	ret = sys_write(ZRAM_SYS "comp_algorithm", comp);
	if (ret == -EBUSY) {
		snprintf(why, len, "kernel side skipped: /dev/zram0 was taken by someone else");
		return 1;
	}
	if (ret) {
		snprintf(why, len, "cannot set zram0's comp_algorithm to %s: %s", comp,
			 strerror(-ret));
		return -1;
	}
	/* room for every page plus slack; the disk size costs nothing until written */
	snprintf(size, sizeof(size), "%llu",
		 (unsigned long long)((pages + 256) * PAGE + (16ULL << 20)));
	/* owned from before the write on: a signal right after it must still reset */
	kc_owned = 1;
	zpb_cleanup_push(kc_reset_hook, NULL);
	ret = sys_write(ZRAM_SYS "disksize", size);
	if (ret) {
		/* not ours: put the compressor back and leave the device alone */
		kc_owned = 0;
		zpb_cleanup_pop(false);
		if (old[0])
			sys_write(ZRAM_SYS "comp_algorithm", old);
		if (ret == -EBUSY) {
			snprintf(why, len, "kernel side skipped: /dev/zram0 was taken by someone else");
			return 1;
		}
		snprintf(why, len, "cannot set zram0's disksize to %s: %s", size, strerror(-ret));
		return -1;
	}
	kc_pages = pages + 256;
	kc_fd = open(ZRAM_DEV, O_RDWR | O_DIRECT | O_EXCL);
	if (kc_fd < 0) {
		snprintf(why, len, "cannot open " ZRAM_DEV " exclusively: %s", strerror(errno));
		kc_zram_close();
		return errno == EBUSY ? 1 : -1;
	}
	return 0;
}

int kc_zram_write(const uint8_t *const *pages, const uint32_t *order, uint32_t n, uint64_t *lat,
		  uint64_t (*clk)(void), uint64_t *batch, char *err, size_t errlen)
{
	uint64_t range[2] = { 0, kc_pages * PAGE }, b0;

	if (kc_fd < 0) {
		snprintf(err, errlen, "zram0 is not open");
		return -1;
	}
	if (n > kc_pages) {
		snprintf(err, errlen, "zram0 was sized for %llu pages, not %u",
			 (unsigned long long)kc_pages, n);
		return -1;
	}
	if (ioctl(kc_fd, BLKDISCARD, range)) {
		snprintf(err, errlen, "BLKDISCARD on zram0: %s", strerror(errno));
		return -1;
	}
	b0 = clk();
	for (uint32_t j = 0; j < n; j++) {
		uint32_t i = order[j];
		uint64_t t0, t1;
		ssize_t w;

		if ((uintptr_t)pages[i] % PAGE) {
			snprintf(err, errlen, "page %u is not 4096-byte aligned (O_DIRECT)", i);
			return -1;
		}
		t0 = now_ns();
		w = pwrite(kc_fd, pages[i], PAGE, (off_t)i * PAGE);
		t1 = now_ns();
		if (w != PAGE) {
			snprintf(err, errlen, "write of page %u to zram0: %s", i,
				 w < 0 ? strerror(errno) : "short write");
			return -1;
		}
		lat[j] = t1 - t0;
		if (zpb_interrupted)
			return -1;
	}
	*batch = clk() - b0;
	return 0;
}

int kc_zram_mm_stat(uint64_t *orig, uint64_t *compr, uint64_t *mem_used)
{
	char buf[512];
	unsigned long long o, c, m;

	if (sys_read("mm_stat", buf, sizeof(buf)) || sscanf(buf, "%llu %llu %llu", &o, &c, &m) != 3)
		return -1;
	*orig = o;
	*compr = c;
	*mem_used = m;
	return 0;
}

void kc_zram_close(void)
{
	/* the hook stays registered; with nothing owned it does nothing */
	kc_reset_hook(NULL);
}
