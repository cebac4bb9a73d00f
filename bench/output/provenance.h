/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * provenance.h - where a set of results came from: zpoolbench version and
 * git commit, compiler, CPU, kernel, codec library versions, date and the
 * command line (corpus checksums are added by the results writer).
 */
#ifndef ZPB_PROVENANCE_H
#define ZPB_PROVENANCE_H

struct provenance {
	char version[32];
	char git[64];
	char compiler[128];
	char cpu[128];
	int cores;
	char kernel[256];
	char codecs[160];  /* "lz4 1.9.4, zstd 1.5.4, lzo 2.10" */
	char date[32];	   /* UTC, ISO 8601 */
	char command[4096];
	/* the latency timer (timer.h): source, rate, resolution, overhead subtracted */
	char timer[512];
	char timer_source[64];
	double timer_ghz, timer_resolution_ns, timer_overhead_ns;
};

void provenance_collect(struct provenance *p, int argc, char **argv);

#endif /* ZPB_PROVENANCE_H */
