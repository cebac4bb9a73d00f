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
 *
 * Page sizes: a corpus is run at its own page size, or at each of
 * @page_sizes (a corpus of 16 KiB pages read as 4 KiB pages too: the same
 * bytes, see corpus.h).  An allocator spec without page= gets the page size
 * of the pages it stores (page=16384 added to its name); one that sets
 * page= runs only on pages of that size, and a run that would give it
 * others is refused before any work (run_spec_for_page()).  --objects counts
 * pages of the corpus's own size: a view of smaller pages stores as many
 * more objects, the same bytes.
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
#define RUN_MAX_PAGE_SIZES 3

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
	uint64_t objects; /* stored by the fill: 0 = one per corpus page; more cycle through it */
	int compress_threads; /* for building the page sets; 0 = all cores */
	const char *ccache;   /* compression cache folder, "off", or NULL: the default */
	/*
	 * Corpora already opened (and checked) by the caller, or NULL: the run
	 * uses and closes them instead of opening (and hashing) them again.
	 */
	struct corpus *opened[RUN_MAX_CORPORA];
	bool boundaries; /* probe each allocator's size classes */
	/*
	 * Run only shard @shard of @nshards (0 <= shard < nshards; nshards 0 or
	 * 1: everything): the cells of the plan (run_cells()) from
	 * shard * ncells / nshards up to (shard + 1) * ncells / nshards.
	 */
	int shard, nshards;
	/* the page sizes each corpus is read at; none: each at its own */
	uint32_t page_sizes[RUN_MAX_PAGE_SIZES];
	int npage_sizes;
};

/*
 * The plan of a run is its list of cells: (corpus, page size, codec,
 * setting) for the pool workloads, corpora outermost, then (trace,
 * setting) for replay, in the order given.  A cell's index is the same in every shard of a run, so
 * that results folders of shards merge back into the order of the whole.
 */
int run_cells(const struct run_opts *o);
/* Is cell @cell in this run's shard? */
bool run_cell_mine(const struct run_opts *o, int cell);

struct run_row {
	char corpus[256];
	char sha256[65]; /* of the corpus (of the trace for replay; "" if unknown) */
	char codec[32];
	char alloc[ZPOOL_SPEC_MAX];
	char frontend[128]; /* the front end's spec ("none" for replay) */
	uint64_t objects;   /* objects the fill stores (0 for replay) */
	enum workload_kind wl;
	uint32_t page_size; /* of the pages stored (and of the pool); 0: 4096 */
	int cell;	    /* its cell in the plan (run_cells) */
	int nrep;
	struct raw_counts *rep;
	double *values; /* read from a results.csv: the medians of every column, no counts */
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
	uint32_t page_size;
};

/* Compressed sizes in 128 buckets per page size (32 bytes for 4 KiB pages), and one above. */
#define SIZE_BUCKETS_PER_PAGE 128
#define SIZE_NBUCKETS (SIZE_BUCKETS_PER_PAGE + 1)  /* the last one: a page and above */
#define SIZE_BUCKET (4096 / SIZE_BUCKETS_PER_PAGE) /* of 4 KiB pages */

struct run_sizes {
	char corpus[256];
	char codec[32];
	uint32_t page_size; /* 0: 4096 */
	uint32_t bucket;    /* bytes per bucket: page_size / SIZE_BUCKETS_PER_PAGE */
	uint64_t same;
	uint64_t count[SIZE_NBUCKETS];
	uint64_t compress_ns; /* wall clock for compressing the corpus */
	uint64_t compressed_bytes, pages;
	bool cached; /* taken from the compression cache (compress_ns: when it was built) */
	char cache_path[4096]; /* the cache file, "" without a cache */
};

struct run_curve {
	char corpus[256];
	char codec[32];
	char alloc[ZPOOL_SPEC_MAX];
	uint32_t page_size;
	struct curve c;
};

/* One size-class boundary of an allocator, found through the zpool interface. */
struct run_bound {
	char alloc[ZPOOL_SPEC_MAX];
	uint32_t page_size;
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
/* The page size of a row's pages (4096 for rows that do not say). */
static inline uint32_t run_row_page(const struct run_row *r)
{
	if (r->page_size)
		return r->page_size;
	return r->rep && r->nrep && r->rep[0].page_size ? (uint32_t)r->rep[0].page_size : 4096;
}

/* Is @spec the ideal bound ("ideal", "ideal:page=16384")? */
bool run_is_ideal(const char *spec);
/* Append "ideal" unless present; 0, or -1 if the list is full. */
int run_add_ideal(struct run_opts *o);

/* Run the matrix.  0, or -1 with one line in @err; @res is filled either way. */
int run_execute(const struct run_opts *o, struct run_results *res, char *err, size_t errlen);
void run_results_free(struct run_results *res);

/*
 * Room for @n more rows (a loader adds rows itself): 0, or -1 out of
 * memory.  A row added gets @nrep zeroed repeats.
 */
struct run_row *run_add_row(struct run_results *res, const char *corpus, const char *codec,
			    const char *alloc, enum workload_kind wl, int nrep);
/* The same for a size-class boundary and a size histogram. */
int run_add_bound(struct run_results *res, const char *alloc, const char *kind, uint32_t size);
struct run_sizes *run_add_sizes(struct run_results *res);
struct curve *run_add_curve(struct run_results *res, const char *corpus, const char *codec,
			    const char *alloc);

/*
 * @spec for pools of @page-byte pages, normalised, into @out: page=@page
 * added when the spec gives no page= and @page is not 4096.  0; -2 with one
 * line in @err when the spec asks for another page size (or is not a valid
 * spec).
 */
/* The page size of the pools that store pages of @page bytes: 4096 with --unit, else @page. */
static inline uint32_t run_pool_page(const struct run_opts *o, uint32_t page)
{
	return o->fe.unit ? ZPOOL_PAGE_SIZE : page;
}

int run_spec_for_page(const char *spec, uint32_t page, char *out, size_t outlen, char *err,
		      size_t errlen);
/* @spec without its page= key ("zsmalloc:chain=4,page=16384" -> "zsmalloc:chain=4"). */
void run_spec_without_page(const char *spec, char *out, size_t len);

#endif /* ZPB_RUN_H */
