// SPDX-License-Identifier: GPL-2.0-only
/*
 * zstrace.bpf.c - kernel side of the zram tracer (see zstrace.h for the
 * event stream and zstrace.c for the loader).
 *
 * Only BTF tracepoints are used, because this is what kernels that refuse
 * fentry and kprobes still allow:
 *
 *   block_bio_queue / block_bio_complete   I/O to the zram disk, filtered on
 *                                          its dev_t; latency = complete - queue
 *   mm_page_alloc / mm_page_free           zspage pages: an order-0 movable
 *                                          allocation made while this task is
 *                                          inside a zram bio whose kernel stack
 *                                          passes through zs_malloc; a free of
 *                                          a page so counted
 *   kmem_cache_alloc                       calibration only (below)
 *   fentry/zs_malloc                       only where the kernel allows it
 *                                          (the loader test-loads it first)
 *
 * Reading a page's contents needs its kernel address.  x86-64 maps all
 * memory linearly at page_offset_base and keeps struct pages in an array at
 * vmemmap_base; both are randomised (1 GiB aligned) and, without
 * CONFIG_KALLSYMS_ALL, not in /proc/kallsyms.  So the loader calibrates: it
 * makes this program collect (struct slab/page, free object address) pairs
 * from slab caches its own syscalls touch, works out both bases and checks
 * them against each other (zstrace.c: calib_solve), then stores them here.
 *
 * Object sizes come from zram's own slot table, read at bio completion:
 * the low bits of each slot's flags word hold the length zram handed to
 * zs_malloc (4096 for a page stored uncompressed); the first flag bit is
 * the lowest value of enum zram_pageflags, read through BTF.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "zstrace.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load. */
const volatile unsigned int target_dev;		   /* kernel dev_t of the zram disk */
const volatile unsigned long long zs_malloc_start; /* [start, end) of zs_malloc's code */
const volatile unsigned long long zs_malloc_end;
const volatile unsigned int want_data;	     /* send page contents */
const volatile unsigned long long memcg_ino; /* only writes of this memcg's pages (0: all) */

/* Set by the loader after calibration (0 = page contents unavailable). */
unsigned long long page_offset_base_v;
unsigned long long vmemmap_base_v;
unsigned int calib_pid;

/* Results the loader reads. */
struct zs_calib_pair calib[ZS_CALIB_PAIRS];
unsigned int ncalib;
unsigned long long struct_page_size;
unsigned long long drops_ring;	   /* events lost: ring buffer full */
unsigned long long drops_inflight; /* bios not followed: in-flight table full */
unsigned long long drops_big;	   /* pages beyond ZS_MAX_BIO_PAGES in one bio */
unsigned long long drops_data;	   /* pages whose contents could not be read */
long long pool_pages;		   /* zspage pages the tracer has seen, net */
unsigned long long nbios[ZS_NR_OPS];
unsigned long long lat_hist[ZS_NR_OPS][ZS_HIST_BUCKETS];
unsigned long long lat_sum[ZS_NR_OPS];
unsigned long long zsm_calls; /* fentry/zs_malloc, where allowed */
unsigned long long zsm_bytes;
unsigned long long bio_seq;
unsigned long long zram_ptr; /* struct zram * of the device, seen at a write */
unsigned long long sweep_n;  /* slots the next sweep looks at */

/* Sweep result: bit s set = slot s holds something (object or same-filled). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ZS_SWEEP_WORDS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, unsigned int);
	__type(value, unsigned long long);
} occupied SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 << 20); /* the loader may change it */
} rb SEC(".maps");

struct inflight {
	unsigned long long seq;
	unsigned long long ts;
	unsigned long long sector;
	unsigned long long bytes;
	unsigned int npages;
	unsigned int op;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, unsigned long long); /* struct bio * */
	__type(value, struct inflight);
} inflight SEC(".maps");

