// SPDX-License-Identifier: GPL-2.0-only
/*
 * zpb_oracle.c - replays a size trace through a real Linux 6.1 or 6.12
 * allocator (zbud, z3fold (6.1 only: 6.12 builds no z3fold) or zsmalloc)
 * inside a qemu guest and reports the pool size in pages after every
 * operation.  The same source builds against Debian's 6.1 and 6.12 headers.
 *
 * Interface: /proc/zpb_oracle.  The guest program writes whole lines
 *	a SLOT SIZE	store SIZE bytes, remember the handle in SLOT (if SLOT
 *			holds a live object, answer "# error op=N ..." and
 *			ignore everything up to "e")
 *	f SLOT		free what SLOT holds (no-op if the store was refused)
 *	c		compact (zsmalloc: zs_compact; zbud, z3fold: nothing)
 *	e		end: append the summary line
 * and reads back one "OPINDEX POOL_PAGES" line per a/f/c operation, and at
 * the end "# end ops=.. rejected=.. enospc=.. enomem=.. waits=..".
 *
 * zbud and z3fold are reached through the zpool API, whose functions 6.1
 * and 6.12 do not export to modules: their addresses come from kallsyms
 * (found through a kprobe on kallsyms_lookup_name).  zsmalloc is called through its
 * exported zs_* API, which is what its zpool driver does too.
 *
 * z3fold compacts pages from a work queue after a free.  To report sizes at
 * points where the kernel has quiesced, the module counts the work items of
 * the z3fold module that were queued (tracepoint workqueue_queue_work) and
 * finished (workqueue_execute_end), and after every free sleeps until the
 * two counts are equal.  The guest has one CPU, so sleeping runs the worker.
 */
#include <linux/delay.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <linux/zpool.h>
#include <linux/zsmalloc.h>

static char *alloc = "zbud";
module_param(alloc, charp, 0444);
MODULE_PARM_DESC(alloc, "allocator: zbud, z3fold or zsmalloc");
static unsigned int slots = 1 << 16;
module_param(slots, uint, 0444);
MODULE_PARM_DESC(slots, "number of handle slots (live objects at most)");
static bool wait_z3fold = true;
module_param(wait_z3fold, bool, 0444);
MODULE_PARM_DESC(wait_z3fold, "wait for z3fold's compaction work after every free (default on)");
static unsigned int settle_us;
module_param(settle_us, uint, 0444);
MODULE_PARM_DESC(settle_us, "extra sleep after every free and compaction (to validate quiescence)");

#define OUT_CAP (1 << 20) /* output buffer; writes stop when it is nearly full */
#define LINE_MAX_LEN 64
#define QUIESCE_MAX_WAITS 100000

/* the same flags zswap passes to zpool_malloc in 6.1 and 6.12 */
#define ORACLE_GFP (__GFP_NORETRY | __GFP_NOWARN | __GFP_KSWAPD_RECLAIM)

/* zpool functions, looked up by name */
static typeof(zpool_create_pool) *p_create;
static typeof(zpool_destroy_pool) *p_destroy;
static typeof(zpool_malloc) *p_malloc;
static typeof(zpool_free) *p_free;
/*
 * Between 6.1 and 6.12 (checked on Debian's headers of those two only)
 * zpool_create_pool() lost its zpool_ops argument, the evict callback, and
 * zpool_get_total_size() (bytes) became zpool_get_total_pages() (pages).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define ZPOOL_TOTAL "zpool_get_total_pages"
static typeof(zpool_get_total_pages) *p_total;
#else
#define ZPOOL_TOTAL "zpool_get_total_size"
static typeof(zpool_get_total_size) *p_total;
#endif

static struct zpool *zp;   /* zbud, z3fold */
static struct zs_pool *zs; /* zsmalloc */
static bool is_z3fold;
static unsigned long *handles;

static DEFINE_MUTEX(lock);
static char *out;
static size_t out_len;
static u64 nops, nrejected, nenospc, nenomem, nwaits, nunsettled;
static bool stopped; /* after a store into a live slot: the trace was invalid */

/* ---- symbol lookup ---------------------------------------------------- */

typedef unsigned long (*lookup_fn)(const char *name);

static unsigned long lookup(const char *name)
{
	static lookup_fn fn;

	if (!fn) {
		struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };

		if (register_kprobe(&kp))
			return 0;
		fn = (lookup_fn)kp.addr;
		unregister_kprobe(&kp);
	}
	return fn ? fn(name) : 0;
}

static int find_zpool_api(void)
{
	p_create = (void *)lookup("zpool_create_pool");
	p_destroy = (void *)lookup("zpool_destroy_pool");
	p_malloc = (void *)lookup("zpool_malloc");
	p_free = (void *)lookup("zpool_free");
	p_total = (void *)lookup(ZPOOL_TOTAL);
	if (!p_create || !p_destroy || !p_malloc || !p_free || !p_total) {
		pr_err("zpb_oracle: zpool functions not found in kallsyms\n");
		return -ENOENT;
	}
	return 0;
}

