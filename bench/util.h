/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * util.h - small pieces every part of the driver shares: error lines,
 * clean-up on every exit path
 * (SIGINT/SIGTERM included), the per-object fill pattern and a seeded PRNG.
 */
#ifndef ZPB_UTIL_H
#define ZPB_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "afile.h"

/* "zpoolbench: <message>\n" on stderr; control characters show as '?' (one line). */
void zpb_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Clean-up hooks, run in reverse order at exit() and when SIGINT, SIGTERM or
 * SIGHUP arrives (then the process dies of that signal).  A hook must be
 * async-signal-safe if it can run from a signal: open/write/close/unlink/
 * ioctl are.  zpb_cleanup_pop() runs (run=true) or drops the newest hook.
 */
int zpb_cleanup_push(void (*fn)(void *), void *arg);
void zpb_cleanup_pop(bool run);
void zpb_install_signal_handlers(void);
/* Set by the signal handler before the hooks run; long loops may poll it. */
extern volatile int zpb_interrupted;

/*
 * Disarm hook @idx (as returned by push): popped if it is the newest,
 * else emptied in place so that it runs nothing.
 */
void zpb_cleanup_drop(int idx);

/*
 * rename(@from, @to) that never replaces an existing @to (renameat2's
 * RENAME_NOREPLACE, or link + unlink where the file system lacks it):
 * 0, or -1 with errno (EEXIST if @to exists).
 */
int zpb_rename_noreplace(const char *from, const char *to);

/* Fill/verify @len bytes with a pattern determined by @seed. */
void pattern_fill(void *buf, size_t len, uint64_t seed);
bool pattern_check(const void *buf, size_t len, uint64_t seed);

/* splitmix64: a seeded generator, good enough for workload choices. */
static inline uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static inline uint64_t rng_below(uint64_t *s, uint64_t n)
{
	return n ? (uint64_t)(((unsigned __int128)rng_next(s) * n) >> 64) : 0;
}

/*
 * A seeded random permutation of [0, n), computed, not stored: a balanced
 * Feistel network of four rounds (splitmix64 as the round function) over
 * the smallest even number of bits that covers n, walked in cycles until
 * it lands inside [0, n) (fewer than four steps on average: the domain is
 * below 4 n).  zpb_perm_at(p, i) for i = 0 .. n-1 visits every value once.
 */
struct zpb_perm {
	uint64_t n, half_mask;
	unsigned int half;
	uint64_t key[4];
};

void zpb_perm_init(struct zpb_perm *p, uint64_t n, uint64_t *rng);
uint64_t zpb_perm_at(const struct zpb_perm *p, uint64_t i);

uint64_t now_ns(void);
/* The folder for temporary files: $TMPDIR if set and not empty, else /tmp. */
const char *tmp_dir(void);
/*
 * A file nobody else can see, for scratch data: unlinked (O_TMPFILE) in
 * $TMPDIR, else /tmp, else in memory (memfd named @name).  The fd, or -1.
 */
int anon_tmpfile(const char *name);

/* All of @len bytes at @off, retrying short transfers; 0, or -1 (EOF or error). */
int pread_full(int fd, void *buf, size_t len, uint64_t off);
int pwrite_full(int fd, const void *buf, size_t len, uint64_t off);

/* Parse a whole decimal number into [min, max]; -1 on anything else. */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* The CPUs this process may run on: online CPUs, or fewer under an affinity mask (a Slurm task). */
int online_cpus(void);

/* True if stderr is a terminal (progress bars go there only then). */
bool progress_enabled(void);

/* The directory this program's binary is in (from /proc/self/exe); 0 or -1. */
int zpb_exe_dir(char *buf, size_t len);

/*
 * Where the files zpoolbench reads at run time are: an installed binary,
 * PREFIX/bin/zpoolbench, finds them in PREFIX/share/zpoolbench/@installed
 * (helpers in PREFIX/libexec/zpoolbench), a binary in a build tree,
 * TOP/build/zpoolbench, in TOP/@tree.  Both are found from the binary's own
 * place, so a staged (DESTDIR) or moved tree works without any setting.
 * zpb_data_dir(): the first of the two folders holding @marker, into @out:
 * 0, or -1 with the folders looked in ("A or B") in @out.
 */
int zpb_data_dir(const char *installed, const char *tree, const char *marker, char *out, size_t len);
/* A helper program: beside this binary (build tree) or in ../libexec/zpoolbench; as above. */
int zpb_helper(const char *name, char *out, size_t len);

/*
 * Run @fn(@arg) on @threads threads, the caller's included, and wait for
 * them all: a helper thread that cannot be created leaves its share to the
 * others (every worker takes its work from @arg until there is none).  0, or
 * -1 with errno ENOMEM when the thread table cannot be allocated.
 */
int zpb_run_workers(int threads, void *(*fn)(void *), void *arg);

/*
 * Fix the C library's heap thresholds at their defaults for the whole
 * process (glibc: blocks of 128 KiB and more mapped on their own, a heap's
 * free top above 128 KiB given back).  Left to themselves, glibc's grow with
 * the largest mapped block freed so far (up to 32 MiB, the trim threshold
 * twice that), and malloc_trim() never gives back a thread arena's top: a
 * compression worker's freed zstd context then stayed resident, 7-9 MiB in
 * every later pool's peak RSS, in some runs and not others (it depends on
 * which worker freed its context first), and the `malloc` pool trimmed its
 * heap by other rules after zstd than after lz4.  Call first in main().
 */
void zpb_heap_setup(void);

#endif /* ZPB_UTIL_H */
