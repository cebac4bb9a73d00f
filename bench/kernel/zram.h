/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zram.h - driving a kernel zram device as a ground-truth zsmalloc pool.
 *
 * The device must be unused (disksize 0, not swap); zram_setup() refuses
 * anything else, so a device another program configured is never touched.
 * Once setup has written to the device's sysfs files, a clean-up hook is
 * registered that closes the block device and writes 1 to "reset" (retrying
 * while the device is briefly busy), so the device is reset on every exit
 * path, SIGINT and SIGTERM included.  Nothing under /sys/class/zram-control/
 * is ever read: reading hot_add there creates a device.
 *
 * Per-operation ground truth: write one page with O_DIRECT (or discard one
 * slot with BLKDISCARD) and read mm_stat; the deltas give the kernel's
 * compressed length of the page, its same-filled and huge flags, and the
 * pool size after the operation.
 */
#ifndef ZPB_ZRAM_H
#define ZPB_ZRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ZRAM_PAGE 4096

/* /sys/block/zramN/mm_stat, in the kernel's order. */
struct zram_mm_stat {
	uint64_t orig_data_size;
	uint64_t compr_data_size;
	uint64_t mem_used_total;
	uint64_t mem_limit;
	uint64_t mem_used_max;
	uint64_t same_pages;
	uint64_t pages_compacted;
	uint64_t huge_pages;
	uint64_t huge_pages_since;
};

struct zram_dev {
	char name[32]; /* "zram0" */
	char sys[96];  /* /sys/block/zram0 */
	char dev[64];  /* /dev/zram0 */
	int slot;      /* process-wide state the clean-up hook uses; -1 if none */
};

/* "zram0" style name check; 0 or -1 with a message. */
int zram_check_name(const char *name, char *err, size_t errlen);

/*
 * 0 if the device exists and is unused; -1 with one line in @err naming the
 * reason (missing, initialised (disksize N), used as swap).
 */
int zram_check_unused(const char *name, char *err, size_t errlen);

/*
 * Is the block device @rdev, named @name ("zram0"), listed as swap in
 * @swaps ("/proc/swaps")?  Compared by device number, not by the path,
 * which depends on the root the swap was enabled from.
 */
bool zram_in_swaps(const char *swaps, const char *name, dev_t rdev);

/* Compressors the kernel offers for @name, space separated, into @buf. */
int zram_algorithms(const char *name, char *buf, size_t len, char *err, size_t errlen);

/*
 * Claim an unused device: set @codec and @disksize bytes, open it.
 * 0, or -1 with a message (the device is left as it was found).
 */
int zram_setup(struct zram_dev *z, const char *name, const char *codec, uint64_t disksize,
	       char *err, size_t errlen);

int zram_read_mm_stat(struct zram_dev *z, struct zram_mm_stat *st, char *err, size_t errlen);
/* @page must be ZRAM_PAGE bytes, 4096-aligned. */
int zram_write_page(struct zram_dev *z, uint64_t slot, const void *page, char *err, size_t errlen);
int zram_discard_page(struct zram_dev *z, uint64_t slot, char *err, size_t errlen);
int zram_compact(struct zram_dev *z, char *err, size_t errlen);

/*
 * Close the device and reset it if we touched it.  The clean-up hook stays
 * registered but has nothing left to do.
 * 0, or -1 with a message if the reset did not take (disksize still set).
 */
int zram_release(struct zram_dev *z, char *err, size_t errlen);

#endif /* ZPB_ZRAM_H */
