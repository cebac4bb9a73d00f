// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_oracle_qemu_zram.c - `zpoolbench oracle qemu-zram`: the zsmalloc of
 * Linux 6.12 (x86-64, or arm64 with 16 KiB pages) under qemu, measured one
 * operation at a time through zram: what `oracle zram` does with the host's
 * zram0, done in the guest.
 *
 * The operations are those of `oracle zram`: every slot 0..N-1 gets one page
 * (the corpus's pages in turn, cycling), then each churn round discards a
 * seeded-random half of the slots, writes the next pages into them and
 * compacts; without churn one compaction ends the run.  A page is the
 * kernel's page: on the 16 KiB kernel, four consecutive corpus pages.  The
 * host writes the op list and the pages; the guest (guest/zram_run.c) does
 * the writes with O_DIRECT, the discards with BLKDISCARD and reads mm_stat
 * after each.  The host then turns the mm_stat lines into the kernel's size
 * trace (the compr_data_size delta of each write: the kernel's compressed
 * length, the page size for a page stored raw as huge; same-filled pages,
 * which take no pool memory, only as comments) and the trajectory
 * (mem_used_total / page size after every a/f/c op), checking every delta
 * as `oracle zram` does.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "corpus/corpus.h"
#include "driver/trace.h"
#include "kernel/qemu_oracle.h"
#include "util.h"

#define CMD "oracle qemu-zram"

struct oqz_args {
	const char *corpus, *trace, *trajectory, *codec, *kernel;
	uint64_t pages, churn, seed;
	int force;
};

#define O(f) offsetof(struct oqz_args, f)

static int check_kernel(const char *val, char *why, size_t len)
{
	const struct qo_kernel *k = qo_kernel(val);

	if (k && !strcmp(k->version, "6.12"))
		return 0;
	snprintf(why, len, "'%.40s' is not a kernel of the zram oracle (6.12, 6.12-arm64-16k)", val);
	return -1;
}

static int check_codec(const char *val, char *why, size_t len)
{
	static const char *const ok[] = { "lz4", "lz4hc", "zstd", "deflate" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(val, ok[i]))
			return 0;
	snprintf(why, len,
		 "'%.40s' is not a zram compressor of Debian's 6.12 (lz4, lz4hc, zstd, "
		 "deflate)",
		 val);
	return -1;
}

/* clang-format off */
static const struct zpb_opt oqz_opts[] = {
	{ .name = "corpus", .type = OPT_STRING, .arg = "FILE", .off = O(corpus),
	  .flags = OPT_REQUIRED | OPT_IN | OPT_CORPUS,
	  .help = "a corpus: NAME.pages or NAME.pages.zst (4096-byte pages; on the 16 KiB "
		  "kernel four consecutive ones make a page)" },
	{ .name = "trace", .type = OPT_STRING, .arg = "OUT", .off = O(trace),
	  .flags = OPT_REQUIRED | OPT_OUT, .help = "the kernel's size trace (format v1)" },
	{ .name = "trajectory", .type = OPT_STRING, .arg = "OUT", .off = O(trajectory),
	  .flags = OPT_REQUIRED | OPT_OUT, .help = "'OPINDEX POOL_PAGES' after every a/f/c op" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force),
	  .help = "replace existing --trace and --trajectory files" },
	{ .name = "kernel", .type = OPT_STRING, .arg = "K", .def = "6.12", .off = O(kernel),
	  .check = check_kernel, .help = "6.12 (x86-64) or 6.12-arm64-16k (16 KiB pages)" },
	{ .name = "codec", .type = OPT_STRING, .arg = "NAME", .def = "lz4", .off = O(codec),
	  .check = check_codec, .help = "zram compressor: lz4, lz4hc, zstd or deflate" },
	{ .name = "pages", .type = OPT_INT, .min = 1, .max = 1 << 20, .off = O(pages),
	  .help = "slots to fill (default: the corpus's pages; cycles through them)" },
	{ .name = "churn", .type = OPT_INT, .arg = "ROUNDS", .min = 0, .max = 100, .def = "0",
	  .off = O(churn), .help = "rounds of: discard a random half, rewrite it, compact" },
	{ .name = "seed", .type = OPT_INT, .min = 0, .max = UINT64_MAX, .def = "1", .off = O(seed),
	  .help = "seed of the churn choices" },
	{ .name = NULL },
};
/* clang-format on */

