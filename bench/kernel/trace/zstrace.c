// SPDX-License-Identifier: GPL-2.0-only
/*
 * zstrace.c - zpb-capture, the loader of the zram tracer (zstrace.bpf.c):
 * `zpoolbench capture` runs it.
 *
 *	zpb-capture --device zram0 [--trace OUT.trace] [--pages OUT.pages]
 *	            [--addresses OUT.tsv] [--pool OUT.tsv] [--duration S] [--sizes kernel|lz4]
 *	            [--ready FILE] [--memcg DIR] [--ring-mb N] [-v]
 *
 * Steps: check the device and the kernel (root, BTF, dev_t), find zs_malloc
 * in /proc/kallsyms (pool page counting), test-load fentry/zs_malloc (most
 * kernels of this project's machines refuse it: then say so and go on),
 * load the tracer, calibrate the linear map when page contents are wanted,
 * attach, and turn the event stream into the outputs until SIGINT/SIGTERM
 * or the duration.  Then detach, drain, print a summary and commit the
 * files (each appears only when complete).
 *
 * Object sizes: by default the ones zram itself stored (read from its slot
 * table by the BPF side at each write's completion: the exact lengths
 * zs_malloc was given).  --sizes lz4 (or a kernel without zram's types in
 * BTF) compresses each captured page with liblz4's LZ4_compress_default
 * instead: the userspace compressor, which differs from the kernel's on
 * some pages and ignores zram's huge-page rule; the trace says which.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <lz4.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "driver/trace.h"
#include "util.h"
#include "version.h"
#include "capture_opts.h"
#include "zscapture.h"
#include "zstrace.h"
#include "zstrace.skel.h"

#define GIB (1ULL << 30)
#define SWEEP_NS 500000000ULL /* how often zram's table is swept for frees without I/O */

struct state {
	struct capture_opts o;
	struct afile trace, pages, addrs, pool;
	struct trace_writer tw; /* the trace, into trace.f */
	int have_trace, have_pages, have_addrs, have_pool;
	struct zs_capture cap;
	int lz4_sizes;	    /* sizes from liblz4 rather than zram's table */
	uint16_t *lz4_size; /* per slot: size of the last page captured for it */
	uint64_t lz4_n;
	uint64_t t0; /* bpf_ktime of the start */
	/* counts from the event stream */
	uint64_t ev_page, ev_done, ev_discard, ev_pool;
	uint64_t pages_data, pages_nodata, write_pages, write_errors, no_size;
	uint64_t lz4_same;
	long long pool_last, pool_max;
	int oom;
	/* sweeps of zram's slot table (frees without I/O) */
	const volatile uint64_t *occ;
	int sweep_off;
	uint64_t sweeps;
};

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
	/* a second signal runs the clean-up hooks and ends the process */
	zpb_install_signal_handlers();
}

static int verbose_level;

static int libbpf_out(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || (level == LIBBPF_INFO && verbose_level < 2) ||
	    (level == LIBBPF_WARN && verbose_level < 1))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/*
 * The options: kernel/trace/capture_opts.c, the table `zpoolbench capture`
 * parses too.  0 to go on, else the process ends with *status (0 after
 * --help or --version, 2 after a usage error).
 */
static const struct zpb_optset capture_set = { .cmd = "capture",
					       .about = capture_about,
					       .opts = capture_opt_table };

static int parse_opts(int argc, char **argv, struct capture_opts *o, int *status)
{
	int r;

	memset(o, 0, sizeof(*o));
	argv[0] = "capture";
	r = opt_parse(&capture_set, argc, argv, o);
	*status = r == OPT_DONE ? 0 : r;
	if (r)
		return -1;
	o->device = capture_device_name(o->device);
	return 0;
}

/* The output files, checked as every command checks them (afile.h): 0 or 1. */
static int check_outputs(const struct capture_opts *o)
{
	static struct io_check io;
	int r;

	io_init(&io, "capture", o->force);
	opt_io(&capture_set, o, &io, NULL);
	r = io_verify(&io);
	io_free(&io);
	return r;
}

