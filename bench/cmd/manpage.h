/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * manpage.h - zpoolbench(1), written by `zpoolbench help --man` from the
 * same tables as --help: one section per command with its options (opt.h),
 * the allocators and their keys (the zpool registry), and the fixed parts
 * (exit status, files, environment, examples).  `make` turns it into
 * build/zpoolbench.1, which `make install` installs.
 */
#ifndef ZPB_MANPAGE_H
#define ZPB_MANPAGE_H

#include <stdio.h>

struct zpb_cmd;

/* The whole page in man(7) roff, for the @n commands @cmds (in `help` order). */
void manpage_write(FILE *f, const struct zpb_cmd *const *cmds, int n);

#endif /* ZPB_MANPAGE_H */
