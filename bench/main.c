// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - the zpoolbench command line: finds the subcommand, parses its
 * options through its table (bench/opt.h), checks the files it names
 * (bench/afile.h), runs it, and checks that what it printed reached stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"
#include "cmd.h"
#include "cmd/manpage.h"
#include "corpus/corpus.h"
#include "opt.h"
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

const struct zpb_cmd *const *zpb_cmds(int *n)
{
	*n = ncmds;
	return cmds;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: zpoolbench COMMAND [OPTION]...\n\n"
		   "Benchmarks the compressed-memory pool allocators of Linux (zbud, z3fold,\n"
		   "zsmalloc) as userspace ports, on real page corpora.\n\ncommands:\n");
	for (int i = 0; i < ncmds; i++)
		fprintf(f, "  %-18s %s\n", cmds[i]->name, cmds[i]->summary);
	fprintf(f, "\n  zpoolbench COMMAND --help   options of one command\n"
		   "  zpoolbench help --options  every option of every command, one per line\n"
		   "  zpoolbench help --man      the manual page zpoolbench(1), in roff\n"
		   "  zpoolbench -V, --version\n");
}

static const char *type_name(enum opt_type t)
{
	static const char *const names[] = { "flag", "int",  "size",	"duration", "string",
					     "list", "enum", "intlist", "real" };

	return names[t];
}

/*
 * One line per option, tab-separated: command, --name, -alias or "",
 * type, value name, flags (comma-separated), values ("a|b|c": the choices
 * of an enum, the items of a list) or range, default; and a line per
 * command with operands: command, NAME, "", "operand", NAME, flags, count.
 * The table for generated man pages and completions.  Every table is
 * checked first (opt_table_check): a broken one is exit status 1.
 */
static int dump_options(void)
{
	for (int i = 0; i < ncmds; i++) {
		struct zpb_optset set = zpb_cmd_optset(cmds[i]);
		char why[512];

		if (opt_table_check(&set, cmds[i]->size, why, sizeof(why))) {
			zpb_err("the option table breaks a rule: %s", why);
			return 1;
		}
		for (const struct zpb_opt *o = set.opts; o->name; o++) {
			char flags[128] = "", range[64] = "", alias[4] = "";

			if (o->flags & OPT_HIDDEN)
				continue;
			snprintf(flags, sizeof(flags), "%s%s%s%s%s%s",
				 o->flags & OPT_REQUIRED ? "required," : "",
				 o->flags & OPT_REPEAT ? "repeat," : "",
				 o->flags & OPT_IN ? "in," : "", o->flags & OPT_OUT ? "out," : "",
				 o->flags & OPT_OUTDIR ? "outdir," : "",
				 o->flags & OPT_CORPUS ? "corpus," : "");
			if (*flags)
				flags[strlen(flags) - 1] = '\0';
			if (o->type == OPT_INT || o->type == OPT_INTLIST || o->type == OPT_SIZE ||
			    o->type == OPT_DURATION)
				snprintf(range, sizeof(range), "%llu..%llu",
					 (unsigned long long)o->min, (unsigned long long)o->max);
			if (o->type == OPT_REAL)
				snprintf(range, sizeof(range), "%g..%g", o->rmin, o->rmax);
			if (o->alias)
				snprintf(alias, sizeof(alias), "-%c", o->alias);
			printf("%s\t--%s\t%s\t%s\t%s\t%s\t%s\t%s\n", set.cmd, o->name, alias,
			       type_name(o->type), o->arg ? o->arg : "", flags,
			       o->values ? o->values : range, o->def ? o->def : "");
		}
		if (set.operand)
			printf("%s\t%s\t\toperand\t%s\t%s%s\t%d..%d\t\n", set.cmd, set.operand->arg,
			       set.operand->arg, set.operand->flags & OPT_IN ? "in" : "",
			       set.operand->flags & OPT_CORPUS ? ",corpus" : "", set.operand->min,
			       set.operand->max);
	}
	return 0;
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
	printf("usage: zpoolbench %s SUBCOMMAND [OPTION]...\n\n", word);
	for (int i = 0; i < ncmds; i++)
		if (in_group(cmds[i], word))
			printf("  %-18s %s\n", cmds[i]->name, cmds[i]->summary);
	printf("\n  zpoolbench %s SUBCOMMAND --help   options of one subcommand\n", word);
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h") || !strcmp(arg, "help");
}