/* ---- the machine ------------------------------------------------------- */

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* The kernel's dev_t of /sys/block/NAME (major << 20 | minor). */
static int device_devt(const char *name, unsigned int *devt, char *majmin, size_t len)
{
	char path[128];
	unsigned int ma, mi;

	snprintf(path, sizeof(path), "/sys/block/%s/dev", name);
	if (read_line(path, majmin, len) || sscanf(majmin, "%u:%u", &ma, &mi) != 2)
		return -1;
	*devt = ma << 20 | mi;
	return 0;
}

struct mm_stat {
	uint64_t orig, compr, mem_used;
	int ok;
};

static struct mm_stat read_mm_stat(const char *dev)
{
	struct mm_stat m = { 0 };
	char path[128], buf[512];

	snprintf(path, sizeof(path), "/sys/block/%s/mm_stat", dev);
	if (!read_line(path, buf, sizeof(buf)) &&
	    sscanf(buf, "%" SCNu64 " %" SCNu64 " %" SCNu64, &m.orig, &m.compr, &m.mem_used) == 3)
		m.ok = 1;
	return m;
}

/* [start, end) of a text symbol from /proc/kallsyms: end = next symbol up. */
static int kallsyms_range(const char *sym, uint64_t *start, uint64_t *end)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512], name[256], type;
	unsigned long long a;

	*start = *end = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &a, &type, name) != 3)
			continue;
		if (!strcmp(name, sym) && (type == 'T' || type == 't'))
			*start = a;
	}
	if (!*start) {
		fclose(f);
		return -1;
	}
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &a, &type, name) != 3)
			continue;
		if (a > *start && (!*end || a < *end))
			*end = a;
	}
	fclose(f);
	return *start && *end ? 0 : -1;
}

/* End of the highest "System RAM" range of /proc/iomem (needs root). */
static uint64_t max_phys(void)
{
	FILE *f = fopen("/proc/iomem", "r");
	char line[256];
	unsigned long long a, b;
	uint64_t top = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (line[0] != ' ' && strstr(line, "System RAM") &&
		    sscanf(line, "%llx-%llx", &a, &b) == 2 && b + 1 > top)
			top = b + 1;
	fclose(f);
	return top;
}

static int btf_has(const struct btf *btf, const char *name, int kind)
{
	return btf && btf__find_by_name_kind(btf, name, kind) > 0;
}

/* ---- feature test: fentry on zs_malloc ---------------------------------- */

static int fentry_allowed(char *why, size_t len)
{
	struct zstrace_bpf *t = zstrace_bpf__open();
	struct bpf_program *p;
	int err;

	if (!t) {
		snprintf(why, len, "cannot open the BPF object");
		return 0;
	}
	bpf_object__for_each_program(p, t->obj)
		bpf_program__set_autoload(p, p == t->progs.zsm_entry);
	bpf_map__set_max_entries(t->maps.rb, 4096 * 4);
	bpf_map__set_max_entries(t->maps.zspages, 16);
	err = zstrace_bpf__load(t);
	if (!err)
		err = zstrace_bpf__attach(t);
	if (err)
		snprintf(why, len, "%s", strerror(-err < 0 ? err : -err));
	zstrace_bpf__destroy(t);
	return !err;
}

/* ---- calibration of the linear map -------------------------------------- */

/*
 * Each pair gives a struct page (of a slab) and an address inside that slab.
 * With both bases 1 GiB aligned and pfn * sizeof(struct page) below 1 GiB
 * (physical memory below 64 GiB for 64-byte struct pages):
 *	vmemmap_base     = page rounded down to 1 GiB
 *	pfn              = (page - vmemmap_base) / sizeof(struct page)
 *	page_offset_base = (addr - pfn * 4096) rounded down to 1 GiB
 * All pairs must agree, and each address must fall inside its slab.
 */
