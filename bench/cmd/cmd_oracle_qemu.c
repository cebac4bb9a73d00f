// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_oracle_qemu.c - `zpoolbench oracle qemu`: replays a size trace through
 * the real zbud, z3fold or zsmalloc of one of Debian's kernels (Linux 6.1,
 * 6.12, or 6.12 for arm64 with 16 KiB pages), booted under qemu, and writes
 * the kernel's pool size after every operation (trajectory format, as
 * `zpoolbench replay --trajectory` does for the ports).
 *
 * This file checks the trace, turns it into the guest's op list (IDs mapped
 * to dense handle slots), runs bench/kernel/oracle/qemu-oracle.sh (kernel
 * download, module build, boot; all cached) and checks and writes what the
 * guest answered.  See docs/oracle-qemu.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "driver/idmap.h"
#include "driver/trace.h"
#include "kernel/qemu_oracle.h"
#include "util.h"

#define CMD "oracle qemu"

struct oq_args {
	const char *trace, *alloc, *trajectory, *kernel;
	int force;
};

#define O(f) offsetof(struct oq_args, f)

static int check_kernel(const char *val, char *why, size_t len)
{
	if (qo_kernel(val))
		return 0;
	snprintf(why, len, "'%.40s' is not a kernel of the oracle (%s)", val, QO_KERNEL_NAMES);
	return -1;
}

/* clang-format off */
static const struct zpb_opt oq_opts[] = {
	{ .name = "trace", .type = OPT_STRING, .arg = "FILE", .off = O(trace),
	  .flags = OPT_REQUIRED | OPT_IN,
	  .help = "the trace ('# zpoolbench-trace v1', 'a ID SIZE', 'f ID', 'c')" },
	{ .name = "alloc", .type = OPT_STRING, .arg = "NAME", .off = O(alloc), .flags = OPT_REQUIRED,
	  .help = "zbud, z3fold (Linux 6.1 only) or zsmalloc; a port's 'kernel=V' and 'page=N' "
		  "may follow (zsmalloc:kernel=6.12,page=16384)" },
	{ .name = "kernel", .type = OPT_STRING, .arg = "K", .off = O(kernel), .check = check_kernel,
	  .help = "the kernel to boot: 6.1, 6.12 or 6.12-arm64-16k (default: the one --alloc's "
		  "kernel= and the trace's page size name; without kernel=, 6.1 or, for a "
		  "16 KiB trace, 6.12-arm64-16k)" },
	{ .name = "trajectory", .type = OPT_STRING, .arg = "OUT", .off = O(trajectory),
	  .flags = OPT_OUT, .help = "write 'OPINDEX POOL_PAGES' after every operation" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force),
	  .help = "replace an existing --trajectory file" },
	{ .name = NULL },
};
/* clang-format on */

static struct qo_run run;

/* ---- trace -> op list ---------------------------------------------------- */

struct conv {
	uint64_t ops, stores, frees, compactions;
	uint64_t slots;	      /* distinct slots used = peak live objects */
	uint64_t *free_slots; /* stack of released slots */
	uint64_t nfree, capfree;
};

static int push_slot(struct conv *cv, uint64_t slot)
{
	if (cv->nfree == cv->capfree) {
		uint64_t cap = cv->capfree ? 2 * cv->capfree : 1024;
		uint64_t *p = realloc(cv->free_slots, cap * sizeof(*p));

		if (!p)
			return -1;
		cv->free_slots = p;
		cv->capfree = cap;
	}
	cv->free_slots[cv->nfree++] = slot;
	return 0;
}

/*
 * Same rules as `zpoolbench replay`: freeing an ID that is not live is an
 * error, and so is storing a live ID (unless its store was refused; the
 * module tells).  Live IDs get the lowest free slot number last
 * released (a stack), so the module needs only as many slots as objects are
 * live at once.
 */
