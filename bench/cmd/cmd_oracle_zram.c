// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_oracle_zram.c - `zpoolbench oracle zram`: the live kernel's zsmalloc,
 * measured one operation at a time through an unused zram device.
 *
 * Fill: every slot 0..N-1 gets one corpus page (cycling through the corpus
 * when N is larger), written with O_DIRECT; mm_stat is read after each write.
 * Churn round (--churn R times): a seeded-random half of the slots is
 * discarded (BLKDISCARD of 4096 bytes: zs_free), the same slots are written
 * again with the next corpus pages (zs_malloc), then the pool is compacted.
 * Without churn, one compaction ends the run.
 *
 * Outputs: the kernel's size trace (text v1, or binary with --trace-format binary:
 * 'a ID SIZE' with the
 * kernel's compressed length from the compr_data_size delta, 4096 for a page
 * stored raw as huge; 'f ID'; 'c'; same-filled pages, which take no pool
 * memory, only as comments) and the kernel's trajectory (mem_used_total/4096
 * after every a/f/c op, 'OPINDEX POOL_PAGES', the format `replay
 * --trajectory` writes).  The kernel does the compressing; nothing is
 * compressed here.  The device is reset on every exit path.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cmd.h"
#include "corpus/corpus.h"
#include "driver/trace.h"
#include "util.h"
#include "kernel/zram.h"
#include "version.h"

enum slot_state { SLOT_EMPTY, SLOT_SAME, SLOT_OBJ };

struct oracle {
	/* corpus (bench/corpus/corpus.h: raw or .zst) */
	struct corpus corpus;
	struct corpus_cycle cycle; /* its pages in turn, read as a stream */
	uint64_t cursor;
	/* device */
	struct zram_dev z;
	struct zram_mm_stat last;
	unsigned char *buf; /* one page, 4096-aligned for O_DIRECT */
	/* slots */
	uint64_t nslots;
	uint8_t *state;
	uint64_t *id;
	uint32_t *size;
	uint64_t next_id;
	/* outputs */
	struct trace_writer tw; /* the trace, text or binary */
	FILE *traj;
	uint64_t ops, stores, same, huge, frees, compactions, compacted, peak;
	bool progress;
	char err[1024];
};

struct oz_args {
	const char *corpus, *trace, *trajectory, *codec, *device;
	uint64_t pages, churn, seed;
	int force, trace_format;
};

#define O(f) offsetof(struct oz_args, f)

static int check_device(const char *val, char *why, size_t len)
{
	return zram_check_name(val, why, len) ? -1 : 0;
}

/* clang-format off */
static const struct zpb_opt oz_opts[] = {
	{ .name = "corpus", .type = OPT_STRING, .arg = "FILE", .off = O(corpus),
	  .flags = OPT_REQUIRED | OPT_IN | OPT_CORPUS,
	  .help = "a corpus: NAME.pages or NAME.pages.zst (4096-byte pages)" },
	{ .name = "trace", .type = OPT_STRING, .arg = "OUT", .off = O(trace),
	  .flags = OPT_REQUIRED | OPT_OUT, .help = "the kernel's size trace" },
	{ .name = "trace-format", .type = OPT_ENUM, .values = "text|binary", .def = "text",
	  .off = O(trace_format),
	  .help = "the trace's encoding: text (format v1) or binary (see 'zpoolbench trace "
		  "convert')" },
	{ .name = "trajectory", .type = OPT_STRING, .arg = "OUT", .off = O(trajectory),
	  .flags = OPT_REQUIRED | OPT_OUT, .help = "'OPINDEX POOL_PAGES' after every a/f/c op" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force),
	  .help = "replace existing --trace and --trajectory files" },
	{ .name = "codec", .type = OPT_STRING, .arg = "NAME", .def = "lz4", .off = O(codec),
	  .help = "zram compressor (see comp_algorithm)" },
	{ .name = "pages", .type = OPT_INT, .min = 1, .max = 1ULL << 24, .off = O(pages),
	  .help = "slots to fill (default: the corpus size; cycles the corpus)" },
	{ .name = "churn", .type = OPT_INT, .arg = "ROUNDS", .min = 0, .max = 1000, .def = "0",
	  .off = O(churn), .help = "rounds of: discard a random half, rewrite it, compact" },
	{ .name = "seed", .type = OPT_INT, .min = 0, .max = UINT64_MAX, .def = "1", .off = O(seed),
	  .help = "seed of the churn choices" },
	{ .name = "device", .type = OPT_STRING, .arg = "NAME", .def = "zram0", .off = O(device),
	  .check = check_device, .help = "zram device; must be unused" },
	{ .name = NULL },
};
/* clang-format on */

