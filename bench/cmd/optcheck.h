/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * optcheck.h - value checks that several option tables share (the `check`
 * of a struct zpb_opt): each refuses a value with its reason, which the
 * option parser prints as "CMD: --OPT: reason".
 */
#ifndef ZPB_OPTCHECK_H
#define ZPB_OPTCHECK_H

#include <stddef.h>
#include <stdint.h>

/* A corpus a builder writes: the name ends in .pages. */
int optcheck_pages_out(const char *val, char *why, size_t len);
/* NAME=VERSION of a package. */
int optcheck_package(const char *val, char *why, size_t len);
/* A page size: 4096, 16384 or 65536 (4K, 16K, 64K). */
int optcheck_page_size(const char *val, char *why, size_t len);
/* A comma-separated list of page sizes, each once. */
int optcheck_page_sizes(const char *val, char *why, size_t len);
/* The page sizes of such a list (already checked) into @out: the count. */
int optcheck_page_sizes_parse(const char *val, uint32_t *out, int max);
/* Not empty. */
int optcheck_nonempty(const char *val, char *why, size_t len);

#endif /* ZPB_OPTCHECK_H */