/* Tasks inside a zram bio (key: tid, value: nesting depth). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, unsigned int);
	__type(value, unsigned int);
} intask SEC(".maps");

/* zspage pages the pool holds (key: struct page *). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1 << 20);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, unsigned long long);
	__type(value, unsigned char);
} zspages SEC(".maps");

/* Event assembly space: ring buffer records are written in one piece. */
struct scratch {
	struct zs_ev_page page;
	unsigned char spill[ZS_PAGE_SIZE]; /* lets a copy run past data[] for the verifier */
	struct zs_ev_done done;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, unsigned int);
	__type(value, struct scratch);
} scratch SEC(".maps");

static __always_inline int op_of(struct bio *bio)
{
	unsigned int opf = BPF_CORE_READ(bio, bi_opf) & 0xff; /* REQ_OP_MASK */

	if (opf == bpf_core_enum_value(enum req_op, REQ_OP_READ))
		return ZS_OP_READ;
	if (opf == bpf_core_enum_value(enum req_op, REQ_OP_WRITE))
		return BPF_CORE_READ(bio, bi_iter.bi_size) ? ZS_OP_WRITE : ZS_OP_OTHER;
	if (opf == bpf_core_enum_value(enum req_op, REQ_OP_DISCARD) ||
	    opf == bpf_core_enum_value(enum req_op, REQ_OP_WRITE_ZEROES))
		return ZS_OP_DISCARD;
	return ZS_OP_OTHER;
}

static __always_inline bool ours(struct bio *bio)
{
	return BPF_CORE_READ(bio, bi_bdev, bd_dev) == target_dev;
}

/*
 * Does the first page of a write belong to the memory cgroup whose
 * directory has inode number memcg_ino?  (A swap-out bio is one folio, of
 * one cgroup.)  page->memcg_data points to the mem_cgroup, flags in its low
 * bits; a cgroup directory's inode number is its kernfs node id.
 */
static __always_inline bool in_memcg(struct bio *bio)
{
	struct bio_vec *vecs = BPF_CORE_READ(bio, bi_io_vec);
	unsigned int idx = BPF_CORE_READ(bio, bi_iter.bi_idx);
	unsigned long long mask, md;
	struct mem_cgroup *mc;
	struct bio_vec bv;

	if (!bpf_core_field_exists(struct page, memcg_data) ||
	    bpf_probe_read_kernel(&bv, sizeof(bv), &vecs[idx & 0xffff]) || !bv.bv_page)
		return false;
	mask = bpf_core_enum_value(enum page_memcg_data_flags, __NR_MEMCG_DATA_FLAGS) - 1;
	md = BPF_CORE_READ(bv.bv_page, memcg_data);
	mc = (void *)(md & ~mask);
	return mc && BPF_CORE_READ(mc, css.cgroup, kn, id) == memcg_ino;
}

static __always_inline unsigned int log2_bucket(unsigned long long v)
{
	unsigned int b = 0;

	for (int i = 0; i < ZS_HIST_BUCKETS - 1; i++) {
		if (v <= 1)
			break;
		v >>= 1;
		b++;
	}
	return b;
}

static __always_inline void hdr_fill(struct zs_ev_hdr *h, unsigned int kind, unsigned long long seq)
{
	h->kind = kind;
	h->cpu = bpf_get_smp_processor_id();
	h->ts = bpf_ktime_get_ns();
	h->seq = seq;
}

static __always_inline unsigned long long page_va(unsigned long long page)
{
	unsigned long long spsz = bpf_core_type_size(struct page);

	if (!page_offset_base_v || !spsz || page < vmemmap_base_v)
		return 0;
	return page_offset_base_v + (page - vmemmap_base_v) / spsz * ZS_PAGE_SIZE;
}

static __always_inline void task_enter(void)
{
	unsigned int tid = (unsigned int)bpf_get_current_pid_tgid();
	unsigned int one = 1, *depth = bpf_map_lookup_elem(&intask, &tid);

	if (depth)
		__sync_fetch_and_add(depth, 1);
	else
		bpf_map_update_elem(&intask, &tid, &one, BPF_ANY);
}

static __always_inline void task_leave(void)
{
	unsigned int tid = (unsigned int)bpf_get_current_pid_tgid();
	unsigned int *depth = bpf_map_lookup_elem(&intask, &tid);

	if (depth && *depth > 1)
		__sync_fetch_and_sub(depth, 1);
	else if (depth)
		bpf_map_delete_elem(&intask, &tid);
}