static int calib_solve(const struct zs_calib_pair *p, unsigned int n, uint64_t spsz, uint64_t top,
		       uint64_t *pob, uint64_t *vmb, char *why, size_t len)
{
	if (n < 2) {
		snprintf(why, len, "only %u calibration samples", n);
		return -1;
	}
	if (!spsz || !top || top / 4096 * spsz >= GIB) {
		snprintf(why, len, "physical memory end %#" PRIx64 " too high to calibrate", top);
		return -1;
	}
	for (unsigned int i = 0; i < n; i++) {
		uint64_t vm = p[i].page & ~(GIB - 1);
		uint64_t pfn = (p[i].page - vm) / spsz;
		uint64_t po = (p[i].addr - pfn * 4096) & ~(GIB - 1);
		uint64_t off = p[i].addr - (po + pfn * 4096);

		if ((p[i].page - vm) % spsz || pfn * 4096 >= top || p[i].order > 10 ||
		    off >= (4096ULL << p[i].order) || (i && (vm != *vmb || po != *pob))) {
			snprintf(why, len, "calibration samples disagree (%u of %u)", i, n);
			return -1;
		}
		*vmb = vm;
		*pob = po;
	}
	return 0;
}

static int calibrate(struct zstrace_bpf *skel, char *why, size_t len)
{
	struct bpf_link *link = bpf_program__attach(skel->progs.calib_alloc);
	uint64_t pob = 0, vmb = 0;

	if (!link) {
		snprintf(why, len, "cannot attach kmem_cache_alloc: %s", strerror(errno));
		return -1;
	}
	skel->bss->ncalib = 0;
	skel->bss->calib_pid = getpid();
	for (int i = 0; i < 2000 && skel->bss->ncalib < ZS_CALIB_PAIRS; i++) {
		/* syscalls that allocate from assorted slab caches */
		int fds[2], fd = open("/proc/self/stat", O_RDONLY), s;

		if (fd >= 0)
			close(fd);
		if (!pipe(fds)) {
			close(fds[0]);
			close(fds[1]);
		}
		s = socket(AF_UNIX, SOCK_DGRAM, 0);
		if (s >= 0)
			close(s);
	}
	skel->bss->calib_pid = 0;
	bpf_link__destroy(link);
	if (calib_solve(skel->bss->calib, skel->bss->ncalib, skel->bss->struct_page_size,
			max_phys(), &pob, &vmb, why, len))
		return -1;
	skel->bss->vmemmap_base_v = vmb;
	skel->bss->page_offset_base_v = pob;
	return 0;
}

static uint64_t ktime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* = bpf_ktime_get_ns() */
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* ---- events ------------------------------------------------------------ */

static int is_same_filled(const unsigned char *p)
{
	uint64_t w0, w;

	memcpy(&w0, p, 8);
	for (int i = 8; i < ZS_PAGE_SIZE; i += 8) {
		memcpy(&w, p + i, 8);
		if (w != w0)
			return 0;
	}
	return 1;
}

