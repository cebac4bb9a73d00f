// SPDX-License-Identifier: GPL-2.0-only
/*
 * capture_opts.c - see capture_opts.h.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_opts.h"

const char *capture_device_name(const char *arg)
{
	return strncmp(arg, "/dev/", 5) ? arg : arg + 5;
}

static int check_device(const char *val, char *why, size_t len)
{
	const char *name = capture_device_name(val);

	if (*name && !strchr(name, '/') && strlen(name) <= 64)
		return 0;
	snprintf(why, len, "bad device name '%.100s' (e.g. zram0)", val);
	return -1;
}

static int check_pow2(const char *val, char *why, size_t len)
{
	size_t n = strspn(val, "0123456789");
	unsigned long v = n && !val[n] && n < 6 ? strtoul(val, NULL, 10) : 0;

	if (v >= 1 && v <= 1024 && !(v & (v - 1)))
		return 0;
	snprintf(why, len, "'%.100s' is not a power of two from 1 to 1024", val);
	return -1;
}

#define O(f) offsetof(struct capture_opts, f)

/* clang-format off */
const struct zpb_opt capture_opt_table[] = {
	{ .name = "device", .type = OPT_STRING, .arg = "NAME", .off = O(device),
	  .flags = OPT_REQUIRED, .check = check_device, .help = "the zram device, e.g. zram0" },
	{ .name = "trace", .type = OPT_STRING, .arg = "OUT.trace", .off = O(trace),
	  .flags = OPT_OUT,
	  .help = "size trace of what the pool stored (ID = slot = sector/8)" },
	{ .name = "trace-format", .type = OPT_ENUM, .values = "text|binary", .def = "text",
	  .off = O(trace_format),
	  .help = "the --trace encoding: text (format v1) or binary (see 'zpoolbench trace "
		  "convert')" },
	{ .name = "pages", .type = OPT_STRING, .arg = "OUT.pages", .off = O(pages),
	  .flags = OPT_OUT, .help = "every page written, 4096 bytes each, in write order" },
	{ .name = "addresses", .type = OPT_STRING, .arg = "OUT.tsv", .off = O(addresses),
	  .flags = OPT_OUT,
	  .help = "with --pages: where each page was, 'MAPPING PGOFF' a line (the folio's "
		  "mapping, for anonymous memory its anon_vma, and the page's index there, for "
		  "anonymous memory its virtual page number; 0 0 if unknown)" },
	{ .name = "pool", .type = OPT_STRING, .arg = "OUT.tsv", .off = O(pool), .flags = OPT_OUT,
	  .help = "pool pages over time: 'SECONDS POOL_PAGES' per change" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force),
	  .help = "replace existing --trace, --pages, --pool and --ready files" },
	{ .name = "duration", .type = OPT_DURATION, .min = 1, .max = 10000000000ULL,
	  .off = O(duration), .help = "stop after this long (default: at SIGINT or SIGTERM)" },
	{ .name = "sizes", .type = OPT_ENUM, .values = "kernel|lz4", .def = "kernel",
	  .off = O(sizes),
	  .help = "kernel: the sizes zram stored; lz4: liblz4's sizes of the captured pages" },
	{ .name = "ready", .type = OPT_STRING, .arg = "FILE", .off = O(ready), .flags = OPT_OUT,
	  .help = "create FILE once the tracer is attached" },
	{ .name = "memcg", .type = OPT_STRING, .arg = "DIR", .off = O(memcg),
	  .help = "only writes of pages charged to this memory cgroup" },
	{ .name = "ring-mb", .type = OPT_INT, .min = 1, .max = 1024, .def = "64",
	  .off = O(ring_mb), .check = check_pow2,
	  .help = "BPF ring buffer size in MiB, a power of two; raise it when the summary "
		  "reports 'drops: ... ring N' above 0" },
	{ .name = "verbose", .alias = 'v', .type = OPT_FLAG, .off = O(verbose),
	  .flags = OPT_REPEAT, .help = "libbpf warnings; twice: libbpf info messages too" },
	{ .name = NULL },
};
/* clang-format on */

const char capture_about[] =
	"Traces the writes and discards a zram device gets (BPF, root) until SIGINT,\n"
	"SIGTERM or the duration, then prints a summary.\n";