/*
 * Where the page at byte @off of a bvec's first page was: its folio's
 * mapping and index (a swap-out writes a folio of anonymous memory: the
 * anon_vma and the virtual page number, unless the region was mremap()ed;
 * a shmem page: its file and offset), the page's place in a large folio
 * added.  Both 0 when they cannot be read.
 */
static __always_inline void page_place(struct bio_vec *bv, unsigned int off, struct zs_ev_page *pg)
{
	unsigned long long spsz = bpf_core_type_size(struct page);
	unsigned long long page, head, ch = 0;
	struct folio *f;

	pg->mapping = 0;
	pg->pgoff = 0;
	if (!spsz || !bpf_core_type_exists(struct folio) || !bv->bv_page)
		return;
	page = (unsigned long long)bv->bv_page +
	       (unsigned long long)((bv->bv_offset + off) >> 12) * spsz;
	head = page;
	if (!bpf_core_read(&ch, sizeof(ch), &((struct page *)page)->compound_head) && (ch & 1))
		head = ch - 1;
	f = (struct folio *)head;
	pg->mapping = (unsigned long long)BPF_CORE_READ(f, mapping);
	pg->pgoff = BPF_CORE_READ(f, index) + (page - head) / spsz;
}

/*
 * Walking the data of a write bio: one step copies one piece (the part of
 * a bvec that falls into the current 4 KiB device page) and sends the
 * page when it is full.  Multi-page bvecs are contiguous in the linear map,
 * so one piece may span several struct pages.
 */
struct walk {
	struct bio_vec *vecs;
	unsigned int idx; /* current bvec */
	unsigned int vcnt;
	unsigned int boff;   /* bytes of the current bvec consumed */
	unsigned int fill;   /* bytes of the current device page filled */
	unsigned int pageno; /* device page within the bio */
	unsigned int npages;
	unsigned long long sector;
	unsigned long long seq;
	struct scratch *s;
};

static long walk_step(unsigned int i, struct walk *w)
{
	struct bio_vec bv;
	unsigned long long va;
	unsigned int piece, fill;
	struct scratch *s = w->s;

	if (w->idx >= w->vcnt || w->pageno >= w->npages || !s)
		return 1;
	if (bpf_probe_read_kernel(&bv, sizeof(bv), &w->vecs[w->idx & 0xffff]))
		return 1;
	if (w->boff >= bv.bv_len) {
		w->idx++;
		w->boff = 0;
		return 0;
	}
	fill = w->fill & (ZS_PAGE_SIZE - 1);
	if (fill == 0)
		page_place(&bv, w->boff, &s->page);
	piece = bv.bv_len - w->boff;
	if (piece > ZS_PAGE_SIZE - fill)
		piece = ZS_PAGE_SIZE - fill;
	piece &= 0x1fff;
	if (piece > ZS_PAGE_SIZE)
		piece = ZS_PAGE_SIZE;
	va = page_va((unsigned long long)bv.bv_page);
	if (!va || bpf_probe_read_kernel(s->page.data + fill, piece,
					 (void *)(va + bv.bv_offset + w->boff)))
		s->page.has_data = 0;
	w->boff += piece;
	w->fill = fill + piece;
	if (w->fill == ZS_PAGE_SIZE) {
		hdr_fill(&s->page.h, ZS_EV_PAGE, w->seq);
		s->page.sector = w->sector + (unsigned long long)w->pageno * ZS_SECTORS_PER_PAGE;
		s->page.index = w->pageno;
		if (!s->page.has_data)
			__sync_fetch_and_add(&drops_data, 1);
		if (bpf_ringbuf_output(&rb, &s->page, sizeof(s->page), 0))
			__sync_fetch_and_add(&drops_ring, 1);
		s->page.has_data = 1;
		w->fill = 0;
		w->pageno++;
	}
	return 0;
}