static int lz4_note(struct state *st, uint64_t slot, const unsigned char *data)
{
	char out[LZ4_COMPRESSBOUND(ZS_PAGE_SIZE)];
	int n;

	if (slot >= st->lz4_n) {
		uint64_t m = st->lz4_n ? st->lz4_n : 4096;
		uint16_t *p;

		while (m <= slot)
			m *= 2;
		p = realloc(st->lz4_size, m * sizeof(*p));
		if (!p)
			return -1;
		memset(p + st->lz4_n, 0xff, (m - st->lz4_n) * sizeof(*p));
		st->lz4_size = p;
		st->lz4_n = m;
	}
	if (is_same_filled(data)) {
		st->lz4_size[slot] = ZS_SLOT_SAME;
		st->lz4_same++;
		return 0;
	}
	n = LZ4_compress_default((const char *)data, out, ZS_PAGE_SIZE, sizeof(out));
	st->lz4_size[slot] = n <= 0 || n > ZS_PAGE_SIZE ? ZS_PAGE_SIZE : n;
	return 0;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct state *st = ctx;
	const struct zs_ev_hdr *h = data;

	if (size < sizeof(*h))
		return 0;
	switch (h->kind) {
	case ZS_EV_PAGE: {
		const struct zs_ev_page *e = data;

		st->ev_page++;
		if (!e->has_data) {
			st->pages_nodata++;
			break;
		}
		st->pages_data++;
		if (st->have_pages)
			fwrite(e->data, ZS_PAGE_SIZE, 1, st->pages.f);
		if (st->have_addrs)
			fprintf(st->addrs.f, "%llu %llu\n", e->mapping, e->mapping ? e->pgoff : 0);
		if (st->lz4_sizes && lz4_note(st, e->sector / ZS_SECTORS_PER_PAGE, e->data))
			st->oom = 1;
		break;
	}
	case ZS_EV_DONE: {
		const struct zs_ev_done *e = data;
		uint64_t first = e->sector / ZS_SECTORS_PER_PAGE;

		st->ev_done++;
		if (e->status)
			st->write_errors++;
		for (unsigned int i = 0; i < e->npages && i < ZS_MAX_BIO_PAGES; i++) {
			uint64_t slot = first + i;
			unsigned int v;

			if (st->lz4_sizes)
				v = slot < st->lz4_n && st->lz4_size[slot] != 0xffff
					    ? st->lz4_size[slot]
					    : ZS_SLOT_EMPTY;
			else
				v = e->have_sizes ? e->sizes[i] : ZS_SLOT_EMPTY;
			if (v == ZS_SLOT_EMPTY)
				st->no_size++;
			if (e->status && !st->lz4_sizes)
				v = ZS_SLOT_EMPTY;
			if (zs_capture_write(&st->cap, slot, v))
				st->oom = 1;
			st->write_pages++;
		}
		break;
	}
	case ZS_EV_DISCARD: {
		const struct zs_ev_discard *e = data;

		st->ev_discard++;
		if (!e->status)
			zs_capture_discard(&st->cap, e->sector, e->bytes);
		break;
	}
	case ZS_EV_POOL: {
		const struct zs_ev_pool *e = data;

		st->ev_pool++;
		st->pool_last = e->pages;
		if (e->pages > st->pool_max)
			st->pool_max = e->pages;
		if (st->have_pool)
			fprintf(st->pool.f, "%.6f %lld\n",
				(double)(long long)(e->h.ts - st->t0) / 1e9, e->pages);
		break;
	}
	}
	return 0;
}

/*
 * Find slots swap freed without I/O: drain the events first, so that the
 * trace's state is at least as new as the stream; then every slot the trace
 * holds and the table does not was freed.  (A write racing with the sweep
 * is harmless: its event comes later and stores again.)
 */
static void sweep(struct state *st, struct zstrace_bpf *skel, struct ring_buffer *rb)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	char path[128], buf[64];
	uint64_t disk = 0, n, before;

	if (st->sweep_off || !st->occ || !skel->bss->zram_ptr)
		return;
	ring_buffer__consume(rb);
	snprintf(path, sizeof(path), "/sys/block/%s/disksize", st->o.device);
	if (read_line(path, buf, sizeof(buf)) || parse_u64(buf, 0, UINT64_MAX, &disk) || !disk)
		return; /* reset: the table is gone */
	n = st->cap.nslots < disk / ZS_PAGE_SIZE ? st->cap.nslots : disk / ZS_PAGE_SIZE;
	if (n > ZS_SWEEP_WORDS * 64ULL)
		n = ZS_SWEEP_WORDS * 64ULL;
	skel->bss->sweep_n = n;
	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.sweep), &run) || (int)run.retval < 0) {
		fprintf(stderr, "zpoolbench: capture: cannot sweep zram's slot table; frees without "
				"I/O (swap) will be missing from the trace\n");
		st->sweep_off = 1;
		return;
	}
	st->sweeps++;
	before = st->cap.vanished;
	for (uint64_t s = 0; s < n; s++)
		if (st->cap.state[s] != ZS_ST_EMPTY && !(st->occ[s / 64] >> (s % 64) & 1)) {
			if (st->cap.vanished == before && st->have_trace)
				trace_writer_commentf(&st->tw,
						      " freed without I/O (sweep at %.3f s)",
						      (ktime_ns() - st->t0) / 1e9);
			zs_capture_vanish(&st->cap, s);
		}
}

