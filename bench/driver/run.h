/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * run.h - the benchmark matrix: corpora x codecs x allocators x workloads,
 * each cell repeated, through one front end.
 *
 * For every corpus and codec the pages are compressed once (pageset.h);
 * then for every allocator and repeat a fresh pool behind the front end
 * goes through fill, load and churn in that order (load and churn need a
 * filled pool; fill runs even when only load or churn is asked for).  The
 * replay workload runs a size trace through each allocator on its own.
 * Every row keeps the raw counts of each repeat; the results files
 * recompute everything else from them.
 */
#ifndef ZPB_RUN_H
#define ZPB_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "driver/codec.h"
#include "corpus/corpus.h"
#include "driver/frontend.h"
#include "driver/metrics.h"
#include "driver/workload.h"
#include "zpool.h"

#define RUN_MAX_CORPORA 32
#define RUN_MAX_ALLOCS 128
#define RUN_MAX_CODECS 16

struct run_opts {
	const char *corpora[RUN_MAX_CORPORA];
	int ncorpora;
	char allocs[RUN_MAX_ALLOCS][ZPOOL_SPEC_MAX];
	int nallocs;
	struct codec codecs[RUN_MAX_CODECS];
	int ncodecs;
	unsigned int workloads; /* 1 << enum workload_kind */
	const char *trace;
	struct fe_config fe;
	struct wl_params wl;
	int repeat;
	uint64_t objects;	/* stored by the fill: 0 = one per corpus page; more cycle through it */
	int compress_threads;	/* for building the page sets; 0 = all cores */
	const char *ccache;	/* compression cache folder, "off", or NULL: the default */
	/*
	 * Corpora already opened (and checked) by the caller, or NULL: the run
	 * uses and closes them instead of opening (and hashing) them again.
	 */
	struct corpus *opened[RUN_MAX_CORPORA];
	bool boundaries;	/* probe each allocator's size classes */
};

struct run_row {
	char corpus[256];
	char codec[32];
	char alloc[ZPOOL_SPEC_MAX];
	enum workload_kind wl;
	int nrep;
	struct raw_counts *rep;
	/* set by results_tradeoff() on the basis of tradeoff.h (medians over repeats) */
	double tput_mops;
	double tradeoff_density;
	bool pareto;
};

struct run_corpus_info {
	char name[256];
	char path[4096];
	char sha256[65];
	uint64_t pages;
};

#define SIZE_BUCKET 32
#define SIZE_NBUCKETS (4096 / SIZE_BUCKET + 1) /* the last one: 4096 and above */

struct run_sizes {
	char corpus[256];
	char codec[32];
	uint64_t same;
	uint64_t count[SIZE_NBUCKETS];
	uint64_t compress_ns; /* wall clock for compressing the corpus */
	uint64_t compressed_bytes, pages;
	bool cached;	      /* taken from the compression cache (compress_ns: when it was built) */
	char cache_path[4096]; /* the cache file, "" without a cache */
};

struct run_curve {
	char corpus[256];
	char codec[32];
	char alloc[ZPOOL_SPEC_MAX];
	struct curve c;
};

/* One size-class boundary of an allocator, found through the zpool interface. */
struct run_bound {
	char alloc[ZPOOL_SPEC_MAX];
	const char *kind; /* "class" (largest size of a class), "huge", "max" */
	uint32_t size;
};

struct run_results {
	struct run_row *rows;
	int nrows, caprows;
	struct run_corpus_info corpora[RUN_MAX_CORPORA];
	int ncorpora;
	struct run_sizes *sizes;
	int nsizes;
	struct run_curve *curves;
	int ncurves;
	struct run_bound *bounds;
	int nbounds, capbounds;
	uint64_t wall_ns;
};

/* Parse "fill,load,churn,replay" into a mask; -1 with a message. */
int run_parse_workloads(const char *list, unsigned int *mask, char *err, size_t errlen);
/* Append "ideal" unless present; 0, or -1 if the list is full. */
int run_add_ideal(struct run_opts *o);

/* Run the matrix.  0, or -1 with one line in @err; @res is filled either way. */
int run_execute(const struct run_opts *o, struct run_results *res, char *err, size_t errlen);
void run_results_free(struct run_results *res);

/* Probe an allocator's size classes by allocating 1..4096 bytes (exposed for tests). */
int run_probe_bounds(const char *spec, struct run_results *res, char *err, size_t errlen);

/* Human name of an allocator spec without commas or spaces (plot labels): "z3fold:compaction=extra;gap=2". */
void run_label(const char *spec, char *out, size_t len);

#endif /* ZPB_RUN_H */