/* ---- z3fold work-queue quiescence ------------------------------------- */

static atomic_long_t wq_queued, wq_done;
static work_func_t z3fold_fns[8]; /* work functions seen to live in z3fold */
static DEFINE_SPINLOCK(fns_lock);
static struct tracepoint *tp_queue, *tp_end;

static bool known_z3fold_fn(work_func_t fn)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(z3fold_fns); i++)
		if (READ_ONCE(z3fold_fns[i]) == fn)
			return true;
	return false;
}

/* Does @fn belong to the z3fold module?  Learnt once per function. */
static bool z3fold_fn(work_func_t fn)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned long flags;
	bool ours;
	int i;

	if (known_z3fold_fn(fn))
		return true;
	sprint_symbol(sym, (unsigned long)fn);
	ours = strstr(sym, " [z3fold]") != NULL;
	if (ours) {
		spin_lock_irqsave(&fns_lock, flags);
		for (i = 0; i < ARRAY_SIZE(z3fold_fns); i++) {
			if (z3fold_fns[i] == fn)
				break;
			if (!z3fold_fns[i]) {
				WRITE_ONCE(z3fold_fns[i], fn);
				break;
			}
		}
		spin_unlock_irqrestore(&fns_lock, flags);
	}
	return ours;
}

struct pool_workqueue;

static void probe_queue(void *data, int req_cpu, struct pool_workqueue *pwq,
			struct work_struct *work)
{
	if (z3fold_fn(work->func))
		atomic_long_inc(&wq_queued);
}

static void probe_end(void *data, struct work_struct *work, work_func_t fn)
{
	/* a function is always seen queued before it runs */
	if (known_z3fold_fn(fn))
		atomic_long_inc(&wq_done);
}

static void find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "workqueue_queue_work"))
		tp_queue = tp;
	else if (!strcmp(tp->name, "workqueue_execute_end"))
		tp_end = tp;
}

static int watch_workqueues(void)
{
	int ret;

	for_each_kernel_tracepoint(find_tp, NULL);
	if (!tp_queue || !tp_end) {
		pr_err("zpb_oracle: workqueue tracepoints not found\n");
		return -ENOENT;
	}
	ret = tracepoint_probe_register(tp_queue, probe_queue, NULL);
	if (ret)
		return ret;
	ret = tracepoint_probe_register(tp_end, probe_end, NULL);
	if (ret) {
		tracepoint_probe_unregister(tp_queue, probe_queue, NULL);
		tracepoint_synchronize_unregister();
	}
	return ret;
}

static void unwatch_workqueues(void)
{
	tracepoint_probe_unregister(tp_end, probe_end, NULL);
	tracepoint_probe_unregister(tp_queue, probe_queue, NULL);
	tracepoint_synchronize_unregister();
}

/* Sleep until every z3fold work item queued so far has finished. */
static void quiesce(void)
{
	int i;

	if (settle_us)
		usleep_range(settle_us, settle_us + 10);
	if (!is_z3fold || !wait_z3fold)
		return;
	for (i = 0; i < QUIESCE_MAX_WAITS; i++) {
		if (atomic_long_read(&wq_done) >= atomic_long_read(&wq_queued))
			return;
		usleep_range(20, 40);
		nwaits++;
	}
	nunsettled++;
	pr_warn("zpb_oracle: z3fold work did not finish\n");
}

/* ---- the pool ----------------------------------------------------------- */

static u64 pool_pages(void)
{
	if (zs)
		return zs_get_total_pages(zs);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return p_total(zp);
#else
	return p_total(zp) >> PAGE_SHIFT;
#endif
}

static void do_store(unsigned int slot, size_t size)
{
	unsigned long h = 0;
	int ret;

	if (zs) {
		h = zs_malloc(zs, size, ORACLE_GFP | __GFP_HIGHMEM | __GFP_MOVABLE);
		ret = IS_ERR_VALUE(h) ? (int)h : (h ? 0 : -ENOMEM);
	} else {
		ret = p_malloc(zp, size, ORACLE_GFP, &h);
	}
	if (ret) {
		h = 0;
		nrejected++;
		if (ret == -ENOSPC)
			nenospc++;
		else if (ret == -ENOMEM)
			nenomem++;
	}
	handles[slot] = h;
}

static void do_free(unsigned int slot)
{
	unsigned long h = handles[slot];

	handles[slot] = 0;
	if (!h)
		return;
	if (zs)
		zs_free(zs, h);
	else
		p_free(zp, h);
	quiesce();
}

static void do_compact(void)
{
	if (zs)
		zs_compact(zs);
	quiesce();
}

/* ---- /proc/zpb_oracle ---------------------------------------------------- */

static void emit(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out + out_len, OUT_CAP - out_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		out_len += min_t(size_t, n, OUT_CAP - 1 - out_len);
}