static void print_version(void)
{
	printf("zpoolbench %s (%s)\n", ZPB_VERSION, ZPB_GIT);
}

/*
 * What a command printed must have reached stdout: a full disk or a closed
 * pipe is an error, exit status 1 with one line, not a silent success.
 */
static int stdout_status(const char *cmd, int ret)
{
	int bad = ferror(stdout);

	errno = 0;
	if ((fflush(stdout) || bad) && !ret) {
		zpb_err("%s%scannot write to standard output: %s", cmd ? cmd : "", cmd ? ": " : "",
			strerror(errno ? errno : EIO));
		return 1;
	}
	return ret;
}

static int help_main(int argc, char **argv)
{
	const struct zpb_cmd *cmd;
	int words = 1;

	if (argc < 3) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[2], "--options"))
		return dump_options();
	if (!strcmp(argv[2], "--man")) {
		manpage_write(stdout, cmds, ncmds);
		return 0;
	}
	/* `zpoolbench help run` is `zpoolbench run --help` */
	cmd = find_cmd(argc - 2, argv + 2, &words);
	if (cmd) {
		struct zpb_optset set = zpb_cmd_optset(cmd);

		opt_help(stdout, &set);
		return 0;
	}
	if (is_group(argv[2])) {
		group_usage(argv[2]);
		return 0;
	}
	zpb_err("unknown command '%s'; see 'zpoolbench help'", argv[2]);
	return 2;
}

/* Parse, check the files, run: the exit status. */
static int run_cmd(const struct zpb_cmd *cmd, int argc, char **argv)
{
	struct zpb_optset set = zpb_cmd_optset(cmd);
	void *opts = calloc(1, cmd->size ? cmd->size : 1);
	static struct io_check io;
	int ret;

	if (!opts) {
		zpb_err("%s: out of memory", cmd->name);
		return 1;
	}
	ret = opt_parse(&set, argc, argv, opts);
	if (ret) {
		free(opts);
		return ret == OPT_DONE ? 0 : ret;
	}
	if (cmd->root && geteuid() != 0) {
		zpb_err("%s: needs root (%s); run it as root", cmd->name, cmd->root);
		free(opts);
		return 1;
	}
	io_init(&io, cmd->name, opt_flag(&set, opts, "force"));
	opt_io(&set, opts, &io, corpus_manifest_path);
	ret = io_verify(&io);
	io_free(&io);
	if (!ret) {
		zpb_install_signal_handlers();
		ret = cmd->run(opts, argc, argv);
	}
	free(opts);
	return ret;
}

int main(int argc, char **argv)
{
	const struct zpb_cmd *cmd;
	int words = 1;

	zpb_heap_setup();
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (is_help(argv[1]))
		return stdout_status("help", help_main(argc, argv));
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		print_version();
		return stdout_status(NULL, 0);
	}
	cmd = find_cmd(argc - 1, argv + 1, &words);
	if (!cmd) {
		if (is_group(argv[1])) {
			char members[256];

			if (argc > 2 && is_help(argv[2])) {
				group_usage(argv[1]);
				return stdout_status(NULL, 0);
			}
			if (argc > 2 && (!strcmp(argv[2], "--version") || !strcmp(argv[2], "-V"))) {
				print_version();
				return stdout_status(NULL, 0);
			}
			group_members(argv[1], members, sizeof(members));
			if (argc > 2)
				zpb_err("unknown subcommand '%s %s' (valid: %s)", argv[1], argv[2],
					members);
			else
				zpb_err("'%s' needs a subcommand (valid: %s)", argv[1], members);
			return 2;
		}
		zpb_err("unknown command '%s'; see 'zpoolbench help'", argv[1]);
		return 2;
	}
	/* argv[0] of the command is its name; options follow */
	argv[words] = (char *)cmd->name;
	return stdout_status(cmd->name, run_cmd(cmd, argc - words, argv + words));
}
