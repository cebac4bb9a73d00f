/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cmd.h - subcommands of the zpoolbench program.
 *
 * Each command lives in its own bench/cmd/cmd_*.c and registers itself with
 * ZPB_COMMAND(); main.c finds it by its (possibly two-word) name, e.g.
 * "replay", "oracle zram", "corpus snapshot".  A command is data first: its
 * options are a table (bench/opt.h) that main.c parses into a zeroed struct
 * of @size bytes before run() is called, and from which --help, the usage
 * line and `zpoolbench help --options` (for a man page and a completion) are
 * generated.  Before run(), main.c also checks every input and output the
 * table names (OPT_IN, OPT_OUT: see afile.h), so that a command never starts
 * work it could only end by clobbering something.  run() gets the parsed
 * options and the raw argv (argv[0] = the command's name) and returns the
 * exit status; what it prints on stdout is checked at exit (a write error,
 * e.g. to /dev/full, is status 1).  docs/hacking.md has the recipe.
 */
#ifndef ZPB_CMD_H
#define ZPB_CMD_H

#include <stddef.h>
#include <stdio.h>

#include "opt.h"

struct zpb_cmd {
	const char *name;
	const char *summary;		   /* one line for `zpoolbench help` */
	const char *about;		   /* paragraphs of --help after the usage line */
	const struct zpb_opt *opts;	   /* the option table, ended by { NULL } */
	const struct zpb_operand *operand; /* words that are not options, or NULL */
	void (*help_extra)(FILE *f);	   /* more --help after the options, or NULL */
	size_t size;			   /* of the struct the options are parsed into */
	const char *root;		   /* needs root, because (checked first), or NULL */
	int (*run)(void *opts, int argc, char **argv);
	int order; /* position in `zpoolbench help` */
};

void zpb_register_cmd(const struct zpb_cmd *cmd);
#define ZPB_COMMAND(var)                                                  \
	__attribute__((constructor)) static void zpb_register_##var(void) \
	{                                                                 \
		zpb_register_cmd(&(var));                                 \
	}

/* Every registered command, in `zpoolbench help` order; their number in *n. */
const struct zpb_cmd *const *zpb_cmds(int *n);
/* The parser's view of a command. */
struct zpb_optset zpb_cmd_optset(const struct zpb_cmd *cmd);

#endif /* ZPB_CMD_H */