/* ---- summary ----------------------------------------------------------- */

/* The upper edge of the log2 bucket holding the q-quantile, in microseconds. */
static double hist_quantile(const unsigned long long *hist, double q)
{
	unsigned long long n = 0, acc = 0;

	for (int b = 0; b < ZS_HIST_BUCKETS; b++)
		n += hist[b];
	if (!n)
		return 0;
	for (int b = 0; b < ZS_HIST_BUCKETS; b++) {
		acc += hist[b];
		if (acc >= q * n)
			return ldexp(1.0, b + 1) / 1000.0;
	}
	return ldexp(1.0, ZS_HIST_BUCKETS) / 1000.0;
}

static void print_latency(const char *name, const struct zstrace_bpf *skel, int op)
{
	const unsigned long long *h = skel->bss->lat_hist[op];
	unsigned long long n = skel->bss->nbios[op];

	if (!n)
		return;
	printf("latency %-8s %llu bios, mean %.1f us, p50 <= %.0f us, p90 <= %.0f us, "
	       "p99 <= %.0f us, max <= %.0f us\n",
	       name, n, (double)skel->bss->lat_sum[op] / n / 1000.0, hist_quantile(h, 0.5),
	       hist_quantile(h, 0.9), hist_quantile(h, 0.99), hist_quantile(h, 1.0));
}

/* ---- main -------------------------------------------------------------- */

static int open_outputs(struct state *st)
{
	if (st->o.trace) {
		if (afile_create(&st->trace, "capture: --trace", st->o.trace, st->o.force))
			return -1;
		st->have_trace = 1;
	}
	if (st->o.pages) {
		if (afile_create(&st->pages, "capture: --pages", st->o.pages, st->o.force))
			return -1;
		st->have_pages = 1;
	}
	if (st->o.addresses) {
		if (!st->o.pages) {
			zpb_err("capture: --addresses says where the pages of --pages were; give --pages too");
			return -1;
		}
		if (afile_create(&st->addrs, "capture: --addresses", st->o.addresses, st->o.force))
			return -1;
		st->have_addrs = 1;
		fprintf(st->addrs.f,
			"# mapping pgoff, one line per page of %s (mapping: the folio's, "
			"an anon_vma for anonymous memory; 0 0: not known)\n",
			st->o.pages);
	}
	if (st->o.pool) {
		if (afile_create(&st->pool, "capture: --pool", st->o.pool, st->o.force))
			return -1;
		st->have_pool = 1;
		fprintf(st->pool.f, "# seconds pool_pages (zspage pages the tracer counted)\n");
	}
	return 0;
}

/* The trace's header: a binary one carries the first line as its provenance too. */
static void write_trace_header(struct state *st, const char *majmin, const char *comp)
{
	struct trace_writer *w = &st->tw;
	char prov[512];

	snprintf(prov, sizeof(prov),
		 "captured by zpoolbench capture %s from %s (%s), "
		 "compressor %s",
		 ZPB_VERSION, st->o.device, majmin, comp);
	trace_writer_open(w, st->trace.f, st->o.trace_format ? TRACE_BINARY : TRACE_TEXT,
			  ZS_PAGE_SIZE, st->o.trace_format ? prov : NULL);
	trace_writer_commentf(w, " %s", prov);
	if (st->lz4_sizes)
		trace_writer_commentf(w,
				      " sizes: liblz4 %d.%d.%d LZ4_compress_default of each "
				      "captured page (userspace; not zram's huge rule)",
				      LZ4_VERSION_MAJOR, LZ4_VERSION_MINOR, LZ4_VERSION_RELEASE);
	else
		trace_writer_comment(w, " sizes: as zram stored them (slot table; 4096 = page "
					"kept uncompressed)");
	trace_writer_comment(w, " ID = zram slot = sector/8; '# same ID' = same-filled page, "
				"no allocation");
}