/* The plan: what each operation of the op list is. */
enum { OP_WRITE, OP_DISCARD, OP_COMPACT };

struct plan {
	uint8_t *kind;
	uint64_t *slot;
	uint64_t n, cap;
	uint64_t writes; /* pages written; page i of the input is write i modulo its pages */
};

static int plan_add(struct plan *p, FILE *ops, int kind, uint64_t slot, uint64_t avail)
{
	if (p->n == p->cap) {
		uint64_t cap = p->cap ? 2 * p->cap : 4096;
		uint8_t *k = realloc(p->kind, cap);
		uint64_t *s;

		if (!k)
			return -1;
		p->kind = k;
		s = realloc(p->slot, cap * sizeof(*s));
		if (!s)
			return -1;
		p->slot = s;
		p->cap = cap;
	}
	p->kind[p->n] = kind;
	p->slot[p->n++] = slot;
	if (kind == OP_WRITE)
		fprintf(ops, "w %" PRIu64 " %" PRIu64 "\n", slot, p->writes++ % avail);
	else if (kind == OP_DISCARD)
		fprintf(ops, "d %" PRIu64 "\n", slot);
	else
		fputs("c\n", ops);
	return 0;
}

/* The operations of `oracle zram`, with the same seeded choices. */
static int plan_ops(struct plan *p, FILE *ops, uint64_t nslots, uint64_t churn, uint64_t seed,
		    uint64_t avail)
{
	uint64_t *order, rng = seed, half = nslots / 2;
	int ret = -1;

	for (uint64_t s = 0; s < nslots; s++)
		if (plan_add(p, ops, OP_WRITE, s, avail))
			return -1;
	order = malloc(nslots * sizeof(*order));
	if (!order)
		return -1;
	for (uint64_t r = 0; r < churn; r++) {
		/* every slot is live after a fill or a round: shuffle all, take half */
		for (uint64_t i = 0; i < nslots; i++)
			order[i] = i;
		for (uint64_t i = nslots - 1; i > 0; i--) {
			uint64_t j = rng_below(&rng, i + 1), t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
		for (uint64_t i = 0; i < half; i++)
			if (plan_add(p, ops, OP_DISCARD, order[i], avail))
				goto out;
		for (uint64_t i = 0; i < half; i++)
			if (plan_add(p, ops, OP_WRITE, order[i], avail))
				goto out;
		if (plan_add(p, ops, OP_COMPACT, 0, avail))
			goto out;
	}
	if (!churn && plan_add(p, ops, OP_COMPACT, 0, avail))
		goto out;
	ret = 0;
out:
	free(order);
	return ret;
}

/* The first @n kernel pages of the corpus (@group corpus pages each) into @path. */
static int write_pages(const struct corpus *c, const char *path, uint64_t n, uint32_t group)
{
	struct corpus_cycle cy = { 0 };
	uint8_t buf[CORPUS_PAGE_SIZE];
	char err[512];
	FILE *f = fopen(path, "w");
	int ret = -1;

	if (!f) {
		zpb_err(CMD ": cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	for (uint64_t i = 0; i < n * group; i++) {
		if (corpus_cycle_next(&cy, c, buf, err, sizeof(err))) {
			zpb_err(CMD ": %s", err);
			goto out;
		}
		if (fwrite(buf, sizeof(buf), 1, f) != 1)
			break;
	}
	if (!ferror(f))
		ret = 0;
out:
	corpus_cycle_close(&cy);
	if (fclose(f) || ret) {
		if (!ret)
			zpb_err(CMD ": cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- from mm_stat lines to the trace ------------------------------------ */

struct mm {
	uint64_t orig, compr, used, limit, max, same, compacted, huge;
};

static int parse_mm(const char *s, struct mm *m)
{
	return sscanf(s,
		      "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
		      " %" SCNu64 " %" SCNu64,
		      &m->orig, &m->compr, &m->used, &m->limit, &m->max, &m->same, &m->compacted,
		      &m->huge) == 8
		       ? 0
		       : -1;
}

enum { SLOT_EMPTY, SLOT_SAME, SLOT_OBJ };

struct derive {
	uint32_t page;
	uint8_t *state;
	uint64_t *id, *size;
	uint64_t next_id, ops, stores, same, huge, frees, compactions, compacted, peak;
	struct mm last;
	FILE *trace, *traj;
	char err[512];
};

static int bad(struct derive *d, uint64_t op, uint64_t slot, const char *what, int64_t a, int64_t b)
{
	char w[256];

	snprintf(w, sizeof(w), what, a, b);
	snprintf(d->err, sizeof(d->err),
		 "the guest's zram did not behave as expected at operation %" PRIu64
		 " (slot %" PRIu64 "): %s",
		 op, slot, w);
	return -1;
}

static void emit(struct derive *d, const struct mm *now)
{
	uint64_t pages = now->used / d->page;

	fprintf(d->traj, "%" PRIu64 " %" PRIu64 "\n", d->ops++, pages);
	if (pages > d->peak)
		d->peak = pages;
}

static int step_write(struct derive *d, uint64_t op, uint64_t slot, const struct mm *now)
{
	const struct mm *l = &d->last;
	uint64_t size = now->compr - l->compr;

	if (now->orig != l->orig + d->page)
		return bad(d, op, slot, "orig_data_size grew by %" PRId64 " instead of %" PRId64,
			   now->orig - l->orig, d->page);
	if (now->same == l->same + 1) {
		if (now->compr != l->compr || now->used != l->used)
			return bad(d, op, slot,
				   "a same-filled page took %" PRId64 " bytes, %" PRId64
				   " pool bytes",
				   now->compr - l->compr, now->used - l->used);
		fprintf(d->trace, "# same-filled page in slot %" PRIu64 ": no allocation\n", slot);
		d->state[slot] = SLOT_SAME;
		d->same++;
	} else {
		if (now->same != l->same || size == 0 || size > d->page)
			return bad(d, op, slot,
				   "compressed length %" PRId64 " (same_pages delta %" PRId64 ")",
				   size, now->same - l->same);
		if ((now->huge != l->huge) != (size == d->page))
			return bad(d, op, slot,
				   "huge_pages delta %" PRId64 " for a length of %" PRId64,
				   now->huge - l->huge, size);
		d->huge += size == d->page;
		d->state[slot] = SLOT_OBJ;
		d->id[slot] = d->next_id++;
		d->size[slot] = size;
		fprintf(d->trace, "a %" PRIu64 " %" PRIu64 "\n", d->id[slot], size);
		emit(d, now);
	}
	d->stores++;
	return 0;
}

static int step_discard(struct derive *d, uint64_t op, uint64_t slot, const struct mm *now)
{
	const struct mm *l = &d->last;

	if (now->orig + d->page != l->orig)
		return bad(d, op, slot,
			   "a discard changed orig_data_size by %" PRId64 " (expected -%" PRId64 ")",
			   now->orig - l->orig, d->page);
	if (d->state[slot] == SLOT_SAME) {
		if (now->same + 1 != l->same)
			return bad(d, op, slot,
				   "same_pages changed by %" PRId64 " (expected %" PRId64 ")",
				   now->same - l->same, -1);
		fprintf(d->trace, "# discard of same-filled slot %" PRIu64 "\n", slot);
	} else {
		if (now->compr + d->size[slot] != l->compr)
			return bad(d, op, slot,
				   "compr_data_size changed by %" PRId64 " (expected -%" PRId64 ")",
				   now->compr - l->compr, d->size[slot]);
		fprintf(d->trace, "f %" PRIu64 "\n", d->id[slot]);
		emit(d, now);
		d->frees++;
	}
	d->state[slot] = SLOT_EMPTY;
	return 0;
}

/* The guest's output disk, op by op. */
static int derive(struct derive *d, const struct plan *p, const char *out)
{
	FILE *f = fopen(out, "r");
	char line[512];
	uint64_t i = 0, idx, end = UINT64_MAX;
	uint32_t ps = 0;
	struct mm now;
	int have_last = 0;

	if (!f) {
		snprintf(d->err, sizeof(d->err), "the guest wrote no results (%s)", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) && end == UINT64_MAX) {
		int n = 0;

		if (sscanf(line, "# page_size %" SCNu32, &ps) == 1) {
			if (ps != d->page)
				break;
			continue;
		}
		if (!strncmp(line, "# mm_stat ", 10)) {
			have_last = !parse_mm(line + 10, &d->last);
			continue;
		}
		if (sscanf(line, "# end ops=%" SCNu64, &end) == 1)
			break;
		if (sscanf(line, "%" SCNu64 " %n", &idx, &n) != 1 || idx != i || i >= p->n ||
		    parse_mm(line + n, &now) || !have_last || ps != d->page)
			break;
		if (p->kind[i] != OP_COMPACT && now.compacted != d->last.compacted) {
			snprintf(d->err, sizeof(d->err),
				 "the guest's kernel compacted zram by itself "
				 "(zsmalloc's shrinker under memory pressure), so the trace would not "
				 "be exact; give the guest more memory");
			fclose(f);
			return -1;
		}
		if (p->kind[i] == OP_WRITE) {
			if (step_write(d, i, p->slot[i], &now))
				goto fail;
		} else if (p->kind[i] == OP_DISCARD) {
			if (step_discard(d, i, p->slot[i], &now))
				goto fail;
		} else {
			fprintf(d->trace, "c\n# kernel compaction freed %" PRIu64 " pages\n",
				now.compacted - d->last.compacted);
			emit(d, &now);
			d->compactions++;
			d->compacted += now.compacted - d->last.compacted;
		}
		d->last = now;
		i++;
	}
	fclose(f);
	if (ps && ps != d->page) {
		snprintf(d->err, sizeof(d->err),
			 "the guest has %" PRIu32 "-byte pages, not %" PRIu32, ps, d->page);
		return -1;
	}
	if (end != p->n || i != p->n) {
		snprintf(d->err, sizeof(d->err),
			 "the guest's results are incomplete (%" PRIu64 " of %" PRIu64
			 " operations)",
			 i, p->n);
		return -1;
	}
	return 0;
fail:
	fclose(f);
	return -1;
}

static int oqz_main(void *opts, int argc, char **argv)
{
	const struct oqz_args *a = opts;
	const struct qo_kernel *k = qo_kernel(a->kernel);
	static struct qo_run run;
	struct corpus c;
	struct plan plan = { 0 };
	struct derive d = { 0 };
	struct afile ftrace, ftraj;
	char err[512], ops_path[PATH_MAX + 16], pages_path[PATH_MAX + 16], out[PATH_MAX + 16];
	char s_mem[32];
	uint32_t group = k->page_size / CORPUS_PAGE_SIZE;
	uint64_t avail, nslots, inpages;
	FILE *ops;
	int ret = 1;

	(void)argc;
	(void)argv;
	if (corpus_open(&c, a->corpus, err, sizeof(err))) {
		zpb_err(CMD ": %s", err);
		return 1;
	}
	avail = c.pages / group;
	if (!avail) {
		zpb_err(CMD ": %s: %" PRIu64 " pages of %d bytes make no %" PRIu32 "-byte page",
			a->corpus, c.pages, CORPUS_PAGE_SIZE, k->page_size);
		goto out_corpus;
	}
	nslots = a->pages ? a->pages : avail;
	if (qo_begin(&run, CMD))
		goto out_corpus;
	qo_path(&run, "ops", ops_path, sizeof(ops_path));
	qo_path(&run, "pages", pages_path, sizeof(pages_path));
	qo_path(&run, "out.img", out, sizeof(out));
	ops = fopen(ops_path, "w");
	if (!ops) {
		zpb_err(CMD ": cannot write the op list %s: %s", ops_path, strerror(errno));
		goto out_run;
	}
	ret = plan_ops(&plan, ops, nslots, a->churn, a->seed, avail) || ferror(ops);
	if (fclose(ops) || ret) {
		zpb_err(CMD ": cannot write the op list %s: %s", ops_path,
			ret ? "out of memory or a write error" : strerror(errno));
		ret = 1;
		goto out_run;
	}
	ret = 1;
	inpages = plan.writes < avail ? plan.writes : avail;
	if (write_pages(&c, pages_path, inpages, group))
		goto out_run;
	/* the kernel, the input disk's page cache, a pool of at most a page a slot */
	snprintf(s_mem, sizeof(s_mem), "%" PRIu64,
		 256 + (inpages + nslots) * k->page_size / (1 << 20) + plan.n * 100 / (1 << 20));
	if (progress_enabled())
		fprintf(stderr,
			"zpoolbench: " CMD ": booting %s under qemu, %" PRIu64
			" operations (the first run also fetches and builds)...\n",
			k->desc, plan.n);
	{
		const char *sa[] = { "zram",   k->name, a->codec, pages_path,
				     ops_path, s_mem,	out,	  NULL };

		if (qo_script(&run, CMD, sa))
			goto out_run;
	}
	d.page = k->page_size;
	d.state = calloc(nslots, 1);
	d.id = calloc(nslots, sizeof(*d.id));
	d.size = calloc(nslots, sizeof(*d.size));
	if (!d.state || !d.id || !d.size) {
		zpb_err(CMD ": out of memory for %" PRIu64 " slots", nslots);
		goto out_mem;
	}
	if (afile_create(&ftrace, CMD ": --trace", a->trace, a->force))
		goto out_mem;
	if (afile_create(&ftraj, CMD ": --trajectory", a->trajectory, a->force)) {
		afile_abort(&ftrace);
		goto out_mem;
	}
	d.trace = ftrace.f;
	d.traj = ftraj.f;
	trace_write_header(d.trace);
	trace_write_page_size(d.trace, k->page_size);
	fprintf(d.trace,
		"# kernel zsmalloc via zram (zpoolbench oracle qemu-zram): Linux %s under qemu, "
		"codec %s\n"
		"# corpus %s (%" PRIu64 " pages of %d bytes, %" PRIu32 " to a page), %" PRIu64
		" slots, churn %" PRIu64 ", seed %" PRIu64 "\n"
		"# sizes are the kernel's compressed lengths; %" PRIu32 " = stored raw (huge)\n",
		run.release, a->codec, c.name, c.pages, CORPUS_PAGE_SIZE, group, nslots, a->churn,
		a->seed, k->page_size);
	if (derive(&d, &plan, out)) {
		zpb_err(CMD ": %s", d.err);
		afile_abort(&ftraj);
		afile_abort(&ftrace);
		goto out_mem;
	}
	fprintf(d.trace,
		"# end: pool pages %" PRIu64 ", compr_data_size %" PRIu64 ", same_pages %" PRIu64
		", huge_pages %" PRIu64 ", pages_compacted %" PRIu64 "\n",
		d.last.used / d.page, d.last.compr, d.last.same, d.last.huge, d.last.compacted);
	/* newest first: the hooks are a stack */
	if (afile_commit(&ftraj)) {
		afile_abort(&ftrace);
		goto out_mem;
	}
	if (afile_commit(&ftrace))
		goto out_mem;
	printf("oracle zram  zram0 of Linux %s under qemu (%" PRIu32 "-byte pages, %s), corpus "
	       "%s: %" PRIu64 " slots, %" PRIu64 " churn rounds\n",
	       run.release, k->page_size, a->codec, c.name, nslots, a->churn);
	printf("stores       %" PRIu64 " pages (%" PRIu64 " same-filled, %" PRIu64 " huge)\n",
	       d.stores, d.same, d.huge);
	printf("operations   %" PRIu64 " (%" PRIu64 " a, %" PRIu64 " f, %" PRIu64 " c)\n", d.ops,
	       d.stores - d.same, d.frees, d.compactions);
	printf("pool pages   %" PRIu64 " at the end (peak %" PRIu64 "), %" PRIu64
	       " freed by compaction\n",
	       d.last.used / d.page, d.peak, d.compacted);
	printf("qemu         %s s (boot and run, TCG, one CPU)\n", run.qemu_seconds);
	printf("trace        %s\ntrajectory   %s\n", a->trace, a->trajectory);
	ret = 0;
out_mem:
	free(d.state);
	free(d.id);
	free(d.size);
out_run:
	free(plan.kind);
	free(plan.slot);
	qo_end(&run);
out_corpus:
	corpus_close(&c);
	return ret;
}

static const struct zpb_cmd oqz_cmd = {
	.name = "oracle qemu-zram",
	.summary =
		"Linux 6.12's zsmalloc (x86, arm64 16K) through zram under qemu: trace + pages per op",
	.about = "Runs a corpus through the zsmalloc of Debian's Linux 6.12 via zram, in a qemu\n"
		 "guest (TCG, one CPU), and records per operation the kernel's compressed size\n"
		 "and pool pages: the operations of `oracle zram` (fill, churn rounds of discard,\n"
		 "rewrite and compact), on 6.12 (x86-64) or 6.12-arm64-16k (16 KiB pages, four\n"
		 "consecutive corpus pages to a page).  Replaying the trace with `zpoolbench\n"
		 "replay --alloc zsmalloc:kernel=6.12 --trajectory` must give the same trajectory,\n"
		 "step for step.  Needs no root: nothing on the host is touched.\n",
	.opts = oqz_opts,
	.size = sizeof(struct oqz_args),
	.run = oqz_main,
	.order = 61,
};

ZPB_COMMAND(oqz_cmd)
