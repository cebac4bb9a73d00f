// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_oracle_qemu.c - `zpoolbench oracle qemu`: replays a size trace through
 * the real zbud, z3fold or zsmalloc of Debian's Linux 6.1, booted under qemu,
 * and writes the kernel's pool size after every operation (trajectory
 * format, as `zpoolbench replay --trajectory` does for the ports).
 *
 * This file checks the trace, turns it into the guest's op list (IDs mapped
 * to dense handle slots), runs bench/kernel/oracle/qemu-oracle.sh (kernel download,
 * module build, boot; all cached) and checks and writes what the guest
 * answered.  See docs/oracle-qemu.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "driver/idmap.h"
#include "driver/trace.h"
#include "util.h"

#define SCRIPT "qemu-oracle.sh"

struct oq_args {
	const char *trace, *alloc, *trajectory;
	int force;
};

#define O(f) offsetof(struct oq_args, f)

static const struct zpb_opt oq_opts[] = {
	{ .name = "trace", .type = OPT_STRING, .arg = "FILE", .off = O(trace),
	  .flags = OPT_REQUIRED | OPT_IN,
	  .help = "the trace ('# zpoolbench-trace v1', 'a ID SIZE', 'f ID', 'c')" },
	{ .name = "alloc", .type = OPT_STRING, .arg = "NAME", .off = O(alloc), .flags = OPT_REQUIRED,
	  .help = "zbud, z3fold or zsmalloc (':kernel=6.1' may follow)" },
	{ .name = "trajectory", .type = OPT_STRING, .arg = "OUT", .off = O(trajectory),
	  .flags = OPT_OUT, .help = "write 'OPINDEX POOL_PAGES' after every operation" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force),
	  .help = "replace an existing --trajectory file" },
	{ .name = NULL },
};

/* ---- the temporary directory ------------------------------------------- */

static struct {
	char dir[PATH_MAX];
	char ops[PATH_MAX + 16];
	char out[PATH_MAX + 16];
	char info[PATH_MAX + 16];
	volatile pid_t child;
} tmp;

/* async-signal-safe: runs from the signal handler too */
static void tmp_cleanup(void *arg)
{
	(void)arg;
	if (tmp.child > 0)
		kill(-tmp.child, SIGTERM);
	unlink(tmp.ops);
	unlink(tmp.out);
	unlink(tmp.info);
	rmdir(tmp.dir);
}

static int tmp_create(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmp.dir, sizeof(tmp.dir), "%s/zpb-oracle.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmp.dir)) {
		zpb_err("oracle qemu: cannot create a temporary directory in %s: %s",
			t && *t ? t : "/tmp", strerror(errno));
		return -1;
	}
	snprintf(tmp.ops, sizeof(tmp.ops), "%s/ops", tmp.dir);
	snprintf(tmp.out, sizeof(tmp.out), "%s/out.img", tmp.dir);
	snprintf(tmp.info, sizeof(tmp.info), "%s/info", tmp.dir);
	zpb_cleanup_push(tmp_cleanup, NULL);
	return 0;
}

/* ---- trace -> op list ---------------------------------------------------- */