static void progress(struct oracle *o, const char *phase, uint64_t i, uint64_t n)
{
	if (o->progress && (i % 2048 == 0 || i + 1 == n))
		fprintf(stderr, "\roracle zram: %s %" PRIu64 "/%" PRIu64 "   ", phase, i + 1, n);
}

static int fail(struct oracle *o, const char *fmt, uint64_t slot, int64_t a, int64_t b)
{
	char what[256];

	snprintf(what, sizeof(what), fmt, a, b);
	snprintf(o->err, sizeof(o->err), "%s did not behave as expected at slot %" PRIu64 ": %s",
		 o->z.name, slot, what);
	return -1;
}

/* Read mm_stat after an operation; refuse if the kernel compacted on its own. */
static int observe(struct oracle *o, struct zram_mm_stat *now, bool compaction)
{
	if (zram_read_mm_stat(&o->z, now, o->err, sizeof(o->err)))
		return -1;
	if (!compaction && now->pages_compacted != o->last.pages_compacted) {
		snprintf(o->err, sizeof(o->err),
			 "the kernel compacted %s by itself (zsmalloc's shrinker under memory "
			 "pressure), so the trace would not be exact; retry on an idle machine",
			 o->z.name);
		return -1;
	}
	return 0;
}

/* An operation into the trace (a write error shows when the trace is closed). */
static void emit_op(struct oracle *o, char op, uint64_t id, uint32_t size)
{
	struct trace_op t = { .op = op, .id = id, .size = size };

	trace_writer_op(&o->tw, &t);
}

static void emit_traj(struct oracle *o, const struct zram_mm_stat *now)
{
	uint64_t pages = now->mem_used_total / ZRAM_PAGE;

	fprintf(o->traj, "%" PRIu64 " %" PRIu64 "\n", o->ops++, pages);
	if (pages > o->peak)
		o->peak = pages;
}

static int store_slot(struct oracle *o, uint64_t slot)
{
	struct zram_mm_stat now;
	uint64_t size;

	if (corpus_cycle_next(&o->cycle, &o->corpus, o->buf, o->err, sizeof(o->err)))
		return -1;
	o->cursor++;
	if (zram_write_page(&o->z, slot, o->buf, o->err, sizeof(o->err)) || observe(o, &now, false))
		return -1;
	if (now.orig_data_size != o->last.orig_data_size + ZRAM_PAGE)
		return fail(o, "orig_data_size grew by %" PRId64 " instead of %" PRId64, slot,
			    now.orig_data_size - o->last.orig_data_size, ZRAM_PAGE);
	if (now.same_pages == o->last.same_pages + 1) {
		if (now.compr_data_size != o->last.compr_data_size ||
		    now.mem_used_total != o->last.mem_used_total)
			return fail(o,
				    "a same-filled page took %" PRId64 " bytes, %" PRId64
				    " pool bytes",
				    slot, now.compr_data_size - o->last.compr_data_size,
				    now.mem_used_total - o->last.mem_used_total);
		trace_writer_commentf(&o->tw,
				      " same-filled page in slot %" PRIu64 ": no allocation", slot);
		o->state[slot] = SLOT_SAME;
		o->same++;
	} else {
		size = now.compr_data_size - o->last.compr_data_size;
		if (now.same_pages != o->last.same_pages || size == 0 || size > ZRAM_PAGE)
			return fail(o,
				    "compressed length %" PRId64 " (same_pages delta %" PRId64 ")",
				    slot, size, now.same_pages - o->last.same_pages);
		if ((now.huge_pages != o->last.huge_pages) != (size == ZRAM_PAGE))
			return fail(o, "huge_pages delta %" PRId64 " for a length of %" PRId64,
				    slot, now.huge_pages - o->last.huge_pages, size);
		o->huge += size == ZRAM_PAGE;
		o->state[slot] = SLOT_OBJ;
		o->id[slot] = o->next_id++;
		o->size[slot] = size;
		emit_op(o, 'a', o->id[slot], (uint32_t)size);
		emit_traj(o, &now);
	}
	o->stores++;
	o->last = now;
	return 0;
}

static int discard_slot(struct oracle *o, uint64_t slot)
{
	struct zram_mm_stat now;

	if (zram_discard_page(&o->z, slot, o->err, sizeof(o->err)) || observe(o, &now, false))
		return -1;
	if (now.orig_data_size + ZRAM_PAGE != o->last.orig_data_size)
		return fail(o,
			    "discard changed orig_data_size by %" PRId64 " (expected -%" PRId64 ")",
			    slot, now.orig_data_size - o->last.orig_data_size, ZRAM_PAGE);
	if (o->state[slot] == SLOT_SAME) {
		if (now.same_pages + 1 != o->last.same_pages)
			return fail(o, "same_pages changed by %" PRId64 " (expected %" PRId64 ")",
				    slot, now.same_pages - o->last.same_pages, -1);
		trace_writer_commentf(&o->tw, " discard of same-filled slot %" PRIu64, slot);
	} else {
		if (now.compr_data_size + o->size[slot] != o->last.compr_data_size)
			return fail(
				o, "compr_data_size changed by %" PRId64 " (expected -%" PRId64 ")",
				slot, now.compr_data_size - o->last.compr_data_size, o->size[slot]);
		emit_op(o, 'f', o->id[slot], 0);
		emit_traj(o, &now);
		o->frees++;
	}
	o->state[slot] = SLOT_EMPTY;
	o->last = now;
	return 0;
}

