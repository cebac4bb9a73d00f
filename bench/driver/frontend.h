/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * frontend.h - the rules a kernel front end applies around the allocator.
 *
 * The driver never stores into an allocator directly: every page goes
 * through one of these front ends, which decide what reaches the allocator
 * and in which form.  They use only the zpool interface (zpool_huge_size,
 * zpool_can_shrink, zpool_shrink), never an allocator's name.
 *
 * Pages are the pool's pages: a pool of 16 KiB pages (page=16384) takes a
 * page set of 16 KiB pages (pageset.h), and every rule below is about that
 * page: the same-filled test covers the whole page, a raw page is 16 KiB,
 * the huge threshold is the allocator's at that page size.
 *
 *  zram  (spec "zram[:mem_limit=BYTES]")
 *	same-filled pages take no allocation; a compressed length >=
 *	zpool_huge_size() (or >= the page size when the allocator has no such
 *	size) is stored raw, a whole page; with mem_limit, a store that leaves
 *	the pool above the limit is undone and refused (-ENOMEM, as zram's
 *	write fails).
 *
 *  zswap (spec "zswap[:kernel=6.1|6.12,ram=BYTES,max_pool_percent=P,
 *	accept_threshold_percent=A]"); kernel=6.1 (the default) is zswap as in
 *	Linux 6.1: the pool-limit check comes first (full when the pool
 *	exceeds ram * P / 100 pages; once full, stores are refused until it is
 *	below ram * P/100 * A/100; each refusal runs the shrink worker, which
 *	calls zpool_shrink(1) until the pool is below that threshold, when the
 *	allocator has reclaim); then same-filled pages (no allocation);
 *	compressed output over a page is refused (compress_poor); allocators
 *	with reclaim get an 8-byte header in front of the data (the swap
 *	entry, read back by the evict callback); -ENOSPC from the allocator
 *	is compress_poor, any other error alloc_fail.  Without ram= there is
 *	no pool limit.  Defaults P=20, A=90.
 *
 *  zswap:kernel=6.12, zswap as in Linux 6.12 (each rule measured in a 6.12
 *	guest, docs/oracle-qemu.md): a zero page never reaches zswap (the swap
 *	core keeps a bit for it: no allocation, counted as same-filled); every
 *	other page, same-filled or not, is compressed; then the pool limit
 *	(full when the pool has at least ram * P / 100 pages, once full until it
 *	has at most that * A / 100; a refusal while full runs the shrink worker);
 *	a compressed length above the page size is the compressor's failure
 *	(compress_fail); the object is the compressed length with no header;
 *	-ENOSPC from the allocator is compress_poor, any other error
 *	alloc_fail.  The shrink worker writes back the oldest stored pages of
 *	zswap's own LRU (any allocator: no allocator reclaim is used), giving a
 *	page stored since it was last looked at a second chance, until the pool
 *	is at or below the accept threshold or 16 looks found nothing to write
 *	back.  The kernel runs it asynchronously; here it runs at once, in the
 *	storing thread, so when writeback happens is not the kernel's.
 *
 *  none  every page compressed and handed to the allocator; over a page refused.
 *
 * Multi-page units (fe_config.unit, `run --unit`): the page set's pages are
 * units of 16 or 64 KiB (N address-contiguous 4 KiB pages, aligned), each
 * compressed as one object, as the 2024 zram/zsmalloc multi-page RFC does;
 * the pool keeps pages of its own size.  Every rule above applies to the
 * unit: same-filled means the whole unit, a raw object is a whole unit, the
 * zram huge threshold is zpool_huge_size_unit() (else the unit).  A load is
 * a read of one 4 KiB page of the unit (the page at slot mod N), as zram
 * reads a page of a multi-page object: the whole unit is decompressed and
 * the page copied out; of a raw unit only the page is copied.  The whole
 * unit is checked off the clock.
 *
 * Slots are the swap offsets / zram indices: each holds at most one page.
 * Operations on different slots may run on different threads; one slot is
 * used by one thread at a time, except that the writeback callback may
 * evict any slot (slot locks settle that, as zswap's tree lock does).
 */
#ifndef ZPB_FRONTEND_H
#define ZPB_FRONTEND_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "driver/codec.h"
#include "driver/metrics.h"
#include "driver/pageset.h"
#include "zpool.h"

enum fe_kind { FE_ZRAM, FE_ZSWAP, FE_NONE };

enum fe_zswap_kernel { FE_ZSWAP_61, FE_ZSWAP_612 };

struct fe_config {
	enum fe_kind kind;
	enum fe_zswap_kernel zswap_kernel; /* zswap: the kernel's rules */
	char spec[128];		  /* normalised: "zswap:ram=67108864,max_pool_percent=20" */
	uint64_t mem_limit_bytes; /* zram; 0 = none */
	uint64_t ram_bytes;	  /* zswap; 0 = no pool limit */
	/* the same in pages of the pool (fe_create() sets them in its copy) */
	uint64_t mem_limit_pages;
	uint64_t ram_pages;
	unsigned int max_pool_percent, accept_threshold_percent;
	/*
	 * --unit: bytes of one multi-page compression unit (16384, 65536), the
	 * page set's page; the pool keeps its own (smaller) pages and must
	 * hold objects of a unit (zpool_max_size).  0: units are pages.
	 */
	uint32_t unit;
};

#define FE_VALID                                                    \
	"zram[:mem_limit=BYTES], zswap[:kernel=6.1|6.12,ram=BYTES," \
	"max_pool_percent=1..100,accept_threshold_percent=1..100], none"

/* 0, or -1 with one line in @err.  BYTES take K, M, G suffixes. */
int fe_parse(const char *spec, struct fe_config *cfg, char *err, size_t errlen);

enum slot_state { SLOT_EMPTY, SLOT_SAME, SLOT_OBJ, SLOT_WRITTEN_BACK, SLOT_REJECTED };

/*
 * 12 bytes a slot (10 million slots: 114 MiB), as zram keeps a handle and
 * flags per slot: the handle, and the corpus page with the state in its
 * low 3 bits.  What else a slot's object is follows from the page's record
 * and the front end: stored raw when zram's huge rule says so, and then
 * a page long (4 or 16 KiB), else the page's compressed length; zswap's header added
 * either way (fe_slot_len(), fe_slot_raw()).
 */
struct fe_slot {
	unsigned long handle; /* the object; the word of a same-filled page (as zram keeps it) */
	uint32_t page_state;  /* corpus page << FE_STATE_BITS | enum slot_state */
} __attribute__((packed));

#define FE_STATE_BITS 3
#define FE_MAX_PAGES (1u << (32 - FE_STATE_BITS)) /* corpus pages a slot can name */

static inline uint32_t fe_slot_page(const struct fe_slot *s)
{
	return s->page_state >> FE_STATE_BITS;
}

static inline enum slot_state fe_slot_state(const struct fe_slot *s)
{
	return (enum slot_state)(s->page_state & ((1u << FE_STATE_BITS) - 1));
}

static inline void fe_slot_set(struct fe_slot *s, uint32_t page, enum slot_state st)
{
	s->page_state = page << FE_STATE_BITS | st;
}

struct fe_lru; /* frontend.c */

#define FE_STRIPES 256
#define FE_SHARDS 16

/*
 * Front-end counters, one copy per thread (FE_SHARDS cache-line aligned
 * shards, picked by fe_bind_thread()), summed when read: threads storing
 * side by side never write to a shared cache line.
 */
struct fe_counters {
	uint64_t pages, same_filled, stored, huge, compressed_bytes;
	uint64_t rejected, rej_poor, rej_limit, rej_alloc;
	uint64_t written_back, pool_limit_hit, reclaim_fail;
	uint64_t rej_fail; /* zswap 6.12: the compressor failed (output over a page); in rej_poor too */
};

struct fe_shard {
	struct fe_counters c;
} __attribute__((aligned(64)));

struct fe_stripe {
	pthread_mutex_t m;
} __attribute__((aligned(64)));

struct frontend {
	struct fe_config cfg;
	struct zpool *zp;
	const struct pageset *ps;
	size_t page;	  /* bytes per page of the page set: the pool's, or a unit */
	size_t pool_page; /* bytes per page of the pool */
	size_t huge;	  /* raw-storage threshold (zram) */
	size_t hlen;	  /* zswap header bytes */
	struct fe_slot *slots;
	uint64_t nslots;
	struct fe_stripe stripe[FE_STRIPES];
	pthread_mutex_t shrink_lock;
	int reached_full; /* zswap hysteresis */
	/* zswap 6.12 with a pool limit: its LRU of stored slots, oldest at the tail */
	pthread_mutex_t lru_lock;
	struct fe_lru *lru; /* one per slot, or NULL */
	uint64_t lru_head, lru_tail;
	struct fe_shard cs[FE_SHARDS];
	uint64_t copy_base;  /* zpool copy_bytes at the last counter reset */
	uint64_t moves_base; /* zpool moves at the last counter reset */
	/*
	 * A test seam: $ZPB_TEST_MODEL_CLOCK set makes every latency a cost
	 * computed from the operation (bytes, pool pages taken or given back)
	 * instead of a clock reading, so that two runs of one thread get equal
	 * figures and a test can compare what is derived from them (Pareto
	 * sets, recommendations) across runs.  Never for measurements.
	 */
	bool model_clock;
	/* first data mismatch seen (by a load or by writeback) */
	pthread_mutex_t err_lock;
	char err[512];
	int failed;
};

/*
 * A front end over a new pool of @alloc_spec with @nslots slots, for pages of
 * @ps: the pool's page size must be the page set's.  NULL with a message in
 * @err.
 */
struct frontend *fe_create(const struct fe_config *cfg, const char *alloc_spec,
			   const struct pageset *ps, uint64_t nslots, char *err, size_t errlen);
/* Frees every object still stored, then the pool. */
void fe_destroy(struct frontend *fe);

/* The calling thread's counter shard: workload thread @idx (the main thread is 0). */
void fe_bind_thread(unsigned int idx);
/*
 * The codec context the calling thread's stores may use to get an original
 * page back (a zram huge page is stored raw); without one, each such store
 * makes its own, off the clock.
 */
struct codec_ctx;
void fe_bind_codec(struct codec_ctx *cx);

/*
 * Operation timings of one call (timer.h: overhead off, dithered): alloc_ns
 * is the allocator path, e2e_ns the path with compression; @timed is false
 * when the allocator was not involved (a sample may be 0 ns).
 */
struct fe_lat {
	uint64_t alloc_ns, e2e_ns;
	bool timed;
};

/*
 * Store corpus page @page in empty @slot; the resulting slot state.  The
 * compressed bytes are first read into a per-thread buffer (as zram
 * compresses into a per-CPU buffer and copies from there), then the clock
 * runs over the front end's decisions and the allocator path.
 */
int fe_store(struct frontend *fe, uint64_t slot, uint32_t page, struct fe_lat *lat);
/*
 * Read @slot back and check it against the original page (decompressing
 * with @cx into @buf, a page): 0, or -1 after recording the
 * mismatch in fe->err.  The check is done after the clock stopped.  Slots without an object in the pool read as 0
 * with zero latencies.
 */
int fe_load(struct frontend *fe, uint64_t slot, struct codec_ctx *cx, uint8_t *buf,
	    struct fe_lat *lat);
/* Empty @slot (zswap invalidate / zram discard). */
void fe_free(struct frontend *fe, uint64_t slot, struct fe_lat *lat);

/* The front end's counters, summed over the threads' shards. */
void fe_counters_sum(struct frontend *fe, struct fe_counters *sum);

/* Zero the counters (after a warm-up); the pool's cumulative copy_bytes count from here. */
void fe_reset_counters(struct frontend *fe);

/* The counters, the pool's figures and stats into @r (front-end and allocator parts). */
void fe_snapshot(struct frontend *fe, struct raw_counts *r);

#endif /* ZPB_FRONTEND_H */