SEC("tp_btf/block_bio_queue")
int BPF_PROG(bio_queue, struct bio *bio)
{
	struct inflight in = {};
	unsigned long long key = (unsigned long long)bio;
	unsigned int bytes, zero = 0;
	int op;

	if (!ours(bio))
		return 0;
	op = op_of(bio);
	if (memcg_ino && op == ZS_OP_WRITE && !in_memcg(bio))
		return 0;
	bytes = BPF_CORE_READ(bio, bi_iter.bi_size);
	in.seq = __sync_fetch_and_add(&bio_seq, 1);
	in.ts = bpf_ktime_get_ns();
	in.sector = BPF_CORE_READ(bio, bi_iter.bi_sector);
	in.op = op;
	in.bytes = bytes;
	if (op == ZS_OP_DISCARD)
		in.npages = 0;
	else
		in.npages = bytes / ZS_PAGE_SIZE;
	if (in.npages > ZS_MAX_BIO_PAGES) {
		__sync_fetch_and_add(&drops_big, in.npages - ZS_MAX_BIO_PAGES);
		in.npages = ZS_MAX_BIO_PAGES;
	}
	if (bpf_map_update_elem(&inflight, &key, &in, BPF_ANY)) {
		__sync_fetch_and_add(&drops_inflight, 1);
		return 0;
	}
	task_enter();
	if (op == ZS_OP_WRITE && want_data) {
		struct walk w = {};

		w.s = bpf_map_lookup_elem(&scratch, &zero);
		if (!w.s)
			return 0;
		w.s->page.has_data = 1;
		w.vecs = BPF_CORE_READ(bio, bi_io_vec);
		w.idx = BPF_CORE_READ(bio, bi_iter.bi_idx);
		w.boff = BPF_CORE_READ(bio, bi_iter.bi_bvec_done);
		w.vcnt = BPF_CORE_READ(bio, bi_vcnt);
		w.npages = in.npages;
		w.sector = in.sector;
		w.seq = in.seq;
		bpf_loop(2 * ZS_MAX_BIO_PAGES + 64, walk_step, &w, 0);
	}
	return 0;
}

/* What zram stored in each slot of a finished write. */
struct slots {
	unsigned long long table; /* struct zram_table_entry * */
	unsigned long long esize;
	unsigned long long first;
	unsigned long long flag_same;
	unsigned long long size_mask;
	struct zs_ev_done *d;
};

static long slot_step(unsigned int i, struct slots *sl)
{
	struct zram_table_entry *e;
	unsigned long flags = 0, handle = 0;
	struct zs_ev_done *d = sl->d;
	unsigned short v;

	if (!d || i >= d->npages || i >= ZS_MAX_BIO_PAGES)
		return 1;
	e = (void *)(sl->table + (sl->first + i) * sl->esize);
	if (bpf_core_read(&flags, sizeof(flags), &e->flags) ||
	    bpf_core_read(&handle, sizeof(handle), &e->handle))
		v = ZS_SLOT_EMPTY;
	else if (flags & sl->flag_same)
		v = ZS_SLOT_SAME;
	else if (!handle)
		v = ZS_SLOT_EMPTY;
	else
		v = flags & sl->size_mask & ZS_SLOT_SIZE_MASK;
	d->sizes[i & (ZS_MAX_BIO_PAGES - 1)] = v;
	return 0;
}

static __always_inline void read_slots(struct bio *bio, struct zs_ev_done *d)
{
	struct zram *zram = BPF_CORE_READ(bio, bi_bdev, bd_disk, private_data);
	struct slots sl = {};
	unsigned int same_bit;

	if (!bpf_core_type_exists(struct zram_table_entry) ||
	    !bpf_core_field_exists(struct zram_table_entry, flags) ||
	    !bpf_core_enum_value_exists(enum zram_pageflags, ZRAM_SAME) || !zram)
		return;
	same_bit = bpf_core_enum_value(enum zram_pageflags, ZRAM_SAME);
	if (same_bit < 13 || same_bit > 40)
		return;
	sl.table = (unsigned long long)BPF_CORE_READ(zram, table);
	if (!sl.table)
		return;
	zram_ptr = (unsigned long long)zram;
	sl.esize = bpf_core_type_size(struct zram_table_entry);
	sl.first = d->sector / ZS_SECTORS_PER_PAGE;
	sl.flag_same = 1ULL << same_bit;
	sl.size_mask = (1ULL << same_bit) - 1;
	sl.d = d;
	bpf_loop(ZS_MAX_BIO_PAGES, slot_step, &sl, 0);
	d->have_sizes = 1;
}

