/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel_cost.h - the kernel's cost of storing a page in a compressed pool,
 * measured on /dev/zram0 (a live zsmalloc): each page written with one
 * O_DIRECT pwrite of 4096 bytes and timed, so the figure is the whole
 * kernel path (syscall, block layer, zram's same-filled check, lz4 compress,
 * zs_malloc, copy) that zpoolbench's userspace store path is compared with.
 *
 * The device is taken only when it is free (root, disksize 0, not in
 * /proc/swaps, opened with O_EXCL) and is reset on every exit path, SIGINT
 * and SIGTERM included, through a zpb_cleanup_push() hook.
 */
#ifndef ZPB_KERNEL_COST_H
#define ZPB_KERNEL_COST_H

#include <stddef.h>
#include <stdint.h>

/*
 * Take zram0 with compressor @comp and room for @pages pages.  0: it is
 * ours; 1: the kernel side cannot run here, with the reason in @why (not
 * root, no zram0, busy, compressor missing); -1: an error, message in @why.
 */
int kc_zram_open(uint64_t pages, const char *comp, char *why, size_t len);

/*
 * Discard every slot (untimed), then write page order[j] of @pages to slot
 * order[j] for j < @n, timing each pwrite in wall time: ns into lat[j].  The
 * whole batch is also timed with @clk (e.g. thread CPU time, which covers
 * the kernel's work: zram compresses and stores in the writer's context)
 * into *batch.  Pages must be 4096-byte aligned.  0, or -1 with a message
 * in @err.
 */
int kc_zram_write(const uint8_t *const *pages, const uint32_t *order, uint32_t n, uint64_t *lat,
		  uint64_t (*clk)(void), uint64_t *batch, char *err, size_t errlen);

/* mm_stat: orig_data_size, compr_data_size, mem_used_total (bytes); 0 or -1. */
int kc_zram_mm_stat(uint64_t *orig, uint64_t *compr, uint64_t *mem_used);

/* Close and reset the device now (also done by the exit hook). */
void kc_zram_close(void);

#endif /* ZPB_KERNEL_COST_H */
