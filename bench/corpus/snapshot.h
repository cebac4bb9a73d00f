/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * snapshot.h - dump the anonymous memory of a running process as pages.
 *
 * Which pages: every page of a private writable mapping that is resident
 * (pagemap bit 63), anonymous (bit 61 clear: not a page-cache page, so this
 * includes copy-on-write copies inside private file mappings such as a
 * library's .data) and not the shared zero page (/proc/kpageflags bit
 * KPF_ZERO_PAGE, which an untouched page only read from maps).  These are
 * the pages reclaim would swap, i.e. what zswap/zram would compress.  With
 * @shared, resident pages of shared writable shmem-like mappings (SysV shm,
 * memfd, /dev/zero, /dev/shm files) are added too; their residency is per
 * object, so it is taken with mincore() on a mapping of
 * /proc/PID/map_files/RANGE rather than from the process's page table.
 *
 * Pages are read through /proc/PID/mem in address order (mappings in the
 * order of /proc/PID/maps), and their addresses are kept as extents
 * (extents.h) for the manifest: they are what 16 KiB pages are built from.
 * A page is the kernel's: 4096 bytes here, 16384 on a 16 KiB arm64 kernel
 * (pagemap and kpageflags have one entry per kernel page), so a snapshot
 * taken there is a corpus of 16 KiB pages as it stands.  The target is
 * stopped with SIGSTOP for the dump and always continued, on errors and
 * signals too.  Needs root (PFNs in pagemap, kpageflags, map_files).
 */
#ifndef ZPB_SNAPSHOT_H
#define ZPB_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "corpus/extents.h"

struct snapshot_result {
	uint32_t page_size;	 /* the kernel's page size: bytes per page written */
	uint64_t pages;		 /* pages written */
	uint64_t shared_pages;	 /* of which from shared mappings */
	uint64_t zero_page_maps; /* present entries mapping the shared zero page, skipped */
	uint64_t mappings;	 /* mappings that contributed pages */
	char comm[32];		 /* the target's command name */
	char sha256[65];
	struct corpus_extents ext; /* where the pages were (space 0); free with extents_free() */
};

/* Write the pages to @out; 0, or -1 with one line in @err. */
int snapshot_dump(pid_t pid, bool shared, FILE *out, struct snapshot_result *res, char *err,
		  size_t errlen);

#endif /* ZPB_SNAPSHOT_H */