SEC("tp_btf/block_bio_complete")
int BPF_PROG(bio_complete, struct request_queue *q, struct bio *bio)
{
	unsigned long long key = (unsigned long long)bio, lat;
	struct inflight *in;
	unsigned int zero = 0, op, b;
	struct scratch *s;

	if (!ours(bio))
		return 0;
	in = bpf_map_lookup_elem(&inflight, &key);
	if (!in)
		return 0;
	lat = bpf_ktime_get_ns() - in->ts;
	op = in->op & 3;
	__sync_fetch_and_add(&nbios[op], 1);
	__sync_fetch_and_add(&lat_sum[op], lat);
	b = log2_bucket(lat);
	if (b < ZS_HIST_BUCKETS)
		__sync_fetch_and_add(&lat_hist[op][b], 1);

	if (op == ZS_OP_WRITE) {
		s = bpf_map_lookup_elem(&scratch, &zero);
		if (s) {
			struct zs_ev_done *d = &s->done;

			hdr_fill(&d->h, ZS_EV_DONE, in->seq);
			d->sector = in->sector;
			d->lat_ns = lat;
			d->npages = in->npages;
			d->status = BPF_CORE_READ(bio, bi_status);
			d->have_sizes = 0;
			read_slots(bio, d);
			if (bpf_ringbuf_output(&rb, d, sizeof(*d), 0))
				__sync_fetch_and_add(&drops_ring, 1);
		}
	} else if (op == ZS_OP_DISCARD) {
		struct zs_ev_discard *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);

		if (!e) {
			__sync_fetch_and_add(&drops_ring, 1);
		} else {
			hdr_fill(&e->h, ZS_EV_DISCARD, in->seq);
			e->sector = in->sector;
			e->bytes = in->bytes;
			e->status = BPF_CORE_READ(bio, bi_status);
			bpf_ringbuf_submit(e, 0);
		}
	}
	bpf_map_delete_elem(&inflight, &key);
	task_leave();
	return 0;
}

static __always_inline void pool_event(long long delta)
{
	struct zs_ev_pool *e;
	long long now = __sync_fetch_and_add(&pool_pages, delta) + delta;

	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&drops_ring, 1);
		return;
	}
	hdr_fill(&e->h, ZS_EV_POOL, 0);
	e->delta = delta;
	e->pages = now;
	bpf_ringbuf_submit(e, 0);
}

#define STACK_DEPTH 24

SEC("tp_btf/mm_page_alloc")
int BPF_PROG(page_alloc, struct page *page, unsigned int order, gfp_t gfp, int migratetype)
{
	unsigned int tid = (unsigned int)bpf_get_current_pid_tgid();
	unsigned long long stack[STACK_DEPTH], key = (unsigned long long)page;
	unsigned char one = 1;
	long n;

	if (order != 0 || !zs_malloc_start || !bpf_map_lookup_elem(&intask, &tid))
		return 0;
	/*
	 * zs_malloc's own slab allocations (handles, zspage descriptors) drop
	 * __GFP_MOVABLE from the caller's flags; zspage pages keep it.
	 */
	if (!(gfp & (1U << ___GFP_MOVABLE_BIT))) /* an anonymous enum: no CO-RE; bit 3 for ever */
		return 0;
	n = bpf_get_stack(ctx, stack, sizeof(stack), 0);
	if (n <= 0)
		return 0;
	for (int i = 0; i < STACK_DEPTH; i++) {
		if (i * 8 >= n)
			break;
		if (stack[i] >= zs_malloc_start && stack[i] < zs_malloc_end) {
			if (!bpf_map_update_elem(&zspages, &key, &one, BPF_NOEXIST))
				pool_event(1);
			break;
		}
	}
	return 0;
}