struct conv {
	uint64_t ops, stores, frees, compactions;
	uint64_t slots;	     /* distinct slots used = peak live objects */
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

/* ---- running the guest ------------------------------------------------- */

static int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/*
 * qemu-oracle.sh and the sources it builds: $ZPB_ORACLE_DIR, else
 * PREFIX/share/zpoolbench/oracle beside an installed binary or
 * bench/kernel/oracle beside a built one (util.h: zpb_data_dir).  0, or -1
 * with the places looked in, in @buf.
 */
static int find_script(char *buf, size_t len)
{
	const char *env = getenv("ZPB_ORACLE_DIR");
	char dir[PATH_MAX];

	if (env && *env) {
		snprintf(buf, len, "%s/" SCRIPT, env);
		if (exists(buf))
			return 0;
		snprintf(buf, len, "%s (from $ZPB_ORACLE_DIR)", env);
		return -1;
	}
	if (zpb_data_dir("oracle", "bench/kernel/oracle", SCRIPT, dir, sizeof(dir))) {
		snprintf(buf, len, "%s", dir);
		return -1;
	}
	snprintf(buf, len, "%s/" SCRIPT, dir);
	return 0;
}

static int run_guest(const char *script, const char *alloc, uint64_t slots, uint64_t mem_mb)
{
	char s_slots[32], s_mem[32];
	pid_t pid;
	int status;

	snprintf(s_slots, sizeof(s_slots), "%" PRIu64, slots ? slots : 1);
	snprintf(s_mem, sizeof(s_mem), "%" PRIu64, mem_mb);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		zpb_err("oracle qemu: fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		FILE *info = freopen(tmp.info, "w", stdout);

		/* own process group, so that a signal to us can stop qemu too */
		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (info)
			execl("/bin/sh", "sh", script, "run", alloc, tmp.ops, s_slots, s_mem, tmp.out,
			      (char *)NULL);
		fprintf(stderr, "zpoolbench: oracle qemu: cannot run %s: %s\n", script,
			strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	tmp.child = pid;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			zpb_err("oracle qemu: waitpid: %s", strerror(errno));
			return -1;
		}
	}
	tmp.child = 0;
	/* the script has printed its one-line reason */
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* ---- the guest's answers ----------------------------------------------- */

struct answers {
	uint64_t *pages; /* per op */
	uint64_t rejected, enospc, enomem, waits, work, unsettled;
	uint64_t error_op; /* with error: the store into a live ID */
	int error;
	char kernel[64];
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
	FILE *f = fopen(tmp.out, "r");
	char line[256];
	uint64_t i = 0, idx, pages, ops;
	int ended = 0;

	if (!f) {
		zpb_err("oracle qemu: the guest wrote no results (%s)", strerror(errno));
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
		zpb_err("oracle qemu: the guest's results are incomplete (%" PRIu64 " of %" PRIu64
			" operations)", i, cv->ops);
		return -1;
	}
	if (a->enomem) {
		zpb_err("oracle qemu: the kernel allocator ran out of memory %" PRIu64
			" times; the result would depend on it, so there is none", a->enomem);
		return -1;
	}
	if (a->unsettled) {
		zpb_err("oracle qemu: z3fold's compaction work did not finish after %" PRIu64
			" operations; those sizes would depend on timing, so there is no result",
			a->unsettled);
		return -1;
	}
	f = fopen(tmp.info, "r");
	snprintf(a->kernel, sizeof(a->kernel), "6.1");
	if (f) {
		if (fgets(line, sizeof(line), f) && !strncmp(line, "kernel ", 7)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(a->kernel, sizeof(a->kernel), "%.60s", line + 7);
		}
		fclose(f);
	}
	return 0;
}

static int write_trajectory(const char *path, bool force, const struct conv *cv,
			    const struct answers *a)
{
	struct afile af;

	if (afile_create(&af, "oracle qemu: --trajectory", path, force))
		return -1;
	for (uint64_t i = 0; i < cv->ops; i++)
		fprintf(af.f, "%" PRIu64 " %" PRIu64 "\n", i, a->pages[i]);
	return afile_commit(&af);
}

/* "zbud", "z3fold", "zsmalloc", optionally with ":kernel=6.1"; the bare name or NULL. */
static const char *parse_alloc(const char *spec, char *buf, size_t len)
{
	static const char *const names[] = { "zbud", "z3fold", "zsmalloc" };
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);

	if (colon && strcmp(colon, ":kernel=6.1"))
		return NULL;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (n == strlen(names[i]) && !strncmp(spec, names[i], n)) {
			snprintf(buf, len, "%s", names[i]);
			return buf;
		}
	}
	return NULL;
}

