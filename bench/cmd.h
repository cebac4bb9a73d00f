/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cmd.h - subcommands of the zpoolbench program.
 *
 * Each command lives in its own bench/cmd_*.c and registers itself with
 * ZPB_COMMAND(); main.c finds it by its (possibly two-word) name, e.g.
 * "replay", "oracle zram", "corpus snapshot".  run() gets argv with argv[0]
 * set to the command name and returns the process exit status.
 */
#ifndef ZPB_CMD_H
#define ZPB_CMD_H

struct zpb_cmd {
	const char *name;
	const char *usage;   /* arguments after the name, one line */
	const char *summary; /* one line for `zpoolbench help` */
	int (*run)(int argc, char **argv);
	int order;	     /* position in `zpoolbench help` */
};

void zpb_register_cmd(const struct zpb_cmd *cmd);
#define ZPB_COMMAND(var)                                                 \
	__attribute__((constructor)) static void zpb_register_##var(void) \
	{                                                                \
		zpb_register_cmd(&(var));                                \
	}

#endif /* ZPB_CMD_H */