SEC("tp_btf/mm_page_free")
int BPF_PROG(page_free, struct page *page, unsigned int order)
{
	unsigned long long key = (unsigned long long)page;

	if (!bpf_map_delete_elem(&zspages, &key))
		pool_event(-1);
	return 0;
}

/*
 * Calibration: while calib_pid allocates from slab caches, note partial
 * slabs (struct slab is the struct page of the slab's first page) and the
 * address of a free object inside them.
 */
SEC("tp_btf/kmem_cache_alloc")
int BPF_PROG(calib_alloc, unsigned long call_site, const void *ptr, struct kmem_cache *s)
{
	struct kmem_cache_node *node;
	struct list_head *head, *pos;
	unsigned long long off;
	unsigned int order;

	if (!calib_pid || (bpf_get_current_pid_tgid() >> 32) != calib_pid || !s)
		return 0;
	struct_page_size = bpf_core_type_size(struct page);
	node = BPF_CORE_READ(s, node[0]);
	if (!node)
		return 0;
	order = BPF_CORE_READ(s, oo.x) >> 16; /* order in the high half of oo */
	off = bpf_core_field_offset(struct slab, slab_list);
	head = &node->partial;
	pos = BPF_CORE_READ(node, partial.next);
	for (int i = 0; i < 2; i++) {
		struct slab *sl;
		void *fl;
		unsigned int k;

		if (!pos || pos == head)
			break;
		sl = (void *)pos - off;
		fl = BPF_CORE_READ(sl, freelist);
		k = ncalib;
		if (fl && k < ZS_CALIB_PAIRS) {
			calib[k].page = (unsigned long long)sl;
			calib[k].addr = (unsigned long long)fl;
			calib[k].order = order;
			ncalib = k + 1;
		}
		pos = BPF_CORE_READ(pos, next);
	}
	return 0;
}

/*
 * Sweep, run on demand by the loader (BPF_PROG_RUN): which slots of the
 * zram table hold something.  Swap frees slots without any I/O
 * (slot_free_notify); comparing with the trace's live slots finds them.
 */
struct sweep {
	unsigned long long table;
	unsigned long long esize;
	unsigned long long flag_same;
};

static long sweep_step(unsigned int i, struct sweep *sw)
{
	struct zram_table_entry *e = (void *)(sw->table + (unsigned long long)i * sw->esize);
	unsigned long flags = 0, handle = 0;
	unsigned int word = i / 64;
	unsigned long long *w;

	if (bpf_core_read(&flags, sizeof(flags), &e->flags) ||
	    bpf_core_read(&handle, sizeof(handle), &e->handle))
		return 1;
	w = bpf_map_lookup_elem(&occupied, &word);
	if (!w)
		return 1;
	if (handle || (flags & sw->flag_same))
		*w |= 1ULL << (i % 64);
	else
		*w &= ~(1ULL << (i % 64));
	return 0;
}

SEC("syscall")
int sweep(void *ctx)
{
	struct zram *zram = (void *)zram_ptr;
	struct sweep sw = {};
	unsigned long long n = sweep_n;

	if (!zram || !bpf_core_type_exists(struct zram_table_entry) ||
	    !bpf_core_field_exists(struct zram_table_entry, flags) ||
	    !bpf_core_enum_value_exists(enum zram_pageflags, ZRAM_SAME))
		return -1;
	sw.table = (unsigned long long)BPF_CORE_READ(zram, table);
	if (!sw.table)
		return -1;
	sw.esize = bpf_core_type_size(struct zram_table_entry);
	sw.flag_same = 1ULL << bpf_core_enum_value(enum zram_pageflags, ZRAM_SAME);
	if (n > ZS_SWEEP_WORDS * 64ULL)
		n = ZS_SWEEP_WORDS * 64ULL;
	return bpf_loop(n, sweep_step, &sw, 0);
}

/* Only loaded where the kernel allows fentry (the loader test-loads it). */
SEC("fentry/zs_malloc")
int BPF_PROG(zsm_entry, struct zs_pool *pool, size_t size)
{
	__sync_fetch_and_add(&zsm_calls, 1);
	__sync_fetch_and_add(&zsm_bytes, size);
	return 0;
}
