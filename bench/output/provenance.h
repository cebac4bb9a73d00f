/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * provenance.h - where a set of results came from: zpoolbench version and
 * git commit, compiler, CPU, kernel, codec library versions, host name,
 * load average at the start and at the end, date and command line, and
 * what was run (front end, threads, repeats, seed, churn, objects, the
 * shard of a split run, a sweep's goal).  Corpus checksums are added by the
 * results writer.  A merged results folder (`zpoolbench report`) keeps the
 * provenance of every folder it merged, each with its path.
 */
#ifndef ZPB_PROVENANCE_H
#define ZPB_PROVENANCE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct jw;

#define PROV_NLOAD 3

struct provenance {
	char version[32];
	char git[64];
	char compiler[128];
	char cpu[128];
	int cores;
	char kernel[256];
	char codecs[160];				     /* "lz4 1.9.4, zstd 1.5.4, lzo 2.10" */
	char host[256];					     /* gethostname() */
	double load_start[PROV_NLOAD], load_end[PROV_NLOAD]; /* /proc/loadavg; NAN: unknown */
	char date[32];					     /* UTC, ISO 8601 */
	char command[4096];
	/*
	 * The latency timer (timer.h): source, rate, resolution and the
	 * overhead subtracted from every sample; @timer is the one-line
	 * description.  Results of older versions give timer_ns, the median
	 * of back-to-back clock reads, not subtracted (@timer then says so).
	 */
	char timer[512];
	char timer_source[64];
	double timer_ghz, timer_resolution_ns, timer_overhead_ns;
	/* what was run: set by run and sweep (has_run), or read from a results folder */
	bool has_run;
	char kind[16]; /* "run", "sweep" */
	char frontend[128];
	int threads, repeat;
	uint64_t seed, objects; /* objects 0: one per corpus page */
	unsigned int churn_rounds, churn_percent;
	unsigned int compact_every; /* churn rounds between compactions; 0: only at the end */
	int shard, nshards; /* this folder holds shard @shard of @nshards (nshards 0: whole) */
	char plan[17];	    /* the run's plan (cells and settings), hex: shards share it */
	int cells;	    /* cells in the plan */
	/* a sweep's verdict (kind "sweep") */
	char prefer[16];     /* "balanced", "density", "speed" */
	uint64_t max_ns_p99; /* 0: no bound */
	char baseline[256];  /* the reference setting */
	/* read from a results folder: its path */
	char source[1024];
};

/* The machine and the command line now; the load average as the start's. */
void provenance_collect(struct provenance *p, int argc, char **argv);
/* The load average now, as the end's. */
void provenance_finish(struct provenance *p);

/* The fields as a JSON object (the writer is at a value position). */
void provenance_json(struct jw *w, const struct provenance *p);
/* The '#' comment lines of results.csv. */
void provenance_csv(FILE *f, const struct provenance *p);
/* One Markdown paragraph for report.md. */
void provenance_md(FILE *f, const struct provenance *p);
/* "0.52 0.40 0.31" or "unknown" */
const char *provenance_load_text(const double *load, char *buf, size_t len);

#endif /* ZPB_PROVENANCE_H */