static int convert(const char *path, FILE *out, struct conv *cv)
{
	struct trace_reader r;
	struct trace_op op;
	struct idmap live;
	struct idmap_entry *e;
	char err[1024];
	int n, ret = -1;

	if (trace_open(&r, path, err, sizeof(err))) {
		zpb_err("%s", err);
		return -1;
	}
	if (idmap_init(&live, 1 << 16)) {
		zpb_err("out of memory");
		trace_close(&r);
		return -1;
	}
	while ((n = trace_next(&r, &op, err, sizeof(err))) == 1) {
		switch (op.op) {
		case 'a':
			/*
			 * A store of a live ID is an error unless the kernel refused
			 * the earlier store (as in replay): the module decides, on
			 * the same slot.
			 */
			e = idmap_get(&live, op.id);
			if (!e) {
				e = idmap_put(&live, op.id);
				if (!e) {
					zpb_err("out of memory");
					goto out;
				}
				e->handle = cv->nfree ? cv->free_slots[--cv->nfree] : cv->slots++;
			}
			fprintf(out, "a %lu %u\n", e->handle, op.size);
			cv->stores++;
			break;
		case 'f':
			e = idmap_get(&live, op.id);
			if (!e) {
				zpb_err("%s:%lu: free of ID %" PRIu64
					", which was never stored or is already freed",
					r.name, op.line, op.id);
				goto out;
			}
			fprintf(out, "f %lu\n", e->handle);
			if (push_slot(cv, e->handle)) {
				zpb_err("out of memory");
				goto out;
			}
			idmap_del(&live, e);
			cv->frees++;
			break;
		case 'c':
			fputs("c\n", out);
			cv->compactions++;
			break;
		}
		cv->ops++;
	}
	if (n < 0) {
		zpb_err("%s", err);
		goto out;
	}
	if (cv->slots > UINT_MAX) {
		zpb_err("%s: more than %u objects live at once; the qemu oracle cannot hold them",
			path, UINT_MAX);
		goto out;
	}
	ret = 0;
out:
	idmap_free(&live);
	trace_close(&r);
	free(cv->free_slots);
	cv->free_slots = NULL;
	return ret;
}

/* ---- the guest's answers ----------------------------------------------- */

struct answers {
	uint64_t *pages; /* per op */
	uint64_t rejected, enospc, enomem, waits, work, unsettled;
	uint64_t error_op; /* with error: the store into a live ID */
	int error;
};

/* The module stopped at operation @n, a store of a live ID: say where. */
static void report_store_error(const char *path, uint64_t n)
{
	struct trace_reader r;
	struct trace_op op;
	char err[1024];
	uint64_t i = 0;

	if (trace_open(&r, path, err, sizeof(err)) == 0) {
		while (trace_next(&r, &op, err, sizeof(err)) == 1) {
			if (i++ == n) {
				zpb_err("%s:%lu: store of ID %" PRIu64 ", which is already stored",
					r.name, op.line, op.id);
				trace_close(&r);
				return;
			}
		}
		trace_close(&r);
	}
	zpb_err("%s: operation %" PRIu64 " stores an ID that is already stored", path, n);
}

/* Parse the output disk: "I PAGES" lines for I = 0..ops-1, then "# end ...", then NUL. */
static int parse_answers(const char *trace, const struct conv *cv, struct answers *a)
{
	char line[256], path[PATH_MAX + 16];
	FILE *f;
	uint64_t i = 0, idx, pages, ops;
	int ended = 0;

	qo_path(&run, "out.img", path, sizeof(path));
	f = fopen(path, "r");
	if (!f) {
		zpb_err(CMD ": the guest wrote no results (%s)", strerror(errno));
		return -1;
	}
	a->pages = calloc(cv->ops ? cv->ops : 1, sizeof(*a->pages));
	if (!a->pages) {
		fclose(f);
		zpb_err("out of memory");
		return -1;
	}
	while (!ended && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%" SCNu64 " %" SCNu64, &idx, &pages) == 2 && idx == i &&
		    i < cv->ops) {
			a->pages[i++] = pages;
		} else if (sscanf(line, "# error op=%" SCNu64, &a->error_op) == 1) {
			a->error = 1;
		} else if (sscanf(line,
				  "# end ops=%" SCNu64 " rejected=%" SCNu64 " enospc=%" SCNu64
				  " enomem=%" SCNu64 " waits=%" SCNu64 " work=%" SCNu64
				  " unsettled=%" SCNu64,
				  &ops, &a->rejected, &a->enospc, &a->enomem, &a->waits, &a->work,
				  &a->unsettled) == 7) {
			ended = 1;
		} else {
			break;
		}
	}
	fclose(f);
	if (ended && a->error) {
		report_store_error(trace, a->error_op);
		return -1;
	}
	if (!ended || i != cv->ops || ops != cv->ops) {
		zpb_err(CMD ": the guest's results are incomplete (%" PRIu64 " of %" PRIu64
			    " operations)",
			i, cv->ops);
		return -1;
	}
	if (a->enomem) {
		zpb_err(CMD ": the kernel allocator ran out of memory %" PRIu64
			    " times; the result would depend on it, so there is none",
			a->enomem);
		return -1;
	}
	if (a->unsettled) {
		zpb_err(CMD ": z3fold's compaction work did not finish after %" PRIu64
			    " operations; those sizes would depend on timing, so there is no result",
			a->unsettled);
		return -1;
	}
	return 0;
}

