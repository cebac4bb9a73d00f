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
 * Outputs: the kernel's size trace (format v1: 'a ID SIZE' with the
 * kernel's compressed length from the compr_data_size delta, 4096 for a page
 * stored raw as huge; 'f ID'; 'c'; same-filled pages, which take no pool
 * memory, only as comments) and the kernel's trajectory (mem_used_total/4096
 * after every a/f/c op, 'OPINDEX POOL_PAGES', the format `replay
 * --trajectory` writes).  The kernel does the compressing; nothing is
 * compressed here.  The device is reset on every exit path.
 */
#include <getopt.h>
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

static const char oracle_usage[] =
	"--corpus FILE --trace OUT --trajectory OUT [--codec lz4] [--pages N] "
	"[--churn ROUNDS --seed N] [--device zram0]";

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
	FILE *trace, *traj;
	uint64_t ops, stores, same, huge, frees, compactions, compacted, peak;
	bool progress;
	char err[1024];
};

static void help(void)
{
	printf("usage: zpoolbench oracle zram %s\n\n"
	       "Runs a corpus through the kernel's own zsmalloc via an unused zram device\n"
	       "(root only) and records, per operation, the kernel's compressed size and pool\n"
	       "pages.  Replaying the trace with `zpoolbench replay --alloc zsmalloc:kernel=6.18\n"
	       "--trajectory` must give the same trajectory, step for step.\n\n"
	       "  --corpus FILE      a corpus: NAME.pages or NAME.pages.zst (4096-byte pages)\n"
	       "  --trace OUT        the kernel's size trace (format v1)\n"
	       "  --trajectory OUT   'OPINDEX POOL_PAGES' after every a/f/c op\n"
	       "  --codec NAME       zram compressor (default lz4; see comp_algorithm)\n"
	       "  --pages N          slots to fill (default: the corpus size; cycles the corpus)\n"
	       "  --churn ROUNDS     rounds of: discard a random half, rewrite it, compact\n"
	       "  --seed N           seed of the churn choices (default 1)\n"
	       "  --device NAME      zram device (default zram0); must be unused\n",
	       oracle_usage);
}

static void progress(struct oracle *o, const char *phase, uint64_t i, uint64_t n)
{
	if (o->progress && (i % 2048 == 0 || i + 1 == n))
		fprintf(stderr, "\roracle zram: %s %" PRIu64 "/%" PRIu64 "   ", phase, i + 1, n);
}