/* One line without its newline; 0 or -EINVAL. */
static int run_line(char *line)
{
	unsigned int slot, size;
	char op = line[0];

	if (stopped && op != 'e')
		return 0;
	switch (op) {
	case 'a':
		if (sscanf(line + 1, "%u %u", &slot, &size) != 2 || slot >= slots || !size ||
		    size > PAGE_SIZE)
			return -EINVAL;
		/* the host reuses the slot of a live ID: fine only if its store was refused */
		if (handles[slot]) {
			emit("# error op=%llu store into a live slot\n", nops);
			stopped = true;
			return 0;
		}
		do_store(slot, size);
		break;
	case 'f':
		if (sscanf(line + 1, "%u", &slot) != 1 || slot >= slots)
			return -EINVAL;
		do_free(slot);
		break;
	case 'c':
		do_compact();
		break;
	case 'e':
		emit("# end ops=%llu rejected=%llu enospc=%llu enomem=%llu waits=%llu work=%ld unsettled=%llu\n",
		     nops, nrejected, nenospc, nenomem, nwaits, atomic_long_read(&wq_queued),
		     nunsettled);
		return 0;
	default:
		return -EINVAL;
	}
	emit("%llu %llu\n", nops, pool_pages());
	nops++;
	return 0;
}

/* Runs the complete lines at the start of the buffer; returns bytes used. */
static ssize_t oracle_write(struct file *file, const char __user *ubuf, size_t count, loff_t *ppos)
{
	char line[LINE_MAX_LEN];
	size_t done = 0;
	ssize_t ret = 0;

	mutex_lock(&lock);
	while (done < count && OUT_CAP - out_len > 2 * LINE_MAX_LEN) {
		size_t n = min_t(size_t, count - done, LINE_MAX_LEN);
		char *nl;

		if (copy_from_user(line, ubuf + done, n)) {
			ret = -EFAULT;
			break;
		}
		nl = memchr(line, '\n', n);
		if (!nl) {
			ret = -EINVAL; /* a line too long, or cut off */
			break;
		}
		*nl = '\0';
		ret = run_line(line);
		if (ret)
			break;
		done += nl - line + 1;
		cond_resched();
	}
	mutex_unlock(&lock);
	return done ? done : ret;
}

/* Drains the output buffer. */
static ssize_t oracle_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	size_t n;

	mutex_lock(&lock);
	n = min(count, out_len);
	if (n && copy_to_user(ubuf, out, n)) {
		mutex_unlock(&lock);
		return -EFAULT;
	}
	memmove(out, out + n, out_len - n);
	out_len -= n;
	mutex_unlock(&lock);
	return n;
}

static const struct proc_ops oracle_ops = {
	.proc_read = oracle_read,
	.proc_write = oracle_write,
	.proc_lseek = noop_llseek,
};

/* ---- module ----------------------------------------------------------- */

static void destroy_pool(void)
{
	unsigned int i;

	for (i = 0; i < slots; i++)
		do_free(i);
	if (zs)
		zs_destroy_pool(zs);
	if (zp)
		p_destroy(zp);
	zs = NULL;
	zp = NULL;
}

static int create_pool(void)
{
	int ret;

	if (!strcmp(alloc, "zsmalloc")) {
		zs = zs_create_pool("zpb_oracle");
		return zs ? 0 : -ENOMEM;
	}
	if (strcmp(alloc, "zbud") && strcmp(alloc, "z3fold")) {
		pr_err("zpb_oracle: unknown allocator '%s'\n", alloc);
		return -EINVAL;
	}
	ret = find_zpool_api();
	if (ret)
		return ret;
	is_z3fold = !strcmp(alloc, "z3fold");
	if (is_z3fold) {
		ret = watch_workqueues();
		if (ret)
			return ret;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	zp = p_create(alloc, "zpb_oracle", ORACLE_GFP);
#else
	zp = p_create(alloc, "zpb_oracle", ORACLE_GFP, NULL);
#endif
	if (!zp) {
		pr_err("zpb_oracle: zpool_create_pool(%s) failed (module not loaded?)\n", alloc);
		if (is_z3fold)
			unwatch_workqueues();
		return -ENODEV;
	}
	return 0;
}

static int __init oracle_init(void)
{
	int ret;

	if (!slots)
		return -EINVAL;
	handles = vzalloc(array_size(slots, sizeof(*handles)));
	out = vmalloc(OUT_CAP);
	if (!handles || !out) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = create_pool();
	if (ret)
		goto fail;
	if (!proc_create("zpb_oracle", 0600, NULL, &oracle_ops)) {
		destroy_pool();
		if (is_z3fold)
			unwatch_workqueues();
		ret = -ENOMEM;
		goto fail;
	}
	pr_info("zpb_oracle: %s pool ready, %u slots, %lu-byte pages\n", alloc, slots, PAGE_SIZE);
	return 0;
fail:
	vfree(handles);
	vfree(out);
	return ret;
}

static void __exit oracle_exit(void)
{
	remove_proc_entry("zpb_oracle", NULL);
	destroy_pool();
	if (is_z3fold)
		unwatch_workqueues();
	vfree(handles);
	vfree(out);
}

module_init(oracle_init);
module_exit(oracle_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("zpoolbench: size-trace replay through the kernel's zpool allocators");