static int write_trajectory(const char *path, bool force, const struct conv *cv,
			    const struct answers *a)
{
	struct afile af;

	if (afile_create(&af, CMD ": --trajectory", path, force))
		return -1;
	for (uint64_t i = 0; i < cv->ops; i++)
		fprintf(af.f, "%" PRIu64 " %" PRIu64 "\n", i, a->pages[i]);
	return afile_commit(&af);
}

/*
 * --alloc NAME[:kernel=V][,page=N] and --kernel: the kernel's allocator
 * name into @name and the kernel into *@k.  The keys are those of the ports'
 * specs, so that the spec of the port compared works here too; they must
 * agree with --kernel and with the trace's page size.  0, or 2 after a
 * message (a usage error).
 */
static int choose(const struct oq_args *a, uint32_t trace_page, char *name, size_t len,
		  const struct qo_kernel **k)
{
	static const char *const names[] = { "zbud", "z3fold", "zsmalloc" };
	const char *spec = a->alloc, *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	char version[16] = "", keys[128];
	uint64_t page = 0;
	bool known = false;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (n == strlen(names[i]) && !strncmp(spec, names[i], n))
			known = true;
	if (!known) {
		opt_err(CMD, "--alloc",
			"unknown allocator '%.*s' (the kernels have: zbud, z3fold "
			"(Linux 6.1 only), zsmalloc)",
			(int)n, spec);
		return 2;
	}
	snprintf(name, len, "%.*s", (int)n, spec);
	if (colon && snprintf(keys, sizeof(keys), "%s", colon + 1) < (int)sizeof(keys)) {
		char *save, *tok;

		for (tok = strtok_r(keys, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (!strncmp(tok, "kernel=", 7) && qo_kernel_for(tok + 7, 4096) && !*version)
				snprintf(version, sizeof(version), "%s", tok + 7);
			else if (!strncmp(tok, "page=", 5) &&
				 !parse_u64(tok + 5, 4096, 65536, &page) && page)
				;
			else
				goto bad_keys;
		}
	} else if (colon) {
		goto bad_keys;
	}
	if (a->kernel) {
		*k = qo_kernel(a->kernel);
	} else {
		uint32_t p = page ? (uint32_t)page : trace_page;

		*k = qo_kernel_for(*version ? version : p == 4096 ? "6.1" : "6.12", p);
		if (!*k) {
			opt_err(CMD, "--alloc",
				"'%s': no kernel of the oracle has Linux %s with "
				"%" PRIu32 "-byte pages (%s)",
				spec, *version ? version : "6.12", p, QO_KERNEL_NAMES);
			return 2;
		}
	}
	if ((*version && strcmp(version, (*k)->version)) || (page && page != (*k)->page_size)) {
		opt_err(CMD, "--alloc",
			"'%s' is not the allocator of --kernel %s (kernel=%s, "
			"page=%" PRIu32 ")",
			spec, (*k)->name, (*k)->version, (*k)->page_size);
		return 2;
	}
	if (!strstr((*k)->allocs, name)) {
		opt_err(CMD, "--alloc", "%s has no %s (it has: %s)", (*k)->desc, name, (*k)->allocs);
		return 2;
	}
	return 0;
bad_keys:
	opt_err(CMD, "--alloc",
		"'%s': the kernel's allocator runs as the kernel built it; only "
		"the kernel= (6.1, 6.12) and page= (4096, 16384) of a port's spec may follow "
		"the name",
		spec);
	return 2;
}

static int oq_main(void *opts, int argc, char **argv)
{
	const struct oq_args *args = opts;
	const char *trace = args->trace, *trajectory = args->trajectory;
	const struct qo_kernel *k = NULL;
	char name[16], path[PATH_MAX + 16], s_slots[32], s_mem[32], err[1024];
	struct conv cv = { 0 };
	struct answers ans = { 0 };
	uint64_t mem_mb, last = 0, peak = 0;
	uint32_t trace_page;
	long ops_bytes;
	FILE *ops;
	int ret;

	(void)argc;
	(void)argv;
	if (trace_peek_page_size(trace, &trace_page, err, sizeof(err))) {
		zpb_err("%s", err);
		return 1;
	}
	if (!trace_page)
		trace_page = TRACE_MAX_SIZE;
	ret = choose(args, trace_page, name, sizeof(name), &k);
	if (ret)
		return ret;
	if (trace_page != k->page_size) {
		zpb_err(CMD ": %s: a trace of %" PRIu32 "-byte pages, but %s has %" PRIu32
			    "-byte pages (a trace declares its page size with '" TRACE_PAGE_SIZE
			    " N')",
			trace, trace_page, k->desc, k->page_size);
		return 1;
	}
	ret = 1;
	if (qo_begin(&run, CMD))
		return 1;
	qo_path(&run, "ops", path, sizeof(path));
	ops = fopen(path, "w");
	if (!ops) {
		zpb_err(CMD ": cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (convert(trace, ops, &cv)) {
		fclose(ops);
		goto out;
	}
	ops_bytes = ftell(ops);
	if (fclose(ops) || ops_bytes < 0) {
		zpb_err(CMD ": cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	/* room for the kernel, one page per live object, the op list (three copies) */
	mem_mb = 256 + cv.slots * k->page_size * 5 / 4 / (1 << 20) +
		 3 * (uint64_t)ops_bytes / (1 << 20);
	if (progress_enabled())
		fprintf(stderr,
			"zpoolbench: " CMD ": booting %s under qemu for %s, %" PRIu64
			" operations (the first run also fetches and builds)...\n",
			k->desc, name, cv.ops);
	snprintf(s_slots, sizeof(s_slots), "%" PRIu64, cv.slots ? cv.slots : 1);
	snprintf(s_mem, sizeof(s_mem), "%" PRIu64, mem_mb);
	{
		char out[PATH_MAX + 16];
		const char *sa[] = { "run", k->name, name, path, s_slots, s_mem, out, NULL };

		qo_path(&run, "out.img", out, sizeof(out));
		if (qo_script(&run, CMD, sa) || parse_answers(trace, &cv, &ans))
			goto out;
	}
	if (trajectory && write_trajectory(trajectory, args->force, &cv, &ans))
		goto out;

	for (uint64_t i = 0; i < cv.ops; i++)
		peak = ans.pages[i] > peak ? ans.pages[i] : peak;
	last = cv.ops ? ans.pages[cv.ops - 1] : 0;
	printf("trace        %s (%" PRIu64 " ops: %" PRIu64 " stores, %" PRIu64 " frees, %" PRIu64
	       " compactions)\n",
	       trace, cv.ops, cv.stores, cv.frees, cv.compactions);
	printf("allocator    %s, Linux %s under qemu (%" PRIu32 "-byte pages)\n", name, run.release,
	       k->page_size);
	printf("rejected     %" PRIu64 " (enospc %" PRIu64 ")\n", ans.rejected, ans.enospc);
	printf("pool pages   %" PRIu64 " (peak %" PRIu64 ")\n", last, peak);
	printf("qemu         %s s (boot and replay, TCG, one CPU)\n", run.qemu_seconds);
	if (!strcmp(name, "z3fold"))
		printf("quiescence   %" PRIu64 " z3fold work items waited for (%" PRIu64
		       " sleeps)\n",
		       ans.work, ans.waits);
	ret = 0;
out:
	free(ans.pages);
	qo_end(&run);
	return ret;
}

static const struct zpb_cmd oq_cmd = {
	.name = "oracle qemu",
	.summary = "the real zbud/z3fold/zsmalloc of Linux 6.1 or 6.12 under qemu: pool pages per op",
	.about = "Boots one of Debian's kernels under qemu (TCG, one CPU) and replays the size\n"
		 "trace through the kernel's own allocator with a small kernel module, reading\n"
		 "the pool size after every operation.  Kernels: 6.1 (x86-64: zbud, z3fold,\n"
		 "zsmalloc with chains of 4), 6.12 (x86-64: zbud, zsmalloc with chains of 8) and\n"
		 "6.12-arm64-16k (arm64 with 16 KiB pages, for traces with '# page_size 16384').\n"
		 "The kernel packages are fetched with apt-get download and, like the module\n"
		 "build, cached under ${ZPB_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/zpoolbench}/\n"
		 "oracle-qemu.\n\n"
		 "z3fold: every size is read once the z3fold compaction work queued by a free\n"
		 "has run.  'c' compacts zsmalloc (zs_compact); for zbud and z3fold it only\n"
		 "reads the size.\n",
	.opts = oq_opts,
	.size = sizeof(struct oq_args),
	.run = oq_main,
	.order = 60,
};

ZPB_COMMAND(oq_cmd)