static int oq_main(void *opts, int argc, char **argv)
{
	const struct oq_args *args = opts;
	const char *trace = args->trace, *spec = args->alloc, *trajectory = args->trajectory;
	const char *alloc;
	char name[16], script[PATH_MAX + 64];
	struct conv cv = { 0 };
	struct answers ans = { 0 };
	uint64_t mem_mb, last = 0, peak = 0;
	long ops_bytes;
	FILE *ops;
	int ret = 1;

	(void)argc;
	(void)argv;
	alloc = parse_alloc(spec, name, sizeof(name));
	if (!alloc && strchr(spec, ':')) {
		opt_err("oracle qemu", "--alloc", "'%s': the kernel's allocator runs as Linux 6.1 "
			"built it; only ':kernel=6.1' may follow the name (zbud, z3fold, zsmalloc)",
			spec);
		return 2;
	}
	if (!alloc) {
		opt_err("oracle qemu", "--alloc", "unknown allocator '%s' (Linux 6.1 has: zbud, "
			"z3fold, zsmalloc)", spec);
		return 2;
	}
	if (find_script(script, sizeof(script))) {
		zpb_err("oracle qemu: " SCRIPT " is not in %s; reinstall zpoolbench, or set "
			"ZPB_ORACLE_DIR to the folder holding it", script);
		return 1;
	}
	if (tmp_create())
		return 1;
	ops = fopen(tmp.ops, "w");
	if (!ops) {
		zpb_err("oracle qemu: cannot write %s: %s", tmp.ops, strerror(errno));
		goto out;
	}
	if (convert(trace, ops, &cv)) {
		fclose(ops);
		goto out;
	}
	ops_bytes = ftell(ops);
	if (fclose(ops) || ops_bytes < 0) {
		zpb_err("oracle qemu: cannot write %s: %s", tmp.ops, strerror(errno));
		goto out;
	}
	/* room for the kernel, one page per live object, the op list (three copies) */
	mem_mb = 256 + cv.slots * 4096 * 5 / 4 / (1 << 20) + 3 * (uint64_t)ops_bytes / (1 << 20);
	if (progress_enabled())
		fprintf(stderr, "zpoolbench: oracle qemu: booting Linux 6.1 under qemu for %s, %" PRIu64
			" operations (the first run also fetches and builds)...\n", alloc, cv.ops);
	if (run_guest(script, alloc, cv.slots, mem_mb) || parse_answers(trace, &cv, &ans))
		goto out;
	if (trajectory && write_trajectory(trajectory, args->force, &cv, &ans))
		goto out;

	for (uint64_t i = 0; i < cv.ops; i++)
		peak = ans.pages[i] > peak ? ans.pages[i] : peak;
	last = cv.ops ? ans.pages[cv.ops - 1] : 0;
	printf("trace        %s (%" PRIu64 " ops: %" PRIu64 " stores, %" PRIu64 " frees, %" PRIu64
	       " compactions)\n",
	       trace, cv.ops, cv.stores, cv.frees, cv.compactions);
	printf("allocator    %s, Linux %s under qemu\n", alloc, ans.kernel);
	printf("rejected     %" PRIu64 " (enospc %" PRIu64 ")\n", ans.rejected, ans.enospc);
	printf("pool pages   %" PRIu64 " (peak %" PRIu64 ")\n", last, peak);
	if (!strcmp(alloc, "z3fold"))
		printf("quiescence   %" PRIu64 " z3fold work items waited for (%" PRIu64
		       " sleeps)\n",
		       ans.work, ans.waits);
	ret = 0;
out:
	free(ans.pages);
	zpb_cleanup_pop(true);
	return ret;
}

static const struct zpb_cmd oq_cmd = {
	.name = "oracle qemu",
	.summary = "the real Linux 6.1 zbud/z3fold/zsmalloc under qemu: pool pages per operation",
	.about = "Boots Debian's Linux 6.1 under qemu (TCG, one CPU) and replays the size trace\n"
		 "through the kernel's own allocator with a small kernel module, reading the\n"
		 "pool size after every operation.  The kernel packages are fetched with\n"
		 "apt-get download and, like the module build, cached under\n"
		 "${ZPB_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/zpoolbench}/oracle-qemu.\n\n"
		 "z3fold: every size is read once the z3fold compaction work queued by a free\n"
		 "has run.  'c' compacts zsmalloc (zs_compact); for zbud and z3fold it only\n"
		 "reads the size.\n",
	.opts = oq_opts,
	.size = sizeof(struct oq_args),
	.run = oq_main,
	.order = 60,
};

ZPB_COMMAND(oq_cmd)
