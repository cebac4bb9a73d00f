/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * qemu_oracle.h - what `oracle qemu` and `oracle qemu-zram` share: the
 * kernels they can boot, a temporary directory removed on every exit path,
 * and running bench/kernel/oracle/qemu-oracle.sh (which fetches, builds,
 * caches and boots; see docs/oracle-qemu.md) in a process group of its own,
 * so that a signal to zpoolbench stops qemu too.
 */
#ifndef ZPB_QEMU_ORACLE_H
#define ZPB_QEMU_ORACLE_H

#include <limits.h>
#include <stdint.h>

/* A kernel the oracle boots. */
struct qo_kernel {
	const char *name;    /* --kernel: "6.1", "6.12", "6.12-arm64-16k" */
	const char *version; /* the kernel= of the ports' presets: "6.1", "6.12" */
	uint32_t page_size;
	const char *desc;   /* "Linux 6.12 (x86-64)" */
	const char *allocs; /* the allocators it has: "zbud, z3fold, zsmalloc" */
};

#define QO_KERNEL_NAMES "6.1, 6.12, 6.12-arm64-16k"

/* The kernel named @name, or NULL. */
const struct qo_kernel *qo_kernel(const char *name);
/* The kernel with @version ("6.1", "6.12") and @page_size, or NULL. */
const struct qo_kernel *qo_kernel_for(const char *version, uint32_t page_size);

struct qo_run {
	char dir[PATH_MAX];
	char info[PATH_MAX + 16]; /* the script's stdout: "kernel VERSION" */
	char release[64];	  /* from it, after qo_script() */
	char qemu_seconds[32];	  /* qemu's wall time, once any ZPB_QEMU_LOCK was held */
	volatile int child;
};

/*
 * A temporary directory in $TMPDIR (its files are removed with it, on every
 * exit path); @cmd names the command in messages.  0, or -1 after a message.
 */
int qo_begin(struct qo_run *r, const char *cmd);
/* "DIR/NAME" into @buf; NAME is one of "ops", "out.img", "pages" (removed with the directory). */
void qo_path(const struct qo_run *r, const char *name, char *buf, size_t len);
/*
 * Run qemu-oracle.sh with @args (ending in NULL).  0, or -1: the script has
 * printed its one-line reason (or this function did).
 */
int qo_script(struct qo_run *r, const char *cmd, const char *const *args);
/* Remove the directory and everything in it; drops the clean-up hook. */
void qo_end(struct qo_run *r);

#endif /* ZPB_QEMU_ORACLE_H */
