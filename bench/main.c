// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - the zpoolbench command line: finds the subcommand and runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "util.h"
#include "version.h"
#include "zpool.h"

#define MAX_CMDS 64

static const struct zpb_cmd *cmds[MAX_CMDS];
static int ncmds;

void zpb_register_cmd(const struct zpb_cmd *cmd)
{
	int i, j;

	if (ncmds == MAX_CMDS)
		abort();
	for (i = 0; i < ncmds && cmds[i]->order <= cmd->order; i++)
		;
	for (j = ncmds; j > i; j--)
		cmds[j] = cmds[j - 1];
	cmds[i] = cmd;
	ncmds++;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: zpoolbench COMMAND [OPTIONS]\n\n"
		   "Benchmarks the compressed-memory pool allocators of Linux (zbud, z3fold,\n"
		   "zsmalloc) as userspace ports, on real page corpora.\n\ncommands:\n");
	for (int i = 0; i < ncmds; i++)
		fprintf(f, "  %-18s %s\n", cmds[i]->name, cmds[i]->summary);
	fprintf(f, "\n  zpoolbench COMMAND --help   options of one command\n"
		   "  zpoolbench --version\n");
}

/* Match argv against command names of one or two words; longest match wins. */
static const struct zpb_cmd *find_cmd(int argc, char **argv, int *words)
{
	const struct zpb_cmd *best = NULL;

	for (int i = 0; i < ncmds; i++) {
		const char *name = cmds[i]->name;
		const char *sp = strchr(name, ' ');

		if (!sp) {
			if (!strcmp(name, argv[0]) && !best) {
				best = cmds[i];
				*words = 1;
			}
		} else if (argc >= 2 && (size_t)(sp - name) == strlen(argv[0]) &&
			   !strncmp(name, argv[0], sp - name) && !strcmp(sp + 1, argv[1])) {
			*words = 2;
			return cmds[i];
		}
	}
	return best;
}

static bool in_group(const struct zpb_cmd *cmd, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(cmd->name, word, n) && cmd->name[n] == ' ';
}

static bool is_group(const char *word)
{
	for (int i = 0; i < ncmds; i++)
		if (in_group(cmds[i], word))
			return true;
	return false;
}

/* "info, pack, sample, snapshot" for group "corpus" */
static void group_members(const char *word, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < ncmds && off < len; i++)
		if (in_group(cmds[i], word))
			off += snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
					cmds[i]->name + strlen(word) + 1);
}

static void group_usage(const char *word)
{
	printf("usage: zpoolbench %s SUBCOMMAND [OPTIONS]\n\n", word);
	for (int i = 0; i < ncmds; i++)
		if (in_group(cmds[i], word))
			printf("  %-18s %s\n", cmds[i]->name, cmds[i]->summary);
	printf("\n  zpoolbench %s SUBCOMMAND --help   options of one subcommand\n", word);
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h") || !strcmp(arg, "help");
}

int main(int argc, char **argv)
{
	const struct zpb_cmd *cmd;
	int words = 1;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (is_help(argv[1])) {
		/* `zpoolbench help run` is `zpoolbench run --help` */
		if (argc > 2) {
			cmd = find_cmd(argc - 2, argv + 2, &words);
			if (cmd) {
				char *hargv[] = { (char *)cmd->name, "--help", NULL };

				return cmd->run(2, hargv);
			}
			if (is_group(argv[2])) {
				group_usage(argv[2]);
				return 0;
			}
			zpb_err("unknown command '%s'; see 'zpoolbench help'", argv[2]);
			return 2;
		}
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("zpoolbench %s (%s)\n", ZPB_VERSION, ZPB_GIT);
		return 0;
	}
	cmd = find_cmd(argc - 1, argv + 1, &words);
	if (!cmd) {
		if (is_group(argv[1])) {
			char members[256];

			if (argc > 2 && is_help(argv[2])) {
				group_usage(argv[1]);
				return 0;
			}
			group_members(argv[1], members, sizeof(members));
			if (argc > 2)
				zpb_err("unknown subcommand '%s %s' (valid: %s)", argv[1], argv[2], members);
			else
				zpb_err("'%s' needs a subcommand (valid: %s)", argv[1], members);
			return 2;
		}
		zpb_err("unknown command '%s'; see 'zpoolbench help'", argv[1]);
		return 2;
	}
	zpb_install_signal_handlers();
	/* argv[0] of the command is its name; options follow */
	argv[words] = (char *)cmd->name;
	return cmd->run(argc - words, argv + words);
}
