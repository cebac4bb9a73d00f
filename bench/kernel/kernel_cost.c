// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel_cost.c - see kernel_cost.h.  The device is driven through bench/kernel/zram.c
 * (refusal of a busy device, set-up, reset on every exit path).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kernel_cost.h"
#include "util.h"
#include "kernel/zram.h"

#define KC_DEVICE "zram0"
#define PAGE 4096

static struct zram_dev kc_dev;
static bool kc_open;
static uint64_t kc_pages;

int kc_zram_open(uint64_t pages, const char *comp, char *why, size_t len)
{
	char err[512];
	/* room for every page plus slack; the disk size costs nothing until written */
	uint64_t disksize = (pages + 256) * PAGE + (16ULL << 20);

	if (geteuid() != 0) {
		snprintf(why, len, "kernel side skipped: writing to /dev/" KC_DEVICE " needs root");
		return 1;
	}
	if (zram_check_unused(KC_DEVICE, err, sizeof(err))) {
		snprintf(why, len, "kernel side skipped: %s", err);
		return 1;
	}
	if (zram_setup(&kc_dev, KC_DEVICE, comp, disksize, err, sizeof(err))) {
		/* busy since the check, or no such compressor: the device is left as found */
		snprintf(why, len, "kernel side skipped: %s", err);
		return 1;
	}
	kc_open = true;
	kc_pages = pages + 256;
	return 0;
}

int kc_zram_write(const uint8_t *const *pages, const uint32_t *order, uint32_t n, uint64_t *lat,
		  uint64_t (*clk)(void), uint64_t *batch, char *err, size_t errlen)
{
	uint64_t b0;

	if (!kc_open) {
		snprintf(err, errlen, KC_DEVICE " is not open");
		return -1;
	}
	if (n > kc_pages) {
		snprintf(err, errlen, "zram0 was sized for %llu pages, not %u",
			 (unsigned long long)kc_pages, n);
		return -1;
	}
	for (uint32_t j = 0; j < n; j++)
		if (zram_discard_page(&kc_dev, order[j], err, errlen))
			return -1;
	b0 = clk();
	for (uint32_t j = 0; j < n; j++) {
		uint32_t i = order[j];
		uint64_t t0, t1;
		int w;

		if ((uintptr_t)pages[i] % PAGE) {
			snprintf(err, errlen, "page %u is not 4096-byte aligned (O_DIRECT)", i);
			return -1;
		}
		t0 = now_ns();
		w = zram_write_page(&kc_dev, i, pages[i], err, errlen);
		t1 = now_ns();
		if (w)
			return -1;
		lat[j] = t1 - t0;
		if (zpb_interrupted)
			return -1;
	}
	*batch = clk() - b0;
	return 0;
}

int kc_zram_mm_stat(uint64_t *orig, uint64_t *compr, uint64_t *mem_used)
{
	struct zram_mm_stat st;
	char err[256];

	if (!kc_open || zram_read_mm_stat(&kc_dev, &st, err, sizeof(err)))
		return -1;
	*orig = st.orig_data_size;
	*compr = st.compr_data_size;
	*mem_used = st.mem_used_total;
	return 0;
}

void kc_zram_close(void)
{
	char err[256];

	if (!kc_open)
		return;
	kc_open = false;
	if (zram_release(&kc_dev, err, sizeof(err)))
		zpb_err("%s", err);
}
