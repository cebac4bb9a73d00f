/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * capture_opts.h - the options of `zpoolbench capture`, one table that
 * both read: the wrapper in bench/cmd/cmd_capture.c (for --help, the
 * checks before any work, and `zpoolbench help --options`) and zpb-capture
 * itself (zstrace.c), which the wrapper runs with the same words.
 */
#ifndef ZPB_CAPTURE_OPTS_H
#define ZPB_CAPTURE_OPTS_H

#include <stdint.h>

#include "opt.h"

enum { CAPTURE_SIZES_KERNEL, CAPTURE_SIZES_LZ4 };

struct capture_opts {
	const char *device, *trace, *pages, *addresses, *pool, *ready, *memcg;
	double duration; /* 0: until a signal */
	int sizes;
	uint64_t ring_mb;
	int verbose, force;
};

extern const struct zpb_opt capture_opt_table[];
extern const char capture_about[];

/* "zram0" of "/dev/zram0" or "zram0". */
const char *capture_device_name(const char *arg);

#endif /* ZPB_CAPTURE_OPTS_H */
