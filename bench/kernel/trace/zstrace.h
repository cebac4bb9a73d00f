/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zstrace.h - the events the zram tracer's BPF side (zstrace.bpf.c) sends
 * to its loader (zstrace.c) through one ring buffer, and the counters both
 * share.  Included by both sides, so only fixed-width types.
 *
 * What happens for one write bio to the traced zram device:
 *
 *	block_bio_queue     one ZS_EV_PAGE per 4 KiB page written, in device
 *	                    order, carrying the page contents when asked for,
 *	                    and where the page was: its folio's mapping (for
 *	                    anonymous memory the anon_vma, one per region of a
 *	                    process) and its index there (for anonymous memory
 *	                    the virtual page number); the bio gets a sequence
 *	                    number and a start time
 *	mm_page_alloc/free  one ZS_EV_POOL per zspage page the pool gains or
 *	(inside the bio)    loses (allocations whose kernel stack passes
 *	                    through zs_malloc; frees of pages seen so allocated)
 *	block_bio_complete  one ZS_EV_DONE: status and, per page, what zram
 *	                    stored there (read back from zram's slot table:
 *	                    the object size zs_malloc was given, or "same")
 *
 * Discards and write-zeroes give one ZS_EV_DISCARD each at completion.  The
 * ring buffer is one queue for all CPUs, so events arrive in the order they
 * were reserved.
 */
#ifndef ZSTRACE_H
#define ZSTRACE_H

#define ZS_PAGE_SIZE 4096
#define ZS_SECTORS_PER_PAGE 8
#define ZS_MAX_BIO_PAGES 256 /* pages per bio the tracer follows; more count as dropped */
#define ZS_HIST_BUCKETS 40   /* log2(ns) buckets: up to ~550 s */
#define ZS_CALIB_PAIRS 8
#define ZS_SWEEP_WORDS (1 << 16) /* slots a sweep covers: 64 per word, 4M (16 GiB) */

enum zs_ev_kind {
	ZS_EV_PAGE = 1,
	ZS_EV_DONE,
	ZS_EV_DISCARD,
	ZS_EV_POOL,
};

/* Latency histogram rows. */
enum zs_op {
	ZS_OP_READ,
	ZS_OP_WRITE,
	ZS_OP_DISCARD, /* discard and write-zeroes */
	ZS_OP_OTHER,   /* flush and anything else */
	ZS_NR_OPS,
};

/* Per-page slot state in ZS_EV_DONE.sizes[]: the low 13 bits are the size. */
#define ZS_SLOT_SIZE_MASK 0x1fff
#define ZS_SLOT_SAME 0x4000  /* same-filled: stored without allocation */
#define ZS_SLOT_EMPTY 0x8000 /* nothing stored (the write failed) */

struct zs_ev_hdr {
	unsigned int kind;
	unsigned int cpu;
	unsigned long long ts;	/* bpf_ktime_get_ns() */
	unsigned long long seq; /* bio sequence number (PAGE, DONE, DISCARD) */
};

/* ZS_EV_PAGE: one page of a write bio. */
struct zs_ev_page {
	struct zs_ev_hdr h;
	unsigned long long sector;
	unsigned int index;	    /* page number within the bio */
	unsigned int has_data;	    /* 1 if data[] holds the page */
	unsigned long long mapping; /* folio->mapping of the page written, 0: not known */
	unsigned long long pgoff;   /* folio->index + the page's place in its folio */
	unsigned char data[ZS_PAGE_SIZE];
};

/* ZS_EV_DONE: completion of a write bio. */
struct zs_ev_done {
	struct zs_ev_hdr h;
	unsigned long long sector;
	unsigned long long lat_ns;
	unsigned int npages;	 /* pages followed (<= ZS_MAX_BIO_PAGES) */
	int status;		 /* bi_status, 0 = ok */
	unsigned int have_sizes; /* 1 if sizes[] was read from zram's table */
	unsigned int pad;
	unsigned short sizes[ZS_MAX_BIO_PAGES];
};

/* ZS_EV_DISCARD: completion of a discard or write-zeroes bio. */
struct zs_ev_discard {
	struct zs_ev_hdr h;
	unsigned long long sector;
	unsigned long long bytes;
	int status;
	unsigned int pad;
};

/* ZS_EV_POOL: the pool gained (+1) or lost (-1) a page. */
struct zs_ev_pool {
	struct zs_ev_hdr h;
	long long delta;
	long long pages; /* pool pages after the change, as the tracer counts them */
};

/* One (struct page *, address inside that page's slab) pair for calibration. */
struct zs_calib_pair {
	unsigned long long page;
	unsigned long long addr;
	unsigned int order;
	unsigned int pad;
};

#endif /* ZSTRACE_H */