int main(int argc, char **argv)
{
	struct state st;
	struct zstrace_bpf *skel = NULL;
	struct ring_buffer *rb = NULL;
	struct btf *vmbtf;
	struct sigaction sa;
	char majmin[32], comp[128] = "?", why[256], path[128];
	unsigned int devt;
	uint64_t zs_start = 0, zs_end = 0, t_end, next_sweep;
	void *occ = MAP_FAILED;
	int want_data, fentry, err, rc = 1;
	struct mm_stat m0, m1;

	memset(&st, 0, sizeof(st));
	if (parse_opts(argc, argv, &st.o, &rc))
		return rc;
	rc = 1;
	verbose_level = st.o.verbose;
	libbpf_set_print(libbpf_out);

	if (geteuid() != 0) {
		zpb_err("capture: needs root (BPF and the zram device); run it as root");
		return 1;
	}
	if (check_outputs(&st.o))
		return 1;
	if (device_devt(st.o.device, &devt, majmin, sizeof(majmin))) {
		zpb_err("capture: no block device '%s' (/sys/block/%s/dev missing)", st.o.device,
			st.o.device);
		return 1;
	}
	snprintf(path, sizeof(path), "/sys/block/%s/comp_algorithm", st.o.device);
	if (!read_line(path, comp, sizeof(comp))) {
		char *a = strchr(comp, '['), *b = a ? strchr(a, ']') : NULL;

		if (a && b) {
			*b = 0;
			memmove(comp, a + 1, strlen(a + 1) + 1);
		}
	}
	vmbtf = btf__load_vmlinux_btf();
	if (!vmbtf) {
		zpb_err("capture: this kernel has no BTF (/sys/kernel/btf/vmlinux); the tracer needs it");
		return 1;
	}
	st.lz4_sizes = st.o.sizes == CAPTURE_SIZES_LZ4;
	if (!st.lz4_sizes && (!btf_has(vmbtf, "zram_table_entry", BTF_KIND_STRUCT) ||
			      !btf_has(vmbtf, "zram_pageflags", BTF_KIND_ENUM))) {
		fprintf(stderr, "zpoolbench: capture: zram's slot table is not in this kernel's BTF; "
				"sizes come from liblz4 instead\n");
		st.lz4_sizes = 1;
	}
	btf__free(vmbtf);
	want_data = st.o.pages || st.lz4_sizes;

	if (kallsyms_range("zs_malloc", &zs_start, &zs_end))
		fprintf(stderr, "zpoolbench: capture: zs_malloc not in /proc/kallsyms; "
				"pool pages are not counted\n");

	fentry = fentry_allowed(why, sizeof(why));
	if (!fentry)
		fprintf(stderr,
			"zpoolbench: capture: fentry/zs_malloc refused by this kernel (%s); "
			"zs_malloc calls are not counted (sizes come from zram's slot table)\n",
			why);

	skel = zstrace_bpf__open();
	if (!skel) {
		zpb_err("capture: cannot open the BPF object: %s", strerror(errno));
		return 1;
	}
	bpf_program__set_autoload(skel->progs.zsm_entry, fentry);
	bpf_program__set_autoattach(skel->progs.calib_alloc, false); /* only while calibrating */
	bpf_map__set_max_entries(skel->maps.rb, st.o.ring_mb << 20);
	skel->rodata->target_dev = devt;
	skel->rodata->zs_malloc_start = zs_start;
	skel->rodata->zs_malloc_end = zs_end;
	skel->rodata->want_data = want_data;
	if (st.o.memcg) {
		struct stat sb;

		if (stat(st.o.memcg, &sb) || !S_ISDIR(sb.st_mode)) {
			zpb_err("capture: --memcg %s is not a cgroup directory", st.o.memcg);
			goto out;
		}
		skel->rodata->memcg_ino = sb.st_ino;
	}
	err = zstrace_bpf__load(skel);
	if (err) {
		zpb_err("capture: the kernel refused the tracer: %s (run with -v for the verifier's log)",
			strerror(-err));
		goto out;
	}
	if (want_data && calibrate(skel, why, sizeof(why))) {
		zpb_err("capture: cannot locate the kernel's linear map (%s), so page contents are "
			"unavailable: drop --pages%s",
			why, st.lz4_sizes ? " and --sizes lz4" : "");
		goto out;
	}
	if (zs_capture_init(&st.cap, NULL) || open_outputs(&st))
		goto out;
	if (st.have_trace) {
		write_trace_header(&st, majmin, comp);
		st.cap.trace = &st.tw;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.rb), on_event, &st, NULL);
	if (!rb) {
		zpb_err("capture: cannot set up the ring buffer: %s", strerror(errno));
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop; /* no SA_RESTART: poll returns at once */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	m0 = read_mm_stat(st.o.device);
	st.t0 = ktime_ns();
	err = zstrace_bpf__attach(skel);
	if (err) {
		zpb_err("capture: cannot attach the tracer: %s", strerror(-err));
		goto out;
	}
	fprintf(stderr, "zpoolbench: capture: tracing %s (%s)%s; SIGINT or SIGTERM stops\n",
		st.o.device, majmin, want_data ? " with page contents" : "");
	if (st.o.ready) {
		struct afile ready;

		/* an empty file, as every output: never through a link, never over a FIFO */
		if (afile_create(&ready, "capture: --ready", st.o.ready, st.o.force) ||
		    afile_commit(&ready))
			goto out;
	}
	occ = mmap(NULL, ZS_SWEEP_WORDS * sizeof(uint64_t), PROT_READ, MAP_SHARED,
		   bpf_map__fd(skel->maps.occupied), 0);
	st.occ = occ == MAP_FAILED ? NULL : occ;
	t_end = st.o.duration > 0 ? st.t0 + (uint64_t)(st.o.duration * 1e9) : 0;
	next_sweep = st.t0 + SWEEP_NS;
	while (!stop && !st.oom) {
		err = ring_buffer__poll(rb, 100);
		if (err < 0 && err != -EINTR) {
			zpb_err("capture: reading the ring buffer: %s", strerror(-err));
			goto out;
		}
		if (t_end && ktime_ns() >= t_end)
			break;
		if (ktime_ns() >= next_sweep) {
			sweep(&st, skel, rb);
			next_sweep = ktime_ns() + SWEEP_NS;
		}
		if (progress_enabled())
			fprintf(stderr, "\r%" PRIu64 " pages written, pool %lld pages   ",
				st.write_pages, st.pool_last);
	}
	if (progress_enabled())
		fputc('\n', stderr);
	zstrace_bpf__detach(skel);
	ring_buffer__consume(rb);
	sweep(&st, skel, rb);
	m1 = read_mm_stat(st.o.device);
	if (st.oom) {
		zpb_err("capture: out of memory following the slots");
		goto out;
	}

	printf("capture: %s (%s), compressor %s, %.2f s\n", st.o.device, majmin, comp,
	       (ktime_ns() - st.t0) / 1e9);
	printf("bios: write %llu, read %llu, discard %llu, other %llu\n",
	       skel->bss->nbios[ZS_OP_WRITE], skel->bss->nbios[ZS_OP_READ],
	       skel->bss->nbios[ZS_OP_DISCARD], skel->bss->nbios[ZS_OP_OTHER]);
	printf("events: page %" PRIu64 ", done %" PRIu64 ", discard %" PRIu64 ", pool %" PRIu64 "\n",
	       st.ev_page, st.ev_done, st.ev_discard, st.ev_pool);
	printf("pages written: %" PRIu64 " (contents captured %" PRIu64 ", unreadable %" PRIu64
	       ", write errors %" PRIu64 ")\n",
	       st.write_pages, st.pages_data, st.pages_nodata, st.write_errors);
	printf("drops: %llu (ring %llu, in-flight %llu, large-bio pages %llu, unreadable %llu)\n",
	       skel->bss->drops_ring + skel->bss->drops_inflight + skel->bss->drops_big +
		       skel->bss->drops_data,
	       skel->bss->drops_ring, skel->bss->drops_inflight, skel->bss->drops_big,
	       skel->bss->drops_data);
	printf("sizes: %s\n", st.lz4_sizes ? "liblz4 (userspace)" : "kernel (zram slot table)");
	printf("trace: a %" PRIu64 ", f %" PRIu64 ", same-filled %" PRIu64 ", huge %" PRIu64
	       ", nothing stored %" PRIu64 ", discarded slots %" PRIu64
	       ", freed without I/O %" PRIu64 " (%" PRIu64 " sweeps)\n",
	       st.cap.stores, st.cap.frees, st.cap.same, st.cap.huge, st.cap.failed,
	       st.cap.discarded, st.cap.vanished, st.sweeps);
	printf("live: %" PRIu64 " objects, %" PRIu64 " bytes", st.cap.live, st.cap.live_bytes);
	if (m1.ok)
		printf("; mm_stat compr_data_size %" PRIu64 " (change %+" PRId64 ")", m1.compr,
		       (int64_t)(m1.compr - m0.compr));
	printf("\n");
	print_latency("write", skel, ZS_OP_WRITE);
	print_latency("read", skel, ZS_OP_READ);
	print_latency("discard", skel, ZS_OP_DISCARD);
	printf("pool pages: %lld counted (max %lld)", (long long)skel->bss->pool_pages, st.pool_max);
	if (m1.ok)
		printf("; mm_stat mem_used_total/4096 %" PRIu64 " (change %+" PRId64 ")",
		       m1.mem_used / 4096, (int64_t)(m1.mem_used / 4096 - m0.mem_used / 4096));
	printf("\n");
	if (fentry)
		printf("zs_malloc: %llu calls, %llu bytes (fentry)\n", skel->bss->zsm_calls,
		       skel->bss->zsm_bytes);
	else
		printf("zs_malloc: not hooked (fentry refused by this kernel)\n");
	fflush(stdout);

	rc = 0;
	if (st.have_trace && trace_writer_close(&st.tw)) {
		zpb_err("capture: --trace %s: %s", st.o.trace, st.tw.err);
		rc = 1;
	} else if (st.have_trace && afile_commit(&st.trace)) {
		rc = 1;
	}
	st.have_trace = 0;
	if (st.have_pages && afile_commit(&st.pages))
		rc = 1;
	st.have_pages = 0;
	if (st.have_addrs && afile_commit(&st.addrs))
		rc = 1;
	st.have_addrs = 0;
	if (st.have_pool && afile_commit(&st.pool))
		rc = 1;
	st.have_pool = 0;
out:
	if (st.have_pool)
		afile_abort(&st.pool);
	if (st.have_pages)
		afile_abort(&st.pages);
	if (st.have_addrs)
		afile_abort(&st.addrs);
	if (st.have_trace) {
		trace_writer_abort(&st.tw);
		afile_abort(&st.trace);
	}
	ring_buffer__free(rb);
	zstrace_bpf__destroy(skel);
	if (occ != MAP_FAILED)
		munmap(occ, ZS_SWEEP_WORDS * sizeof(uint64_t));
	zs_capture_release(&st.cap);
	free(st.lz4_size);
	return rc;
}