static int fail(struct oracle *o, const char *fmt, uint64_t slot, int64_t a, int64_t b)
{
	char what[256];

	snprintf(what, sizeof(what), fmt, a, b);
	snprintf(o->err, sizeof(o->err),
		 "%s did not behave as expected at slot %" PRIu64 ": %s", o->z.name, slot, what);
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
			return fail(o, "a same-filled page took %" PRId64 " bytes, %" PRId64
				    " pool bytes", slot,
				    now.compr_data_size - o->last.compr_data_size,
				    now.mem_used_total - o->last.mem_used_total);
		fprintf(o->trace, "# same-filled page in slot %" PRIu64 ": no allocation\n", slot);
		o->state[slot] = SLOT_SAME;
		o->same++;
	} else {
		size = now.compr_data_size - o->last.compr_data_size;
		if (now.same_pages != o->last.same_pages || size == 0 || size > ZRAM_PAGE)
			return fail(o, "compressed length %" PRId64 " (same_pages delta %" PRId64 ")",
				    slot, size, now.same_pages - o->last.same_pages);
		if ((now.huge_pages != o->last.huge_pages) != (size == ZRAM_PAGE))
			return fail(o, "huge_pages delta %" PRId64 " for a length of %" PRId64, slot,
				    now.huge_pages - o->last.huge_pages, size);
		o->huge += size == ZRAM_PAGE;
		o->state[slot] = SLOT_OBJ;
		o->id[slot] = o->next_id++;
		o->size[slot] = size;
		fprintf(o->trace, "a %" PRIu64 " %" PRIu64 "\n", o->id[slot], size);
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
		return fail(o, "discard changed orig_data_size by %" PRId64 " (expected -%" PRId64
			    ")", slot, now.orig_data_size - o->last.orig_data_size, ZRAM_PAGE);
	if (o->state[slot] == SLOT_SAME) {
		if (now.same_pages + 1 != o->last.same_pages)
			return fail(o, "same_pages changed by %" PRId64 " (expected %" PRId64 ")",
				    slot, now.same_pages - o->last.same_pages, -1);
		fprintf(o->trace, "# discard of same-filled slot %" PRIu64 "\n", slot);
	} else {
		if (now.compr_data_size + o->size[slot] != o->last.compr_data_size)
			return fail(o, "compr_data_size changed by %" PRId64 " (expected -%" PRId64
				    ")", slot, now.compr_data_size - o->last.compr_data_size,
				    o->size[slot]);
		fprintf(o->trace, "f %" PRIu64 "\n", o->id[slot]);
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
	fprintf(o->trace, "c\n# kernel compaction freed %" PRIu64 " pages\n",
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

		fprintf(o->trace, "# churn round %" PRIu64 ": discard %" PRIu64
			" random slots, rewrite them, compact\n", r + 1, half);
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

static int oracle_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "corpus", required_argument, NULL, 'C' },
		{ "trace", required_argument, NULL, 't' },
		{ "trajectory", required_argument, NULL, 'o' },
		{ "codec", required_argument, NULL, 'c' },
		{ "pages", required_argument, NULL, 'p' },
		{ "churn", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *corpus = NULL, *trace = NULL, *traj = NULL, *codec = "lz4", *dev = "zram0";
	uint64_t pages = 0, churn = 0, seed = 1;
	static struct oracle o; /* large, and reachable from nothing but here */
	struct afile ftrace, ftraj;
	struct utsname u;
	char err[512];
	int c, ret = 1;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'C': corpus = optarg; break;
		case 't': trace = optarg; break;
		case 'o': traj = optarg; break;
		case 'c': codec = optarg; break;
		case 'd': dev = optarg; break;
		case 'p':
			if (parse_u64(optarg, 1, 1ULL << 24, &pages)) {
				zpb_err("oracle zram: --pages needs a number 1..16777216, not '%s'",
					optarg);
				return 2;
			}
			break;
		case 'r':
			if (parse_u64(optarg, 0, 1000, &churn)) {
				zpb_err("oracle zram: --churn needs a number 0..1000, not '%s'", optarg);
				return 2;
			}
			break;
		case 's':
			if (parse_u64(optarg, 0, UINT64_MAX, &seed)) {
				zpb_err("oracle zram: --seed needs a non-negative number, not '%s'",
					optarg);
				return 2;
			}
			break;
		case 'h': help(); return 0;
		default:
			zpb_err("oracle zram: unknown or incomplete option '%s'; usage: zpoolbench "
				"oracle zram %s", argv[optind - 1], oracle_usage);
			return 2;
		}
	}
	if (optind < argc) {
		zpb_err("oracle zram: unexpected argument '%s'; usage: zpoolbench oracle zram %s",
			argv[optind], oracle_usage);
		return 2;
	}
	if (!corpus || !trace || !traj) {
		zpb_err("oracle zram: %s is required; usage: zpoolbench oracle zram %s",
			!corpus ? "--corpus FILE" : !trace ? "--trace OUT" : "--trajectory OUT",
			oracle_usage);
		return 2;
	}
	if (zram_check_name(dev, err, sizeof(err))) {
		zpb_err("oracle zram: %s", err);
		return 2;
	}
	if (geteuid() != 0) {
		zpb_err("oracle zram: needs root (it configures /dev/%s); run it as root", dev);
		return 1;
	}
	if (corpus_open(&o.corpus, corpus, err, sizeof(err))) {
		zpb_err("oracle zram: %s", err);
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
	if (afile_open(&ftrace, trace))
		goto out_mem;
	if (afile_open(&ftraj, traj)) {
		afile_abort(&ftrace);
		goto out_mem;
	}
	o.trace = ftrace.f;
	o.traj = ftraj.f;
	o.progress = progress_enabled();
	uname(&u);
	trace_write_header(o.trace);
	fprintf(o.trace,
		"# kernel zsmalloc via zram (zpoolbench oracle zram): Linux %s, %s, codec %s\n"
		"# corpus %s (%" PRIu64 " pages), %" PRIu64 " slots, churn %" PRIu64
		", seed %" PRIu64 "\n"
		"# sizes are the kernel's compressed lengths; 4096 = stored raw (huge)\n",
		u.release, dev, codec, o.corpus.name, o.corpus.pages, o.nslots, churn, seed);

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
	fprintf(o.trace,
		"# end: pool pages %" PRIu64 ", compr_data_size %" PRIu64 ", same_pages %" PRIu64
		", huge_pages %" PRIu64 ", pages_compacted %" PRIu64 "\n",
		o.last.mem_used_total / ZRAM_PAGE, o.last.compr_data_size, o.last.same_pages,
		o.last.huge_pages, o.last.pages_compacted);
	if (zram_release(&o.z, err, sizeof(err))) {
		zpb_err("oracle zram: %s", err);
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
	printf("stores       %" PRIu64 " pages (%" PRIu64 " same-filled, %" PRIu64
	       " huge)\n", o.stores, o.same, o.huge);
	printf("operations   %" PRIu64 " (%" PRIu64 " a, %" PRIu64 " f, %" PRIu64 " c)\n", o.ops,
	       o.stores - o.same, o.frees, o.compactions);
	printf("pool pages   %" PRIu64 " at the end (peak %" PRIu64 "), %" PRIu64
	       " freed by compaction\n", o.last.mem_used_total / ZRAM_PAGE, o.peak, o.compacted);
	printf("trace        %s\ntrajectory   %s\n", trace, traj);
	ret = 0;
	goto out_mem;
out_files:
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
	.usage = oracle_usage,
	.summary = "the kernel's zsmalloc through zram: size trace + pool pages per op (root)",
	.run = oracle_main,
	.order = 60,
};

ZPB_COMMAND(oracle_zram_cmd)