static int compact(struct oracle *o)
{
	struct zram_mm_stat now;

	if (zram_compact(&o->z, o->err, sizeof(o->err)) || observe(o, &now, true))
		return -1;
	emit_op(o, 'c', 0, 0);
	trace_writer_commentf(&o->tw, " kernel compaction freed %" PRIu64 " pages",
			      now.pages_compacted - o->last.pages_compacted);
	emit_traj(o, &now);
	o->compactions++;
	o->compacted += now.pages_compacted - o->last.pages_compacted;
	o->last = now;
	return 0;
}

static int run(struct oracle *o, uint64_t churn, uint64_t seed)
{
	uint64_t *order = NULL, rng = seed, half = o->nslots / 2;
	int ret = -1;

	if (zram_read_mm_stat(&o->z, &o->last, o->err, sizeof(o->err)))
		return -1;
	for (uint64_t s = 0; s < o->nslots; s++) {
		progress(o, "fill", s, o->nslots);
		if (store_slot(o, s))
			return -1;
	}
	order = malloc(o->nslots * sizeof(*order));
	if (!order) {
		snprintf(o->err, sizeof(o->err), "out of memory");
		return -1;
	}
	for (uint64_t r = 0; r < churn; r++) {
		char phase[64];

		trace_writer_commentf(&o->tw,
				      " churn round %" PRIu64 ": discard %" PRIu64
				      " random slots, rewrite them, compact",
				      r + 1, half);
		/* every slot is live after a fill or a round: shuffle all, take half */
		for (uint64_t i = 0; i < o->nslots; i++)
			order[i] = i;
		for (uint64_t i = o->nslots - 1; i > 0; i--) {
			uint64_t j = rng_below(&rng, i + 1), t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
		snprintf(phase, sizeof(phase), "round %" PRIu64 " discard", r + 1);
		for (uint64_t i = 0; i < half; i++) {
			progress(o, phase, i, half);
			if (discard_slot(o, order[i]))
				goto out;
		}
		snprintf(phase, sizeof(phase), "round %" PRIu64 " rewrite", r + 1);
		for (uint64_t i = 0; i < half; i++) {
			progress(o, phase, i, half);
			if (store_slot(o, order[i]))
				goto out;
		}
		if (compact(o))
			goto out;
	}
	if (!churn && compact(o))
		goto out;
	ret = 0;
out:
	free(order);
	return ret;
}

static int oracle_main(void *opts, int argc, char **argv)
{
	const struct oz_args *a = opts;
	const char *corpus = a->corpus, *trace = a->trace, *traj = a->trajectory;
	const char *codec = a->codec, *dev = a->device;
	uint64_t pages = a->pages, churn = a->churn, seed = a->seed;
	static struct oracle o; /* large, and reachable from nothing but here */
	struct afile ftrace, ftraj;
	struct utsname u;
	char err[512], prov[512];
	int ret = 1;

	(void)argc;
	(void)argv;
	if (corpus_open(&o.corpus, corpus, err, sizeof(err))) {
		zpb_err("oracle zram: %s", err);
		return 1;
	}
	if (o.corpus.page_size != ZRAM_PAGE) {
		zpb_err("oracle zram: %s has %u-byte pages; this oracle writes %d-byte pages to "
			"the host's zram",
			corpus, o.corpus.page_size, ZRAM_PAGE);
		corpus_close(&o.corpus);
		return 1;
	}
	o.nslots = pages ? pages : o.corpus.pages;
	if (zram_check_unused(dev, err, sizeof(err))) {
		zpb_err("oracle zram: %s", err);
		goto out_corpus;
	}
	o.state = calloc(o.nslots, 1);
	o.id = calloc(o.nslots, sizeof(*o.id));
	o.size = calloc(o.nslots, sizeof(*o.size));
	o.buf = aligned_alloc(ZRAM_PAGE, ZRAM_PAGE);
	if (!o.state || !o.id || !o.size || !o.buf) {
		zpb_err("oracle zram: out of memory for %" PRIu64 " slots", o.nslots);
		goto out_mem;
	}
	if (afile_create(&ftrace, "oracle zram: --trace", trace, a->force))
		goto out_mem;
	if (afile_create(&ftraj, "oracle zram: --trajectory", traj, a->force)) {
		afile_abort(&ftrace);
		goto out_mem;
	}
	o.traj = ftraj.f;
	o.progress = progress_enabled();
	uname(&u);
	/* a binary trace says where it comes from in its header; the text keeps its comments */
	snprintf(prov, sizeof(prov), "zpoolbench %s (%s) oracle zram: Linux %s, %s, codec %s",
		 ZPB_VERSION, ZPB_GIT, u.release, dev, codec);
	trace_writer_open(&o.tw, ftrace.f, a->trace_format ? TRACE_BINARY : TRACE_TEXT, ZRAM_PAGE,
			  a->trace_format ? prov : NULL);
	trace_writer_commentf(&o.tw,
			      " kernel zsmalloc via zram (zpoolbench oracle zram): Linux "
			      "%s, %s, codec %s",
			      u.release, dev, codec);
	trace_writer_commentf(&o.tw,
			      " corpus %s (%" PRIu64 " pages), %" PRIu64 " slots, churn %" PRIu64
			      ", seed %" PRIu64,
			      o.corpus.name, o.corpus.pages, o.nslots, churn, seed);
	trace_writer_comment(&o.tw, " sizes are the kernel's compressed lengths; 4096 = stored "
				    "raw (huge)");

	/* the device's clean-up hook is the newest: it runs first on a signal */
	if (zram_setup(&o.z, dev, codec, o.nslots * ZRAM_PAGE, err, sizeof(err))) {
		zpb_err("oracle zram: %s", err);
		zram_release(&o.z, err, sizeof(err));
		goto out_files;
	}
	if (run(&o, churn, seed)) {
		if (o.progress)
			fputc('\n', stderr);
		zpb_err("oracle zram: %s", o.err);
		if (zram_release(&o.z, err, sizeof(err)))
			zpb_err("oracle zram: %s", err);
		goto out_files;
	}
	if (o.progress)
		fputc('\n', stderr);
	trace_writer_commentf(&o.tw,
			      " end: pool pages %" PRIu64 ", compr_data_size %" PRIu64
			      ", same_pages %" PRIu64 ", huge_pages %" PRIu64
			      ", pages_compacted %" PRIu64,
			      o.last.mem_used_total / ZRAM_PAGE, o.last.compr_data_size,
			      o.last.same_pages, o.last.huge_pages, o.last.pages_compacted);
	if (zram_release(&o.z, err, sizeof(err))) {
		zpb_err("oracle zram: %s", err);
		goto out_files;
	}
	if (trace_writer_close(&o.tw)) {
		zpb_err("oracle zram: --trace %s: %s", trace, o.tw.err);
		goto out_files;
	}
	/* newest first: the hooks are a stack */
	if (afile_commit(&ftraj)) {
		afile_abort(&ftrace);
		goto out_mem;
	}
	if (afile_commit(&ftrace))
		goto out_mem;
	printf("oracle zram  %s (Linux %s, %s), corpus %s: %" PRIu64 " slots, %" PRIu64
	       " churn rounds\n",
	       dev, u.release, codec, o.corpus.name, o.nslots, churn);
	printf("stores       %" PRIu64 " pages (%" PRIu64 " same-filled, %" PRIu64 " huge)\n",
	       o.stores, o.same, o.huge);
	printf("operations   %" PRIu64 " (%" PRIu64 " a, %" PRIu64 " f, %" PRIu64 " c)\n", o.ops,
	       o.stores - o.same, o.frees, o.compactions);
	printf("pool pages   %" PRIu64 " at the end (peak %" PRIu64 "), %" PRIu64
	       " freed by compaction\n",
	       o.last.mem_used_total / ZRAM_PAGE, o.peak, o.compacted);
	printf("trace        %s\ntrajectory   %s\n", trace, traj);
	ret = 0;
	goto out_mem;
out_files:
	trace_writer_abort(&o.tw);
	afile_abort(&ftraj);
	afile_abort(&ftrace);
out_mem:
	free(o.state);
	free(o.id);
	free(o.size);
	free(o.buf);
out_corpus:
	corpus_cycle_close(&o.cycle);
	corpus_close(&o.corpus);
	return ret;
}

static const struct zpb_cmd oracle_zram_cmd = {
	.name = "oracle zram",
	.summary = "the kernel's zsmalloc through zram: size trace + pool pages per op (root)",
	.about = "Runs a corpus through the kernel's own zsmalloc via an unused zram device\n"
		 "(root only) and records, per operation, the kernel's compressed size and pool\n"
		 "pages.  Replaying the trace with `zpoolbench replay --alloc zsmalloc:kernel=6.18\n"
		 "--trajectory` must give the same trajectory, step for step.\n",
	.opts = oz_opts,
	.size = sizeof(struct oz_args),
	.root = "it configures a zram device",
	.run = oracle_main,
	.order = 60,
};

ZPB_COMMAND(oracle_zram_cmd)
